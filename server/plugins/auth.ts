import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { KioskConfig } from '../../config/schema.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { SESSION_COOKIE, type ConsoleSessions } from './console-sessions.ts';

/**
 * THE credential check of the daemon. Every route declares who may call it (`config.auth`, built
 * with `auth(...)`); this plugin's `onRequest` hook — before body parsing and validation — finds
 * the credential, compares it in constant time, applies the loopback rule and the failed-attempt
 * backoff, and refuses with AUTH_* errors that the common error handler shapes. Nothing else in
 * server/ compares a secret or builds a 401/403.
 *
 * Credentials: `Authorization: Bearer <token>` (hall server and call displays, counters, other
 * kiosks), the console session cookie (`hk_console`, set by POST /api/v1/console/login: role
 * hall-admin is the caller kind "admin", role technician the kind "technician"), `?token=` on
 * /display/* only (EventSource cannot send headers), and "loopback" — the kiosk's own Chromium on
 * this machine — for the citizen routes (/kiosk/*, /dev/*) and /docs only.
 *
 * A request authenticated by the cookie that changes something (any method but GET/HEAD) must
 * carry an `Origin` equal to the daemon's own and, if it has a body, a JSON one (CSRF; the cookie
 * is SameSite=Strict as well).
 */
export const CREDENTIALS = ['hall-server', 'counter', 'terminal', 'admin', 'technician', 'loopback'] as const;
export type Credential = (typeof CREDENTIALS)[number];

export type Caller =
  | { kind: 'hall-server' }
  | { kind: 'counter'; counterNo: number }
  | { kind: 'terminal' }
  | { kind: 'admin'; user: string; session: string }
  | { kind: 'technician'; user: string; session: string }
  | { kind: 'loopback' }
  | { kind: 'anonymous' };

export interface RouteAuth {
  /** The kinds of caller admitted; `[]` with `public: true` admits everyone. */
  readonly allow: readonly Credential[];
  /** A counter token acts only on the counter named by this path parameter. */
  readonly ownCounter?: string;
  /** `?token=` carries a bearer token (EventSource). Only routes under /api/v1/display/ may set it. */
  readonly queryToken?: boolean;
  /** No credential needed (static UI files). */
  readonly public?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    caller: Caller;
  }
}

/** Route config: `{ config: auth('hall-server', 'admin') }`. */
export function auth(...allow: Credential[]): { auth: RouteAuth } {
  return { auth: { allow } };
}
/** Counter operations: the counter's own token (matched against `param`), a hall-server token, or admin. */
export function counterAuth(param = 'counterNo'): { auth: RouteAuth } {
  return { auth: { allow: ['hall-server', 'admin', 'counter'], ownCounter: param } };
}
/** Call displays: hall-server token by header or `?token=`, or admin. */
export function displayAuth(): { auth: RouteAuth } {
  return { auth: { allow: ['hall-server', 'admin'], queryToken: true } };
}
export const PUBLIC: { auth: RouteAuth } = { auth: { allow: [], public: true } };

/** Routes outside /api/v1 that are not UI files: the API documentation. */
const DOCS_AUTH: RouteAuth = { allow: ['admin', 'loopback'] };

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via'] as const;

export function isLoopbackAddress(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');
}

/** Failed authentications per client address: after FREE_FAILURES, 429 for a period that doubles. */
export const FREE_FAILURES = 10;
/** Wrong passwords for one console account before it is locked (the lock doubles each time). */
export const ACCOUNT_FREE_FAILURES = 5;
const FIRST_LOCK_MS = 1_000;
const MAX_LOCK_MS = 15 * 60_000;
const FORGET_MS = 60 * 60_000;

interface Attempts {
  failures: number;
  lockedUntil: number;
  last: number;
}

export class FailedAttempts {
  readonly #byAddress = new Map<string, Attempts>();
  readonly #now: () => number;
  readonly #free: number;
  constructor(now: () => number = () => performance.now(), free = FREE_FAILURES) {
    this.#now = now;
    this.#free = free;
  }
  /** Milliseconds this address must still wait, or 0. */
  lockedFor(address: string): number {
    const a = this.#byAddress.get(address);
    return a ? Math.max(0, Math.ceil(a.lockedUntil - this.#now())) : 0;
  }
  fail(address: string): void {
    const now = this.#now();
    this.#sweep(now);
    const a = this.#byAddress.get(address) ?? { failures: 0, lockedUntil: 0, last: now };
    a.failures += 1;
    a.last = now;
    if (a.failures >= this.#free) a.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(30, a.failures - this.#free));
    this.#byAddress.set(address, a);
  }
  succeed(address: string): void {
    this.#byAddress.delete(address);
  }
  #sweep(now: number): void {
    if (this.#byAddress.size < 10_000) return;
    for (const [k, v] of this.#byAddress) if (now - v.last > FORGET_MS && v.lockedUntil < now) this.#byAddress.delete(k);
  }
}

/**
 * Secrets compared in constant time: both sides are reduced to HMAC-SHA256 digests under a key
 * made at start-up (fixed length, so no length short-circuit), and the presented value is compared
 * with EVERY candidate, accumulating the result without an early return.
 */
export class SecretTable<T> {
  readonly #key = randomBytes(32);
  readonly #entries: { digest: Buffer; value: T }[];
  constructor(entries: readonly (readonly [secret: string, value: T])[]) {
    this.#entries = entries.map(([secret, value]) => ({ digest: this.#digest(secret), value }));
  }
  #digest(s: string): Buffer {
    return createHmac('sha256', this.#key).update(s, 'utf8').digest();
  }
  /** The value of the matching entry (the last one if several match), or undefined. */
  find(presented: string): T | undefined {
    const d = this.#digest(presented);
    let found = -1;
    for (let i = 0; i < this.#entries.length; i++) {
      const eq = timingSafeEqual(d, this.#entries[i]!.digest) ? 1 : 0;
      found = eq * i + (1 - eq) * found;
    }
    return found >= 0 ? this.#entries[found]!.value : undefined;
  }
  /** Whether `presented` equals any secret, in constant time. */
  has(presented: string): boolean {
    return this.find(presented) !== undefined;
  }
}

/** Names the daemon answers to: loopback names, api.host, api.allowedHosts. */
export function allowedHostNames(config: KioskConfig): Set<string> {
  return new Set(['localhost', '127.0.0.1', '::1', config.api.host, ...config.api.allowedHosts].map((h) => h.toLowerCase()));
}

/** `Host: name:port` → `name`, `[::1]:80` → `::1`. */
export function hostName(host: string | undefined): string {
  if (!host) return '';
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.indexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** A property of a parsed request part that has not been validated yet (onRequest runs before validation). */
function field(part: unknown, name: string): unknown {
  return typeof part === 'object' && part !== null && Object.hasOwn(part, name) ? (part as Record<string, unknown>)[name] : undefined;
}

type Presented = { type: 'none' } | { type: 'bearer'; token: string } | { type: 'session'; id: string } | { type: 'malformed' };

function presentedCredential(request: FastifyRequest, route: RouteAuth): Presented {
  if (route.queryToken) {
    const token = field(request.query, 'token');
    if (typeof token === 'string') return { type: 'bearer', token };
  }
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    const id = request.cookies?.[SESSION_COOKIE];
    return id ? { type: 'session', id } : { type: 'none' };
  }
  const space = header.indexOf(' ');
  const scheme = space > 0 ? header.slice(0, space).toLowerCase() : '';
  const value = space > 0 ? header.slice(space + 1).trim() : '';
  if (scheme === 'bearer' && value) return { type: 'bearer', token: value };
  return { type: 'malformed' };
}

export interface AuthPluginOptions {
  config: KioskConfig;
  /** The console sessions (POST /api/v1/console/login creates them). */
  sessions: ConsoleSessions;
  /** Failed authentications per address (shared with the console login). */
  attempts?: FailedAttempts;
  /** For tests: the clock of the backoff (monotonic ms). */
  now?: () => number;
}

/** `http://host:port` of a request as the browser names the daemon (default ports left out). */
export function ownOrigin(request: FastifyRequest): string {
  const proto = request.protocol === 'https' ? 'https' : 'http';
  const host = (request.headers.host ?? '').trim().toLowerCase();
  const defaultPort = proto === 'https' ? ':443' : ':80';
  return `${proto}://${host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host}`;
}

/**
 * CSRF rule of the cookie credential: a state-changing request needs an `Origin` equal to the
 * daemon's own (with a Host the daemon answers to) and, if it has a body, a JSON one.
 */
export function checkSameOrigin(request: FastifyRequest, hosts: ReadonlySet<string>): void {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin.toLowerCase() !== ownOrigin(request) || !hosts.has(hostName(request.headers.host))) {
    throw new KioskError('AUTH_CSRF', { reason: 'origin' });
  }
  const type = request.headers['content-type'];
  const hasBody = type !== undefined || (request.headers['content-length'] ?? '0') !== '0' || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && !/^application\/json\s*(;|$)/i.test(type ?? '')) throw new KioskError('AUTH_CSRF', { reason: 'content-type' });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function authPlugin(app: FastifyInstance, { config, sessions, attempts: sharedAttempts, now }: AuthPluginOptions): Promise<void> {
  const tokens = new SecretTable<Caller>([
    ...config.api.hallServerTokens.map((t) => [t, { kind: 'hall-server' }] as const),
    ...config.counters.map((c) => [c.token, { kind: 'counter', counterNo: c.number }] as const),
    ...config.api.terminalTokens.map((t) => [t, { kind: 'terminal' }] as const),
  ]);
  const hosts = allowedHostNames(config);
  const attempts = sharedAttempts ?? new FailedAttempts(now);

  /** The kiosk's own browser: a loopback socket, no proxy in between, a Host of ours (DNS rebinding). */
  const isLocalBrowser = (request: FastifyRequest): boolean => {
    if (!isLoopbackAddress(request.socket.remoteAddress ?? '')) return false;
    if (FORWARDING_HEADERS.some((h) => request.headers[h] !== undefined)) return false;
    return hosts.has(hostName(request.headers.host));
  };

  const identify = (presented: Presented): Caller | null => {
    switch (presented.type) {
      case 'bearer':
        return tokens.find(presented.token) ?? null;
      case 'session': {
        const s = sessions.get(presented.id);
        if (!s) return null;
        return s.role === 'hall-admin' ? { kind: 'admin', user: s.user, session: presented.id } : { kind: 'technician', user: s.user, session: presented.id };
      }
      default:
        return null;
    }
  };

  app.decorateRequest('caller', null as never);

  // Every API route must say who may call it: a route without `config.auth` does not start.
  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url ?? '';
    const config = (route.config ?? {}) as { auth?: RouteAuth };
    if (url.startsWith('/docs')) {
      route.config = { ...route.config, auth: DOCS_AUTH } as typeof route.config;
      return;
    }
    if (config.auth?.queryToken && !url.startsWith('/api/v1/display/')) throw new Error(`${url}: ?token= is accepted on /api/v1/display/* only`);
    if (url.startsWith('/api/') && !config.auth) throw new Error(`${route.method} ${url} declares no config.auth`);
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.caller = { kind: 'anonymous' };
    const route = request.routeOptions.config?.auth;
    if (!route || route.public) return; // UI files, and the 404 handler
    const address = request.ip;
    const presented = presentedCredential(request, route);

    if (presented.type === 'session') {
      // 256 random bits cannot be guessed: an unknown cookie is an ended session, not an attack,
      // and does not count against the address (the console polls; it stops on this 401).
      // The kiosk's own browser may hold a technician's cookie too: on a citizen route it is loopback.
      const caller = identify(presented);
      if (caller && route.allow.includes(caller.kind as Credential)) request.caller = caller;
      else if (route.allow.includes('loopback') && isLocalBrowser(request)) request.caller = { kind: 'loopback' };
      else if (caller) request.caller = caller;
      else throw new KioskError('AUTH_SESSION_EXPIRED');
      const k = request.caller.kind;
      if ((k === 'admin' || k === 'technician') && !SAFE_METHODS.has(request.method)) checkSameOrigin(request, hosts);
    } else if (presented.type !== 'none') {
      const wait = attempts.lockedFor(address);
      if (wait > 0) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        throw new KioskError('AUTH_LOCKED', { retryAfterSeconds: Math.ceil(wait / 1000) });
      }
      const caller = identify(presented);
      if (!caller) {
        attempts.fail(address);
        reply.header('www-authenticate', 'Bearer');
        throw new KioskError('AUTH_INVALID');
      }
      attempts.succeed(address);
      request.caller = caller;
    } else if (route.allow.includes('loopback') && isLocalBrowser(request)) {
      request.caller = { kind: 'loopback' };
    }

    const kind = request.caller.kind;
    if (kind === 'anonymous') {
      reply.header('www-authenticate', 'Bearer');
      throw new KioskError('AUTH_REQUIRED');
    }
    if (!route.allow.includes(kind)) throw new KioskError('AUTH_FORBIDDEN', { caller: kind });
    if (request.caller.kind === 'counter' && route.ownCounter) {
      const target = Number(field(request.params, route.ownCounter));
      if (target !== request.caller.counterNo) throw new KioskError('AUTH_FORBIDDEN', { caller: 'counter', reason: 'other-counter' }, '无权操作其他窗口');
    }
  });
}

export default fp(authPlugin, { name: 'hall-kiosk-auth', fastify: '5.x' });
