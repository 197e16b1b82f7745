import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TICKET_STATUSES, COUNTER_STATES } from '../kiosk/queue/types.ts';

/**
 * Response schemas. Fastify serialises every reply through them (fast-json-stringify), which
 * drops any property not listed: a personal field added to a domain object by mistake cannot
 * reach the wire.
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const enumOf = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

export const ErrorReply = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
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
        current: Nullable(
          Type.Object({ ticketId: Type.Integer(), displayNo: Type.String(), serviceCode: Type.String(), status: enumOf(TICKET_STATUSES) }),
        ),
      }),
    ),
    recentCalls: Type.Array(
      Type.Object({ displayNo: Type.String(), counterNo: Type.Integer(), counterName: Type.String(), at: Type.Integer() }),
    ),
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
    warnings: Type.Optional(Type.Array(Type.Object({ code: Type.String(), year: Type.Integer(), message: Type.String() }), { description: '工作日历等提醒，例如“工作日历尚未包含 2027 年”' })),
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

export const PriorityReasonSchema = enumOf(['elderly', 'disabled', 'pregnant', 'talent']);
export const ClockSchema = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
export const DaySchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** Error replies every route may give, for the OpenAPI document. */
export function errors(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorReply')]));
}

/** Wire types of the shared schemas; the UI imports them with `import type` (erased from its bundle). */
export type TicketReply = Static<typeof Ticket>;
export type QueueStatusReply = Static<typeof QueueStatus>;
export type PriorityReasonWire = Static<typeof PriorityReasonSchema>;

export const SHARED_SCHEMAS = [ErrorReply, Ticket, QueueStatus, Appointment];
