import {
  CalendarCoverageError,
  CalendarRowError,
  DAY_KINDS,
  WorkingDayCalendar,
  calendarFromRows,
  coverageOfRows,
  seedRowsFromChineseDays,
  type Coverage,
  type DayKind,
  type DayRow,
} from '../calendar/index.ts';
import { writeTx, type Db } from '../store/database.ts';
import { evaluationError } from './errors.ts';

interface DayDbRow {
  date: string;
  kind: string;
  name: string;
  note: string | null;
  source: string | null;
}

/**
 * The working-day calendar kept in the database: seeded once from chinese-days, then edited by
 * the admin (a new year's 国办发明电 is entered by hand and the coverage extended). Computations
 * past the covered years are refused with CALENDAR_NOT_COVERED instead of guessing Mon-Fri.
 */
export class CalendarStore {
  #db: Db;
  #cached: WorkingDayCalendar | null = null;

  constructor(db: Db) {
    this.#db = db;
    this.#seedIfEmpty();
  }

  calendar(): WorkingDayCalendar {
    if (this.#cached) return this.#cached;
    const rows = (this.#db.prepare('SELECT * FROM working_calendar_days ORDER BY date').all() as DayDbRow[]).map(toDayRow);
    this.#cached = new WorkingDayCalendar(rows, this.coverage());
    return this.#cached;
  }

  coverage(): Coverage {
    const c = this.#db.prepare('SELECT first_year, last_year FROM working_calendar_coverage WHERE id = 1').get() as
      | { first_year: number; last_year: number }
      | undefined;
    if (!c) throw evaluationError('CALENDAR_INVALID', {}, '工作日历没有覆盖范围');
    return { firstYear: c.first_year, lastYear: c.last_year };
  }

  rows(year?: number): DayRow[] {
    const all = (this.#db.prepare('SELECT * FROM working_calendar_days ORDER BY date').all() as DayDbRow[]).map(toDayRow);
    return year === undefined ? all : all.filter((r) => r.date.startsWith(`${year}-`));
  }

  /** Add or replace one exception day (holiday, adjusted-workday or workday override). */
  setDay(row: DayRow): void {
    if (!(DAY_KINDS as readonly string[]).includes(row.kind)) {
      throw evaluationError('CALENDAR_INVALID', { kind: row.kind }, `未知的日期类型：${row.kind}`);
    }
    this.#validate([...this.rows().filter((r) => r.date !== row.date), row]);
    this.#db
      .prepare('INSERT INTO working_calendar_days (date, kind, name, note, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, note = excluded.note, source = excluded.source')
      .run(row.date, row.kind, row.name, row.note ?? null, row.source ?? 'admin');
    this.#cached = null;
  }

  deleteDay(date: string): boolean {
    const info = this.#db.prepare('DELETE FROM working_calendar_days WHERE date = ?').run(date);
    this.#cached = null;
    return info.changes > 0;
  }

  /** Declare which years are complete (after entering a new year's arrangement). */
  setCoverage(coverage: Coverage): void {
    if (!Number.isInteger(coverage.firstYear) || !Number.isInteger(coverage.lastYear) || coverage.firstYear > coverage.lastYear) {
      throw evaluationError('CALENDAR_INVALID', { ...coverage }, '覆盖年份有误');
    }
    this.#db
      .prepare('INSERT INTO working_calendar_coverage (id, first_year, last_year) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET first_year = excluded.first_year, last_year = excluded.last_year')
      .run(coverage.firstYear, coverage.lastYear);
    this.#cached = null;
  }

  /** The N-th working day after `from` (限时办结 counting); refuses past the covered years. */
  addWorkingDays(from: string, n: number): string {
    try {
      return this.calendar().addWorkingDays(from, n);
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  isWorkingDay(date: string): boolean {
    try {
      return this.calendar().isWorkingDay(date);
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  #validate(rows: DayRow[]): void {
    try {
      calendarFromRows(rows, this.coverage());
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  #seedIfEmpty(): void {
    const has = this.#db.prepare('SELECT 1 FROM working_calendar_coverage WHERE id = 1').get();
    if (has) return;
    const seed = seedRowsFromChineseDays();
    const coverage = coverageOfRows(seed);
    const insert = this.#db.prepare('INSERT OR IGNORE INTO working_calendar_days (date, kind, name, note, source) VALUES (?, ?, ?, ?, ?)');
    writeTx(this.#db, () => {
      for (const r of seed) insert.run(r.date, r.kind, r.name, r.note ?? null, r.source ?? null);
      if (coverage) {
        this.#db.prepare('INSERT OR IGNORE INTO working_calendar_coverage (id, first_year, last_year) VALUES (1, ?, ?)').run(coverage.firstYear, coverage.lastYear);
      }
    });
  }
}

export function asCalendarError(err: unknown): unknown {
  if (err instanceof CalendarCoverageError) {
    return evaluationError(
      'CALENDAR_NOT_COVERED',
      { requestedYear: err.requestedYear, firstCoveredYear: err.firstCoveredYear, lastCoveredYear: err.lastCoveredYear },
      `${err.messageZh}，请管理员先录入 ${err.requestedYear} 年的节假日安排`,
    );
  }
  if (err instanceof CalendarRowError) return evaluationError('CALENDAR_INVALID', { problems: err.problems });
  if (err instanceof TypeError || err instanceof RangeError) return evaluationError('CALENDAR_INVALID', {}, err.message);
  return err;
}

function toDayRow(r: DayDbRow): DayRow {
  return {
    date: r.date,
    kind: r.kind as DayKind,
    name: r.name,
    ...(r.note !== null ? { note: r.note } : {}),
    ...(r.source !== null ? { source: r.source } : {}),
  };
}
