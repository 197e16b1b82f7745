import { connect } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../../server/plugins/auth.ts';
import { ADMIN, COUNTER, HALL, makeServer, reseedSessions, TECHNICIAN, TERMINAL, type TestServer } from '../helpers/server.ts';
import { allowedOn, concretePath, operations, sample, SSE_PATHS, type OpenApiSchema, type Operation } from './auth-table.ts';

// Bad values for every field of every route's schema, generated from the OpenAPI document:
// wrong types, huge and fractional numbers, control characters, overlong strings. The daemon must
// answer each with a 4xx in the documented shape and a Chinese message — never a 500, never the
// validator's English in `message`.
let s: TestServer;
let ops: Operation[];
beforeAll(async () => {
  s = await makeServer();
  ops = operations((await s.app.inject({ method: 'GET', url: '/docs/json' })).json()).filter((o) => o.path.startsWith('/api/') && !SSE_PATHS.has(o.path));
});
afterAll(async () => {
  await s?.close();
});

const HEADERS: Record<Credential, Record<string, string>> = {
  'hall-server': HALL,
  counter: COUNTER(1),
  terminal: TERMINAL,
  admin: ADMIN,
  technician: TECHNICIAN,
  loopback: {},
};
const CHINESE = /[\u4e00-\u9fff]/;
/** The first credential the table admits on the route; none for a public route (防伪 verification). */
const headersFor = (o: Operation): Record<string, string> => {
  const who = allowedOn(o.method, o.path)?.[0];
  return who ? HEADERS[who] : {};
};
/**
 * Credentialed routes are fuzzed from a LAN address of their own: bad `?token=` values are failed
 * authentications, and the backoff they earn must not lock the next routes (or the loopback
 * address of the kiosk routes) into 429s. Loopback and public routes stay on 127.0.0.1.
 */
const lanOf = new Map<string, string>();
const addressFor = (o: Operation): string => {
  const who = allowedOn(o.method, o.path)?.[0];
  if (!who || who === 'loopback') return '127.0.0.1';
  const key = `${o.method} ${o.path}`;
  if (!lanOf.has(key)) lanOf.set(key, `10.40.${(lanOf.size >> 8) & 255}.${(lanOf.size + 1) & 255}`);
  return lanOf.get(key)!;
};

const BAD_VALUES: unknown[] = [
  1e308,
  -1e308,
  2 ** 53 + 2,
  1.5,
  -1,
  'x'.repeat(5000),
  'a\u0000b',
  'line\u001bnext',
  '\u0007',
  '',
  true,
  null,
  [],
  [1, 2],
  {},
  { $ne: 1 },
  '1e308',
  '２０２６-１１-２３',
];

interface Reply {
  statusCode: number;
  json(): { error?: { code?: string; message?: string; details?: unknown } };
  body: string;
}

const problems: string[] = [];
function check(label: string, res: Reply): void {
  if (res.statusCode >= 500) problems.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  if (res.statusCode >= 400 && res.statusCode < 500) {
    let err;
    try {
      err = res.json().error;
    } catch {
      problems.push(`${label}: ${res.statusCode} not JSON`);
      return;
    }
    if (!err?.code || !err.message || typeof err.details !== 'object')
      problems.push(`${label}: ${res.statusCode} not in the error shape: ${res.body.slice(0, 120)}`);
    else if (!CHINESE.test(err.message) || /must|should|NOT have|property/i.test(err.message))
      problems.push(`${label}: message not a Chinese screen text: ${err.message}`);
  }
}

function fieldsOf(schema: OpenApiSchema | undefined, prefix = ''): string[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).flatMap(([k, v]) => [prefix + k, ...fieldsOf(v.type === 'object' ? v : undefined, `${prefix}${k}.`)]);
}
function setPath(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  const keys = path.split('.');
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
}

describe('fuzzing every route from its OpenAPI schema', () => {
  it('never answers 500, and refuses in the documented shape with a Chinese message', async () => {
    let sent = 0;
    for (const o of ops) {
      const headers = headersFor(o);
      const remoteAddress = addressFor(o);
      const url = concretePath(o);
      const send = async (label: string, u: string, payload?: unknown) => {
        sent++;
        const res = await s.app.inject({
          method: o.method as 'POST',
          url: u,
          headers: { ...headers, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
          remoteAddress,
          ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
        });
        check(`${o.method} ${o.path} ${label}`, res);
        // A console logout ends the seeded session the next routes use.
        if (o.path === '/api/v1/console/logout') reseedSessions(s.app);
      };
      // Path parameters.
      for (const p of o.op.parameters?.filter((x) => x.in === 'path') ?? []) {
        for (const bad of BAD_VALUES) {
          if (bad === '' || (typeof bad === 'object' && bad !== null)) continue;
          const u = o.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
            name === p.name ? encodeURIComponent(String(bad)) : encodeURIComponent(String(sample(o.op.parameters?.find((x) => x.name === name)?.schema, name))),
          );
          await send(`path ${p.name}=${String(bad).slice(0, 20)}`, u);
        }
      }
      // Query parameters (one at a time; repeated keys become arrays).
      for (const q of o.op.parameters?.filter((x) => x.in === 'query') ?? []) {
        for (const bad of BAD_VALUES) {
          const values = Array.isArray(bad) ? bad.map(String) : [typeof bad === 'object' && bad !== null ? JSON.stringify(bad) : String(bad)];
          await send(`query ${q.name}=${String(bad).slice(0, 20)}`, `${url}?${values.map((v) => `${q.name}=${encodeURIComponent(v)}`).join('&')}`);
        }
      }
      // Body fields, and whole wrong bodies.
      const bodySchema = o.op.requestBody?.content['application/json']?.schema;
      if (bodySchema) {
        const valid = (sample(bodySchema) ?? {}) as Record<string, unknown>;
        for (const field of fieldsOf(bodySchema)) {
          for (const bad of BAD_VALUES) await send(`body ${field}=${JSON.stringify(bad).slice(0, 20)}`, url, setPath(valid, field, bad));
        }
        for (const whole of [[], 'text', 42, null, { unexpected: 1 }]) await send(`body ${JSON.stringify(whole)}`, url, whole);
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  }, 180_000); // every route × many bodies: on a loaded machine this takes a while; not a timing claim

  it('refuses a random byte soup in bodies without a 500', async () => {
    // Deterministic bytes (a linear congruence), all 256 values, lengths 1–64.
    const posts = ops.filter((o) => o.method === 'POST');
    for (let i = 0; i < 300; i++) {
      const o = posts[i % posts.length]!;
      const bytes = Buffer.from(Array.from({ length: 1 + ((i * 37) % 64) }, (_v, j) => (i * 131 + j * 71 + ((i * j) % 13)) % 256));
      const res = await s.app.inject({
        method: 'POST',
        url: concretePath(o),
        headers: { ...headersFor(o), 'content-type': 'application/json' },
        remoteAddress: addressFor(o),
        payload: bytes,
      });
      check(`${o.path} soup #${i}`, res);
      if (o.path === '/api/v1/console/logout') reseedSessions(s.app);
    }
    expect(problems).toEqual([]);
  });
});

describe("Fastify's own refusals in the documented shape", () => {
  const inject = (opts: InjectOptions) => s.app.inject(opts);

  it('unknown route, bad JSON, body too large, wrong media type, bad URL, URL too long', async () => {
    const cases: [string, Reply, number, string][] = [
      ['unknown route', await inject({ method: 'GET', url: '/api/v1/no-such-route' }), 404, 'NOT_FOUND'],
      [
        'bad JSON',
        await inject({ method: 'POST', url: '/api/v1/kiosk/assistance', headers: { 'content-type': 'application/json' }, payload: '{"screen":' }),
        400,
        'REQUEST_MALFORMED',
      ],
      [
        'too large',
        await inject({
          method: 'POST',
          url: '/api/v1/kiosk/assistance',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ screen: 'x'.repeat(300_000) }),
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'media type',
        await inject({ method: 'POST', url: '/api/v1/kiosk/assistance', headers: { 'content-type': 'text/plain' }, payload: 'screen=take' }),
        415,
        'MEDIA_TYPE_UNSUPPORTED',
      ],
      ['bad URL', await inject({ method: 'GET', url: '/api/v1/tickets/%E0%A4%A', headers: HALL }), 400, 'REQUEST_MALFORMED'],
      ['URL too long', await inject({ method: 'GET', url: `/api/v1/kiosk/guides?q=${'a'.repeat(3000)}` }), 414, 'URI_TOO_LONG'],
    ];
    for (const [label, res, status, code] of cases) {
      expect(res.statusCode, label).toBe(status);
      expect(res.json().error, label).toMatchObject({ code, message: expect.stringMatching(CHINESE), details: expect.any(Object) });
    }
  });

  it('keeps validator text out of the screen message', async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/kiosk/tickets', payload: { serviceCode: 'general', useIdentity: false, requestId: 'short' } });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.message).toBe('请求内容有误');
    expect(err.details).toMatchObject({ field: 'requestId', in: 'body' });
    expect(err.details.reason).toMatch(/fewer than 8/);
  });

  it('does not coerce bodies (screen: 123, useIdentity: null) but does coerce query strings', async () => {
    const screen = await inject({ method: 'POST', url: '/api/v1/kiosk/assistance', payload: { screen: 123 } });
    expect(screen.statusCode).toBe(400);
    const identity = await inject({
      method: 'POST',
      url: '/api/v1/kiosk/tickets',
      payload: { serviceCode: 'general', useIdentity: null, requestId: 'request-0001' },
    });
    expect(identity.statusCode).toBe(400);
    expect((await inject({ method: 'GET', url: '/api/v1/evaluations?counterNo=1&bad=true', headers: ADMIN })).statusCode).toBe(200);
  });

  it('answers ticketId 1e308 and calendar years far out with 400, not 500', async () => {
    const huge = await s.app.inject({
      method: 'POST',
      url: '/api/v1/evaluator/screens',
      headers: { ...COUNTER(1), 'content-type': 'application/json' },
      payload: '{"ticketId":1e308,"kind":"shown"}',
    });
    expect(huge.statusCode).toBe(400);
    const years = await inject({
      method: 'PUT',
      url: '/api/v1/admin/calendar/coverage',
      headers: ADMIN,
      payload: { firstYear: -(2 ** 53), lastYear: 2 ** 53 },
    });
    expect(years.statusCode).toBe(400);
    const control = await inject({ method: 'POST', url: '/api/v1/kiosk/speech', payload: { text: '请\u0000到' } });
    expect(control.statusCode).toBe(400);
  });

  it('answers headers over the limit (431) in the same shape, on the socket', async () => {
    const address = await s.app.listen({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(address).port);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`GET /api/v1/kiosk/info HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      });
      let out = '';
      socket.on('data', (d) => (out += d.toString()));
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body.error).toMatchObject({ code: 'HEADERS_TOO_LARGE', message: '请求头过大' });
  });
});
