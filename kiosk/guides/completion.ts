/** 承诺办结日期 for an accepted application, using the working-day calendar. */
import type { IsoDate } from '../calendar/dates.ts';
import type { WorkingDayCalendar } from '../calendar/working-day-calendar.ts';
import type { GuideItem } from './load-guides.ts';

export interface PromisedCompletion {
  readonly acceptedOn: IsoDate;
  /** 即办: completed on the day of acceptance. */
  readonly immediate: boolean;
  readonly workingDays: number;
  /** Date by which the item is promised to be completed. */
  readonly date: IsoDate;
  /** Latest date when the guide allows a longer limit in special cases. */
  readonly specialCaseLatest?: IsoDate;
}

/**
 * Counting follows the 限时办结 rule: working days, starting the day after the
 * acceptance decision (沂南 work rules §4.8). Throws CalendarCoverageError when the
 * date would fall in a year the calendar does not cover.
 */
export function promisedCompletionDate(item: GuideItem, acceptedOn: IsoDate, calendar: WorkingDayCalendar): PromisedCompletion {
  const limit = item.timeLimit;
  if (limit.unit === '即办') {
    return { acceptedOn, immediate: true, workingDays: 0, date: calendar.addWorkingDays(acceptedOn, 0) };
  }
  const date = calendar.addWorkingDays(acceptedOn, limit.value);
  const special =
    limit.specialCaseMax !== undefined && limit.specialCaseMax > limit.value ? calendar.addWorkingDays(acceptedOn, limit.specialCaseMax) : undefined;
  return {
    acceptedOn,
    immediate: false,
    workingDays: limit.value,
    date,
    ...(special ? { specialCaseLatest: special } : {}),
  };
}
