/**
 * Coverage warnings: the hall must load next year's holiday notice before the calendar runs out.
 * A warning `工作日历尚未包含 YYYY 年` is raised
 *
 * - from 1 November of the last covered year (the notice is usually published in November), that
 *   is when the covered range ends within 60 days;
 * - whenever a date the hall promises would fall past the covered range: the 承诺办结 date of the
 *   guide item with the longest time limit, or a 差评 follow-up deadline of a case opened today,
 *   or an open case whose deadline could not be computed.
 */
import { CalendarCoverageError, type WorkingDayCalendar } from './working-day-calendar.ts';
import { addDays, formatIsoDate, parseIsoDate, type IsoDate } from './dates.ts';
import type { Coverage } from './day-rows.ts';

/** From this many days before the end of the covered range (1 November → 31 December). */
export const WARN_DAYS_BEFORE_END = 60;

export type WarningReason = 'season' | 'promised-date' | 'case-deadline' | 'today';

export interface CoverageWarning {
  readonly code: 'CALENDAR_YEAR_MISSING';
  readonly year: number;
  /** 工作日历尚未包含 YYYY 年 */
  readonly message: string;
  readonly reasons: readonly { readonly kind: WarningReason; readonly detail: string }[];
}

export interface CoverageReport {
  readonly firstYear: number;
  readonly lastYear: number;
  /** Last covered date, `${lastYear}-12-31`. */
  readonly coveredUntil: IsoDate;
  readonly today: IsoDate;
  /** Days from today to coveredUntil (negative once it has passed). */
  readonly daysLeft: number;
  readonly warnings: readonly CoverageWarning[];
}

/** A time limit the hall promises, counted in working days from today. */
export interface PromiseHorizon {
  readonly kind: 'promised-date' | 'case-deadline';
  readonly workingDays: number;
  /** e.g. 承诺办结（20 个工作日） */
  readonly label: string;
}

export function missingYearMessage(year: number): string {
  return `工作日历尚未包含 ${year} 年`;
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = parseIsoDate(from)!;
  const b = parseIsoDate(to)!;
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

export function coverageReport(input: {
  readonly coverage: Coverage;
  readonly calendar: WorkingDayCalendar;
  readonly today: IsoDate;
  readonly horizons?: readonly PromiseHorizon[];
  /** Open 差评 cases whose deadlines could not be computed. */
  readonly casesWithoutDeadline?: number;
}): CoverageReport {
  const { coverage, calendar, today } = input;
  const coveredUntil = formatIsoDate({ year: coverage.lastYear, month: 12, day: 31 });
  const daysLeft = daysBetween(today, coveredUntil);
  const byYear = new Map<number, { kind: WarningReason; detail: string }[]>();
  const add = (year: number, kind: WarningReason, detail: string) => {
    const list = byYear.get(year) ?? [];
    list.push({ kind, detail });
    byYear.set(year, list);
  };
  const todayYear = Number(today.slice(0, 4));
  if (todayYear > coverage.lastYear) add(todayYear, 'today', `今天（${today}）已超出工作日历的覆盖范围`);
  else if (daysLeft <= WARN_DAYS_BEFORE_END) {
    add(coverage.lastYear + 1, 'season', `工作日历只覆盖到 ${coveredUntil}（还有 ${daysLeft} 天），请录入 ${coverage.lastYear + 1} 年的节假日安排`);
  }
  if (todayYear <= coverage.lastYear && todayYear >= coverage.firstYear) {
    for (const h of input.horizons ?? []) {
      try {
        calendar.addWorkingDays(today, h.workingDays);
      } catch (err) {
        if (!(err instanceof CalendarCoverageError)) throw err;
        add(err.requestedYear, h.kind, `今天受理的${h.label}将落在 ${err.requestedYear} 年，无法计算`);
      }
    }
  }
  if ((input.casesWithoutDeadline ?? 0) > 0) {
    add(Math.max(coverage.lastYear + 1, todayYear), 'case-deadline', `${input.casesWithoutDeadline} 件差评的回访或整改期限因工作日历未覆盖而无法计算`);
  }
  const warnings = [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, reasons]) => ({ code: 'CALENDAR_YEAR_MISSING' as const, year, message: missingYearMessage(year), reasons }));
  return { firstYear: coverage.firstYear, lastYear: coverage.lastYear, coveredUntil, today, daysLeft, warnings };
}

/** The first day of the warning period for a coverage (1 November of the last year). */
export function warningStarts(coverage: Coverage): IsoDate {
  return addDays(formatIsoDate({ year: coverage.lastYear, month: 12, day: 31 }), -WARN_DAYS_BEFORE_END);
}
