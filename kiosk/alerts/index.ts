import type { Kiosk } from '../compose.ts';
import { businessDay, type Clock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import type { QueueEngine } from '../queue/engine.ts';
import type { HallEvent } from '../queue/types.ts';
import { type Db, terminalId } from '../store/database.ts';
import { all, get, type Param, run, type Tx } from '../store/sql.ts';
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
  overdueCases?: () => Promise<readonly { id: number; evaluationId: number; overdue: readonly string[] }[]>;
  /** Called after an assistance request was acknowledged (the kiosk says someone is coming). */
  onAssistanceAcknowledged?: (alert: AlertView) => void;
  printPollMs?: number;
  casePollMs?: number;
}

const PRINT_KINDS: Record<string, string> = { ticket: '号票', notice: '一次性告知单', certificate: '参保证明', test: '测试页' };
const DEVICE_NAMES: Record<string, string> = { printer: '打印机', idcard: '身份证读卡器', scanner: '扫码器', dispenser: '取票机' };

interface FailedJob {
  id: number;
  kind: string;
  ticket_id: number | null;
  error_code: string | null;
  error_message: string | null;
  updated_at: number;
}

/**
 * Where the records are: `staff_alerts` belongs to the hall (every daemon's workstations see and
 * acknowledge the same alerts), so it is read and written with transaction bodies on the hall's
 * store (SQLite or PostgreSQL, the queue engine's runner); the ticket numbers and the evaluations
 * it names are the hall's too. `print_jobs` are this terminal's own (its printer's queue,
 * kiosk/printing/print-service.ts): they stay in the terminal's SQLite file, and each daemon
 * scans only its own.
 */
const INSERT_ALERT = `INSERT INTO staff_alerts (day, raised_at, kind, source_key, topic, counter_no, message, details)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`;
const OPEN_TOPIC = 'SELECT id, details FROM staff_alerts WHERE topic = ? AND acked_at IS NULL ORDER BY id LIMIT 1';
const ACK = 'UPDATE staff_alerts SET acked_at = ?, acked_counter = ?, acked_staff_id = ?, acked_staff_name = ? WHERE id = ? AND acked_at IS NULL';

/** What raising did: a new alert's id, `joined` an open one of the topic, or nothing (origin already seen). */
type Raised = { id: number; joined: false } | { id: number; joined: true } | null;

export class StaffAlerts {
  #db: Db;
  #engine: QueueEngine;
  #clock: Clock;
  #timeZone: string;
  #resetTime: string;
  #sources: AlertSources;
  #printSince: number;
  #timers: ReturnType<typeof setInterval>[] = [];
  /** Reactions to events still being written (list() waits for them: this daemon's own view is current). */
  #pending = new Set<Promise<unknown>>();
  #onEvent = (e: HallEvent) => this.#track(Promise.resolve().then(() => this.#react(e)));
  #failedJobs;
  #terminal: string;

  constructor(db: Db, engine: QueueEngine, clock: Clock, hall: { timeZone: string; dailyResetTime: string }, sources: AlertSources = {}) {
    this.#db = db;
    this.#engine = engine;
    this.#clock = clock;
    this.#timeZone = hall.timeZone;
    this.#resetTime = hall.dailyResetTime;
    this.#sources = sources;
    this.#printSince = clock() - 3_600_000;
    this.#terminal = terminalId(db);
    this.#failedJobs = db.prepare<[number], FailedJob>(
      "SELECT id, kind, ticket_id, error_code, error_message, updated_at FROM print_jobs WHERE state = 'failed' AND updated_at >= ? ORDER BY id",
    );
  }

  get #hall() {
    return this.#engine.unit.runner;
  }

  /** Follows the hall event log and polls print jobs and overdue cases. */
  start(): void {
    if (this.#timers.length) return;
    this.#engine.on('event', this.#onEvent);
    this.#timers.push(setInterval(() => this.#track(this.scanPrintJobs()), this.#sources.printPollMs ?? 5_000));
    this.#timers.push(setInterval(() => this.#track(this.scanOverdueCases()), this.#sources.casePollMs ?? 60_000));
    for (const t of this.#timers) t.unref?.();
    this.#track(this.scanPrintJobs());
    this.#track(this.scanOverdueCases());
  }

  /** Stops following; waits for the reactions already under way (before the store closes). */
  async stop(): Promise<void> {
    this.#engine.off('event', this.#onEvent);
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.idle();
  }

  /** Resolves once every reaction to an event seen so far has been written (or has failed). */
  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.all(this.#pending);
  }

  /** Inserts an alert unless its origin was already seen or an alert of its topic is still open. */
  async raise(input: RaiseInput): Promise<AlertView | null> {
    const r = await this.#raise(input);
    return r && !r.joined ? this.get(r.id) : null;
  }

  /**
   * `join`: how an open alert of the topic takes this occurrence in (null: it already has it, as
   * when another daemon of the hall reacted to the same event first).
   */
  async #raise(input: RaiseInput, join?: (details: Record<string, unknown>) => { message: string; details: Record<string, unknown> } | null): Promise<Raised> {
    const now = this.#clock();
    const day = this.#day(now);
    const raised = await this.#hall.transaction(function* (): Tx<Raised> {
      // Every daemon of the hall reacts to the same event: the first one's row counts, once.
      if (yield* get('SELECT 1 AS seen FROM staff_alerts WHERE source_key = ?', input.sourceKey)) return null;
      const open = yield* get<{ id: number; details: string }>(OPEN_TOPIC, input.topic);
      if (open) {
        const next = join?.(JSON.parse(open.details) as Record<string, unknown>);
        if (!next) return null;
        yield* run('UPDATE staff_alerts SET details = ?, message = ? WHERE id = ?', JSON.stringify(next.details), next.message, open.id);
        return { id: open.id, joined: true };
      }
      const row = yield* get<{ id: number }>(
        INSERT_ALERT,
        day,
        now,
        input.kind,
        input.sourceKey,
        input.topic,
        input.counterNo ?? null,
        input.message,
        JSON.stringify(input.details ?? {}),
      );
      return row ? { id: row.id, joined: false } : null;
    });
    if (raised && !raised.joined) {
      const alert = await this.get(raised.id);
      // A doorbell on the hall event stream (after the row committed); the row is the record.
      this.#doorbell('alert.raised', { alertId: raised.id, kind: alert.kind, forCounter: alert.counterNo }, alert.counterNo);
    }
    return raised;
  }

  /** Acknowledges once: a second acknowledgment is refused with who acknowledged first. */
  async acknowledge(id: number, by: { counterNo: number | null; staffId: string | null; staffName: string | null }): Promise<AlertView> {
    const now = this.#clock();
    const changed = await this.#hall.transaction(function* () {
      return (yield* run(ACK, now, by.counterNo, by.staffId, by.staffName, id)).changes;
    });
    const alert = await this.get(id);
    if (!changed) {
      throw new KioskError('ALERT_ALREADY_ACKNOWLEDGED', { alertId: id, acknowledged: alert.acknowledged });
    }
    this.#doorbell('alert.acknowledged', { alertId: id, kind: alert.kind, byCounter: by.counterNo }, by.counterNo);
    if (alert.kind === 'assistance') this.#sources.onAssistanceAcknowledged?.(alert);
    return alert;
  }

  async get(id: number): Promise<AlertView> {
    const row = await this.#hall.read(() => get<AlertRow>('SELECT * FROM staff_alerts WHERE id = ?', id));
    if (!row) throw new KioskError('ALERT_UNKNOWN', { alertId: id });
    return view(row);
  }

  /**
   * Today's alerts, newest first. `forCounter`: the hall's alerts and that counter's own (what a
   * workstation shows); undefined: all of them (console, hall server).
   */
  async list(options: { day?: string; forCounter?: number; openOnly?: boolean } = {}): Promise<AlertView[]> {
    await this.idle();
    const day = options.day ?? this.#day(this.#clock());
    const where = ['day = ?'];
    const args: Param[] = [day];
    if (options.forCounter !== undefined) {
      where.push('(counter_no IS NULL OR counter_no = ?)');
      args.push(options.forCounter);
    }
    if (options.openOnly) where.push('acked_at IS NULL');
    const rows = await this.#hall.read(() => all<AlertRow>(`SELECT * FROM staff_alerts WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT 200`, ...args));
    return rows.map(view);
  }

  /** Every failed print job of this terminal since the last scan becomes an alert (one per job). */
  async scanPrintJobs(): Promise<number> {
    let raised = 0;
    for (const job of this.#failedJobs.all(this.#printSince)) {
      this.#printSince = Math.max(this.#printSince, job.updated_at);
      const ticketId = job.ticket_id;
      const displayNo =
        ticketId === null
          ? null
          : ((await this.#hall.read(() => get<{ display_no: string }>('SELECT display_no FROM tickets WHERE id = ?', ticketId)))?.display_no ?? null);
      const what = PRINT_KINDS[job.kind] ?? job.kind;
      const a = await this.raise({
        kind: 'print-failed',
        // The job id is this terminal's (its own SQLite file): on a shared store the key names the terminal too.
        sourceKey: `print:${this.#terminal}:${job.id}`,
        topic: `print:${this.#terminal}:${job.id}`,
        message: `${what}打印失败${displayNo ? `（${displayNo}）` : ''}：${job.error_message ?? job.error_code ?? '原因不明'}`,
        details: { jobId: job.id, printKind: job.kind, displayNo, code: job.error_code },
      });
      if (a) raised++;
    }
    return raised;
  }

  async scanOverdueCases(): Promise<number> {
    const cases = (await this.#sources.overdueCases?.()) ?? [];
    const day = this.#day(this.#clock());
    let raised = 0;
    for (const c of cases) {
      const evaluationId = c.evaluationId;
      const counterNo =
        (await this.#hall.read(() => get<{ counter_no: number | null }>('SELECT counter_no FROM evaluations WHERE id = ?', evaluationId)))?.counter_no ?? null;
      const what = c.overdue.includes('contact') ? '回访' : '整改反馈';
      const a = await this.raise({
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

  async #react(e: HallEvent): Promise<void> {
    const p = e.payload;
    if (e.type === 'assistance.requested') {
      const screen = String(p.screen ?? '');
      const terminal = String(p.terminal ?? '');
      const where = assistanceScreenName(screen);
      // One open alert per kiosk: asking again before a clerk acknowledged joins it (with a count).
      await this.#raise(
        {
          kind: 'assistance',
          sourceKey: `event:${e.id}`,
          topic: `assistance:${terminal}`,
          message: `自助终端请求协助（${where}）`,
          details: { eventId: e.id, terminal, screen, requests: 1 },
        },
        (details) => {
          const counted = Number(details.lastEventId ?? details.eventId ?? 0);
          if (e.id <= counted) return null;
          const requests = (typeof details.requests === 'number' ? details.requests : 1) + 1;
          return { details: { ...details, requests, lastEventId: e.id }, message: `自助终端请求协助（${where}，已呼叫 ${requests} 次）` };
        },
      );
    } else if (e.type === 'ticket.print' && p.printState === 'failed') {
      await this.scanPrintJobs();
    } else if (e.type === 'device.status') {
      const device = String(p.device ?? '');
      const name = DEVICE_NAMES[device] ?? device;
      if (p.state === 'fault' || p.state === 'disconnected') {
        await this.raise({
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
        await this.raise({
          kind: 'paper-low',
          sourceKey: `event:${e.id}:paper`,
          topic: `paper:${device}`,
          message: `${name}：${paper.message ?? '打印纸将用完'}，请及时更换`,
          details: { device, code: paper.code ?? null },
        });
      }
    }
  }

  /**
   * The event that tells displays and workstations to look (after the alert row committed; the
   * row is the record, so a doorbell that cannot be written — disk full — loses nothing).
   */
  #doorbell(type: string, payload: Record<string, unknown>, counterNo: number | null): void {
    this.#engine.recordEvent(type, payload, counterNo).catch(() => undefined);
  }

  /**
   * An alert that cannot be written (disk full, the store unreachable) must not take the event
   * loop down; the condition is raised again by the next scan or event.
   */
  #track(work: Promise<unknown>): void {
    const p = work.catch(() => undefined).finally(() => this.#pending.delete(p));
    this.#pending.add(p);
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
      overdueCases: () => ev.overdueCases(),
      onAssistanceAcknowledged: (a) => kiosk.events.emit('assistance', { state: 'acknowledged', alertId: a.id, at: a.acknowledged?.at ?? kiosk.clock() }),
    });
    registry.set(kiosk, alerts);
    alerts.start();
  }
  return alerts;
}
