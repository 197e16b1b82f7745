/** Date and amount formatting for certificates, in the hall's time zone. */
import { localParts } from '../clock.ts';

/** 2025-03-14 09:26:53 */
export function dateTimeText(epochMs: number, timeZone: string): string {
  const p = localParts(epochMs, timeZone);
  return `${p.date} ${p.time}:${p.seconds}`;
}

/** 2025-03-14 */
export function dateText(epochMs: number, timeZone: string): string {
  return localParts(epochMs, timeZone).date;
}

/** The local year-month of an instant: [2025, 3]. */
export function localYearMonth(epochMs: number, timeZone: string): [number, number] {
  const date = localParts(epochMs, timeZone).date;
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
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
  return value
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
