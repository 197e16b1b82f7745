import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { del, get } from '../api.ts';
import type { Identity, ReaderNotice } from '../types.ts';

const SESSION_POLL_MS = 3_000;

/**
 * The ID card on the reader (GET /kiosk/session, already masked by the daemon). It is only held
 * while `wanted()` (a screen that reads the card is shown); elsewhere `identity` stays null.
 * The event stream says when the card changes; a 3 s poll covers a lost event. `reader` is the
 * reader's message when no identity is shown (a failed read, or a used card to place again).
 */
export class SessionController implements ReactiveController {
  #identity: Identity | null = null;
  #reader: ReaderNotice | null = null;
  #host: ReactiveControllerHost;
  #wanted: () => boolean;
  #timer = 0;

  constructor(host: ReactiveControllerHost, wanted: () => boolean) {
    this.#host = host;
    this.#wanted = wanted;
    host.addController(this);
  }

  get identity(): Identity | null {
    return this.#identity;
  }

  get reader(): ReaderNotice | null {
    return this.#reader;
  }

  hostConnected(): void {
    this.#timer = window.setInterval(() => {
      if (this.#wanted()) void this.refresh();
    }, SESSION_POLL_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
  }

  async refresh(): Promise<void> {
    try {
      const { identity, reader } = await get<{ identity: Identity | null; reader?: ReaderNotice | null }>('/session', { timeoutMs: 4000 });
      const wanted = this.#wanted();
      this.#set(wanted ? identity : null, wanted ? (reader ?? null) : null);
    } catch {
      /* the status poll reports connectivity; keep what we have */
    }
  }

  /** Forgets the identity here (the daemon keeps the session until `end`). */
  forget(): void {
    this.#set(null, null);
  }

  /** The visit is over: forget it here and ask the daemon to clear the session. */
  async end(): Promise<void> {
    this.forget();
    try {
      await del('/session', { timeoutMs: 4000 });
    } catch {
      /* nothing to clear, or offline: the daemon clears sessions on its side too */
    }
  }

  #set(identity: Identity | null, reader: ReaderNotice | null): void {
    if (identity === this.#identity && reader?.code === this.#reader?.code && reader?.message === this.#reader?.message) return;
    this.#identity = identity;
    this.#reader = reader;
    this.#host.requestUpdate();
  }
}
