/**
 * The hall store on PostgreSQL: a `Runner` (kiosk/store/sql.ts) over a node-postgres pool.
 *
 * What the runner guarantees
 *
 * - `transaction(body)` runs the body on one connection inside BEGIN … COMMIT, after taking the
 *   hall-wide transaction advisory lock (HALL_WRITE_LOCK_KEY): every daemon of the hall writes one
 *   transaction at a time, as on SQLite's single file, so numbering, calling order and event ids
 *   follow commit order (a reader that saw event N never later finds N-1 appear). The lock ends
 *   with the transaction; a daemon that dies mid-transaction releases it with its session.
 * - A body that throws is rolled back; nothing of it is visible to anyone.
 * - `read(body)` runs in a REPEATABLE READ READ ONLY transaction without the lock: one snapshot for
 *   every statement of the body (what a synchronous SQLite read body sees too), never blocked by
 *   a writer, and a body that tries to write fails instead of writing outside the lock.
 * - Statement results: `get` the first row or undefined, `all` the rows, `run` `{ changes }`.
 *   int8 (bigint columns, count(*)) and numeric (avg) arrive as JS numbers (per pool, not the
 *   process-wide pg.types); an int8 beyond 2^53 is an error rather than a silently wrong number.
 * - The store being unreachable — connection refused or lost, every host down, only a standby left
 *   (read-only), a server shutting down or starting up, a statement or lock wait past
 *   statementTimeoutMs, a serialization failure or deadlock — is `KioskError('STORE_UNAVAILABLE',
 *   { postgres: code })`: HTTP 503, the kiosk says so and retries. The runner stays usable and
 *   reconnects on the next call; it never hangs past the timeouts and never crashes the daemon.
 *   A lost COMMIT reply is also STORE_UNAVAILABLE although the commit may have happened: retries
 *   are safe because issuing is idempotent by request id (tickets_request).
 * - Failover: the URL may list several hosts (libpq multi-host form). With
 *   `target_session_attrs=read-write` (or `primary`) a new connection goes to the first host, in
 *   list order, whose session is writable (checked once per connection with
 *   `SHOW transaction_read_only` / `pg_is_in_recovery()`, as libpq does), and stays there while it
 *   works: after the standby is promoted the runner finds it without a restart, and an old primary
 *   that comes back does not win the hall back from the promoted one until the current host fails.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { PoolClient, PoolConfig, QueryConfig, QueryResult } from 'pg';
import { type Clock, systemClock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import { HALL_EVENTS_CHANNEL } from './postgres-channel.ts';
import { migratePostgres } from './postgres-migrations.ts';
import { describeTarget, parsePostgresUrl, type PostgresTarget } from './postgres-url.ts';
import { type Dialect, inlineParams, numberPlaceholders, type Runner, type SqlText, type Statement, textFor, type Tx } from './sql.ts';

export interface PostgresOptions {
  /** libpq connection URI; several hosts are tried in order (see above). */
  readonly url: string;
  /** Overrides the URI's password (read from secrets.env with `$env:NAME`). */
  readonly password?: string | undefined;
  readonly poolSize: number;
  /** Server-side statement_timeout, also bounds the wait for the hall lock. */
  readonly statementTimeoutMs: number;
  /** Per host: TCP connect plus authentication. */
  readonly connectTimeoutMs: number;
  readonly tls?: { readonly caFile?: string | undefined; readonly rejectUnauthorized: boolean } | undefined;
}

const FOLLOW_RETRY_MS = 1_000;

/** Key of the hall-wide write lock (pg_advisory_xact_lock); the migration lock has another key. */
export const HALL_WRITE_LOCK_KEY = 0x6b_696f_736b_01; // "kiosk" + 01

const INT8 = 20;
/** Distinct statement texts prepared by name; the engine has a few dozen. */
const MAX_NAMED = 500;
const NUMERIC = 1700;

/**
 * SQLSTATEs that mean "the store cannot take this now, try again": class 08 (connection), 53
 * (insufficient resources: too many connections, disk full), 57P01–57P05 (shutdown, crash, cannot
 * connect now, e.g. a standby still starting), 57014 (statement timeout, including the lock wait),
 * 25006 (read-only transaction: we reached a standby), 40001/40P01 (serialization, deadlock),
 * 58xxx (system I/O errors).
 */
function unavailableCode(code: string): boolean {
  return /^(08|53|58|57P0)/.test(code) || ['57014', '25006', '40001', '40P01'].includes(code);
}

/** The error to hand on: STORE_UNAVAILABLE for any error that is not a plain SQL error. */
export function asPostgresError(err: unknown): unknown {
  if (err instanceof KioskError) return err;
  if (err instanceof pg.DatabaseError) {
    return err.code && unavailableCode(err.code) ? new KioskError('STORE_UNAVAILABLE', { postgres: err.code }) : err;
  }
  // Not from the server: refused/reset sockets (ECONNREFUSED…), pg's own "Connection terminated",
  // "timeout exceeded when trying to connect", "Query read timeout".
  const code = (err as { code?: unknown } | null)?.code;
  return new KioskError('STORE_UNAVAILABLE', { postgres: typeof code === 'string' ? code : 'connection' });
}

export class PostgresRunner implements Runner {
  readonly dialect: Dialect = 'postgres';
  readonly shared = true;
  readonly target: PostgresTarget;
  #options: PostgresOptions;
  #pools: (pg.Pool | undefined)[];
  #current = 0;
  #checked = new WeakSet<PoolClient>();
  #names = new Map<string, QueryName>();
  #closed = false;

  constructor(options: PostgresOptions) {
    this.#options = options;
    this.target = parsePostgresUrl(options.url);
    this.#pools = this.target.hosts.map(() => undefined);
  }

  async transaction<T>(body: () => Tx<T>): Promise<T> {
    return this.#inTransaction('BEGIN', true, body);
  }

  async read<T>(body: () => Tx<T>): Promise<T> {
    return this.#inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', false, body);
  }

  /**
   * Calls `onChange` when another daemon may have committed events: on each NOTIFY on the hall's
   * channel (HallDay sends one with every transaction that appended events), and after a lost
   * listening connection has been re-established on whichever host is now writable (the events
   * of the gap are read then). One pooled connection stays checked out for LISTEN.
   */
  follow(onChange: () => void): () => Promise<void> {
    let stopped = false;
    let client: PoolClient | undefined;
    let wake: (() => void) | undefined;
    const loop = async () => {
      while (!stopped && !this.#closed) {
        try {
          client = await this.#connect();
          const lost = new Promise<void>((resolve) => {
            wake = resolve;
            client?.once('error', () => resolve());
            client?.once('end', () => resolve());
          });
          client.on('notification', (n) => {
            if (n.channel === HALL_EVENTS_CHANNEL) onChange();
          });
          await client.query(`LISTEN ${HALL_EVENTS_CHANNEL}`);
          onChange(); // whatever was committed while nobody listened
          await lost;
        } catch {
          // No host reachable: try again below.
        }
        client?.release(true);
        client = undefined;
        if (!stopped) await new Promise((r) => setTimeout(r, FOLLOW_RETRY_MS).unref());
      }
    };
    void loop();
    return async () => {
      stopped = true;
      wake?.();
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = this.#pools.filter((p): p is pg.Pool => p !== undefined);
    this.#pools = this.#pools.map(() => undefined);
    await Promise.all(pools.map((p) => p.end()));
  }

  /** Runs migrations on one connection (see kiosk/store/postgres-migrations.ts). */
  async migrate(now: number): Promise<number> {
    const client = await this.#connect();
    let failed = false;
    try {
      return await migratePostgres(client, describeTarget(this.target), now);
    } catch (err) {
      failed = true; // the connection may hold the migration lock or an open transaction: drop it
      throw err instanceof pg.DatabaseError ? asPostgresError(err) : err;
    } finally {
      client.release(failed);
    }
  }

  /**
   * One body in one transaction, in as few round trips as the protocol allows (each costs a
   * loopback or LAN round trip while the hall lock is held): BEGIN, the lock and the body's first
   * statement (HallDay's catch-up) go in one simple-protocol message when that statement's
   * parameters can be written as literals; `defer` statements go with COMMIT.
   */
  async #inTransaction<T>(begin: string, lock: boolean, body: () => Tx<T>): Promise<T> {
    const tx = body();
    // Runs the body up to its first statement: nothing has reached the store yet.
    let step = tx.next();
    const opening = lock ? `${begin}; SELECT pg_advisory_xact_lock(${HALL_WRITE_LOCK_KEY})` : begin;
    const first = step.done || step.value.kind === 'defer' ? undefined : inlineParams(this.#query(step.value.sql).source, step.value.params);
    const { client, results, error } = await this.#begin(first === undefined ? opening : `${opening}; ${first}`);
    let broken: Error | undefined;
    const deferred: string[] = [];
    try {
      if (first !== undefined && !step.done) {
        const s = step.value;
        step = error ? tx.throw(error) : tx.next(resultOf(s, results[results.length - 1]));
      } else if (error) {
        throw error;
      }
      while (!step.done) {
        const s = step.value;
        if (s.kind === 'defer') {
          deferred.push(textFor(s.sql, 'postgres'));
          step = tx.next(undefined);
          continue;
        }
        let value: unknown;
        try {
          if (deferred.length) await query(client, deferred.splice(0).join('; '));
          value = await this.#answer(client, s);
        } catch (err) {
          step = tx.throw(err);
          continue;
        }
        step = tx.next(value);
      }
      await query(client, [...deferred, 'COMMIT'].join('; '));
      return step.value;
    } catch (err) {
      // The body's own error (a broken rule) passes unchanged; the client's were converted.
      if (unusable.has(client)) {
        broken = err as Error; // no ROLLBACK on a lost or timed-out connection: closing it ends the transaction
      } else {
        await client.query('ROLLBACK').catch((e: Error) => {
          broken = e; // the connection is gone: the server rolls back on its own
        });
      }
      throw err;
    } finally {
      client.release(broken ?? false);
    }
  }

  /**
   * A connection with `opening` (BEGIN, perhaps the lock and a first statement) sent. A pooled
   * connection can have died while idle (its server restarted, or the primary is gone): nothing
   * has run, so one fresh connection is tried before the kiosk is told the store is unavailable.
   * An SQL error (from the lock or the first statement) comes back as `error` with the connection
   * inside its aborted transaction, for the caller to hand to the body and roll back.
   */
  async #begin(opening: string): Promise<{ client: PoolClient; results: QueryResult[]; error?: unknown }> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.#connect();
      try {
        const r = (await client.query(opening)) as QueryResult | QueryResult[];
        return { client, results: Array.isArray(r) ? r : [r] };
      } catch (err) {
        if (err instanceof pg.DatabaseError) return { client, results: [], error: asPostgresError(err) };
        client.release(true);
        if (attempt > 0) throw asPostgresError(err);
      }
    }
  }

  async #answer(client: PoolClient, s: Statement): Promise<unknown> {
    const { name, text } = this.#query(s.sql);
    // An error is thrown into the body: a unique violation stays a DatabaseError it may catch.
    return resultOf(s, await query(client, { name, text, values: s.params as unknown[] }));
  }

  /**
   * The statement in PostgreSQL's spelling, converted once per text, and a name under which each
   * connection prepares it once (parse and plan once per connection, not per execution). Keyed by
   * the text, not the SqlText object: a `{ sqlite, postgres }` literal is a new object per call.
   * Past MAX_NAMED distinct texts (SQL built at run time) statements run unnamed, so neither this
   * map nor the server's prepared statements grow without bound.
   */
  #query(sql: SqlText): QueryName {
    const source = textFor(sql, 'postgres');
    let q = this.#names.get(source);
    if (!q) {
      const text = numberPlaceholders(source);
      if (this.#names.size >= MAX_NAMED) return { name: undefined, source, text };
      q = { name: `kiosk_${this.#names.size + 1}`, source, text };
      this.#names.set(source, q);
    }
    return q;
  }

  /**
   * A connection to a host whose session matches target_session_attrs: the current host first,
   * then the others in list order. A host that fails is left for the next.
   */
  async #connect(): Promise<PoolClient> {
    if (this.#closed) throw new KioskError('STORE_UNAVAILABLE', { postgres: 'closed' });
    const n = this.target.hosts.length;
    const order = [this.#current, ...[...Array(n).keys()].filter((i) => i !== this.#current)];
    let last: unknown;
    for (const i of order) {
      let client: PoolClient;
      try {
        client = await this.#pool(i).connect();
      } catch (err) {
        last = err;
        continue;
      }
      try {
        if (!(await this.#acceptable(client))) {
          client.release(true);
          last = new KioskError('STORE_UNAVAILABLE', { postgres: '25006' });
          continue;
        }
      } catch (err) {
        client.release(true);
        last = err;
        continue;
      }
      this.#current = i;
      return client;
    }
    throw asPostgresError(last);
  }

  async #acceptable(client: PoolClient): Promise<boolean> {
    if (this.target.targetSessionAttrs === 'any' || this.#checked.has(client)) return true;
    const { rows } = await client.query<{ ro: string; recovery: boolean }>(
      "SELECT current_setting('transaction_read_only') AS ro, pg_is_in_recovery() AS recovery",
    );
    const row = rows[0];
    const ok = this.target.targetSessionAttrs === 'primary' ? row?.recovery === false : row?.ro === 'off';
    if (ok) this.#checked.add(client);
    return ok;
  }

  #pool(i: number): pg.Pool {
    let pool = this.#pools[i];
    if (!pool) {
      pool = new pg.Pool(this.#poolConfig(i));
      // An idle connection whose server went away: the pool drops it; the next call reconnects.
      pool.on('error', () => undefined);
      // A checked-out connection whose socket fails between statements emits 'error' on the client
      // (ECONNRESET when the primary dies): unheard, Node would end the daemon. The statement that
      // follows fails and is reported as STORE_UNAVAILABLE.
      pool.on('connect', (client) => client.on('error', () => undefined));
      this.#pools[i] = pool;
    }
    return pool;
  }

  #poolConfig(i: number): PoolConfig {
    const o = this.#options;
    const t = this.target;
    const host = t.hosts[i] as { host: string; port: number };
    return {
      host: host.host,
      port: host.port,
      user: t.user,
      password: o.password ?? t.password,
      database: t.database,
      application_name: t.applicationName ?? 'hall-kiosk',
      ssl: sslOptions(o, t),
      max: o.poolSize,
      connectionTimeoutMillis: o.connectTimeoutMs,
      statement_timeout: o.statementTimeoutMs,
      // A transaction body never waits on anything but its statements: a session idle inside a
      // transaction is a stuck or cut-off daemon holding the hall lock; the server ends it.
      idle_in_transaction_session_timeout: o.statementTimeoutMs,
      // The server cannot time out a reply that never comes back (a machine that lost power):
      // the client gives up a little after the server would have.
      query_timeout: o.statementTimeoutMs + o.connectTimeoutMs,
      keepAlive: true,
      types: { getTypeParser },
    };
  }
}

/** Connections whose last statement failed below SQL (socket lost, client-side timeout). */
const unusable = new WeakSet<PoolClient>();

async function query(client: PoolClient, q: string | QueryConfig): Promise<QueryResult<Record<string, unknown>>> {
  try {
    return await client.query<Record<string, unknown>>(q);
  } catch (err) {
    if (!(err instanceof pg.DatabaseError)) unusable.add(client);
    throw asPostgresError(err);
  }
}

interface QueryName {
  readonly name: string | undefined;
  /** The statement as the body wrote it (`?` placeholders), in PostgreSQL's dialect. */
  readonly source: string;
  readonly text: string;
}

/** What a statement of a body gets back: `get` the first row, `all` the rows, `run` the count. */
function resultOf(s: Statement, result: QueryResult | undefined): unknown {
  if (s.kind === 'get') return result?.rows[0];
  if (s.kind === 'all') return result?.rows ?? [];
  return { changes: result?.rowCount ?? 0 };
}

function sslOptions(o: PostgresOptions, t: PostgresTarget): PoolConfig['ssl'] {
  if (o.tls) return { rejectUnauthorized: o.tls.rejectUnauthorized, ...(o.tls.caFile ? { ca: readFileSync(o.tls.caFile, 'utf8') } : {}) };
  if (t.sslmode === 'require' || t.sslmode === 'prefer') return { rejectUnauthorized: false };
  if (t.sslmode === 'verify-ca' || t.sslmode === 'verify-full') return { rejectUnauthorized: true };
  return false;
}

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${text} is beyond JavaScript's safe integers`);
  return n;
}

const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if ((format ?? 'text') === 'text') {
    if (oid === INT8) return parseInt8;
    if (oid === NUMERIC) return Number;
  }
  return pg.types.getTypeParser(oid, format ?? 'text');
}) as typeof pg.types.getTypeParser;

/**
 * Opens the hall store on PostgreSQL and brings its schema up to date (the first daemon to start
 * migrates; the others wait on the migration lock and find nothing to do).
 */
export async function openPostgres(options: PostgresOptions, clock: Clock = systemClock): Promise<PostgresRunner> {
  const runner = new PostgresRunner(options);
  try {
    await runner.migrate(Math.floor(clock()));
  } catch (err) {
    await runner.close();
    throw err;
  }
  return runner;
}
