import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Clock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import { backupDatabase, checkIntegrity, DatabaseTooNewError, defaultBackupDir, listBackups, restoreDatabase } from '../store/backup.ts';
import type { Db } from '../store/database.ts';
import { MIGRATIONS } from '../store/migrations.ts';
import { ConsoleAudit } from './audit.ts';

/**
 * Backups from the technician console (hall-admin only): take one now, list and download them,
 * and restore one on the running daemon. kiosk/store/backup.ts does the SQLite work (online
 * backup, integrity check, the swap with the replaced database kept beside it); this module adds
 * what a live daemon needs around it.
 *
 * A restore cannot swap the file under an open store, so it is staged and finished by the next
 * start, before the store opens:
 *
 *   kiosk.db.restore-pending        a checked copy of the chosen backup (0600)
 *   kiosk.db.restore-pending.json   who asked, when, which backup
 *   kiosk.db.restored.json          the outcome of the last restore, shown by the console
 *
 * The daemon then restarts gracefully (exit 75, as a configuration change does) and systemd starts
 * it again; `applyPendingRestore` (kiosk/main.ts, before createKiosk) swaps the file in, keeping
 * the replaced database as `kiosk.db.before-restore-<time>`, and `recordAppliedRestore` writes
 * the audit row into the restored database (the request's own row stayed in the replaced one).
 */

/** File names of backups (kiosk/store/backup.ts names them so); nothing else can be named. */
export const BACKUP_NAME_PATTERN = '^kiosk-[0-9]{8}T[0-9]{6}Z(-[a-z0-9-]+)?\\.db$';
const BACKUP_NAME = new RegExp(BACKUP_NAME_PATTERN);

export const PENDING_RESTORE = '.restore-pending';
export const RESTORED = '.restored.json';

export interface BackupEntry {
  readonly name: string;
  readonly takenAt: number;
  readonly bytes: number;
}

/** What the confirmation step shows before anything is written. */
export interface RestoreCheck extends BackupEntry {
  /** SHA-256 of the file: the confirmation must repeat it, so the file restored is the file checked. */
  readonly digest: string;
  readonly userVersion: number;
  readonly knownVersion: number;
}

export interface RestoreOutcome {
  readonly at: number;
  readonly backup: string;
  readonly user: string;
  readonly ok: boolean;
  /** Where the replaced database was kept (its file name), when it worked. */
  readonly previous: string | null;
  /** Why it did not (Chinese and English from kiosk/store/backup.ts). */
  readonly reason: string | null;
}

function fsyncPath(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function atomicWriteText(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  fsyncPath(tmp);
  renameSync(tmp, file);
}

export function fileDigest(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

const unavailable = () => new KioskError('STORE_UNAVAILABLE', { reason: 'memory-database' }, '本机数据库在内存中（测试模式），没有可备份的文件');

export class ConsoleBackups {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly dir: string | null;

  constructor(db: Db, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    this.dir = db.memory || !db.name ? null : defaultBackupDir(db.name);
  }

  /** Newest first. */
  list(): BackupEntry[] {
    if (!this.dir) return [];
    return listBackups(this.dir).map((b) => ({ name: basename(b.file), takenAt: b.takenAt.getTime(), bytes: b.bytes }));
  }

  /** SQLite online backup while serving, checked before it is listed (kiosk/store/backup.ts). */
  async takeNow(): Promise<BackupEntry> {
    if (!this.dir) throw unavailable();
    const r = await backupDatabase(this.#db, { dir: this.dir, now: new Date(this.#clock()), label: 'console' });
    return { name: basename(r.file), takenAt: this.#clock(), bytes: r.bytes };
  }

  /** The path of a listed backup; a name that is not one (or a path) is refused. */
  file(name: string): string {
    if (!this.dir) throw unavailable();
    const file = join(this.dir, name);
    if (!BACKUP_NAME.test(name) || !existsSync(file)) throw new KioskError('NOT_FOUND', { backup: name }, `没有名为 ${name} 的备份`);
    return file;
  }

  /** The confirmation step: integrity and schema version checked, nothing written. */
  check(name: string): RestoreCheck {
    const file = this.file(name);
    const { problems, userVersion } = checkIntegrity(file);
    if (problems.length)
      throw new KioskError(
        'REQUEST_INVALID',
        { reason: 'backup-corrupt', backup: name },
        `备份文件 ${name} 已损坏，不能用于恢复：${problems.slice(0, 3).join('；')}`,
      );
    if (userVersion > MIGRATIONS.length)
      throw new KioskError(
        'REQUEST_INVALID',
        { reason: 'backup-too-new', backup: name },
        `备份 ${name} 由较新版本的程序写入（数据库结构 ${userVersion}，本程序为 ${MIGRATIONS.length}），不能恢复`,
      );
    const entry = this.list().find((b) => b.name === name)!;
    return { ...entry, digest: fileDigest(file), userVersion, knownVersion: MIGRATIONS.length };
  }

  /**
   * Stages the backup as the database of the next start (after checking it again and comparing
   * its digest with the one the confirmation step showed). The caller restarts the daemon.
   */
  stageRestore(name: string, digest: string, user: string): RestoreCheck {
    const checked = this.check(name);
    if (checked.digest !== digest)
      throw new KioskError('REQUEST_INVALID', { reason: 'digest-mismatch', backup: name }, '备份文件与确认时检查的不一致，请重新检查后再确认恢复');
    const pending = `${this.#db.name}${PENDING_RESTORE}`;
    const tmp = `${pending}.partial`;
    copyFileSync(this.file(name), tmp);
    chmodSync(tmp, 0o600);
    fsyncPath(tmp);
    renameSync(tmp, pending);
    atomicWriteText(`${pending}.json`, `${JSON.stringify({ backup: name, digest, user, at: this.#clock() })}\n`);
    return checked;
  }

  /** A restore waiting for the next start, if any. */
  pending(): { backup: string; user: string; at: number } | null {
    return this.#db.memory ? null : readPending(this.#db.name);
  }

  /** The outcome of the last restore (done at a start), if any. */
  lastRestore(): RestoreOutcome | null {
    if (this.#db.memory) return null;
    try {
      return JSON.parse(readFileSync(`${this.#db.name}${RESTORED}`, 'utf8')) as RestoreOutcome;
    } catch {
      return null;
    }
  }
}

function readPending(dbPath: string): { backup: string; user: string; at: number } | null {
  if (!existsSync(`${dbPath}${PENDING_RESTORE}`)) return null;
  try {
    const p = JSON.parse(readFileSync(`${dbPath}${PENDING_RESTORE}.json`, 'utf8')) as { backup: string; user: string; at: number };
    return { backup: p.backup, user: p.user, at: p.at };
  } catch {
    return { backup: '（未知）', user: '', at: 0 };
  }
}

/**
 * At start-up, before the store opens: puts a staged backup in place of the database. A staged
 * file that fails its check again is set aside (`.restore-failed`) and the daemon starts on the
 * database it had; either way the outcome is kept for the console. Returns it, or null.
 */
export function applyPendingRestore(dbPath: string, now: Date = new Date()): RestoreOutcome | null {
  const staged = `${dbPath}${PENDING_RESTORE}`;
  if (!existsSync(staged)) return null;
  const p = readPending(dbPath)!;
  let outcome: RestoreOutcome;
  try {
    const r = restoreDatabase(staged, dbPath, { knownVersion: MIGRATIONS.length, now });
    rmSync(staged, { force: true });
    outcome = { at: now.getTime(), backup: p.backup, user: p.user, ok: true, previous: r.previous ? basename(r.previous) : null, reason: null };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    renameSync(staged, `${dbPath}.restore-failed`);
    outcome = {
      at: now.getTime(),
      backup: p.backup,
      user: p.user,
      ok: false,
      previous: null,
      reason: err instanceof DatabaseTooNewError ? err.message : err.message.slice(0, 500), // BackupError or an I/O error
    };
  }
  rmSync(`${staged}.json`, { force: true });
  atomicWriteText(`${dbPath}${RESTORED}`, `${JSON.stringify(outcome)}\n`);
  return outcome;
}

/** The audit row of a restore, written into the restored database once the store is open. */
export function recordAppliedRestore(db: Db, clock: Clock, outcome: RestoreOutcome): void {
  new ConsoleAudit(db, clock).record({
    user: outcome.user,
    role: 'hall-admin',
    action: outcome.ok ? 'restore-applied' : 'restore-failed',
    target: `restore ${outcome.backup}`,
    status: outcome.ok ? 200 : 500,
    details: { backup: outcome.backup, previous: outcome.previous, reason: outcome.reason },
  });
}
