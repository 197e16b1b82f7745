/**
 * Small client for the daemon's API, shared by every page (kiosk, evaluator, console). Every call
 * has a timeout; every failure becomes an ApiError with a Chinese message that can be shown as is
 * (never a stack trace).
 */

export const API_BASE = '/api/v1/kiosk';

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  constructor(code: string, message: string, status = 0, details: unknown = null) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
  /** True when the daemon could not be reached at all (restart, crash, network). */
  get unreachable(): boolean {
    return this.code === 'NETWORK' || this.code === 'TIMEOUT' || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export interface CallOptions {
  timeoutMs?: number;
  /** Response is binary (audio, images); returns a Blob. */
  blob?: boolean;
  /** Prefix of `path`; the kiosk's own routes by default. */
  base?: string;
  /** Extra request headers (the evaluator's and the console's credentials). */
  headers?: Record<string, string>;
  /**
   * For technicians: show a server message that is not Chinese (a simulator's English error) as
   * 操作失败：… instead of replacing it with a generic citizen-facing sentence.
   */
  technical?: boolean;
}

import { citizenMessage, messageFor } from './messages.ts';

export { citizenMessage };

const DEFAULT_TIMEOUT_MS = 8000;

export async function call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch((options.base ?? API_BASE) + path, {
      method,
      headers: {
        accept: options.blob ? '*/*' : 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch {
    clearTimeout(timer);
    if (controller.signal.aborted) throw new ApiError('TIMEOUT', '系统响应超时，请稍后再试');
    throw new ApiError('NETWORK', '暂时无法连接服务，请稍后再试');
  }
  try {
    if (!res.ok) {
      let payload: unknown = null;
      try {
        payload = await res.json();
      } catch {
        /* not JSON: use the generic message */
      }
      const err = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
      const code = typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`;
      const raw = typeof err?.message === 'string' ? err.message : '';
      const message = options.technical
        ? /[\u4e00-\u9fff]/.test(raw)
          ? raw
          : raw
            ? `操作失败：${raw}`
            : messageFor(res.status)
        : citizenMessage(raw, res.status);
      throw new ApiError(code, message, res.status, err?.details ?? null);
    }
    if (options.blob) return (await res.blob()) as T;
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (controller.signal.aborted) throw new ApiError('TIMEOUT', '系统响应超时，请稍后再试');
    throw new ApiError('BAD_RESPONSE', '系统繁忙，请稍后再试', res.status);
  } finally {
    clearTimeout(timer);
  }
}

export const get = <T>(path: string, options?: CallOptions): Promise<T> => call<T>('GET', path, undefined, options);
export const post = <T>(path: string, body: unknown = {}, options?: CallOptions): Promise<T> => call<T>('POST', path, body, options);
export const del = <T>(path: string, options?: CallOptions): Promise<T> => call<T>('DELETE', path, undefined, options);

/** Chinese message of any thrown value. */
export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.message : '操作未成功，请稍后再试或联系工作人员';
}

/** A v4 UUID for idempotent retries (crypto.randomUUID exists on localhost, which is a secure context). */
export function requestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * POST that is safe to retry (the body carries a requestId): one retry after a network failure
 * or timeout, so a daemon hiccup does not cost the citizen a second ticket.
 */
export async function postIdempotent<T>(path: string, body: unknown, options?: CallOptions): Promise<T> {
  try {
    return await post<T>(path, body, options);
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'NETWORK' || e.code === 'TIMEOUT')) return post<T>(path, body, options);
    throw e;
  }
}
