import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../clock.ts';
import { all, get, run } from '../store/sql.ts';
import { exportRecord, mapRecord } from './export-record.ts';
import { reasonSetByVersionTx } from './reasons.ts';
import { evaluationTx } from './store.ts';
import type { EvaluationUnit } from './unit.ts';

interface OutboxRow {
  evaluation_id: number;
  idempotency_key: string;
  /** Counted when the row is claimed: it names this claim (a later claim of the row has a higher number). */
  attempts: number;
}

export interface DrainResult {
  readonly attempted: number;
  readonly delivered: number;
  readonly failed: number;
}

export interface OutboxStatus {
  readonly pending: number;
  readonly delivered: number;
  readonly failing: number;
  readonly oldestPendingAt: number | null;
  readonly lastError: string | null;
}

export interface OutboxOptions {
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

/** A claim outlives the request it covers by this much (the mark-delivered transaction, clock skew). */
const CLAIM_MARGIN_MS = 30_000;

const DUE = "SELECT evaluation_id FROM evaluation_outbox WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, evaluation_id LIMIT ?";
const CLAIM = `UPDATE evaluation_outbox SET attempts = attempts + 1, next_at = ?
  WHERE evaluation_id IN (SELECT evaluation_id FROM evaluation_outbox WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, evaluation_id LIMIT ?)
  RETURNING evaluation_id, idempotency_key, attempts`;
const DELIVERED = "UPDATE evaluation_outbox SET state = 'delivered', delivered_at = ?, last_error = NULL WHERE evaluation_id = ? AND state = 'pending'";
const FAILED = "UPDATE evaluation_outbox SET next_at = ?, last_error = ? WHERE evaluation_id = ? AND state = 'pending' AND attempts = ?";
const STATUS = `SELECT SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending, SUM(CASE WHEN state = 'delivered' THEN 1 ELSE 0 END) AS delivered,
    SUM(CASE WHEN state = 'pending' AND last_error IS NOT NULL THEN 1 ELSE 0 END) AS failing,
    MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest
  FROM evaluation_outbox`;
const LAST_ERROR = "SELECT last_error FROM evaluation_outbox WHERE state = 'pending' AND last_error IS NOT NULL ORDER BY next_at DESC LIMIT 1";

/**
 * Delivers evaluations to the provincial 好差评 endpoint. The outbox row is written in the same
 * transaction as the evaluation, so nothing accepted can be lost; rows survive restarts and any
 * time offline. Each record is POSTed as JSON with an `Idempotency-Key` header (the evaluation's
 * uid, also in the body when mapped). A row becomes `delivered` only on a 2xx answer and is never
 * sent again; any other outcome (error status, refused connection, timeout) schedules a retry with
 * exponential backoff. A request that timed out may have arrived: it is re-sent with the same key
 * and the peer deduplicates.
 *
 * Several daemons may run the outbox of one PostgreSQL store at once, so a row is claimed before it
 * is sent: one transaction (under the hall's write lock, so claims never overlap) counts the
 * attempt and moves `next_at` past the request's timeout; the POST happens outside any
 * transaction; a second transaction marks the row delivered, or schedules the retry if the row is
 * still this claim's (its attempt number). A daemon that dies between the two leaves the claim to
 * expire, and the row is sent again then (the peer deduplicates by key). On a store of its own
 * (SQLite, one daemon, passes run one at a time) no claim can be another live runner's, so a claim
 * leaves the row due: a restart after a crash sends at once what was in flight.
 */
export class EvaluationOutbox {
  #unit: EvaluationUnit;
  #config: KioskConfig;
  #clock: Clock;
  #fetch: typeof fetch;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<DrainResult> | null = null;
  #again = false;
  /** Consecutive passes in which every attempt failed: the endpoint is down, not one record bad. */
  #failStreak = 0;
  #pausedUntil = 0;

  constructor(unit: EvaluationUnit, config: KioskConfig, clock: Clock, options: OutboxOptions = {}) {
    this.#unit = unit;
    this.#config = config;
    this.#clock = clock;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Polls for due rows every `upload.pollMs`; `kick()` makes it look at once (after a submission). */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.kick(), this.#config.evaluation.upload.pollMs);
    this.#timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** Look for due rows at once (after a submission); nothing until `start()`. */
  kick(): void {
    if (!this.#timer) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    void this.drainOnce().catch(() => undefined);
  }

  /** One pass over the due rows (at most `batchSize`); concurrent calls share the pass in flight. */
  drainOnce(): Promise<DrainResult> {
    if (this.#running) return this.#running;
    this.#running = this.#pass().finally(() => {
      this.#running = null;
      if (this.#again && this.#timer) {
        this.#again = false;
        this.kick();
      }
    });
    return this.#running;
  }

  /** Drain until nothing is due (tests, benchmarks, a manual "upload now"). */
  async drainAll(maxPasses = 10_000): Promise<DrainResult> {
    let attempted = 0;
    let delivered = 0;
    let failed = 0;
    for (let i = 0; i < maxPasses; i++) {
      const r = await this.drainOnce();
      attempted += r.attempted;
      delivered += r.delivered;
      failed += r.failed;
      if (r.attempted === 0 || r.failed > 0) break;
    }
    return { attempted, delivered, failed };
  }

  async status(): Promise<OutboxStatus> {
    const [s, last] = await this.#unit.read(function* () {
      return [
        yield* get<{ pending: number | null; delivered: number | null; failing: number | null; oldest: number | null }>(STATUS),
        yield* get<{ last_error: string }>(LAST_ERROR),
      ] as const;
    });
    return {
      pending: Number(s?.pending ?? 0),
      delivered: Number(s?.delivered ?? 0),
      failing: Number(s?.failing ?? 0),
      oldestPendingAt: s?.oldest ?? null,
      lastError: last?.last_error ?? null,
    };
  }

  async #pass(): Promise<DrainResult> {
    const upload = this.#config.evaluation.upload;
    if (!upload.url) return { attempted: 0, delivered: 0, failed: 0 };
    const now = this.#clock();
    // While the endpoint is down the whole outbox backs off, so an outage of hours costs a probe
    // per backoff step instead of one failed request per pending record per poll.
    if (now < this.#pausedUntil) return { attempted: 0, delivered: 0, failed: 0 };
    // A cheap look first: an idle outbox does not take the hall's write lock.
    const due = await this.#unit.read(() => all<{ evaluation_id: number }>(DUE, now, 1));
    if (!due.length) return { attempted: 0, delivered: 0, failed: 0 };
    let delivered = 0;
    let failed = 0;
    // In waves of `concurrency`: each wave is claimed in one transaction, then sent in parallel.
    for (let left = upload.batchSize; left > 0 && !(failed > 0 && delivered === 0);) {
      const rows = await this.#claim(Math.min(upload.concurrency, left));
      if (!rows.length) break;
      left -= rows.length;
      const sent = await Promise.all(rows.map((row) => this.#send(row, upload.url as string)));
      for (const ok of sent) {
        if (ok) delivered++;
        else failed++;
      }
    }
    if (failed > 0 && delivered === 0) {
      this.#failStreak++;
      this.#pausedUntil = this.#clock() + backoffMs(this.#failStreak, upload.backoffBaseMs, upload.backoffMaxMs);
    } else if (delivered > 0) {
      this.#failStreak = 0;
      this.#pausedUntil = 0;
    }
    return { attempted: delivered + failed, delivered, failed };
  }

  #claim(n: number): Promise<OutboxRow[]> {
    const lease = this.#unit.runner.shared ? this.#config.evaluation.upload.timeoutMs + CLAIM_MARGIN_MS : 0;
    return this.#unit.transact(function* (now) {
      const rows = yield* all<OutboxRow>(CLAIM, now + lease, now, n);
      return rows.sort((x, y) => x.evaluation_id - y.evaluation_id);
    });
  }

  async #send(row: OutboxRow, url: string): Promise<boolean> {
    const upload = this.#config.evaluation.upload;
    const config = this.#config;
    let error: string;
    try {
      const body = await this.#unit.read(function* () {
        const evaluation = yield* evaluationTx(row.evaluation_id);
        const set = yield* reasonSetByVersionTx(evaluation.reason_set_version);
        return mapRecord(exportRecord(config, evaluation, evaluation.display_no, set), upload.fields, upload.static);
      });
      const res = await this.#fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'idempotency-key': row.idempotency_key,
          ...(upload.token ? { authorization: `Bearer ${upload.token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(upload.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        // Delivered is delivered, whoever claims the row now: it is never sent again.
        await this.#unit.transact(() => run(DELIVERED, this.#clock(), row.evaluation_id));
        return true;
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'error');
    }
    const retryAt = this.#clock() + backoffMs(row.attempts, upload.backoffBaseMs, upload.backoffMaxMs);
    await this.#unit.transact(() => run(FAILED, retryAt, error, row.evaluation_id, row.attempts));
    return false;
  }
}

/** base · 2^(attempt−1), capped, with up to 10 % jitter so that many kiosks do not retry in step. */
export function backoffMs(attempt: number, base: number, max: number): number {
  const raw = Math.min(max, base * 2 ** Math.min(attempt - 1, 40));
  return Math.min(max, Math.round(raw * (1 + Math.random() * 0.1)));
}
