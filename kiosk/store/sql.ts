/**
 * One transaction body, two engines. The hall's rules (numbering, calling order, appointments…)
 * are written once, as generator functions that `yield*` the statements they need:
 *
 *     function* nextNumber(day: string, code: string): Tx<number> {
 *       const row = yield* get<{ last_no: number }>('UPDATE … RETURNING last_no', day, code);
 *       …
 *     }
 *
 * A runner drives the generator: on SQLite (better-sqlite3, synchronous) `runSqlite` answers each
 * statement at once, so the whole body runs inside one `BEGIN IMMEDIATE … COMMIT` without ever
 * returning to the event loop — no other request can interleave, no lock is needed and the hot
 * path costs what it did before. On PostgreSQL (kiosk/store/postgres.ts) the runner awaits each
 * statement on a pooled client. The body cannot tell the difference, so the rule lives in one
 * file whichever engine the hall chose (the same technique as Babel's `gensync`).
 *
 * SQL is written in the dialect both engines share: `?` placeholders (the PostgreSQL runner numbers
 * them `$1…`), `RETURNING`, `ON CONFLICT … DO …`, `CASE WHEN` instead of summing booleans. Where the
 * engines differ (JSON access), a statement carries both spellings: `{ sqlite, postgres }`.
 */

export type Dialect = 'sqlite' | 'postgres';
export type SqlText = string | { readonly sqlite: string; readonly postgres: string };
export type Param = string | number | bigint | null | Uint8Array;

export interface Statement {
  /** `defer`: see `defer()`; a runner that has no use for deferring answers it like `run`. */
  readonly kind: 'get' | 'all' | 'run' | 'defer';
  readonly sql: SqlText;
  readonly params: readonly Param[];
}

/** What a `run` statement reports. */
export interface RunResult {
  readonly changes: number;
}

/** A transaction body (or a part of one, composed with `yield*`) that returns T. */
export type Tx<T> = Generator<Statement, T, unknown>;

/** The first row, or undefined. */
export function* get<R>(sql: SqlText, ...params: Param[]): Tx<R | undefined> {
  return (yield { kind: 'get', sql, params }) as R | undefined;
}

/** Every row. */
export function* all<R>(sql: SqlText, ...params: Param[]): Tx<R[]> {
  return (yield { kind: 'all', sql, params }) as R[];
}

/** A statement without rows (or whose rows are not needed). */
export function* run(sql: SqlText, ...params: Param[]): Tx<RunResult> {
  return (yield { kind: 'run', sql, params }) as RunResult;
}

/**
 * A statement without parameters whose result the body does not need and whose effect nothing
 * later in the body reads (a `pg_notify`): a runner may send it later in the same transaction.
 * PostgreSQL's sends it in one round trip with COMMIT; SQLite's runs it at once.
 */
export function* defer(sql: SqlText): Tx<void> {
  yield { kind: 'defer', sql, params: [] };
}

/** A body that needs no statement: lets a plain value be used where a Tx is expected. */
export function* pure<T>(value: T): Tx<T> {
  return value;
}

export function textFor(sql: SqlText, dialect: Dialect): string {
  return typeof sql === 'string' ? sql : sql[dialect];
}

/**
 * Drives a body step by step with `answer` for each statement. An error thrown by a statement is
 * thrown into the body (its try/finally runs) and, if the body does not catch it, out of here.
 */
export function drive<T>(body: Tx<T>, answer: (s: Statement) => unknown): T {
  let step = body.next();
  while (!step.done) {
    let value: unknown;
    try {
      value = answer(step.value);
    } catch (err) {
      step = body.throw(err);
      continue;
    }
    step = body.next(value);
  }
  return step.value;
}

/** The asynchronous form of `drive`, for a client whose statements return promises. */
export async function driveAsync<T>(body: Tx<T>, answer: (s: Statement) => Promise<unknown>): Promise<T> {
  let step = body.next();
  while (!step.done) {
    let value: unknown;
    try {
      value = await answer(step.value);
    } catch (err) {
      step = body.throw(err);
      continue;
    }
    step = body.next(value);
  }
  return step.value;
}

/** `?` → `$1, $2, …` outside quoted text (the PostgreSQL spelling of positional parameters). */
export function numberPlaceholders(sql: string): string {
  return replacePlaceholders(sql, (n) => `$${n}`);
}

/**
 * The statement with its parameters written into the text, when every parameter is a number or
 * null (so no quoting question arises); otherwise undefined. For sending a statement in one
 * message with others (PostgreSQL's simple query protocol takes no parameters).
 */
export function inlineParams(sql: string, params: readonly Param[]): string | undefined {
  const literals: string[] = [];
  for (const p of params) {
    if (p === null) literals.push('NULL');
    else if (typeof p === 'bigint' || (typeof p === 'number' && Number.isFinite(p))) literals.push(String(p));
    else return undefined;
  }
  return replacePlaceholders(sql, (n) => literals[n - 1] ?? 'NULL');
}

function replacePlaceholders(sql: string, placeholder: (n: number) => string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += placeholder(++n);
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * An engine's way of running bodies. `transaction` runs one body in one durable transaction that
 * excludes every other writer of the hall (SQLite: BEGIN IMMEDIATE on the one holder's file;
 * PostgreSQL: a hall-wide transaction advisory lock, so events get ids in commit order and a
 * reader that saw id N can never later find an N-1 appear), rolling back if the body throws.
 * `read` runs a body outside any write transaction (a snapshot read). SQLite's runner finishes a
 * body before it returns (the promise is already settled); PostgreSQL's awaits the server.
 */
export interface Runner {
  readonly dialect: Dialect;
  /** True when other daemons write the same store (PostgreSQL): in-memory views must catch up. */
  readonly shared: boolean;
  transaction<T>(body: () => Tx<T>): Promise<T>;
  read<T>(body: () => Tx<T>): Promise<T>;
  /** A shared store: calls `onChange` whenever another daemon may have committed; returns stop. */
  follow?(onChange: () => void): () => Promise<void>;
  close(): Promise<void>;
}
