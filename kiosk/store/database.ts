import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { KioskError } from '../errors.ts';
import { backupBeforeMigration, DatabaseTooNewError } from './backup.ts';
import { MIGRATIONS } from './migrations.ts';
import { drive, type Runner, type Statement as SqlStatement, textFor, type Tx } from './sql.ts';

export type Db = Database.Database;

/**
 * Opens the kiosk database with the durability settings every write relies on:
 *
 * - `journal_mode = WAL`: readers (status polls, the event stream) never block the writer.
 * - `synchronous = FULL`: each commit fsyncs the WAL before returning, so a ticket acknowledged to
 *   a citizen survives power loss. NORMAL would be faster but, in WAL mode, may lose the last
 *   commits on power failure: a printed number that the database forgot could then be issued twice.
 * - `busy_timeout`: another connection (the archive job, a diagnostic shell) waits instead of failing.
 * - `foreign_keys = ON`, and migrations tracked with `user_version`.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') privateDirectory(dirname(path));
  const db = new Database(path);
  // SQLite gives the -wal and -shm files (and backups made with db.backup) the database file's mode.
  if (path !== ':memory:') for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/**
 * The data directory holds identity hashes and evaluation contacts: it is the daemon user's alone
 * (0700). A shared directory (sticky bit, as /tmp) or one owned by someone else is left as it is.
 */
export function privateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = statSync(dir);
  if ((st.mode & 0o1000) === 0 && st.uid === process.getuid?.()) chmodSync(dir, 0o700);
}

export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  // A newer hall-kiosk wrote this database: running old code on it could lose data.
  if (current > MIGRATIONS.length) throw new DatabaseTooNewError(db.name, current, MIGRATIONS.length);
  // An existing store is copied before its schema changes (an upgrade keeps a way back).
  if (current > 0 && current < MIGRATIONS.length) backupBeforeMigration(db, current, MIGRATIONS.length);
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return MIGRATIONS.length;
}

const UNAVAILABLE = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

/**
 * Runs `fn` in one immediate transaction. A disk that is full, read-only or failing turns into
 * STORE_UNAVAILABLE (HTTP 503); the transaction is rolled back, so nothing is half-written and the
 * daemon keeps running.
 */
export function writeTx<T>(db: Db, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (err) {
    throw asStoreError(err);
  }
}

export function asStoreError(err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && [...UNAVAILABLE].some((c) => code.startsWith(c))) {
    return new KioskError('STORE_UNAVAILABLE', { sqlite: code });
  }
  return err;
}

/**
 * The SQLite runner (kiosk/store/sql.ts): answers each statement of a body at once from a cache of
 * prepared statements, so a body runs start to finish inside one `BEGIN IMMEDIATE` without
 * returning to the event loop. The promise-returning methods are already settled when they return.
 */
export class SqliteRunner implements Runner {
  readonly dialect = 'sqlite' as const;
  readonly shared = false;
  readonly db: Db;
  #prepared = new Map<string, Database.Statement>();

  constructor(db: Db) {
    this.db = db;
  }

  /** Answers one statement on this connection (inside whatever transaction is open). */
  readonly answer = (s: SqlStatement): unknown => {
    const text = textFor(s.sql, 'sqlite');
    let stmt = this.#prepared.get(text);
    if (!stmt) this.#prepared.set(text, (stmt = this.db.prepare(text)));
    if (s.kind === 'get') return stmt.get(...s.params);
    if (s.kind === 'all') return stmt.all(...s.params);
    return { changes: stmt.run(...s.params).changes };
  };

  /** One immediate transaction, synchronously. */
  transactionSync<T>(body: () => Tx<T>): T {
    return writeTx(this.db, () => drive(body(), this.answer));
  }

  /** A body outside a write transaction (or inside the caller's), synchronously. */
  readSync<T>(body: () => Tx<T>): T {
    return drive(body(), this.answer);
  }

  transaction<T>(body: () => Tx<T>): Promise<T> {
    return settled(() => this.transactionSync(body));
  }

  read<T>(body: () => Tx<T>): Promise<T> {
    return settled(() => this.readSync(body));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * This terminal's own id: random, made on first use and kept in its SQLite file. It tells apart the
 * records several terminals put into one shared hall store (a print job id is only this file's).
 */
export function terminalId(db: Db): string {
  db.prepare("INSERT INTO meta (key, value) VALUES ('terminal_id', ?) ON CONFLICT (key) DO NOTHING").run(randomUUID());
  return (db.prepare("SELECT value FROM meta WHERE key = 'terminal_id'").get() as { value: string }).value;
}

function settled<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
