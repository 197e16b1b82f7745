import type { CounterConfig, KioskConfig, ServiceConfig } from '../../config/schema.ts';
import { KioskError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { isPriorityRow, priorityBasisOf } from './priority.ts';
import type { CounterRow, TicketRow } from './ticket-rows.ts';
import type { CounterView, DayTotals, HallEvent, QueueStatus, ServiceStatus, TicketView } from './types.ts';
import { estimateWaitMinutes, type ServiceTimes } from './wait-estimate.ts';
import type { WaitingIndex } from './waiting-index.ts';

const RECENT_CALLS = 10;

/**
 * Read side of the queue: ticket views with people-ahead and estimated wait, the status snapshot
 * (cached per event version, so a poll that changes nothing costs a map lookup), and the event log.
 */
export class QueueReader {
  #config: KioskConfig;
  #services: Map<string, ServiceConfig>;
  #counters: Map<number, CounterConfig>;
  #times: ServiceTimes;
  #day: () => string;
  #version: number;
  #snapshot: QueueStatus | null = null;
  /** Open counters per service; cleared whenever a counter changes state. */
  #openByService: Map<string, number> | null = null;
  #stmts;

  #waiting: WaitingIndex;

  constructor(db: Db, config: KioskConfig, times: ServiceTimes, day: () => string, waiting: WaitingIndex) {
    this.#waiting = waiting;
    this.#config = config;
    this.#services = new Map(config.services.map((s) => [s.code, s]));
    this.#counters = new Map(config.counters.map((c) => [c.number, c]));
    this.#times = times;
    this.#day = day;
    this.#stmts = {
      byId: db.prepare<[number], TicketRow>('SELECT * FROM tickets WHERE id = ?'),
      byDisplay: db.prepare<[string, string], TicketRow>('SELECT * FROM tickets WHERE day = ? AND display_no = ?'),
      waitingByService: db.prepare<[string], { service_code: string; n: number }>(
        `SELECT service_code, COUNT(*) AS n FROM tickets WHERE day = ? AND status = 'waiting' GROUP BY service_code`,
      ),
      counters: db.prepare<[], CounterRow>('SELECT * FROM counters ORDER BY number'),
      recentCalls: db.prepare<[string, number], { display_no: string; counter_no: number; at: number }>(
        `SELECT json_extract(payload, '$.displayNo') AS display_no, counter_no, at FROM events
         WHERE day = ? AND type IN ('ticket.called', 'ticket.recalled') ORDER BY id DESC LIMIT ?`,
      ),
      lastCalled: db.prepare<[string], { service_code: string; display_no: string; id: number }>(
        `SELECT json_extract(payload, '$.serviceCode') AS service_code, json_extract(payload, '$.displayNo') AS display_no,
           MAX(id) AS id FROM events WHERE day = ? AND type IN ('ticket.called', 'ticket.recalled') GROUP BY 1`,
      ),
      totals: db.prepare<[string], Record<string, number | null>>(
        `SELECT COUNT(*) AS issued,
           SUM(status = 'waiting' OR status = 'suspended') AS waiting,
           SUM(status IN ('called','recalled','serving')) AS in_service,
           SUM(status = 'done') AS done, SUM(status = 'no-show') AS no_show, SUM(status = 'cancelled') AS cancelled,
           AVG(CASE WHEN called_at IS NOT NULL THEN (called_at - issued_at) / 60000.0 END) AS avg_wait,
           AVG(CASE WHEN status = 'done' AND serving_at IS NOT NULL THEN (done_at - serving_at) / 60000.0 END) AS avg_service
         FROM tickets WHERE day = ?`,
      ),
      maxEvent: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM events'),
      eventsSince: db.prepare<
        [number, number],
        { id: number; at: number; day: string; type: string; ticket_id: number | null; counter_no: number | null; payload: string }
      >('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?'),
    };
    this.#version = this.#stmts.maxEvent.get()?.id ?? 0;
  }

  /** The id of the newest event: the snapshot's version and ETag. */
  get version(): number {
    return this.#version;
  }

  bump(eventId: number, type = ''): void {
    if (eventId > this.#version) this.#version = eventId;
    if (type.startsWith('counter.') || type.startsWith('day.')) this.#openByService = null;
  }

  counterConfig(counterNo: number): CounterConfig {
    const c = this.#counters.get(counterNo);
    if (!c) throw new KioskError('QUEUE_UNKNOWN_COUNTER', { counterNo });
    return c;
  }

  ticket(id: number): TicketView {
    const row = this.#stmts.byId.get(id);
    if (!row) throw new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId: id });
    return this.view(row);
  }

  /** Today's ticket by its printed number, e.g. "A012". */
  ticketByNumber(displayNo: string, day = this.#day()): TicketView {
    const row = this.#stmts.byDisplay.get(day, displayNo.toUpperCase());
    if (!row) throw new KioskError('QUEUE_UNKNOWN_TICKET', { displayNo });
    return this.view(row);
  }

  /** The stored row, for domain modules (evaluations) that need more than the public view. */
  row(id: number): TicketRow | undefined {
    return this.#stmts.byId.get(id);
  }

  view(row: TicketRow): TicketView {
    const service = this.#services.get(row.service_code);
    let ahead = 0;
    let wait = 0;
    if (row.status === 'waiting') {
      ahead = this.#waiting.ahead(row.service_code, row.sort_at, row.id);
      wait = estimateWaitMinutes(ahead + 1, this.#times.medianMinutes(row.service_code), this.#openCounters(row.service_code));
    }
    const counter = row.counter_no === null ? undefined : this.#counters.get(row.counter_no);
    return {
      id: row.id,
      day: row.day,
      displayNo: row.display_no,
      serviceCode: row.service_code,
      serviceName: service?.name ?? row.service_code,
      status: row.status,
      priority: isPriorityRow(row),
      priorityReason: row.priority_reason,
      priorityBasis: priorityBasisOf(row),
      appointment: row.appointment_id !== null,
      issuedAt: row.issued_at,
      calledAt: row.called_at,
      counterNo: row.counter_no,
      counterName: counter?.name ?? null,
      assignedCounter: row.assigned_counter,
      recallCount: row.recall_count,
      requeueCount: row.requeue_count,
      peopleAhead: ahead,
      estimatedWaitMinutes: wait,
      printState: row.print_state,
    };
  }

  status(now: number): QueueStatus {
    const cached = this.#snapshot;
    if (cached && cached.version === this.#version && cached.day === this.#day()) return cached;
    const day = this.#day();
    const waiting = new Map(this.#stmts.waitingByService.all(day).map((r) => [r.service_code, r.n]));
    const counterRows = this.#stmts.counters.all();
    const recent = this.#stmts.recentCalls.all(day, RECENT_CALLS);
    const counters: CounterView[] = [];
    for (const row of counterRows) {
      const cfg = this.#counters.get(row.number);
      if (!cfg) continue;
      const t = row.current_ticket_id === null ? undefined : this.#stmts.byId.get(row.current_ticket_id);
      counters.push({
        number: row.number,
        name: cfg.name,
        state: row.state,
        services: cfg.services,
        current: t ? { ticketId: t.id, displayNo: t.display_no, serviceCode: t.service_code, status: t.status } : null,
      });
    }
    const lastCalled = new Map(this.#stmts.lastCalled.all(day).map((r) => [r.service_code, r.display_no]));
    const services: ServiceStatus[] = this.#config.services.map((s) => {
      const n = waiting.get(s.code) ?? 0;
      const open = this.#openCounters(s.code);
      const median = this.#times.medianMinutes(s.code);
      return {
        code: s.code,
        name: s.name,
        prefix: s.prefix,
        group: s.group ?? null,
        waiting: n,
        lastCalled: lastCalled.get(s.code) ?? null,
        openCounters: open,
        medianServiceMinutes: Math.round(median * 10) / 10,
        estimatedWaitMinutes: estimateWaitMinutes(n + 1, median, open),
      };
    });
    const t = this.#stmts.totals.get(day) ?? {};
    const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
    const totals: DayTotals = {
      issued: t.issued ?? 0,
      waiting: t.waiting ?? 0,
      inService: t.in_service ?? 0,
      done: t.done ?? 0,
      noShow: t.no_show ?? 0,
      cancelled: t.cancelled ?? 0,
      averageWaitMinutes: round(t.avg_wait),
      averageServiceMinutes: round(t.avg_service),
    };
    const snapshot: QueueStatus = {
      hall: { name: this.#config.hall.name, code: this.#config.hall.code, timeZone: this.#config.hall.timeZone },
      day,
      version: this.#version,
      generatedAt: now,
      services,
      counters,
      recentCalls: recent.map((r) => ({
        displayNo: r.display_no,
        counterNo: r.counter_no,
        counterName: this.#counters.get(r.counter_no)?.name ?? String(r.counter_no),
        at: r.at,
      })),
      totals,
    };
    this.#snapshot = snapshot;
    return snapshot;
  }

  eventsSince(afterId: number, limit = 500): HallEvent[] {
    return this.#stmts.eventsSince.all(afterId, limit).map((r) => ({
      id: r.id,
      at: r.at,
      day: r.day,
      type: r.type,
      ticketId: r.ticket_id,
      counterNo: r.counter_no,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
    }));
  }

  #openCounters(serviceCode: string): number {
    if (!this.#openByService) {
      const map = new Map<string, number>();
      for (const row of this.#stmts.counters.all()) {
        if (row.state !== 'open') continue;
        for (const code of this.#counters.get(row.number)?.services ?? []) map.set(code, (map.get(code) ?? 0) + 1);
      }
      this.#openByService = map;
    }
    return this.#openByService.get(serviceCode) ?? 0;
  }
}
