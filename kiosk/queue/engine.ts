import { EventEmitter } from 'node:events';
import type { KioskConfig, ServiceConfig } from '../../config/schema.ts';
import { type Clock, systemClock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import { type Db, writeTx } from '../store/database.ts';
import { HallDay } from '../store/unit-of-work.ts';
import type { Statement } from 'better-sqlite3';
import { type Actor, HALL_ACTOR, requireTicketInScope } from './counter-scope.ts';
import { formatDisplayNo, Numbering } from './numbering.ts';
import { pickNext, type Candidate } from './ordering.ts';
import { isPriorityRow, PriorityRule } from './priority.ts';
import type { CounterRow, TicketRow } from './ticket-rows.ts';
import { QueueReader } from './reader.ts';
import { ACTIVE_AT_COUNTER } from './types.ts';
import type { HallEvent, IssueRequest, IssueResult, PrintState, TicketStatus, TicketView } from './types.ts';
import { ServiceTimes } from './wait-estimate.ts';
import { WaitingIndex } from './waiting-index.ts';
import { queueDayCloser } from './day-close.ts';

type EngineEvents = { event: [HallEvent] };
type CandidateRow = Pick<TicketRow, 'id' | 'sort_at' | 'priority_reason' | 'appointment_id'>;
type CandidateQuery = Statement<unknown[], CandidateRow>;
const MINUTE_MS = 60_000;

/**
 * The queue engine: issues numbers, runs counter operations and keeps every change as an event
 * row. Each public write is one transaction of the hall's unit of work (store/unit-of-work.ts:
 * committed with fsync before it returns, events published only after the commit, the business
 * day rolled over first), so whatever the caller shows or prints is already durable.
 */
export class QueueEngine extends EventEmitter<EngineEvents> {
  readonly config: KioskConfig;
  readonly reader: QueueReader;
  /** 绿色通道 (priority.ts): eligibility, boost and streak. */
  readonly priority: PriorityRule;
  /** The hall's unit of work: transactions, business day, business clock, event log. */
  readonly unit: HallDay;
  #db: Db;
  #numbering: Numbering;
  #services: Map<string, ServiceConfig>;
  #times: ServiceTimes;
  #waiting = new WaitingIndex();
  #updates = new Map<string, ReturnType<Db['prepare']>>();
  #candidateQueries = new Map<number, { services: readonly string[]; assigned: CandidateQuery; best: CandidateQuery; bestNormal: CandidateQuery }>();
  #stmts;

  /**
   * `unit` defaults to a HallDay on the same database that closes days with queue/day-close.ts;
   * the composition root passes its own. The engine attaches its in-memory hooks to it (reader
   * version, waiting index, service times).
   */
  constructor(db: Db, config: KioskConfig, clock: Clock = systemClock, unit?: HallDay) {
    super();
    this.setMaxListeners(0);
    this.config = config;
    this.#db = db;
    this.priority = new PriorityRule(config);
    this.#numbering = new Numbering(db);
    this.#services = new Map(config.services.map((s) => [s.code, s]));
    this.#times = new ServiceTimes(new Map(config.services.map((s) => [s.code, s.averageServiceMinutes])), config.queue.waitEstimateWindow);
    this.#stmts = {
      insertTicket: db.prepare(
        `INSERT INTO tickets (day, service_code, number, display_no, status, priority_reason, identity_hash,
           appointment_id, request_id, channel, issued_at, sort_at, original_service)
         VALUES (@day, @service_code, @number, @display_no, 'waiting', @priority_reason, @identity_hash,
           @appointment_id, @request_id, @channel, @issued_at, @sort_at, @service_code)`,
      ),
      byRequest: db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE request_id = ?'),
      byIdentity: db.prepare<[string, string, string], TicketRow>(
        `SELECT * FROM tickets WHERE day = ? AND identity_hash = ? AND service_code = ?
           AND status IN ('waiting','called','recalled','serving','suspended') ORDER BY id LIMIT 1`,
      ),
      countIssued: db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM tickets WHERE day = ? AND original_service = ?'),
      ticket: db.prepare<[number], TicketRow>('SELECT * FROM tickets WHERE id = ?'),
      counter: db.prepare<[number], CounterRow>('SELECT * FROM counters WHERE number = ?'),
      setCounter: db.prepare<[string, number | null, number, number, number]>(
        'UPDATE counters SET state = ?, current_ticket_id = ?, priority_streak = ?, updated_at = ? WHERE number = ?',
      ),
    };
    // The reader exists before the day is opened: rolling a stale day over at start-up writes events.
    this.reader = new QueueReader(db, config, this.#times, () => this.unit.day, this.#waiting);
    const hooks = {
      appended: (e: HallEvent) => this.reader.bump(e.id, e.type),
      dayOpened: (day: string) => {
        this.#reloadWaiting(day);
        this.#times.reset();
      },
      rolledBack: (day: string) => this.#reloadWaiting(day),
    };
    const upsert = db.prepare('INSERT INTO counters (number, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (number) DO NOTHING');
    writeTx(db, () => {
      for (const c of config.counters) upsert.run(c.number, 'closed', Math.floor(clock()));
    });
    this.unit = unit ?? new HallDay(db, config, clock, { closeDay: queueDayCloser(db, config), ...hooks });
    if (unit) unit.attach(hooks);
    this.unit.on('event', (e) => this.emit('event', e));
    this.#reloadWaiting(this.unit.day);
    this.#loadServiceTimes();
  }

  get day(): string {
    return this.unit.day;
  }

  /** Roll the business day over if the reset time has passed; call it from a timer too. */
  tick(): void {
    this.unit.tick();
  }

  // ---------------------------------------------------------------- issuing

  issue(request: IssueRequest): IssueResult {
    const service = this.#service(request.serviceCode);
    return this.unit.write((now, day) => {
      if (request.requestId) {
        const same = this.#stmts.byRequest.get(request.requestId);
        if (same) return { ticket: this.reader.view(same), existing: true, replayed: true };
      }
      if (request.identity) {
        const held = this.#stmts.byIdentity.get(day, request.identity.hash, service.code);
        if (held) return { ticket: this.reader.view(held), existing: true };
      }
      if (service.dailyCap !== null) {
        const issued = this.#stmts.countIssued.get(day, service.code)?.n ?? 0;
        if (issued >= service.dailyCap) throw new KioskError('QUEUE_DAILY_CAP', { serviceCode: service.code, cap: service.dailyCap });
      }
      const { reason } = this.priority.decide(service, { declared: request.priorityReason, birthDate: request.identity?.birthDate }, day);
      const sortAt = this.priority.sortAt(now, reason);
      const row = this.#insertTicket(service, day, now, sortAt, {
        priority_reason: reason,
        identity_hash: request.identity?.hash ?? null,
        appointment_id: null,
        request_id: request.requestId ?? null,
        channel: request.channel ?? 'kiosk',
      });
      return { ticket: this.reader.view(row), existing: false };
    });
  }

  /** Used by appointment check-in: runs inside its caller's transaction. */
  insertAppointmentTicket(serviceCode: string, identityHash: string, appointmentId: number, sortAt: number, now: number, day: string): TicketRow {
    return this.#insertTicket(this.#service(serviceCode), day, now, sortAt, {
      priority_reason: null,
      identity_hash: identityHash,
      appointment_id: appointmentId,
      request_id: null,
      channel: 'appointment',
    });
  }

  #insertTicket(
    service: ServiceConfig,
    day: string,
    now: number,
    sortAt: number,
    extra: Pick<TicketRow, 'priority_reason' | 'identity_hash' | 'appointment_id' | 'request_id' | 'channel'>,
  ): TicketRow {
    const number = this.#numbering.next(day, service.code, service.numberRange.from);
    const displayNo = formatDisplayNo(service.prefix, number, service.numberRange.to);
    const fields = { day, service_code: service.code, number, display_no: displayNo, issued_at: now, sort_at: sortAt, ...extra };
    const info = this.#stmts.insertTicket.run(fields);
    // The row as just inserted (column defaults spelled out), without reading it back.
    const row: TicketRow = {
      ...fields,
      id: Number(info.lastInsertRowid),
      status: 'waiting',
      assigned_counter: null,
      counter_no: null,
      called_at: null,
      serving_at: null,
      done_at: null,
      recall_count: 0,
      requeue_count: 0,
      original_service: service.code,
      print_state: 'none',
    };
    this.#waiting.set(row.id, service.code, sortAt);
    this.#event(now, day, 'ticket.issued', row.id, null, {
      displayNo,
      serviceCode: service.code,
      priority: isPriorityRow(row),
    });
    return row;
  }

  // ---------------------------------------------------------------- counters

  openCounter(counterNo: number): void {
    this.#counterState(counterNo, ['closed'], 'open', 'counter.opened');
  }

  closeCounter(counterNo: number): void {
    this.#counterState(counterNo, ['open', 'paused'], 'closed', 'counter.closed');
  }

  pauseCounter(counterNo: number): void {
    this.#counterState(counterNo, ['open'], 'paused', 'counter.paused');
  }

  resumeCounter(counterNo: number): void {
    this.#counterState(counterNo, ['paused'], 'open', 'counter.resumed');
  }

  #counterState(counterNo: number, from: readonly CounterRow['state'][], to: CounterRow['state'], type: string): void {
    this.unit.write((now, day) => {
      const counter = this.#counter(counterNo);
      if (!from.includes(counter.state)) {
        throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { counterNo, currentState: counter.state, requested: to });
      }
      if (to !== 'open') this.#requireIdle(counter);
      this.#stmts.setCounter.run(to, null, counter.priority_streak, now, counterNo);
      this.#event(now, day, type, null, counterNo, { state: to });
    });
  }

  callNext(counterNo: number): TicketView {
    return this.unit.write((now, day) => {
      const counter = this.#counter(counterNo);
      if (counter.state !== 'open') throw new KioskError('QUEUE_COUNTER_NOT_OPEN', { counterNo, currentState: counter.state });
      this.#requireIdle(counter);
      const next = pickNext(this.#candidates(counterNo, day), counter.priority_streak, this.priority.maxConsecutive);
      if (!next) throw new KioskError('QUEUE_NOTHING_WAITING', { counterNo });
      const streak = this.priority.nextStreak(counter.priority_streak, next.priority);
      this.#setTicket(next.id, { status: 'called', counter_no: counterNo, called_at: now, assigned_counter: null });
      this.#stmts.setCounter.run('open', next.id, streak, now, counterNo);
      const row = this.#stmts.ticket.get(next.id) as TicketRow;
      this.#ticketEvent(now, day, 'ticket.called', row, counterNo, { waitedSeconds: Math.round((now - row.issued_at) / 1000) });
      return this.reader.view(row);
    });
  }

  recall(counterNo: number): TicketView {
    return this.#current(counterNo, ['called', 'recalled'], (row, now, day) => {
      if (row.recall_count >= this.config.queue.recallLimit) {
        throw new KioskError('QUEUE_RECALL_LIMIT', { ticketId: row.id, recallCount: row.recall_count });
      }
      this.#setTicket(row.id, { status: 'recalled', recall_count: row.recall_count + 1 });
      return this.#after(row.id, now, day, 'ticket.recalled', counterNo, { recallCount: row.recall_count + 1 });
    });
  }

  startService(counterNo: number): TicketView {
    return this.#current(counterNo, ['called', 'recalled'], (row, now, day) => {
      this.#setTicket(row.id, { status: 'serving', serving_at: now });
      return this.#after(row.id, now, day, 'ticket.serving', counterNo, {});
    });
  }

  complete(counterNo: number): TicketView {
    return this.#current(counterNo, ['called', 'recalled', 'serving'], (row, now, day) => {
      const started = row.serving_at ?? row.called_at ?? now;
      this.#setTicket(row.id, { status: 'done', done_at: now, serving_at: started });
      this.#releaseCounter(counterNo, now);
      const minutes = (now - started) / MINUTE_MS;
      this.#times.record(row.service_code, minutes);
      return this.#after(row.id, now, day, 'ticket.done', counterNo, { serviceSeconds: Math.round((now - started) / 1000) });
    });
  }

  noShow(counterNo: number): TicketView {
    return this.#current(counterNo, ['called', 'recalled'], (row, now, day) => {
      this.#setTicket(row.id, { status: 'no-show' });
      this.#releaseCounter(counterNo, now);
      return this.#after(row.id, now, day, 'ticket.no-show', counterNo, {});
    });
  }

  /** Send the counter's current ticket to another service and/or counter, keeping its place. */
  transfer(counterNo: number, target: { serviceCode?: string | undefined; counterNo?: number | undefined }): TicketView {
    return this.#current(counterNo, ['called', 'recalled', 'serving'], (row, now, day) => {
      const serviceCode = target.serviceCode ?? row.service_code;
      this.#service(serviceCode);
      if (target.counterNo !== undefined) {
        const dest = this.reader.counterConfig(target.counterNo);
        if (!dest.services.includes(serviceCode)) {
          throw new KioskError('QUEUE_SERVICE_NOT_AT_COUNTER', { counterNo: target.counterNo, serviceCode });
        }
      }
      this.#setTicket(row.id, {
        status: 'waiting',
        service_code: serviceCode,
        assigned_counter: target.counterNo ?? null,
        counter_no: null,
      });
      this.#releaseCounter(counterNo, now);
      return this.#after(row.id, now, day, 'ticket.transferred', counterNo, {
        fromService: row.service_code,
        toService: serviceCode,
        toCounter: target.counterNo ?? null,
      });
    });
  }

  /** 挂起: the citizen steps away (e.g. to fetch a document); the ticket waits for this counter. */
  suspend(counterNo: number): TicketView {
    return this.#current(counterNo, ['called', 'recalled', 'serving'], (row, now, day) => {
      this.#setTicket(row.id, { status: 'suspended', assigned_counter: counterNo });
      this.#releaseCounter(counterNo, now);
      return this.#after(row.id, now, day, 'ticket.suspended', counterNo, {});
    });
  }

  /** A suspended ticket returns to waiting, first in line at the counter that suspended it. */
  resumeSuspended(ticketId: number, actor: Actor = HALL_ACTOR): TicketView {
    return this.#ticketOp(ticketId, actor, ['suspended'], (row, now, day) => {
      this.#setTicket(row.id, { status: 'waiting', counter_no: null });
      return this.#after(row.id, now, day, 'ticket.resumed', row.assigned_counter, {});
    });
  }

  /** A 过号 ticket returns to the back of the queue, at most `noShowRequeueLimit` times. */
  requeue(ticketId: number, actor: Actor = HALL_ACTOR): TicketView {
    return this.#ticketOp(ticketId, actor, ['no-show'], (row, now, day) => {
      if (row.requeue_count >= this.config.queue.noShowRequeueLimit) {
        throw new KioskError('QUEUE_REQUEUE_LIMIT', { ticketId, requeueCount: row.requeue_count });
      }
      this.#setTicket(row.id, { status: 'waiting', requeue_count: row.requeue_count + 1, sort_at: now, counter_no: null });
      return this.#after(row.id, now, day, 'ticket.requeued', null, {});
    });
  }

  cancel(ticketId: number, actor: Actor = HALL_ACTOR): TicketView {
    return this.#ticketOp(ticketId, actor, ['waiting', 'suspended'], (row, now, day) => {
      this.#setTicket(row.id, { status: 'cancelled' });
      return this.#after(row.id, now, day, 'ticket.cancelled', null, {});
    });
  }

  /** Once a ticket has been printed it stays printed: a failed reprint does not unprint it. */
  setPrintState(ticketId: number, state: PrintState): void {
    this.unit.write((now, day) => {
      const row = this.#ticket(ticketId);
      if (row.print_state === state || row.print_state === 'printed') return;
      this.#setTicket(ticketId, { print_state: state });
      this.#event(now, day, 'ticket.print', ticketId, null, { displayNo: row.display_no, printState: state });
    });
  }

  /** Append a non-ticket event (device status, assistance request...) to the hall's event log. */
  recordEvent(type: string, payload: Record<string, unknown>, counterNo: number | null = null): HallEvent {
    return this.unit.write((now, day) => this.#event(now, day, type, null, counterNo, payload));
  }

  // ---------------------------------------------------------------- internals

  #current(counterNo: number, allowed: readonly TicketStatus[], fn: (row: TicketRow, now: number, day: string) => TicketView): TicketView {
    return this.unit.write((now, day) => {
      const counter = this.#counter(counterNo);
      const row = counter.current_ticket_id === null ? undefined : this.#stmts.ticket.get(counter.current_ticket_id);
      if (!row || !ACTIVE_AT_COUNTER.has(row.status)) {
        throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { counterNo, currentState: 'idle', reason: '窗口当前没有在办的号' });
      }
      if (!allowed.includes(row.status)) {
        throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { ticketId: row.id, currentState: row.status });
      }
      return fn(row, now, day);
    });
  }

  /**
   * An operation on a ticket by id (not a counter's current one): `actor` must have it in scope
   * (counter-scope.ts), checked on the row inside the transaction, before its state.
   */
  #ticketOp(ticketId: number, actor: Actor, allowed: readonly TicketStatus[], fn: (row: TicketRow, now: number, day: string) => TicketView): TicketView {
    return this.unit.write((now, day) => {
      const row = this.#ticket(ticketId);
      requireTicketInScope(actor, row, (n) => this.reader.counterConfig(n).services);
      if (row.day !== day) throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { ticketId, currentState: row.status, reason: '不是今天的号' });
      if (!allowed.includes(row.status)) throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { ticketId, currentState: row.status });
      return fn(row, now, day);
    });
  }

  #after(ticketId: number, now: number, day: string, type: string, counterNo: number | null, extra: Record<string, unknown>): TicketView {
    const row = this.#stmts.ticket.get(ticketId) as TicketRow;
    this.#ticketEvent(now, day, type, row, counterNo, extra);
    return this.reader.view(row);
  }

  #setTicket(id: number, fields: Partial<TicketRow>): void {
    const keys = Object.keys(fields);
    const sql = `UPDATE tickets SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`;
    let stmt = this.#updates.get(sql);
    if (!stmt) this.#updates.set(sql, (stmt = this.#db.prepare(sql)));
    stmt.run({ ...fields, id });
    if ('status' in fields || 'service_code' in fields || 'sort_at' in fields) {
      const r = this.#stmts.ticket.get(id) as TicketRow;
      this.#waiting.set(id, r.status === 'waiting' && r.day === this.unit.day ? r.service_code : null, r.sort_at);
    }
  }

  /** Rebuild the waiting index from committed rows (start-up, new day, after a rollback). */
  #reloadWaiting(day: string): void {
    this.#waiting.load(
      this.#db.prepare("SELECT id, service_code, sort_at FROM tickets WHERE day = ? AND status = 'waiting'").all(day) as {
        id: number;
        service_code: string;
        sort_at: number;
      }[],
    );
  }

  /**
   * The few tickets that can be next at a counter, each found by an indexed ORDER BY … LIMIT 1:
   * the oldest ticket assigned to this counter, the best by sort time among its services, and the
   * best normal ticket (for the starvation guard). `pickNext` chooses among them.
   */
  #candidates(counterNo: number, day: string): Candidate[] {
    let q = this.#candidateQueries.get(counterNo);
    if (!q) {
      const services = this.reader.counterConfig(counterNo).services;
      const inList = services.map(() => '?').join(', ');
      const base = `SELECT id, sort_at, priority_reason, appointment_id FROM tickets
        WHERE day = ? AND status = 'waiting' AND assigned_counter IS NULL AND service_code IN (${inList})`;
      q = {
        services,
        assigned: this.#db.prepare<unknown[], CandidateRow>(
          `SELECT id, sort_at, priority_reason, appointment_id FROM tickets
           WHERE day = ? AND status = 'waiting' AND assigned_counter = ? ORDER BY sort_at, id LIMIT 1`,
        ),
        best: this.#db.prepare<unknown[], CandidateRow>(`${base} ORDER BY sort_at, id LIMIT 1`),
        bestNormal: this.#db.prepare<unknown[], CandidateRow>(`${base} AND priority_reason IS NULL AND appointment_id IS NULL ORDER BY sort_at, id LIMIT 1`),
      };
      this.#candidateQueries.set(counterNo, q);
    }
    const out: Candidate[] = [];
    const add = (row: CandidateRow | undefined, assignedHere: boolean) => {
      if (row) out.push({ id: row.id, sortAt: row.sort_at, priority: isPriorityRow(row), assignedHere });
    };
    add(q.assigned.get(day, counterNo), true);
    add(q.best.get(day, ...q.services), false);
    add(q.bestNormal.get(day, ...q.services), false);
    return out;
  }

  #releaseCounter(counterNo: number, now: number): void {
    const counter = this.#counter(counterNo);
    this.#stmts.setCounter.run(counter.state, null, counter.priority_streak, now, counterNo);
  }

  #requireIdle(counter: CounterRow): void {
    if (counter.current_ticket_id === null) return;
    const row = this.#stmts.ticket.get(counter.current_ticket_id);
    if (row && ACTIVE_AT_COUNTER.has(row.status)) {
      throw new KioskError('QUEUE_COUNTER_BUSY', { counterNo: counter.number, ticketId: row.id, displayNo: row.display_no, currentState: row.status });
    }
  }

  #ticketEvent(now: number, day: string, type: string, row: TicketRow, counterNo: number | null, extra: Record<string, unknown>): void {
    this.#event(now, day, type, row.id, counterNo, {
      displayNo: row.display_no,
      serviceCode: row.service_code,
      status: row.status,
      ...extra,
    });
  }

  #event(now: number, day: string, type: string, ticketId: number | null, counterNo: number | null, payload: Record<string, unknown>): HallEvent {
    return this.unit.append(now, day, type, ticketId, counterNo, payload);
  }

  #service(code: string): ServiceConfig {
    const s = this.#services.get(code);
    if (!s) throw new KioskError('QUEUE_UNKNOWN_SERVICE', { serviceCode: code });
    return s;
  }

  #counter(counterNo: number): CounterRow {
    this.reader.counterConfig(counterNo);
    return this.#stmts.counter.get(counterNo) as CounterRow;
  }

  #ticket(ticketId: number): TicketRow {
    const row = this.#stmts.ticket.get(ticketId);
    if (!row) throw new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId });
    return row;
  }

  #loadServiceTimes(): void {
    const rows = this.#db
      .prepare(
        `SELECT service_code, (done_at - serving_at) AS ms FROM tickets
         WHERE day = ? AND status = 'done' AND serving_at IS NOT NULL ORDER BY done_at DESC LIMIT ?`,
      )
      .all(this.unit.day, this.config.queue.waitEstimateWindow * this.config.services.length) as { service_code: string; ms: number }[];
    for (const r of rows.reverse()) this.#times.record(r.service_code, r.ms / MINUTE_MS);
  }
}
