/**
 * The editable day table behind the working-day calendar. Only exceptions to the
 * ordinary week (Mon–Fri work, Sat/Sun rest) are stored. Rows are plain data so the
 * lead can keep them in SQLite and technicians can add a new year's 国办发明电 by hand.
 */
import { createRequire } from 'node:module';
import { isIsoDate, yearOf } from './dates.ts';
import type { IsoDate } from './dates.ts';

export const DAY_KINDS = ['holiday', 'adjusted-workday', 'workday'] as const;
/**
 * - holiday: statutory day off (法定节假日, including the 调休 days off of a holiday block);
 * - adjusted-workday: a weekend day that is worked (调休上班);
 * - workday: explicit override that makes a date an ordinary working day.
 */
export type DayKind = (typeof DAY_KINDS)[number];

export interface DayRow {
  readonly date: IsoDate;
  readonly kind: DayKind;
  /** Festival the row belongs to, e.g. 春节, 国庆节. */
  readonly name: string;
  /** Optional remark, e.g. 调休 for a day off that is paid back by a make-up workday. */
  readonly note?: string;
  /** Where the row comes from, e.g. 'chinese-days@1.5.7' or '国办发明电〔2025〕7号'. */
  readonly source?: string;
}

/** A data-range statement: the years the table is complete for. */
export interface Coverage {
  readonly firstYear: number;
  readonly lastYear: number;
}

interface ChineseDaysJson {
  readonly holidays: Record<string, string>;
  readonly workdays: Record<string, string>;
  readonly inLieuDays: Record<string, string>;
}

/** chinese-days stores values as "English,中文,N"; return the Chinese name. */
function zhName(value: string): string {
  const parts = value.split(',');
  return (parts[1] ?? parts[0] ?? '').trim();
}

function loadChineseDaysJson(): { data: ChineseDaysJson; version: string } {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysJson;
  const pkg = require('chinese-days/package.json') as { version?: string };
  return { data, version: pkg.version ?? 'unknown' };
}

/**
 * Rows seeded from the `chinese-days` package data (statutory holidays and 调休
 * workdays for the years it ships; 2004–2026 in 1.5.7). The package itself is not
 * consulted at run time: store these rows and build the calendar from them.
 */
export function seedRowsFromChineseDays(): DayRow[] {
  const { data, version } = loadChineseDaysJson();
  const source = `chinese-days@${version}`;
  const rows: DayRow[] = [];
  for (const [date, value] of Object.entries(data.holidays)) {
    const inLieu = Object.hasOwn(data.inLieuDays, date);
    rows.push({ date, kind: 'holiday', name: zhName(value), ...(inLieu ? { note: '调休' } : {}), source });
  }
  for (const [date, value] of Object.entries(data.workdays)) {
    rows.push({ date, kind: 'adjusted-workday', name: zhName(value), source });
  }
  rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return rows;
}

/** Coverage implied by the rows: from the first to the last year that has any row. */
export function coverageOfRows(rows: readonly DayRow[]): Coverage | undefined {
  let first = Infinity;
  let last = -Infinity;
  for (const row of rows) {
    if (!isIsoDate(row.date)) continue;
    const y = yearOf(row.date);
    if (y < first) first = y;
    if (y > last) last = y;
  }
  return Number.isFinite(first) ? { firstYear: first, lastYear: last } : undefined;
}
