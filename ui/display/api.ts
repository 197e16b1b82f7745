/**
 * The display's link to the daemon: the snapshot (GET /api/v1/display/status) and the event
 * stream (GET /api/v1/display/stream, EventSource). The token goes in a header for fetch and as
 * `?token=` for EventSource, which cannot send headers. The stream starts at the snapshot's
 * version, so nothing falls between the two; EventSource resumes with Last-Event-ID by itself,
 * and after every reconnect the snapshot is fetched again, so the screen never keeps stale data.
 */

export interface ServiceStatus {
  readonly code: string;
  readonly name: string;
  readonly prefix: string;
  readonly waiting: number;
}

export interface CounterStatus {
  readonly number: number;
  readonly name: string;
  readonly state: 'open' | 'paused' | 'closed';
  readonly current: { readonly displayNo: string; readonly status: string; readonly serviceCode?: string } | null;
}

export interface RecentCall {
  readonly displayNo: string;
  readonly counterNo: number;
  readonly counterName: string;
  readonly at: number;
}

export interface DisplayStatus {
  readonly hall: { readonly name: string; readonly timeZone?: string };
  readonly day: string;
  readonly version: number;
  readonly services: readonly ServiceStatus[];
  readonly counters: readonly CounterStatus[];
  readonly recentCalls: readonly RecentCall[];
}

export interface Waiting {
  readonly code: string;
  readonly waiting: number;
}

export interface CallEvent {
  readonly displayNo: string;
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly counterNo: number;
  readonly counterName: string;
  readonly recallCount: number;
  readonly at: number;
  /** False for an old call replayed after a reconnect: shown, not announced. */
  readonly fresh: boolean;
  readonly waiting: readonly Waiting[];
}

export type DisplayEvent =
  | { readonly type: 'ticket.called' | 'ticket.recalled'; readonly id: number; readonly data: CallEvent }
  | { readonly type: 'counter.state'; readonly id: number; readonly data: { counterNo: number; state: CounterStatus['state'] } }
  | {
      readonly type: 'counter.idle';
      readonly id: number;
      /** `reason` other than done: the call is withdrawn (older daemons send none). */
      readonly data: { counterNo: number; displayNo: string; reason?: 'done' | 'no-show' | 'transferred' | 'suspended'; waiting: readonly Waiting[] };
    }
  | { readonly type: 'queue.waiting'; readonly id: number; readonly data: { waiting: readonly Waiting[] } }
  | { readonly type: 'day.opened'; readonly id: number; readonly data: { day: string } };

export interface LinkHandlers {
  snapshot(status: DisplayStatus): void;
  event(e: DisplayEvent): void;
  /** The daemon's clock (hello and ping), epoch ms. */
  clock(at: number): void;
  online(up: boolean): void;
  /** 401/403: the token is missing or wrong. */
  denied(): void;
  /** The daemon's event log is behind this screen (a new database): start over. */
  restart(): void;
}

const STATUS_URL = '/api/v1/display/status';
const STREAM_URL = '/api/v1/display/stream';
const EVENT_TYPES = ['ticket.called', 'ticket.recalled', 'counter.state', 'counter.idle', 'queue.waiting', 'day.opened'] as const;
/** The snapshot is also fetched this often (304 when nothing changed), as a watchdog. */
const WATCH_MS = 30_000;
/** The stream pings every 30 s: silence this long means a dead connection. */
const SILENCE_MS = 75_000;
const REOPEN_MS = 3_000;
/** A refused token is retried slowly (a technician may be fixing the configuration). */
const DENIED_RETRY_MS = 30_000;
const FETCH_TIMEOUT_MS = 8_000;

export class DisplayLink {
  readonly #token: string | null;
  readonly #on: LinkHandlers;
  #source: EventSource | null = null;
  #etag = '';
  #version = 0;
  #heardAt = 0;
  #up = false;
  #denied = false;
  #behind = 0;
  #stopped = false;
  #watch: ReturnType<typeof setInterval> | null = null;
  #reopen: ReturnType<typeof setTimeout> | null = null;

  constructor(token: string | null, handlers: LinkHandlers) {
    this.#token = token;
    this.#on = handlers;
  }

  async start(): Promise<void> {
    this.#watch = setInterval(() => void this.#check(), WATCH_MS);
    if (await this.refresh()) this.#open();
    else this.#scheduleOpen();
  }

  stop(): void {
    this.#stopped = true;
    this.#source?.close();
    this.#source = null;
    if (this.#watch) clearInterval(this.#watch);
    if (this.#reopen) clearTimeout(this.#reopen);
  }

  /** Fetches the snapshot (If-None-Match); false when the daemon could not be reached. */
  async refresh(): Promise<boolean> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (this.#token) headers.authorization = `Bearer ${this.#token}`;
      if (this.#etag) headers['if-none-match'] = this.#etag;
      const res = await fetch(STATUS_URL, { headers, cache: 'no-store', signal: controller.signal });
      if (res.status === 401 || res.status === 403) {
        this.#denied = true;
        this.#on.denied();
        return false;
      }
      if (res.status === 304) return true;
      if (!res.ok) return false;
      this.#denied = false;
      const status = (await res.json()) as DisplayStatus;
      if (status.version < this.#version) {
        // Once: a snapshot that left while a newer event was on its way. Twice in a row: the
        // daemon's event log started over (a new database); only a fresh start shows it right.
        if (++this.#behind >= 2) this.#on.restart();
        return true;
      }
      this.#behind = 0;
      this.#etag = res.headers.get('etag') ?? '';
      this.#version = Math.max(this.#version, status.version);
      this.#on.snapshot(status);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  #open(): void {
    if (this.#stopped) return;
    this.#source?.close();
    const query = new URLSearchParams({ lastEventId: String(this.#version) });
    if (this.#token) query.set('token', this.#token);
    const source = new EventSource(`${STREAM_URL}?${query}`);
    this.#source = source;
    this.#heardAt = Date.now();
    let first = true;
    source.onopen = () => {
      this.#heardAt = Date.now();
      this.#setUp(true);
      // After a reconnect: what happened meanwhile arrives as replayed events, and the snapshot
      // corrects anything a display does not get as an event (and a new day).
      if (!first) void this.refresh();
      first = false;
    };
    source.onerror = () => {
      this.#setUp(false);
      // CONNECTING: EventSource retries by itself (retry: 2000). CLOSED: an HTTP error (401, 503,
      // a proxy's 502) ends it for good, so open a new one, resuming from what this screen has.
      if (source.readyState === EventSource.CLOSED && this.#source === source) this.#scheduleOpen();
    };
    const heard = (e: MessageEvent<string>): unknown => {
      this.#heardAt = Date.now();
      return JSON.parse(e.data) as unknown;
    };
    for (const kind of ['hello', 'ping']) {
      source.addEventListener(kind, (e) => {
        const data = heard(e as MessageEvent<string>) as { at?: number };
        if (typeof data.at === 'number') this.#on.clock(data.at);
      });
    }
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        const m = e as MessageEvent<string>;
        const data = heard(m);
        const id = Number(m.lastEventId);
        if (id > this.#version) this.#version = id;
        this.#on.event({ type, id, data } as DisplayEvent);
      });
    }
  }

  #scheduleOpen(): void {
    if (this.#stopped || this.#reopen) return;
    this.#reopen = setTimeout(
      async () => {
        this.#reopen = null;
        if (await this.refresh()) this.#open();
        else this.#scheduleOpen();
      },
      this.#denied ? DENIED_RETRY_MS : REOPEN_MS,
    );
  }

  /** Watchdog: the snapshot answers and the stream has spoken recently, or the stream is renewed. */
  async #check(): Promise<void> {
    if (this.#reopen) return; // already reconnecting
    const reachable = await this.refresh();
    const source = this.#source;
    const silent = Date.now() - this.#heardAt > SILENCE_MS;
    if (reachable && source && source.readyState !== EventSource.CLOSED && !silent) return;
    this.#setUp(false);
    source?.close();
    this.#source = null;
    this.#scheduleOpen();
  }

  #setUp(up: boolean): void {
    if (this.#up === up) return;
    this.#up = up;
    this.#on.online(up);
  }
}
