import { mkdirSync, mkdtempSync, chmodSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../kiosk/store/database.ts';
import { FREE_FAILURES } from '../../server/plugins/auth.ts';
import { COUNTER, HALL, makeServer, TERMINAL, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await makeServer({ api: { allowedHosts: ['kiosk-07.hall.lan'] } });
});
afterAll(async () => {
  await s?.close();
});
const get = (url: string, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') => s.app.inject({ method: 'GET', url, headers, remoteAddress });

describe('loopback is for the citizen routes only', () => {
  it('refuses /queue/status, /events and /display/status from 127.0.0.1 without a token', async () => {
    for (const url of ['/api/v1/queue/status', '/api/v1/events', '/api/v1/display/status', '/api/v1/devices', '/api/v1/terminal/tickets/1']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code, url).toBe('AUTH_REQUIRED');
    }
    expect((await get('/api/v1/kiosk/info')).statusCode).toBe(200);
  });

  it('refuses a relayed request (X-Forwarded-For, Forwarded, X-Real-IP, Via)', async () => {
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via']) {
      const res = await get('/api/v1/kiosk/info', { [header]: header === 'forwarded' ? 'for=10.0.0.9' : '10.0.0.9' });
      expect(res.statusCode, header).toBe(401);
    }
  });

  it('checks Host against the configured names (DNS rebinding)', async () => {
    expect((await get('/api/v1/kiosk/info', { host: 'evil.example:8080' })).statusCode).toBe(401);
    expect((await get('/api/v1/kiosk/info', { host: '127.0.0.1.nip.io' })).statusCode).toBe(401);
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'kiosk-07.hall.lan', 'KIOSK-07.hall.lan:80']) {
      expect((await get('/api/v1/kiosk/info', { host })).statusCode, host).toBe(200);
    }
  });
});

describe('failed authentications per address', () => {
  it('answers 300 different wrong tokens from one address with 429s after the first few 401s', async () => {
    const codes: number[] = [];
    let retryAfter = '';
    const started = performance.now();
    for (let i = 0; i < 300; i++) {
      const res = await get('/api/v1/queue/status', { authorization: `Bearer guess-${i}-${'x'.repeat(i % 40)}` }, '10.66.0.1');
      codes.push(res.statusCode);
      if (res.statusCode === 429) retryAfter = String(res.headers['retry-after']);
    }
    // FREE_FAILURES answers 401, then 429 for 1 s, 2 s, 4 s…: one more guess per expired lock.
    expect(codes.slice(0, FREE_FAILURES).every((c) => c === 401)).toBe(true);
    // Locks doubling from 1 s: within t seconds at most log2(t + 1) + 1 of them can have expired.
    const extra = Math.ceil(Math.log2((performance.now() - started) / 1000 + 1)) + 1;
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(FREE_FAILURES + extra);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(300 - FREE_FAILURES - extra);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // While locked, even a right token is refused from that address (no oracle); others are unaffected.
    const locked = await get('/api/v1/queue/status', HALL, '10.66.0.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('AUTH_LOCKED');
    expect((await get('/api/v1/queue/status', { authorization: 'Bearer another-wrong-one-000' }, '10.66.0.2')).statusCode).toBe(401);
    expect((await get('/api/v1/queue/status', HALL, '10.66.0.3')).statusCode).toBe(200);
  });

  // Wrong console passwords: test/server/console-auth.test.ts (per address and per account).
});

describe('rate limits by client address', () => {
  it('puts different credentials from one address into one bucket', async () => {
    const limited = await makeServer({ api: { rateLimitPerMinute: 10 } });
    try {
      const creds = [HALL, COUNTER(1), COUNTER(2), TERMINAL];
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) {
        codes.push(
          (await limited.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: creds[i % creds.length]!, remoteAddress: '10.77.0.1' })).statusCode,
        );
      }
      expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
      expect(codes.slice(10)).toEqual([429, 429]);
      expect((await limited.app.inject({ method: 'GET', url: '/api/v1/queue/status', headers: HALL, remoteAddress: '10.77.0.2' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('security headers', () => {
  it('sends CSP without inline script, frame-ancestors none, nosniff and no-referrer on pages, API replies and refusals', async () => {
    for (const res of [await get('/'), await get('/api/v1/kiosk/info'), await get('/api/v1/queue/status'), await get('/api/v1/no-such-route')]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    const docs = await get('/docs/');
    expect(String(docs.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
  });
});

describe('connections and timeouts', () => {
  it('sets request, header and idle timeouts on the server', () => {
    expect(s.app.server.headersTimeout).toBeGreaterThan(0);
    expect(s.app.server.headersTimeout).toBeLessThanOrEqual(10_000);
    expect(s.app.server.requestTimeout).toBeGreaterThan(0);
    expect(s.app.server.requestTimeout).toBeLessThanOrEqual(30_000);
    expect(s.app.server.timeout).toBeGreaterThan(0);
  });

  it('holds at most maxConnectionsPerAddress of 300 slow connections open', async () => {
    const capped = await makeServer({ api: { maxConnectionsPerAddress: 20 } });
    const sockets: Socket[] = [];
    try {
      const address = await capped.app.listen({ host: '127.0.0.1', port: 0 });
      const port = Number(new URL(address).port);
      const closed = new Set<Socket>();
      await Promise.all(
        Array.from(
          { length: 300 },
          () =>
            new Promise<void>((resolve) => {
              const sock = connect(port, '127.0.0.1', () => {
                sock.write('GET /api/v1/kiosk/info HTTP/1.1\r\nHost: localhost\r\n'); // and never finish the headers
                resolve();
              });
              sock.on('close', () => closed.add(sock));
              sock.on('error', () => resolve());
              sockets.push(sock);
            }),
        ),
      );
      // The server accepts from its backlog at its own pace: wait until it has dealt with them all.
      const deadline = Date.now() + 15_000;
      while (closed.size < 300 - 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const open = sockets.filter((x) => !closed.has(x)).length;
      expect(open).toBeLessThanOrEqual(20);
      expect(open).toBeGreaterThan(0);
    } finally {
      sockets.forEach((x) => x.destroy());
      await capped.close();
    }
  });
});

describe('database files', () => {
  it('keeps the database 0600 in a 0700 directory', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kiosk-perm-')), 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const path = join(dir, 'kiosk.db');
    const db = openDatabase(path);
    db.prepare('CREATE TABLE IF NOT EXISTS probe (x)').run();
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    } finally {
      db.close();
    }
  });
});
