/**
 * Dates and times as the hall reads them, in the hall's configured time zone (from the daemon),
 * not the browser's: a kiosk whose operating system was left on UTC must still show Beijing time.
 */
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(t: number | Date, timeZone: string | undefined): Record<string, string> {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      ...(timeZone ? { timeZone } : {}),
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(key, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(t)) out[p.type] = p.value;
  return out;
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** 2026年11月24日 星期二 */
export function hallDate(t: number | Date, timeZone?: string): string {
  const p = partsIn(t, timeZone);
  return `${p.year}年${p.month}月${p.day}日 星期${WEEKDAYS[WEEKDAY_INDEX[p.weekday ?? ''] ?? 0]}`;
}

/** 09:05, or 09:05:30 with seconds */
export function hallTime(t: number | Date, timeZone?: string, seconds = false): string {
  const p = partsIn(t, timeZone);
  return `${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}
