/**
 * Whether the hall is open now, and when it opens next: what 取号 tells a citizen outside
 * opening hours (a number taken at 02:00 is not served "in about 6 minutes"). Opening hours are
 * `hall.openingHours` (ISO weekdays, HH:MM); the working-day calendar, where it covers the date,
 * decides whether a date is a working day at all (holidays closed, 调休 weekends open with the
 * Monday–Friday hours). Also which windows serve a ticket in the normal way.
 */
import type { KioskConfig } from '../../config/schema.ts';
import { addDays, type IsoDate } from '../calendar/dates.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import { clockToMinutes, localParts } from '../clock.ts';

export interface HallOpenState {
  /** Inside an opening period right now. */
  readonly open: boolean;
  /** The next opening (today later, or a later date); null when none within two weeks. */
  readonly nextOpen: { readonly date: string; readonly time: string; readonly today: boolean } | null;
  /** The period open now closes at (HH:MM), when open. */
  readonly closesAt: string | null;
  /**
   * A number taken now can still be called: the hall is open, or opens again before the daily
   * reset (a number taken at 02:00 belongs to the previous business day and lapses at 03:00).
   */
  readonly servedThisBusinessDay: boolean;
}

type Period = KioskConfig['hall']['openingHours'][number];

function weekdayOf(date: IsoDate): number {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The opening periods of a date, sorted by opening time. */
export function periodsOn(config: KioskConfig, date: IsoDate, calendar?: WorkingDayCalendar): Period[] {
  const weekday = weekdayOf(date);
  const all = config.hall.openingHours;
  let periods = all.filter((p) => p.weekdays.includes(weekday));
  if (calendar?.isCovered(date)) {
    if (!calendar.isWorkingDay(date)) return [];
    // A 调休 working weekend day opens with the hours of an ordinary Monday.
    if (!periods.length) periods = all.filter((p) => p.weekdays.includes(1));
  }
  return [...periods].sort((a, b) => clockToMinutes(a.open) - clockToMinutes(b.open));
}

export function hallOpenState(config: KioskConfig, now: number, calendar?: WorkingDayCalendar): HallOpenState {
  const local = localParts(now, config.hall.timeZone);
  const today = local.date as IsoDate;
  const current = periodsOn(config, today, calendar).find((p) => clockToMinutes(p.open) <= local.minutes && local.minutes < clockToMinutes(p.close));
  let nextOpen: HallOpenState['nextOpen'] = null;
  for (let i = 0; i <= 14 && !nextOpen; i++) {
    const date = i === 0 ? today : addDays(today, i);
    const p = periodsOn(config, date, calendar).find((x) => i > 0 || clockToMinutes(x.open) > local.minutes);
    if (p) nextOpen = { date, time: p.open, today: i === 0 };
  }
  const reset = config.hall.dailyResetTime;
  const nextReset = local.minutes < clockToMinutes(reset) ? `${today} ${reset}` : `${addDays(today, 1)} ${reset}`;
  const open = current !== undefined;
  const servedThisBusinessDay = open || (nextOpen !== null && `${nextOpen.date} ${nextOpen.time}` < nextReset);
  return { open, nextOpen, closesAt: current?.close ?? null, servedThisBusinessDay };
}

/** What the paper ticket needs to know to promise only what is true. */
export interface TicketPromises {
  readonly hall: HallOpenState;
  /** Windows open for the ticket's service now (null: unknown). */
  readonly openCounters: number | null;
}

/** The open state now, with the hall's calendar when it can be read. */
export function hallOpenNow(source: { readonly config: KioskConfig; readonly clock: () => number; readonly calendar: WorkingDayCalendar }): HallOpenState {
  let calendar: WorkingDayCalendar | undefined;
  try {
    calendar = source.calendar;
  } catch {
    calendar = undefined;
  }
  return hallOpenState(source.config, source.clock(), calendar);
}

/** Reads the open state and the service's open windows for a ticket (never throws). */
export async function ticketPromises(
  source: {
    readonly config: KioskConfig;
    readonly clock: () => number;
    readonly calendar: WorkingDayCalendar;
    readonly queue: { status(): Promise<{ services: readonly { code: string; openCounters: number }[] }> };
  },
  serviceCode: string,
): Promise<TicketPromises> {
  const hall = hallOpenNow(source);
  let openCounters: number | null = null;
  try {
    openCounters = (await source.queue.status()).services.find((s) => s.code === serviceCode)?.openCounters ?? null;
  } catch {
    openCounters = null;
  }
  return { hall, openCounters };
}

/**
 * The windows that serve `serviceCode` for this ticket: a window reserved for 绿色通道 (its name
 * says 绿色通道 or 优先) is listed only on a priority ticket, since a walk-in is not called there
 * in the normal way.
 */
export function countersFor<C extends { readonly name: string; readonly services: readonly string[] }>(
  counters: readonly C[],
  serviceCode: string,
  priority: boolean,
): C[] {
  const serving = counters.filter((c) => c.services.includes(serviceCode));
  if (priority) return serving;
  const normal = serving.filter((c) => !/绿色通道|优先/.test(c.name));
  return normal.length ? normal : serving;
}
