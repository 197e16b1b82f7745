import type { CounterConfig, KioskConfig, ServiceConfig } from '../../config/schema.ts';
import { KioskError } from '../errors.ts';
import { all, get, type Tx } from '../store/sql.ts';
import { toHallEvent } from '../store/unit-of-work.ts';
import { isPriorityRow, priorityBasisOf } from './priority.ts';
import type { CounterRow, TicketRow } from './ticket-rows.ts';
import type { CounterView, DayTotals, HallEvent, QueueStatus, ServiceStatus, TicketView } from './types.ts';
import { estimateWaitMinutes, type ServiceTimes } from './wait-estimate.ts';
import type { WaitingIndex } from './waiting-index.ts';

const RECENT_CALLS = 10;
const BY_ID = 'SELECT * FROM tickets WHERE id = ?';
const COUNTERS = 'SELECT * FROM counters ORDER BY number';
const CALLS = "('ticket.called', 'ticket.recalled')";
/** The called number and service as the call event recorded them (a later transfer does not rewrite history). */
const RECENT_CALLS_SQL = {
  sqlite: `SELECT json_extract(payload, '$.displayNo') AS display_no, counter_no, at FROM events
           WHERE day = ? AND type IN ${CALLS} ORDER BY id DESC LIMIT ?`,
  postgres: `SELECT payload::json->>'displayNo' AS display_no, counter_no, at FROM events
             WHERE day = ? AND type IN ${CALLS} ORDER BY id DESC LIMIT ?`,
};
const LAST_CALLED_SQL = {
  sqlite: `SELECT json_extract(payload, '$.serviceCode') AS service_code, json_extract(payload, '$.displayNo') AS display_no,
             MAX(id) AS id FROM events WHERE day = ? AND type IN ${CALLS} GROUP BY 1`,
  postgres: `SELECT DISTINCT ON (payload::json->>'serviceCode') payload::json->>'serviceCode' AS service_code,
               payload::json->>'displayNo' AS display_no, id FROM events WHERE day = ? AND type IN ${CALLS}
             ORDER BY payload::json->>'serviceCode', id DESC`,
};
const TOTALS = `SELECT COUNT(*) AS issued,
    SUM(CASE WHEN status IN ('waiting','suspended') THEN 1 ELSE 0 END) AS waiting,
    SUM(CASE WHEN status IN ('called','recalled','serving') THEN 1 ELSE 0 END) AS in_service,
    SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done,
    SUM(CASE WHEN status = 'no-show' THEN 1 ELSE 0 END) AS no_show,
    SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
    AVG(CASE WHEN called_at IS NOT NULL THEN (called_at - issued_at) / 60000.0 END) AS avg_wait,
    AVG(CASE WHEN status = 'done' AND serving_at IS NOT NULL THEN (done_at - serving_at) / 60000.0 END) AS avg_service
  FROM tickets WHERE day = ?`;

/** How the reader runs a body outside a write: the unit of work's `read` (kiosk/store/unit-of-work.ts). */
export type ReadRunner = <T>(body: () => Tx<T>) => Promise<T>;

export interface ReaderStore {
  readonly read: ReadRunner;
  /** Brings the engine's in-memory views up to date (a body: it may need to reload rows). */
  readonly fresh: () => Tx<void>;
  /** Other daemons write the same store: a cached snapshot may be stale. */
  readonly shared: boolean;
}

/**
 * Read side of the queue: ticket views with people-ahead and estimated wait, the status snapshot
 * (cached per event version, so a poll that changes nothing costs a map lookup), and the event log.
 * Each query is a body (kiosk/store/sql.ts): the `…Tx` forms run inside the engine's transactions,
 * the promise forms on their own. `fresh` brings the engine's in-memory views (the waiting index)
 * up to date before a body uses them.
 */
export class QueueReader {
  #config: KioskConfig;
  #services: Map<string, ServiceConfig>;
  #counters: Map<number, CounterConfig>;
  #times: ServiceTimes;
  #day: () => string;
  #version = 0;
  #snapshot: QueueStatus | null = null;
  /** Open counters per service; cleared whenever a counter changes state. */
  #openByService: Map<string, number> | null = null;
  #waiting: WaitingIndex;
  #read: ReadRunner;
  #fresh: () => Tx<void>;
  #shared: boolean;

  constructor(config: KioskConfig, times: ServiceTimes, day: () => string, waiting: WaitingIndex, store: ReaderStore) {
    this.#waiting = waiting;
    this.#config = config;
    this.#services = new Map(config.services.map((s) => [s.code, s]));
    this.#counters = new Map(config.counters.map((c) => [c.number, c]));
    this.#times = times;
    this.#day = day;
    this.#read = store.read;
    this.#fresh = store.fresh;
    this.#shared = store.shared;
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

  ticket(id: number): Promise<TicketView> {
    return this.#read(() => this.ticketTx(id));
  }

  *ticketTx(id: number): Tx<TicketView> {
    const row = yield* get<TicketRow>(BY_ID, id);
    if (!row) throw new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId: id });
    return yield* this.viewTx(row);
  }

  /** Today's ticket by its printed number, e.g. "A012". */
  ticketByNumber(displayNo: string, day?: string): Promise<TicketView> {
    const self = this;
    return this.#read(function* () {
      const row = yield* get<TicketRow>('SELECT * FROM tickets WHERE day = ? AND display_no = ?', day ?? self.#day(), displayNo.toUpperCase());
      if (!row) throw new KioskError('QUEUE_UNKNOWN_TICKET', { displayNo });
      return yield* self.viewTx(row);
    });
  }

  /** The stored row, for domain modules (evaluations) that need more than the public view. */
  row(id: number): Promise<TicketRow | undefined> {
    return this.#read(() => get<TicketRow>(BY_ID, id));
  }

  /** The public view of a row, with the in-memory views brought up to date first. */
  *viewTx(row: TicketRow): Tx<TicketView> {
    yield* this.#fresh();
    if (row.status === 'waiting') yield* this.#loadOpenCounters();
    return this.view(row);
  }

  /** The view from what is in memory; inside a body use `viewTx`. */
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

  status(now: number): Promise<QueueStatus> {
    const cached = this.#snapshot;
    // A shared store (PostgreSQL) may have news from other daemons: the read catches up first.
    if (cached && cached.version === this.#version && cached.day === this.#day() && !this.#shared) return Promise.resolve(cached);
    return this.#read(() => this.#statusTx(now));
  }

  *#statusTx(now: number): Tx<QueueStatus> {
    yield* this.#fresh();
    const cached = this.#snapshot;
    if (cached && cached.version === this.#version && cached.day === this.#day()) return cached;
    const day = this.#day();
    const waitingRows = yield* all<{ service_code: string; n: number }>(
      "SELECT service_code, COUNT(*) AS n FROM tickets WHERE day = ? AND status = 'waiting' GROUP BY service_code",
      day,
    );
    const waiting = new Map(waitingRows.map((r) => [r.service_code, Number(r.n)]));
    const counterRows = yield* all<CounterRow>(COUNTERS);
    this.#openByService = openByService(counterRows, this.#counters);
    const recent = yield* all<{ display_no: string; counter_no: number; at: number }>(RECENT_CALLS_SQL, day, RECENT_CALLS);
    const counters: CounterView[] = [];
    for (const row of counterRows) {
      const cfg = this.#counters.get(row.number);
      if (!cfg) continue;
      const t = row.current_ticket_id === null ? undefined : yield* get<TicketRow>(BY_ID, row.current_ticket_id);
      counters.push({
        number: row.number,
        name: cfg.name,
        state: row.state,
        services: cfg.services,
        current: t ? { ticketId: t.id, displayNo: t.display_no, serviceCode: t.service_code, status: t.status } : null,
      });
    }
    const lastCalledRows = yield* all<{ service_code: string; display_no: string }>(LAST_CALLED_SQL, day);
    const lastCalled = new Map(lastCalledRows.map((r) => [r.service_code, r.display_no]));
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
    const t = (yield* get<Record<string, number | null>>(TOTALS, day)) ?? {};
    const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
    const totals: DayTotals = {
      issued: Number(t.issued ?? 0),
      waiting: Number(t.waiting ?? 0),
      inService: Number(t.in_service ?? 0),
      done: Number(t.done ?? 0),
      noShow: Number(t.no_show ?? 0),
      cancelled: Number(t.cancelled ?? 0),
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

  eventsSince(afterId: number, limit = 500): Promise<HallEvent[]> {
    return this.#read(function* () {
      const rows = yield* all<Parameters<typeof toHallEvent>[0]>('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?', afterId, limit);
      return rows.map(toHallEvent);
    });
  }

  *#loadOpenCounters(): Tx<void> {
    if (this.#openByService) return;
    this.#openByService = openByService(yield* all<CounterRow>(COUNTERS), this.#counters);
  }

  #openCounters(serviceCode: string): number {
    return this.#openByService?.get(serviceCode) ?? 0;
  }
}

function openByService(rows: readonly CounterRow[], counters: ReadonlyMap<number, CounterConfig>): Map<string, number> {
  const map = new Map<string, number>();
  for (const row of rows) {
    if (row.state !== 'open') continue;
    for (const code of counters.get(row.number)?.services ?? []) map.set(code, (map.get(code) ?? 0) + 1);
  }
  return map;
}
