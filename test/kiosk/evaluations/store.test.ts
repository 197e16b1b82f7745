import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveTicket, makeEvalHall, type EvalHall } from './setup.ts';

let h: EvalHall;
beforeEach(async () => {
  h = await makeEvalHall();
});
afterEach(async () => {
  await h.close();
});

const device = 'counter:1';

describe('evaluation records', () => {
  it('binds an evaluation to the ticket, the item, the counter and the signed-in staff member', async () => {
    await h.evaluations.signInStaff(1, 'S001', '张三');
    const ticketId = await serveTicket(h);
    const r = await h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '满意' });
    expect(r.case).toBeNull();
    expect(r.evaluation).toMatchObject({
      ticketId,
      displayNo: 'A001',
      seq: 1,
      level: '满意',
      bad: false,
      itemCode: 'general',
      itemName: '综合业务',
      counterNo: 1,
      staffId: 'S001',
      staffName: '张三',
      anonymous: true,
      channel: 'counter-evaluator',
      reasonSetVersion: 'seed004-2020.1',
    });
  });

  it('refuses a 差评 without a reason and opens a case with working-day deadlines for one with a reason', async () => {
    const ticketId = await serveTicket(h, 1, 'general', 'identity-hash-of-citizen-0001');
    await expect(h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '不满意' })).rejects.toThrow(
      expect.objectContaining({ code: 'EVALUATION_REASON_REQUIRED', status: 400 }),
    );
    await expect(h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '非常不满意', reasons: ['other'] })).rejects.toThrow(
      expect.objectContaining({ code: 'EVALUATION_TEXT_REQUIRED' }),
    );
    await expect(h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '不满意', reasons: ['nope'] })).rejects.toThrow(
      expect.objectContaining({ code: 'EVALUATION_REASON_UNKNOWN' }),
    );
    // 2026-11-23 is a Monday: 回访 by the next working day, 整改反馈 within 5 working days.
    const r = await h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '不满意', reasons: ['waiting', 'attitude'] });
    expect(r.evaluation).toMatchObject({ bad: true, reasons: ['attitude', 'waiting'], realName: true });
    expect(r.case).toMatchObject({ status: 'pending-contact', statusName: '待回访', contactDue: '2026-11-24', rectifyDue: '2026-11-30', realName: true });
  });

  it('lets other levels add reasons and text freely', async () => {
    const ticketId = await serveTicket(h);
    const r = await h.evaluations.submitTicket({
      ticketId,
      channel: 'counter-evaluator',
      device,
      level: '基本满意',
      reasons: ['guide'],
      text: '指引可以更清楚',
    });
    expect(r.evaluation).toMatchObject({ reasons: ['guide'], text: '指引可以更清楚', bad: false });
  });

  it('keeps one evaluation per ticket plus one 追加评价, immutable', async () => {
    const ticketId = await serveTicket(h);
    const first = await h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '满意' });
    const second = await h.evaluations.submitTicket({ ticketId, channel: 'kiosk', device: 'kiosk', level: '非常满意' });
    expect(second.evaluation).toMatchObject({ seq: 2, parentId: first.evaluation.id });
    await expect(h.evaluations.submitTicket({ ticketId, channel: 'kiosk', device: 'kiosk', level: '满意' })).rejects.toThrow(
      expect.objectContaining({ code: 'EVALUATION_ALREADY' }),
    );
    await expect(h.exec("UPDATE evaluations SET level = '非常不满意'")).rejects.toThrow(/immutable/);
    await expect(h.exec('DELETE FROM evaluations')).rejects.toThrow(/immutable/);
  });

  it('returns the stored evaluation for a retried request id', async () => {
    const ticketId = await serveTicket(h);
    const a = await h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '满意', requestId: 'req-0000001' });
    const b = await h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '满意', requestId: 'req-0000001' });
    expect(b).toMatchObject({ existing: true, evaluation: { id: a.evaluation.id } });
    expect(await h.evaluations.store.forTicket(ticketId)).toHaveLength(1);
  });

  it('only evaluates completed tickets, at the counter that served them, within the window', async () => {
    await h.engine.openCounter(1);
    const waiting = (await h.engine.issue({ serviceCode: 'general' })).ticket;
    await expect(h.evaluations.submitTicket({ ticketId: waiting.id, channel: 'kiosk', device: 'kiosk', level: '满意' })).rejects.toThrow(
      expect.objectContaining({ code: 'EVALUATION_NOT_DONE' }),
    );
    await h.engine.callNext(1);
    await h.engine.complete(1);
    await expect(
      h.evaluations.submitTicket({ ticketId: waiting.id, channel: 'counter-evaluator', device: 'counter:2', counterNo: 2, level: '满意' }),
    ).rejects.toThrow(expect.objectContaining({ code: 'EVALUATION_NOT_THIS_COUNTER' }));
    h.clock.advanceMinutes(7 * 24 * 60 + 1);
    await expect(h.evaluations.submitTicket({ ticketId: waiting.id, channel: 'kiosk', device: 'kiosk', level: '满意' })).rejects.toThrow(
      expect.objectContaining({ code: 'EVALUATION_WINDOW_CLOSED' }),
    );
  });

  it('refuses an evaluation by the staff member who served the ticket', async () => {
    await h.evaluations.signInStaff(1, 'S009', '李四', 'identity-hash-of-staff-0009');
    const ticketId = await serveTicket(h, 1, 'general', 'identity-hash-of-staff-0009');
    await expect(h.evaluations.submitTicket({ ticketId, channel: 'counter-evaluator', device, level: '非常满意' })).rejects.toThrow(
      expect.objectContaining({ code: 'EVALUATION_SELF', status: 403 }),
    );
    const other = await serveTicket(h, 1);
    await expect(
      h.evaluations.submitTicket({ ticketId: other, channel: 'kiosk', device: 'kiosk', level: '非常满意', identityHash: 'identity-hash-of-staff-0009' }),
    ).rejects.toThrow(expect.objectContaining({ code: 'EVALUATION_SELF' }));
  });

  it('rate-limits per device and per ticket', async () => {
    const limited = await makeEvalHall({ evaluation: { rateLimits: { perDevicePerMinute: 2, perTicketAttempts: 3 } } });
    try {
      const ids = [await serveTicket(limited), await serveTicket(limited), await serveTicket(limited)];
      await limited.evaluations.submitTicket({ ticketId: ids[0]!, channel: 'kiosk', device: 'kiosk-7', level: '满意' });
      await limited.evaluations.submitTicket({ ticketId: ids[1]!, channel: 'kiosk', device: 'kiosk-7', level: '满意' });
      await expect(limited.evaluations.submitTicket({ ticketId: ids[2]!, channel: 'kiosk', device: 'kiosk-7', level: '满意' })).rejects.toThrow(
        expect.objectContaining({ code: 'EVALUATION_RATE_LIMITED', status: 429 }),
      );
      limited.clock.advanceMinutes(2);
      await limited.evaluations.submitTicket({ ticketId: ids[2]!, channel: 'kiosk', device: 'kiosk-7', level: '满意' });
      // ids[2] has had 2 attempts; the third (a 追加评价) is accepted, the fourth is over the per-ticket limit.
      await limited.evaluations.submitTicket({ ticketId: ids[2]!, channel: 'kiosk', device: 'kiosk-8', level: '满意' });
      await expect(limited.evaluations.submitTicket({ ticketId: ids[2]!, channel: 'kiosk', device: 'kiosk-8', level: '满意' })).rejects.toThrow(
        expect.objectContaining({ code: 'EVALUATION_RATE_LIMITED' }),
      );
    } finally {
      await limited.close();
    }
  });

  it('stores a 回访 phone number only encrypted and decrypts it for the audited contact view', async () => {
    const ticketId = await serveTicket(h);
    const r = await h.evaluations.submitTicket({
      ticketId,
      channel: 'counter-evaluator',
      device,
      level: '非常不满意',
      reasons: ['attitude'],
      phone: '138 0013 8000',
    });
    const dump = JSON.stringify(await h.query.all('SELECT * FROM evaluations'));
    expect(dump).not.toContain('13800138000');
    expect(r.evaluation).toMatchObject({ realName: true, anonymous: false });
    expect(JSON.stringify(r)).not.toContain('13800138000');
    expect(await h.evaluations.contact(r.case!.id, 'admin')).toEqual({ phone: '13800138000', realName: true });
    expect((await h.evaluations.caseDetail(r.case!.id)).actions.map((a) => a.action)).toEqual(['contact-viewed']);
    const another = await serveTicket(h);
    await expect(h.evaluations.submitTicket({ ticketId: another, channel: 'kiosk', device: 'k', level: '满意', phone: '12345' })).rejects.toThrow(
      expect.objectContaining({ code: 'EVALUATION_PHONE_INVALID' }),
    );
  });

  it("records the kiosk's own service evaluations without a ticket", async () => {
    const r = await h.evaluations.submitKiosk({ device: 'kiosk', level: '满意', itemCode: '000000000001', itemName: '参保信息查询' });
    expect(r.evaluation).toMatchObject({ subject: 'kiosk', ticketId: null, itemName: '参保信息查询', channel: 'kiosk' });
  });

  it('keeps an audit trail of screens shown, timed out and submitted', async () => {
    const ticketId = await serveTicket(h);
    await h.evaluations.screen('shown', { device, ticketId, counterNo: 1 });
    await h.evaluations.screen('timeout', { device, ticketId, counterNo: 1 });
    const kinds = await h.query.all<{ kind: string }>('SELECT kind FROM evaluation_screens WHERE ticket_id = ? ORDER BY id', ticketId);
    expect(kinds.map((k) => k.kind)).toEqual(['shown', 'timeout']);
    expect(await h.evaluations.store.forTicket(ticketId)).toHaveLength(0); // a timeout is never a rating
  });
});
