import { existsSync, statSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { businessDay, localParts } from '../clock.ts';
import type { Kiosk } from '../compose.ts';
import { packageVersion } from '../cli/version.ts';
import { MIGRATIONS } from '../store/migrations.ts';

/**
 * 运行状态 for the technician console (issue 14 item 5): what a technician checks first on a
 * kiosk that misbehaves — version, uptime, the daemon's clock and time zone (to compare with the
 * hall's clock on the wall), disk and database size, tickets whose print failed and the queue
 * the kiosk uses. No personal data: counts and sizes only.
 */
export interface OperationsSnapshot {
  readonly version: string;
  readonly databaseSchema: number;
  readonly node: string;
  readonly uptimeSeconds: number;
  readonly clock: { readonly timeZone: string; readonly local: string; readonly businessDay: string; readonly epochMs: number };
  readonly storage: {
    readonly databaseBytes: number;
    readonly walBytes: number;
    readonly diskFreeBytes: number | null;
    readonly diskTotalBytes: number | null;
  };
  readonly unprintedTickets: number;
  readonly queue: string;
}

const fileSize = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

/** Read once: package.json does not change under a running daemon, and the console polls this. */
let version: string | undefined;

export function operationsSnapshot(kiosk: Kiosk): OperationsSnapshot {
  const now = kiosk.clock();
  const tz = kiosk.config.hall.timeZone;
  const p = localParts(now, tz);
  const dbFile = kiosk.db.name;
  let disk: { free: number; total: number } | null = null;
  try {
    const s = statfsSync(dirname(dbFile));
    disk = { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  } catch {
    disk = null; // an in-memory database or a file system that does not say
  }
  return {
    version: (version ??= packageVersion()),
    databaseSchema: MIGRATIONS.length,
    node: process.version,
    uptimeSeconds: Math.round(process.uptime()),
    clock: {
      timeZone: tz,
      local: `${p.date} ${p.time}:${p.seconds}`,
      businessDay: businessDay(now, tz, kiosk.config.hall.dailyResetTime),
      epochMs: now,
    },
    storage: { databaseBytes: fileSize(dbFile), walBytes: fileSize(`${dbFile}-wal`), diskFreeBytes: disk?.free ?? null, diskTotalBytes: disk?.total ?? null },
    unprintedTickets: kiosk.printing.unprintedTickets().length,
    queue: kiosk.queue.kind,
  };
}
