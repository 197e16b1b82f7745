import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Visit } from '../contexts.ts';

const ACTIVITY = ['pointerdown', 'keydown', 'touchstart', 'wheel'] as const;

export interface IdleOptions {
  /** The hall's idle timeout (GET /kiosk/info ui.idleTimeoutSeconds). */
  timeoutSeconds(): number;
  /** Whether anything of a citizen is on screen or in memory; only then does the clock run. */
  watching(): boolean;
  /** The 还需要更多时间吗 prompt just appeared. */
  warned(): void;
  /** Nobody answered: the visit ends (the host goes home and forgets the citizen). */
  timedOut(): void;
  /**
   * The citizen touched the screen (at most every ACTIVITY_PING_MS): the host tells the daemon,
   * whose own idle timer ends the card identity after the same timeout (kiosk/session/bind.ts).
   */
  active?(): void;
}

/** Activity is reported to the daemon at most this often (well inside the 15 s minimum timeout). */
const ACTIVITY_PING_MS = 5_000;

/**
 * The idle timeout. Any touch or key restarts the clock; in the last third of the timeout
 * (5-30 s) `left` counts down for the 还需要更多时间吗 prompt; at zero `timedOut` ends the visit.
 * While the host re-renders after that, `endedByIdle` is true so screens being removed can tell
 * a timeout from the citizen leaving (it is the shell's `Visit` context).
 */
export class IdleController implements ReactiveController, Visit {
  /** Seconds left while the prompt is up; null otherwise. */
  left: number | null = null;
  #host: ReactiveControllerHost;
  #options: IdleOptions;
  #lastActivity = Date.now();
  #timer = 0;
  #endedByIdle = false;
  #lastPing = 0;

  constructor(host: ReactiveControllerHost, options: IdleOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get endedByIdle(): boolean {
    return this.#endedByIdle;
  }

  /** 需要，继续办理 (and any scan): the clock restarts and the prompt closes. */
  moreTime(): void {
    this.#lastActivity = Date.now();
    this.#setLeft(null);
    this.#ping();
  }

  hostConnected(): void {
    for (const type of ACTIVITY) window.addEventListener(type, this.#onActivity, { capture: true, passive: true });
    this.#timer = window.setInterval(() => this.#tick(), 1000);
  }

  hostDisconnected(): void {
    for (const type of ACTIVITY) window.removeEventListener(type, this.#onActivity, { capture: true });
    clearInterval(this.#timer);
  }

  hostUpdated(): void {
    // Screens removed by the idle reset have read it in their disconnectedCallback by now.
    this.#endedByIdle = false;
  }

  /** The prompt closes on the next tick, not mid-tap. */
  #onActivity = (): void => {
    this.#lastActivity = Date.now();
    this.#ping();
  };

  #ping(): void {
    if (!this.#options.watching() || this.#lastActivity - this.#lastPing < ACTIVITY_PING_MS) return;
    this.#lastPing = this.#lastActivity;
    this.#options.active?.();
  }

  #setLeft(left: number | null): void {
    if (left === this.left) return;
    this.left = left;
    this.#host.requestUpdate();
  }

  #tick(): void {
    if (!this.#options.watching()) {
      this.#setLeft(null);
      return;
    }
    const timeout = this.#options.timeoutSeconds();
    const warn = Math.min(30, Math.max(5, Math.floor(timeout / 3)));
    const idle = (Date.now() - this.#lastActivity) / 1000;
    if (idle >= timeout) {
      this.#endedByIdle = true;
      this.moreTime();
      this.#options.timedOut();
    } else if (idle < timeout - warn) this.#setLeft(null);
    else {
      const first = this.left === null;
      this.#setLeft(Math.ceil(timeout - idle));
      if (first) this.#options.warned();
    }
  }
}
