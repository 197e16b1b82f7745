import type { RemoteFetch } from '../calendar/remote-sync.ts';
import type { KioskConfig } from '../../config/schema.ts';
import type { SiteChange } from './hall-settings.ts';

/**
 * 连接大厅排队服务 (issue 14 item 2): a second kiosk of a hall joins the queue another kiosk holds,
 * with the 6-digit code the holder's console shows (device 其他自助终端) instead of a typed token.
 * This daemon — not the browser — claims the code at the holder's POST /api/v1/pairing/claim,
 * checks that the holder answers its /terminal routes with the token it got, and turns the
 * result into a SiteChange for `queue.remote` that goes the console's configuration way. The
 * token stays on the daemon: it is in the site file only, never in a reply, a log line or the
 * audit trail (which gets its fingerprint). The HTTP client is supplied by the caller
 * (server/clients/remote-queue.ts `remoteFetchFor`, pinned to the hall CA); kiosk/ has none.
 */

export type LinkFailure = 'url' | 'ca' | 'unreachable' | 'code' | 'locked' | 'not-holder' | 'not-kiosk';

export class QueueLinkError extends Error {
  readonly reason: LinkFailure;
  constructor(reason: LinkFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * The holder's base URL from what the technician typed (`https://10.0.0.5:8443`, a trailing `/`
 * or path is dropped). The daemon starts with `queue.remote` over https only (server/tls.ts), so
 * http:// is refused here before a code is spent.
 */
export function holderBase(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new QueueLinkError('url', '排队服务终端的地址格式不正确，应类似 https://10.0.0.5:8443');
  }
  if (url.protocol !== 'https:') {
    throw new QueueLinkError('url', '排队服务终端的地址必须以 https:// 开头（大厅局域网上的终端之间使用 TLS 加密连接）');
  }
  if (url.username || url.password) throw new QueueLinkError('url', '排队服务终端的地址中不能包含用户名或密码');
  return url.origin;
}

export interface ClaimedLink {
  readonly url: string;
  readonly token: string;
}

const UNREACHABLE = (base: string) => `无法连接排队服务终端 ${new URL(base).host}：请检查地址、端口、网络和大厅 CA 证书`;

/**
 * Claims `code` at the holder (device 其他自助终端), then checks that the holder holds a queue by
 * reading its /api/v1/terminal/calendar with the token. Every failure is a QueueLinkError with
 * its Chinese message.
 */
export async function claimAtHolder(base: string, code: string, fetchFn: RemoteFetch, timeoutMs = 5_000): Promise<ClaimedLink> {
  const send = async (path: string, init: Parameters<RemoteFetch>[1]) => {
    try {
      const reply = await fetchFn(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      let body: unknown = null;
      try {
        body = await reply.json();
      } catch {
        body = null;
      }
      return { status: reply.status, body: (body ?? {}) as Record<string, unknown> };
    } catch {
      throw new QueueLinkError('unreachable', UNREACHABLE(base));
    }
  };
  const claimed = await send('/api/v1/pairing/claim', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, device: 'kiosk' }),
  });
  const error = (claimed.body.error ?? {}) as { code?: unknown };
  if (claimed.status === 400 && error.code === 'PAIRING_CODE_INVALID') {
    throw new QueueLinkError('code', '配对码错误或已过期：请在排队服务终端的维护台（大厅与排队 → 设备配对 → 其他自助终端）重新生成');
  }
  if (claimed.status === 429) throw new QueueLinkError('locked', '配对码输错次数过多，排队服务终端已暂时拒绝本机，请稍后再试');
  const token = claimed.body.token;
  if (claimed.status !== 200 || claimed.body.kind !== 'terminal' || typeof token !== 'string' || token === '') {
    throw new QueueLinkError('not-kiosk', `${new URL(base).host} 没有按大厅自助终端的方式回答配对（地址是否正确？）`);
  }
  const check = await send('/api/v1/terminal/calendar', { method: 'GET', headers: { authorization: `Bearer ${token}` } });
  if (check.status !== 200) {
    throw new QueueLinkError('not-holder', `${new URL(base).host} 不持有大厅的排队队列（它本身连接着其他终端的排队服务），请连接持有队列的终端`);
  }
  return { url: base, token };
}

/** `queue.remote` for the claimed link (the CA file named as typed: a path on this kiosk). */
export function linkChange(link: ClaimedLink, caFile: string): SiteChange {
  const remote = { url: link.url, token: link.token, caFile };
  return { check: { queue: { remote } }, site: { queue: { remote } } };
}

/** Back to holding this kiosk's own queue. */
export function unlinkChange(): SiteChange {
  return { check: { queue: { remote: null } }, site: { queue: { remote: null } } };
}

/** What the console shows of the link: where, never the token. */
export function linkView(config: KioskConfig): { url: string; caFile: string | null } | null {
  const r = config.queue.remote;
  return r ? { url: r.url, caFile: r.caFile ?? null } : null;
}
