import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_FREE_FAILURES, FREE_FAILURES } from '../../server/plugins/auth.ts';
import { ConsoleSessions, SESSION_MAX_MS } from '../../server/plugins/console-sessions.ts';
import { ADMIN, makeServer, TECHNICIAN, type TestServer } from '../helpers/server.ts';

// The technician console's login (POST /api/v1/console/login): cookie flags, wrong passwords,
// lockout per account and per address, the CSRF rule, roles and the audit trail.
const ORIGIN = 'http://localhost'; // inject's Host is localhost:80
const ADMIN_PW = 'dev-admin-password-0001';
const TECH_PW = 'dev-tech-password-0001';

let s: TestServer;
beforeAll(async () => {
  s = await makeServer();
});
afterAll(async () => {
  await s?.close();
});

type Headers = Record<string, string>;
const login = (server: TestServer, user: string, password: string, remoteAddress = '10.50.0.1', headers: Headers = { origin: ORIGIN }) =>
  server.app.inject({
    method: 'POST',
    url: '/api/v1/console/login',
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ user, password }),
    remoteAddress,
  });

async function sessionOf(server: TestServer, user: string, password: string, remoteAddress?: string): Promise<Headers> {
  const res = await login(server, user, password, remoteAddress);
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: String(res.headers['set-cookie']).split(';')[0]!, origin: ORIGIN };
}

describe('console login', () => {
  it('sets an HttpOnly, SameSite=Strict cookie scoped to /api/v1 and answers who is logged in', async () => {
    const res = await login(s, 'admin', ADMIN_PW);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: 'admin', role: 'hall-admin' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^hk_console=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/api\/v1(;|$)/);
    // A session cookie: gone with the browser; the daemon ends it on idle time or after 12 h.
    expect(cookie).not.toMatch(/Max-Age|Expires/);
    const session = await s.app.inject({
      method: 'GET',
      url: '/api/v1/console/session',
      headers: { cookie: cookie.split(';')[0]! },
      remoteAddress: '10.50.0.1',
    });
    expect(session.json()).toMatchObject({ user: 'admin', role: 'hall-admin' });
    expect(session.json().expiresInSeconds).toBeGreaterThan(0);
    // Nothing about the password or the hash comes back.
    expect(res.body).not.toMatch(/scrypt|password/);
  });

  it('refuses a wrong password and an unknown account with the same Chinese message', async () => {
    const wrong = await login(s, 'admin', 'not-the-password', '10.50.1.1');
    const unknown = await login(s, 'nobody', ADMIN_PW, '10.50.1.2');
    for (const r of [wrong, unknown]) {
      expect(r.statusCode).toBe(401);
      expect(r.json().error).toMatchObject({ code: 'AUTH_LOGIN_FAILED', message: '用户名或密码错误' });
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });

  it('takes JSON only, and only from a page of this daemon (Origin)', async () => {
    for (const headers of [{} as Headers, { origin: 'http://evil.example' }, { origin: 'http://localhost:8080' }, { origin: 'null' }]) {
      const r = await login(s, 'admin', ADMIN_PW, '10.50.2.1', headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(403);
      expect(r.json().error.code).toBe('AUTH_CSRF');
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    const form = await s.app.inject({
      method: 'POST',
      url: '/api/v1/console/login',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `user=admin&password=${ADMIN_PW}`,
      remoteAddress: '10.50.2.2',
    });
    expect(form.statusCode).toBe(415);
    const text = await s.app.inject({
      method: 'POST',
      url: '/api/v1/console/login',
      headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      payload: JSON.stringify({ user: 'admin', password: ADMIN_PW }),
      remoteAddress: '10.50.2.3',
    });
    expect(text.statusCode).toBe(415);
  });

  it('logout ends the session on the daemon and clears the cookie', async () => {
    const me = await sessionOf(s, 'admin', ADMIN_PW, '10.50.3.1');
    const out = await s.app.inject({ method: 'POST', url: '/api/v1/console/logout', headers: me, remoteAddress: '10.50.3.1' });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^hk_console=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/);
    const after = await s.app.inject({ method: 'GET', url: '/api/v1/devices', headers: me, remoteAddress: '10.50.3.1' });
    expect(after.statusCode).toBe(401);
    expect(after.json().error).toMatchObject({ code: 'AUTH_SESSION_EXPIRED', message: '登录已失效，请重新登录' });
  });
});

describe('lockout', () => {
  it(`locks an account after ${ACCOUNT_FREE_FAILURES} wrong passwords, whichever addresses they come from`, async () => {
    const server = await makeServer();
    try {
      for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) expect((await login(server, 'admin', `wrong-${i}`, `10.51.0.${i + 1}`)).statusCode).toBe(401);
      const locked = await login(server, 'admin', ADMIN_PW, '10.51.1.1');
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('AUTH_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(locked.headers['set-cookie']).toBeUndefined();
      // Another account is not locked by it.
      expect((await login(server, 'tech', TECH_PW, '10.51.1.2')).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  }, 90_000);

  it(`locks an address after ${FREE_FAILURES} failures, whichever accounts they try`, async () => {
    const server = await makeServer();
    try {
      for (let i = 0; i < FREE_FAILURES; i++) expect((await login(server, `guess-${i}`, 'password-guess', '10.52.0.1')).statusCode).toBe(401);
      const locked = await login(server, 'admin', ADMIN_PW, '10.52.0.1');
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('AUTH_LOCKED');
      // Wrong bearer tokens and wrong passwords share the address count.
      expect(
        (
          await server.app.inject({
            method: 'GET',
            url: '/api/v1/queue/status',
            headers: { authorization: 'Bearer dev-hall-server-token-0001' },
            remoteAddress: '10.52.0.1',
          })
        ).statusCode,
      ).toBe(429);
      expect((await login(server, 'admin', ADMIN_PW, '10.52.0.2')).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  }, 90_000);
});

describe('CSRF: a console session changes something only with JSON from its own origin', () => {
  const print = (headers: Headers) => s.app.inject({ method: 'POST', url: '/api/v1/admin/devices/printer/test-print', headers, remoteAddress: '10.53.0.1' });
  it('refuses a missing or foreign Origin and a non-JSON body, before the handler runs', async () => {
    const cookie = { cookie: ADMIN.cookie };
    const printed = () => (s.kiosk.devices.simulators.get('printer')?.state() as { receiptsPrinted?: number } | undefined)?.receiptsPrinted ?? 0;
    const before = printed();
    for (const headers of [
      cookie,
      { ...cookie, origin: 'http://evil.example' },
      { ...cookie, origin: 'https://localhost' },
      { ...cookie, origin: ORIGIN, host: 'rebind.example' },
    ]) {
      const r = await print(headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(403);
      expect(r.json().error).toMatchObject({ code: 'AUTH_CSRF' });
    }
    const form = await s.app.inject({
      method: 'POST',
      url: '/api/v1/admin/devices/printer/test-print',
      headers: { ...ADMIN, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'a=1',
      remoteAddress: '10.53.0.1',
    });
    expect(form.statusCode).toBe(403);
    expect(form.json().error.code).toBe('AUTH_CSRF');
    expect(printed()).toBe(before);
    // Reads need no Origin; the same change with the daemon's Origin goes through.
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/devices', headers: cookie, remoteAddress: '10.53.0.1' })).statusCode).toBe(200);
    const ok = await s.app.inject({
      method: 'POST',
      url: '/api/v1/admin/devices/printer/test-print',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      payload: '{}',
      remoteAddress: '10.53.0.1',
    });
    expect(ok.statusCode).toBe(200);
  });

  it('does not ask bearer-token callers for an Origin (no ambient credential to forge)', async () => {
    const r = await s.app.inject({
      method: 'POST',
      url: '/api/v1/counters/1/open',
      headers: { authorization: 'Bearer dev-counter-token-0001' },
      remoteAddress: '10.53.1.1',
    });
    expect(r.statusCode).toBe(200);
  });
});

describe('roles', () => {
  it('a technician reaches devices and diagnostics, and gets 403 on hall-admin routes', async () => {
    const tech = await sessionOf(s, 'tech', TECH_PW, '10.54.0.1');
    const get = (url: string) => s.app.inject({ method: 'GET', url, headers: tech, remoteAddress: '10.54.0.1' });
    expect((await get('/api/v1/devices')).statusCode).toBe(200);
    expect((await get('/api/v1/alerts')).statusCode).toBe(200);
    expect((await get('/api/v1/console/session')).json()).toMatchObject({ user: 'tech', role: 'technician' });
    for (const url of ['/api/v1/console/audit', '/api/v1/evaluations/cases', '/api/v1/reports/queue', '/api/v1/admin/calendar/audit']) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.code).toBe('AUTH_FORBIDDEN');
    }
    // The hall-admin reaches them.
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/console/audit', headers: ADMIN, remoteAddress: '10.54.0.2' })).statusCode).toBe(200);
  });

  it('a technician sees 运行状态: version, clock in the hall time zone, storage and unprinted tickets, nothing personal', async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/v1/console/operations', headers: TECHNICIAN, remoteAddress: '10.54.0.3' });
    expect(r.statusCode).toBe(200);
    const o = r.json();
    expect(o.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(o.databaseSchema).toBeGreaterThan(0);
    expect(o.clock.timeZone).toBe(s.kiosk.config.hall.timeZone);
    expect(o.clock.local).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(o.clock.epochMs).toBe(s.kiosk.clock());
    expect(o.storage.databaseBytes).toBeGreaterThan(0);
    expect(o.unprintedTickets).toBe(s.kiosk.printing.unprintedTickets().length);
    expect(o.queue).toBe('local');
    expect(Object.keys(o).sort()).toEqual(['clock', 'databaseSchema', 'node', 'queue', 'storage', 'unprintedTickets', 'uptimeSeconds', 'version']);
  });

  it("the kiosk's own browser stays a citizen browser with a technician's cookie", async () => {
    const r = await s.app.inject({ method: 'GET', url: '/api/v1/kiosk/info', headers: { cookie: TECHNICIAN.cookie } });
    expect(r.statusCode).toBe(200);
  });
});

describe('audit trail', () => {
  it('records logins, failed logins, logouts and every change with who, when and what (and refusals)', async () => {
    const server = await makeServer();
    try {
      const tech = await sessionOf(server, 'tech', TECH_PW, '10.55.0.1');
      await login(server, 'tech', 'wrong-password-x', '10.55.0.1');
      const t0 = server.clock();
      expect(
        (
          await server.app.inject({
            method: 'POST',
            url: '/api/v1/admin/devices/printer/test-print',
            headers: { ...tech, 'content-type': 'application/json' },
            payload: '{}',
            remoteAddress: '10.55.0.1',
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await server.app.inject({
            method: 'POST',
            url: '/api/v1/admin/calendar/imports/preview',
            headers: { ...tech, 'content-type': 'application/json' },
            payload: '{}',
            remoteAddress: '10.55.0.1',
          })
        ).statusCode,
      ).toBe(403);
      await server.app.inject({ method: 'GET', url: '/api/v1/devices', headers: tech, remoteAddress: '10.55.0.1' });
      await server.app.inject({ method: 'POST', url: '/api/v1/console/logout', headers: tech, remoteAddress: '10.55.0.1' });
      const entries = (await server.app.inject({ method: 'GET', url: '/api/v1/console/audit', headers: ADMIN, remoteAddress: '10.55.0.2' })).json().entries as {
        user: string;
        role: string;
        action: string;
        target: string;
        status: number;
        at: number;
      }[];
      const rows = entries.map((e) => [e.user, e.role, e.action, e.target, e.status]).reverse();
      expect(rows).toEqual([
        ['tech', 'technician', 'login', 'POST /api/v1/console/login', 200],
        ['tech', 'technician', 'login-failed', 'POST /api/v1/console/login', 401],
        ['tech', 'technician', 'POST', 'POST /api/v1/admin/devices/printer/test-print', 200],
        ['tech', 'technician', 'POST', 'POST /api/v1/admin/calendar/imports/preview', 403],
        ['tech', 'technician', 'logout', 'POST /api/v1/console/logout', 200],
      ]); // reads (GET /devices) are not changes
      expect(entries.every((e) => e.at >= t0 - 60_000 && e.at <= server.clock())).toBe(true);
      // Stored in the database (migration console_audit), never a request body.
      const stored = server.kiosk.db.prepare('SELECT * FROM console_audit').all() as { details: string }[];
      expect(stored).toHaveLength(5);
      expect(JSON.stringify(stored)).not.toContain('wrong-password-x');
    } finally {
      await server.close();
    }
  }, 90_000);
});

describe('session expiry', () => {
  it('ends a session after api.sessionIdleMinutes without a request, and 12 h after login whatever happens', async () => {
    let t = 0;
    const server = await makeServer({ api: { sessionIdleMinutes: 5 } }, { consoleSessions: new ConsoleSessions(5, () => t) });
    try {
      const me = await sessionOf(server, 'admin', ADMIN_PW, '10.56.0.1');
      const devices = () => server.app.inject({ method: 'GET', url: '/api/v1/devices', headers: me, remoteAddress: '10.56.0.1' });
      t += 4 * 60_000;
      expect((await devices()).statusCode).toBe(200); // restarts the idle timer
      t += 4 * 60_000;
      expect((await devices()).statusCode).toBe(200);
      t += 5 * 60_000 + 1;
      const idle = await devices();
      expect(idle.statusCode).toBe(401);
      expect(idle.json().error.code).toBe('AUTH_SESSION_EXPIRED');

      const again = await sessionOf(server, 'admin', ADMIN_PW, '10.56.0.1');
      const keepAlive = () => server.app.inject({ method: 'GET', url: '/api/v1/devices', headers: again, remoteAddress: '10.56.0.1' });
      for (let at = 0; at < SESSION_MAX_MS - 4 * 60_000; at += 4 * 60_000) {
        t += 4 * 60_000;
        if ((await keepAlive()).statusCode !== 200) throw new Error(`ended early at ${at}`);
      }
      t += 4 * 60_000 + 1; // 12 h and 1 ms after login, 4 min after the last request
      expect((await keepAlive()).statusCode).toBe(401);
    } finally {
      await server.close();
    }
  }, 90_000);
});

describe('configuration through the console (hall-admin)', () => {
  it('shows and exports the running configuration without any secret, and names the development secrets in use', async () => {
    for (const url of ['/api/v1/console/config', '/api/v1/console/config/export']) {
      const r = await s.app.inject({ method: 'GET', url, headers: ADMIN, remoteAddress: '10.57.0.1' });
      expect(r.statusCode, url).toBe(200);
      for (const secret of [
        'dev-hall-server-token-0001',
        'dev-counter-token-0001',
        'dev-terminal-token-0001',
        'scrypt$',
        s.kiosk.config.privacy.hmacKey,
        s.kiosk.config.evaluation.phoneKey,
      ]) {
        expect(r.body, `${url} ${secret}`).not.toContain(secret);
      }
      expect(r.body).toContain(s.kiosk.config.hall.name);
      expect((await s.app.inject({ method: 'GET', url, headers: TECHNICIAN, remoteAddress: '10.57.0.1' })).statusCode).toBe(403);
    }
    const view = (await s.app.inject({ method: 'GET', url: '/api/v1/console/config', headers: ADMIN, remoteAddress: '10.57.0.1' })).json();
    expect(view.hidden).toEqual(expect.arrayContaining(['privacy.hmacKey', 'counters[0].token', 'api.accounts[0].passwordHash']));
    expect(view.developmentSecrets).toContain('api.accounts[0].passwordHash');
    const exported = await s.app.inject({ method: 'GET', url: '/api/v1/console/config/export', headers: ADMIN, remoteAddress: '10.57.0.1' });
    expect(exported.headers['content-disposition']).toMatch(/attachment; filename="hall-kiosk-.*-config\.json"/);
  });

  it('checks a change with the boot schema and names each bad field in Chinese', async () => {
    const check = (patch: unknown) =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/console/config/check',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        payload: JSON.stringify({ patch }),
        remoteAddress: '10.57.1.1',
      });
    const bad = (await check({ hall: { name: '' }, api: { port: 70000 }, hallLevel: 1 })).json();
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual(
      expect.arrayContaining([
        { field: 'hall.name', message: '配置项 hall.name 不能为空' },
        { field: 'api.port', message: '配置项 api.port 不能大于 65535' },
        { field: 'hallLevel', message: '配置项 hallLevel 不存在（未知的配置项）' },
      ]),
    );
    // A cross-check of the boot (two services with one prefix) is found as well.
    const services = s.kiosk.config.services;
    const dup = (await check({ services: [...services, { ...services[0], code: 'copy-of-first' }] })).json();
    expect(dup.ok).toBe(false);
    expect(dup.problems[0].field).toBe('services');
    expect(dup.problems[0].message).toMatch(/^配置项 services 有误/);
    expect((await check({ hall: { name: '示例县医疗保障服务大厅（新址）' } })).json()).toEqual({ ok: true, problems: [] });
  });
});
