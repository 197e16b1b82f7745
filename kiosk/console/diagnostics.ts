import { arch, platform, release } from 'node:os';
import { developmentSecretsInUse } from '../../config/load.ts';
import type { Kiosk } from '../compose.ts';
import { ConsoleBackups } from './backups.ts';
import type { LogRing } from './log-ring.ts';
import { operationsSnapshot } from './operations.ts';
import { withoutSecrets } from './site-config.ts';
import { lastRollback } from './site-file.ts';

/**
 * 诊断包 (diagnostics bundle) for the vendor's support: one JSON document a technician downloads
 * from the console and sends on. What is in it is chosen field by field, never copied wholesale:
 *
 * - the running configuration without any secret (the same redaction as the console's
 *   configuration view, kiosk/console/site-config.ts `withoutSecrets`), the secrets' paths only,
 *   and which of them are still at a development value (names, no values);
 * - versions (program, database schema, Node.js and its engines, SQLite, the operating system);
 * - device modes and status, the paper counter, 运行状态 (kiosk/console/operations.ts);
 * - backups (names and sizes), the last restore and the last configuration rollback;
 * - the recent warnings and errors of the log ring (kiosk/console/log-ring.ts, already masked).
 *
 * No queue, ticket, evaluation or identity data: counts only (no personal data by construction;
 * test/server/console-ops.test.ts seeds secrets and a citizen's ID number and greps the bundle).
 */
export const DIAGNOSTICS_FORMAT = 'hall-kiosk-diagnostics/1';

export function diagnosticsBundle(kiosk: Kiosk, options: { ring: LogRing | null; siteFile: string | undefined }) {
  const { config } = kiosk;
  const view = withoutSecrets(config);
  const sqlite = (kiosk.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  const backups = new ConsoleBackups(kiosk.db, kiosk.clock);
  const devices = Object.fromEntries(
    Object.entries(kiosk.devices.statuses()).map(([kind, status]) => [kind, { mode: kiosk.devices.mode(kind as never), status }]),
  );
  return {
    format: DIAGNOSTICS_FORMAT,
    generatedAt: new Date(kiosk.clock()).toISOString(),
    hall: { code: config.hall.code, name: config.hall.name, level: config.hall.level },
    versions: {
      ...pick(operationsSnapshot(kiosk), ['version', 'databaseSchema', 'node']),
      engines: pick(process.versions as Record<string, string>, ['v8', 'uv', 'openssl', 'modules']),
      sqlite,
      os: { platform: platform(), arch: arch(), release: release() },
    },
    operations: operationsSnapshot(kiosk),
    devices,
    printerProfile: kiosk.devices.printerProfile.name,
    paper: kiosk.paper.view(),
    configuration: {
      config: view.config,
      secretsLeftOut: view.hidden,
      developmentSecretsInUse: developmentSecretsInUse(config),
      siteFile: options.siteFile ?? null,
      lastRollback: lastRollback(options.siteFile),
    },
    backups: { list: backups.list(), pendingRestore: backups.pending(), lastRestore: backups.lastRestore() },
    recentWarnings: options.ring ? options.ring.query({ level: 'warn', limit: 200 }) : null,
  };
}

export type DiagnosticsBundle = ReturnType<typeof diagnosticsBundle>;

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]])) as Pick<T, K>;
}
