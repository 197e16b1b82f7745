import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSse } from '../helpers/sse.ts';
import { ADMIN, COUNTER, HALL, makeServer, TERMINAL, type TestServer } from '../helpers/server.ts';

// Over real HTTP (the stream is SSE). A caller relayed with X-Forwarded-For is not loopback, which
// stands in for a display screen on another machine of the hall.
let s: TestServer;
let base: string;
beforeAll(async () => {
  s = await makeServer();
  base = await s.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await s?.close();
});

const REMOTE = { 'x-forwarded-for': '10.1.2.3' };
const HALL_TOKEN = HALL.authorization.slice('Bearer '.length);
const IDENTITY = 'identity-hash-of-a-citizen-0000000001';

/** Opens a display stream path and collects `count` events (see collectSse). */
function collect(path: string, headers: Record<string, string>, count: number, onOpen: () => Promise<void> = async () => {}, withoutId = false) {
  return collectSse(`${base}${path}`, headers, count, onOpen, { withoutId });
}

/** Status code of opening the stream (closed at once when it opened). */
function streamStatus(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers }, (res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', reject);
  });
}

const api = async (method: string, path: string, headers: Record<string, string>, body?: object) => {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, unknown>>;
};
const issue = (serviceCode: string, extra: object = {}) => api('POST', '/terminal/tickets', TERMINAL, { serviceCode, ...extra });
const counter = (n: number, action: string) => api('POST', `/counters/${n}/${action}`, COUNTER(n));

describe('display access', () => {
  it('accepts a hall-server token by ?token= or header; refuses a wrong or missing token, also from loopback', async () => {
    expect(await streamStatus('/api/v1/display/stream', REMOTE)).toBe(401);
    expect(await streamStatus('/api/v1/display/stream?token=wrong-token-xxxxxxxx', REMOTE)).toBe(401);
    expect(await streamStatus(`/api/v1/display/stream?token=${HALL_TOKEN}`, REMOTE)).toBe(200);
    expect(await streamStatus('/api/v1/display/stream', { ...REMOTE, ...HALL })).toBe(200);
    expect(await streamStatus('/api/v1/display/stream', { ...REMOTE, ...ADMIN })).toBe(200);
    // Loopback is for the citizen routes only: a display on the kiosk itself needs the token too.
    expect(await streamStatus('/api/v1/display/stream', {})).toBe(401);
    expect(await streamStatus(`/api/v1/display/stream?token=${HALL_TOKEN}`, {})).toBe(200);
    expect((await fetch(`${base}/api/v1/display/status`)).status).toBe(401);
    // A counter's token is not a display's, and a wrong token is refused even from loopback.
    expect(await streamStatus('/api/v1/display/stream', COUNTER(1))).toBe(403);
    expect(await streamStatus('/api/v1/display/stream?token=dev-counter-token-0001', {})).toBe(403); // a valid token of the wrong kind
    expect(await streamStatus('/api/v1/display/stream?token=wrong-token-xxxxxxxx', {})).toBe(401);
  });

  it('serves the snapshot with ?token= and answers 304 to an unchanged ETag', async () => {
    expect((await fetch(`${base}/api/v1/display/status`, { headers: REMOTE })).status).toBe(401);
    expect((await fetch(`${base}/api/v1/display/status?token=nope-nope-nope`, { headers: REMOTE })).status).toBe(401);
    const ok = await fetch(`${base}/api/v1/display/status?token=${HALL_TOKEN}`, { headers: REMOTE });
    expect(ok.status).toBe(200);
    const status = (await ok.json()) as { hall: { name: string }; services: { code: string; waiting: number }[]; recentCalls: unknown[] };
    expect(status.hall.name).toBe('示例县医疗保障服务大厅');
    expect(status.services.map((x) => x.code)).toContain('general');
    const etag = ok.headers.get('etag') as string;
    expect((await fetch(`${base}/api/v1/display/status?token=${HALL_TOKEN}`, { headers: { ...REMOTE, 'if-none-match': etag } })).status).toBe(304);
  });
});

describe('display stream', () => {
  it('delivers a call at a counter with number, counter and waiting counts, and no identity', async () => {
    await counter(1, 'open').catch(() => undefined);
    const events = await collect(`/api/v1/display/stream?token=${HALL_TOKEN}`, REMOTE, 4, async () => {
      await issue('general', { identity: { hash: IDENTITY, birthDate: '1940-05-01' }, requestId: 'display-test-0001' });
      await issue('general');
      await counter(1, 'call-next');
      await counter(1, 'recall');
    });
    expect(events.map((e) => e.type)).toEqual(['queue.waiting', 'queue.waiting', 'ticket.called', 'ticket.recalled']);
    const called = events[2]!;
    expect(Object.keys(called.data).sort()).toEqual([
      'at',
      'counterName',
      'counterNo',
      'displayNo',
      'fresh',
      'recallCount',
      'serviceCode',
      'serviceName',
      'waiting',
    ]);
    expect(called.data).toMatchObject({
      displayNo: expect.stringMatching(/^A\d{3}$/),
      counterNo: 1,
      counterName: '1号窗口（综合）',
      serviceName: '综合业务',
      fresh: true,
      recallCount: 0,
    });
    expect((called.data.waiting as { code: string; waiting: number }[]).find((w) => w.code === 'general')?.waiting).toBe(1);
    expect(events[3]!.data).toMatchObject({ displayNo: called.data.displayNo, counterNo: 1, recallCount: 1 });
    const wire = JSON.stringify(events);
    for (const secret of [IDENTITY, '1940-05-01', 'birthDate', 'elderly', 'ticketId', 'identity', 'priority', 'requestId', 'display-test-0001'])
      expect(wire).not.toContain(secret);

    // Complete it: the counter becomes idle; pausing is a counter state change.
    const after = await collect(`/api/v1/display/stream?token=${HALL_TOKEN}`, REMOTE, 2, async () => {
      await counter(1, 'complete');
      await counter(1, 'pause');
    });
    expect(after.map((e) => e.type)).toEqual(['counter.idle', 'counter.state']);
    expect(after[0]!.data).toMatchObject({ counterNo: 1, displayNo: called.data.displayNo });
    expect(after[1]!.data).toMatchObject({ counterNo: 1, counterName: '1号窗口（综合）', state: 'paused' });
    await counter(1, 'resume');
  });

  it('resumes with Last-Event-ID (and ?lastEventId=) without gaps or duplicates', async () => {
    const live = await collect('/api/v1/display/stream', HALL, 1, async () => {
      await issue('enrol');
    });
    const lastSeen = live[0]!.id;
    // While the display is away: a call and an issue.
    await counter(1, 'call-next');
    await issue('reimburse');
    const resumed = await collect('/api/v1/display/stream', { ...HALL, 'last-event-id': String(lastSeen) }, 3, async () => {
      await counter(1, 'recall');
    });
    expect(resumed.map((e) => e.type)).toEqual(['ticket.called', 'queue.waiting', 'ticket.recalled']);
    expect(resumed.every((e, i) => e.id > (i === 0 ? lastSeen : resumed[i - 1]!.id))).toBe(true);
    expect(resumed[0]!.data.displayNo).toBe(resumed[2]!.data.displayNo);

    const viaQuery = await collect(`/api/v1/display/stream?token=${HALL_TOKEN}&lastEventId=${lastSeen}`, REMOTE, 3);
    expect(viaQuery.map((e) => e.id)).toEqual(resumed.map((e) => e.id));
    await counter(1, 'complete');
  });

  it('marks a call replayed long after it happened as not fresh (shown, not announced)', async () => {
    const live = await collect('/api/v1/display/stream', HALL, 1, async () => {
      await issue('general');
    });
    await counter(1, 'call-next');
    s.clock.advanceMinutes(5);
    const [replayed] = await collect('/api/v1/display/stream', { ...HALL, 'last-event-id': String(live[0]!.id) }, 1);
    expect(replayed).toMatchObject({ type: 'ticket.called', data: { counterNo: 1, fresh: false } });
    await counter(1, 'complete');
  });

  it("greets with the daemon's clock before any event (no id, so Last-Event-ID does not move)", async () => {
    const [hello] = await collect('/api/v1/display/stream', HALL, 1, async () => {}, true);
    expect(hello).toMatchObject({ type: 'hello', data: { at: s.clock() } });
    expect(Number.isNaN(hello!.id)).toBe(true);
  });

  it('announces a new business day', async () => {
    const events = await collect('/api/v1/display/stream', HALL, 1, async () => {
      s.clock.set('2026-11-24T08:00:00');
      await api('GET', '/display/status', HALL); // the snapshot rolls the day over
    });
    expect(events[0]).toMatchObject({ type: 'day.opened', data: { day: '2026-11-24' } });
  });
});
