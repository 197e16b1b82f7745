import { addDays, isWeekend, parseIsoDate, requireIsoDate, yearOf } from './dates.ts';
import type { IsoDate } from './dates.ts';
import { DAY_KINDS, coverageOfRows, seedRowsFromChineseDays } from './day-rows.ts';
import type { Coverage, DayKind, DayRow } from './day-rows.ts';

/** Thrown when a computation needs a year the day table does not cover. */
export class CalendarCoverageError extends Error {
  readonly code = 'CALENDAR_NOT_COVERED';
  readonly requestedYear: number;
  readonly firstCoveredYear: number;
  readonly lastCoveredYear: number;
  readonly messageZh: string;
  readonly messageEn: string;

  constructor(requestedYear: number, coverage: Coverage) {
    const after = requestedYear > coverage.lastYear;
    const zh = after
      ? `工作日历只覆盖到 ${coverage.lastYear} 年，无法计算 ${requestedYear} 年的日期`
      : `工作日历从 ${coverage.firstYear} 年开始，无法计算 ${requestedYear} 年的日期`;
    const en = after
      ? `The working-day calendar only covers up to ${coverage.lastYear}; cannot compute dates in ${requestedYear}`
      : `The working-day calendar starts in ${coverage.firstYear}; cannot compute dates in ${requestedYear}`;
    super(`${zh} (${en})`);
    this.name = 'CalendarCoverageError';
    this.requestedYear = requestedYear;
    this.firstCoveredYear = coverage.firstYear;
    this.lastCoveredYear = coverage.lastYear;
    this.messageZh = zh;
    this.messageEn = en;
  }
}

/** Thrown by calendarFromRows for malformed rows. */
export class CalendarRowError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`工作日历数据有误 (invalid calendar rows):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CalendarRowError';
    this.problems = problems;
  }
}

export type DayType = 'workday' | 'weekend' | DayKind;

export interface DayInfo {
  readonly date: IsoDate;
  readonly type: DayType;
  readonly working: boolean;
  /** Chinese label for screens: 工作日, 周末, 春节, 调休上班（国庆节）… */
  readonly label: string;
  readonly row?: DayRow;
}

export class WorkingDayCalendar {
  readonly #rows: ReadonlyMap<IsoDate, DayRow>;
  readonly #coverage: Coverage;

  constructor(rows: Iterable<DayRow>, coverage: Coverage) {
    const map = new Map<IsoDate, DayRow>();
    for (const row of rows) map.set(row.date, row);
    this.#rows = map;
    this.#coverage = coverage;
  }

  get coverage(): Coverage {
    return this.#coverage;
  }

  /** Every year the table is complete for, ascending. */
  get coveredYears(): number[] {
    const years: number[] = [];
    for (let y = this.#coverage.firstYear; y <= this.#coverage.lastYear; y++) years.push(y);
    return years;
  }

  isCovered(date: IsoDate): boolean {
    const y = yearOf(date);
    return y >= this.#coverage.firstYear && y <= this.#coverage.lastYear;
  }

  #assertCovered(date: IsoDate): void {
    const y = yearOf(date);
    if (y < this.#coverage.firstYear || y > this.#coverage.lastYear) {
      throw new CalendarCoverageError(y, this.#coverage);
    }
  }

  dayInfo(date: IsoDate): DayInfo {
    requireIsoDate(date);
    this.#assertCovered(date);
    const row = this.#rows.get(date);
    if (row) {
      switch (row.kind) {
        case 'holiday':
          return { date, type: 'holiday', working: false, label: row.name, row };
        case 'adjusted-workday':
          return { date, type: 'adjusted-workday', working: true, label: `调休上班（${row.name}）`, row };
        case 'workday':
          return { date, type: 'workday', working: true, label: row.name || '工作日', row };
      }
    }
    return isWeekend(date) ? { date, type: 'weekend', working: false, label: '周末' } : { date, type: 'workday', working: true, label: '工作日' };
  }

  /** Throws CalendarCoverageError outside the covered years instead of guessing. */
  isWorkingDay(date: IsoDate): boolean {
    return this.dayInfo(date).working;
  }

  /**
   * The promised completion date for a time limit of `n` working days (限时办结,
   * 沂南 work rules §4.8 / 山东通则 58): counting starts on the day after `start`
   * (the acceptance date); n = 0 (即办) means the same day.
   */
  addWorkingDays(start: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`工作日数必须为非负整数 (working days must be a non-negative integer): ${n}`);
    }
    requireIsoDate(start);
    this.#assertCovered(start);
    let date = start;
    let counted = 0;
    while (counted < n) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) counted++;
    }
    return date;
  }

  /** The next working day on or after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** The rows as stored (for persisting or an admin screen), ascending by date. */
  rows(): DayRow[] {
    return [...this.#rows.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  }
}

/**
 * Builds a calendar from editable rows. Coverage defaults to the span of years the
 * rows mention; pass it explicitly when a year has been checked but has no rows.
 */
export function calendarFromRows(rows: readonly DayRow[], coverage?: Coverage): WorkingDayCalendar {
  const problems: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!parseIsoDate(row.date)) problems.push(`row ${i}: invalid date ${JSON.stringify(row.date)}`);
    if (!(DAY_KINDS as readonly string[]).includes(row.kind)) {
      problems.push(`row ${i} (${row.date}): unknown kind ${JSON.stringify(row.kind)}`);
    }
    if (typeof row.name !== 'string') problems.push(`row ${i} (${row.date}): name must be a string`);
    if (seen.has(row.date)) problems.push(`row ${i}: duplicate date ${row.date}`);
    seen.add(row.date);
  });
  const effective = coverage ?? coverageOfRows(rows);
  if (!effective) problems.push('no rows and no coverage given: the calendar would cover no year');
  else if (effective.firstYear > effective.lastYear) problems.push('coverage firstYear is after lastYear');
  if (problems.length > 0 || !effective) throw new CalendarRowError(problems);
  return new WorkingDayCalendar(rows, effective);
}

/** Convenience: the calendar seeded from chinese-days, as shipped. */
export function defaultCalendar(): WorkingDayCalendar {
  return calendarFromRows(seedRowsFromChineseDays());
}
