import type { TicketRow } from '../kiosk/queue/ticket-rows.ts';
import { all, get, type Tx } from '../kiosk/store/sql.ts';

/**
 * What the routes read from the hall's tables (tickets, events) beyond the queue reader's views:
 * transaction bodies (kiosk/store/sql.ts) run with `engine.unit.read(() => …)`, so they read the
 * hall's store whichever engine holds it — the terminal's SQLite file or the hall's PostgreSQL
 * database (issue 17). SQL in the dialect both engines share; column aliases that are not lower
 * case are quoted (PostgreSQL folds unquoted names), JSON payloads are parsed here rather than
 * with each engine's JSON functions where that keeps one spelling.
 */

/** Today's waiting tickets in calling order (the waiting index's order: sort_at, then id). */
export function waitingTx(day: string): Tx<TicketRow[]> {
  return all<TicketRow>("SELECT * FROM tickets WHERE day = ? AND status = 'waiting' ORDER BY sort_at, id", day);
}

/** Today's tickets in `status` assigned to a counter (挂起 at that window), oldest first. */
export function assignedTx(day: string, status: TicketRow['status'], counterNo: number): Tx<TicketRow[]> {
  return all<TicketRow>('SELECT * FROM tickets WHERE day = ? AND status = ? AND assigned_counter = ? ORDER BY id', day, status, counterNo);
}

/** Today's 过号 tickets last called at a counter, newest first (at most 20). */
export function noShowsAtTx(day: string, counterNo: number): Tx<TicketRow[]> {
  return all<TicketRow>("SELECT * FROM tickets WHERE day = ? AND status = 'no-show' AND counter_no = ? ORDER BY id DESC LIMIT 20", day, counterNo);
}

/** A ticket's printed number, or null (no such ticket). */
export function* displayNoTx(ticketId: number): Tx<string | null> {
  return (yield* get<{ display_no: string }>('SELECT display_no FROM tickets WHERE id = ?', ticketId))?.display_no ?? null;
}

/** 延时服务: whether the counter's latest counter.extended event of the day switched it on. */
export function* extendedOnTx(counterNo: number, day: string): Tx<boolean> {
  const row = yield* get<{ payload: string }>(
    "SELECT payload FROM events WHERE day = ? AND type = 'counter.extended' AND counter_no = ? ORDER BY id DESC LIMIT 1",
    day,
    counterNo,
  );
  return row ? (JSON.parse(row.payload) as { on?: unknown }).on === true : false;
}

const CALLS = "('ticket.called', 'ticket.recalled')";
const CALL_OR_AWAY = "('ticket.called', 'ticket.recalled', 'ticket.suspended', 'ticket.no-show', 'ticket.transferred')";

/**
 * The numbers whose latest call of the day was followed by 挂起, 过号 or a transfer: no longer a
 * call, so a display must not show them as if the citizen were still expected at the window.
 */
export function* sentAwayTx(day: string): Tx<string[]> {
  const rows = yield* all<{ display_no: string }>(
    {
      sqlite: `SELECT json_extract(payload, '$.displayNo') AS display_no FROM events WHERE day = ? AND type IN ${CALL_OR_AWAY}
               GROUP BY json_extract(payload, '$.displayNo') HAVING MAX(CASE WHEN type IN ${CALLS} THEN id END) < MAX(id)`,
      postgres: `SELECT payload::json->>'displayNo' AS display_no FROM events WHERE day = ? AND type IN ${CALL_OR_AWAY}
                 GROUP BY payload::json->>'displayNo' HAVING MAX(CASE WHEN type IN ${CALLS} THEN id END) < MAX(id)`,
    },
    day,
  );
  return rows.map((r) => r.display_no);
}

export interface AssistanceRequest {
  readonly eventId: number;
  readonly at: number;
  readonly terminal: string;
  readonly screen: string;
}

/** Today's 呼叫工作人员 requests, newest first (at most 100). */
export function* assistanceTx(day: string): Tx<AssistanceRequest[]> {
  const rows = yield* all<{ id: number; at: number; payload: string }>(
    "SELECT id, at, payload FROM events WHERE day = ? AND type = 'assistance.requested' ORDER BY id DESC LIMIT 100",
    day,
  );
  return rows.map((r) => {
    const p = JSON.parse(r.payload) as { terminal?: unknown; screen?: unknown };
    return { eventId: r.id, at: r.at, terminal: String(p.terminal ?? ''), screen: String(p.screen ?? '') };
  });
}

export interface DayStatistics {
  readonly day: string;
  readonly services: readonly {
    serviceCode: string;
    issued: number;
    done: number;
    noShow: number;
    cancelled: number;
    priority: number;
    averageWaitMinutes: number | null;
    averageServiceMinutes: number | null;
  }[];
  readonly counters: readonly { counterNo: number; done: number; noShow: number; averageServiceMinutes: number | null }[];
}

const count = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/** A day's figures from the tickets' final states, per service (as issued) and per counter. */
export function* dayStatisticsTx(day: string): Tx<DayStatistics> {
  const services = yield* all<DayStatistics['services'][number]>(
    `SELECT original_service AS "serviceCode", COUNT(*) AS issued, ${count("status = 'done'")} AS done,
       ${count("status = 'no-show'")} AS "noShow", ${count("status = 'cancelled'")} AS cancelled,
       ${count('priority_reason IS NOT NULL OR appointment_id IS NOT NULL')} AS priority,
       AVG(CASE WHEN called_at IS NOT NULL THEN (called_at - issued_at) / 60000.0 END) AS "averageWaitMinutes",
       AVG(CASE WHEN status = 'done' THEN (done_at - serving_at) / 60000.0 END) AS "averageServiceMinutes"
     FROM tickets WHERE day = ? GROUP BY original_service ORDER BY original_service`,
    day,
  );
  const counters = yield* all<DayStatistics['counters'][number]>(
    `SELECT counter_no AS "counterNo", ${count("status = 'done'")} AS done, ${count("status = 'no-show'")} AS "noShow",
       AVG(CASE WHEN status = 'done' THEN (done_at - serving_at) / 60000.0 END) AS "averageServiceMinutes"
     FROM tickets WHERE day = ? AND counter_no IS NOT NULL GROUP BY counter_no ORDER BY counter_no`,
    day,
  );
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    day,
    services: services.map((s) => ({ ...s, averageWaitMinutes: round(s.averageWaitMinutes), averageServiceMinutes: round(s.averageServiceMinutes) })),
    counters: counters.map((c) => ({ ...c, averageServiceMinutes: round(c.averageServiceMinutes) })),
  };
}
