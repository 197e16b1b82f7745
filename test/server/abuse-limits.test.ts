import { afterEach, describe, expect, it } from 'vitest';
import { alertsFor } from '../../kiosk/alerts/index.ts';
import { COUNTER, makeServer, type TestServer } from '../helpers/server.ts';

/**
 * Issue 10 item 11: abuse limits at the kiosk (kiosk/session/abuse-limits.ts) through the real
 * routes, on the app's fake clock (windows move by setting time, nothing sleeps). Defaults:
 * 12 printed tickets per minute per kiosk and 4 per visit; 3 declared 绿色通道 per 10 minutes per
 * kiosk and 1 per visit; 呼叫工作人员 again within 60 s joins the open request.
 */
let s: TestServer;
afterEach(async () => {
  await s?.close();
});

let req = 0;
const take = (body: object = {}) =>
  s.app.inject({
    method: 'POST',
    url: '/api/v1/kiosk/tickets',
    payload: { serviceCode: 'general', useIdentity: false, requestId: `abuse-${++req}-abcdefgh`, ...body },
  });
const home = () => s.app.inject({ method: 'DELETE', url: '/api/v1/kiosk/session' });
const assist = (screen = 'take') => s.app.inject({ method: 'POST', url: '/api/v1/kiosk/assistance', payload: { screen } });
const advanceSeconds = (sec: number) => s.clock.advanceMinutes(sec / 60);

describe('printed tickets per kiosk and per visit', () => {
  it('prints at most 12 tickets a minute from one kiosk (429 KIOSK_TICKET_LIMIT in Chinese), and again once the window moves', async () => {
    s = await makeServer();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      if (i % 4 === 0) await home(); // a new "visit" every four tickets: only the kiosk limit applies
      statuses.push((await take()).statusCode);
    }
    expect(statuses.filter((c) => c === 200)).toHaveLength(12);
    expect(statuses.slice(12).every((c) => c === 429)).toBe(true);
    const refused = await take();
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({
      code: 'KIOSK_TICKET_LIMIT',
      message: '本机出票过于频繁，请稍后再取号；如需帮助请联系工作人员',
      details: { scope: 'kiosk', limit: 12 },
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const waiting = (await s.kiosk.queue.status()).services.find((x) => x.code === 'general')!.waiting;
    expect(waiting).toBe(12); // a refused request issues nothing

    advanceSeconds(61);
    await home();
    expect((await take()).statusCode).toBe(200);
  });

  it('100 requests in flight together still print only 12 (slots are reserved before the queue is awaited)', async () => {
    s = await makeServer({ kioskLimits: { printedTickets: { perSession: 1000 } } });
    const replies = await Promise.all(Array.from({ length: 100 }, () => take()));
    expect(replies.filter((r) => r.statusCode === 200)).toHaveLength(12);
    expect(replies.filter((r) => r.statusCode === 429)).toHaveLength(88);
  });

  it('one visit prints at most 4 tickets; going home starts a new visit', async () => {
    s = await makeServer();
    for (let i = 0; i < 4; i++) expect((await take()).statusCode).toBe(200);
    const fifth = await take();
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error).toMatchObject({ code: 'KIOSK_TICKET_LIMIT', details: { scope: 'session' } });
    expect(fifth.json().error.message).toMatch(/您本次已取过多张号票/);
    await home();
    expect((await take()).statusCode).toBe(200);
  });

  it('a retried request (same requestId) prints nothing and uses no slot; 补打 counts as a printed ticket', async () => {
    s = await makeServer();
    const first = await take({ requestId: 'abuse-retry-same-0001' });
    expect(first.statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await take({ requestId: 'abuse-retry-same-0001' })).statusCode).toBe(200);
    const id = first.json().ticket.id as number;
    for (let i = 0; i < 3; i++) expect((await s.app.inject({ method: 'POST', url: `/api/v1/kiosk/tickets/${id}/reprint` })).statusCode).toBe(200);
    const over = await s.app.inject({ method: 'POST', url: `/api/v1/kiosk/tickets/${id}/reprint` });
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('KIOSK_TICKET_LIMIT');
  });
});

describe('declared 绿色通道 (残疾人 / 孕妇 / 人才)', () => {
  it('gives priority to at most 3 declarations per 10 minutes per kiosk and 1 per visit; normal tickets go on', async () => {
    s = await makeServer();
    const declared = async () => {
      await home();
      return take({ priorityReason: 'disabled' });
    };
    for (let i = 0; i < 3; i++) {
      const r = await declared();
      expect(r.statusCode).toBe(200);
      expect(r.json().ticket).toMatchObject({ priority: true, priorityBasis: 'declared' });
    }
    const fourth = await declared();
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error).toMatchObject({
      code: 'KIOSK_PRIORITY_LIMIT',
      message: '本机自行声明绿色通道的次数已达上限，请取普通号，或到窗口出示相关证明',
      details: { scope: 'kiosk', limit: 3, windowSeconds: 600 },
    });
    expect((await take()).json().ticket).toMatchObject({ priority: false }); // a normal ticket still comes out

    s.clock.advanceMinutes(10);
    await home();
    expect((await take({ priorityReason: 'pregnant' })).statusCode).toBe(200);
    const again = await take({ priorityReason: 'talent' });
    expect(again.statusCode).toBe(429);
    expect(again.json().error).toMatchObject({ code: 'KIOSK_PRIORITY_LIMIT', details: { scope: 'session' } });
  });

  it('a reason the service does not honour (or "elderly", card only) is no declaration and is not limited', async () => {
    s = await makeServer({ kioskLimits: { printedTickets: { perKiosk: 1000, perSession: 1000 } } });
    for (let i = 0; i < 6; i++) {
      const r = await take({ priorityReason: 'elderly' });
      expect(r.statusCode).toBe(200);
      expect(r.json().ticket.priority).toBe(false);
    }
  });

  it('the clerk is told a declared reason is not verified (the workstation shows it as 待窗口核验, test/ui/counter-flow.test.ts)', async () => {
    s = await makeServer();
    await take({ priorityReason: 'disabled' });
    const ws = (await s.app.inject({ url: '/api/v1/counters/1/workstation', headers: COUNTER(1) })).json();
    expect(ws.waiting.tickets[0].badges).toEqual([{ kind: 'priority', reason: 'disabled', verified: false }]);
  });
});

describe('呼叫工作人员', () => {
  it('100 presses within a second raise one alert; asking again within 60 s joins it, later while still open counts on it', async () => {
    s = await makeServer();
    const replies = [];
    for (let i = 0; i < 100; i++) replies.push((await assist()).json());
    expect(replies[0]).toEqual({ ok: true, message: '已通知工作人员，请稍候', joined: false });
    expect(replies.slice(1).every((r) => r.ok && r.joined)).toBe(true);
    await new Promise((r) => setImmediate(r)); // the alert is raised in a microtask after the event committed
    const alerts = () => s.app.inject({ url: '/api/v1/alerts?open=true', headers: COUNTER(1) }).then((r) => r.json().alerts);
    expect(await alerts()).toHaveLength(1);
    const events = await s.query.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE type = 'assistance.requested'");
    expect(events!.n).toBe(1);
    // The alert is the hall's (any daemon's workstation acknowledges it): in the hall's store.
    expect(await s.query.all('SELECT kind, acked_at FROM staff_alerts')).toEqual([{ kind: 'assistance', acked_at: null }]);

    advanceSeconds(61);
    expect((await assist('guides')).json().joined).toBe(false);
    await new Promise((r) => setImmediate(r));
    const open = await alerts();
    expect(open).toHaveLength(1); // still the one open alert of this kiosk
    expect(open[0]).toMatchObject({ kind: 'assistance', message: '自助终端请求协助（办事指南，已呼叫 2 次）', details: { requests: 2 } });

    await alertsFor(s.kiosk)!.acknowledge(open[0].id, { counterNo: 1, staffId: null, staffName: null });
    advanceSeconds(61);
    await assist();
    await new Promise((r) => setImmediate(r));
    const next = await alerts();
    expect(next).toHaveLength(1);
    expect(next[0].id).not.toBe(open[0].id); // after the acknowledgment, a new request is a new alert
  });
});
