import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Collected, Verdict } from './invariants.ts';
import { summarize, type Summary } from './util.ts';

export interface Report {
  json: {
    passed: boolean;
    options: Collected['options'];
    realDurationMs: number;
    compression: string[];
    counts: Record<string, unknown>;
    waitingMs: Summary;
    serviceMs: Summary;
    /** The same in simulated minutes (ms ÷ minuteMs). */
    waitingMinutes: Summary;
    serviceMinutes: Summary;
    evaluations: Record<string, unknown> | null;
    faults: Collected['world']['faults'];
    invariants: Verdict[];
    observations: string[];
  };
  text: string;
}

export const COMPRESSION_NOTES = [
  'The daemon runs on the real clock, offset to a fixed business day (2026-11-23, opening 08:25 Beijing time) by a preload that shifts Date (test/hall-day/clock-shift.ts); nothing in kiosk/ or server/ is changed.',
  'Compressed: citizens arrive back to back (ms apart, not minutes), limited by the real kiosk (print and commit); one simulated minute of counter work lasts minuteMs real ms (service 0.4-1.6 × the service average, a pause 2-10 min, a suspended citizen away 5-15 min, a 过号 citizen back after 3-10 min). Waiting and service times are real milliseconds, also shown divided by minuteMs.',
  'Not compressed: every HTTP request, SQLite commit (synchronous=FULL, fsync), print job over the pty at real speed, device polling, SSE, the outbox upload with its back-off.',
  'The clock step is a real step of the daemon wall clock by +1 h while it runs; the waiting and service times below leave that hour out of spans that straddle it (the stored timestamps keep it).',
  'The archive is the real 03:00 reset: the clock is set to the next morning and the next status poll rolls the day over.',
];

export function buildReport(c: Collected, verdicts: Verdict[]): Report {
  const w = c.world;
  const counts: Record<string, unknown> = {};
  let waiting: number[] = [];
  let service: number[] = [];
  let evaluations: Record<string, unknown> | null = null;
  if (existsSync(c.dbPath)) {
    const db = new Database(c.dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = <T>(sql: string, ...p: unknown[]) => db.prepare(sql).all(...p) as T[];
      counts.ticketsByStatus = Object.fromEntries(
        rows<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM tickets WHERE day = ? GROUP BY status', c.day).map((r) => [r.status, r.n]),
      );
      counts.ticketsByService = Object.fromEntries(
        rows<{ s: string; n: number }>('SELECT original_service AS s, COUNT(*) AS n FROM tickets WHERE day = ? GROUP BY s', c.day).map((r) => [r.s, r.n]),
      );
      counts.ticketsByChannel = Object.fromEntries(
        rows<{ s: string; n: number }>('SELECT channel AS s, COUNT(*) AS n FROM tickets WHERE day = ? GROUP BY s', c.day).map((r) => [r.s, r.n]),
      );
      counts.priority = Object.fromEntries(
        rows<{ s: string; n: number }>(
          "SELECT COALESCE(priority_reason, CASE WHEN appointment_id IS NOT NULL THEN 'appointment' ELSE 'none' END) AS s, COUNT(*) AS n FROM tickets WHERE day = ? GROUP BY s",
          c.day,
        ).map((r) => [r.s, r.n]),
      );
      counts.events = Object.fromEntries(
        rows<{ type: string; n: number }>('SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY type').map((r) => [r.type, r.n]),
      );
      counts.appointments = Object.fromEntries(
        rows<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM appointments GROUP BY status').map((r) => [r.status, r.n]),
      );
      counts.printJobs = Object.fromEntries(
        rows<{ s: string; n: number }>("SELECT state || COALESCE(':' || error_code, '') AS s, COUNT(*) AS n FROM print_jobs GROUP BY s").map((r) => [r.s, r.n]),
      );
      // Spans that straddle the +1 h clock step are counted without the step.
      const step = c.clockStep.at;
      const span = (from: number, to: number) => to - from - (step !== null && from < step && to >= step ? 3_600_000 : 0);
      waiting = rows<{ a: number; b: number }>('SELECT issued_at AS a, called_at AS b FROM tickets WHERE day = ? AND called_at IS NOT NULL', c.day).map((r) =>
        span(r.a, r.b),
      );
      service = rows<{ a: number; b: number }>(
        "SELECT serving_at AS a, done_at AS b FROM tickets WHERE day = ? AND status = 'done' AND serving_at IS NOT NULL",
        c.day,
      ).map((r) => span(r.a, r.b));
      if (c.evaluationRoutes) {
        const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'evaluations'").get();
        if (has) {
          const arrivals = new Map<string, number>();
          for (const a of c.peer.arrivals) arrivals.set(String(a.answered), (arrivals.get(String(a.answered)) ?? 0) + 1);
          evaluations = {
            byLevel: Object.fromEntries(
              rows<{ level: string; n: number }>('SELECT level, COUNT(*) AS n FROM evaluations GROUP BY level').map((r) => [r.level, r.n]),
            ),
            bad: (db.prepare('SELECT COUNT(*) AS n FROM evaluations WHERE is_bad = 1').get() as { n: number }).n,
            cases: Object.fromEntries(
              rows<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM evaluation_cases GROUP BY status').map((r) => [r.status, r.n]),
            ),
            acknowledged: w.evaluations.length,
            peerArrivalsByAnswer: Object.fromEntries(arrivals),
            peerAccepted: c.peer.accepted.size,
            outboxAtEnd: c.outboxFinal,
          };
        }
      }
    } finally {
      db.close();
    }
  }
  counts.actors = Object.fromEntries([...w.counts].sort(([a], [b]) => a.localeCompare(b)));
  counts.acknowledgedTickets = w.tickets.size;
  counts.statusPolls = { ok: c.poller?.ok ?? 0, notModified: c.poller?.notModified ?? 0 };

  const observations: string[] = [];
  const afterKill = c.orphans.filter((o) => o.after.startsWith('SIGKILL')).length;
  const afterStop = c.orphans.length - afterKill;
  if (afterKill)
    observations.push(
      `${afterKill} socat pty helpers outlived the SIGKILLed daemon (expected: a killed process cannot close them; under systemd the cgroup is killed with it); the harness ended them by pid`,
    );
  if (afterStop)
    observations.push(
      `${afterStop} socat pty helpers outlived the graceful stop (SIGTERM): the simulated devices did not close their pty pairs; the harness ended them by pid`,
    );
  if (!c.evaluationRoutes)
    observations.push(
      '好差评 routes are not registered by the daemon (server/app.ts does not call evaluationRoutes, kiosk/compose.ts does not create kiosk.evaluations): the evaluator actors, the provincial endpoint outage and the evaluation invariants were skipped',
    );
  observations.push(
    'clock offset: the product has no way to run on an offset clock; the harness preloads test/hall-day/clock-shift.ts. Proposed: KIOSK_CLOCK_OFFSET_MS read by systemClock in kiosk/clock.ts',
  );

  const passed = verdicts.every((v) => v.passed);
  const json: Report['json'] = {
    passed,
    options: c.options,
    realDurationMs: w.elapsed(),
    compression: COMPRESSION_NOTES,
    counts,
    waitingMs: summarize(waiting),
    serviceMs: summarize(service),
    waitingMinutes: summarize(waiting.map((ms) => Math.round((ms / c.options.minuteMs) * 10) / 10)),
    serviceMinutes: summarize(service.map((ms) => Math.round((ms / c.options.minuteMs) * 10) / 10)),
    evaluations,
    faults: w.faults,
    invariants: verdicts,
    observations,
  };
  return { json, text: renderText(json) };
}

function renderText(r: Report['json']): string {
  const lines: string[] = [];
  const s = (x: Summary) => (x.n ? `n ${x.n}, median ${x.median} ms, p95 ${x.p95} ms, max ${x.max} ms` : 'none');
  lines.push('');
  lines.push(
    `══ 医保大厅 hall day ══ ${r.options.tickets} tickets · ${r.options.counters} counters · ${r.options.kiosks} kiosks · seed ${r.options.seed} · ${(r.realDurationMs / 1000).toFixed(1)} s real`,
  );
  lines.push('');
  lines.push('Counts');
  for (const key of [
    'acknowledgedTickets',
    'ticketsByStatus',
    'ticketsByService',
    'ticketsByChannel',
    'priority',
    'appointments',
    'printJobs',
    'statusPolls',
  ]) {
    lines.push(`  ${key}: ${JSON.stringify(r.counts[key])}`);
  }
  lines.push(`  actors: ${JSON.stringify(r.counts.actors)}`);
  const m = (x: Summary) => (x.n ? `≈ median ${x.median}, p95 ${x.p95} simulated min` : '');
  lines.push(`  waiting (issued → called): ${s(r.waitingMs)} ${m(r.waitingMinutes)}`);
  lines.push(`  service (start → done):    ${s(r.serviceMs)} ${m(r.serviceMinutes)}`);
  if (r.evaluations) lines.push(`  evaluations: ${JSON.stringify(r.evaluations)}`);
  lines.push('');
  lines.push('Fault timeline (real s since start · daemon clock · tickets issued)');
  for (const f of r.faults)
    lines.push(
      `  ${(f.atMs / 1000).toFixed(1).padStart(7)}s  ${f.virtualTime}  ${String(f.ticketsIssued).padStart(5)}  ${f.fault}${f.detail ? ` — ${f.detail}` : ''}`,
    );
  lines.push('');
  lines.push('Invariants');
  for (const v of r.invariants) lines.push(`  ${v.skipped ? 'SKIP' : v.passed ? 'PASS' : 'FAIL'}  ${v.name}: ${v.detail}`);
  lines.push('');
  lines.push('Notes');
  for (const n of [...r.compression, ...r.observations]) lines.push(`  - ${n}`);
  lines.push('');
  lines.push(
    r.passed
      ? 'ALL INVARIANTS HELD'
      : `FAILED: ${r.invariants
          .filter((v) => !v.passed)
          .map((v) => v.name)
          .join('; ')}`,
  );
  return lines.join('\n');
}
