import type { PriorityReasonName } from '../../config/schema.ts';

/**
 * Ticket life: waiting → called (→ recalled) → serving → done, with the side states
 * no-show (过号, may return to waiting), suspended (挂起, back to waiting at the same counter) and
 * cancelled. A transfer returns the ticket to waiting under another service or counter and keeps
 * its place (its original issue time); it is recorded as a `ticket.transferred` event.
 */
export const TICKET_STATUSES = ['waiting', 'called', 'recalled', 'serving', 'done', 'no-show', 'suspended', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const FINAL_STATUSES: ReadonlySet<TicketStatus> = new Set(['done', 'no-show', 'cancelled']);
export const ACTIVE_AT_COUNTER: ReadonlySet<TicketStatus> = new Set(['called', 'recalled', 'serving']);

export const COUNTER_STATES = ['closed', 'open', 'paused'] as const;
export type CounterState = (typeof COUNTER_STATES)[number];

export type TicketChannel = 'kiosk' | 'api' | 'appointment' | 'counter';
export type PrintState = 'none' | 'pending' | 'printed' | 'failed';
export type PriorityReason = PriorityReasonName;

/** What any authenticated reader may see of a ticket. No identity, ever. */
export interface TicketView {
  readonly id: number;
  readonly day: string;
  readonly displayNo: string;
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly status: TicketStatus;
  readonly priority: boolean;
  readonly priorityReason: PriorityReason | null;
  /** How the priority is known (queue/priority.ts): `declared` means 自行声明，待窗口核验. */
  readonly priorityBasis: 'card' | 'declared' | 'appointment' | null;
  readonly appointment: boolean;
  readonly issuedAt: number;
  readonly calledAt: number | null;
  readonly counterNo: number | null;
  readonly counterName: string | null;
  readonly assignedCounter: number | null;
  readonly recallCount: number;
  readonly requeueCount: number;
  readonly peopleAhead: number;
  readonly estimatedWaitMinutes: number;
  readonly printState: PrintState;
}

export interface IssueRequest {
  readonly serviceCode: string;
  /** Declared 绿色通道 reason; queue/priority.ts decides what it is worth (a declared `elderly` is ignored). */
  readonly priorityReason?: PriorityReason | null;
  /** HMAC of the ID number and the birth date read from it; never the number itself. */
  readonly identity?: { readonly hash: string; readonly birthDate?: string } | null;
  /** Client-chosen idempotency key: a retried request returns the same ticket. */
  readonly requestId?: string | null;
  readonly channel?: TicketChannel;
}

export interface IssueResult {
  readonly ticket: TicketView;
  /** True when an earlier ticket was returned (same identity and service, or same request id). */
  readonly existing: boolean;
  /** True when the same `requestId` was seen before: a retry, not a new request (nothing is printed again). */
  readonly replayed?: boolean;
}

export interface CounterView {
  readonly number: number;
  readonly name: string;
  readonly state: CounterState;
  readonly services: readonly string[];
  readonly current: { readonly ticketId: number; readonly displayNo: string; readonly serviceCode: string; readonly status: TicketStatus } | null;
}

export interface ServiceStatus {
  readonly code: string;
  readonly name: string;
  readonly prefix: string;
  readonly group: string | null;
  readonly waiting: number;
  readonly lastCalled: string | null;
  readonly openCounters: number;
  readonly medianServiceMinutes: number;
  readonly estimatedWaitMinutes: number;
}

export interface DayTotals {
  readonly issued: number;
  readonly waiting: number;
  readonly inService: number;
  readonly done: number;
  readonly noShow: number;
  readonly cancelled: number;
  readonly averageWaitMinutes: number | null;
  readonly averageServiceMinutes: number | null;
}

export interface QueueStatus {
  readonly hall: { readonly name: string; readonly code: string; readonly timeZone: string };
  readonly day: string;
  readonly version: number;
  readonly generatedAt: number;
  readonly services: readonly ServiceStatus[];
  readonly counters: readonly CounterView[];
  readonly recentCalls: readonly { readonly displayNo: string; readonly counterNo: number; readonly counterName: string; readonly at: number }[];
  readonly totals: DayTotals;
}

export interface HallEvent {
  readonly id: number;
  readonly at: number;
  readonly day: string;
  readonly type: string;
  readonly ticketId: number | null;
  readonly counterNo: number | null;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface Appointment {
  readonly id: number;
  readonly day: string;
  readonly serviceCode: string;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly status: 'booked' | 'checked-in' | 'missed' | 'cancelled';
  readonly ticketId: number | null;
}
