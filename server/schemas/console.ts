import { Type, type Static } from '@sinclair/typebox';

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
