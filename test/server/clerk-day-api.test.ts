import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, COUNTER, HALL, makeServer, TERMINAL, type TestServer } from '../helpers/server.ts';

/**
 * A clerk's day driven only through the HTTP API, as a bridge for an RS-485 caller keypad and an
 * LED window strip would drive it (see the bridge table in the workstation notes): sign in, open,
 * call, recall, start, complete, no-show and requeue, suspend and resume, transfer, pause and
 * resume, 延时服务, a retried key press, an assistance request acknowledged, the day's figures.
 */
let s: TestServer;
const PIN_KEY = 'dev-hmac-key-for-tests-only-0001';
beforeAll(async () => {
  s = await makeServer({
    privacy: { hmacKey: PIN_KEY },
    evaluation: {
      staff: [
        { id: 'S001', name: '张三', pinHash: createHmac('sha256', PIN_KEY).update('1234').digest('hex') },
        { id: 'S002', name: '李四' },
      ],
    },
  });
});
afterAll(async () => {
  await s?.close();
});

let keyNo = 0;
/** One key press of the bridge: a fresh Idempotency-Key unless a retry reuses one. */
async function press(n: number, action: string, body?: object, key = `bridge-${n}-${++keyNo}-${action}`) {
  const res = await s.app.inject({
    method: 'POST',
    url: `/api/v1/counters/${n}/${action}`,
    headers: { ...COUNTER(n), 'idempotency-key': key },
    ...(body ? { payload: body } : {}),
  });
  return { status: res.statusCode, body: res.json(), replayed: res.headers['idempotent-replayed'] === 'true', key };
}
const issue = async (serviceCode = 'general') =>
  (await s.app.inject({ method: 'POST', url: '/api/v1/terminal/tickets', headers: TERMINAL, payload: { serviceCode } })).json().ticket as {
    id: number;
    displayNo: string;
  };
const snapshot = async (n: number) => (await s.app.inject({ url: `/api/v1/counters/${n}/workstation`, headers: COUNTER(n) })).json();

describe('a clerk day through the API only', () => {
  it('signs in with the PIN (wrong PIN refused), shared with the evaluator', async () => {
    const wrong = await s.app.inject({ method: 'POST', url: '/api/v1/counters/1/sign-in', headers: COUNTER(1), payload: { staffId: 'S001', pin: '9999' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('STAFF_PIN_WRONG');
    const ok = await s.app.inject({ method: 'POST', url: '/api/v1/counters/1/sign-in', headers: COUNTER(1), payload: { staffId: 'S001', pin: '1234' } });
    expect(ok.statusCode).toBe(200);
    const evaluator = (await s.app.inject({ url: '/api/v1/evaluator/session', headers: COUNTER(1) })).json();
    expect(evaluator.staff.staffName).toBe('张三');
    const unknown = await s.app.inject({
      method: 'POST',
      url: '/api/v1/counters/2/sign-in',
      headers: COUNTER(2),
      payload: { staffId: 'S999', staffName: '某人' },
    });
    expect(unknown.statusCode).toBe(403);
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/counters/2/sign-in', headers: COUNTER(2), payload: { staffId: 'S002' } })).statusCode).toBe(200);
  });

  it('runs every key of the caller once, and a retried key press acts once', async () => {
    const t = [await issue(), await issue(), await issue(), await issue('enrol')];
    expect((await press(1, 'open')).body.state).toBe('open');
    expect((await press(2, 'open')).body.state).toBe('open');

    const call = await press(1, 'call-next');
    expect(call.body.ticket.displayNo).toBe(t[0]!.displayNo);
    // The bridge lost the reply and sends the same key again: same ticket, nothing called twice.
    const again = await press(1, 'call-next', undefined, call.key);
    expect(again.replayed).toBe(true);
    expect(again.body.ticket.displayNo).toBe(t[0]!.displayNo);

    const r1 = await press(1, 'recall');
    const r1again = await press(1, 'recall', undefined, r1.key);
    expect(r1again.body.ticket.recallCount).toBe(1);
    expect((await snapshot(1)).current.recallCount).toBe(1);
    // A key reused for another action is refused.
    expect((await press(1, 'start', undefined, r1.key)).status).toBe(409);

    expect((await press(1, 'start')).body.ticket.status).toBe('serving');
    const done = await press(1, 'complete');
    expect(done.body.ticket.status).toBe('done');
    // A refusal is stored too: the retry of a 办结 on an idle counter gets the same 409.
    const refused = await press(1, 'complete');
    expect(refused.status).toBe(409);
    const refusedAgain = await press(1, 'complete', undefined, refused.key);
    expect(refusedAgain).toMatchObject({ status: 409, replayed: true });

    // 过号 at counter 2, then 过号重排 and a second 过号.
    expect((await press(2, 'call-next')).body.ticket.displayNo).toBe(t[1]!.displayNo);
    await press(2, 'no-show');
    s.clock.advanceMinutes(1); // 过号重排 puts it at the back of the line
    const requeue = await s.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${t[1]!.id}/requeue`,
      headers: { ...COUNTER(2), 'idempotency-key': 'bridge-requeue-0001' },
    });
    expect(requeue.statusCode).toBe(200);
    const requeueAgain = await s.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${t[1]!.id}/requeue`,
      headers: { ...COUNTER(2), 'idempotency-key': 'bridge-requeue-0001' },
    });
    expect(requeueAgain.json().ticket.requeueCount).toBe(1);

    // 挂起 and 恢复 at counter 1.
    expect((await press(1, 'call-next')).body.ticket.displayNo).toBe(t[2]!.displayNo);
    await press(1, 'suspend');
    const ws = await snapshot(1);
    expect(ws.suspended.map((x: { displayNo: string }) => x.displayNo)).toEqual([t[2]!.displayNo]);
    expect((await s.app.inject({ method: 'POST', url: `/api/v1/tickets/${t[2]!.id}/resume`, headers: COUNTER(1) })).statusCode).toBe(200);
    expect((await press(1, 'call-next')).body.ticket.displayNo).toBe(t[2]!.displayNo);
    await press(1, 'complete');

    // 转移 to 3号窗口 (报销): the snapshot lists what each target serves and how many wait.
    const targets = (await snapshot(2)).targets;
    expect(targets.counters.find((c: { number: number }) => c.number === 3).services.map((x: { name: string }) => x.name)).toEqual([
      '医疗费用报销',
      '综合业务',
    ]);
    expect((await press(2, 'call-next')).body.ticket.displayNo).toBe(t[3]!.displayNo);
    const moved = await press(2, 'transfer', { counterNo: 3, serviceCode: 'reimburse' });
    expect(moved.body.ticket).toMatchObject({ status: 'waiting', assignedCounter: 3, serviceCode: 'reimburse' });
    expect((await press(2, 'call-next')).body.ticket.displayNo).toBe(t[1]!.displayNo);
    await press(2, 'no-show');

    // 暂停 / 恢复服务 and 延时服务.
    expect((await press(2, 'pause')).body.state).toBe('paused');
    expect((await press(2, 'resume')).body.state).toBe('open');
    const ext = await s.app.inject({ method: 'POST', url: '/api/v1/counters/2/extended', headers: COUNTER(2), payload: { on: true } });
    expect(ext.json()).toEqual({ counterNo: 2, extended: true });
    expect((await snapshot(2)).counter.extended).toBe(true);

    // The day's figures from the events: two no-shows of one ticket at counter 2.
    const today = (await snapshot(2)).today;
    expect(today).toMatchObject({ called: 3, noShow: 2, transferredOut: 1 });
    const c1 = (await snapshot(1)).today;
    expect(c1).toMatchObject({ called: 3, recalled: 1, suspended: 1, completed: 2 });
    // The evaluator's verdict on the last ticket shows on the workstation with the ticket's number.
    const rated = await s.app.inject({
      method: 'POST',
      url: '/api/v1/evaluator/evaluations',
      headers: COUNTER(1),
      payload: { ticketId: t[2]!.id, level: '满意' },
    });
    expect(rated.statusCode).toBe(200);
    expect((await snapshot(1)).lastEvaluation).toMatchObject({ ticketId: t[2]!.id, displayNo: t[2]!.displayNo, level: '满意', bad: false });
    // The day's figures from the tickets' final states.
    const day = (await s.app.inject({ url: '/api/v1/stats/day', headers: HALL })).json();
    expect(day.services.find((x: { serviceCode: string }) => x.serviceCode === 'general')).toMatchObject({ issued: 3, done: 2, noShow: 1, cancelled: 0 });
    expect(day.counters).toEqual([
      { counterNo: 1, done: 2, noShow: 0, averageServiceMinutes: expect.any(Number) },
      { counterNo: 2, done: 0, noShow: 1, averageServiceMinutes: null },
    ]);

    const report = await s.app.inject({ url: `/api/v1/reports/queue.csv?period=${s.kiosk.engine!.day.slice(0, 7)}`, headers: ADMIN });
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('窗口,2,2号窗口（综合）,3,0,2,0,1,0,0');
    expect((await s.app.inject({ url: '/api/v1/reports/queue', headers: COUNTER(1) })).statusCode).toBe(403);
  });

  it('an assistance request reaches every counter and is acknowledged once, with who acknowledged', async () => {
    const kioskEvents: unknown[] = [];
    s.kiosk.events.on('assistance', (a) => kioskEvents.push(a));
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/kiosk/assistance', payload: { screen: 'take' } })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 20)); // the alert is raised right after the event committed
    const at1 = (await s.app.inject({ url: '/api/v1/alerts?open=true', headers: COUNTER(1) })).json().alerts;
    const at2 = (await s.app.inject({ url: '/api/v1/alerts?open=true', headers: COUNTER(2) })).json().alerts;
    expect(at1).toHaveLength(1);
    expect(at1[0]).toMatchObject({ kind: 'assistance', counterNo: null, message: '自助终端请求协助（取号）', acknowledged: null });
    expect(at2.map((a: { id: number }) => a.id)).toEqual([at1[0].id]);
    const ack = await s.app.inject({ method: 'POST', url: `/api/v1/alerts/${at1[0].id}/acknowledge`, headers: COUNTER(1) });
    expect(ack.json().alert.acknowledged).toMatchObject({ counterNo: 1, staffId: 'S001', staffName: '张三' });
    const second = await s.app.inject({ method: 'POST', url: `/api/v1/alerts/${at1[0].id}/acknowledge`, headers: COUNTER(2) });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.details.acknowledged.staffName).toBe('张三');
    expect((await s.app.inject({ url: '/api/v1/alerts?open=true', headers: COUNTER(2) })).json().alerts).toHaveLength(0);
    expect(kioskEvents).toEqual([{ state: 'acknowledged', alertId: at1[0].id, at: expect.any(Number) }]);
    const all = (await s.app.inject({ url: '/api/v1/alerts', headers: HALL })).json().alerts;
    expect(all[0].acknowledged.staffName).toBe('张三');
  });

  it('a device fault and a failed print job become hall alerts', async () => {
    await s.kiosk.engine!.recordEvent('device.status', { device: 'printer', state: 'fault', code: 'paper-out', message: '打印机缺纸' });
    await s.kiosk.engine!.recordEvent('device.status', { device: 'printer', state: 'fault', code: 'paper-out', message: '打印机缺纸' });
    await s.kiosk.engine!.recordEvent('device.status', { device: 'printer', state: 'ready', warnings: [{ code: 'paper-near-end', message: '纸将用尽' }] });
    const now = s.clock();
    s.kiosk.db
      .prepare(
        "INSERT INTO print_jobs (ticket_id, kind, state, document, error_code, error_message, created_at, updated_at) VALUES (NULL, 'notice', 'failed', '{}', 'offline', '打印机离线', ?, ?)",
      )
      .run(now, now);
    await s.kiosk.engine!.recordEvent('ticket.print', { printState: 'failed' });
    await new Promise((r) => setTimeout(r, 20));
    const open = (await s.app.inject({ url: '/api/v1/alerts?open=true', headers: ADMIN })).json().alerts as { kind: string; message: string }[];
    expect(open.map((a) => a.kind).sort()).toEqual(['device-fault', 'paper-low', 'print-failed']); // one fault alert while it is open
    expect(open.find((a) => a.kind === 'print-failed')!.message).toBe('一次性告知单打印失败：打印机离线');
  });
});
