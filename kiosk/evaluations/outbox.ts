import type { KioskConfig } from '../../config/schema.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/database.ts';
import { exportRecord, mapRecord } from './export-record.ts';
import type { EvaluationRow } from './store.ts';

interface OutboxRow {
  evaluation_id: number;
  idempotency_key: string;
  state: 'pending' | 'delivered';
  attempts: number;
  next_at: number;
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

/**
 * Delivers evaluations to the provincial 好差评 endpoint. The outbox row is written in the same
 * transaction as the evaluation, so nothing accepted can be lost; rows survive restarts and any
 * time offline. Each record is POSTed as JSON with an `Idempotency-Key` header (the evaluation's
 * uid, also in the body when mapped). A row becomes `delivered` only on a 2xx answer and is never
 * sent again; any other outcome (error status, refused connection, timeout) schedules a retry with
 * exponential backoff. A request that timed out may have arrived: it is re-sent with the same key
 * and the peer deduplicates.
 */
export class EvaluationOutbox {
  #db: Db;
  #config: KioskConfig;
  #clock: Clock;
  #fetch: typeof fetch;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<DrainResult> | null = null;
  #again = false;
  /** Consecutive passes in which every attempt failed: the endpoint is down, not one record bad. */
  #failStreak = 0;
  #pausedUntil = 0;
  #stmts;

  constructor(db: Db, config: KioskConfig, clock: Clock, options: OutboxOptions = {}) {
    this.#db = db;
    this.#config = config;
    this.#clock = clock;
    this.#fetch = options.fetch ?? fetch;
    this.#stmts = {
      due: db.prepare<[number, number], OutboxRow>(
        "SELECT * FROM evaluation_outbox WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, evaluation_id LIMIT ?",
      ),
      evaluation: db.prepare<[number], EvaluationRow & { display_no: string | null }>(
        'SELECT e.*, t.display_no FROM evaluations e LEFT JOIN tickets t ON t.id = e.ticket_id WHERE e.id = ?',
      ),
      delivered: db.prepare<[number, number]>(
        "UPDATE evaluation_outbox SET state = 'delivered', delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE evaluation_id = ? AND state = 'pending'",
      ),
      failed: db.prepare<[number, string, number]>(
        "UPDATE evaluation_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE evaluation_id = ? AND state = 'pending'",
      ),
      status: db.prepare<[], { pending: number | null; delivered: number | null; failing: number | null; oldest: number | null }>(
        `SELECT SUM(state = 'pending') AS pending, SUM(state = 'delivered') AS delivered,
           SUM(state = 'pending' AND attempts > 0) AS failing, MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest
         FROM evaluation_outbox`,
      ),
      lastError: db.prepare<[], { last_error: string }>(
        "SELECT last_error FROM evaluation_outbox WHERE state = 'pending' AND last_error IS NOT NULL ORDER BY next_at DESC LIMIT 1",
      ),
    };
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

  kick(): void {
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

  status(): OutboxStatus {
    const s = this.#stmts.status.get();
    return {
      pending: s?.pending ?? 0,
      delivered: s?.delivered ?? 0,
      failing: s?.failing ?? 0,
      oldestPendingAt: s?.oldest ?? null,
      lastError: this.#stmts.lastError.get()?.last_error ?? null,
    };
  }

  async #pass(): Promise<DrainResult> {
    const upload = this.#config.evaluation.upload;
    if (!upload.url) return { attempted: 0, delivered: 0, failed: 0 };
    const now = this.#clock();
    // While the endpoint is down the whole outbox backs off, so an outage of hours costs a probe
    // per backoff step instead of one failed request per pending record per poll.
    if (now < this.#pausedUntil) return { attempted: 0, delivered: 0, failed: 0 };
    const rows = this.#stmts.due.all(now, upload.batchSize);
    let delivered = 0;
    let failed = 0;
    let next = 0;
    const worker = async () => {
      while (next < rows.length && !(failed > 0 && delivered === 0)) {
        const row = rows[next++] as OutboxRow;
        if (await this.#send(row, upload.url as string)) delivered++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(upload.concurrency, rows.length) }, worker));
    if (failed > 0 && delivered === 0) {
      this.#failStreak++;
      this.#pausedUntil = this.#clock() + backoffMs(this.#failStreak, upload.backoffBaseMs, upload.backoffMaxMs);
    } else if (delivered > 0) {
      this.#failStreak = 0;
      this.#pausedUntil = 0;
    }
    return { attempted: delivered + failed, delivered, failed };
  }

  async #send(row: OutboxRow, url: string): Promise<boolean> {
    const upload = this.#config.evaluation.upload;
    let error: string;
    try {
      const evaluation = this.#stmts.evaluation.get(row.evaluation_id);
      if (!evaluation) throw new Error('evaluation row missing');
      const body = mapRecord(exportRecord(this.#config, evaluation, evaluation.display_no, this.#db), upload.fields, upload.static);
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
        this.#stmts.delivered.run(this.#clock(), row.evaluation_id);
        return true;
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'error');
    }
    this.#stmts.failed.run(this.#clock() + backoffMs(row.attempts + 1, upload.backoffBaseMs, upload.backoffMaxMs), error, row.evaluation_id);
    return false;
  }
}

/** base · 2^(attempt−1), capped, with up to 10 % jitter so that many kiosks do not retry in step. */
export function backoffMs(attempt: number, base: number, max: number): number {
  const raw = Math.min(max, base * 2 ** Math.min(attempt - 1, 40));
  return Math.min(max, Math.round(raw * (1 + Math.random() * 0.1)));
}
