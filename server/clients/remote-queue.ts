import { KioskError, type ErrorCode, ERRORS } from '../../kiosk/errors.ts';
import type { QueueAccess } from '../../kiosk/queue/access.ts';
import type { IssueRequest, IssueResult, PrintState, QueueStatus, TicketView } from '../../kiosk/queue/types.ts';
import type { RemoteFetch, RemoteReply } from '../../kiosk/calendar/remote-sync.ts';
import { readCaFile } from '../tls.ts';
import { pinnedFetch } from './pinned-fetch.ts';

/**
 * Outbound side of our own `/terminal` API (server/routes/terminal.ts): a terminal without the
 * hall's queue reaches the daemon that holds it. Wired in by the entry point through
 * `createKiosk(config, { remoteQueue })`, so kiosk/ itself knows no HTTP.
 */
export function remoteQueueFactory(remote: { readonly url: string; readonly token: string; readonly caFile?: string | undefined }): QueueAccess {
  return new RemoteQueue(remote.url, remote.token, 5_000, remoteFetchFor(remote));
}

/** The fetch the remote clients use: pinned to `caFile` (the hall CA) when one is configured. */
export function remoteFetchFor(remote: { readonly caFile?: string | undefined }): RemoteFetch {
  return remote.caFile ? pinnedFetch(readCaFile(remote.caFile)) : fetch;
}

/** The queue of another terminal, over its `/api/v1/terminal` routes with a terminal token. */
export class RemoteQueue implements QueueAccess {
  readonly kind = 'remote' as const;
  #base: string;
  #token: string;
  #timeoutMs: number;
  #fetch: RemoteFetch;

  constructor(baseUrl: string, token: string, timeoutMs = 5_000, fetchFn: RemoteFetch = fetch) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#timeoutMs = timeoutMs;
    this.#fetch = fetchFn;
  }

  issue(request: IssueRequest): Promise<IssueResult> {
    return this.#call('POST', '/api/v1/terminal/tickets', request);
  }

  checkIn(ref: { appointmentId?: number; identityHash?: string }): Promise<IssueResult> {
    return this.#call('POST', '/api/v1/terminal/appointments/check-in', ref);
  }

  ticket(id: number): Promise<TicketView> {
    return this.#call('GET', `/api/v1/terminal/tickets/${id}`);
  }

  ticketByNumber(displayNo: string): Promise<TicketView> {
    return this.#call('GET', `/api/v1/terminal/tickets/by-number/${encodeURIComponent(displayNo)}`);
  }

  async setPrintState(ticketId: number, state: PrintState): Promise<void> {
    await this.#call('POST', `/api/v1/terminal/tickets/${ticketId}/print-state`, { state });
  }

  status(): Promise<QueueStatus> {
    return this.#call('GET', '/api/v1/queue/status');
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: RemoteReply;
    try {
      res = await this.#fetch(this.#base + path, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : null,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch {
      throw new KioskError('QUEUE_REMOTE_UNAVAILABLE', { remote: this.#base });
    }
    const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (!res.ok) {
      const code = data.error?.code;
      if (code && code in ERRORS) throw new KioskError(code as ErrorCode, data.error?.details ?? {}, data.error?.message);
      throw new KioskError('QUEUE_REMOTE_UNAVAILABLE', { remote: this.#base, status: res.status });
    }
    return data as T;
  }
}
