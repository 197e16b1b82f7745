import { EventEmitter } from 'node:events';
import type { Statement } from 'better-sqlite3';
import type { KioskConfig } from '../../config/schema.ts';
import { businessDay, type Clock, systemClock } from '../clock.ts';
import type { HallEvent } from '../queue/types.ts';
import { type Db, writeTx } from './database.ts';

/**
 * The unit of work of the hall's database: one durable transaction per business operation, the
 * hall's business day (and its rollover), the monotonic business clock and the event log with
 * publishing after commit. The queue engine, appointments and evaluations all write through it;
 * none of them owns the transaction.
 *
 * Sync or async: `write()` is synchronous, on purpose. better-sqlite3 is synchronous and a
 * transaction that never awaits cannot interleave with another request, which is what keeps
 * numbering gap-free and the hot path (one issue ≈ one fsync) fast. The async seam of the product
 * is one level up: everything citizen-facing reaches the queue through `QueueAccess`
 * (kiosk/queue/access.ts), whose methods already return promises and whose callers (routes, the
 * print orchestration, the remote client) already await. A PostgreSQL store would implement a
 * `run<T>(fn: (tx) => Promise<T>): Promise<T>` unit of work behind that same interface (and the
 * route handlers, all async, await whatever the domain functions return) without changing callers
 * of `QueueAccess`. Until then an async `run()` here would only add a microtask to every write.
 */
export interface UnitOfWork {
  /** The current business day (it only moves forward). */
  readonly day: string;
  /** Runs `fn` in one durable transaction, with the business clock's `now` and the business day. */
  write<T>(fn: (now: number, day: string) => T): T;
}

/**
 * Closing a business day, inside the rollover transaction: finalises what the day left open and
 * returns counts for the `day.closed` event. Supplied by the queue (kiosk/queue/day-close.ts), so
 * the store knows nothing of tickets.
 */
export type DayCloser = (now: number, closingDay: string, today: string) => Record<string, number>;

export interface HallDayHooks {
  readonly closeDay?: DayCloser;
  /** Called inside the transaction for each appended event (the reader's version counter). */
  readonly appended?: (event: HallEvent) => void;
  /** Called inside the rollover transaction once the new day is current (reload in-memory state). */
  readonly dayOpened?: (day: string) => void;
  /** Called after a transaction rolled back (in-memory state must be rebuilt from committed rows). */
  readonly rolledBack?: (day: string) => void;
}

type HallDayEvents = { event: [HallEvent] };
const MINUTE_MS = 60_000;

/** The unit of work on the terminal that holds the hall's queue. */
export class HallDay extends EventEmitter<HallDayEvents> implements UnitOfWork {
  #db: Db;
  #config: KioskConfig;
  #clock: Clock;
  #hooks: HallDayHooks;
  #day = '';
  #lastNow = 0;
  #dayCache = { minute: -1, day: '' };
  #pending: HallEvent[] = [];
  #stmts: {
    event: Statement<[number, string, string, number | null, number | null, string]>;
    meta: Statement<[string], { value: string }>;
    setMeta: Statement<[string, string]>;
    openDay: Statement<[string, number]>;
  };

  /** Opens the business day: initialises it on a new database and rolls a stale day over. */
  constructor(db: Db, config: KioskConfig, clock: Clock = systemClock, hooks: HallDayHooks = {}) {
    super();
    this.setMaxListeners(0);
    this.#db = db;
    this.#config = config;
    this.#clock = clock;
    this.#hooks = hooks;
    this.#stmts = {
      event: db.prepare('INSERT INTO events (at, day, type, ticket_id, counter_no, payload) VALUES (?, ?, ?, ?, ?, ?)'),
      meta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      openDay: db.prepare('INSERT OR IGNORE INTO days (day, opened_at) VALUES (?, ?)'),
    };
    const last = db.prepare('SELECT MAX(at) AS at FROM events').get() as { at: number | null };
    this.#lastNow = last.at ?? 0;
    const now = this.now();
    writeTx(db, () => {
      let day = this.#stmts.meta.get('current_day')?.value;
      if (!day) {
        day = businessDay(now, config.hall.timeZone, config.hall.dailyResetTime);
        this.#stmts.setMeta.run('current_day', day);
        this.#stmts.openDay.run(day, now);
      }
      this.#day = day;
      this.#rollOver(now);
    });
    // Events of a start-up rollover go out with the next commit, once listeners are attached.
  }

  get day(): string {
    return this.#day;
  }

  /** Adds hooks (the queue engine's in-memory state) after construction. */
  attach(hooks: HallDayHooks): void {
    this.#hooks = { ...this.#hooks, ...hooks };
  }

  /** Wall-clock time that never runs backwards within this process's view of the log. */
  now(): number {
    const t = Math.floor(this.#clock());
    this.#lastNow = Math.max(this.#lastNow, t);
    return this.#lastNow;
  }

  /** Roll the business day over if the reset time has passed; call it from a timer too. */
  tick(): void {
    if (this.#businessDay(this.now()) > this.#day) this.write(() => undefined);
  }

  /**
   * Runs `fn` in one durable transaction after rolling the day over if needed. Events appended
   * inside are published (the `event` listeners) only after the commit; on failure they are
   * dropped and the day is re-read from the database.
   */
  write<T>(fn: (now: number, day: string) => T): T {
    const now = this.now();
    let result: T;
    try {
      result = writeTx(this.#db, () => {
        this.#rollOver(now);
        return fn(now, this.#day);
      });
    } catch (err) {
      this.#pending = [];
      this.#day = this.#stmts.meta.get('current_day')?.value ?? this.#day;
      this.#hooks.rolledBack?.(this.#day);
      throw err;
    }
    this.#publish();
    return result;
  }

  /** Appends an event row; call it only inside `write()`. */
  append(now: number, day: string, type: string, ticketId: number | null, counterNo: number | null, payload: Record<string, unknown>): HallEvent {
    const info = this.#stmts.event.run(now, day, type, ticketId, counterNo, JSON.stringify(payload));
    const event: HallEvent = { id: Number(info.lastInsertRowid), at: now, day, type, ticketId, counterNo, payload };
    this.#pending.push(event);
    this.#hooks.appended?.(event);
    return event;
  }

  #publish(): void {
    const published = this.#pending;
    this.#pending = [];
    for (const e of published) this.emit('event', e);
  }

  /**
   * The business day only moves forward: if the clock is set back across the reset, the current
   * day and its numbering continue, so no number can repeat.
   */
  #rollOver(now: number): void {
    const today = this.#businessDay(now);
    if (today <= this.#day) return;
    const old = this.#day;
    const closed = this.#hooks.closeDay?.(now, old, today) ?? {};
    this.append(now, old, 'day.closed', null, null, closed);
    this.#stmts.setMeta.run('current_day', today);
    this.#stmts.openDay.run(today, now);
    this.#day = today;
    this.#hooks.dayOpened?.(today);
    this.append(now, today, 'day.opened', null, null, {});
  }

  /** businessDay() costs an Intl call; within one wall-clock minute the answer cannot change. */
  #businessDay(now: number): string {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute !== this.#dayCache.minute) {
      this.#dayCache = { minute, day: businessDay(now, this.#config.hall.timeZone, this.#config.hall.dailyResetTime) };
    }
    return this.#dayCache.day;
  }
}

/**
 * The unit of work of a terminal that reaches the hall's queue over the network: its own records
 * (evaluations of its self-service) in one transaction each, dated by the business day, with no
 * queue day of its own to roll over.
 */
export class LocalUnitOfWork implements UnitOfWork {
  #db: Db;
  #config: KioskConfig;
  #clock: Clock;

  constructor(db: Db, config: KioskConfig, clock: Clock = systemClock) {
    this.#db = db;
    this.#config = config;
    this.#clock = clock;
  }

  get day(): string {
    return businessDay(this.#clock(), this.#config.hall.timeZone, this.#config.hall.dailyResetTime);
  }

  write<T>(fn: (now: number, day: string) => T): T {
    const now = this.#clock();
    return writeTx(this.#db, () => fn(now, businessDay(now, this.#config.hall.timeZone, this.#config.hall.dailyResetTime)));
  }
}
