/** Sanity checks shared by the ICS and JSON imports (the notice parser checks as it reads). */
import { dayOfWeek, type IsoDate } from './dates.ts';
import { byDate, type ImportProblem, type ImportedDay } from './import-types.ts';

const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/**
 * Keeps the first of duplicated dates, and reports: a duplicate, a 调休上班 day that is not a
 * Saturday or Sunday, a day off outside `year`.
 */
export function checkDays(days: readonly ImportedDay[], year: number | null): { days: ImportedDay[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const seen = new Map<IsoDate, ImportedDay>();
  for (const d of days) {
    const before = seen.get(d.date);
    if (before) {
      if (before.kind !== d.kind)
        problems.push({ line: d.line, date: d.date, message: `${d.date} 出现两次且类型不同（第 ${before.line} 条与第 ${d.line} 条）` });
      continue;
    }
    seen.set(d.date, d);
    const dow = dayOfWeek(d.date);
    if (d.kind === 'adjusted-workday' && dow !== 0 && dow !== 6) {
      problems.push({ line: d.line, date: d.date, message: `调休上班日 ${d.date} 是${WEEKDAY_NAMES[dow]}，应为周六或周日` });
    }
    if (year !== null && d.kind === 'holiday' && Number(d.date.slice(0, 4)) !== year) {
      problems.push({ line: d.line, date: d.date, message: `放假日 ${d.date} 不在 ${year} 年内` });
    }
  }
  return { days: [...seen.values()].sort(byDate), problems };
}

/** The year to import when the caller gave none: the only year, else the latest (others are reported). */
export function pickYear(years: Iterable<number>, requested: number | undefined): { year: number | null; others: number[] } {
  const all = [...new Set(years)].sort((a, b) => a - b);
  const year = requested ?? all[all.length - 1] ?? null;
  return { year, others: all.filter((y) => y !== year) };
}
