import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { isKioskError } from '../../kiosk/errors.ts';
import { buildServer } from '../../server/app.ts';
import { hashPassword } from '../../kiosk/console/passwords.ts';
import { remoteFetchFor, remoteQueueFactory } from '../../server/clients/remote-queue.ts';
import { readServerTls, startProblems } from '../../server/tls.ts';
import { freePort } from '../helpers/browser.ts';
import { fakeClock, tempDbPath } from '../helpers/engine.ts';

/**
 * Issue 10 item 9: TLS on the LAN. Certificates are made here with the openssl CLI: a hall CA,
 * two server certificates it signs (the second for the SIGHUP reload), and another CA with a
 * server certificate of its own (must be refused by a terminal that pins the hall CA).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const DEVICES_OFF = { devices: { idcard: { mode: 'off' }, scanner: { mode: 'off' }, printer: { mode: 'off' }, dispenser: { mode: 'off' } } };
let dir: string;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}
function makeCa(name: string): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '30',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
}
function makeServerCert(name: string, ca: string): void {
  writeFileSync(join(dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '30',
    '-out',
    `${name}.pem`,
    '-extfile',
    `${name}.ext`,
  );
}
const file = (name: string) => join(dir, name);
const fingerprintOf = (pem: string) => new X509Certificate(readFileSync(file(pem))).fingerprint256;

/** The fingerprint of the certificate a server presents to a client that trusts `ca`. */
function servedFingerprint(port: number, ca: string): Promise<string> {
  return new Promise((res, rej) => {
    const socket = connect({ host: '127.0.0.1', port, ca: readFileSync(file(ca)) }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.end();
      res(fp);
    });
    socket.on('error', rej);
  });
}
function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    get(url, { ca: readFileSync(file(ca)) }, (r) => {
      let body = '';
      r.on('data', (c) => (body += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
    }).on('error', rej);
  });
}

/** Every daemon started here, SIGKILLed at the end in case a test failed before stopping it. */
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** The real daemon (kiosk/main.ts) as a child process with a site file. */
function daemon(site: unknown, args: string[] = []) {
  const data = mkdtempSync(join(dir, 'data-'));
  const siteFile = join(data, 'site.json');
  writeFileSync(siteFile, JSON.stringify(site));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'kiosk/main.ts', '--config', siteFile, '--data-dir', data, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, output: () => output };
}

/** Polls until `probe` yields a value (each attempt may fail); the test's own timeout bounds it. */
async function until<T>(probe: () => Promise<T | undefined>, alive: () => boolean = () => true): Promise<T> {
  for (;;) {
    if (!alive()) throw new Error('the daemon exited');
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Secrets that are not the published development ones (a live daemon refuses those first). */
function siteSecrets() {
  const defaults = JSON.parse(readFileSync(join(ROOT, 'config/defaults.json'), 'utf8'));
  const secret = () => randomBytes(24).toString('base64url');
  return {
    privacy: { hmacKey: secret() },
    api: {
      hallServerTokens: [secret()],
      terminalTokens: [secret()],
      accounts: defaults.api.accounts.map((a: object) => ({ ...a, passwordHash: hashPassword(secret()) })),
    },
    counters: defaults.counters.map((c: object) => ({ ...c, token: secret() })),
    evaluation: { phoneKey: secret() },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-tls-'));
  makeCa('hall-ca');
  makeServerCert('server-1', 'hall-ca');
  makeServerCert('server-2', 'hall-ca');
  makeCa('other-ca');
  makeServerCert('stranger', 'other-ca');
  mkdirSync(file('live'));
  copyFileSync(file('server-1.pem'), file('live/cert.pem'));
  copyFileSync(file('server-1.key'), file('live/key.pem'));
}, 60_000);

describe('the daemon serves HTTPS with api.tls and reloads it on SIGHUP', () => {
  it('serves the created certificate, and after SIGHUP the new one, without restarting', async () => {
    const port = await freePort();
    const d = daemon({ ...DEVICES_OFF, api: { port, tls: { certFile: file('live/cert.pem'), keyFile: file('live/key.pem') } } });
    const alive = () => d.child.exitCode === null;
    try {
      const info = await until(async () => {
        const r = await httpsGet(`https://127.0.0.1:${port}/api/v1/kiosk/info`, 'hall-ca.pem');
        return r.status === 200 ? r : undefined;
      }, alive);
      expect(JSON.parse(info.body).hall.name).toBeTruthy();
      expect(await servedFingerprint(port, 'hall-ca.pem')).toBe(fingerprintOf('server-1.pem'));

      // A renewed certificate: replace the files, SIGHUP, and the same process serves the new one.
      copyFileSync(file('server-2.pem'), file('live/cert.pem'));
      copyFileSync(file('server-2.key'), file('live/key.pem'));
      const pid = d.child.pid;
      d.child.kill('SIGHUP');
      const fp2 = fingerprintOf('server-2.pem');
      await until(async () => ((await servedFingerprint(port, 'hall-ca.pem')) === fp2 ? true : undefined), alive);
      expect(d.child.pid).toBe(pid);
      expect(alive()).toBe(true);

      // A broken file on SIGHUP keeps the certificate in use and the daemon running.
      writeFileSync(file('live/cert.pem'), 'not a certificate');
      d.child.kill('SIGHUP');
      await until(async () => (/TLS reload failed/.test(d.output()) ? true : undefined), alive);
      expect(await servedFingerprint(port, 'hall-ca.pem')).toBe(fp2);
      expect((await httpsGet(`https://127.0.0.1:${port}/api/v1/kiosk/info`, 'hall-ca.pem')).status).toBe(200);
    } finally {
      d.child.kill('SIGTERM');
      await d.exited;
    }
  }, 120_000);

  it("gives the kiosk's own screen plain HTTP on loopback (api.screenPort) with the same routes and credentials", async () => {
    const port = await freePort();
    const screenPort = await freePort();
    const d = daemon({ ...DEVICES_OFF, api: { port, screenPort, tls: { certFile: file('server-1.pem'), keyFile: file('server-1.key') } } });
    const alive = () => d.child.exitCode === null;
    try {
      await until(async () => ((await httpsGet(`https://127.0.0.1:${port}/api/v1/kiosk/info`, 'hall-ca.pem')).status === 200 ? true : undefined), alive);
      // The screen's page and the citizen API over plain HTTP, from loopback.
      expect((await fetch(`http://127.0.0.1:${screenPort}/api/v1/kiosk/info`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${screenPort}/`)).status).toBe(200);
      // Not a way around the credentials: a non-citizen route still needs its token.
      expect((await fetch(`http://127.0.0.1:${screenPort}/api/v1/queue/status`)).status).toBe(401);
      // The TLS port does not speak plain HTTP.
      await expect(fetch(`http://127.0.0.1:${port}/api/v1/kiosk/info`)).rejects.toThrow();
    } finally {
      d.child.kill('SIGTERM');
      await d.exited;
    }
  }, 120_000);
});

describe('a remote queue over https with the hall CA pinned (server/clients/pinned-fetch.ts)', () => {
  const opened: { close(): Promise<unknown> }[] = [];
  afterAll(async () => {
    for (const o of opened.reverse()) await o.close();
  });

  /** A queue holder serving `cert` over https, and a terminal B pinned to the hall CA. */
  async function holderAndTerminal(cert: string) {
    const holder = createKiosk(loadConfig({ overlay: DEVICES_OFF }), { clock: fakeClock(), dbPath: tempDbPath() });
    const app = await buildServer(holder, { https: readServerTls({ certFile: file(`${cert}.pem`), keyFile: file(`${cert}.key`) }) });
    opened.push(app);
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    expect(url).toMatch(/^https:\/\//);
    const remote = { url, token: 'dev-terminal-token-0001', caFile: file('hall-ca.pem') };
    const config = loadConfig({ overlay: { ...DEVICES_OFF, queue: { remote } } });
    expect(startProblems(config, { insecureDev: false })).toEqual([]);
    const terminal: Kiosk = createKiosk(config, {
      clock: fakeClock(),
      dbPath: tempDbPath(),
      remoteQueue: remoteQueueFactory,
      remoteFetch: remoteFetchFor(remote),
    });
    const tApp = await buildServer(terminal);
    opened.push(tApp);
    return { holder, terminal, tApp };
  }

  it('issues through the holder whose certificate the hall CA signed; the calendar mirror uses the same pinned transport', async () => {
    const { holder, terminal, tApp } = await holderAndTerminal('server-1');
    const res = await tApp.inject({
      method: 'POST',
      url: '/api/v1/kiosk/tickets',
      payload: { serviceCode: 'general', useIdentity: false, requestId: 'tls-remote-0001' },
    });
    expect(res.statusCode).toBe(200);
    expect((await holder.engine!.reader.ticket(res.json().ticket.id)).displayNo).toBe(res.json().ticket.displayNo);
    await terminal.calendarSync!.refresh();
    expect(terminal.calendarSync!.status().lastError).toBeNull();
  });

  it('refuses a holder whose certificate another CA signed (QUEUE_REMOTE_UNAVAILABLE, nothing issued)', async () => {
    const { holder, terminal } = await holderAndTerminal('stranger');
    const err = await terminal.queue.status().catch((e: unknown) => e);
    expect(isKioskError(err) && err.code).toBe('QUEUE_REMOTE_UNAVAILABLE');
    await terminal.calendarSync!.refresh();
    expect(terminal.calendarSync!.status().lastError).toMatch(/certificate/i);
    expect((await holder.queue.status()).services.every((s) => s.waiting === 0)).toBe(true);
  });
});

describe('the daemon refuses to start on an insecure LAN transport (exit 78)', () => {
  it('refuses an http queue.remote and one without a CA file, naming the keys', async () => {
    const d = daemon({ ...DEVICES_OFF, queue: { remote: { url: 'http://127.0.0.1:9', token: 'dev-terminal-token-0001' } } });
    expect(await d.exited).toBe(78);
    expect(d.output()).toContain('queue.remote.url 必须使用 https://');
    expect(d.output()).toContain('queue.remote.caFile 未配置');
  }, 60_000);

  it('refuses a LAN-bound daemon without api.tls unless --insecure-dev (then plain HTTP is a loud demo)', async () => {
    const port = await freePort();
    const d = daemon({ ...DEVICES_OFF, ...siteSecrets(), api: { ...siteSecrets().api, host: '0.0.0.0', port } });
    expect(await d.exited).toBe(78);
    expect(d.output()).toContain('未配置 api.tls');
    const lan = loadConfig({ overlay: { api: { host: '0.0.0.0' } } });
    expect(startProblems(lan, { insecureDev: false })).toHaveLength(1);
    expect(startProblems(lan, { insecureDev: true })).toEqual([]);
    const withTls = loadConfig({ overlay: { api: { host: '0.0.0.0', tls: { certFile: file('server-1.pem'), keyFile: file('server-1.key') } } } });
    expect(startProblems(withTls, { insecureDev: false })).toEqual([]);
    const mismatched = loadConfig({ overlay: { api: { host: '0.0.0.0', tls: { certFile: file('server-1.pem'), keyFile: file('server-2.key') } } } });
    expect(startProblems(mismatched, { insecureDev: false })[0]).toMatch(/api\.tls/);
  }, 60_000);
});
