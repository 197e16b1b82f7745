import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvalServer, type EvalServer } from '../kiosk/evaluations/setup.ts';
import { ADMIN, COUNTER, HALL, TERMINAL } from '../helpers/server.ts';
import { SAMPLE_CARDS } from '../../drivers/idcard/index.ts';
import { identityHash } from '../../kiosk/identity/privacy.ts';
import { signTicketCode } from '../../kiosk/scan/index.ts';

let s: EvalServer;
beforeEach(async () => {
  s = await makeEvalServer();
});
afterEach(async () => {
  await s.close();
});

const post = (url: string, payload: object, headers: Record<string, string> = {}, remoteAddress?: string) =>
  s.app.inject({ method: 'POST', url, payload, headers, ...(remoteAddress ? { remoteAddress } : {}) });
const get = (url: string, headers: Record<string, string> = {}, remoteAddress?: string) =>
  s.app.inject({ method: 'GET', url, headers, ...(remoteAddress ? { remoteAddress } : {}) });

/** Issue and complete a ticket at counter `n` through the API; returns the ticket. */
async function complete(n = 1, identity?: string) {
  await post(`/api/v1/counters/${n}/open`, {}, COUNTER(n));
  const t = (await post('/api/v1/terminal/tickets', { serviceCode: 'general', ...(identity ? { identity: { hash: identity } } : {}) }, TERMINAL)).json().ticket;
  await post(`/api/v1/counters/${n}/call-next`, {}, COUNTER(n));
  const done = await post(`/api/v1/counters/${n}/complete`, {}, COUNTER(n));
  expect(done.json().ticket.id).toBe(t.id);
  return t as { id: number; displayNo: string };
}

describe('counter evaluator API', () => {
  it('shows the counter, the signed-in staff member and the form to its own token only', async () => {
    expect((await get('/api/v1/evaluator/session', {}, '10.0.0.9')).statusCode).toBe(401);
    expect((await post('/api/v1/evaluator/staff', { staffId: 'S007', staffName: '王五' }, COUNTER(2))).json().staff).toMatchObject({
      staffId: 'S007',
      staffName: '王五',
    });
    const res = await get('/api/v1/evaluator/session', COUNTER(2));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      counter: { number: 2, name: '2号窗口（综合）' },
      staff: { staffId: 'S007', staffName: '王五' },
      form: { levels: ['非常满意', '满意', '基本满意', '不满意', '非常不满意'], timeoutSeconds: 60, reasons: { version: 'seed004-2020.1' } },
    });
    expect((await post('/api/v1/evaluator/staff', { staffId: 'S404' }, COUNTER(2))).json().error.code).toBe('STAFF_UNKNOWN');
  });

  it('refuses a 差评 without a reason, accepts it with one and opens a case with its deadline', async () => {
    await post('/api/v1/evaluator/staff', { staffId: 'S001', staffName: '张三' }, COUNTER(1));
    const t = await complete(1, 'identity-hash-of-citizen-api-01');
    const refused = await post('/api/v1/evaluator/evaluations', { ticketId: t.id, level: '不满意' }, COUNTER(1));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'EVALUATION_REASON_REQUIRED', message: '差评请至少选择一项原因' });
    const ok = await post('/api/v1/evaluator/evaluations', { ticketId: t.id, level: '不满意', reasons: ['waiting'], phone: '13700137000' }, COUNTER(1));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      evaluation: { ticketId: t.id, displayNo: t.displayNo, channel: 'counter-evaluator', staffName: '张三', bad: true, realName: true },
      case: { status: 'pending-contact', contactDue: '2026-11-24', rectifyDue: '2026-11-30' },
    });
    expect(ok.body).not.toContain('13700137000');
    expect(ok.body).not.toContain('identity-hash-of-citizen-api-01');
    const other = await post('/api/v1/evaluator/evaluations', { ticketId: t.id, level: '满意' }, COUNTER(2));
    expect(other.json().error.code).toBe('EVALUATION_NOT_THIS_COUNTER');
  });

  it('streams ticket.done of its own counter only, with the token in the header (never ?token=)', async () => {
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const address = s.app.server.address() as { port: number };
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${address.port}/api/v1/evaluator/stream`, { headers: COUNTER(1), signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil('event: hello');
    await complete(2); // another counter: not sent
    const t = await complete(1);
    await readUntil('event: ticket.done');
    controller.abort();
    const data = JSON.parse(/event: ticket\.done\ndata: (.*)\n/.exec(text)![1]!);
    expect(data).toMatchObject({ ticketId: t.id, displayNo: t.displayNo, serviceName: '综合业务' });
    expect(text.match(/event: ticket\.done/g)).toHaveLength(1);
    const bad = await get('/api/v1/evaluator/stream', { authorization: 'Bearer wrong-token-000000' }, '10.0.0.7');
    expect(bad.statusCode).toBe(401);
    // A counter token in the query string is not a credential outside /display/*.
    expect((await get('/api/v1/evaluator/stream?token=dev-counter-token-0001', {}, '10.0.0.7')).statusCode).toBe(401);
  });

  it('records screens shown and timed out without a rating', async () => {
    const t = await complete(1);
    expect((await post('/api/v1/evaluator/screens', { ticketId: t.id, kind: 'shown' }, COUNTER(1))).statusCode).toBe(200);
    expect((await post('/api/v1/evaluator/screens', { ticketId: t.id, kind: 'timeout' }, COUNTER(1))).statusCode).toBe(200);
    expect(await s.evaluations.store.forTicket(t.id)).toHaveLength(0);
    expect((await post('/api/v1/evaluator/screens', { ticketId: t.id, kind: 'submitted' }, COUNTER(1))).statusCode).toBe(400);
  });
});

describe('kiosk evaluation API', () => {
  it('is loopback-only', async () => {
    expect((await get('/api/v1/kiosk/evaluations/form', {}, '10.1.1.1')).statusCode).toBe(401);
    expect((await get('/api/v1/kiosk/evaluations/form', HALL)).statusCode).toBe(403);
    expect((await get('/api/v1/kiosk/evaluations/form')).statusCode).toBe(200);
  });

  const codeOf = (t: { id: number; displayNo: string }) =>
    signTicketCode(
      { hallCode: s.kiosk.config.hall.code, day: s.kiosk.engine!.day, ticketNo: t.displayNo, ticketId: String(t.id) },
      s.kiosk.config.privacy.hmacKey,
    );
  const refused = (res: { statusCode: number; json(): { error: { code: string } } }) => {
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('EVALUATION_PROOF_REQUIRED');
  };

  it("a typed number alone cannot evaluate: the ticket's signed QR code proves it, then one 追加评价", async () => {
    const t = await complete(1);
    refused(await post('/api/v1/kiosk/evaluations/lookup', { displayNo: t.displayNo.toLowerCase() }));
    // The old way in: id and number as a scan would have sent them, without the code.
    refused(await post('/api/v1/kiosk/evaluations', { ticketId: t.id, displayNo: t.displayNo, level: '非常不满意', reasons: ['waiting'] }));
    refused(await post('/api/v1/kiosk/evaluations', { displayNo: t.displayNo, level: '满意' }));
    // A forged code, or the code of another ticket, proves nothing.
    const code = codeOf(t);
    refused(await post('/api/v1/kiosk/evaluations', { code: `${code.slice(0, -4)}AAAA`, level: '满意' }));
    const lookup = await post('/api/v1/kiosk/evaluations/lookup', { code });
    expect(lookup.json()).toMatchObject({ ticket: { id: t.id, status: 'done' }, canEvaluate: true, appendOnly: false });
    const first = await post('/api/v1/kiosk/evaluations', { code, level: '满意' });
    expect(first.json().evaluation).toMatchObject({ ticketId: t.id, channel: 'ticket-qr', seq: 1 });
    const again = await post('/api/v1/kiosk/evaluations', { code, level: '非常满意' });
    expect(again.json().evaluation).toMatchObject({ channel: 'ticket-qr', seq: 2 });
    expect((await post('/api/v1/kiosk/evaluations/lookup', { code })).json()).toMatchObject({ canEvaluate: false });
    expect((await post('/api/v1/kiosk/evaluations', { code, level: '满意' })).statusCode).toBe(409);
  });

  it('the ID card that took the ticket proves it with the typed number; another card or none does not', async () => {
    const hash = identityHash(SAMPLE_CARDS.adult.idNumber, s.kiosk.config.privacy.hmacKey);
    const t = await complete(1, hash);
    refused(await post('/api/v1/kiosk/evaluations', { displayNo: t.displayNo, level: '满意' }));
    expect(s.kiosk.session.acceptCard(SAMPLE_CARDS.elder)).toBe(true);
    const wrong = await post('/api/v1/kiosk/evaluations', { displayNo: t.displayNo, level: '满意' });
    refused(wrong);
    expect(wrong.json().error.message).toMatch(/身份证不是取这张号票时使用的/);
    expect(s.kiosk.session.acceptCard(SAMPLE_CARDS.adult)).toBe(true);
    expect((await post('/api/v1/kiosk/evaluations/lookup', { displayNo: t.displayNo })).json()).toMatchObject({ ticket: { id: t.id }, canEvaluate: true });
    const ok = await post('/api/v1/kiosk/evaluations', { displayNo: t.displayNo, level: '满意' });
    expect(ok.json().evaluation).toMatchObject({ ticketId: t.id, channel: 'kiosk' });
    expect(ok.body).not.toContain(hash);
    s.kiosk.session.clear();
  });

  it('limits a kiosk visit to a few ticket evaluations; the next visit (another card) starts again', async () => {
    const tickets = [];
    for (let i = 0; i < 4; i++) tickets.push(await complete(1));
    for (const t of tickets.slice(0, 3)) expect((await post('/api/v1/kiosk/evaluations', { code: codeOf(t), level: '满意' })).statusCode).toBe(200);
    const fourth = await post('/api/v1/kiosk/evaluations', { code: codeOf(tickets[3]!), level: '满意' });
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error).toMatchObject({ code: 'EVALUATION_RATE_LIMITED', details: { limitPerSession: 3 } });
    s.kiosk.session.acceptCard(SAMPLE_CARDS.adult); // a new visit
    expect((await post('/api/v1/kiosk/evaluations', { code: codeOf(tickets[3]!), level: '满意' })).statusCode).toBe(200);
    s.kiosk.session.clear();
  });

  it("records a short evaluation of the kiosk's own service", async () => {
    const res = await post('/api/v1/kiosk/evaluations/self-service', {
      itemCode: 'query',
      itemName: '参保信息查询',
      level: '基本满意',
      reasons: ['interface'],
    });
    expect(res.json().evaluation).toMatchObject({ subject: 'kiosk', ticketId: null, itemName: '参保信息查询' });
  });
});

describe('差评 cases, statistics and calendar API', () => {
  async function badCase() {
    const t = await complete(1, 'identity-hash-of-citizen-api-02');
    return (
      await post('/api/v1/evaluator/evaluations', { ticketId: t.id, level: '非常不满意', reasons: ['attitude'], phone: '13600136000' }, COUNTER(1))
    ).json().case;
  }

  it('runs a case through visit, verify, rectify, feedback and close; contact is admin-only', async () => {
    const c = await badCase();
    expect((await get('/api/v1/evaluations/cases', HALL)).json().cases).toHaveLength(1);
    const act = (action: string, body: object) => post(`/api/v1/evaluations/cases/${c.id}/${action}`, { actor: 'S001', ...body }, HALL);
    expect((await act('rectify', { note: 'x' })).statusCode).toBe(409);
    expect((await get(`/api/v1/evaluations/cases/${c.id}/contact?actor=S001`, HALL)).statusCode).toBe(403);
    const contact = await get(`/api/v1/evaluations/cases/${c.id}/contact?actor=S001`, ADMIN);
    expect(contact.json()).toEqual({ phone: '13600136000', realName: true });
    expect((await act('visit', { method: 'phone', reached: true })).json().case.status).toBe('verifying');
    expect((await act('verify', { substantiated: true })).json().case.status).toBe('rectifying');
    expect((await act('rectify', { note: '调整窗口排班' })).json().case.status).toBe('feedback-pending');
    expect((await act('feedback', { method: 'phone' })).json().case.status).toBe('fed-back');
    expect((await act('close', {})).json().case).toMatchObject({ status: 'closed', statusName: '已办结' });
    const detail = (await get(`/api/v1/evaluations/cases/${c.id}`, HALL)).json();
    expect(detail.actions.map((a: { action: string }) => a.action)).toEqual(['contact-viewed', 'visit', 'verify', 'rectify', 'feedback', 'close']);
    expect(JSON.stringify(detail)).not.toContain('13600136000');
  });

  it('lists overdue cases', async () => {
    const c = await badCase();
    s.clock.set('2026-11-25T09:00:00');
    const res = (await get('/api/v1/evaluations/cases/overdue', HALL)).json();
    expect(res.cases.map((x: { id: number; overdue: string[] }) => [x.id, x.overdue])).toEqual([[c.id, ['contact']]]);
  });

  it('serves statistics as JSON, CSV and a public view without personal data', async () => {
    await post('/api/v1/evaluator/staff', { staffId: 'S001', staffName: '张三' }, COUNTER(1));
    await badCase();
    const t = await complete(1);
    await post('/api/v1/evaluator/evaluations', { ticketId: t.id, level: '基本满意', text: '希望提供更多座椅' }, COUNTER(1));
    const stats = (await get('/api/v1/evaluations/stats?period=2026-11&by=staff', HALL)).json();
    expect(stats.rows).toEqual([expect.objectContaining({ key: 'S001', label: '张三', evaluations: 2, bad: 1, score: 13.5, activeRate: 1 })]);
    const csv = await get('/api/v1/evaluations/stats.csv?period=2026-11-23', HALL);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('1号窗口（综合）');
    expect((await get('/api/v1/evaluations/public?period=2026-11')).statusCode).toBe(401); // loopback is for citizen routes only
    const pub = await get('/api/v1/evaluations/public?period=2026-11', HALL);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().rows[0]).toMatchObject({ label: '1号窗口（综合）', evaluations: 2, badCases: 1 });
    expect(pub.body).not.toContain('张三');
    expect(pub.body).not.toContain('座椅');
    expect(pub.body).not.toContain('score');
    const exported = await get('/api/v1/evaluations/export.csv?from=2026-11-23&to=2026-11-23&codes=gbt39046', ADMIN);
    expect(exported.body).toContain('非常不满意,5');
    expect(exported.body).not.toContain('13600136000');
  });

  it('refuses to compute deadlines past the covered year and accepts admin edits', async () => {
    const refused = await get('/api/v1/admin/calendar/working-days?from=2026-12-30&days=5', ADMIN);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'CALENDAR_NOT_COVERED', details: { lastCoveredYear: 2026, requestedYear: 2027 } });
    expect(refused.json().error.message).toContain('2027');
    expect(
      (
        await s.app.inject({
          method: 'PUT',
          url: '/api/v1/admin/calendar/days/2027-01-01',
          headers: ADMIN,
          payload: { kind: 'holiday', name: '元旦', reason: '录入元旦' },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await s.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/coverage', headers: HALL, payload: { firstYear: 2004, lastYear: 2027 } })).statusCode,
    ).toBe(403);
    expect(
      (await s.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/coverage', headers: ADMIN, payload: { firstYear: 2004, lastYear: 2027 } })).statusCode,
    ).toBe(200);
    const ok = await get('/api/v1/admin/calendar/working-days?from=2026-12-30&days=2', ADMIN);
    expect(ok.json().date).toBe('2027-01-04');
    const cal = (await get('/api/v1/admin/calendar?year=2026', ADMIN)).json();
    expect(cal.days.some((d: { date: string; kind: string }) => d.date === '2026-10-10' && d.kind === 'adjusted-workday')).toBe(true);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await get('/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/evaluator/stream', '/api/v1/kiosk/evaluations', '/api/v1/evaluations/cases/{id}/{action}', '/api/v1/evaluations/stats']),
    );
  });
});
