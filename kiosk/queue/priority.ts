import type { KioskConfig } from '../../config/schema.ts';
import { ageOn } from '../../drivers/idcard/id-number.ts';
import { businessDay } from '../clock.ts';
import { KioskError } from '../errors.ts';
import type { PriorityReason } from './types.ts';

/**
 * 绿色通道: the whole priority rule of the hall, in one place. Every channel that creates or
 * orders tickets (the kiosk's 取号, other terminals over /terminal, appointment check-in, the
 * counter's call-next) and the hint the citizen UI shows go through this module.
 *
 * 1. Eligibility. A service honours the reasons listed in its `priorityReasons`.
 *    - `elderly` is proved by the ID card only: the birth date read from the card, age in completed
 *      years (周岁) on the hall's BUSINESS day (the local date at `hall.dailyResetTime` in
 *      `hall.timeZone`, see clock.ts), at least `queue.priority.elderlyAge`. Before the reset time
 *      (e.g. 02:30 on the 65th birthday with a 03:00 reset) the business day is still the day
 *      before, so the citizen is still 64. A declared `elderly` is ignored on every channel.
 *    - `disabled`, `pregnant`, `talent` cannot be read from a card: the citizen declares them (a
 *      tap at the kiosk, or the terminal that took the declaration). A declared reason gives
 *      priority at once, and the ticket is marked `priorityBasis: 'declared'` (自行声明，待窗口核验)
 *      so the clerk checks the proof at the counter.
 *    A declared reason the service honours is kept as the reason; otherwise the card's age; else none.
 * 2. The boost. A 绿色通道 ticket sorts as if issued `queue.priority.boostMinutes` earlier.
 *    An appointment is priority too (for the streak) but sorts at its booked window's start and
 *    gets no 绿色通道 reason.
 * 3. The streak cap. After `queue.priority.maxConsecutive` priority calls in a row at a counter, a
 *    waiting normal ticket is called next (ordering.ts applies it; this module counts the streak).
 */
export type PriorityBasis = 'card' | 'declared' | 'appointment';

export const PRIORITY_BASIS_LABELS: Readonly<Record<PriorityBasis, string>> = {
  card: '凭身份证',
  declared: '自行声明，待窗口核验',
  appointment: '预约',
};

/** The reasons the ID card proves; they can never be declared. */
const CARD_REASONS: ReadonlySet<PriorityReason> = new Set(['elderly']);

export interface PriorityClaim {
  /** What the citizen declared (tap at the kiosk, or forwarded by a terminal). */
  readonly declared?: PriorityReason | null | undefined;
  /** Birth date from the ID card read for this task (YYYY-MM-DD). */
  readonly birthDate?: string | null | undefined;
}

export interface PriorityDecision {
  readonly reason: PriorityReason | null;
  readonly basis: PriorityBasis | null;
}

/** What the rule needs of a service: the reasons it honours. */
type Honouring = { readonly priorityReasons: readonly PriorityReason[] };

const MINUTE_MS = 60_000;
const NONE: PriorityDecision = { reason: null, basis: null };

export class PriorityRule {
  readonly #config: KioskConfig;

  constructor(config: KioskConfig) {
    this.#config = config;
  }

  get maxConsecutive(): number {
    return this.#config.queue.priority.maxConsecutive;
  }

  /** The business day an instant belongs to (the day every age is computed on). */
  businessDayAt(epochMs: number): string {
    return businessDay(epochMs, this.#config.hall.timeZone, this.#config.hall.dailyResetTime);
  }

  /** Age in completed years on a business day; an impossible birth date is the caller's error. */
  ageOn(birthDate: string, day: string): number {
    try {
      return ageOn(birthDate, day);
    } catch {
      throw new KioskError('REQUEST_INVALID', { field: 'identity.birthDate' }, '出生日期无效');
    }
  }

  isElderly(birthDate: string, day: string): boolean {
    return this.ageOn(birthDate, day) >= this.#config.queue.priority.elderlyAge;
  }

  /** Reasons a citizen may declare without a card for this service (what the UI offers). */
  declarable(service: Honouring): PriorityReason[] {
    return service.priorityReasons.filter((r) => !CARD_REASONS.has(r));
  }

  /** Whether a citizen with this card (or none) is 绿色通道 for the service without declaring anything. */
  eligibleByCard(service: Honouring, birthDate: string | null | undefined, day: string): boolean {
    return !!birthDate && service.priorityReasons.includes('elderly') && this.isElderly(birthDate, day);
  }

  /** The reason (and how it is known) a walk-in ticket of `service` gets on business day `day`. */
  decide(service: Honouring, claim: PriorityClaim, day: string): PriorityDecision {
    const declared = claim.declared;
    if (declared && !CARD_REASONS.has(declared) && service.priorityReasons.includes(declared)) {
      return { reason: declared, basis: 'declared' };
    }
    if (this.eligibleByCard(service, claim.birthDate, day)) return { reason: 'elderly', basis: 'card' };
    return NONE;
  }

  /** Sort time of a walk-in ticket issued at `now`: 绿色通道 counts as issued `boostMinutes` earlier. */
  sortAt(now: number, reason: PriorityReason | null): number {
    return reason ? now - this.#config.queue.priority.boostMinutes * MINUTE_MS : now;
  }

  /** A counter's streak of priority calls after calling a ticket. */
  nextStreak(streak: number, calledPriority: boolean): number {
    return calledPriority ? streak + 1 : 0;
  }
}

/** Whether a stored ticket counts as priority (绿色通道 or appointment) for ordering and the streak. */
export function isPriorityRow(row: { readonly priority_reason: PriorityReason | null; readonly appointment_id: number | null }): boolean {
  return row.priority_reason !== null || row.appointment_id !== null;
}

/** How a stored ticket's priority is known. Only `elderly` is read from a card; the rest are declared. */
export function priorityBasisOf(row: { readonly priority_reason: PriorityReason | null; readonly appointment_id: number | null }): PriorityBasis | null {
  if (row.priority_reason !== null) return CARD_REASONS.has(row.priority_reason) ? 'card' : 'declared';
  return row.appointment_id !== null ? 'appointment' : null;
}
