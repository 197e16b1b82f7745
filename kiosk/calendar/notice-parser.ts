/**
 * Parser for the State Council notice 国务院办公厅关于 YYYY 年部分节假日安排的通知, in its standard
 * wording, e.g.
 *
 *   一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
 *   二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
 *
 * Full-width and half-width digits and punctuation are both accepted, items may be on one line
 * or on several, and a sentence of an item may continue on the next line. Anything that does not
 * follow the wording is listed with its line number and never guessed. Sanity checks: a 调休
 * working day is a Saturday or Sunday, a day off lies inside the notice's year, a weekday
 * annotation (周六 / 星期六) matches its date, 共N天 matches the range, no date is listed twice.
 */
import { addDays, dayOfWeek, formatIsoDate, parseIsoDate, type IsoDate } from './dates.ts';
import { HOLIDAY_WORDS, byDate, type ImportProblem, type ImportResult, type ImportedDay, type UnparsedLine } from './import-types.ts';

export interface NoticeParseOptions {
  /** The year, when the pasted text has no title (or to cross-check the title). */
  readonly year?: number;
}

const WEEKDAY_CHARS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const WEEKDAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const CN_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
const ITEM_NO = '[一二三四五六七八九十]{1,3}';
/** Range separators: 至 in the notices; 到 and dashes from re-typed copies. */
const RANGE_SEP = /^(?:至|到|—|–|-|~)/;

/** Full-width → half-width for digits and the punctuation the grammar uses; drops all spaces. */
export function normaliseNoticeText(line: string): string {
  return line
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .replace(/[：]/g, ':')
    .replace(/[，]/g, ',')
    .replace(/[；]/g, ';')
    .replace(/[～〜]/g, '~')
    .replace(/[－]/g, '-')
    .replace(/[．]/g, '.')
    .replace(/[\s\u3000\u00a0\uFEFF]+/g, '');
}

function yearFromText(raw: string): number | null {
  const digits = raw.replace(/[〇零一二三四五六七八九]/g, (c) => CN_DIGITS[c] ?? c);
  return /^\d{4}$/.test(digits) ? Number(digits) : null;
}

interface DateRef {
  readonly year: number | null;
  readonly month: number | null;
  readonly day: number;
  readonly weekday: number | null;
  readonly weekdayText: string | null;
}

class SentenceError extends Error {}

/** A cursor over one normalised sentence. */
class Cursor {
  pos = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  get rest(): string {
    return this.text.slice(this.pos);
  }
  eat(re: RegExp): RegExpExecArray | null {
    const m = re.exec(this.rest);
    if (!m || m.index !== 0) return null;
    this.pos += m[0].length;
    return m;
  }
}

/** `[YYYY年]M月D日` (or `D日` when `monthOptional`), then an optional (annotation). */
function readDate(c: Cursor, monthOptional: boolean): DateRef | null {
  const m = c.eat(monthOptional ? /^(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日/ : /^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/);
  if (!m) return null;
  let weekday: number | null = null;
  let weekdayText: string | null = null;
  const ann = c.eat(/^\(([^()]*)\)/);
  if (ann) {
    for (const part of (ann[1] ?? '').split(/[、,]/)) {
      if (part === '') continue;
      const wd = /^(?:周|星期|礼拜)([日天一二三四五六])$/.exec(part);
      if (wd) {
        weekday = WEEKDAY_CHARS[wd[1] ?? ''] ?? null;
        weekdayText = part;
      } else if (
        /^农历/.test(part) ||
        /^(?:除夕|小年|(?:正|腊|冬|[一二三四五六七八九十]{1,2})月(?:初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)|初[一二三四五六七八九十])$/.test(
          part,
        )
      ) {
        // 农历 annotation: informative only, the Gregorian date is authoritative.
      } else {
        throw new SentenceError(`无法识别括号中的“${part}”`);
      }
    }
  }
  return { year: m[1] ? Number(m[1]) : null, month: m[2] ? Number(m[2]) : null, day: Number(m[3]), weekday, weekdayText };
}

interface OffSentence {
  readonly kind: 'off';
  readonly from: DateRef;
  readonly to: DateRef | null;
  readonly total: number | null;
}
interface WorkSentence {
  readonly kind: 'work';
  readonly dates: DateRef[];
}
interface RemarkSentence {
  readonly kind: 'remark';
  readonly text: string;
}
type Sentence = OffSentence | WorkSentence | RemarkSentence;

function parseSentence(s: string): Sentence {
  if (/^鼓励/.test(s)) return { kind: 'remark', text: s };
  const c = new Cursor(s);
  const first = readDate(c, false);
  if (!first) throw new SentenceError('句子不是以“X月X日”开头');
  // 调休上班: a list of dates followed by 上班.
  if (/^(?:、|,)/.test(c.rest) || /^(?:均)?(?:上班|补班)$/.test(c.rest)) {
    const dates = [first];
    while (c.eat(/^(?:、|,)/)) {
      const d = readDate(c, false);
      if (!d) throw new SentenceError('“、”后面应为“X月X日”');
      dates.push(d);
    }
    if (!c.eat(/^(?:均)?(?:上班|补班)$/)) throw new SentenceError('上班日期后应为“上班”');
    return { kind: 'work', dates };
  }
  let to: DateRef | null = null;
  if (c.eat(RANGE_SEP)) {
    to = readDate(c, true);
    if (!to) throw new SentenceError('“至”后面应为日期');
  }
  if (!c.eat(/^放假/)) throw new SentenceError('日期后应为“放假”或“上班”');
  let total: number | null = null;
  const clauses = c.rest.split(',');
  clauses.forEach((clause, i) => {
    if (clause === '' && i === 0) return;
    if (i === 0 && clause === '调休') return;
    const n = /^(?:共)?(\d{1,2})天$/.exec(clause);
    if (n) {
      total = Number(n[1]);
      return;
    }
    if (i === 0) {
      const n2 = /^调休(?:,)?共?(\d{1,2})天$/.exec(clause);
      if (n2) {
        total = Number(n2[1]);
        return;
      }
    }
    if (i > 0 && /^(?:与周末连休|不调休|调休|放假调休)$/.test(clause)) return;
    throw new SentenceError(`无法识别“${clause || '（空）'}”`);
  });
  return { kind: 'off', from: first, to, total };
}

const BOILERPLATE: readonly RegExp[] = [
  /^国办发(?:明电)?[〔[【(]\d{4}[〕\]】)]\d+号$/,
  /^各省、自治区、直辖市人民政府.*:$/,
  /^国务院各部委、各直属机构:?$/,
  /经国务院批准,现将\d{4}年.*通知如下[。.]?$/,
  /^节假日期间/,
  /^国务院办公厅$/,
  /^\d{4}年\d{1,2}月\d{1,2}日$/,
  /^\(此件公开发布\)$/,
];

export function parseHolidayNotice(text: string, options: NoticeParseOptions = {}): ImportResult {
  const lines = text.split(/\r\n|\r|\n/);
  const unparsed: UnparsedLine[] = [];
  const problems: ImportProblem[] = [];
  const remarks: string[] = [];
  let titleYear: number | null = null;
  let titleLine = 0;
  let source: string | null = null;
  const preambleYears: { year: number; line: number }[] = [];

  interface Pending {
    readonly line: number;
    readonly name: string;
    readonly sentence: OffSentence | WorkSentence;
  }
  const pending: Pending[] = [];
  let current: string | null = null;

  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = normaliseNoticeText(raw);
    if (line === '') return;
    const fail = (reason: string) => unparsed.push({ line: lineNo, text: raw.trim(), reason, blocking: HOLIDAY_WORDS.test(line) });

    const title = /^(?:国务院办公厅)?关于(.{4})年(?:部分)?节假日安排的通知$/.exec(line);
    if (title) {
      const y = yearFromText(title[1] ?? '');
      if (y === null) return fail('标题中的年份无法识别');
      if (titleYear !== null && titleYear !== y) problems.push({ line: lineNo, message: `标题年份 ${y} 与第 ${titleLine} 行的 ${titleYear} 不一致` });
      titleYear = y;
      titleLine = lineNo;
      return;
    }
    if (BOILERPLATE.some((re) => re.test(line))) {
      const no = /^国办发(?:明电)?[〔[【(](\d{4})[〕\]】)](\d+)号$/.exec(line);
      if (no) source = `国办发明电〔${no[1]}〕${no[2]}号`;
      const pre = /经国务院批准,现将(\d{4})年/.exec(line);
      if (pre) preambleYears.push({ year: Number(pre[1]), line: lineNo });
      return;
    }

    // One line may hold several items (一、…。二、…); a new item starts only after a full stop.
    const segments = line.split(new RegExp(`(?<=^|[。;.])(?=${ITEM_NO}、)`)).filter((s) => s !== '');
    for (const segment of segments) {
      let body = segment;
      const head = new RegExp(`^(?:${ITEM_NO}、)?([\\u4e00-\\u9fff]{2,6}(?:[、和][\\u4e00-\\u9fff]{2,6})*):(.*)$`).exec(segment);
      if (head) {
        current = (head[1] ?? '').replace(/和/g, '、');
        body = head[2] ?? '';
      } else if (new RegExp(`^${ITEM_NO}、`).test(segment)) {
        fail('条目缺少“节日名称：”');
        current = null;
        continue;
      }
      if (current === null) {
        fail('不是节假日条目（应为“一、元旦：……”），也不在某个条目之后');
        continue;
      }
      const sentences = body.split(/[。;]|\.(?!\d)/).filter((s) => s !== '');
      if (sentences.length === 0) {
        fail(`“${current}”条目没有日期`);
        continue;
      }
      const read: Pending[] = [];
      let failed = false;
      for (const s of sentences) {
        try {
          const parsed = parseSentence(s);
          if (parsed.kind === 'remark') remarks.push(`第 ${lineNo} 行：“${parsed.text}”是倡导性安排，不是放假，未计入日历`);
          else read.push({ line: lineNo, name: current, sentence: parsed });
        } catch (err) {
          if (!(err instanceof SentenceError)) throw err;
          fail(`“${s}”：${err.message}`);
          failed = true;
          break;
        }
      }
      // A line is used whole or not at all: half a holiday item would be a guess.
      if (!failed) pending.push(...read);
    }
  });

  // The year: the title, else the caller's, else the preamble (经国务院批准，现将YYYY年…).
  let year: number | null = titleYear ?? options.year ?? preambleYears[0]?.year ?? null;
  if (options.year !== undefined && titleYear !== null && options.year !== titleYear) {
    problems.push({ line: titleLine, message: `指定的年份 ${options.year} 与标题中的 ${titleYear} 年不一致` });
  }
  for (const p of preambleYears) {
    if (year !== null && p.year !== year) problems.push({ line: p.line, message: `正文中的 ${p.year} 年与通知年份 ${year} 年不一致` });
  }
  if (year === null) {
    problems.push({ line: null, message: '未能确定年份：请粘贴通知标题（国务院办公厅关于 YYYY 年部分节假日安排的通知）或指定年份' });
  } else if (year < 1990 || year > 2200) {
    problems.push({ line: titleLine || null, message: `年份 ${year} 不合理` });
    year = null;
  }

  const days = new Map<IsoDate, ImportedDay>();
  const put = (d: ImportedDay) => {
    const before = days.get(d.date);
    if (before) {
      problems.push({ line: d.line, date: d.date, message: `${d.date} 重复出现（第 ${before.line} 行已列为${before.kind === 'holiday' ? '放假' : '上班'}）` });
      return;
    }
    days.set(d.date, d);
  };
  if (year !== null) {
    const y = year;
    const resolve = (ref: DateRef, prev: { year: number; month: number } | null, line: number): IsoDate | null => {
      const yy = ref.year ?? prev?.year ?? y;
      const mm = ref.month ?? prev?.month ?? null;
      if (mm === null) return null;
      const iso = formatIsoDate({ year: yy, month: mm, day: ref.day });
      if (!parseIsoDate(iso)) {
        problems.push({ line, message: `${yy}年${mm}月${ref.day}日 不是有效日期` });
        return null;
      }
      if (ref.weekday !== null && dayOfWeek(iso) !== ref.weekday) {
        problems.push({ line, date: iso, message: `${mm}月${ref.day}日 注明“${ref.weekdayText}”，但 ${iso} 是${WEEKDAY_NAMES[dayOfWeek(iso)]}` });
      }
      return iso;
    };
    for (const p of pending) {
      const s = p.sentence;
      if (s.kind === 'off') {
        const from = resolve(s.from, null, p.line);
        if (!from) continue;
        const fromParts = parseIsoDate(from)!;
        const to = s.to ? resolve(s.to, { year: fromParts.year, month: fromParts.month }, p.line) : from;
        if (!to) continue;
        if (to < from) {
          problems.push({ line: p.line, date: from, message: `放假区间 ${from} 至 ${to} 的结束日期早于开始日期` });
          continue;
        }
        const range: IsoDate[] = [];
        for (let d = from; d <= to && range.length <= 31; d = addDays(d, 1)) range.push(d);
        if (range.length > 31) {
          problems.push({ line: p.line, date: from, message: `放假区间 ${from} 至 ${to} 超过一个月，不合理` });
          continue;
        }
        if (s.total !== null && s.total !== range.length) {
          problems.push({ line: p.line, date: from, message: `写明共 ${s.total} 天，但 ${from} 至 ${to} 是 ${range.length} 天` });
        }
        for (const d of range) {
          if (Number(d.slice(0, 4)) !== y) problems.push({ line: p.line, date: d, message: `放假日 ${d} 不在 ${y} 年内` });
          put({ date: d, kind: 'holiday', name: p.name, line: p.line });
        }
      } else {
        for (const ref of s.dates) {
          const d = resolve(ref, null, p.line);
          if (!d) continue;
          const dow = dayOfWeek(d);
          if (dow !== 0 && dow !== 6) {
            problems.push({ line: p.line, date: d, message: `调休上班日 ${d} 是${WEEKDAY_NAMES[dow]}，应为周六或周日` });
          }
          if (Number(d.slice(0, 4)) !== y && ref.year === null) {
            problems.push({ line: p.line, date: d, message: `上班日 ${d} 不在 ${y} 年内` });
          }
          put({ date: d, kind: 'adjusted-workday', name: p.name, line: p.line });
        }
      }
    }
    if (pending.length === 0) problems.push({ line: null, message: '没有读到任何节假日条目' });
  }

  return {
    format: 'notice',
    year,
    source: source ?? (year !== null ? `国务院办公厅关于${year}年部分节假日安排的通知` : null),
    days: [...days.values()].sort(byDate),
    unparsed,
    problems,
    remarks,
  };
}
