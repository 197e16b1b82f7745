import type { Credential } from '../../server/plugins/auth.ts';

/**
 * The expected authorization model, one row per route pattern (first match wins). The matrix
 * test (auth-matrix.test.ts) checks every operation of the OpenAPI document against it, and fails
 * on an operation no row covers. The same table is in README's security section.
 */
const H: Credential = 'hall-server';
const C: Credential = 'counter';
const T: Credential = 'terminal';
const A: Credential = 'admin'; // a console session of role hall-admin
const TE: Credential = 'technician'; // a console session of role technician: devices and diagnostics
const L: Credential = 'loopback';

export const AUTH_TABLE: readonly (readonly [pattern: string, allowed: readonly Credential[]])[] = [
  ['GET /api/v1/queue/status', [H, C, T, A]],
  ['GET /api/v1/events', [H, C, T, A]],
  ['GET /api/v1/stats/day', [H, C, A]],
  ['GET /api/v1/assistance', [H, C, A]],
  ['POST /api/v1/counters/{counterNo}/*', [H, C, A]], // a counter: its own number only
  ['GET /api/v1/counters/{counterNo}/workstation', [H, C, A]], // a counter: its own number only
  ['* /api/v1/alerts*', [H, C, A, TE]], // a counter: the hall's alerts and its own
  ['GET /api/v1/reports/*', [H, A]],
  ['* /api/v1/tickets/*', [H, C, A]],
  ['* /api/v1/appointments*', [H, C, A]],
  ['GET /api/v1/terminal/calendar', [T, A, H]], // the hall server syncs the calendar too
  ['* /api/v1/terminal/*', [T, A]],
  ['GET /api/v1/calendar/coverage', [H, C, T, A, L]],
  ['GET /api/v1/devices', [H, A, TE]],
  ['POST /api/v1/admin/devices/*', [A, TE]],
  ['* /api/v1/dev/*', [L, A, TE]],
  ['* /api/v1/kiosk/guides*', [L, A]],
  ['* /api/v1/kiosk/*', [L]],
  ['* /api/v1/evaluator/*', [C]],
  ['GET /api/v1/evaluations/stats', [H, C, A]],
  ['GET /api/v1/evaluations/public', [H, C, T, A]],
  ['GET /api/v1/evaluations/cases/{id}/contact', [A]],
  ['* /api/v1/evaluations*', [H, A]],
  ['GET /api/v1/admin/calendar/working-days', [H, A]],
  ['* /api/v1/admin/calendar*', [A]],
  ['GET /api/v1/display/*', [H, A]], // also ?token=<hall-server token>
  ['GET /api/v1/console/audit', [A]],
  ['* /api/v1/console/config*', [A]],
  ['* /api/v1/console/guides*', [A]], // 办事指南内容: hall-admin only
  ['* /api/v1/console/backups*', [A]], // a backup holds identity hashes and encrypted contacts
  ['* /api/v1/console/hall*', [A]], // hall, counters, credentials, pairing codes
  ['GET /api/v1/console/logs', [A, TE]],
  ['* /api/v1/console/paper*', [A, TE]],
  ['GET /api/v1/console/diagnostics', [A, TE]],
  ['* /api/v1/console/*', [A, TE]], // login is public (below); logout and session: either role
];

/** Routes anyone may call without a credential (PUBLIC in server/plugins/auth.ts): 防伪 verification. */
export const PUBLIC_PATTERNS: readonly string[] = ['* /api/v1/verify/*', 'POST /api/v1/console/login', 'POST /api/v1/pairing/claim'];
export function isPublic(method: string, path: string): boolean {
  return PUBLIC_PATTERNS.some((p) => matches(p, method, path));
}

function matches(pattern: string, method: string, path: string): boolean {
  const [m, p] = pattern.split(' ') as [string, string];
  if (m !== '*' && m !== method) return false;
  const body = p
    .split('*')
    .map((part) => part.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+'))
    .join('.*');
  const re = new RegExp(`^${body}$`);
  return re.test(path);
}

/** The credentials admitted on an OpenAPI operation (`path` in OpenAPI form, `{param}`), or null if no row covers it. */
export function allowedOn(method: string, path: string): readonly Credential[] | null {
  for (const [pattern, allowed] of AUTH_TABLE) if (matches(pattern, method, path)) return allowed;
  return null;
}

export const SSE_PATHS = new Set(['/api/v1/events', '/api/v1/display/stream', '/api/v1/evaluator/stream', '/api/v1/kiosk/events']);

export interface Operation {
  method: string;
  path: string;
  op: OpenApiOperation;
}
export interface OpenApiSchema {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  anyOf?: OpenApiSchema[];
  minProperties?: number;
}
export interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema: OpenApiSchema }[];
  requestBody?: { content: Record<string, { schema: OpenApiSchema }> };
}

export function operations(doc: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
      .map(([m, op]) => ({ method: m.toUpperCase(), path, op })),
  );
}

/** A value the schema accepts (used for path parameters and as the base of fuzzed bodies). */
export function sample(schema: OpenApiSchema | undefined, name = ''): unknown {
  if (!schema) return undefined;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0], name);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], key);
      if (Object.keys(out).length < (schema.minProperties ?? 0)) {
        const first = Object.keys(schema.properties ?? {})[0];
        if (first) out[first] = sample(schema.properties?.[first], first);
      }
      return out;
    }
    case 'string':
      return sampleString(schema, name);
    default:
      return null;
  }
}

const PATTERN_SAMPLES: [RegExp, string][] = [
  [/A-Za-z\]\{1,2\}/, 'A001'],
  [/\(19\|20\|21\)\\d\{2\}-\(0\[1-9\]\|1\[0-2\]\)-/, '2026-11-23'],
  [/\(19\|20\|21\)\\d\{2\}-\(0\[1-9\]\|1\[0-2\]\)\(/, '2026-11'],
  [/\\d\{4\}-\\d\{2\}-\\d\{2\}/, '2026-11-23'],
  [/\[01\]\[0-9\]\|2\[0-3\]/, '09:00'],
  [/\[0-9\]\{17\}/, '11010519491231002X'],
  [/A-Za-z0-9_-\]\{1,32\}/, 'S001'],
  [/\^\[a-z\]\[a-z0-9-\]\*\$/, 'no-such-action'],
  [/x21-/, 'not-a-valid-token-0000'],
];

function sampleString(schema: OpenApiSchema, name: string): string {
  if (schema.pattern) for (const [re, value] of PATTERN_SAMPLES) if (re.test(schema.pattern)) return value;
  const base = name === 'serviceCode' ? 'general' : 'sample-value-0001';
  const min = schema.minLength ?? 0;
  return base.padEnd(min, 'x').slice(0, schema.maxLength ?? base.length);
}

/** A concrete URL for an OpenAPI path, with sampled path parameters. */
export function concretePath(o: Operation): string {
  return o.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const p = o.op.parameters?.find((x) => x.in === 'path' && x.name === name);
    return encodeURIComponent(String(sample(p?.schema, name) ?? '1'));
  });
}
