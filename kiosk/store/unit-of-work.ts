import { EventEmitter } from 'node:events';
import type { KioskConfig } from '../../config/schema.ts';
import { businessDay, type Clock, systemClock } from '../clock.ts';
import type { HallEvent } from '../queue/types.ts';
import { type Db, SqliteRunner, writeTx } from './database.ts';
import { HALL_EVENTS_CHANNEL } from './postgres-channel.ts';
import { defer, get, run, type Runner, type Tx } from './sql.ts';

/**
 * The unit of work of the hall's database: one durable transaction per business operation, the
 * hall's business day (and its rollover), the monotonic business clock and the event log with
 * publishing after commit. The queue engine, appointments and evaluations all write through it;
 * none of them owns the transaction.
 *
 * Sync or async: a business operation is a transaction body (kiosk/store/sql.ts) handed to
 * `transact()`, which returns a promise. On SQLite the body runs to the end before `transact()`
 * returns — one `BEGIN IMMEDIATE`, no await inside, so no other request can interleave and one
 * issue still costs one fsync. On PostgreSQL (issue 17) the same body is awaited statement by
 * statement under the hall-wide write lock; other daemons write the same store, so each
 * transaction first catches up with the events they committed (`#catchUp`). `write()` is the
 * older synchronous form, SQLite only, for the records not yet written as bodies.
 */
export interface UnitOfWork {
  /** The current business day (it only moves forward). */
  readonly day: string;
  /** Runs `fn` in one durable transaction, with the business clock's `now` and the business day (SQLite only). */
  write<T>(fn: (now: number, day: string) => T): T;
}

/**
 * Closing a business day, inside the rollover transaction: finalises what the day left open and
 * returns counts for the `day.closed` event. Supplied by the queue (kiosk/queue/day-close.ts), so
 * the store knows nothing of tickets.
 */
export type DayCloser = (now: number, closingDay: string, today: string) => Tx<Record<string, number>>;

export interface HallDayHooks {
  readonly closeDay?: DayCloser;
  /** Called inside the transaction for each event this daemon appends (the reader's version counter). */
  readonly appended?: (event: HallEvent) => void;
  /** Called for each event another daemon committed, in id order, when this one catches up. */
  readonly observed?: (event: HallEvent) => void;
  /** Called once the new day is current (reload in-memory state). */
  readonly dayOpened?: (day: string) => void;
  /** Called after a transaction rolled back (in-memory state must be rebuilt from committed rows). */
  readonly rolledBack?: (day: string) => void;
}

interface EventRow {
  id: number;
  at: number;
  day: string;
  type: string;
  ticket_id: number | null;
  counter_no: number | null;
  payload: string;
}

type HallDayEvents = { event: [HallEvent] };
const MINUTE_MS = 60_000;
const INSERT_EVENT = 'INSERT INTO events (at, day, type, ticket_id, counter_no, payload) VALUES (?, ?, ?, ?, ?, ?) RETURNING id';
const CURRENT_DAY = "SELECT value FROM meta WHERE key = 'current_day'";
const SET_DAY = "INSERT INTO meta (key, value) VALUES ('current_day', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
const OPEN_DAY = 'INSERT INTO days (day, opened_at) VALUES (?, ?) ON CONFLICT (day) DO NOTHING';
const CATCH_UP = `SELECT (SELECT json_agg(e ORDER BY e.id) FROM events e WHERE e.id > ?) AS events,
    (SELECT value FROM meta WHERE key = 'current_day') AS day`;

export function toHallEvent(r: EventRow): HallEvent {
  return {
    id: r.id,
    at: r.at,
    day: r.day,
    type: r.type,
    ticketId: r.ticket_id,
    counterNo: r.counter_no,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  };
}

/** The unit of work of the hall's queue: on the terminal that holds it (SQLite) or on every daemon (PostgreSQL). */
export class HallDay extends EventEmitter<HallDayEvents> implements UnitOfWork {
  readonly runner: Runner;
  #config: KioskConfig;
  #clock: Clock;
  #hooks: HallDayHooks;
  #day = '';
  #lastNow = 0;
  /** The newest event id this daemon has published (its own or, on a shared store, another's). */
  #seen = 0;
  #dayCache = { minute: -1, day: '' };
  #pending: HallEvent[] = [];
  /** PostgreSQL: one transaction of this daemon at a time (the hall lock orders them across daemons). */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * A SQLite database (or its runner) opens the business day at once: it initialises the day on a
   * new database and rolls a stale one over. Any other runner needs `await open()` before use.
   */
  constructor(store: Db | Runner, config: KioskConfig, clock: Clock = systemClock, hooks: HallDayHooks = {}) {
    super();
    this.setMaxListeners(0);
    this.runner = isRunner(store) ? store : new SqliteRunner(store);
    this.#config = config;
    this.#clock = clock;
    this.#hooks = hooks;
    // Events of a start-up rollover go out with the next commit, once listeners are attached.
    if (this.runner instanceof SqliteRunner) this.runner.transactionSync(() => this.#openTx());
  }

  /** Opens the business day on a runner that is not SQLite's. */
  async open(): Promise<void> {
    if (this.runner instanceof SqliteRunner) return;
    await this.#exclusive(() => this.runner.transaction(() => this.#openTx()));
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
  async tick(): Promise<void> {
    if (this.#businessDay(this.now()) > this.#day) await this.transact(function* () {});
  }

  /**
   * Runs the body `fn` builds in one durable transaction, after rolling the day over if needed.
   * Events appended inside are published (the `event` listeners) only after the commit; on
   * failure they are dropped, the day is re-read and `rolledBack` lets in-memory state rebuild.
   */
  transact<T>(fn: (now: number, day: string) => Tx<T>): Promise<T> {
    const runner = this.runner;
    if (runner instanceof SqliteRunner) {
      try {
        return Promise.resolve(this.#finish(() => runner.transactionSync(() => this.#bodyTx(fn))));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#exclusive(async () => {
      try {
        const result = await runner.transaction(() => this.#bodyTx(fn));
        this.#publish();
        return result;
      } catch (err) {
        this.#pending = [];
        this.#hooks.rolledBack?.(this.#day);
        throw err;
      }
    });
  }

  /** A read outside any write: on a shared store it first catches up with other daemons' events. */
  read<T>(body: () => Tx<T>): Promise<T> {
    if (!this.runner.shared) return this.runner.read(body);
    const self = this;
    return this.#exclusive(() =>
      this.runner.read(function* () {
        yield* self.#catchUp();
        return yield* body();
      }),
    );
  }

  /** The synchronous form of `transact` for bodies not yet written as generators (SQLite only). */
  write<T>(fn: (now: number, day: string) => T): T {
    const runner = this.#sqlite();
    const self = this;
    return this.#finish(() =>
      runner.transactionSync(function* () {
        const now = self.now();
        yield* self.#rollOver(now);
        return fn(now, self.#day);
      }),
    );
  }

  /** Appends an event row inside the current transaction body. */
  *appendTx(now: number, day: string, type: string, ticketId: number | null, counterNo: number | null, payload: Record<string, unknown>): Tx<HallEvent> {
    const row = yield* get<{ id: number }>(INSERT_EVENT, now, day, type, ticketId, counterNo, JSON.stringify(payload));
    const event: HallEvent = { id: Number(row?.id), at: now, day, type, ticketId, counterNo, payload };
    this.#pending.push(event);
    this.#hooks.appended?.(event);
    return event;
  }

  /** Appends an event row inside `write()` (SQLite only). */
  append(now: number, day: string, type: string, ticketId: number | null, counterNo: number | null, payload: Record<string, unknown>): HallEvent {
    const runner = this.#sqlite();
    return runner.readSync(() => this.appendTx(now, day, type, ticketId, counterNo, payload));
  }

  *#openTx(): Tx<void> {
    const last = yield* get<{ at: number | null; id: number | null }>('SELECT MAX(at) AS at, MAX(id) AS id FROM events');
    this.#lastNow = Math.max(this.#lastNow, last?.at ?? 0);
    this.#seen = last?.id ?? 0;
    const now = this.now();
    let day = (yield* get<{ value: string }>(CURRENT_DAY))?.value;
    if (!day) {
      day = businessDay(now, this.#config.hall.timeZone, this.#config.hall.dailyResetTime);
      yield* run(SET_DAY, day);
      yield* run(OPEN_DAY, day, now);
    }
    this.#day = day;
    yield* this.#rollOver(now);
  }

  *#bodyTx<T>(fn: (now: number, day: string) => Tx<T>): Tx<T> {
    if (!this.runner.shared) {
      const now = this.now();
      yield* this.#rollOver(now);
      return yield* fn(now, this.#day);
    }
    yield* this.#catchUp();
    const now = this.now();
    yield* this.#rollOver(now);
    const result = yield* fn(now, this.#day);
    // Delivered at commit, to every daemon following the hall (PostgresRunner.follow).
    if (this.#pending.length) yield* defer(`SELECT pg_notify('${HALL_EVENTS_CHANNEL}', '')`);
    return result;
  }

  /**
   * A shared store: publish other daemons' events as they commit (LISTEN/NOTIFY), so a display or
   * SSE client connected to this daemon sees the whole hall. Returns stop.
   */
  follow(): () => Promise<void> {
    const follow = this.runner.follow?.bind(this.runner);
    if (!follow) return async () => undefined;
    let queued = false;
    return follow(() => {
      if (queued) return; // one catch-up reads everything committed so far
      queued = true;
      this.read(function* () {})
        .catch(() => undefined)
        .finally(() => {
          queued = false;
        });
    });
  }

  /**
   * A shared store: publish, in id order, the events other daemons committed since this one last
   * looked, and adopt the day another daemon may have rolled over to. Inside a write this runs
   * under the hall lock, so afterwards this daemon's view is the hall's.
   */
  *#catchUp(): Tx<void> {
    // One statement (one round trip, sent with BEGIN and the lock by the PostgreSQL runner): the
    // new events as a JSON array and the current day. Shared stores only, so PostgreSQL's spelling.
    const caught = yield* get<{ events: EventRow[] | null; day: string | null }>(CATCH_UP, this.#seen);
    for (const r of caught?.events ?? []) {
      const event = toHallEvent(r);
      this.#seen = event.id;
      this.#lastNow = Math.max(this.#lastNow, event.at);
      this.#hooks.observed?.(event);
      this.emit('event', event);
    }
    const day = caught?.day;
    if (day && day > this.#day) {
      this.#day = day;
      this.#hooks.dayOpened?.(day);
    }
  }

  #finish<T>(commit: () => T): T {
    let result: T;
    try {
      result = commit();
    } catch (err) {
      this.#pending = [];
      const runner = this.#sqlite();
      this.#day = runner.readSync(() => get<{ value: string }>(CURRENT_DAY))?.value ?? this.#day;
      this.#hooks.rolledBack?.(this.#day);
      throw err;
    }
    this.#publish();
    return result;
  }

  #publish(): void {
    const published = this.#pending;
    this.#pending = [];
    for (const e of published) {
      if (e.id > this.#seen) this.#seen = e.id;
      this.emit('event', e);
    }
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #sqlite(): SqliteRunner {
    if (!(this.runner instanceof SqliteRunner)) throw new Error('a synchronous write needs the SQLite store');
    return this.runner;
  }

  /**
   * The business day only moves forward: if the clock is set back across the reset, the current
   * day and its numbering continue, so no number can repeat.
   */
  *#rollOver(now: number): Tx<void> {
    const today = this.#businessDay(now);
    if (today <= this.#day) return;
    const old = this.#day;
    const closed = this.#hooks.closeDay ? yield* this.#hooks.closeDay(now, old, today) : {};
    yield* this.appendTx(now, old, 'day.closed', null, null, closed);
    yield* run(SET_DAY, today);
    yield* run(OPEN_DAY, today, now);
    this.#day = today;
    this.#hooks.dayOpened?.(today);
    yield* this.appendTx(now, today, 'day.opened', null, null, {});
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

function isRunner(store: Db | Runner): store is Runner {
  return 'dialect' in store && 'transaction' in store && typeof (store as Runner).read === 'function' && !('prepare' in store);
}

/**
 * The unit of work of a terminal that reaches the hall's queue over the network: its own records
 * (evaluations of its self-service) in one transaction each, dated by the business day, with no
 * queue day of its own to roll over.
 */
export class LocalUnitOfWork implements UnitOfWork {
  readonly runner: SqliteRunner;
  #config: KioskConfig;
  #clock: Clock;

  constructor(db: Db, config: KioskConfig, clock: Clock = systemClock) {
    this.runner = new SqliteRunner(db);
    this.#config = config;
    this.#clock = clock;
  }

  get day(): string {
    return businessDay(this.#clock(), this.#config.hall.timeZone, this.#config.hall.dailyResetTime);
  }

  write<T>(fn: (now: number, day: string) => T): T {
    const now = this.#clock();
    return writeTx(this.runner.db, () => fn(now, businessDay(now, this.#config.hall.timeZone, this.#config.hall.dailyResetTime)));
  }

  /** The body `fn` builds, in one immediate transaction (the same shape as HallDay's). */
  transact<T>(fn: (now: number, day: string) => Tx<T>): Promise<T> {
    const now = this.#clock();
    const day = businessDay(now, this.#config.hall.timeZone, this.#config.hall.dailyResetTime);
    return this.runner.transaction(() => fn(now, day));
  }

  read<T>(body: () => Tx<T>): Promise<T> {
    return this.runner.read(body);
  }
}
