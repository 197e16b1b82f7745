/** Calendar helpers for card dates. Dates are plain `YYYY-MM-DD` strings (no time zone). */

export type IsoDate = string;

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `YYYYMMDD` → `YYYY-MM-DD`, or `null` when it is not a real calendar date (years 1800–2999). */
export function compactToIso(compact: string): IsoDate | null {
  if (!/^\d{8}$/.test(compact)) return null;
  const year = Number(compact.slice(0, 4));
  const month = Number(compact.slice(4, 6));
  const day = Number(compact.slice(6, 8));
  if (year < 1800 || year > 2999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}

/** A Date's local calendar day as `YYYY-MM-DD`; an ISO date string passes through. */
export function toIsoDate(date: Date | IsoDate): IsoDate {
  if (typeof date === 'string') return date;
  const y = String(date.getFullYear()).padStart(4, '0');
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && compactToIso(value.replaceAll('-', '')) !== null;
}
