/**
 * Local time for a hall. Every date the product shows, prints or numbers by is the hall's local
 * calendar date in its configured time zone, never the UTC date (a UTC date rolls over at 08:00
 * in China, the "tickets break after 5 pm" bug of peers in UTC-8).
 */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

export interface LocalParts {
  readonly date: string; // YYYY-MM-DD
  readonly time: string; // HH:MM
  readonly seconds: string; // SS
  readonly minutes: number; // minutes since local midnight
  readonly weekday: number; // ISO 1 = Monday .. 7 = Sunday
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localParts(epochMs: number, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(epochMs)) p[part.type] = part.value;
  const hh = Number(p.hour);
  const mm = Number(p.minute);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
    seconds: p.second ?? '00',
    minutes: hh * 60 + mm,
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 0,
  };
}

export function clockToMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * The business day an instant belongs to: the local date, except that the hours before the daily
 * reset time still belong to the previous day (a reset at 03:00 keeps a late 延时服务 evening and
 * a daemon running past midnight on the same day's numbers).
 */
export function businessDay(epochMs: number, timeZone: string, resetTime: string): string {
  const parts = localParts(epochMs, timeZone);
  if (parts.minutes >= clockToMinutes(resetTime)) return parts.date;
  return previousDate(parts.date);
}

export function previousDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`); // noon UTC: safe pure-calendar arithmetic
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
