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

/** 2026年12月2日 09:05:30: when something happened, for staff pages (the console). */
export function hallDateTime(t: number | Date, timeZone?: string): string {
  const p = partsIn(t, timeZone);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}:${p.second}`;
}

/** One date style on every screen: 2026年12月2日 (from an ISO date 2026-12-02). */
export function zhDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

/**
 * What the screens say about the hall being closed: null while it is open (or unknown).
 * `servedThisBusinessDay` false: numbers taken now lapse at the daily reset before opening.
 */
export function closedNotice(
  hall: { open: boolean; nextOpen: { date: string; time: string; today: boolean } | null; servedThisBusinessDay: boolean } | undefined,
): string | null {
  if (!hall || hall.open) return null;
  const when = hall.nextOpen ? `${hall.nextOpen.today ? '今天' : zhDate(hall.nextOpen.date)} ${hall.nextOpen.time}` : '';
  if (!hall.servedThisBusinessDay) return `现在是非办公时间，今日已停止叫号，现在取的号不会被叫到。${when ? `请于${when}开始办公后再取号。` : ''}`;
  return `现在是非办公时间，窗口暂未开放。${when ? `现在取的号在${when}开始办公后按顺序叫号。` : '开始办公后按顺序叫号。'}`;
}

/** The hall's local date of an instant as YYYY-MM-DD. */
export function hallIsoDate(t: number | Date, timeZone?: string): string {
  const p = partsIn(t, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
