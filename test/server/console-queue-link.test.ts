import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { buildServer } from '../../server/app.ts';
import { remoteFetchFor, remoteQueueFactory } from '../../server/clients/remote-queue.ts';
import { readServerTls, startProblems } from '../../server/tls.ts';
import { fakeClock, tempDbPath } from '../helpers/engine.ts';
import { ADMIN, consoleLogin, seededSessions } from '../helpers/server.ts';

// 连接大厅排队服务 (issue 14 item 2): a second kiosk joins the queue another kiosk holds with the
// code shown on the holder's console. Two daemons in process on real ports: the holder over https
// (a hall CA and its server certificate made here with openssl, as in tls.test.ts), the second
// kiosk over http on loopback; "the restart" is a new daemon built from the written site file.
const DEVICES_OFF = { devices: { idcard: { mode: 'off' }, scanner: { mode: 'off' }, printer: { mode: 'off' }, dispenser: { mode: 'off' } } };
let dir: string;
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'queue-link-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'hall-ca.key',
    '-out',
    'hall-ca.pem',
    '-days',
    '30',
    '-subj',
    '/CN=hall-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  writeFileSync(file('holder.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'holder.key', '-out', 'holder.csr', '-subj', '/CN=holder');
  openssl(
    'x509',
    '-req',
    '-in',
    'holder.csr',
    '-CA',
    'hall-ca.pem',
    '-CAkey',
    'hall-ca.key',
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '30',
    '-out',
    'holder.pem',
    '-extfile',
    'holder.ext',
  );
});

interface Daemon {
  app: FastifyInstance;
  kiosk: Kiosk;
  url: string;
  restarts: number;
}
const open: Daemon[] = [];
afterEach(async () => {
  for (const d of open.splice(0).reverse()) {
    await d.app.close();
    await d.kiosk.close();
  }
});

function siteFile(content: unknown): string {
  const f = join(mkdtempSync(join(tmpdir(), 'queue-link-site-')), 'site.json');
  writeFileSync(f, `${JSON.stringify(content, null, 2)}\n`);
  return f;
}

/** A daemon started from `site`, as the entry point would (the remote queue client when queue.remote is set). */
async function start(site: string, https = false): Promise<Daemon> {
  const config = loadConfig({ file: site, env: {} });
  const remote = config.queue.remote;
  const kiosk = createKiosk(config, {
    clock: fakeClock(),
    dbPath: tempDbPath(),
    ...(remote ? { remoteQueue: remoteQueueFactory, remoteFetch: remoteFetchFor(remote) } : {}),
  });
  const d: Daemon = { app: null as unknown as FastifyInstance, kiosk, url: '', restarts: 0 };
  d.app = await buildServer(kiosk, {
    siteFile: site,
    consoleSessions: seededSessions(),
    requestRestart: () => d.restarts++,
    ...(https ? { https: readServerTls({ certFile: file('holder.pem'), keyFile: file('holder.key') }) } : {}),
  });
  open.push(d);
  d.url = await d.app.listen({ host: '127.0.0.1', port: 0 });
  return d;
}

/** The holder's console makes a code for 其他自助终端 (its terminal token). */
async function holderCode(holder: Daemon): Promise<string> {
  const res = await holder.app.inject({ method: 'POST', url: '/api/v1/console/hall/pairing', headers: ADMIN, payload: { device: 'kiosk' } });
  expect(res.statusCode).toBe(200);
  return res.json().code as string;
}

/** The second kiosk's console, over its real port, as the browser would call it. */
async function link(kiosk: Daemon, body: Record<string, unknown>): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const session = await consoleLogin(kiosk.url);
  const res = await fetch(`${kiosk.url}/api/v1/console/hall/queue-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...session },
    body: JSON.stringify({ caFile: file('hall-ca.pem'), ...body }),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> };
}

describe('console: 连接大厅排队服务 (a second kiosk joins the holder’s queue with a pairing code)', () => {
  it('claims the code on the daemon, writes queue.remote with the token, and the restarted kiosk issues through the holder', async () => {
    const holder = await start(siteFile({ ...DEVICES_OFF, hall: { name: '示例县医疗保障服务大厅' } }), true);
    expect(holder.url).toMatch(/^https:\/\//);
    const secondSite = siteFile(DEVICES_OFF);
    const second = await start(secondSite);

    const code = await holderCode(holder);
    const linked = await link(second, { url: `${holder.url}/`, code });
    expect(linked.status).toBe(200);
    expect(linked.json).toMatchObject({ ok: true, restarting: true });
    // The token went from the holder to the second kiosk's daemon, not to the browser.
    expect(linked.text).not.toContain('dev-terminal-token-0001');
    const written = JSON.parse(readFileSync(secondSite, 'utf8'));
    expect(written.queue.remote).toEqual({ url: holder.url, token: 'dev-terminal-token-0001', caFile: file('hall-ca.pem') });
    await new Promise((r) => setTimeout(r, 100)); // the restart is asked for once the reply is sent
    expect(second.restarts).toBe(1);
    // Nothing shown afterwards carries the token or the code: view, versions, audit.
    const session = await consoleLogin(second.url);
    const shown = await Promise.all(
      ['/console/hall/queue-link', '/console/config/versions', '/console/audit'].map(async (p) =>
        (await fetch(`${second.url}/api/v1${p}`, { headers: session })).text(),
      ),
    );
    for (const s of shown) expect(s).not.toContain('dev-terminal-token-0001');
    expect(shown[2]).not.toContain(code);
    expect(shown[2]).toContain('"action":"queue-linked"');
    expect(JSON.parse(shown[0]!)).toMatchObject({ remote: null }); // the running daemon, until its restart

    // The restarted second kiosk: the daemon would start with it, and its ticket is in the holder's queue.
    const restarted = await start(secondSite);
    expect(startProblems(restarted.kiosk.config, { insecureDev: true })).toEqual([]);
    expect(restarted.kiosk.engine).toBeNull();
    const view = await restarted.app.inject({ method: 'GET', url: '/api/v1/console/hall/queue-link', headers: ADMIN });
    expect(view.json()).toEqual({ remote: { url: holder.url, caFile: file('hall-ca.pem') }, canApply: true });
    const issued = await restarted.app.inject({
      method: 'POST',
      url: '/api/v1/kiosk/tickets',
      payload: { serviceCode: 'general', useIdentity: false, requestId: 'queue-link-0001' },
    });
    expect(issued.statusCode).toBe(200);
    const ticket = issued.json().ticket as { id: number; displayNo: string };
    expect((await holder.kiosk.engine!.reader.ticket(ticket.id)).displayNo).toBe(ticket.displayNo);

    // A kiosk that does not hold the queue makes no code for another kiosk.
    const refused = await restarted.app.inject({ method: 'POST', url: '/api/v1/console/hall/pairing', headers: ADMIN, payload: { device: 'kiosk' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain('本机不持有排队队列');

    // 断开: back to holding its own queue.
    const unlinked = await restarted.app.inject({ method: 'DELETE', url: '/api/v1/console/hall/queue-link', headers: ADMIN });
    expect(unlinked.json()).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(secondSite, 'utf8')).queue.remote).toBeNull();
    const own = await start(secondSite);
    expect(own.kiosk.engine).not.toBeNull();
  });

  it('a wrong code, an unreachable holder or an http:// address gets its Chinese error and writes nothing', async () => {
    const holder = await start(siteFile(DEVICES_OFF), true);
    const secondSite = siteFile(DEVICES_OFF);
    const before = readFileSync(secondSite, 'utf8');
    const second = await start(secondSite);
    const right = await holderCode(holder);
    const wrong = right === '000000' ? '000001' : '000000';

    const bad = await link(second, { url: holder.url, code: wrong });
    expect(bad.json).toMatchObject({ ok: false, problems: [{ field: 'queue.remote', message: expect.stringContaining('配对码错误或已过期') }] });

    const closed = await start(siteFile(DEVICES_OFF), true);
    const closedUrl = closed.url;
    open.splice(open.indexOf(closed), 1);
    await closed.app.close();
    await closed.kiosk.close();
    const down = await link(second, { url: closedUrl, code: right });
    expect((down.json.problems as { message: string }[])[0]!.message).toContain('无法连接排队服务终端');

    const plain = await link(second, { url: holder.url.replace('https://', 'http://'), code: right });
    expect((plain.json.problems as { message: string }[])[0]!.message).toContain('必须以 https:// 开头');

    const noCa = await link(second, { url: holder.url, code: right, caFile: file('missing.pem') });
    expect((noCa.json.problems as { message: string }[])[0]!.message).toContain('大厅 CA 证书文件');

    expect(readFileSync(secondSite, 'utf8')).toBe(before);
    expect(second.restarts).toBe(0);
    // The right code is still open: the failures above did not spend it.
    expect((await link(second, { url: holder.url, code: right })).json).toMatchObject({ ok: true });
  });
});
