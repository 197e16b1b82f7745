import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SAMPLE_CARDS } from '../../drivers/idcard/sample-cards.ts';
import type { Peer } from '../helpers/peer.ts';
import { FREE_TEXT_PHONE } from './counter-actor.ts';
import type { ResourceSample } from './daemon.ts';
import type { EventFollower, HallEvent, QueueStatus, StatusPoller } from './hall-server.ts';
import type { World } from './world.ts';

export interface Collected {
  options: { tickets: number; counters: number; kiosks: number; seed: number; minuteMs: number };
  world: World;
  dbPath: string;
  dataDir: string;
  logFiles: string[];
  peer: Peer;
  follower: EventFollower;
  poller: StatusPoller;
  quietPoints: { label: string; version: number; diffs: string[]; quiesced: boolean }[];
  deviceChecks: { device: string; after: string; readyAfterMs: number | null }[];
  resources: {
    warmup: ResourceSample | null;
    end: ResourceSample | null;
    warmupSamples: ResourceSample[];
    endSamples: ResourceSample[];
    warmupAtTickets: number;
    runs: number;
    /** Memory breakdown per sampling point (clock-shift.ts writeDiagnostics). */
    diagnostics: Record<string, unknown>;
  };
  clockStep: { at: number | null; before: number | null; after: number | null; dayBefore: string | null; dayAfter: string | null };
  closedSnapshot: QueueStatus | null;
  dayClosed: HallEvent | null;
  shutdown: { code: number | null; signal: string | null };
  evaluationRoutes: boolean;
  outboxFinal: unknown;
  orphans: { pid: number; after: string }[];
  failure: string | null;
  day: string;
}

export interface Verdict {
  readonly name: string;
  readonly passed: boolean;
  /** Not applicable in this build (evaluations not wired): neither passed nor failed. */
  readonly skipped?: boolean;
  readonly detail: string;
  readonly evidence?: unknown;
}

/** Memory and descriptors may grow at most this much from the warm-up level to the end. */
export const RESOURCE_TOLERANCE = 0.1;

/** Every promise the product makes, checked after the daemon stopped (the database read-only). */
export function checkInvariants(c: Collected): Verdict[] {
  const v: Verdict[] = [];
  const add = (name: string, passed: boolean, detail: string, evidence?: unknown) =>
    v.push({ name, passed, detail, ...(evidence === undefined ? {} : { evidence }) });
  const skip = (name: string, detail: string) => v.push({ name, passed: true, skipped: true, detail });
  const w = c.world;

  add('day completed', c.failure === null, c.failure === null ? 'opening, faults, closing and archive all ran' : `stopped early: ${c.failure.split('\n')[0]}`);

  if (!existsSync(c.dbPath)) {
    add('database present', false, `no database at ${c.dbPath}`);
    return v;
  }
  const db = new Database(c.dbPath, { readonly: true, fileMustExist: true });
  try {
    // 1. numbering
    const dupes = db.prepare('SELECT day, display_no, COUNT(*) AS n FROM tickets GROUP BY day, display_no HAVING n > 1').all();
    const total = (db.prepare('SELECT COUNT(*) AS n FROM tickets WHERE day = ?').get(c.day) as { n: number }).n;
    add(
      'no ticket number duplicated within the day',
      dupes.length === 0,
      `${total} tickets on ${c.day}, ${dupes.length} duplicated numbers`,
      dupes.slice(0, 10),
    );
    const reqDupes = db.prepare('SELECT request_id, COUNT(*) AS n FROM tickets WHERE request_id IS NOT NULL GROUP BY request_id HAVING n > 1').all();
    add(
      'a retried request never made a second ticket',
      reqDupes.length === 0,
      `${reqDupes.length} request ids with more than one ticket (retries after connection loss: ${w.counts.get('kiosk-retries-after-connection-loss') ?? 0})`,
      reqDupes.slice(0, 10),
    );

    // 2. acknowledged tickets
    const byId = db.prepare('SELECT id, display_no, original_service, day FROM tickets WHERE id = ?');
    const missing: string[] = [];
    for (const a of w.tickets.values()) {
      const row = byId.get(a.ticketId) as { display_no: string; original_service: string; day: string } | undefined;
      if (!row || row.display_no !== a.displayNo || (!a.existing && row.original_service !== a.serviceCode)) missing.push(`${a.ticketId}/${a.displayNo}`);
    }
    add(
      'every acknowledged ticket is present',
      missing.length === 0 && w.tickets.size > 0,
      `${w.tickets.size} distinct tickets acknowledged with HTTP 200, ${missing.length} missing or different`,
      missing.slice(0, 10),
    );

    // 3. evaluations
    if (!c.evaluationRoutes) {
      skip(
        'every acknowledged evaluation is present and delivered exactly once',
        'evaluation routes not in /docs/json: 好差评 is not wired into the daemon yet',
      );
      skip('every 差评 has a case', 'evaluation routes not wired into the daemon yet');
    } else {
      const rows = db
        .prepare('SELECT e.id, e.uid, e.is_bad, o.idempotency_key AS key, o.state FROM evaluations e LEFT JOIN evaluation_outbox o ON o.evaluation_id = e.id')
        .all() as { id: number; uid: string; is_bad: number; key: string | null; state: string | null }[];
      const byEval = new Map(rows.map((r) => [r.id, r]));
      const absent = w.evaluations.filter((a) => byEval.get(a.evaluationId)?.uid !== a.uid).map((a) => a.evaluationId);
      const accepted = c.peer.accepted;
      const okArrivals = new Map<string, number>();
      for (const a of c.peer.arrivals) if (a.answered === 200) okArrivals.set(a.key, (okArrivals.get(a.key) ?? 0) + 1);
      const undelivered = rows.filter((r) => !r.key || !accepted.has(r.key) || r.state !== 'delivered').map((r) => r.id);
      const keys = new Set(rows.map((r) => r.key));
      const unknown = [...accepted.keys()].filter((k) => !keys.has(k));
      const repeated = [...okArrivals.values()].filter((n) => n > 1).length;
      // A repeat is legitimate only if the daemon died between the peer's 200 and recording it.
      const repeatsAllowed = 2 * 4;
      const passed =
        absent.length === 0 &&
        undelivered.length === 0 &&
        unknown.length === 0 &&
        accepted.size === rows.length &&
        repeated <= repeatsAllowed &&
        w.evaluations.length > 0;
      add(
        'every acknowledged evaluation is present and delivered exactly once',
        passed,
        `${w.evaluations.length} acknowledged, ${rows.length} stored, ${absent.length} missing; peer accepted ${accepted.size} distinct (${undelivered.length} undelivered, ${unknown.length} unknown); ${repeated} records answered 200 more than once (allowed ≤ ${repeatsAllowed}: kills × upload concurrency)`,
        { absent: absent.slice(0, 10), undelivered: undelivered.slice(0, 10), unknown: unknown.slice(0, 10) },
      );
      const noCase = db
        .prepare('SELECT e.id FROM evaluations e LEFT JOIN evaluation_cases k ON k.evaluation_id = e.id WHERE e.is_bad = 1 AND k.id IS NULL')
        .all() as { id: number }[];
      const bad = rows.filter((r) => r.is_bad === 1).length;
      const ackNoCase = w.evaluations.filter((a) => a.bad && a.caseId === null).length;
      add(
        'every 差评 has a case',
        noCase.length === 0 && ackNoCase === 0 && bad > 0,
        `${bad} 差评 stored, ${noCase.length} without a case; ${ackNoCase} acknowledged without a case in the reply`,
        noCase.slice(0, 10),
      );
    }

    // 4. nothing stuck after closing
    const snap = c.closedSnapshot;
    const closed = c.dayClosed?.payload as { cancelled?: number; noShow?: number; autoCompleted?: number } | undefined;
    const openCounters = snap?.counters.filter((x) => x.state !== 'closed').map((x) => x.number) ?? [];
    const stuckOk =
      !!snap &&
      snap.totals.waiting === 0 &&
      snap.totals.inService === 0 &&
      openCounters.length === 0 &&
      !!closed &&
      closed.cancelled === 0 &&
      closed.noShow === 0 &&
      closed.autoCompleted === 0;
    add(
      'no ticket stuck in a non-final state after closing',
      stuckOk,
      snap
        ? `at closing: ${snap.totals.waiting} waiting or suspended, ${snap.totals.inService} in service, ${openCounters.length} counters not closed; archive found ${closed ? `${closed.cancelled} to cancel, ${closed.noShow} to mark 过号, ${closed.autoCompleted} to complete` : 'nothing (day.closed not seen)'}`
        : 'no snapshot at closing',
      { openCounters, dayClosed: c.dayClosed?.payload ?? null },
    );
    const archived = db.prepare('SELECT archived_at FROM days WHERE day = ?').get(c.day) as { archived_at: number | null } | undefined;
    add(
      'the day was archived, not deleted',
      !!archived?.archived_at && total > 0,
      `days.archived_at = ${archived?.archived_at ?? null}; ${total} ticket rows kept`,
    );

    // 5. printer faults
    const failedAcks = w.ticketAcks.filter((a) => !a.printOk);
    const codes = new Map<string, number>();
    for (const a of failedAcks) codes.set(a.printCode ?? '?', (codes.get(a.printCode ?? '?') ?? 0) + 1);
    // A ticket can be committed while the SIGKILL takes its reply (and its print) with it: nobody
    // was told its number. Such orphans must be visible to staff as "issued, not printed" (print
    // state failed); every acknowledged ticket must end up printed.
    const acked = new Set(w.ticketAcks.map((a) => a.ticketId));
    const unfinished = db
      .prepare("SELECT ticket_id FROM print_jobs WHERE kind = 'ticket' AND ticket_id IS NOT NULL GROUP BY ticket_id HAVING SUM(state = 'done') = 0")
      .all() as { ticket_id: number }[];
    const neverPrinted = unfinished.filter((r) => acked.has(r.ticket_id));
    const states = db.prepare('SELECT id, display_no, print_state FROM tickets WHERE day = ?').all(c.day) as {
      id: number;
      display_no: string;
      print_state: string;
    }[];
    const orphans = unfinished.filter((r) => !acked.has(r.ticket_id)).map((r) => states.find((t) => t.id === r.ticket_id));
    const orphansHidden = orphans.filter((t) => t?.print_state !== 'failed');
    const notPrinted = states.filter((t) => acked.has(t.id) && t.print_state !== 'printed');
    const notReprinted = failedAcks.filter(
      (a) => !w.reprinted.has(a.ticketId) && !w.ticketAcks.some((b) => b.ticketId === a.ticketId && b.printOk && b.atMs > a.atMs),
    );
    const bothFaultsBit = [...codes.keys()].some((k) => k.includes('paper')) && [...codes.keys()].some((k) => k.includes('cover'));
    add(
      'printer faults left tickets "issued, not printed", all reprinted, none lost',
      bothFaultsBit &&
        notReprinted.length === 0 &&
        neverPrinted.length === 0 &&
        notPrinted.length === 0 &&
        orphansHidden.length === 0 &&
        w.unprinted.size === 0,
      `${failedAcks.length} tickets issued with a failed print (${[...codes].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}), ${w.reprinted.size} reprinted, ${notReprinted.length} never reprinted; ${neverPrinted.length} acknowledged tickets without a finished print job; ${notPrinted.length} acknowledged tickets whose print state is not "printed"; ${orphans.length} tickets whose reply and print a SIGKILL cut off, ${orphans.length - orphansHidden.length} of them shown to staff as not printed`,
      { neverPrinted: neverPrinted.slice(0, 10), notPrinted: notPrinted.slice(0, 10), orphansHidden: orphansHidden.slice(0, 10) },
    );

    // 6. devices
    const notBack = c.deviceChecks.filter((d) => d.readyAfterMs === null);
    add(
      'devices reconnected after each unplug and restart',
      notBack.length === 0 &&
        c.deviceChecks.some((d) => d.after === 'replug' && d.device === 'idcard') &&
        c.deviceChecks.some((d) => d.after === 'replug' && d.device === 'scanner'),
      `${c.deviceChecks.length} checks of GET /api/v1/devices, ${notBack.length} not ready in 20 s; replug → ready: ${c.deviceChecks
        .filter((d) => d.after === 'replug')
        .map((d) => `${d.device} ${d.readyAfterMs} ms`)
        .join(', ')}`,
      notBack,
    );

    // 7. snapshot = events
    const eventIds = (db.prepare('SELECT id FROM events WHERE id <= ? ORDER BY id').all(c.follower.fold.lastId) as { id: number }[]).map((r) => r.id);
    const received = new Set(c.follower.ids);
    const missed = eventIds.filter((id) => !received.has(id));
    const badPoints = c.quietPoints.filter((q) => q.diffs.length > 0 || !q.quiesced);
    add(
      'the status snapshot equals what the events imply',
      badPoints.length === 0 && c.quietPoints.length >= 5 && missed.length === 0 && c.follower.fold.outOfOrder === 0,
      `${c.quietPoints.length} quiet points compared, ${badPoints.length} differed; SSE: ${c.follower.ids.length} events received over ${c.follower.connects} connections (${c.follower.reconnectsWithLastEventId} resumed with Last-Event-ID), ${missed.length} of the ${eventIds.length} logged events never received, ${c.follower.fold.outOfOrder} out of order`,
      { badPoints, missed: missed.slice(0, 10) },
    );
    add(
      'status polling with ETag is consistent',
      c.poller.problems.length === 0 && c.poller.ok > 0 && c.poller.notModified > 0,
      `${c.poller.ok} × 200, ${c.poller.notModified} × 304, ${c.poller.down} while the daemon was down; ${c.poller.problems.length} problems`,
      c.poller.problems,
    );
  } finally {
    db.close();
  }

  // 8. privacy: no sample ID number or name in the logs or in the database files (the ID number and
  // a mobile number are also typed into evaluation comments: free text is stored masked)
  const needles: string[] = [FREE_TEXT_PHONE];
  for (const card of Object.values(SAMPLE_CARDS)) {
    needles.push(card.idNumber, card.name);
    if ('englishName' in card) needles.push(card.englishName);
  }
  const files = [...c.logFiles, c.dbPath, `${c.dbPath}-wal`, `${c.dbPath}-shm`].filter((f) => existsSync(f));
  const leaks: string[] = [];
  let scanned = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    scanned += bytes.length;
    for (const n of needles) if (bytes.includes(Buffer.from(n, 'utf8'))) leaks.push(`${n} in ${f.split('/').slice(-1)[0]}`);
  }
  add(
    'no ID number or name from the sample cards in logs or database',
    leaks.length === 0,
    `${needles.length} strings searched in ${files.length} files (${Math.round(scanned / 1024)} kB: daemon logs of ${c.logFiles.length} runs, database and WAL)`,
    leaks,
  );

  // 9. resources in the last uninterrupted run
  const { warmup, end } = c.resources;
  if (!warmup || !end) add('memory and file descriptors stable after warm-up', false, 'not measured');
  else {
    const rss = (end.rssKb - warmup.rssKb) / warmup.rssKb;
    const fds = (end.fds - warmup.fds) / warmup.fds;
    add(
      'memory and file descriptors stable after warm-up',
      rss <= RESOURCE_TOLERANCE && fds <= RESOURCE_TOLERANCE,
      `run ${c.resources.runs}: RSS ${Math.round(warmup.rssKb / 1024)} → ${Math.round(end.rssKb / 1024)} MB (${pctText(rss)}), fds ${warmup.fds} → ${end.fds} (${pctText(fds)}); tolerance +${RESOURCE_TOLERANCE * 100} %; V8 heap used after GC ${heapText(c.resources.diagnostics)}`,
      c.resources,
    );
  }

  // 10. clock step, errors, shutdown
  const cs = c.clockStep;
  add(
    'a clock step forward keeps the business day and the numbering',
    cs.before !== null && cs.after !== null && cs.after - cs.before >= 3_600_000 && cs.dayBefore === cs.dayAfter,
    `snapshot time ${fmt(cs.before)} → ${fmt(cs.after)}, business day ${cs.dayBefore} → ${cs.dayAfter}`,
  );
  add(
    'no unexpected server error',
    w.anomalies.length === 0,
    `${w.anomalies.length} anomalies (5xx answers, refused operations that should have worked)`,
    w.anomalies,
  );
  const kills = w.faults.filter((f) => f.fault.startsWith('restart #')).length;
  add('two SIGKILLs survived', kills === 2, `${kills} restarts after SIGKILL on the same data directory`);
  add('clean shutdown at the end', c.shutdown.code === 0, `exit code ${c.shutdown.code}, signal ${c.shutdown.signal}`);
  return v;
}

/** Heap used (MB) at warm-up → end from the daemon's memory breakdown: what a JS leak shows in, without the allocator's slack. */
function heapText(d: Record<string, unknown>): string {
  const used = (label: string) => (d[label] as { memoryUsage?: { heapUsed?: number } } | null | undefined)?.memoryUsage?.heapUsed;
  const a = used('warm-up');
  const b = used('end');
  if (a === undefined || b === undefined) return 'not recorded';
  return `${(a / 2 ** 20).toFixed(1)} → ${(b / 2 ** 20).toFixed(1)} MB (${pctText((b - a) / a)})`;
}

function pctText(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
}

function fmt(t: number | null): string {
  return t === null ? '—' : new Date(t).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });
}
