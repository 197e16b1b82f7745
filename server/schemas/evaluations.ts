import { Type } from '@sinclair/typebox';
import { CASE_STATUSES, CHANNELS, LEVELS, SCREEN_KINDS } from '../../kiosk/evaluations/types.ts';
import { DaySchema, DisplayNoSchema, enumOf, IdSchema, MultilineText, Nullable, Text } from '../schemas.ts';

/**
 * Request and response schemas of the 好差评 API (server/routes/evaluations.ts; moved out of kiosk/, which knows nothing of HTTP). Replies
 * are serialised through them, so a field not listed here (identity hash, phone) cannot reach the
 * wire.
 */

export const LevelSchema = enumOf(LEVELS);
export const ScreenKindSchema = enumOf(SCREEN_KINDS.filter((k) => k !== 'submitted'));
export const CaseStatusSchema = enumOf(CASE_STATUSES);

export const EvaluationSchema = Type.Object({
  id: Type.Integer(),
  uid: Type.String(),
  subject: Type.String(),
  ticketId: Nullable(Type.Integer()),
  displayNo: Nullable(Type.String()),
  seq: Type.Integer({ description: '1 首次评价, 2 追加评价' }),
  parentId: Nullable(Type.Integer()),
  day: Type.String(),
  channel: enumOf(CHANNELS),
  level: LevelSchema,
  bad: Type.Boolean({ description: '差评 (不满意 or 非常不满意)' }),
  reasons: Type.Array(Type.String()),
  reasonSetVersion: Type.String(),
  text: Nullable(Type.String()),
  itemCode: Nullable(Type.String()),
  itemName: Nullable(Type.String()),
  counterNo: Nullable(Type.Integer()),
  staffId: Nullable(Type.String()),
  staffName: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  realName: Type.Boolean(),
  evaluatedAt: Type.Integer(),
});

export const CaseSchema = Type.Object({
  id: Type.Integer(),
  evaluationId: Type.Integer(),
  status: CaseStatusSchema,
  statusName: Type.String(),
  realName: Type.Boolean(),
  openedAt: Type.Integer(),
  openedDay: Type.String(),
  contactDue: Nullable(Type.String({ description: '回访 deadline (last allowed day)' })),
  rectifyDue: Nullable(Type.String({ description: '整改反馈 deadline (last allowed day)' })),
  deadlineProblem: Nullable(Type.String()),
  contactedAt: Nullable(Type.Integer()),
  verifiedAt: Nullable(Type.Integer()),
  substantiated: Nullable(Type.Boolean()),
  rectifiedAt: Nullable(Type.Integer()),
  feedbackAt: Nullable(Type.Integer()),
  closedAt: Nullable(Type.Integer()),
  overdue: Type.Array(enumOf(['contact', 'rectify'] as const)),
});

export const SubmitReply = Type.Object({ evaluation: EvaluationSchema, case: Nullable(CaseSchema), existing: Type.Boolean() });

const submitFields = {
  level: LevelSchema,
  reasons: Type.Optional(Type.Array(Text(32), { maxItems: 20 })),
  text: Type.Optional(Nullable(MultilineText(500))),
  phone: Type.Optional(Nullable(Text(20, { description: '回访 mobile number; stored encrypted' }))),
  requestId: Type.Optional(Nullable(Text(64, { minLength: 8 }))),
};

/** A ticket's signed QR code as scanned (HK1.T…, or its URL form): printable ASCII. */
export const TicketCodeSchema = Type.String({ pattern: '^[\\x21-\\x7e]{8,300}$', maxLength: 300, description: "the ticket's signed QR code as scanned" });

export const EvaluatorSubmitBody = Type.Object({ ticketId: IdSchema, ...submitFields }, { additionalProperties: false });

export const KioskSubmitBody = Type.Object(
  {
    // The proof (kiosk/evaluations/kiosk-proof.ts): the scanned code, or the ID card on the reader
    // with the ticket's id or number. The identity is the daemon's (the card), never the page's.
    code: Type.Optional(TicketCodeSchema),
    ticketId: Type.Optional(IdSchema),
    displayNo: Type.Optional(DisplayNoSchema),
    day: Type.Optional(DaySchema),
    anonymous: Type.Optional(Type.Boolean()),
    ...submitFields,
  },
  { additionalProperties: false },
);

export const SelfServiceBody = Type.Object(
  {
    itemCode: Type.Optional(Nullable(Text(64))),
    itemName: Type.Optional(Nullable(Text(100))),
    identityHash: Type.Optional(Nullable(Text(128, { minLength: 16 }))),
    anonymous: Type.Optional(Type.Boolean()),
    ...submitFields,
  },
  { additionalProperties: false },
);

export const FormReply = Type.Object({
  levels: Type.Array(Type.String()),
  reasons: Type.Object({
    version: Type.String(),
    items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), requiresText: Type.Optional(Type.Boolean()) })),
  }),
  windowDays: Type.Integer(),
  timeoutSeconds: Type.Integer(),
});

export const StaffSchema = Nullable(Type.Object({ staffId: Type.String(), staffName: Type.String(), signedInAt: Type.Integer() }));

const levelCounts = Type.Object(Object.fromEntries(LEVELS.map((l) => [l, Type.Integer()])));
const rate = Nullable(Type.Number());

export const StatsReply = Type.Object({
  period: Type.String(),
  kind: Type.String(),
  from: Type.String(),
  to: Type.String(),
  by: Type.String(),
  rows: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      completed: Type.Integer(),
      evaluations: Type.Integer(),
      appended: Type.Integer(),
      misjudged: Type.Integer(),
      levels: levelCounts,
      satisfiedRate: rate,
      bad: Type.Integer(),
      badCases: Type.Integer(),
      realNameBadCases: Type.Integer(),
      contactRate: rate,
      rectifyRate: rate,
      activeRate: rate,
      score: Type.Number(),
    }),
  ),
});

/** The public display (公示): per counter, no staff names, no texts, no scores. */
export const PublicReply = Type.Object({
  hall: Type.String(),
  period: Type.String(),
  rows: Type.Array(
    Type.Object({
      label: Type.String(),
      evaluations: Type.Integer(),
      levels: levelCounts,
      satisfiedRate: rate,
      activeRate: rate,
      badCases: Type.Integer(),
      contactRate: rate,
      rectifyRate: rate,
    }),
  ),
});

export const CaseActionBody = Type.Object(
  {
    actor: Text(32, { minLength: 1, description: 'staff id (工号) of who acts' }),
    note: Type.Optional(MultilineText(1000)),
    method: Type.Optional(enumOf(['phone', 'sms', 'onsite', 'other'] as const)),
    reached: Type.Optional(Type.Boolean()),
    substantiated: Type.Optional(Type.Boolean()),
    upheld: Type.Optional(Type.Boolean()),
    satisfaction: Type.Optional(Text(20)),
  },
  { additionalProperties: false },
);
