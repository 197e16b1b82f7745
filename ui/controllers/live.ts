import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { API_BASE, ApiError, get } from '../api.ts';
import type { KioskInfo, KioskStatus, ScanResult } from '../types.ts';

const STATUS_POLL_MS = 10_000;
const OFFLINE_RETRY_MS = 2_000;
const EVENTS_RETRY_MS = 5_000;
/** At most one status refresh per this many ms while events pour in. */
const STATUS_THROTTLE_MS = 300;

export interface LiveHandlers {
  /** The card on the reader changed. */
  session(): void;
  /** The daemon refused the card (Chinese message for the screen). */
  sessionRejected(message: string): void;
  /** A serial / HID scanner read a code (the daemon's verdict; `text` when it sent it). */
  scan(result: ScanResult, text: string | null): void;
}

/**
 * The kiosk's link to the daemon: GET /kiosk/info at start (retried every 2 s while the daemon is
 * unreachable: `offline` shows 系统维护中), GET /kiosk/status every 10 s and after queue/device
 * events, and the event stream (GET /kiosk/events, SSE) for sessions and scans.
 */
export class LiveController implements ReactiveController {
  info: KioskInfo | null = null;
  status: KioskStatus | null = null;
  offline = false;
  #host: ReactiveControllerHost;
  #on: LiveHandlers;
  #events: EventSource | null = null;
  #statusTimer = 0;
  #eventsRetry = 0;
  #throttle = 0;
  #connected = false;

  constructor(host: ReactiveControllerHost, handlers: LiveHandlers) {
    this.#host = host;
    this.#on = handlers;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    void this.#boot();
  }

  hostDisconnected(): void {
    this.#connected = false;
    clearTimeout(this.#statusTimer);
    clearTimeout(this.#eventsRetry);
    clearTimeout(this.#throttle);
    this.#throttle = 0;
    this.#events?.close();
    this.#events = null;
  }

  async #boot(): Promise<void> {
    try {
      this.info = await get<KioskInfo>('/info', { timeoutMs: 5000 });
      this.#setOffline(false);
      this.#host.requestUpdate();
      if (!this.#connected) return;
      this.#connectEvents();
      await this.#pollStatus();
    } catch {
      this.#setOffline(true);
      if (this.#connected) this.#statusTimer = window.setTimeout(() => void this.#boot(), OFFLINE_RETRY_MS);
    }
  }

  async #pollStatus(): Promise<void> {
    clearTimeout(this.#statusTimer);
    try {
      this.status = await get<KioskStatus>('/status', { timeoutMs: 5000 });
      this.#host.requestUpdate();
      if (this.offline) {
        this.#setOffline(false);
        void this.#boot();
        return;
      }
    } catch (e) {
      if (e instanceof ApiError && e.unreachable) this.#setOffline(true);
    }
    if (this.#connected) this.#statusTimer = window.setTimeout(() => void this.#pollStatus(), this.offline ? OFFLINE_RETRY_MS : STATUS_POLL_MS);
  }

  /**
   * A throttle, not a debounce: in a busy hall events arrive faster than 300 ms all day, and a
   * debounce would never fire.
   */
  #scheduleStatus(): void {
    if (this.#throttle) return;
    this.#throttle = window.setTimeout(() => {
      this.#throttle = 0;
      void this.#pollStatus();
    }, STATUS_THROTTLE_MS);
  }

  #setOffline(offline: boolean): void {
    if (offline === this.offline) return;
    this.offline = offline;
    this.#host.requestUpdate();
  }

  #connectEvents(): void {
    this.#events?.close();
    clearTimeout(this.#eventsRetry);
    const es = new EventSource(`${API_BASE}/events`);
    this.#events = es;
    es.addEventListener('session', () => this.#on.session());
    es.addEventListener('session-rejected', (ev) => {
      const data = parse<{ message?: string }>(ev);
      if (data?.message) this.#on.sessionRejected(data.message);
    });
    for (const type of ['queue', 'device', 'ticket-taken']) es.addEventListener(type, () => this.#scheduleStatus());
    es.addEventListener('scan', (ev) => {
      const data = parse<ScanResult & { scan?: ScanResult }>(ev);
      if (data) this.#on.scan(data.scan ?? data, data.text ?? data.code ?? null);
    });
    es.onerror = () => {
      // EventSource retries by itself while the stream is merely interrupted; when it gives up
      // (daemon down, 404) reconnect later ourselves.
      if (es.readyState === EventSource.CLOSED && this.#connected) {
        this.#scheduleStatus();
        this.#eventsRetry = window.setTimeout(() => this.#connectEvents(), EVENTS_RETRY_MS);
      }
    };
  }
}

/** An SSE message's JSON data; null (ignored) when malformed. */
function parse<T>(ev: Event): T | null {
  try {
    return JSON.parse((ev as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}
