import { Type, type Static, type TSchema, type TUnsafe, type StringOptions } from '@sinclair/typebox';
import { ERRORS } from '../kiosk/errors.ts';
import { TICKET_STATUSES, COUNTER_STATES } from '../kiosk/queue/types.ts';

/**
 * Response schemas. Fastify serialises every reply through them (fast-json-stringify), which
 * drops any property not listed: a personal field added to a domain object by mistake cannot
 * reach the wire.
 */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A string enum; typed as the union of its values (the `enum` tuple lets the type provider infer it). */
export const enumOf = <const V extends readonly string[]>(values: V, options: { description?: string } = {}) =>
  Type.Unsafe<V[number]>({ ...options, type: 'string', enum: [...values] }) as TUnsafe<V[number]> & { type: 'string'; enum: readonly [V[number]] };

// ------------------------------------------------------------ bounded request values
// Every integer of a request has both bounds and every string a length limit; strings without a
// pattern of their own refuse control characters (server/plugins/schema-policy.ts enforces this
// for every route at start-up).

/** Largest id or count a request may carry: SQLite INTEGER and JS safe integers both hold it. */
export const MAX_ID = 2_147_483_647;
export const IdSchema = Type.Integer({ minimum: 1, maximum: MAX_ID });
export const Int = (minimum: number, maximum: number, options: { description?: string } = {}) => Type.Integer({ ...options, minimum, maximum });
/** One line of text: no control characters. */
export const NO_CONTROL = '^[^\\u0000-\\u001F\\u007F-\\u009F]*$';
export const Text = (maxLength: number, options: Omit<StringOptions, 'maxLength' | 'pattern'> = {}) =>
  Type.String({ ...options, maxLength, pattern: NO_CONTROL });
/** Free text from a text area: line breaks and tabs allowed, other control characters not. */
export const MULTILINE = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$';
export const MultilineText = (maxLength: number, options: Omit<StringOptions, 'maxLength' | 'pattern'> = {}) =>
  Type.String({ ...options, maxLength, pattern: MULTILINE });
/** A bearer token in `?token=` (EventSource). */
export const TokenSchema = Type.String({
  minLength: 1,
  maxLength: 256,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'hall-server token, for EventSource which cannot send headers',
});
export const DisplayNoSchema = Type.String({ pattern: '^[A-Za-z]{1,2}[0-9]{1,6}$', maxLength: 8 });
export const LastEventIdSchema = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const ErrorReply = Type.Object(
  {
    error: Type.Object({
      code: enumOf(Object.keys(ERRORS) as (keyof typeof ERRORS)[], { description: 'stable code from the catalogue (kiosk/errors.ts)' }),
      message: Type.String({ description: 'Chinese message fit for a screen' }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorReply' },
);

export const Ticket = Type.Object(
  {
    id: Type.Integer(),
    day: Type.String({ description: 'business day, local date YYYY-MM-DD' }),
    displayNo: Type.String({ examples: ['A012'] }),
    serviceCode: Type.String(),
    serviceName: Type.String(),
    status: enumOf(TICKET_STATUSES),
    priority: Type.Boolean({ description: '绿色通道 or appointment' }),
    priorityBasis: Nullable(enumOf(['card', 'declared', 'appointment'])), // 'declared' = 自行声明，待窗口核验 (kiosk/queue/priority.ts)
    appointment: Type.Boolean(),
    issuedAt: Type.Integer({ description: 'epoch ms' }),
    calledAt: Nullable(Type.Integer()),
    counterNo: Nullable(Type.Integer()),
    counterName: Nullable(Type.String()),
    assignedCounter: Nullable(Type.Integer()),
    recallCount: Type.Integer(),
    requeueCount: Type.Integer(),
    peopleAhead: Type.Integer(),
    estimatedWaitMinutes: Type.Integer(),
    printState: enumOf(['none', 'pending', 'printed', 'failed']),
  },
  { $id: 'Ticket' },
);

export const IssueReply = Type.Object({ ticket: Type.Ref('Ticket'), existing: Type.Boolean() });

export const QueueStatus = Type.Object(
  {
    hall: Type.Object({ name: Type.String(), code: Type.String(), timeZone: Type.String() }),
    day: Type.String(),
    version: Type.Integer({ description: 'id of the newest event; changes whenever anything changes' }),
    generatedAt: Type.Integer(),
    services: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        prefix: Type.String(),
        group: Nullable(Type.String()),
        waiting: Type.Integer(),
        lastCalled: Nullable(Type.String()),
        openCounters: Type.Integer(),
        medianServiceMinutes: Type.Number(),
        estimatedWaitMinutes: Type.Integer(),
      }),
    ),
    counters: Type.Array(
      Type.Object({
        number: Type.Integer(),
        name: Type.String(),
        state: enumOf(COUNTER_STATES),
        services: Type.Array(Type.String()),
        current: Nullable(Type.Object({ ticketId: Type.Integer(), displayNo: Type.String(), serviceCode: Type.String(), status: enumOf(TICKET_STATUSES) })),
      }),
    ),
    recentCalls: Type.Array(Type.Object({ displayNo: Type.String(), counterNo: Type.Integer(), counterName: Type.String(), at: Type.Integer() })),
    totals: Type.Object({
      issued: Type.Integer(),
      waiting: Type.Integer(),
      inService: Type.Integer(),
      done: Type.Integer(),
      noShow: Type.Integer(),
      cancelled: Type.Integer(),
      averageWaitMinutes: Nullable(Type.Number()),
      averageServiceMinutes: Nullable(Type.Number()),
    }),
    warnings: Type.Optional(
      Type.Array(Type.Object({ code: Type.String(), year: Type.Integer(), message: Type.String() }), {
        description: '工作日历等提醒，例如“工作日历尚未包含 2027 年”',
      }),
    ),
  },
  { $id: 'QueueStatus' },
);

export const Appointment = Type.Object(
  {
    id: Type.Integer(),
    day: Type.String(),
    serviceCode: Type.String(),
    windowStart: Type.String(),
    windowEnd: Type.String(),
    status: enumOf(['booked', 'checked-in', 'missed', 'cancelled']),
    ticketId: Nullable(Type.Integer()),
  },
  { $id: 'Appointment' },
);

export const PriorityReasonSchema = enumOf(['elderly', 'disabled', 'pregnant', 'talent'] as const);
export const ClockSchema = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', maxLength: 5 });
/** A calendar day; years 1900–2199 only. */
export const DaySchema = Type.String({ pattern: '^(19|20|21)\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', maxLength: 10 });

/**
 * Response schemas whose replies are built from domain views with readonly arrays: serialised
 * and documented as given, but not used to type the handler's return value.
 */
export function replies(map: Record<number, TSchema | unknown>): Record<number, unknown> {
  return map;
}

/** Error replies every route may give, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorReply')]));
}

/** Wire types of the shared schemas; the UI imports them with `import type` (erased from its bundle). */
export type TicketReply = Static<typeof Ticket>;
export type QueueStatusReply = Static<typeof QueueStatus>;
export type PriorityReasonWire = Static<typeof PriorityReasonSchema>;

export const SHARED_SCHEMAS = [ErrorReply, Ticket, QueueStatus, Appointment];
