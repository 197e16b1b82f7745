import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, breakStore, COUNTER, HALL, makeServer, TERMINAL, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeEach(async () => {
  s = await makeServer();
});
afterEach(async () => {
  await s.close();
});

const issue = (body: object, headers: Record<string, string> = TERMINAL) =>
  s.app.inject({ method: 'POST', url: '/api/v1/terminal/tickets', headers, payload: body });
const counter = (n: number, action: string, payload?: object) =>
  s.app.inject({ method: 'POST', url: `/api/v1/counters/${n}/${action}`, headers: COUNTER(n), ...(payload ? { payload } : {}) });

describe('authentication', () => {
  it('requires a token for the hall-server routes and refuses remote anonymous callers', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/queue/status', remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(401);
    const bad = await s.app.inject({
      method: 'GET',
      url: '/api/v1/queue/status',
      remoteAddress: '10.1.2.3',
      headers: { authorization: 'Bearer wrong-token-xxxxxxxx' },
    });
    expect(bad.statusCode).toBe(401);
    const ok = await s.app.inject({ method: 'GET', url: '/api/v1/queue/status', remoteAddress: '10.1.2.3', headers: HALL });
    expect(ok.statusCode).toBe(200);
  });

  it('lets a counter operate only its own counter', async () => {
    const own = await counter(1, 'open');
    expect(own.statusCode).toBe(200);
    const other = await s.app.inject({ method: 'POST', url: '/api/v1/counters/2/open', headers: COUNTER(1) });
    expect(other.statusCode).toBe(403);
  });

  it('keeps /terminal/* to terminal tokens: loopback without a token is refused there', async () => {
    const remote = await s.app.inject({ method: 'POST', url: '/api/v1/terminal/tickets', remoteAddress: '10.1.2.3', payload: { serviceCode: 'general' } });
    expect(remote.statusCode).toBe(401);
    const viaProxy = await s.app.inject({
      method: 'POST',
      url: '/api/v1/terminal/tickets',
      headers: { 'x-forwarded-for': '10.9.9.9' },
      payload: { serviceCode: 'general' },
    });
    expect(viaProxy.statusCode).toBe(401);
    const local = await s.app.inject({ method: 'POST', url: '/api/v1/terminal/tickets', payload: { serviceCode: 'general' } });
    expect(local.statusCode).toBe(401);
    expect((await issue({ serviceCode: 'general' })).statusCode).toBe(200);
    const hallServer = await issue({ serviceCode: 'general' }, HALL);
    expect(hallServer.statusCode).toBe(403);
  });

  it('accepts a console session and refuses HTTP Basic (no longer a credential) and unknown sessions', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/stats/day', headers: ADMIN })).statusCode).toBe(200);
    const basic = { authorization: `Basic ${Buffer.from('admin:dev-admin-password-0001').toString('base64')}` };
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/stats/day', headers: basic, remoteAddress: '10.0.0.1' })).statusCode).toBe(401);
    const stale = await s.app.inject({ method: 'GET', url: '/api/v1/stats/day', headers: { cookie: 'hk_console=no-such-session' }, remoteAddress: '10.0.0.1' });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe('AUTH_SESSION_EXPIRED');
  });
});

describe('bad input', () => {
  it('answers a schema error with 400 naming the field', async () => {
    const res = await issue({ serviceCode: 'general', priorityReason: 'vip' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'REQUEST_INVALID', details: { field: 'priorityReason' } });
    const missing = await issue({});
    expect(missing.json().error.details.field).toBe('serviceCode');
    const extra = await issue({ serviceCode: 'general', idNumber: '110101199003070012' });
    expect(extra.statusCode).toBe(400);
  });

  it('answers an impossible birth date with 400, not a server error', async () => {
    const res = await issue({ serviceCode: 'general', identity: { hash: 'abcdefghijklmnop-x', birthDate: '1950-13-45' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('identity.birthDate');
  });

  it('answers unknown tickets, services and counters with 404', async () => {
    expect((await issue({ serviceCode: 'nope' })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/tickets/999', headers: HALL })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/counters/99/open', headers: HALL })).statusCode).toBe(404);
  });

  it('answers an illegal transition with 409 and the current state', async () => {
    await counter(1, 'open');
    await issue({ serviceCode: 'general' });
    await counter(1, 'call-next');
    await counter(1, 'start');
    const res = await counter(1, 'recall');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'QUEUE_ILLEGAL_TRANSITION', details: { currentState: 'serving' } });
  });

  it('answers 503 when the disk is full, writes nothing half-way and keeps serving', async () => {
    await issue({ serviceCode: 'general' });
    const before = await s.query.get<{ n: number }>('SELECT COUNT(*) AS n FROM tickets');
    const repair = await breakStore(s, 'full');
    let full;
    for (let i = 0; i < 200; i++) {
      full = await issue({ serviceCode: 'general' });
      if (full.statusCode !== 200) break;
    }
    expect(full!.statusCode).toBe(503);
    expect(full!.json().error.code).toBe('STORE_UNAVAILABLE');
    const after = (await s.query.get<{ n: number }>('SELECT COUNT(*) AS n FROM tickets'))!;
    const events = (await s.query.get<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE type = 'ticket.issued'"))!;
    expect(events.n).toBe(after.n); // every ticket row has its event: no half-written issue
    expect(after.n).toBeGreaterThanOrEqual(before!.n);
    const status = await s.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: HALL });
    expect(status.statusCode).toBe(200);
    await repair();
    expect((await issue({ serviceCode: 'general' })).statusCode).toBe(200);
  });
});

describe('read-only storage', () => {
  it('answers 503 when the database cannot be written, and recovers', async () => {
    const repair = await breakStore(s, 'read-only'); // writes now fail as on a read-only mount (or a standby)
    const res = await issue({ serviceCode: 'general' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: 'STORE_UNAVAILABLE', message: '系统存储暂时不可用，请联系工作人员' });
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: HALL })).statusCode).toBe(200);
    await repair();
    expect((await issue({ serviceCode: 'general' })).json().ticket.displayNo).toBe('A001');
  });
});

describe('queue status polling', () => {
  it('answers 304 to If-None-Match until something changes', async () => {
    const first = await s.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: HALL });
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const same = await s.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: { ...HALL, 'if-none-match': etag } });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    await issue({ serviceCode: 'general' });
    const changed = await s.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: { ...HALL, 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().services.find((x: { code: string }) => x.code === 'general').waiting).toBe(1);
  });

  it('never puts identity fields on the wire', async () => {
    const res = await issue({ serviceCode: 'general', identity: { hash: 'abcdefghijklmnop-secret', birthDate: '1950-01-01' } });
    expect(res.statusCode).toBe(200);
    const text = res.body + (await s.app.inject({ method: 'GET', url: '/api/v1/tickets/1', headers: HALL })).body;
    expect(text).not.toContain('abcdefghijklmnop-secret');
    expect(text).not.toContain('1950-01-01');
    expect(text).not.toContain('elderly');
    expect(res.json().ticket.priority).toBe(true);
  });
});

describe('counter operations over the API', () => {
  it('runs a ticket through call, transfer, call at the new counter and complete', async () => {
    await counter(1, 'open');
    await counter(3, 'open');
    const t = (await issue({ serviceCode: 'general' })).json().ticket;
    expect((await counter(1, 'call-next')).json().ticket).toMatchObject({ id: t.id, status: 'called', counterNo: 1 });
    const moved = await counter(1, 'transfer', { serviceCode: 'reimburse', counterNo: 3 });
    expect(moved.json().ticket).toMatchObject({ status: 'waiting', serviceCode: 'reimburse', assignedCounter: 3 });
    expect((await counter(3, 'call-next')).json().ticket.id).toBe(t.id);
    expect((await counter(3, 'complete')).json().ticket.status).toBe('done');
    const lookup = await s.app.inject({ method: 'GET', url: `/api/v1/tickets/by-number/${t.displayNo}`, headers: HALL });
    expect(lookup.json().ticket.status).toBe('done');
    const stats = (await s.app.inject({ method: 'GET', url: '/api/v1/stats/day', headers: HALL })).json();
    expect(stats.services.find((x: { serviceCode: string }) => x.serviceCode === 'general')).toMatchObject({ issued: 1, done: 1 });
  });

  it('books an appointment with an ID number that is hashed, not stored', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: HALL,
      payload: { idNumber: '11010519491231002X', serviceCode: 'general', day: '2026-11-23', windowStart: '09:00', windowEnd: '09:30' },
    });
    expect(res.statusCode).toBe(200);
    const rows = await s.query.all('SELECT * FROM appointments');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('11010519491231002X');
    const checkIn = await s.app.inject({
      method: 'POST',
      url: '/api/v1/terminal/appointments/check-in',
      headers: TERMINAL,
      payload: { appointmentId: res.json().appointment.id },
    });
    expect(checkIn.json().ticket).toMatchObject({ appointment: true, priority: true });
  });
});

describe('OpenAPI', () => {
  it('documents every route at /docs/json', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/queue/status', '/api/v1/events', '/api/v1/counters/{counterNo}/call-next', '/api/v1/terminal/tickets']),
    );
    expect((await s.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });
});

describe('rate limits', () => {
  it('answers 429 with a Chinese message once a caller exceeds its limit', async () => {
    const limited = await makeServer({ api: { rateLimitPerMinute: 10 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) {
        codes.push((await limited.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: HALL })).statusCode);
      }
      expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
      const res = await limited.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: HALL });
      expect(res.statusCode).toBe(429);
      expect(res.json().error.message).toBe('请求过于频繁，请稍后再试');
    } finally {
      await limited.close();
    }
  });
});
