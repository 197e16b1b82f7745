import { existsSync, fsyncSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { overlay } from '../../config/load.ts';

/**
 * The site file (`site.json`) changed from the console: written atomically (temporary file,
 * fsync, rename), the previous version kept next to it, and a "pending" marker until the daemon
 * has started with the new one. If the next start fails, `rollBackIfPending` puts the previous
 * version back and leaves the reason for the console to show.
 *
 *   site.json            the configuration
 *   site.json.previous   the version before the last change from the console
 *   site.json.pending    written with the change, removed once the daemon started with it
 *   site.json.rolled-back the reason of the last automatic rollback (shown once by the console)
 */
export const PREVIOUS = '.previous';
export const PENDING = '.pending';
export const ROLLED_BACK = '.rolled-back';

/** The process exit code that asks systemd (Restart=always) for a restart with the new file. */
export const RESTART_EXIT_CODE = 75;

export function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o640 });
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function readSite(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Lays `patch` over the site file (not the defaults): the file keeps its `$env:` references. */
export function writeSitePatch(path: string, patch: unknown, pending: { at: number; user: string }): { before: string; after: string } {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '{}\n';
  const after = `${JSON.stringify(overlay(readSite(path), patch), null, 2)}\n`;
  atomicWrite(`${path}${PREVIOUS}`, before);
  atomicWrite(`${path}${PENDING}`, `${JSON.stringify(pending)}\n`);
  atomicWrite(path, after);
  return { before, after };
}

/** Replaces the whole site file (a configuration import), with the same previous/pending safety. */
export function writeSiteFile(path: string, site: unknown, pending: { at: number; user: string }): { before: string; after: string } {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '{}\n';
  const after = `${JSON.stringify(site, null, 2)}\n`;
  atomicWrite(`${path}${PREVIOUS}`, before);
  atomicWrite(`${path}${PENDING}`, `${JSON.stringify(pending)}\n`);
  atomicWrite(path, after);
  return { before, after };
}

/**
 * At start-up, when loading or starting failed: if the site file came from the console and has
 * not started yet, restores the previous version and records why. Returns whether it rolled back.
 */
export function rollBackIfPending(path: string | undefined, reason: string): boolean {
  if (!path || !existsSync(`${path}${PENDING}`) || !existsSync(`${path}${PREVIOUS}`)) return false;
  const failed = readFileSync(path, 'utf8');
  atomicWrite(path, readFileSync(`${path}${PREVIOUS}`, 'utf8'));
  atomicWrite(`${path}${ROLLED_BACK}`, `${JSON.stringify({ at: Date.now(), reason: reason.slice(0, 2000), failed })}\n`);
  rmSync(`${path}${PENDING}`, { force: true });
  return true;
}

/** After a successful start: the pending change is confirmed. */
export function confirmPending(path: string | undefined): void {
  if (path) rmSync(`${path}${PENDING}`, { force: true });
}

/** The last automatic rollback (reason in Chinese/English from the boot), if any. */
export function lastRollback(path: string | undefined): { at: number; reason: string } | null {
  if (!path || !existsSync(`${path}${ROLLED_BACK}`)) return null;
  try {
    const r = JSON.parse(readFileSync(`${path}${ROLLED_BACK}`, 'utf8')) as { at: number; reason: string };
    return { at: r.at, reason: r.reason };
  } catch {
    return null;
  }
}

/** Changed leaf paths between two JSON values, secrets masked by the caller's predicate. */
export function diffPaths(a: unknown, b: unknown, isSecret: (path: string) => boolean, path = ''): { path: string; before: unknown; after: unknown }[] {
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (obj(a) && obj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diffPaths(a[k], b[k], isSecret, path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const mask = (v: unknown) => (v === undefined ? null : isSecret(path) ? '（密钥，已隐藏）' : v);
  return [{ path, before: mask(a), after: mask(b) }];
}
