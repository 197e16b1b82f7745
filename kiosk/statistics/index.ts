import type { KioskConfig } from '../../config/schema.ts';
import { csvCell } from '../evaluations/statistics.ts';
import type { HallEvent } from '../queue/types.ts';
import { toHallEvent } from '../store/unit-of-work.ts';
import { all, type Tx } from '../store/sql.ts';

/**
 * Counter, staff and service statistics computed from the hall event log (the `events` table),
 * never from the tickets' final states: a ticket marked 过号 twice and requeued in between counts
 * two no-shows, a transfer counts out at one counter and in at another, a recall is a recall.
 *
 * Definitions (each counted where the event happened, at the staff member signed in there then):
 * - called / recalled / noShow / suspended / completed: one per ticket.called, ticket.recalled,
 *   ticket.no-show, ticket.suspended, ticket.done event.
 * - transferredOut: ticket.transferred at the counter. transferredIn: at the target counter when
 *   the transfer named one, else at the counter that next calls the ticket; for services, the
 *   target service (a transfer that keeps the service moves no service figure).
 * - wait: from the moment the ticket (re)entered waiting — issued, requeued, resumed after 挂起,
 *   transferred — to its call. service: from 开始办理 (or the call, when never started) to 办结.
 *   Reported as median (mean of the middle two for an even count) and p90 (nearest rank), minutes.
 * - idle: the counter open with no ticket at it; paused: in 暂停服务. A day's open segments end at
 *   the day's last event (or `now` for the current day), not at the overnight reset.
 */
export interface Figures {
  called: number;
  recalled: number;
  noShow: number;
  transferredIn: number;
  transferredOut: number;
  suspended: number;
  completed: number;
  waitSeconds: number[];
  serviceSeconds: number[];
  idleMs: number;
  pausedMs: number;
}

export interface StatRow {
  readonly key: string;
  readonly name: string;
  readonly called: number;
  readonly recalled: number;
  readonly noShow: number;
  readonly transferredIn: number;
  readonly transferredOut: number;
  readonly suspended: number;
  readonly completed: number;
  readonly waitMedianMinutes: number | null;
  readonly waitP90Minutes: number | null;
  readonly serviceMedianMinutes: number | null;
  readonly serviceP90Minutes: number | null;
  /** Counters and staff only (a service has no idle time). */
  readonly idleMinutes: number | null;
  readonly pausedMinutes: number | null;
}

export interface QueueStatistics {
  readonly from: string;
  readonly to: string;
  readonly counters: readonly StatRow[];
  readonly staff: readonly StatRow[];
  readonly services: readonly StatRow[];
}

export type StaffAt = (counterNo: number, at: number) => { staffId: string; staffName: string } | null;

/** Who was signed in where over a period (kiosk/evaluations/staff.ts StaffRoster fits). */
export interface StaffSessions {
  lookupTx(from: number, to: number): Tx<StaffAt>;
}
const DAY_MS = 86_400_000;

const LEAVES = new Set(['ticket.done', 'ticket.no-show', 'ticket.transferred', 'ticket.suspended']);
const WAITING_AGAIN = new Set(['ticket.issued', 'ticket.requeued', 'ticket.resumed', 'ticket.transferred']);

function empty(): Figures {
  return {
    called: 0,
    recalled: 0,
    noShow: 0,
    transferredIn: 0,
    transferredOut: 0,
    suspended: 0,
    completed: 0,
    waitSeconds: [],
    serviceSeconds: [],
    idleMs: 0,
    pausedMs: 0,
  };
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

/** Nearest-rank percentile (p in 0..1). */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)]!;
}

const minutes = (seconds: number | null) => (seconds === null ? null : Math.round((seconds / 60) * 10) / 10);
const msMinutes = (ms: number) => Math.round((ms / 60_000) * 10) / 10;

/**
 * The pure computation: `events` in log order (one or more business days), with who was signed in
 * where (`staffAt`) and when each day's open time ends (`dayEnd`).
 */
export function computeStatistics(
  events: readonly HallEvent[],
  options: {
    counters: readonly { number: number; name: string }[];
    services: readonly { code: string; name: string }[];
    staffAt?: StaffAt;
    dayEnd: (day: string, lastEventAt: number) => number;
    from: string;
    to: string;
  },
): QueueStatistics {
  const byCounter = new Map<number, Figures>();
  const byStaff = new Map<string, Figures & { name: string }>();
  const byService = new Map<string, Figures>();
  const staffAt = options.staffAt ?? (() => null);
  const counterFig = (n: number) => byCounter.get(n) ?? (byCounter.set(n, empty()), byCounter.get(n)!);
  const serviceFig = (c: string) => byService.get(c) ?? (byService.set(c, empty()), byService.get(c)!);
  const staffFig = (n: number | null, at: number): Figures | null => {
    if (n === null) return null;
    const s = staffAt(n, at);
    if (!s) return null;
    let f = byStaff.get(s.staffId);
    if (!f) byStaff.set(s.staffId, (f = { ...empty(), name: s.staffName }));
    return f;
  };
  /** Count on the counter, its staff member then, and the service. */
  const bump = (
    field: keyof Pick<Figures, 'called' | 'recalled' | 'noShow' | 'suspended' | 'completed'>,
    n: number | null,
    service: string | null,
    at: number,
  ) => {
    if (n !== null) counterFig(n)[field]++;
    const s = staffFig(n, at);
    if (s) s[field]++;
    if (service) serviceFig(service)[field]++;
  };

  // Per-day state: counter timelines and per-ticket moments.
  const days = new Map<string, HallEvent[]>();
  for (const e of events) {
    if (e.type === 'day.closed') continue; // written at the next morning's reset, under the old day
    const list = days.get(e.day);
    if (list) list.push(e);
    else days.set(e.day, [e]);
  }
  for (const [day, list] of days) {
    const timeline = new Map<number, { state: 'closed' | 'open' | 'paused'; busy: boolean; since: number }>();
    const waitingSince = new Map<number, number>();
    const calledAt = new Map<number, number>();
    const servingAt = new Map<number, number>();
    const pendingTransferIn = new Set<number>();
    const advance = (n: number, at: number) => {
      const t = timeline.get(n) ?? { state: 'closed' as const, busy: false, since: at };
      const span = Math.max(0, at - t.since);
      if (span > 0) {
        const s = staffFig(n, t.since);
        if (t.state === 'open' && !t.busy) {
          counterFig(n).idleMs += span;
          if (s) s.idleMs += span;
        } else if (t.state === 'paused') {
          counterFig(n).pausedMs += span;
          if (s) s.pausedMs += span;
        }
      }
      t.since = at;
      timeline.set(n, t);
      return t;
    };
    for (const e of list) {
      const n = e.counterNo;
      const p = e.payload;
      const service = typeof p.serviceCode === 'string' ? p.serviceCode : null;
      if (n !== null && (e.type.startsWith('counter.') || e.type.startsWith('ticket.'))) {
        const t = advance(n, e.at);
        if (e.type === 'counter.opened' || e.type === 'counter.resumed') t.state = 'open';
        else if (e.type === 'counter.paused') t.state = 'paused';
        else if (e.type === 'counter.closed') t.state = 'closed';
        else if (e.type === 'ticket.called') t.busy = true;
        else if (LEAVES.has(e.type)) t.busy = false;
      }
      const id = e.ticketId;
      switch (e.type) {
        case 'ticket.called': {
          bump('called', n, service, e.at);
          const since = id === null ? undefined : waitingSince.get(id);
          const wait = since !== undefined ? (e.at - since) / 1000 : typeof p.waitedSeconds === 'number' ? p.waitedSeconds : null;
          if (wait !== null) {
            if (n !== null) counterFig(n).waitSeconds.push(wait);
            staffFig(n, e.at)?.waitSeconds.push(wait);
            if (service) serviceFig(service).waitSeconds.push(wait);
          }
          if (id !== null) {
            waitingSince.delete(id);
            calledAt.set(id, e.at);
            servingAt.delete(id);
            if (pendingTransferIn.delete(id) && n !== null) {
              counterFig(n).transferredIn++;
              const s = staffFig(n, e.at);
              if (s) s.transferredIn++;
            }
          }
          break;
        }
        case 'ticket.recalled':
          bump('recalled', n, service, e.at);
          break;
        case 'ticket.no-show':
          bump('noShow', n, service, e.at);
          break;
        case 'ticket.suspended':
          bump('suspended', n, service, e.at);
          break;
        case 'ticket.serving':
          if (id !== null) servingAt.set(id, e.at);
          break;
        case 'ticket.done': {
          bump('completed', n, service, e.at);
          const start = id === null ? undefined : (servingAt.get(id) ?? calledAt.get(id));
          const secs = start !== undefined ? (e.at - start) / 1000 : typeof p.serviceSeconds === 'number' ? p.serviceSeconds : null;
          if (secs !== null) {
            if (n !== null) counterFig(n).serviceSeconds.push(secs);
            staffFig(n, e.at)?.serviceSeconds.push(secs);
            if (service) serviceFig(service).serviceSeconds.push(secs);
          }
          break;
        }
        case 'ticket.transferred': {
          if (n !== null) counterFig(n).transferredOut++;
          const out = staffFig(n, e.at);
          if (out) out.transferredOut++;
          const to = typeof p.toCounter === 'number' ? p.toCounter : null;
          if (to !== null) {
            counterFig(to).transferredIn++;
            const s = staffFig(to, e.at);
            if (s) s.transferredIn++;
          } else if (id !== null) pendingTransferIn.add(id);
          const fromService = typeof p.fromService === 'string' ? p.fromService : null;
          const toService = typeof p.toService === 'string' ? p.toService : null;
          if (fromService && toService && fromService !== toService) {
            serviceFig(fromService).transferredOut++;
            serviceFig(toService).transferredIn++;
          }
          break;
        }
      }
      if (id !== null && WAITING_AGAIN.has(e.type)) waitingSince.set(id, e.at);
    }
    const lastAt = list.at(-1)!.at;
    const end = options.dayEnd(day, lastAt);
    for (const n of timeline.keys()) advance(n, end);
  }

  const row = (key: string, name: string, f: Figures, withTime: boolean): StatRow => ({
    key,
    name,
    called: f.called,
    recalled: f.recalled,
    noShow: f.noShow,
    transferredIn: f.transferredIn,
    transferredOut: f.transferredOut,
    suspended: f.suspended,
    completed: f.completed,
    waitMedianMinutes: minutes(median(f.waitSeconds)),
    waitP90Minutes: minutes(percentile(f.waitSeconds, 0.9)),
    serviceMedianMinutes: minutes(median(f.serviceSeconds)),
    serviceP90Minutes: minutes(percentile(f.serviceSeconds, 0.9)),
    idleMinutes: withTime ? msMinutes(f.idleMs) : null,
    pausedMinutes: withTime ? msMinutes(f.pausedMs) : null,
  });
  return {
    from: options.from,
    to: options.to,
    counters: options.counters.map((c) => row(String(c.number), c.name, byCounter.get(c.number) ?? empty(), true)),
    staff: [...byStaff.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, f]) => row(id, f.name, f, true)),
    services: options.services.map((s) => row(s.code, s.name, byService.get(s.code) ?? empty(), false)),
  };
}

type EventRow = Parameters<typeof toHallEvent>[0];
const EVENTS_IN_RANGE = `SELECT id, at, day, type, ticket_id, counter_no, payload FROM events
  WHERE day BETWEEN ? AND ? AND (type LIKE 'ticket.%' OR type LIKE 'counter.%') ORDER BY id`;

/**
 * Reads the events of [from, to] (business days, inclusive) and computes the statistics: a body
 * on the hall's store (kiosk/store/sql.ts), run with `engine.unit.read(() => queueStatisticsTx(…))`.
 */
export function* queueStatisticsTx(
  config: Pick<KioskConfig, 'counters' | 'services'>,
  range: { from: string; to: string },
  options: { staff?: StaffSessions; now: number; today: string },
): Tx<QueueStatistics> {
  const rows = yield* all<EventRow>(EVENTS_IN_RANGE, range.from, range.to);
  // Sign-in sessions overlapping the period, a day's margin either side of any time zone.
  const staffAt = options.staff
    ? yield* options.staff.lookupTx(Date.parse(`${range.from}T00:00:00Z`) - DAY_MS, Date.parse(`${range.to}T00:00:00Z`) + 2 * DAY_MS)
    : null;
  return computeStatistics(rows.map(toHallEvent), {
    counters: config.counters,
    services: config.services,
    ...(staffAt ? { staffAt } : {}),
    dayEnd: (day, lastAt) => (day === options.today ? Math.max(lastAt, options.now) : lastAt),
    from: range.from,
    to: range.to,
  });
}

/** A month "YYYY-MM" or a day "YYYY-MM-DD" as an inclusive range of business days. */
export function periodRange(period: string): { from: string; to: string } {
  return period.length === 7 ? { from: `${period}-01`, to: `${period}-31` } : { from: period, to: period };
}

const COLUMNS: [keyof StatRow, string][] = [
  ['key', '编号'],
  ['name', '名称'],
  ['called', '叫号'],
  ['recalled', '重呼'],
  ['noShow', '过号'],
  ['transferredIn', '转入'],
  ['transferredOut', '转出'],
  ['suspended', '挂起'],
  ['completed', '办结'],
  ['waitMedianMinutes', '等候中位数(分钟)'],
  ['waitP90Minutes', '等候P90(分钟)'],
  ['serviceMedianMinutes', '办理中位数(分钟)'],
  ['serviceP90Minutes', '办理P90(分钟)'],
  ['idleMinutes', '空闲(分钟)'],
  ['pausedMinutes', '暂停(分钟)'],
];
export const STAT_COLUMNS = COLUMNS;

/** One CSV with a 维度 column (窗口 / 工作人员 / 业务), UTF-8 with BOM for spreadsheet programs. */
export function statisticsCsv(stats: QueueStatistics): string {
  const lines = [['维度', ...COLUMNS.map(([, t]) => t)]];
  const add = (dim: string, rows: readonly StatRow[]) => {
    for (const r of rows) lines.push([dim, ...COLUMNS.map(([k]) => (r[k] === null ? '' : String(r[k])))]);
  };
  add('窗口', stats.counters);
  add('工作人员', stats.staff);
  add('业务', stats.services);
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
