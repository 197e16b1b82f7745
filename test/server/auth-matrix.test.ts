import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../server/plugins/auth.ts';
import { ADMIN, COUNTER, HALL, makeServer, reseedSessions, TECHNICIAN, TERMINAL, type TestServer } from '../helpers/server.ts';
import { allowedOn, concretePath, isPublic, operations, SSE_PATHS, type Operation } from './auth-table.ts';

// Every route of the OpenAPI document × every kind of caller, against the table in auth-table.ts.
// Callers with a credential come from a LAN address; "loopback" is the kiosk's own browser (no
// credential, 127.0.0.1, no proxy headers). Each wrong credential comes from its own address, so
// the failed-attempt backoff does not turn the expected 401s into 429s.
let s: TestServer;
let base: string;
let ops: Operation[];
beforeAll(async () => {
  s = await makeServer();
  base = await s.app.listen({ host: '127.0.0.1', port: 0 });
  const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json();
  ops = operations(doc);
});
afterAll(async () => {
  await s?.close();
});

type Caller = Credential | 'none' | 'wrong';
const CALLERS: readonly Caller[] = ['none', 'wrong', 'hall-server', 'counter', 'terminal', 'admin', 'technician', 'loopback'];
const HEADERS: Record<Credential, Record<string, string>> = {
  'hall-server': HALL,
  counter: COUNTER(1),
  terminal: TERMINAL,
  admin: ADMIN,
  technician: TECHNICIAN,
  loopback: {},
};

let lan = 0;
const nextLanAddress = () => `10.20.${(++lan >> 8) & 255}.${lan & 255}`;

/** Status of a request from `caller`; SSE routes over real HTTP (closed once the status is known). */
async function statusOf(o: Operation, caller: Caller): Promise<number> {
  const headers =
    caller === 'none' || caller === 'loopback' ? {} : caller === 'wrong' ? { authorization: 'Bearer wrong-token-for-the-matrix-000' } : HEADERS[caller];
  const remote = caller === 'loopback' ? '127.0.0.1' : nextLanAddress();
  const url = concretePath(o);
  if (SSE_PATHS.has(o.path)) {
    // Over a real socket the client address is 127.0.0.1: a LAN caller is simulated with a relay
    // header, which the loopback rule treats as "not the kiosk's own browser".
    const h = caller === 'loopback' ? headers : { ...headers, 'x-forwarded-for': remote };
    return new Promise((resolve, reject) => {
      const req = http.get(`${base}${url}`, { headers: h }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
    });
  }
  const res = await s.app.inject({ method: o.method as 'GET', url, headers, remoteAddress: remote });
  // A console logout ends the seeded session the next rows use.
  if (o.path === '/api/v1/console/logout') reseedSessions(s.app);
  return res.statusCode;
}

function expected(allowed: readonly Credential[], caller: Caller): 'pass' | 401 | 403 {
  if (caller === 'none' || caller === 'wrong') return 401;
  if (caller === 'loopback') return allowed.includes('loopback') ? 'pass' : 401;
  return allowed.includes(caller) ? 'pass' : 403;
}

describe('authorization matrix', () => {
  it('covers every operation of the OpenAPI document with a row of the table', () => {
    expect(ops.length).toBeGreaterThan(50);
    const uncovered = ops
      .filter((o) => o.path.startsWith('/api/') && !isPublic(o.method, o.path) && !allowedOn(o.method, o.path))
      .map((o) => `${o.method} ${o.path}`);
    expect(uncovered).toEqual([]);
  });

  it('answers every route × caller as the table says', async () => {
    const wrongs: string[] = [];
    let checked = 0;
    for (const o of ops.filter((x) => x.path.startsWith('/api/'))) {
      const open = isPublic(o.method, o.path);
      const allowed = allowedOn(o.method, o.path) ?? [];
      for (const caller of CALLERS) {
        const want = open ? 'pass' : expected(allowed, caller);
        const got = await statusOf(o, caller);
        checked++;
        const ok = want === 'pass' ? got !== 401 && got !== 403 && got < 500 : got === want;
        if (!ok) wrongs.push(`${o.method} ${o.path} as ${caller}: ${got}, expected ${want}`);
      }
    }
    expect(wrongs).toEqual([]);
    expect(checked).toBeGreaterThan(400);
  });

  it('lets a counter token act on its own counter only', async () => {
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/counters/2/open', headers: COUNTER(1), remoteAddress: '10.30.0.1' })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/counters/1/open', headers: COUNTER(1), remoteAddress: '10.30.0.1' })).statusCode).toBe(200);
  });

  it('serves /docs to admin and loopback only', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/docs/json', remoteAddress: '10.30.0.2' })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'GET', url: '/docs/json', headers: HALL, remoteAddress: '10.30.0.2' })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'GET', url: '/docs/json', headers: ADMIN, remoteAddress: '10.30.0.2' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/docs/', headers: { 'x-forwarded-for': '10.1.1.1' } })).statusCode).toBe(401);
  });
});
