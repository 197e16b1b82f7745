import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Reply shapes of the technician console's routes (server/routes/console.ts), shared with
 * ui/console/api.ts, which derives its types from them with `Static` (an `import type`, erased by
 * the build) instead of declaring them again by hand.
 */
export const ConsoleSessionSchema = Type.Object({
  user: Type.String(),
  role: Type.Union([Type.Literal('technician'), Type.Literal('hall-admin')]),
  expiresInSeconds: Type.Integer(),
});
export type ConsoleSessionReply = Static<typeof ConsoleSessionSchema>;

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.Integer(),
  user: Type.String(),
  role: Type.String(),
  action: Type.String(),
  target: Type.String(),
  status: Type.Integer(),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntryReply = Static<typeof AuditEntrySchema>;

const Bytes = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);
/** GET /console/operations (kiosk/console/operations.ts builds it). */
export const OperationsSchema = Type.Object({
  version: Type.String(),
  databaseSchema: Type.Integer(),
  node: Type.String(),
  uptimeSeconds: Type.Integer(),
  clock: Type.Object({ timeZone: Type.String(), local: Type.String(), businessDay: Type.String(), epochMs: Type.Integer() }),
  storage: Type.Object({ databaseBytes: Type.Integer(), walBytes: Type.Integer(), diskFreeBytes: Bytes, diskTotalBytes: Bytes }),
  unprintedTickets: Type.Integer(),
  queue: Type.String(),
});
export type OperationsReply = Static<typeof OperationsSchema>;

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** One backup file (kiosk/console/backups.ts). */
export const BackupEntrySchema = Type.Object({ name: Type.String(), takenAt: Type.Integer(), bytes: Type.Integer() });
export const RestoreOutcomeSchema = Type.Object({
  at: Type.Integer(),
  backup: Type.String(),
  user: Type.String(),
  ok: Type.Boolean(),
  previous: Nullable(Type.String()),
  reason: Nullable(Type.String()),
});
/** GET /console/backups. */
export const BackupsSchema = Type.Object({
  backups: Type.Array(BackupEntrySchema),
  /** false: an in-memory database (tests), nothing to back up. */
  available: Type.Boolean(),
  /** Whether this daemon restarts by itself after a restore is staged (under systemd: yes). */
  restarts: Type.Boolean(),
  pendingRestore: Nullable(Type.Object({ backup: Type.String(), user: Type.String(), at: Type.Integer() })),
  lastRestore: Nullable(RestoreOutcomeSchema),
});
export type BackupsReply = Static<typeof BackupsSchema>;
/** POST /console/backups/restore/check: what the confirmation step shows. */
export const RestoreCheckSchema = Type.Object({
  name: Type.String(),
  takenAt: Type.Integer(),
  bytes: Type.Integer(),
  digest: Type.String(),
  userVersion: Type.Integer(),
  knownVersion: Type.Integer(),
});
export type RestoreCheckReply = Static<typeof RestoreCheckSchema>;

/** GET /console/logs (kiosk/console/log-ring.ts). */
export const LogRecordSchema = Type.Object({
  seq: Type.Integer(),
  time: Type.Integer(),
  level: Type.String(),
  device: Nullable(Type.String()),
  part: Nullable(Type.String()),
  msg: Type.String(),
  details: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
});
export const LogsSchema = Type.Object({
  records: Type.Array(LogRecordSchema),
  devices: Type.Array(Type.String()),
  capacity: Type.Integer(),
  /** false when this daemon keeps no log ring (in-process tests without one). */
  available: Type.Boolean(),
});
export type LogsReply = Static<typeof LogsSchema>;
export type LogRecordReply = Static<typeof LogRecordSchema>;

/** GET /console/paper (kiosk/console/paper.ts). */
export const PaperSchema = Type.Object({
  jobs: Type.Integer(),
  lines: Type.Integer(),
  usedMetres: Type.Number(),
  totalJobs: Type.Integer(),
  totalMetres: Type.Number(),
  rollChangedAt: Nullable(Type.Integer()),
  rollChangedBy: Nullable(Type.String()),
  rollLengthMetres: Nullable(Type.Number()),
  remainingMetres: Nullable(Type.Number()),
  remainingPercent: Nullable(Type.Integer()),
  persisted: Type.Boolean(),
});
export type PaperReply = Static<typeof PaperSchema>;
