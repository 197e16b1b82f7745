import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KioskConfig } from '../config/schema.ts';

/**
 * Who is calling. Bearer tokens identify the hall server (and call displays), each counter
 * terminal and other kiosks; the admin uses HTTP Basic credentials; the citizen UI is whatever
 * reaches the daemon from this machine's loopback interface (the kiosk's own Chromium).
 */
export type Caller =
  | { kind: 'hall-server' }
  | { kind: 'counter'; counterNo: number }
  | { kind: 'terminal' }
  | { kind: 'admin' }
  | { kind: 'loopback' }
  | { kind: 'anonymous' };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

export function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1' || ip.startsWith('127.');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function identify(config: KioskConfig, request: FastifyRequest): Caller {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    if (config.api.hallServerTokens.some((t) => same(t, token))) return { kind: 'hall-server' };
    const counter = config.counters.find((c) => same(c.token, token));
    if (counter) return { kind: 'counter', counterNo: counter.number };
    if (config.api.terminalTokens.some((t) => same(t, token))) return { kind: 'terminal' };
    return { kind: 'anonymous' };
  }
  if (header.startsWith('Basic ')) {
    const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    if (same(user ?? '', config.api.admin.user) && same(rest.join(':'), config.api.admin.password)) return { kind: 'admin' };
    return { kind: 'anonymous' };
  }
  // A request relayed by a proxy on this machine is not the kiosk's own browser.
  if (isLoopback(request.socket.remoteAddress ?? '') && !request.headers['x-forwarded-for']) return { kind: 'loopback' };
  return { kind: 'anonymous' };
}

type Kind = Caller['kind'];

/** A preHandler admitting only the given kinds of caller: 401 without credentials, 403 otherwise. */
export function allow(...kinds: Kind[]) {
  const allowed = new Set<Kind>(kinds);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (allowed.has(request.caller.kind)) return;
    const status = request.caller.kind === 'anonymous' ? 401 : 403;
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.code(status).send({
      error: { code: status === 401 ? 'AUTH_REQUIRED' : 'AUTH_FORBIDDEN', message: status === 401 ? '需要身份认证' : '无权访问' },
    });
  };
}

/** Counter operations: the counter's own token, or a hall-server token (for existing caller devices). */
export function allowCounter() {
  return async (request: FastifyRequest<{ Params: { counterNo: number } }>, reply: FastifyReply) => {
    const c = request.caller;
    if (c.kind === 'hall-server' || c.kind === 'admin') return;
    if (c.kind === 'counter' && c.counterNo === request.params.counterNo) return;
    const status = c.kind === 'anonymous' ? 401 : 403;
    return reply.code(status).send({
      error: { code: status === 401 ? 'AUTH_REQUIRED' : 'AUTH_FORBIDDEN', message: status === 401 ? '需要身份认证' : '无权操作其他窗口' },
    });
  };
}
