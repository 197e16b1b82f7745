import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { ADDRESS_FREE_FAILURES, CODE_TTL_MS } from '../../kiosk/console/pairing.ts';
import { buildServer } from '../../server/app.ts';
import { fakeClock, tempDbPath } from '../helpers/engine.ts';
import { ADMIN, COUNTER, TECHNICIAN, seededSessions } from '../helpers/server.ts';

// 大厅与排队 in the console (issue 14 item 2), in process: every change goes the console's
// configuration way into a real site file; "the restart" is a new daemon built from that file.
interface Daemon {
  app: FastifyInstance;
  kiosk: Kiosk;
  clock: ReturnType<typeof fakeClock>;
  restarts: number;
  close(): Promise<void>;
}

const open: Daemon[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

function siteFile(content: unknown = { hall: { name: '示例县医疗保障服务大厅' } }): string {
  const file = join(mkdtempSync(join(tmpdir(), 'console-hall-')), 'site.json');
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  return file;
}

/** A daemon started from `file`, as the entry point would after a restart. */
async function start(file: string): Promise<Daemon> {
  const clock = fakeClock();
  const kiosk = createKiosk(loadConfig({ file, env: {} }), { clock, dbPath: tempDbPath() });
  const d: Daemon = {
    app: null as unknown as FastifyInstance,
    kiosk,
    clock,
    restarts: 0,
    async close() {
      await d.app.close();
      await kiosk.close();
    },
  };
  d.app = await buildServer(kiosk, { consoleSessions: seededSessions(), siteFile: file, requestRestart: () => d.restarts++ });
  await d.app.ready();
  open.push(d);
  return d;
}

const post = (d: Daemon, url: string, payload: unknown, headers: Record<string, string> = ADMIN) =>
  d.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload: payload as Record<string, unknown> });

const hallView = async (d: Daemon) => (await d.app.inject({ method: 'GET', url: '/api/v1/console/hall', headers: ADMIN })).json();

describe('console: hall and queue', () => {
  it('hides every token of a changed counters list in the version history, whichever way the site file is written', async () => {
    const file = siteFile();
    const d = await start(file);
    const counters = d.kiosk.config.counters.map((c) => ({ ...c, name: `${c.name}（改）` }));
    const applied = await post(d, '/console/config/apply', { patch: { counters } });
    expect(applied.json()).toMatchObject({ ok: true });
    const versions = (await d.app.inject({ method: 'GET', url: '/api/v1/console/config/versions', headers: ADMIN })).body;
    expect(versions).toContain('（改）');
    for (const c of d.kiosk.config.counters) expect(versions).not.toContain(c.token);
    expect(versions).toContain('（密钥，已隐藏）');
  });

  it('edits the hall: a bad value is refused with its field named in Chinese and nothing is written; a good one is written and restarts', async () => {
    const file = siteFile();
    const d = await start(file);
    const view = await hallView(d);
    const hall = { ...view.hall, regionCode: '37132' };
    const bad = await post(d, '/console/hall/settings', { hall });
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toMatchObject({
      ok: false,
      problems: [{ field: 'hall.regionCode', label: '行政区划代码', message: '行政区划代码：配置项 hall.regionCode 的格式不正确' }],
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ hall: { name: '示例县医疗保障服务大厅' } });
    expect(d.restarts).toBe(0);

    const good = await post(d, '/console/hall/settings', { hall: { ...view.hall, name: '新城镇医保服务站', level: '乡镇' } });
    expect(good.json()).toMatchObject({ ok: true, restarting: true });
    await new Promise((r) => setTimeout(r, 100)); // the restart is asked for once the reply is sent
    expect(d.restarts).toBe(1);
    const again = await start(file);
    expect(again.kiosk.config.hall).toMatchObject({ name: '新城镇医保服务站', level: '乡镇' });
  });

  it('adds a counter with its services: a new token, shown once, works after the restart; the version diff hides it', async () => {
    const file = siteFile();
    const d = await start(file);
    const dup = await post(d, '/console/hall/counters', { number: 3, name: '重复', services: ['general'] });
    expect(dup.json()).toMatchObject({ ok: false, problems: [{ message: '窗口号：3 号窗口已存在' }] });
    const unknown = await post(d, '/console/hall/counters', { number: 7, name: '7号窗口', services: [] });
    expect(unknown.json().problems[0].message).toContain('办理业务');

    const added = await post(d, '/console/hall/counters', { number: 7, name: '7号窗口（异地）', services: ['remote'] });
    const body = added.json();
    expect(body).toMatchObject({ ok: true, secret: { kind: 'counter', counterNo: 7 } });
    expect(body.secret.token).toMatch(/^hkc_[A-Za-z0-9_-]{43}$/);
    expect(added.headers['cache-control']).toBe('no-store');
    const written = readFileSync(file, 'utf8');
    expect(written).toContain(body.secret.token);
    // Shown once: not in the console's view, the configuration view, or the version history.
    const views = [
      JSON.stringify(await hallView(d)),
      (await d.app.inject({ method: 'GET', url: '/api/v1/console/config', headers: ADMIN })).body,
      (await d.app.inject({ method: 'GET', url: '/api/v1/console/config/versions', headers: ADMIN })).body,
      (await d.app.inject({ method: 'GET', url: '/api/v1/console/audit', headers: ADMIN })).body,
    ];
    for (const v of views) expect(v).not.toContain(body.secret.token);
    for (const v of views) expect(v).not.toContain('dev-counter-token-0001');

    const next = await start(file);
    expect(next.kiosk.config.counters.find((c) => c.number === 7)).toMatchObject({ name: '7号窗口（异地）', services: ['remote'] });
    const ws = await next.app.inject({ method: 'GET', url: '/api/v1/counters/7/workstation', headers: { authorization: `Bearer ${body.secret.token}` } });
    expect(ws.statusCode).toBe(200);
    // The other counters kept their tokens.
    expect((await next.app.inject({ method: 'GET', url: '/api/v1/counters/1/workstation', headers: COUNTER(1) })).statusCode).toBe(200);
  });

  it('generates a hall-server token shown once, and a revoked token gets 401 after the restart', async () => {
    const file = siteFile();
    const d = await start(file);
    const made = (await post(d, '/console/hall/credentials', { kind: 'hall-server' })).json();
    expect(made).toMatchObject({ ok: true, secret: { kind: 'hall-server' } });
    const token = made.secret.token as string;
    expect(JSON.stringify(await hallView(d))).not.toContain(token);

    const d2 = await start(file);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await d2.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: bearer })).statusCode).toBe(200);
    const listed = (await hallView(d2)).credentials.filter((c: { kind: string }) => c.kind === 'hall-server');
    expect(listed.map((c: { fingerprint: string }) => c.fingerprint)).toContain(made.secret.fingerprint);

    const revoked = await d2.app.inject({ method: 'DELETE', url: `/api/v1/console/hall/credentials/hall-server/${made.secret.fingerprint}`, headers: ADMIN });
    expect(revoked.json()).toMatchObject({ ok: true });
    const d3 = await start(file);
    expect((await d3.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: bearer })).statusCode).toBe(401);
    expect(
      (await d3.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: { authorization: 'Bearer dev-hall-server-token-0001' } })).statusCode,
    ).toBe(200);
    // Revoking a counter's token replaces it by one nobody saw: the old one gets 401 too.
    const c1 = (await hallView(d3)).credentials.find((c: { counterNo: number | null }) => c.counterNo === 1);
    await d3.app.inject({ method: 'DELETE', url: `/api/v1/console/hall/credentials/counter/${c1.fingerprint}`, headers: ADMIN });
    const d4 = await start(file);
    expect((await d4.app.inject({ method: 'GET', url: '/api/v1/counters/1/workstation', headers: COUNTER(1) })).statusCode).toBe(401);
    const audit = (await d3.app.inject({ method: 'GET', url: '/api/v1/console/audit', headers: ADMIN })).json().entries as { action: string }[];
    expect(audit.map((e) => e.action)).toContain('credential-revoked');
  });

  it('pairs a counter workstation with a 6-digit code: once, within 5 minutes, and wrong codes are limited per address', async () => {
    const d = await start(siteFile());
    const issue = async (counterNo = 2) =>
      (await post(d, '/console/hall/pairing', { device: 'counter', counterNo })).json() as { code: string; pairing: { id: number } };
    const claim = (code: string, device = 'counter', ip = '10.0.0.21') =>
      d.app.inject({ method: 'POST', url: '/api/v1/pairing/claim', remoteAddress: ip, payload: { code, device } });

    const first = await issue();
    expect(first.code).toMatch(/^[0-9]{6}$/);
    // A right code for another kind of device does not pair it (and stays open).
    expect((await claim(first.code, 'display')).statusCode).toBe(400);
    const ok = await claim(first.code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ device: 'counter', counterNo: 2, kind: 'counter', token: 'dev-counter-token-0002' });
    expect(ok.headers['cache-control']).toBe('no-store');
    // Single use.
    const twice = await claim(first.code);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error).toMatchObject({ code: 'PAIRING_CODE_INVALID', message: '配对码错误或已过期，请在维护台重新生成' });

    // Expiry on the daemon's clock.
    const late = await issue();
    d.clock.advanceMinutes(CODE_TTL_MS / 60_000);
    expect((await claim(late.code)).statusCode).toBe(400);

    // Wrong codes: after ADDRESS_FREE_FAILURES from one address it is locked, even with the right code.
    const right = await issue(3);
    const wrong = right.code === '000000' ? '000001' : '000000';
    for (let i = 0; i < ADDRESS_FREE_FAILURES; i++) expect((await claim(wrong, 'counter', '10.0.0.99')).statusCode).toBe(400);
    const locked = await claim(right.code, 'counter', '10.0.0.99');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('AUTH_LOCKED');
    // Another address still pairs with it.
    expect((await claim(right.code, 'counter', '10.0.0.22')).json()).toMatchObject({ counterNo: 3, token: 'dev-counter-token-0003' });

    // Every pairing is audited, without the code or the token.
    const audit = (await d.app.inject({ method: 'GET', url: '/api/v1/console/audit', headers: ADMIN })).body;
    expect(audit).toContain('"action":"paired"');
    expect(audit).toContain('"action":"pairing-code"');
    expect(audit).toContain('"action":"pairing-failed"');
    expect(audit).not.toContain('dev-counter-token-0002');
    expect(audit).not.toContain(first.code);
  });

  it('a technician gets 403 on every hall-admin route', async () => {
    const d = await start(siteFile());
    const calls = [
      d.app.inject({ method: 'GET', url: '/api/v1/console/hall', headers: TECHNICIAN }),
      post(d, '/console/hall/settings', { hall: {} }, TECHNICIAN),
      post(d, '/console/hall/counters', { number: 9, name: 'x', services: ['general'] }, TECHNICIAN),
      post(d, '/console/hall/credentials', { kind: 'terminal' }, TECHNICIAN),
      post(d, '/console/hall/pairing', { device: 'counter', counterNo: 1 }, TECHNICIAN),
    ];
    for (const r of await Promise.all(calls)) {
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('AUTH_FORBIDDEN');
    }
  });
});
