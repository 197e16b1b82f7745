import Database from 'better-sqlite3';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Db } from './database.ts';

/**
 * Backups of the kiosk database: the nightly online backup (`hall-kiosk backup`, SQLite's backup
 * API while the daemon keeps serving), the copy taken before a migration, and `hall-kiosk restore`.
 * Every copy is checked with `PRAGMA integrity_check` before it counts; files are 0600 in a 0700
 * directory (they hold identity hashes and the queue log).
 */

/** The database was written by a newer version of hall-kiosk than this one. */
export class DatabaseTooNewError extends Error {
  readonly found: number;
  readonly known: number;
  constructor(path: string, found: number, known: number) {
    super(
      `数据库版本 ${found} 比本程序支持的版本 ${known} 新，拒绝降级运行；请安装较新版本或用 hall-kiosk restore 恢复旧备份 ` +
        `(database ${path} has schema version ${found}, this hall-kiosk knows ${known}: refusing to downgrade)`,
    );
    this.name = 'DatabaseTooNewError';
    this.found = found;
    this.known = known;
  }
}

/** A backup file that is missing, unreadable or fails its integrity check. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export const BACKUP_PREFIX = 'kiosk-';
const BACKUP_RE = /^kiosk-(\d{8}T\d{6}Z)(?:-[a-z0-9-]+)?\.db$/;

export function defaultBackupDir(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    // Not ours to change (a directory the operator chose): the files themselves stay 0600.
  }
}

/** `PRAGMA integrity_check` on a file opened read-only; returns the problems (empty: sound). */
export function checkIntegrity(file: string): { problems: string[]; userVersion: number } {
  if (!existsSync(file)) throw new BackupError(`备份文件不存在 (no such file): ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`无法打开数据库文件 (cannot open ${file}): ${(err as Error).message}`);
  }
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    return { problems, userVersion: db.pragma('user_version', { simple: true }) as number };
  } catch (err) {
    return { problems: [(err as Error).message], userVersion: -1 };
  } finally {
    db.close();
  }
}

function assertSound(file: string): number {
  const { problems, userVersion } = checkIntegrity(file);
  if (problems.length) {
    throw new BackupError(`备份文件损坏 (integrity check failed for ${file}): ${problems.slice(0, 3).join('; ')}`);
  }
  return userVersion;
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly userVersion: number;
  readonly pruned: readonly string[];
}

/**
 * Online backup with SQLite's backup API (better-sqlite3 `db.backup()`): the daemon may keep
 * writing meanwhile. The copy is written under a temporary name, checked, then renamed, so a
 * listed backup is always a sound one. Backups older than `keepDays` are deleted afterwards.
 */
export async function backupDatabase(
  source: Db | string,
  options: { dir?: string; keepDays?: number; now?: Date; label?: string } = {},
): Promise<BackupResult> {
  const db = typeof source === 'string' ? openForBackup(source) : source;
  try {
    const dir = options.dir ?? defaultBackupDir(db.name);
    ensurePrivateDir(dir);
    const now = options.now ?? new Date();
    const name = `${BACKUP_PREFIX}${stamp(now)}${options.label ? `-${options.label}` : ''}.db`;
    const file = join(dir, name);
    const tmp = `${file}.partial`;
    rmSync(tmp, { force: true });
    await db.backup(tmp);
    chmodSync(tmp, 0o600);
    fsyncFile(tmp);
    let userVersion: number;
    try {
      userVersion = assertSound(tmp);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    renameSync(tmp, file);
    const pruned = options.keepDays !== undefined ? pruneBackups(dir, options.keepDays, now) : [];
    return { file, bytes: statSync(file).size, userVersion, pruned };
  } finally {
    if (typeof source === 'string') db.close();
  }
}

/** The live database opened for reading only what the backup needs (never migrated here). */
function openForBackup(path: string): Database.Database {
  if (!existsSync(path)) throw new BackupError(`数据库文件不存在 (no database at ${path})`);
  // Not read-only: a WAL database needs its -shm file, which a read-only handle cannot create.
  const db = new Database(path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Synchronous copy taken right before migrations change the schema (`VACUUM INTO`: consistent,
 * includes the WAL, compact). Returns the file, or null for an in-memory database.
 */
export function backupBeforeMigration(db: Db, fromVersion: number, toVersion: number): string | null {
  if (db.memory || !db.name) return null;
  const dir = defaultBackupDir(db.name);
  ensurePrivateDir(dir);
  const file = join(dir, `${BACKUP_PREFIX}${stamp(new Date())}-pre-migration-v${fromVersion}-v${toVersion}.db`);
  rmSync(file, { force: true });
  db.prepare('VACUUM INTO ?').run(file);
  chmodSync(file, 0o600);
  assertSound(file);
  return file;
}

export interface BackupInfo {
  readonly file: string;
  readonly takenAt: Date;
  readonly bytes: number;
}

/** Backups in `dir`, newest first. */
export function listBackups(dir: string): BackupInfo[] {
  if (!existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of readdirSync(dir)) {
    const m = BACKUP_RE.exec(name);
    if (!m) continue;
    const s = m[1]!;
    const takenAt = new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
    out.push({ file: join(dir, name), takenAt, bytes: statSync(join(dir, name)).size });
  }
  return out.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || (a.file < b.file ? 1 : -1));
}

/** Deletes backups taken more than `keepDays` days before `now`; the newest one is always kept. */
export function pruneBackups(dir: string, keepDays: number, now: Date = new Date()): string[] {
  const cutoff = now.getTime() - keepDays * 86_400_000;
  const [newest, ...rest] = listBackups(dir);
  const pruned: string[] = [];
  for (const b of rest) {
    if (b.takenAt.getTime() < cutoff) {
      rmSync(b.file, { force: true });
      pruned.push(b.file);
    }
  }
  void newest;
  return pruned;
}

/**
 * Puts a backup back in place of the database at `dbPath`. The daemon must be stopped (the
 * caller checks). The backup is checked first; the current database (with its WAL) is kept
 * beside it as `<name>.before-restore-<time>` so a wrong restore can itself be undone.
 */
export function restoreDatabase(
  backupFile: string,
  dbPath: string,
  options: { knownVersion: number; now?: Date },
): { restored: string; previous: string | null; userVersion: number } {
  const userVersion = assertSound(backupFile);
  if (userVersion > options.knownVersion) throw new DatabaseTooNewError(backupFile, userVersion, options.knownVersion);
  mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
  let previous: string | null = null;
  if (existsSync(dbPath)) {
    previous = `${dbPath}.before-restore-${stamp(options.now ?? new Date())}`;
    const current = new Database(dbPath, { fileMustExist: true });
    try {
      current.prepare('VACUUM INTO ?').run(previous);
    } finally {
      current.close();
    }
    chmodSync(previous, 0o600);
  }
  const tmp = join(dirname(dbPath), `.${basename(dbPath)}.restoring`);
  copyFileSync(backupFile, tmp);
  chmodSync(tmp, 0o600);
  fsyncFile(tmp);
  for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  renameSync(tmp, dbPath);
  return { restored: dbPath, previous, userVersion };
}
