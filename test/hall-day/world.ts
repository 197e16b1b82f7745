import type { DaemonProcess } from './daemon.ts';
import type { Api, Reply } from './http.ts';
import { sleep } from './util.ts';

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
  closingDeadline = Infinity;
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

  /** Stop all actors at their next checkpoint (bounded). Returns false if some did not park. */
  async quiesce(ms = 30_000): Promise<boolean> {
    this.#paused = true;
    this.#resumed = new Promise<void>((r) => (this.#resume = r));
    const deadline = Date.now() + ms;
    while (this.#parked < this.#actors) {
      if (Date.now() > deadline) return false;
      await sleep(10);
    }
    return true;
  }

  release(): void {
    this.#paused = false;
    this.#resume?.();
  }

  /** Wait until the daemon answers again after a kill (the orchestrator restarts it). */
  async waitDaemon(): Promise<void> {
    if (!(await this.daemon.waitUp(120_000))) throw new Error('the daemon did not come back within 120 s');
  }

  /**
   * Calls until the daemon answered (connection failures are waited out and retried: the
   * request must be idempotent). 5xx other than 503 is recorded as an anomaly.
   */
  async call<T = any>(fn: () => Promise<Reply<T>>, what: string, attempts = 30): Promise<Reply<T>> {
    let last: Reply<T> | null = null;
    for (let i = 0; i < attempts; i++) {
      const r = await fn();
      last = r;
      if (r.down) {
        this.count('retries-after-connection-loss');
        await this.waitDaemon();
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
