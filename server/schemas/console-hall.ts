import { Type, type Static } from '@sinclair/typebox';

/** Reply shapes of the console's 大厅与排队 routes (server/routes/console-hall.ts), shared with ui/console/hall-page.ts. */
const Problem = Type.Object({ field: Type.String(), label: Type.String(), message: Type.String() });

export const CredentialSchema = Type.Object({
  kind: Type.Union([Type.Literal('counter'), Type.Literal('hall-server'), Type.Literal('terminal')]),
  fingerprint: Type.String(),
  counterNo: Type.Union([Type.Integer(), Type.Null()]),
  label: Type.String(),
  development: Type.Boolean(),
});

export const PairingSchema = Type.Object({
  id: Type.Integer(),
  device: Type.String(),
  counterNo: Type.Union([Type.Integer(), Type.Null()]),
  credential: Type.String(),
  issuedBy: Type.String(),
  issuedAt: Type.Integer(),
  expiresAt: Type.Integer(),
});

const OpeningPeriod = Type.Object({ weekdays: Type.Array(Type.Integer()), open: Type.String(), close: Type.String() });
export const HallSettingsSchema = Type.Object({
  name: Type.String(),
  code: Type.String(),
  level: Type.String(),
  regionCode: Type.String(),
  address: Type.String(),
  phones: Type.Object({ consult: Type.String(), complaint: Type.String() }),
  openingHours: Type.Array(OpeningPeriod),
  timeZone: Type.String(),
  dailyResetTime: Type.String(),
  upperHall: Type.Optional(Type.Object({ name: Type.String(), level: Type.String(), address: Type.String(), phone: Type.String() })),
});

export const ServiceSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  numberRange: Type.Object({ from: Type.Integer(), to: Type.Integer() }),
  averageServiceMinutes: Type.Number(),
  priorityReasons: Type.Array(Type.String()),
  dailyCap: Type.Union([Type.Integer(), Type.Null()]),
  group: Type.Optional(Type.String()),
});

export const HallViewSchema = Type.Object({
  hall: HallSettingsSchema,
  services: Type.Array(ServiceSchema),
  counters: Type.Array(Type.Object({ number: Type.Integer(), name: Type.String(), services: Type.Array(Type.String()) })),
  credentials: Type.Array(CredentialSchema),
  pairings: Type.Array(PairingSchema),
  /** Changes can be written (the daemon runs with a site file). */
  canApply: Type.Boolean(),
});
export type HallViewReply = Static<typeof HallViewSchema>;

export const ApplyReplySchema = Type.Object({
  ok: Type.Boolean(),
  problems: Type.Array(Problem),
  version: Type.Optional(Type.Integer()),
  restarting: Type.Optional(Type.Boolean()),
  /** A credential made by this change: shown once, never again. */
  secret: Type.Optional(
    Type.Object({ kind: Type.String(), token: Type.String(), fingerprint: Type.String(), counterNo: Type.Union([Type.Integer(), Type.Null()]) }),
  ),
});
export type ApplyReply = Static<typeof ApplyReplySchema>;

export const PairingCodeSchema = Type.Object({ code: Type.String(), pairing: PairingSchema });
export type PairingCodeReply = Static<typeof PairingCodeSchema>;

export const QueueLinkViewSchema = Type.Object({
  /** null: this kiosk holds its own queue. Never the token. */
  remote: Type.Union([Type.Object({ url: Type.String(), caFile: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  canApply: Type.Boolean(),
});
export type QueueLinkViewReply = Static<typeof QueueLinkViewSchema>;

export const ClaimReplySchema = Type.Object({
  device: Type.String(),
  counterNo: Type.Union([Type.Integer(), Type.Null()]),
  kind: Type.String(),
  token: Type.String(),
});
export type ClaimReply = Static<typeof ClaimReplySchema>;
