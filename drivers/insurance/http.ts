import type { AdapterFailure, AdapterResult, FetchLike } from './types.ts';

/**
 * One HTTP exchange for an adapter: the response text of a 2xx reply, or a typed failure.
 * Never throws and never puts a body (which may hold personal data) into the failure.
 */
export async function exchange(
  fetchFn: FetchLike,
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  signal: AbortSignal,
  step: string,
): Promise<AdapterResult<string>> {
  let res: Response;
  try {
    res = await fetchFn(url, { ...init, signal });
  } catch (err) {
    return { ok: false, failure: thrown(err, signal, step) };
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    return { ok: false, failure: thrown(err, signal, step) };
  }
  if (res.status < 200 || res.status >= 300) {
    return { ok: false, failure: { kind: 'http', transient: res.status >= 500 || res.status === 429, status: res.status, step } };
  }
  return { ok: true, value: text };
}

function thrown(err: unknown, signal: AbortSignal, step: string): AdapterFailure {
  const name = (err as Error | undefined)?.name;
  if (signal.aborted || name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', transient: true, step };
  return { kind: 'network', transient: true, step };
}

export const malformed = (step: string, reason?: string): AdapterFailure =>
  reason ? { kind: 'malformed', transient: true, step, reason } : { kind: 'malformed', transient: true, step };

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' } as const;
