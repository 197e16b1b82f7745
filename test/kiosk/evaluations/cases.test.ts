import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvalHall, serveTicket, type EvalHall } from './setup.ts';

let h: EvalHall;
beforeEach(async () => {
  h = await makeEvalHall();
});
afterEach(async () => {
  await h.close();
});

async function badEvaluation(realName = true) {
  const ticketId = await serveTicket(h, 1, 'general', realName ? 'identity-hash-of-citizen-0100' : undefined);
  return await h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device: 'counter:1', level: '非常不满意', reasons: ['attitude'] });
}

describe('差评 follow-up', () => {
  it('runs 待回访 → 核实 → 整改 → 反馈 → 办结 and records every step', async () => {
    const id = (await badEvaluation()).case!.id;
    const act = h.evaluations.caseAct.bind(h.evaluations, id);
    expect((await act('visit', { actor: 'S001', method: 'phone', reached: false })).status).toBe('pending-contact');
    expect(await act('visit', { actor: 'S001', method: 'phone', reached: true, note: '已电话联系' })).toMatchObject({
      status: 'verifying',
      statusName: '核实中',
    });
    await expect(act('rectify', { actor: 'S001', note: 'x' })).rejects.toThrow(expect.objectContaining({ code: 'EVALUATION_CASE_STATE', status: 409 }));
    expect((await act('verify', { actor: 'S001', substantiated: true })).status).toBe('rectifying');
    expect((await act('rectify', { actor: 'S001', note: '窗口人员已培训' })).status).toBe('feedback-pending');
    expect((await act('feedback', { actor: 'S001', method: 'phone', satisfaction: '满意' })).status).toBe('fed-back');
    const closed = await act('close', { actor: 'admin' });
    expect(closed).toMatchObject({ status: 'closed', statusName: '已办结' });
    const detail = await h.evaluations.caseDetail(id);
    expect(detail.actions.map((a) => `${a.action}:${a.toStatus}`)).toEqual([
      'visit:pending-contact',
      'visit:verifying',
      'verify:rectifying',
      'rectify:feedback-pending',
      'feedback:fed-back',
      'close:closed',
    ]);
    expect(detail.evaluation.level).toBe('非常不满意');
  });

  it('closes an upheld appeal as 误评 and returns a rejected one to where it was', async () => {
    const a = (await badEvaluation()).case!.id;
    expect((await h.evaluations.caseAct(a, 'appeal', { actor: 'S001', note: '评价人误操作' })).status).toBe('appealing');
    expect((await h.evaluations.caseAct(a, 'appeal-decision', { actor: 'admin', upheld: true })).status).toBe('misjudged');
    const b = (await badEvaluation()).case!.id;
    await h.evaluations.caseAct(b, 'appeal', { actor: 'S001' });
    expect((await h.evaluations.caseAct(b, 'appeal-decision', { actor: 'admin', upheld: false })).status).toBe('pending-contact');
  });

  it('lists overdue cases by working days (weekend and holidays do not count)', async () => {
    // Friday 2026-11-27: 回访 due Monday 11-30, 整改反馈 due Friday 12-04.
    h.clock.set('2026-11-27T10:00:00');
    const c = (await badEvaluation()).case!;
    expect(c).toMatchObject({ contactDue: '2026-11-30', rectifyDue: '2026-12-04' });
    h.clock.set('2026-11-30T16:00:00');
    await h.engine.tick();
    expect(await h.evaluations.overdueCases()).toHaveLength(0);
    h.clock.set('2026-12-01T09:00:00');
    await h.engine.tick();
    expect((await h.evaluations.overdueCases()).map((x) => [x.id, x.overdue])).toEqual([[c.id, ['contact']]]);
    await h.evaluations.caseAct(c.id, 'visit', { actor: 'S001', reached: true });
    expect(await h.evaluations.overdueCases()).toHaveLength(0);
  });

  it('starts an anonymous 差评 at 核实 (it cannot be revisited) without a 回访 deadline', async () => {
    const c = (await badEvaluation(false)).case!;
    expect(c).toMatchObject({ status: 'verifying', realName: false, contactDue: null, rectifyDue: '2026-11-30' });
  });

  it('counts the 2026 National Day block and its 调休 Saturday', async () => {
    await h.close();
    h = await makeEvalHall({}, {}, '2026-09-30T10:00:00');
    const c = (await badEvaluation()).case!;
    // 10-01..10-07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat (调休上班), 10-12 Mon, 10-13 Tue.
    expect(c).toMatchObject({ contactDue: '2026-10-08', rectifyDue: '2026-10-13' });
  });
});

describe('working-day calendar in the database', () => {
  it('is seeded from chinese-days and refuses to compute past its last covered year', async () => {
    expect(h.evaluations.calendar.coverage()).toEqual({ firstYear: 2004, lastYear: 2026 });
    expect(() => h.evaluations.calendar.addWorkingDays('2026-12-30', 5)).toThrow(
      expect.objectContaining({ code: 'CALENDAR_NOT_COVERED', message: expect.stringContaining('2027') }),
    );
  });

  it('opens a late-December case without deadlines, then fills them once the next year is entered', async () => {
    h.clock.set('2026-12-29T10:00:00');
    await h.engine.tick();
    const c = (await badEvaluation()).case!;
    expect(c).toMatchObject({ contactDue: '2026-12-30', rectifyDue: null });
    expect(c.deadlineProblem).toMatch(/2027/);
    await h.evaluations.setCalendarDay({ date: '2027-01-01', kind: 'holiday', name: '元旦', source: '国办发明电' });
    expect(await h.evaluations.setCalendarCoverage({ firstYear: 2004, lastYear: 2027 })).toBe(1);
    const after = (await h.evaluations.caseList()).find((x) => x.id === c.id)!;
    // 12-30 Wed, 12-31 Thu, 01-01 holiday, 01-04 Mon, 01-05 Tue, 01-06 Wed.
    expect(after).toMatchObject({ contactDue: '2026-12-30', rectifyDue: '2027-01-06', deadlineProblem: null });
  });

  it('applies an admin edit (an extra working day) to deadline computation', async () => {
    expect(h.evaluations.calendar.addWorkingDays('2026-11-27', 1)).toBe('2026-11-30');
    await h.evaluations.setCalendarDay({ date: '2026-11-28', kind: 'workday', name: '补班' });
    expect(h.evaluations.calendar.addWorkingDays('2026-11-27', 1)).toBe('2026-11-28');
    expect(await h.evaluations.deleteCalendarDay('2026-11-28')).toBe(true);
    expect(h.evaluations.calendar.addWorkingDays('2026-11-27', 1)).toBe('2026-11-30');
  });
});
