/** Date and amount formatting for certificates, in the hall's time zone. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(epochMs: number, timeZone: string): Record<string, string> {
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
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(epochMs)) p[part.type] = part.value;
  return p;
}

/** 2025-03-14 09:26:53 */
export function dateTimeText(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** 2025-03-14 */
export function dateText(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The local year-month of an instant: [2025, 3]. */
export function localYearMonth(epochMs: number, timeZone: string): [number, number] {
  const p = parts(epochMs, timeZone);
  return [Number(p.year), Number(p.month)];
}

/** The `count` months ending with (and including) year-month `end`, oldest first, as yyyy-MM. */
export function monthsEndingAt(end: [number, number], count: number): string[] {
  const out: string[] = [];
  let [y, m] = end;
  for (let i = 0; i < count; i++) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out.reverse();
}

/** Month difference b − a for yyyy-MM strings. */
export function monthIndex(ym: string): number {
  const [y, m] = ym.split('-').map(Number);
  return (y ?? 0) * 12 + ((m ?? 1) - 1);
}

/** A backend date "2015-03-01" or "2015-03-01 00:00:00" or "20150301" → "2015-03-01"; empty → "". */
export function backendDate(value: string | null | undefined): string {
  if (!value) return '';
  const v = value.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  return iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : v;
}

/** 5000 → "5000.00"; missing → "—". */
export function yuan(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(2) : '—';
}

/** Replace {name} placeholders; unknown placeholders stay as written. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * Text from the backend as it may be printed: control characters removed (they would be read as
 * commands by a receipt printer and break PDF text), whitespace runs collapsed.
 */
export function cleanText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
}
