/**
 * One calendar per hall: a terminal on a remote queue (config `queue.remote`) uses the calendar of
 * the daemon that holds the queue. It fetches `/api/v1/terminal/calendar` with its terminal token,
 * mirrors it into its own database (so it survives a restart while the holder is unreachable),
 * refreshes it periodically, and after a failure keeps the copy it has and retries sooner.
 */
import type { CalendarSnapshot, CalendarStore } from './calendar-store.ts';

/** What the remote clients need of `fetch` (the entry point may pass one that pins the hall CA). */
export interface RemoteReply {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
}
export type RemoteFetch = (
  url: string,
  init?: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string | null; readonly signal?: AbortSignal | null },
) => Promise<RemoteReply>;

export interface RemoteCalendarOptions {
  /** Defaults to the global fetch; over https, the one from server/clients/pinned-fetch.ts. */
  readonly fetch?: RemoteFetch;
  /** Refresh period when the holder answers (default 10 minutes). */
  readonly intervalMs?: number;
  /** Retry period after a failure (default 1 minute). */
  readonly retryMs?: number;
  readonly timeoutMs?: number;
  readonly clock?: () => number;
}

export interface SyncStatus {
  readonly holder: string;
  readonly lastSyncAt: number | null;
  readonly lastAttemptAt: number | null;
  readonly lastError: string | null;
  readonly revision: string;
}

export class RemoteCalendarSync {
  #store: CalendarStore;
  #base: string;
  #token: string;
  #intervalMs: number;
  #retryMs: number;
  #timeoutMs: number;
  #clock: () => number;
  #fetchFn: RemoteFetch;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  #inFlight: Promise<boolean> | null = null;
  #lastSyncAt: number | null = null;
  #lastAttemptAt: number | null = null;
  #lastError: string | null = null;

  constructor(store: CalendarStore, remote: { url: string; token: string }, options: RemoteCalendarOptions = {}) {
    this.#store = store;
    this.#base = remote.url.replace(/\/+$/, '');
    this.#token = remote.token;
    this.#intervalMs = options.intervalMs ?? 10 * 60_000;
    this.#retryMs = options.retryMs ?? 60_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#clock = options.clock ?? Date.now;
    this.#fetchFn = options.fetch ?? fetch;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#cycle();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  status(): SyncStatus {
    return {
      holder: this.#base,
      lastSyncAt: this.#lastSyncAt,
      lastAttemptAt: this.#lastAttemptAt,
      lastError: this.#lastError,
      revision: this.#store.revision(),
    };
  }

  /** Fetches the holder's calendar now. Resolves true when the local copy changed; never rejects. */
  refresh(): Promise<boolean> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #cycle(): Promise<void> {
    await this.refresh();
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.#cycle(), this.#lastError ? this.#retryMs : this.#intervalMs);
    this.#timer.unref?.();
  }

  async #fetch(): Promise<boolean> {
    this.#lastAttemptAt = this.#clock();
    try {
      const res = await this.#fetchFn(`${this.#base}/api/v1/terminal/calendar`, {
        headers: { authorization: `Bearer ${this.#token}`, 'if-none-match': `"${this.#store.revision()}"` },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (res.status === 304) return this.#ok(false);
      if (!res.ok) throw new Error(`排队主机答复 HTTP ${res.status}`);
      const snapshot = (await res.json()) as CalendarSnapshot;
      if (!snapshot || typeof snapshot.revision !== 'string' || !Array.isArray(snapshot.days) || !snapshot.coverage)
        throw new Error('排队主机的工作日历格式有误');
      return this.#ok(await this.#store.replaceAll(snapshot));
    } catch (err) {
      // Keep the copy we have: a holder that is down must not take the working days away.
      this.#lastError = err instanceof Error ? err.message : String(err);
      return false;
    }
  }

  #ok(changed: boolean): boolean {
    this.#lastSyncAt = this.#clock();
    this.#lastError = null;
    return changed;
  }
}
