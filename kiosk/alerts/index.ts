import type { Kiosk } from '../compose.ts';
import { businessDay, type Clock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import type { QueueEngine } from '../queue/engine.ts';
import type { HallEvent } from '../queue/types.ts';
import { type Db, writeTx } from '../store/database.ts';
import { assistanceScreenName } from './screens.ts';

/**
 * Staff alerts (工作人员提醒): what the hall asks of its staff — a citizen pressed 呼叫工作人员, a
 * print failed (ticket, notice, certificate: every job of the print service), the printer's paper
 * runs low, a device is faulty or gone, a 差评 case is overdue. Each is a row; it is acknowledged
 * exactly once (the first clerk wins, the others see who). Raising and acknowledging also append
 * `alert.raised` / `alert.acknowledged` to the hall event log, so every workstation and console
 * following the event stream updates at once. No personal data: messages name screens, devices,
 * print jobs and case numbers, never a citizen.
 */
export const ALERT_KINDS = ['assistance', 'print-failed', 'paper-low', 'device-fault', 'case-overdue'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_KIND_NAMES: Record<AlertKind, string> = {
  assistance: '呼叫工作人员',
  'print-failed': '打印失败',
  'paper-low': '打印纸将用完',
  'device-fault': '设备故障',
  'case-overdue': '差评处理超期',
};

export interface Acknowledgment {
  readonly at: number;
  readonly counterNo: number | null;
  readonly staffId: string | null;
  readonly staffName: string | null;
}

export interface AlertView {
  readonly id: number;
  readonly day: string;
  readonly raisedAt: number;
  readonly kind: AlertKind;
  readonly kindName: string;
  /** null: for the whole hall (every signed-in clerk); a number: for that counter only. */
  readonly counterNo: number | null;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly acknowledged: Acknowledgment | null;
}

export interface RaiseInput {
  readonly kind: AlertKind;
  readonly sourceKey: string;
  readonly topic: string;
  readonly counterNo?: number | null;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

interface AlertRow {
  id: number;
  day: string;
  raised_at: number;
  kind: AlertKind;
  source_key: string;
  topic: string;
  counter_no: number | null;
  message: string;
  details: string;
  acked_at: number | null;
  acked_counter: number | null;
  acked_staff_id: string | null;
  acked_staff_name: string | null;
}

export interface AlertSources {
  /** Overdue 差评 cases (id and evaluation id); polled every `casePollMs`. */
  overdueCases?: () => readonly { id: number; evaluationId: number; overdue: readonly string[] }[];
  /** Called after an assistance request was acknowledged (the kiosk says someone is coming). */
  onAssistanceAcknowledged?: (alert: AlertView) => void;
  printPollMs?: number;
  casePollMs?: number;
}

const PRINT_KINDS: Record<string, string> = { ticket: '号票', notice: '一次性告知单', certificate: '参保证明', test: '测试页' };
const DEVICE_NAMES: Record<string, string> = { printer: '打印机', idcard: '身份证读卡器', scanner: '扫码器', dispenser: '取票机' };

export class StaffAlerts {
  #db: Db;
  #engine: QueueEngine;
  #clock: Clock;
  #timeZone: string;
  #resetTime: string;
  #sources: AlertSources;
  #printSince: number;
  #timers: ReturnType<typeof setInterval>[] = [];
  #onEvent = (e: HallEvent) => queueMicrotask(() => this.#react(e));
  #stmts;

  constructor(db: Db, engine: QueueEngine, clock: Clock, hall: { timeZone: string; dailyResetTime: string }, sources: AlertSources = {}) {
    this.#db = db;
    this.#engine = engine;
    this.#clock = clock;
    this.#timeZone = hall.timeZone;
    this.#resetTime = hall.dailyResetTime;
    this.#sources = sources;
    this.#printSince = clock() - 3_600_000;
    this.#stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO staff_alerts (day, raised_at, kind, source_key, topic, counter_no, message, details)
         VALUES (@day, @raised_at, @kind, @source_key, @topic, @counter_no, @message, @details)`,
      ),
      openTopic: db.prepare<[string], { id: number }>('SELECT id FROM staff_alerts WHERE topic = ? AND acked_at IS NULL LIMIT 1'),
      byId: db.prepare<[number], AlertRow>('SELECT * FROM staff_alerts WHERE id = ?'),
      ack: db.prepare<[number, number | null, string | null, string | null, number]>(
        'UPDATE staff_alerts SET acked_at = ?, acked_counter = ?, acked_staff_id = ?, acked_staff_name = ? WHERE id = ? AND acked_at IS NULL',
      ),
      failedJobs: db.prepare<
        [number],
        { id: number; kind: string; ticket_id: number | null; error_code: string | null; error_message: string | null; updated_at: number }
      >("SELECT id, kind, ticket_id, error_code, error_message, updated_at FROM print_jobs WHERE state = 'failed' AND updated_at >= ? ORDER BY id"),
      ticketNo: db.prepare<[number], { display_no: string }>('SELECT display_no FROM tickets WHERE id = ?'),
      joinAssistance: db.prepare<{ topic: string; where: string }>(
        `UPDATE staff_alerts SET
           details = json_set(details, '$.requests', COALESCE(json_extract(details, '$.requests'), 1) + 1),
           message = '自助终端请求协助（' || @where || '，已呼叫 ' || (COALESCE(json_extract(details, '$.requests'), 1) + 1) || ' 次）'
         WHERE topic = @topic AND acked_at IS NULL`,
      ),
      evaluationCounter: db.prepare<[number], { counter_no: number | null }>('SELECT counter_no FROM evaluations WHERE id = ?'),
    };
  }

  /** Follows the hall event log and polls print jobs and overdue cases. */
  start(): void {
    if (this.#timers.length) return;
    this.#engine.on('event', this.#onEvent);
    this.#timers.push(setInterval(() => this.#safe(() => this.scanPrintJobs()), this.#sources.printPollMs ?? 5_000));
    this.#timers.push(setInterval(() => this.#safe(() => this.scanOverdueCases()), this.#sources.casePollMs ?? 60_000));
    for (const t of this.#timers) t.unref?.();
    this.#safe(() => this.scanPrintJobs());
    this.#safe(() => this.scanOverdueCases());
  }

  stop(): void {
    this.#engine.off('event', this.#onEvent);
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  /** Inserts an alert unless its origin was already seen or an alert of its topic is still open. */
  raise(input: RaiseInput): AlertView | null {
    const now = this.#clock();
    const id = writeTx(this.#db, () => {
      if (this.#stmts.openTopic.get(input.topic)) return null;
      const info = this.#stmts.insert.run({
        day: this.#day(now),
        raised_at: now,
        kind: input.kind,
        source_key: input.sourceKey,
        topic: input.topic,
        counter_no: input.counterNo ?? null,
        message: input.message,
        details: JSON.stringify(input.details ?? {}),
      });
      return info.changes ? Number(info.lastInsertRowid) : null;
    });
    if (id === null) return null;
    const alert = this.get(id);
    // A doorbell on the hall event stream (after the row committed); the row is the record.
    this.#doorbell('alert.raised', { alertId: id, kind: alert.kind, forCounter: alert.counterNo }, alert.counterNo);
    return alert;
  }

  /** Acknowledges once: a second acknowledgment is refused with who acknowledged first. */
  acknowledge(id: number, by: { counterNo: number | null; staffId: string | null; staffName: string | null }): AlertView {
    const now = this.#clock();
    const changed = writeTx(this.#db, () => this.#stmts.ack.run(now, by.counterNo, by.staffId, by.staffName, id).changes);
    const alert = this.get(id);
    if (!changed) {
      throw new KioskError('ALERT_ALREADY_ACKNOWLEDGED', { alertId: id, acknowledged: alert.acknowledged });
    }
    this.#doorbell('alert.acknowledged', { alertId: id, kind: alert.kind, byCounter: by.counterNo }, by.counterNo);
    if (alert.kind === 'assistance') this.#sources.onAssistanceAcknowledged?.(alert);
    return alert;
  }

  get(id: number): AlertView {
    const row = this.#stmts.byId.get(id);
    if (!row) throw new KioskError('ALERT_UNKNOWN', { alertId: id });
    return view(row);
  }

  /**
   * Today's alerts, newest first. `forCounter`: the hall's alerts and that counter's own (what a
   * workstation shows); undefined: all of them (console, hall server).
   */
  list(options: { day?: string; forCounter?: number; openOnly?: boolean } = {}): AlertView[] {
    const day = options.day ?? this.#day(this.#clock());
    const where = ['day = ?'];
    const args: unknown[] = [day];
    if (options.forCounter !== undefined) {
      where.push('(counter_no IS NULL OR counter_no = ?)');
      args.push(options.forCounter);
    }
    if (options.openOnly) where.push('acked_at IS NULL');
    const rows = this.#db.prepare(`SELECT * FROM staff_alerts WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT 200`).all(...args) as AlertRow[];
    return rows.map(view);
  }

  /** Every failed print job since the last scan becomes an alert (one per job). */
  scanPrintJobs(): number {
    let raised = 0;
    for (const job of this.#stmts.failedJobs.all(this.#printSince)) {
      this.#printSince = Math.max(this.#printSince, job.updated_at);
      const displayNo = job.ticket_id === null ? null : (this.#stmts.ticketNo.get(job.ticket_id)?.display_no ?? null);
      const what = PRINT_KINDS[job.kind] ?? job.kind;
      const a = this.raise({
        kind: 'print-failed',
        sourceKey: `print:${job.id}`,
        topic: `print:${job.id}`,
        message: `${what}打印失败${displayNo ? `（${displayNo}）` : ''}：${job.error_message ?? job.error_code ?? '原因不明'}`,
        details: { jobId: job.id, printKind: job.kind, displayNo, code: job.error_code },
      });
      if (a) raised++;
    }
    return raised;
  }

  scanOverdueCases(): number {
    const cases = this.#sources.overdueCases?.() ?? [];
    const day = this.#day(this.#clock());
    let raised = 0;
    for (const c of cases) {
      const counterNo = this.#stmts.evaluationCounter.get(c.evaluationId)?.counter_no ?? null;
      const what = c.overdue.includes('contact') ? '回访' : '整改反馈';
      const a = this.raise({
        kind: 'case-overdue',
        sourceKey: `case:${c.id}:${day}`,
        topic: `case:${c.id}`,
        counterNo,
        message: `差评${what}已超期（处理记录 #${c.id}）`,
        details: { caseId: c.id, overdue: [...c.overdue] },
      });
      if (a) raised++;
    }
    return raised;
  }

  #react(e: HallEvent): void {
    this.#safe(() => {
      const p = e.payload;
      if (e.type === 'assistance.requested') {
        const screen = String(p.screen ?? '');
        const terminal = String(p.terminal ?? '');
        const where = assistanceScreenName(screen);
        // One open alert per kiosk: asking again before a clerk acknowledged joins it (with a count).
        const topic = `assistance:${terminal}`;
        const raised = this.raise({
          kind: 'assistance',
          sourceKey: `event:${e.id}`,
          topic,
          message: `自助终端请求协助（${where}）`,
          details: { eventId: e.id, terminal, screen, requests: 1 },
        });
        if (!raised) writeTx(this.#db, () => this.#stmts.joinAssistance.run({ topic, where }));
      } else if (e.type === 'ticket.print' && p.printState === 'failed') {
        this.scanPrintJobs();
      } else if (e.type === 'device.status') {
        const device = String(p.device ?? '');
        const name = DEVICE_NAMES[device] ?? device;
        if (p.state === 'fault' || p.state === 'disconnected') {
          this.raise({
            kind: 'device-fault',
            sourceKey: `event:${e.id}`,
            topic: `device:${device}`,
            message: `${name}${p.state === 'fault' ? '故障' : '未连接'}：${String(p.message ?? p.reason ?? p.code ?? '')}`,
            details: { device, state: p.state, code: p.code ?? null },
          });
        }
        const warnings = Array.isArray(p.warnings) ? (p.warnings as { code?: string; message?: string }[]) : [];
        const paper = warnings.find((w) => String(w.code ?? '').includes('paper'));
        if (paper) {
          this.raise({
            kind: 'paper-low',
            sourceKey: `event:${e.id}:paper`,
            topic: `paper:${device}`,
            message: `${name}：${paper.message ?? '打印纸将用完'}，请及时更换`,
            details: { device, code: paper.code ?? null },
          });
        }
      }
    });
  }

  /**
   * The event that tells displays and workstations to look (after the alert row committed; the
   * row is the record, so a doorbell that cannot be written — disk full — loses nothing).
   */
  #doorbell(type: string, payload: Record<string, unknown>, counterNo: number | null): void {
    this.#engine.recordEvent(type, payload, counterNo).catch(() => undefined);
  }

  #safe(fn: () => unknown): void {
    try {
      fn();
    } catch {
      // An alert that cannot be written (disk full) must not take the event loop down; the
      // condition is raised again by the next scan or event.
    }
  }

  #day(now: number): string {
    return businessDay(now, this.#timeZone, this.#resetTime);
  }
}

function view(r: AlertRow): AlertView {
  return {
    id: r.id,
    day: r.day,
    raisedAt: r.raised_at,
    kind: r.kind,
    kindName: ALERT_KIND_NAMES[r.kind] ?? r.kind,
    counterNo: r.counter_no,
    message: r.message,
    details: JSON.parse(r.details) as Record<string, unknown>,
    acknowledged: r.acked_at === null ? null : { at: r.acked_at, counterNo: r.acked_counter, staffId: r.acked_staff_id, staffName: r.acked_staff_name },
  };
}

const registry = new WeakMap<Kiosk, StaffAlerts>();

/** The hall's alert book for a kiosk that holds the queue (one per Kiosk, started on first use). */
export function alertsFor(kiosk: Kiosk): StaffAlerts | null {
  if (!kiosk.engine) return null;
  let alerts = registry.get(kiosk);
  if (!alerts) {
    const ev = kiosk.evaluations;
    alerts = new StaffAlerts(kiosk.db, kiosk.engine, kiosk.clock, kiosk.config.hall, {
      overdueCases: () => ev.overdue(),
      onAssistanceAcknowledged: (a) => kiosk.events.emit('assistance', { state: 'acknowledged', alertId: a.id, at: a.acknowledged?.at ?? kiosk.clock() }),
    });
    registry.set(kiosk, alerts);
    alerts.start();
  }
  return alerts;
}
