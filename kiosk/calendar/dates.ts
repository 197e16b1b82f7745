/**
 * Calendar-date helpers. A date is a local (Asia/Shanghai) calendar date written
 * 'YYYY-MM-DD'. Arithmetic is done on the calendar date itself (year, month, day),
 * never by converting an instant to UTC, so no time zone can shift a day.
 */

export type IsoDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Parses 'YYYY-MM-DD'; returns undefined for malformed or impossible dates (2026-02-30). */
export function parseIsoDate(value: string): DateParts | undefined {
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== undefined;
}

/** Like parseIsoDate but throws a descriptive error. */
export function requireIsoDate(value: string): DateParts {
  const parts = parseIsoDate(value);
  if (!parts) throw new TypeError(`日期格式错误：${JSON.stringify(value)}，应为 YYYY-MM-DD (invalid date)`);
  return parts;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function formatIsoDate(parts: DateParts): IsoDate {
  const y = String(parts.year).padStart(4, '0');
  const m = String(parts.month).padStart(2, '0');
  const d = String(parts.day).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/**
 * Serial day number of a calendar date. Date.UTC is used purely as a proleptic
 * Gregorian day counter here (the "UTC" midnight of a calendar date), not to
 * convert any wall-clock instant, so the result is time-zone independent.
 */
function dayNumber(parts: DateParts): number {
  return Math.floor(Date.UTC(parts.year, parts.month - 1, parts.day) / DAY_MS);
}

function fromDayNumber(n: number): DateParts {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return formatIsoDate(fromDayNumber(dayNumber(requireIsoDate(date)) + days));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  // 1970-01-01 (day 0) was a Thursday.
  return (((dayNumber(requireIsoDate(date)) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: IsoDate): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

export function yearOf(date: IsoDate): number {
  return requireIsoDate(date).year;
}

const WEEKDAY_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

export function weekdayZh(date: IsoDate): string {
  return WEEKDAY_ZH[dayOfWeek(date)] ?? '';
}

/** '2026-10-09' → '2026年10月9日' (for printed and on-screen text). */
export function formatDateZh(date: IsoDate): string {
  const p = requireIsoDate(date);
  return `${p.year}年${p.month}月${p.day}日`;
}

const shanghaiFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's calendar date in Asia/Shanghai for the given instant (default: now). */
export function todayInShanghai(now: Date = new Date()): IsoDate {
  const parts = shanghaiFormatter.formatToParts(now);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
