import type { DaemonProcess } from './daemon.ts';
import type { Api, Reply } from './http.ts';
import { sleep, untilStalled } from './util.ts';

/** A ticket an actor received with HTTP 200 (it is on the citizen's screen or paper). */
export interface TicketAck {
  readonly ticketId: number;
  readonly displayNo: string;
  readonly serviceCode: string;
  readonly via: string;
  readonly existing: boolean;
  readonly printOk: boolean;
  readonly printCode: string | null;
  readonly requestId: string | null;
  readonly atMs: number;
}

export interface EvaluationAck {
  readonly evaluationId: number;
  readonly uid: string;
  readonly ticketId: number;
  readonly level: string;
  readonly bad: boolean;
  readonly caseId: number | null;
  readonly counterNo: number;
}

export interface FaultRecord {
  readonly atMs: number;
  readonly virtualTime: string;
  readonly ticketsIssued: number;
  readonly fault: string;
  readonly detail: string;
}

/**
 * What the actors share: the daemon, the acknowledgements they collected, the fault flags (a
 * citizen does not try a reader that shows 故障), and the gate used to reach quiet points.
 */
export class World {
  readonly daemon: DaemonProcess;
  readonly api: Api;
  readonly startedAt = Date.now();
  readonly tickets = new Map<number, TicketAck>();
  readonly ticketAcks: TicketAck[] = [];
  readonly evaluations: EvaluationAck[] = [];
  readonly faults: FaultRecord[] = [];
  /** Tickets whose print failed: reprinted once the printer is back. */
  readonly unprinted = new Map<number, { code: string | null; atMs: number }>();
  readonly reprinted = new Map<number, { atMs: number; attempts: number }>();
  /** The daemon whose kiosk issued each ticket (its printer printed it; 补打 happens there). */
  readonly issuedOn = new Map<number, DaemonProcess>();
  readonly counts = new Map<string, number>();
  readonly anomalies: string[] = [];
  readonly target: number;
  /** Real milliseconds one simulated service minute lasts (the time compression). */
  readonly minuteMs: number;
  evaluationsEnabled = false;
  printerFault: string | null = null;
  idcardUnplugged = false;
  scannerUnplugged = false;
  issuing = true;
  closing = false;
  /** Tickets counters finished with (done, 过号, transferred) and when the last one was. */
  counterProgress = 0;
  lastCounterProgressAt = Date.now();
  /** Requests answered by the daemon (progress while waiting for actors to park). */
  answered = 0;
  /** Set by the day: what still waits and which counters could serve it (for a stall report). */
  describeStall: (() => Promise<string>) | null = null;
  #stallReport: Promise<void> | null = null;
  #paused = false;
  #parked = 0;
  #actors = 0;
  #resume: (() => void) | null = null;
  #resumed: Promise<void> = Promise.resolve();

  constructor(daemon: DaemonProcess, target: number, minuteMs: number) {
    this.daemon = daemon;
    this.api = daemon.api;
    this.target = target;
    this.minuteMs = minuteMs;
  }

  get issued(): number {
    return this.tickets.size;
  }

  elapsed(): number {
    return Date.now() - this.startedAt;
  }

  count(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  anomaly(message: string): void {
    this.count('anomalies');
    if (this.anomalies.length < 50) this.anomalies.push(`${(this.elapsed() / 1000).toFixed(1)}s ${message}`);
  }

  ackTicket(ack: TicketAck): void {
    this.ticketAcks.push(ack);
    const earlier = this.tickets.get(ack.ticketId);
    if (earlier && earlier.displayNo !== ack.displayNo) this.anomaly(`ticket ${ack.ticketId} acknowledged as ${earlier.displayNo} and as ${ack.displayNo}`);
    if (!earlier) this.tickets.set(ack.ticketId, ack);
    if (!ack.printOk) this.unprinted.set(ack.ticketId, { code: ack.printCode, atMs: ack.atMs });
    else this.unprinted.delete(ack.ticketId);
  }

  fault(fault: string, detail = ''): void {
    const v = new Date(this.daemon.now()).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });
    this.faults.push({ atMs: this.elapsed(), virtualTime: v, ticketsIssued: this.issued, fault, detail });
  }

  // ---- closing: ends when the hall is clear, gives up only on a stall

  /**
   * How long the hall may go without any counter finishing a ticket before the closing phase is
   * declared stalled: 60 simulated minutes (the longest service is 15 min × 1.6 = 24 min; a
   * closing counter brings suspended and 过号 citizens back at once and does not pause), and at
   * least 30 s real, so that a machine too busy to answer a request in seconds is not mistaken
   * for a hall that stopped. It is not a deadline: every finished ticket starts it again.
   */
  get stallMs(): number {
    return Math.max(60 * this.minuteMs, 30_000);
  }

  /** A counter finished with a ticket (done, 过号 or transferred). */
  counterFinished(): void {
    this.counterProgress++;
    this.lastCounterProgressAt = Date.now();
  }

  startClosing(): void {
    this.lastCounterProgressAt = Date.now();
    this.closing = true;
  }

  /** Closing and no counter has finished a ticket for `stallMs`. */
  closingStalled(): boolean {
    return this.closing && Date.now() - this.lastCounterProgressAt > this.stallMs;
  }

  /** One anomaly for the whole hall (the first counter to notice writes it; the others wait for it). */
  reportStall(): Promise<void> {
    this.#stallReport ??= (async () => {
      let what = '';
      try {
        what = this.describeStall ? await this.describeStall() : '';
      } catch (err) {
        what = `(could not describe: ${(err as Error).message})`;
      }
      this.anomaly(
        `closing stalled: no counter finished a ticket for ${(this.stallMs / 1000).toFixed(1)} s (${Math.round(this.stallMs / this.minuteMs)} simulated min)${what ? `; ${what}` : ''}`,
      );
    })();
    return this.#stallReport;
  }

  // ---- actors and quiet points

  register(): void {
    this.#actors++;
  }

  unregister(): void {
    this.#actors--;
  }

  /** Actors call this between operations; it blocks while a quiet point is being taken. */
  async checkpoint(): Promise<void> {
    if (!this.#paused) return;
    this.#parked++;
    await this.#resumed;
    this.#parked--;
  }

  /**
   * Stop all actors at their next checkpoint. Returns false only if they stalled: none parked
   * and the daemon answered no request of theirs for `stallMs` (no fixed deadline).
   */
  async quiesce(stallMs = 30_000): Promise<boolean> {
    this.#paused = true;
    this.#resumed = new Promise<void>((r) => (this.#resume = r));
    return untilStalled(
      () => this.#parked >= this.#actors,
      () => this.#parked + this.answered,
      stallMs,
      10,
    );
  }

  release(): void {
    this.#paused = false;
    this.#resume?.();
  }

  /** Wait until the daemon (by default the first) answers again after a kill (the orchestrator restarts it); progress-based. */
  async waitDaemon(daemon: DaemonProcess = this.daemon): Promise<void> {
    if (!(await daemon.waitUp())) throw new Error('the daemon did not come back: nothing answered and no daemon process used CPU for 30 s');
  }

  /**
   * Calls until the daemon (`daemon`, on PostgreSQL the one `fn` talks to) answered (connection failures are waited out and retried: the
   * request must be idempotent). 5xx other than 503 is recorded as an anomaly. `attempts` counts
   * answers, not time: 30 × 503 in a row means the daemon keeps refusing (STORE_UNAVAILABLE comes
   * only after SQLite's own 5 s busy_timeout, a product setting), however slow the machine is.
   */
  async call<T = any>(fn: () => Promise<Reply<T>>, what: string, attempts = 30, daemon: DaemonProcess = this.daemon): Promise<Reply<T>> {
    let last: Reply<T> | null = null;
    for (let i = 0; i < attempts; i++) {
      const r = await fn();
      last = r;
      if (!r.down) this.answered++;
      if (r.down) {
        this.count('retries-after-connection-loss');
        await this.waitDaemon(daemon);
        continue;
      }
      if (r.status === 503) {
        this.count('retries-after-503');
        await sleep(50);
        continue;
      }
      if (r.status >= 500) this.anomaly(`${what}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      return r;
    }
    throw new Error(`${what}: no answer after ${attempts} attempts (${last?.error ?? last?.status})`);
  }
}
