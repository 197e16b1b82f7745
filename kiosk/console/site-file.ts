import { existsSync, fsyncSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { overlay, secretEntries } from '../../config/load.ts';

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

export interface PathChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Changed leaf paths between two JSON values (objects by key; a changed array is one change). */
export function diffPaths(a: unknown, b: unknown, path = ''): PathChange[] {
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (obj(a) && obj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => diffPaths(a[k], b[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [{ path, before: a ?? null, after: b ?? null }];
}

export const HIDDEN_SECRET = '（密钥，已隐藏）';

/**
 * A copy of a site document with every secret the schema knows (config/load.ts secretEntries:
 * tokens, keys, password hashes, the PostgreSQL password or URL) replaced by HIDDEN_SECRET,
 * wherever it sits — `counters[2].token` inside the counters list too. `$env:NAME` references
 * stay: they name where a secret is, not the secret.
 */
export function maskSecrets<T>(site: T): T {
  const copy = structuredClone(site);
  for (const [name, value] of secretEntries(copy)) {
    if (value.startsWith('$env:')) continue;
    const parts = [...name.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] as string)));
    let node: unknown = copy;
    for (const part of parts.slice(0, -1)) node = (node as Record<string | number, unknown> | undefined)?.[part];
    if (node && typeof node === 'object') (node as Record<string | number, unknown>)[parts.at(-1) as string | number] = HIDDEN_SECRET;
  }
  return copy;
}

/**
 * What a configuration version records and the console shows: the changes between two site
 * documents, found on the real values (a rotated token is a change) and shown from masked copies
 * (no secret in a diff, the version history or a reply). The one rule for every writer of the
 * site file (console config apply and import, 设备设置, 大厅与排队).
 */
export function versionDiff(before: unknown, after: unknown): PathChange[] {
  const shown = [maskSecrets(before), maskSecrets(after)] as const;
  const at = (doc: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
  // A rotated secret is listed (its path changed) although both sides show HIDDEN_SECRET.
  return diffPaths(before, after).map((d) => ({ path: d.path, before: at(shown[0], d.path) ?? null, after: at(shown[1], d.path) ?? null }));
}
