import type { KioskConfig } from '../../config/schema.ts';
import { all, type Tx } from '../store/sql.ts';
import { evaluationError } from './errors.ts';
import { LEVELS, type Level } from './types.ts';

export const GROUPINGS = ['hall', 'counter', 'staff', 'service'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface StatRow {
  readonly key: string;
  readonly label: string;
  /** Tickets completed (办结) in the period: the denominator of 主动评价率. */
  readonly completed: number;
  /** First evaluations (追加评价 not counted again), excluding those confirmed as 误评. */
  readonly evaluations: number;
  readonly appended: number;
  readonly misjudged: number;
  readonly levels: Readonly<Record<Level, number>>;
  /** (非常满意 + 满意 + 基本满意) ÷ evaluations. */
  readonly satisfiedRate: number | null;
  readonly bad: number;
  readonly badCases: number;
  readonly realNameBadCases: number;
  /** 实名差评回访率: real-name cases reached by 回访 ÷ real-name cases. */
  readonly contactRate: number | null;
  /** 整改率: cases whose 整改 (or 解释说明) is done ÷ cases. */
  readonly rectifyRate: number | null;
  /** 主动评价率: ticket evaluations ÷ completed tickets. */
  readonly activeRate: number | null;
  /** 服务对象评价 score: full − 0.5 per 基本满意 − 1 per 不满意 − 1 per 非常不满意, at least 0. */
  readonly score: number;
}

export interface Statistics {
  readonly period: string;
  readonly kind: 'day' | 'month';
  readonly from: string;
  readonly to: string;
  readonly by: Grouping;
  readonly rows: readonly StatRow[];
}

interface EvalRow {
  seq: number;
  subject: string;
  level: Level;
  counter_no: number | null;
  staff_id: string | null;
  staff_name: string | null;
  item_code: string | null;
  item_name: string | null;
  case_status: string | null;
  real_name: number | null;
  contacted_at: number | null;
  rectified_at: number | null;
}

interface DoneRow {
  counter_no: number | null;
  service_code: string;
  staff_id: string | null;
  staff_name: string | null;
}

export function periodRange(period: string): { kind: 'day' | 'month'; from: string; to: string } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) return { kind: 'day', from: period, to: period };
  if (/^\d{4}-\d{2}$/.test(period)) return { kind: 'month', from: `${period}-01`, to: `${period}-31` };
  throw evaluationError('CALENDAR_INVALID', { period }, '统计周期应为 YYYY-MM-DD 或 YYYY-MM');
}

/**
 * 好差评 statistics for a day or a month, per hall, counter, staff member or service. An
 * evaluation belongs to the period of the service it rates (the ticket's day; the evaluation day
 * for kiosk self-service), so 主动评价率 compares like with like.
 */
export function* statisticsTx(config: KioskConfig, period: string, by: Grouping): Tx<Statistics> {
  const range = periodRange(period);
  const evals = yield* all<EvalRow>(
    `SELECT e.seq, e.subject, e.level, e.counter_no, e.staff_id, e.staff_name, e.item_code, e.item_name,
       c.status AS case_status, c.real_name, c.contacted_at, c.rectified_at
     FROM evaluations e LEFT JOIN evaluation_cases c ON c.evaluation_id = e.id
     WHERE COALESCE(e.ticket_day, e.day) BETWEEN ? AND ? ORDER BY e.id`,
    range.from,
    range.to,
  );
  const done = yield* all<DoneRow>(
    `SELECT t.counter_no, t.service_code, s.staff_id, s.staff_name FROM tickets t
     LEFT JOIN staff_sessions s ON s.id = (
       SELECT id FROM staff_sessions WHERE counter_no = t.counter_no AND signed_in_at <= t.done_at
         AND (signed_out_at IS NULL OR signed_out_at > t.done_at) ORDER BY signed_in_at DESC, id DESC LIMIT 1)
     WHERE t.status = 'done' AND t.day BETWEEN ? AND ? ORDER BY t.id`,
    range.from,
    range.to,
  );
  return tally(config, period, range, by, evals, done);
}

function tally(
  config: KioskConfig,
  period: string,
  range: { kind: 'day' | 'month'; from: string; to: string },
  by: Grouping,
  evals: readonly EvalRow[],
  done: readonly DoneRow[],
): Statistics {
  const counters = new Map(config.counters.map((c) => [c.number, c.name]));
  const services = new Map(config.services.map((s) => [s.code, s.name]));
  const keyOf = (
    r: { counter_no: number | null; staff_id: string | null; staff_name: string | null },
    code: string | null,
    name: string | null,
    kiosk: boolean,
  ): [string, string] => {
    switch (by) {
      case 'hall':
        return ['hall', config.hall.name];
      case 'counter':
        return kiosk || r.counter_no === null ? ['kiosk', '自助终端'] : [String(r.counter_no), counters.get(r.counter_no) ?? `${r.counter_no}号窗口`];
      case 'staff':
        return kiosk ? ['kiosk', '自助终端'] : r.staff_id ? [r.staff_id, r.staff_name ?? r.staff_id] : ['unknown', '未签到'];
      case 'service':
        return [code ?? 'unknown', (code && services.get(code)) ?? name ?? code ?? '未知事项'];
    }
  };

  const acc = new Map<string, Acc>();
  const get = (key: string, label: string) => {
    let a = acc.get(key);
    if (!a) acc.set(key, (a = newAcc(label)));
    return a;
  };
  for (const d of done) {
    const [key, label] = keyOf(d, d.service_code, null, false);
    get(key, label).completed++;
  }
  for (const e of evals) {
    const [key, label] = keyOf(e, e.item_code, e.item_name, e.subject === 'kiosk');
    const a = get(key, label);
    const misjudged = e.case_status === 'misjudged';
    if (e.case_status !== null && !misjudged) {
      a.badCases++;
      if (e.rectified_at !== null) a.rectified++;
      if (e.real_name === 1) {
        a.realNameBadCases++;
        if (e.contacted_at !== null) a.contacted++;
      }
    }
    if (e.seq !== 1) {
      a.appended++;
      continue;
    }
    if (misjudged) {
      a.misjudged++;
      continue;
    }
    a.evaluations++;
    if (e.subject === 'counter') a.ticketEvaluations++;
    a.levels[e.level]++;
  }
  const score = config.evaluation.score;
  const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
  const rows: StatRow[] = [...acc.entries()].map(([key, a]) => ({
    key,
    label: a.label,
    completed: a.completed,
    evaluations: a.evaluations,
    appended: a.appended,
    misjudged: a.misjudged,
    levels: a.levels,
    satisfiedRate: ratio(a.levels.非常满意 + a.levels.满意 + a.levels.基本满意, a.evaluations),
    bad: a.levels.不满意 + a.levels.非常不满意,
    badCases: a.badCases,
    realNameBadCases: a.realNameBadCases,
    contactRate: ratio(a.contacted, a.realNameBadCases),
    rectifyRate: ratio(a.rectified, a.badCases),
    activeRate: key === 'kiosk' ? null : ratio(a.ticketEvaluations, a.completed),
    score: Math.max(
      0,
      score.full - score.basicallySatisfied * a.levels.基本满意 - score.dissatisfied * a.levels.不满意 - score.veryDissatisfied * a.levels.非常不满意,
    ),
  }));
  rows.sort((x, y) => x.key.localeCompare(y.key, 'en', { numeric: true }));
  return { period, kind: range.kind, from: range.from, to: range.to, by, rows };
}

interface Acc {
  label: string;
  completed: number;
  evaluations: number;
  ticketEvaluations: number;
  appended: number;
  misjudged: number;
  levels: Record<Level, number>;
  badCases: number;
  realNameBadCases: number;
  contacted: number;
  rectified: number;
}

function newAcc(label: string): Acc {
  return {
    label,
    completed: 0,
    evaluations: 0,
    ticketEvaluations: 0,
    appended: 0,
    misjudged: 0,
    levels: Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>,
    badCases: 0,
    realNameBadCases: 0,
    contacted: 0,
    rectified: 0,
  };
}

const CSV_HEADER = [
  '分组',
  '名称',
  '办结数',
  '评价数',
  '追加评价数',
  ...LEVELS,
  '满意率',
  '差评数',
  '差评件数',
  '实名差评回访率',
  '整改率',
  '主动评价率',
  '评价得分',
];

/** CSV (UTF-8 with BOM, so spreadsheet software shows the Chinese correctly). */
export function statisticsCsv(stats: Statistics): string {
  const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);
  const lines = [
    CSV_HEADER,
    ...stats.rows.map((r) => [
      r.key,
      r.label,
      r.completed,
      r.evaluations,
      r.appended,
      ...LEVELS.map((l) => r.levels[l]),
      pct(r.satisfiedRate),
      r.bad,
      r.badCases,
      pct(r.contactRate),
      pct(r.rectifyRate),
      pct(r.activeRate),
      r.score,
    ]),
  ];
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote when needed; a leading = + - @ is neutralised against spreadsheet formula injection.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d+(\.\d+)?%?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
