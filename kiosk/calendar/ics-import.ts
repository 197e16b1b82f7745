/**
 * Import from an ICS file (e.g. one of the public Chinese holiday calendars). Only all-day VEVENTs
 * are read; the SUMMARY says what a day is:
 *
 * - 班 (上班, 补班, 调休上班, "春节 班", "[班]") → 调休上班 (a weekend day worked);
 * - 休 or 假 (放假, 休息, 假期, "春节 休", "[休]") → 放假;
 * - a bare 调休 is ambiguous (feeds use it for both) and, like any other event (a timed event, a
 *   recurring one, 母亲节 without a mark), is listed as not recognised.
 *
 * The festival name is what remains of the SUMMARY once the marks are removed. Line numbers are
 * those of the events' BEGIN:VEVENT in the (unfolded) file.
 */
import type ICALModule from 'ical.js';
import { addDays, formatIsoDate, parseIsoDate, type IsoDate } from './dates.ts';
import { checkDays, pickYear } from './import-checks.ts';
import type { ImportResult, ImportedDay, UnparsedLine } from './import-types.ts';

export interface IcsImportOptions {
  readonly year?: number;
  /** File name, kept as the rows' source. */
  readonly fileName?: string;
}

export type SummaryMark = { kind: 'holiday' | 'adjusted-workday'; name: string } | { kind: null; reason: string };

/** Reads the 休 / 班 mark of an event SUMMARY. */
export function classifySummary(summary: string): SummaryMark {
  const s = summary.trim();
  const work = /班/.test(s);
  const explicitWork = /上班|补班|调班/.test(s);
  const off = /休|假/.test(s.replace(/调休/g, ''));
  let kind: 'holiday' | 'adjusted-workday' | null = null;
  if (work && (explicitWork || !off)) kind = 'adjusted-workday';
  else if (!work && off) kind = 'holiday';
  if (kind === null) {
    if (work && off) return { kind: null, reason: `SUMMARY“${s}”同时含“休”和“班”，无法判断` };
    if (/调休/.test(s)) return { kind: null, reason: `SUMMARY“${s}”只写“调休”，不能判断是放假还是上班` };
    return { kind: null, reason: `SUMMARY“${s}”没有“休”或“班”标记` };
  }
  const name = s
    .replace(/[[【(（<《]\s*(?:休|班|假|放假|上班|补班)\s*[\]】)）>》]/g, '')
    .replace(/调休上班|放假调休|补班|上班|调班|放假|休息|休假|假期|调休|休|班|假/g, '')
    .replace(/[\s·:：,，、\-—_/|()（）[\]【】]+/g, ' ')
    .trim();
  return { kind, name: name || (kind === 'holiday' ? '节假日' : '调休') };
}

/** ical.js is loaded on the first import (an ICS file is imported a few times a year, not at start-up). */
let ical: Promise<typeof ICALModule> | undefined;

export async function importIcs(text: string, options: IcsImportOptions = {}): Promise<ImportResult> {
  const ICAL = await (ical ??= import('ical.js').then((m) => m.default));
  const source = options.fileName ? `ICS：${options.fileName}` : 'ICS 文件';
  const fail = (message: string): ImportResult => ({
    format: 'ics',
    year: options.year ?? null,
    source,
    days: [],
    unparsed: [],
    problems: [{ line: null, message }],
    remarks: [],
  });
  let root: InstanceType<typeof ICALModule.Component>;
  try {
    const parsed = ICAL.parse(text);
    root = new ICAL.Component(parsed as unknown as unknown[]);
  } catch (err) {
    return fail(`ICS 文件无法解析：${(err as Error).message}`);
  }
  if (root.name !== 'vcalendar') return fail('不是 iCalendar 文件（缺少 BEGIN:VCALENDAR）');

  // Line numbers of the events, in file order (ical.js keeps the components in that order).
  const eventLines: number[] = [];
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    if (/^BEGIN:VEVENT\s*$/i.test(l)) eventLines.push(i + 1);
  });

  const unparsed: UnparsedLine[] = [];
  const read: ImportedDay[] = [];
  root.getAllSubcomponents('vevent').forEach((vevent, i) => {
    const line = eventLines[i] ?? 0;
    const summary = String(vevent.getFirstPropertyValue('summary') ?? '');
    const skip = (reason: string) => unparsed.push({ line, text: summary || '（无 SUMMARY）', reason, blocking: true });
    try {
      if (vevent.hasProperty('rrule') || vevent.hasProperty('rdate')) return skip('重复事件（RRULE/RDATE）不支持，请使用逐日列出的日历');
      const event = new ICAL.Event(vevent);
      const start = event.startDate;
      if (!start) return skip('缺少 DTSTART');
      if (!start.isDate) return skip('不是全天事件（DTSTART 带时间）');
      const first = formatIsoDate({ year: start.year, month: start.month, day: start.day });
      if (!parseIsoDate(first)) return skip(`DTSTART 日期无效：${first}`);
      let last: IsoDate = first;
      if (vevent.hasProperty('dtend') || vevent.hasProperty('duration')) {
        const end = event.endDate;
        if (!end.isDate) return skip('DTEND 带时间，与全天事件不符');
        // DTEND of an all-day event is exclusive.
        last = addDays(formatIsoDate({ year: end.year, month: end.month, day: end.day }), -1);
        if (last < first) return skip('DTEND 早于 DTSTART');
        if (last > addDays(first, 31)) return skip('事件跨度超过一个月，不合理');
      }
      const mark = classifySummary(summary);
      if (mark.kind === null) return skip(mark.reason);
      for (let d = first; d <= last; d = addDays(d, 1)) read.push({ date: d, kind: mark.kind, name: mark.name, line });
    } catch (err) {
      skip(`事件无法读取：${(err as Error).message}`);
    }
  });

  const { year, others } = pickYear(
    read.map((d) => Number(d.date.slice(0, 4))),
    options.year,
  );
  const remarks: string[] = [];
  if (others.length > 0) {
    const n = read.filter((d) => Number(d.date.slice(0, 4)) !== year).length;
    remarks.push(`文件中另有 ${others.join('、')} 年的 ${n} 天，本次只导入 ${year ?? '—'} 年`);
  }
  const inYear = read.filter((d) => Number(d.date.slice(0, 4)) === year);
  const checked = checkDays(inYear, year);
  const problems = [...checked.problems];
  if (year !== null && inYear.length === 0) problems.push({ line: null, message: `文件中没有 ${year} 年的放假或上班日` });
  return { format: 'ics', year, source, days: checked.days, unparsed, problems, remarks };
}
