import { EventEmitter } from 'node:events';
import type { KioskConfig, ServiceConfig } from '../../config/schema.ts';
import { type Clock, systemClock } from '../clock.ts';
import { KioskError } from '../errors.ts';
import { type Db, SqliteRunner } from '../store/database.ts';
import { all, get, run, type Runner, type Tx } from '../store/sql.ts';
import { HallDay } from '../store/unit-of-work.ts';
import { type Actor, HALL_ACTOR, requireTicketInScope } from './counter-scope.ts';
import { formatDisplayNo, nextNumber } from './numbering.ts';
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
const MINUTE_MS = 60_000;
const TICKET = 'SELECT * FROM tickets WHERE id = ?';
const COUNTER = 'SELECT * FROM counters WHERE number = ?';
const SET_COUNTER = 'UPDATE counters SET state = ?, current_ticket_id = ?, priority_streak = ?, updated_at = ? WHERE number = ?';
const INSERT_TICKET = `INSERT INTO tickets (day, service_code, number, display_no, status, priority_reason, identity_hash,
    appointment_id, request_id, channel, issued_at, sort_at, original_service)
  VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`;
/** Ticket events that change who waits where (the waiting index must be rebuilt when another daemon commits one). */
/** Past this many moved tickets a full reload of the waiting list is the cheaper query. */
const MAX_MOVED_ELSEWHERE = 200;
const MOVES_WAITING = /^ticket\.(issued|called|transferred|suspended|resumed|requeued|cancelled)$|^day\./;

/**
 * The queue engine: issues numbers, runs counter operations and keeps every change as an event
 * row. Each public write is one transaction of the hall's unit of work (store/unit-of-work.ts:
 * committed durably before its promise settles, events published only after the commit, the
 * business day rolled over first), so whatever the caller shows or prints is already durable.
 * Each operation is a transaction body (store/sql.ts), so the same rule runs on SQLite and on
 * PostgreSQL.
 */
export class QueueEngine extends EventEmitter<EngineEvents> {
  readonly config: KioskConfig;
  readonly reader: QueueReader;
  /** 绿色通道 (priority.ts): eligibility, boost and streak. */
  readonly priority: PriorityRule;
  /** The hall's unit of work: transactions, business day, business clock, event log. */
  readonly unit: HallDay;
  #clock: Clock;
  #services: Map<string, ServiceConfig>;
  #times: ServiceTimes;
  #waiting = new WaitingIndex();
  /** The waiting index no longer matches committed rows (rollback, new day, another daemon's change). */
  #waitingStale = true;
  /** Shared store: tickets other daemons' events moved since the index was last brought up to date. */
  #movedElsewhere = new Set<number>();

  /**
   * `unit` defaults to a HallDay on the same store that closes days with queue/day-close.ts; the
   * composition root passes its own. The engine attaches its in-memory hooks to it (reader
   * version, waiting index, service times). On SQLite the engine is ready at once; on any other
   * store call `await open()` first.
   */
  constructor(store: Db | Runner, config: KioskConfig, clock: Clock = systemClock, unit?: HallDay) {
    super();
    this.setMaxListeners(0);
    this.config = config;
    this.#clock = clock;
    this.priority = new PriorityRule(config);
    this.#services = new Map(config.services.map((s) => [s.code, s]));
    this.#times = new ServiceTimes(new Map(config.services.map((s) => [s.code, s.averageServiceMinutes])), config.queue.waitEstimateWindow);
    // The reader exists before the day is opened: rolling a stale day over at start-up writes events.
    const runner = unit?.runner ?? store;
    const onSqlite = runner instanceof SqliteRunner || 'prepare' in runner;
    this.reader = new QueueReader(config, this.#times, () => this.unit.day, this.#waiting, {
      read: (body) => this.unit.read(body),
      fresh: () => this.#freshTx(),
      shared: !onSqlite && runner.shared,
    });
    const hooks = {
      appended: (e: HallEvent) => this.reader.bump(e.id, e.type),
      observed: (e: HallEvent) => this.#observe(e),
      dayOpened: () => {
        this.#waitingStale = true;
        this.#times.reset();
      },
      rolledBack: () => {
        this.#waitingStale = true;
      },
    };
    this.unit = unit ?? new HallDay(store, config, clock, { closeDay: queueDayCloser(config), ...hooks });
    if (unit) unit.attach(hooks);
    this.unit.on('event', (e) => this.emit('event', e));
    if (this.unit.runner instanceof SqliteRunner) this.unit.runner.transactionSync(() => this.#openTx());
  }

  /** Readies the engine on a store that is not SQLite's (PostgreSQL): opens the day, adds counters. */
  async open(): Promise<void> {
    if (this.unit.runner instanceof SqliteRunner) return;
    await this.unit.open();
    await this.unit.transact(() => this.#openTx());
  }

  get day(): string {
    return this.unit.day;
  }

  /** Roll the business day over if the reset time has passed; call it from a timer too. */
  tick(): Promise<void> {
    return this.unit.tick();
  }

  /**
   * A shared store (PostgreSQL): learn the events other daemons committed, so that `reader.version`
   * is the hall's and an ETag made from it names what a read now shows. Nothing to do on SQLite.
   */
  async catchUp(): Promise<void> {
    if (this.unit.runner.shared) await this.unit.read(function* () {});
  }

  // ---------------------------------------------------------------- issuing

  issue(request: IssueRequest): Promise<IssueResult> {
    const service = this.#service(request.serviceCode);
    return this.unit.transact((now, day) => this.#issueTx(service, request, now, day));
  }

  *#issueTx(service: ServiceConfig, request: IssueRequest, now: number, day: string): Tx<IssueResult> {
    if (request.requestId) {
      const same = yield* get<TicketRow>('SELECT * FROM tickets WHERE request_id = ?', request.requestId);
      if (same) return { ticket: yield* this.reader.viewTx(same), existing: true, replayed: true };
    }
    if (request.identity) {
      const held = yield* get<TicketRow>(
        `SELECT * FROM tickets WHERE day = ? AND identity_hash = ? AND service_code = ?
           AND status IN ('waiting','called','recalled','serving','suspended') ORDER BY id LIMIT 1`,
        day,
        request.identity.hash,
        service.code,
      );
      if (held) return { ticket: yield* this.reader.viewTx(held), existing: true };
    }
    if (service.dailyCap !== null) {
      const issued = yield* get<{ n: number }>('SELECT COUNT(*) AS n FROM tickets WHERE day = ? AND original_service = ?', day, service.code);
      if (Number(issued?.n ?? 0) >= service.dailyCap) throw new KioskError('QUEUE_DAILY_CAP', { serviceCode: service.code, cap: service.dailyCap });
    }
    const { reason } = this.priority.decide(service, { declared: request.priorityReason, birthDate: request.identity?.birthDate }, day);
    const sortAt = this.priority.sortAt(now, reason);
    const row = yield* this.#insertTicket(service, day, now, sortAt, {
      priority_reason: reason,
      identity_hash: request.identity?.hash ?? null,
      appointment_id: null,
      request_id: request.requestId ?? null,
      channel: request.channel ?? 'kiosk',
    });
    return { ticket: yield* this.reader.viewTx(row), existing: false };
  }

  /** Used by appointment check-in: part of its caller's transaction body. */
  *insertAppointmentTicket(serviceCode: string, identityHash: string, appointmentId: number, sortAt: number, now: number, day: string): Tx<TicketRow> {
    return yield* this.#insertTicket(this.#service(serviceCode), day, now, sortAt, {
      priority_reason: null,
      identity_hash: identityHash,
      appointment_id: appointmentId,
      request_id: null,
      channel: 'appointment',
    });
  }

  *#insertTicket(
    service: ServiceConfig,
    day: string,
    now: number,
    sortAt: number,
    extra: Pick<TicketRow, 'priority_reason' | 'identity_hash' | 'appointment_id' | 'request_id' | 'channel'>,
  ): Tx<TicketRow> {
    yield* this.#freshTx();
    const number = yield* nextNumber(day, service.code, service.numberRange.from);
    const displayNo = formatDisplayNo(service.prefix, number, service.numberRange.to);
    const inserted = yield* get<{ id: number }>(
      INSERT_TICKET,
      day,
      service.code,
      number,
      displayNo,
      extra.priority_reason,
      extra.identity_hash,
      extra.appointment_id,
      extra.request_id,
      extra.channel,
      now,
      sortAt,
      service.code,
    );
    // The row as just inserted (column defaults spelled out), without reading it back.
    const row: TicketRow = {
      day,
      service_code: service.code,
      number,
      display_no: displayNo,
      issued_at: now,
      sort_at: sortAt,
      ...extra,
      id: Number(inserted?.id),
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
    yield* this.#event(now, day, 'ticket.issued', row.id, null, {
      displayNo,
      serviceCode: service.code,
      priority: isPriorityRow(row),
    });
    return row;
  }

  // ---------------------------------------------------------------- counters

  openCounter(counterNo: number): Promise<void> {
    return this.#counterState(counterNo, ['closed'], 'open', 'counter.opened');
  }

  closeCounter(counterNo: number): Promise<void> {
    return this.#counterState(counterNo, ['open', 'paused'], 'closed', 'counter.closed');
  }

  pauseCounter(counterNo: number): Promise<void> {
    return this.#counterState(counterNo, ['open'], 'paused', 'counter.paused');
  }

  resumeCounter(counterNo: number): Promise<void> {
    return this.#counterState(counterNo, ['paused'], 'open', 'counter.resumed');
  }

  #counterState(counterNo: number, from: readonly CounterRow['state'][], to: CounterRow['state'], type: string): Promise<void> {
    const self = this;
    return this.unit.transact(function* (now, day) {
      const counter = yield* self.#counter(counterNo);
      if (!from.includes(counter.state)) {
        throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { counterNo, currentState: counter.state, requested: to });
      }
      if (to !== 'open') yield* self.#requireIdle(counter);
      yield* run(SET_COUNTER, to, null, counter.priority_streak, now, counterNo);
      yield* self.#event(now, day, type, null, counterNo, { state: to });
    });
  }

  callNext(counterNo: number): Promise<TicketView> {
    const self = this;
    return this.unit.transact(function* (now, day) {
      const counter = yield* self.#counter(counterNo);
      if (counter.state !== 'open') throw new KioskError('QUEUE_COUNTER_NOT_OPEN', { counterNo, currentState: counter.state });
      yield* self.#requireIdle(counter);
      const next = pickNext(yield* self.#candidates(counterNo, day), counter.priority_streak, self.priority.maxConsecutive);
      if (!next) throw new KioskError('QUEUE_NOTHING_WAITING', { counterNo });
      const streak = self.priority.nextStreak(counter.priority_streak, next.priority);
      yield* self.#setTicket(next.id, { status: 'called', counter_no: counterNo, called_at: now, assigned_counter: null });
      yield* run(SET_COUNTER, 'open', next.id, streak, now, counterNo);
      const row = (yield* get<TicketRow>(TICKET, next.id)) as TicketRow;
      yield* self.#ticketEvent(now, day, 'ticket.called', row, counterNo, { waitedSeconds: Math.round((now - row.issued_at) / 1000) });
      return yield* self.reader.viewTx(row);
    });
  }

  recall(counterNo: number): Promise<TicketView> {
    const self = this;
    return this.#current(counterNo, ['called', 'recalled'], function* (row, now, day) {
      if (row.recall_count >= self.config.queue.recallLimit) {
        throw new KioskError('QUEUE_RECALL_LIMIT', { ticketId: row.id, recallCount: row.recall_count });
      }
      yield* self.#setTicket(row.id, { status: 'recalled', recall_count: row.recall_count + 1 });
      return yield* self.#after(row.id, now, day, 'ticket.recalled', counterNo, { recallCount: row.recall_count + 1 });
    });
  }

  startService(counterNo: number): Promise<TicketView> {
    const self = this;
    return this.#current(counterNo, ['called', 'recalled'], function* (row, now, day) {
      yield* self.#setTicket(row.id, { status: 'serving', serving_at: now });
      return yield* self.#after(row.id, now, day, 'ticket.serving', counterNo, {});
    });
  }

  complete(counterNo: number): Promise<TicketView> {
    const self = this;
    return this.#current(counterNo, ['called', 'recalled', 'serving'], function* (row, now, day) {
      const started = row.serving_at ?? row.called_at ?? now;
      yield* self.#setTicket(row.id, { status: 'done', done_at: now, serving_at: started });
      yield* self.#releaseCounter(counterNo, now);
      self.#times.record(row.service_code, (now - started) / MINUTE_MS);
      return yield* self.#after(row.id, now, day, 'ticket.done', counterNo, { serviceSeconds: Math.round((now - started) / 1000) });
    });
  }

  noShow(counterNo: number): Promise<TicketView> {
    const self = this;
    return this.#current(counterNo, ['called', 'recalled'], function* (row, now, day) {
      yield* self.#setTicket(row.id, { status: 'no-show' });
      yield* self.#releaseCounter(counterNo, now);
      return yield* self.#after(row.id, now, day, 'ticket.no-show', counterNo, {});
    });
  }

  /** Send the counter's current ticket to another service and/or counter, keeping its place. */
  transfer(counterNo: number, target: { serviceCode?: string | undefined; counterNo?: number | undefined }): Promise<TicketView> {
    const self = this;
    return this.#current(counterNo, ['called', 'recalled', 'serving'], function* (row, now, day) {
      const serviceCode = target.serviceCode ?? row.service_code;
      self.#service(serviceCode);
      if (target.counterNo !== undefined) {
        const dest = self.reader.counterConfig(target.counterNo);
        if (!dest.services.includes(serviceCode)) {
          throw new KioskError('QUEUE_SERVICE_NOT_AT_COUNTER', { counterNo: target.counterNo, serviceCode });
        }
      }
      yield* self.#setTicket(row.id, {
        status: 'waiting',
        service_code: serviceCode,
        assigned_counter: target.counterNo ?? null,
        counter_no: null,
      });
      yield* self.#releaseCounter(counterNo, now);
      return yield* self.#after(row.id, now, day, 'ticket.transferred', counterNo, {
        fromService: row.service_code,
        toService: serviceCode,
        toCounter: target.counterNo ?? null,
      });
    });
  }

  /** 挂起: the citizen steps away (e.g. to fetch a document); the ticket waits for this counter. */
  suspend(counterNo: number): Promise<TicketView> {
    const self = this;
    return this.#current(counterNo, ['called', 'recalled', 'serving'], function* (row, now, day) {
      yield* self.#setTicket(row.id, { status: 'suspended', assigned_counter: counterNo });
      yield* self.#releaseCounter(counterNo, now);
      return yield* self.#after(row.id, now, day, 'ticket.suspended', counterNo, {});
    });
  }

  /** A suspended ticket returns to waiting, first in line at the counter that suspended it. */
  resumeSuspended(ticketId: number, actor: Actor = HALL_ACTOR): Promise<TicketView> {
    const self = this;
    return this.#ticketOp(ticketId, actor, ['suspended'], function* (row, now, day) {
      yield* self.#setTicket(row.id, { status: 'waiting', counter_no: null });
      return yield* self.#after(row.id, now, day, 'ticket.resumed', row.assigned_counter, {});
    });
  }

  /** A 过号 ticket returns to the back of the queue, at most `noShowRequeueLimit` times. */
  requeue(ticketId: number, actor: Actor = HALL_ACTOR): Promise<TicketView> {
    const self = this;
    return this.#ticketOp(ticketId, actor, ['no-show'], function* (row, now, day) {
      if (row.requeue_count >= self.config.queue.noShowRequeueLimit) {
        throw new KioskError('QUEUE_REQUEUE_LIMIT', { ticketId, requeueCount: row.requeue_count });
      }
      yield* self.#setTicket(row.id, { status: 'waiting', requeue_count: row.requeue_count + 1, sort_at: now, counter_no: null });
      return yield* self.#after(row.id, now, day, 'ticket.requeued', null, {});
    });
  }

  cancel(ticketId: number, actor: Actor = HALL_ACTOR): Promise<TicketView> {
    const self = this;
    return this.#ticketOp(ticketId, actor, ['waiting', 'suspended'], function* (row, now, day) {
      yield* self.#setTicket(row.id, { status: 'cancelled' });
      return yield* self.#after(row.id, now, day, 'ticket.cancelled', null, {});
    });
  }

  /** Once a ticket has been printed it stays printed: a failed reprint does not unprint it. */
  setPrintState(ticketId: number, state: PrintState): Promise<void> {
    const self = this;
    return this.unit.transact(function* (now, day) {
      const row = yield* self.#ticket(ticketId);
      if (row.print_state === state || row.print_state === 'printed') return;
      yield* self.#setTicket(ticketId, { print_state: state });
      yield* self.#event(now, day, 'ticket.print', ticketId, null, { displayNo: row.display_no, printState: state });
    });
  }

  /** Append a non-ticket event (device status, assistance request...) to the hall's event log. */
  recordEvent(type: string, payload: Record<string, unknown>, counterNo: number | null = null): Promise<HallEvent> {
    return this.unit.transact((now, day) => this.#event(now, day, type, null, counterNo, payload));
  }

  // ---------------------------------------------------------------- internals

  #current(counterNo: number, allowed: readonly TicketStatus[], fn: (row: TicketRow, now: number, day: string) => Tx<TicketView>): Promise<TicketView> {
    const self = this;
    return this.unit.transact(function* (now, day) {
      const counter = yield* self.#counter(counterNo);
      const row = counter.current_ticket_id === null ? undefined : yield* get<TicketRow>(TICKET, counter.current_ticket_id);
      if (!row || !ACTIVE_AT_COUNTER.has(row.status)) {
        throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { counterNo, currentState: 'idle', reason: '窗口当前没有在办的号' });
      }
      if (!allowed.includes(row.status)) {
        throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { ticketId: row.id, currentState: row.status });
      }
      return yield* fn(row, now, day);
    });
  }

  /**
   * An operation on a ticket by id (not a counter's current one): `actor` must have it in scope
   * (counter-scope.ts), checked on the row inside the transaction, before its state.
   */
  #ticketOp(
    ticketId: number,
    actor: Actor,
    allowed: readonly TicketStatus[],
    fn: (row: TicketRow, now: number, day: string) => Tx<TicketView>,
  ): Promise<TicketView> {
    const self = this;
    return this.unit.transact(function* (now, day) {
      const row = yield* self.#ticket(ticketId);
      requireTicketInScope(actor, row, (n) => self.reader.counterConfig(n).services);
      if (row.day !== day) throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { ticketId, currentState: row.status, reason: '不是今天的号' });
      if (!allowed.includes(row.status)) throw new KioskError('QUEUE_ILLEGAL_TRANSITION', { ticketId, currentState: row.status });
      return yield* fn(row, now, day);
    });
  }

  *#after(ticketId: number, now: number, day: string, type: string, counterNo: number | null, extra: Record<string, unknown>): Tx<TicketView> {
    const row = (yield* get<TicketRow>(TICKET, ticketId)) as TicketRow;
    yield* this.#ticketEvent(now, day, type, row, counterNo, extra);
    return yield* this.reader.viewTx(row);
  }

  *#setTicket(id: number, fields: Partial<TicketRow>): Tx<void> {
    const keys = Object.keys(fields) as (keyof TicketRow)[];
    yield* run(`UPDATE tickets SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, ...keys.map((k) => fields[k] as string | number | null), id);
    if ('status' in fields || 'service_code' in fields || 'sort_at' in fields) {
      yield* this.#freshTx();
      const r = (yield* get<TicketRow>(TICKET, id)) as TicketRow;
      this.#waiting.set(id, r.status === 'waiting' && r.day === this.unit.day ? r.service_code : null, r.sort_at);
    }
  }

  /** Rebuilds the waiting index from committed rows when it may be stale (start-up, new day, rollback, another daemon). */
  *#freshTx(): Tx<void> {
    if (this.#waitingStale) {
      const rows = yield* all<{ id: number; service_code: string; sort_at: number }>(
        "SELECT id, service_code, sort_at FROM tickets WHERE day = ? AND status = 'waiting'",
        this.unit.day,
      );
      this.#waiting.load(rows);
      this.#waitingStale = false;
      this.#movedElsewhere.clear();
      return;
    }
    if (this.#movedElsewhere.size === 0) return;
    // Only the tickets other daemons moved: a few rows by primary key, not the day's waiting list.
    const ids = [...this.#movedElsewhere];
    this.#movedElsewhere.clear();
    const rows = yield* all<{ id: number; service_code: string; sort_at: number; status: string }>(
      `SELECT id, service_code, sort_at, status FROM tickets WHERE day = ? AND id IN (${ids.map(() => '?').join(', ')})`,
      this.unit.day,
      ...ids,
    );
    const found = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const r = found.get(id);
      this.#waiting.set(id, r?.status === 'waiting' ? r.service_code : null, r?.sort_at ?? 0);
    }
  }

  /** Another daemon's committed event (shared store): keep the in-memory views the hall's. */
  #observe(e: HallEvent): void {
    this.reader.bump(e.id, e.type);
    if (MOVES_WAITING.test(e.type)) {
      if (e.ticketId === null || e.type.startsWith('day.') || this.#movedElsewhere.size >= MAX_MOVED_ELSEWHERE) this.#waitingStale = true;
      else this.#movedElsewhere.add(e.ticketId);
    }
    if (e.type === 'ticket.done' && typeof e.payload.serviceSeconds === 'number' && typeof e.payload.serviceCode === 'string') {
      this.#times.record(e.payload.serviceCode, e.payload.serviceSeconds / 60);
    }
  }

  /**
   * The few tickets that can be next at a counter, each found by an indexed ORDER BY … LIMIT 1:
   * the oldest ticket assigned to this counter, the best by sort time among its services, and the
   * best normal ticket (for the starvation guard). `pickNext` chooses among them.
   */
  *#candidates(counterNo: number, day: string): Tx<Candidate[]> {
    const services = this.reader.counterConfig(counterNo).services;
    const inList = services.map(() => '?').join(', ');
    const base = `SELECT id, sort_at, priority_reason, appointment_id FROM tickets
        WHERE day = ? AND status = 'waiting' AND assigned_counter IS NULL AND service_code IN (${inList})`;
    const out: Candidate[] = [];
    const add = (row: CandidateRow | undefined, assignedHere: boolean) => {
      if (row) out.push({ id: row.id, sortAt: row.sort_at, priority: isPriorityRow(row), assignedHere });
    };
    add(
      yield* get<CandidateRow>(
        `SELECT id, sort_at, priority_reason, appointment_id FROM tickets
           WHERE day = ? AND status = 'waiting' AND assigned_counter = ? ORDER BY sort_at, id LIMIT 1`,
        day,
        counterNo,
      ),
      true,
    );
    add(yield* get<CandidateRow>(`${base} ORDER BY sort_at, id LIMIT 1`, day, ...services), false);
    add(yield* get<CandidateRow>(`${base} AND priority_reason IS NULL AND appointment_id IS NULL ORDER BY sort_at, id LIMIT 1`, day, ...services), false);
    return out;
  }

  *#releaseCounter(counterNo: number, now: number): Tx<void> {
    const counter = yield* this.#counter(counterNo);
    yield* run(SET_COUNTER, counter.state, null, counter.priority_streak, now, counterNo);
  }

  *#requireIdle(counter: CounterRow): Tx<void> {
    if (counter.current_ticket_id === null) return;
    const row = yield* get<TicketRow>(TICKET, counter.current_ticket_id);
    if (row && ACTIVE_AT_COUNTER.has(row.status)) {
      throw new KioskError('QUEUE_COUNTER_BUSY', { counterNo: counter.number, ticketId: row.id, displayNo: row.display_no, currentState: row.status });
    }
  }

  *#ticketEvent(now: number, day: string, type: string, row: TicketRow, counterNo: number | null, extra: Record<string, unknown>): Tx<void> {
    yield* this.#event(now, day, type, row.id, counterNo, {
      displayNo: row.display_no,
      serviceCode: row.service_code,
      status: row.status,
      ...extra,
    });
  }

  #event(now: number, day: string, type: string, ticketId: number | null, counterNo: number | null, payload: Record<string, unknown>): Tx<HallEvent> {
    return this.unit.appendTx(now, day, type, ticketId, counterNo, payload);
  }

  #service(code: string): ServiceConfig {
    const s = this.#services.get(code);
    if (!s) throw new KioskError('QUEUE_UNKNOWN_SERVICE', { serviceCode: code });
    return s;
  }

  *#counter(counterNo: number): Tx<CounterRow> {
    this.reader.counterConfig(counterNo);
    return (yield* get<CounterRow>(COUNTER, counterNo)) as CounterRow;
  }

  *#ticket(ticketId: number): Tx<TicketRow> {
    const row = yield* get<TicketRow>(TICKET, ticketId);
    if (!row) throw new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId });
    return row;
  }

  /** Start-up: every configured counter has a row, and the service times come from today's done tickets. */
  *#openTx(): Tx<void> {
    this.#times.reset(); // a retried open() must not count the same service times twice
    for (const c of this.config.counters) {
      yield* run(
        'INSERT INTO counters (number, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (number) DO NOTHING',
        c.number,
        'closed',
        Math.floor(this.#clock()),
      );
    }
    const rows = yield* all<{ service_code: string; ms: number }>(
      `SELECT service_code, (done_at - serving_at) AS ms FROM tickets
         WHERE day = ? AND status = 'done' AND serving_at IS NOT NULL ORDER BY done_at DESC LIMIT ?`,
      this.unit.day,
      this.config.queue.waitEstimateWindow * this.config.services.length,
    );
    for (const r of rows.reverse()) this.#times.record(r.service_code, r.ms / MINUTE_MS);
    const newest = yield* get<{ id: number | null }>('SELECT MAX(id) AS id FROM events');
    this.reader.bump(newest?.id ?? 0);
    yield* this.#freshTx();
  }
}
