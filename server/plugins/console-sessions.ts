import { randomBytes } from 'node:crypto';

/** The console roles (config `api.accounts[].role`). */
export type ConsoleRole = 'technician' | 'hall-admin';

export interface ConsoleSession {
  readonly user: string;
  readonly role: ConsoleRole;
  readonly createdAt: number;
  lastSeen: number;
}

/** Name of the session cookie; scoped to the API (`Path=/api/v1`), never readable by page scripts. */
export const SESSION_COOKIE = 'hk_console';
export const SESSION_PATH = '/api/v1';
/** A session ends this long after login whatever happens (a console left open overnight). */
export const SESSION_MAX_MS = 12 * 60 * 60_000;
const MAX_SESSIONS = 200;

/**
 * Technician console sessions, in memory: a daemon restart logs everybody out. The cookie carries
 * 256 random bits and nothing else; the role is looked up here on every request, so a session
 * ends (logout, idle time, 12 h) on the server and not only in the browser.
 */
export class ConsoleSessions {
  readonly #sessions = new Map<string, ConsoleSession>();
  readonly #idleMs: number;
  readonly #now: () => number;

  constructor(idleMinutes: number, now: () => number = () => performance.now()) {
    this.#idleMs = idleMinutes * 60_000;
    this.#now = now;
  }

  create(user: string, role: ConsoleRole): string {
    this.#sweep();
    if (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    const now = this.#now();
    this.#sessions.set(id, { user, role, createdAt: now, lastSeen: now });
    return id;
  }

  /**
   * The live session of a cookie value (and its idle timer restarted), or undefined. `touch: false`
   * looks without extending (the UI's own "who am I" poll must not keep a session alive forever).
   */
  get(id: string, touch = true): ConsoleSession | undefined {
    const s = this.#sessions.get(id);
    if (!s) return undefined;
    const now = this.#now();
    if (now - s.lastSeen > this.#idleMs || now - s.createdAt > SESSION_MAX_MS) {
      this.#sessions.delete(id);
      return undefined;
    }
    if (touch) s.lastSeen = now;
    return s;
  }

  end(id: string): void {
    this.#sessions.delete(id);
  }

  /** Seconds until the session ends if nothing happens. */
  remainingSeconds(s: ConsoleSession): number {
    const now = this.#now();
    return Math.max(0, Math.floor(Math.min(s.lastSeen + this.#idleMs, s.createdAt + SESSION_MAX_MS) - now) / 1000) | 0;
  }

  /**
   * For tests only (test/helpers/server.ts): a session with a known id, so the many in-process
   * tests can keep one static admin header. Never reachable from configuration or HTTP.
   */
  seed(id: string, user: string, role: ConsoleRole): void {
    const now = this.#now();
    this.#sessions.set(id, { user, role, createdAt: now, lastSeen: now });
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, s] of this.#sessions) if (now - s.lastSeen > this.#idleMs || now - s.createdAt > SESSION_MAX_MS) this.#sessions.delete(id);
  }
}
