import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statisticsCsv } from '../../../kiosk/evaluations/statistics.ts';
import type { Level } from '../../../kiosk/evaluations/types.ts';
import { makeEvalHall, serveTicket, type EvalHall } from './setup.ts';

let h: EvalHall;
beforeEach(async () => {
  h = await makeEvalHall({ evaluation: { rateLimits: { perDevicePerMinute: 1000, perTicketAttempts: 10 } } });
});
afterEach(async () => {
  await h.close();
});

async function rate(counterNo: number, level: Level | null, identity?: string) {
  const ticketId = await serveTicket(h, counterNo, counterNo === 5 ? 'employer' : 'general', identity);
  if (!level) return null;
  const bad = level === '不满意' || level === '非常不满意';
  return await h.evaluations.submitTicket({
    ticketId,
    channel: 'counter-evaluator',
    device: `counter:${counterNo}`,
    level,
    ...(bad ? { reasons: ['waiting'] } : {}),
  });
}

describe('statistics', () => {
  it('counts levels, rates and the monthly window score per counter and staff', async () => {
    await h.evaluations.signInStaff(1, 'S001', '张三');
    await h.evaluations.signInStaff(2, 'S002', '李四');
    await rate(1, '非常满意');
    await rate(1, '满意');
    await rate(1, '基本满意');
    const bad = (await rate(1, '不满意', 'identity-hash-of-citizen-0200'))!;
    await rate(1, null); // completed, not evaluated
    await rate(2, '非常不满意');
    await rate(2, '基本满意');
    await h.evaluations.caseAct(bad.case!.id, 'visit', { actor: 'S001', reached: true });
    await h.evaluations.caseAct(bad.case!.id, 'verify', { actor: 'S001', substantiated: true });
    await h.evaluations.caseAct(bad.case!.id, 'rectify', { actor: 'S001', note: '增开窗口' });
    await h.evaluations.submitKiosk({ device: 'kiosk', level: '满意', itemCode: 'query', itemName: '参保查询' });

    const month = await h.evaluations.statistics('2026-11', 'counter');
    expect(month.kind).toBe('month');
    const c1 = month.rows.find((r) => r.key === '1')!;
    expect(c1).toMatchObject({
      completed: 5,
      evaluations: 4,
      levels: { 非常满意: 1, 满意: 1, 基本满意: 1, 不满意: 1, 非常不满意: 0 },
      satisfiedRate: 0.75,
      bad: 1,
      badCases: 1,
      realNameBadCases: 1,
      contactRate: 1,
      rectifyRate: 1,
      activeRate: 0.8,
      score: 13.5, // 15 − 0.5 − 1
    });
    const c2 = month.rows.find((r) => r.key === '2')!;
    expect(c2).toMatchObject({ completed: 2, evaluations: 2, score: 13.5, realNameBadCases: 0, contactRate: null, rectifyRate: 0 }); // 非常不满意 counts −1
    expect(month.rows.find((r) => r.key === 'kiosk')).toMatchObject({ label: '自助终端', evaluations: 1, activeRate: null });

    const staff = await h.evaluations.statistics('2026-11-23', 'staff');
    expect(staff.rows.find((r) => r.key === 'S001')).toMatchObject({ label: '张三', completed: 5, evaluations: 4 });
    const hall = (await h.evaluations.statistics('2026-11-23', 'hall')).rows[0]!;
    expect(hall).toMatchObject({ completed: 7, evaluations: 7, bad: 2 });
    expect((await h.evaluations.statistics('2026-11-24', 'hall')).rows).toHaveLength(0);
  });

  it('never scores below zero and leaves confirmed 误评 out of the deductions', async () => {
    const cases = [];
    for (let i = 0; i < 17; i++) cases.push((await rate(1, '不满意'))!);
    expect((await h.evaluations.statistics('2026-11', 'counter')).rows[0]!.score).toBe(0);
    for (const c of cases.slice(0, 15)) {
      await h.evaluations.caseAct(c.case!.id, 'appeal', { actor: 'S001' });
      await h.evaluations.caseAct(c.case!.id, 'appeal-decision', { actor: 'admin', upheld: true });
    }
    const row = (await h.evaluations.statistics('2026-11', 'counter')).rows[0]!;
    expect(row).toMatchObject({ evaluations: 2, misjudged: 15, score: 13, badCases: 2 });
  });

  it('exports CSV with a BOM, Chinese headers and percentages', async () => {
    await rate(1, '满意');
    const csv = statisticsCsv(await h.evaluations.statistics('2026-11', 'counter'));
    expect(csv.startsWith('\uFEFF分组,名称,办结数,评价数')).toBe(true);
    expect(csv).toContain('1,1号窗口（综合）,1,1,0,0,1,0,0,0,100.0%');
  });
});
