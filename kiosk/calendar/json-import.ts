/**
 * Import from a JSON day list, for scripted roll-outs:
 *
 *   { "year": 2027, "source": "国办发明电〔2026〕X号",
 *     "days": [ { "date": "2027-01-01", "kind": "holiday", "name": "元旦" },
 *               { "date": "2027-02-20", "kind": "adjusted-workday", "name": "春节" } ] }
 *
 * A bare array of days is accepted too. `kind` is holiday (or 休), adjusted-workday (or 班), or
 * workday (an ordinary working day set explicitly). An entry that does not fit is listed with its
 * 1-based number in the list.
 */
import { isIsoDate } from './dates.ts';
import { checkDays, pickYear } from './import-checks.ts';
import type { ImportResult, ImportedDay, UnparsedLine } from './import-types.ts';

const KINDS: Record<string, ImportedDay['kind']> = {
  holiday: 'holiday',
  休: 'holiday',
  'adjusted-workday': 'adjusted-workday',
  班: 'adjusted-workday',
  workday: 'workday',
};

export function importJsonDays(text: string, options: { year?: number } = {}): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return {
      format: 'json',
      year: options.year ?? null,
      source: null,
      days: [],
      unparsed: [],
      remarks: [],
      problems: [{ line: null, message: `JSON 无法解析：${(err as Error).message}` }],
    };
  }
  const obj = Array.isArray(data) ? { days: data } : (data as { year?: unknown; source?: unknown; days?: unknown } | null);
  const problems: ImportResult['problems'][number][] = [];
  if (!obj || typeof obj !== 'object' || !Array.isArray(obj.days)) {
    return {
      format: 'json',
      year: options.year ?? null,
      source: null,
      days: [],
      unparsed: [],
      remarks: [],
      problems: [{ line: null, message: 'JSON 应为 {"year":…,"days":[…]} 或日期数组' }],
    };
  }
  const declared = typeof obj.year === 'number' && Number.isInteger(obj.year) ? obj.year : undefined;
  if (obj.year !== undefined && declared === undefined) problems.push({ line: null, message: '"year" 应为整数' });
  if (declared !== undefined && options.year !== undefined && declared !== options.year) {
    problems.push({ line: null, message: `指定的年份 ${options.year} 与 JSON 中的 ${declared} 年不一致` });
  }
  const unparsed: UnparsedLine[] = [];
  const read: ImportedDay[] = [];
  (obj.days as unknown[]).forEach((entry, i) => {
    const line = i + 1;
    const e = entry as { date?: unknown; kind?: unknown; name?: unknown } | null;
    const text = JSON.stringify(entry) ?? String(entry);
    const bad = (reason: string) => unparsed.push({ line, text, reason, blocking: true });
    if (!e || typeof e !== 'object') return bad('应为 {"date","kind","name"} 对象');
    if (typeof e.date !== 'string' || !isIsoDate(e.date)) return bad('"date" 应为有效的 YYYY-MM-DD 日期');
    const kind = typeof e.kind === 'string' ? KINDS[e.kind] : undefined;
    if (!kind) return bad('"kind" 应为 holiday、adjusted-workday 或 workday');
    if (e.name !== undefined && (typeof e.name !== 'string' || e.name.length > 30)) return bad('"name" 应为不超过 30 字的文字');
    const name = typeof e.name === 'string' && e.name.trim() ? e.name.trim() : kind === 'holiday' ? '节假日' : kind === 'adjusted-workday' ? '调休' : '工作日';
    read.push({ date: e.date, kind, name, line });
  });
  const { year, others } = pickYear(
    read.map((d) => Number(d.date.slice(0, 4))),
    options.year ?? declared,
  );
  const remarks: string[] = [];
  if (others.length > 0) remarks.push(`列表中另有 ${others.join('、')} 年的日期，本次只导入 ${year ?? '—'} 年`);
  const checked = checkDays(
    read.filter((d) => Number(d.date.slice(0, 4)) === year),
    year,
  );
  return {
    format: 'json',
    year,
    source: typeof obj.source === 'string' && obj.source.trim() ? obj.source.trim().slice(0, 100) : 'JSON 导入',
    days: checked.days,
    unparsed,
    problems: [...problems, ...checked.problems],
    remarks,
  };
}
