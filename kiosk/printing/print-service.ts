import type { PrinterDocument } from '../../drivers/printer/document.ts';
import type { DeviceHub } from '../devices/hub.ts';
import { KioskError } from '../errors.ts';
import type { Clock } from '../clock.ts';
import type { QueueAccess } from '../queue/access.ts';
import { writeTx, type Db } from '../store/database.ts';

/**
 * Durable print jobs. A job is written (queued) before any byte goes to the printer and updated as
 * it progresses (sent → done | failed), so a ticket can be "issued, not printed": the number is
 * valid, shown on screen, and reprinted later from the stored document. Jobs left in flight by a
 * crash are marked failed at start-up so they can be reprinted, never silently lost.
 */
export type PrintJobKind = 'ticket' | 'notice' | 'test' | 'certificate';

export interface PrintOutcome {
  readonly jobId: number;
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
}

export class PrintService {
  #db: Db;
  #hub: DeviceHub;
  #queue: QueueAccess;
  #clock: Clock;
  #suspects: number[];

  constructor(db: Db, hub: DeviceHub, queue: QueueAccess, clock: Clock) {
    this.#db = db;
    this.#hub = hub;
    this.#queue = queue;
    this.#clock = clock;
    const now = clock();
    this.#suspects = writeTx(db, () => {
      // Tickets whose print state may lag their jobs after a crash: those with a job still in
      // flight, and those of the last jobs that finished (the state update may not have followed).
      const inFlight = db.prepare("SELECT ticket_id FROM print_jobs WHERE state IN ('queued','sent') AND ticket_id IS NOT NULL").all() as {
        ticket_id: number;
      }[];
      const lastDone = db
        .prepare("SELECT ticket_id FROM print_jobs WHERE state = 'done' AND kind = 'ticket' ORDER BY updated_at DESC, id DESC LIMIT 8")
        .all() as { ticket_id: number }[];
      db.prepare(
        "UPDATE print_jobs SET state = 'failed', error_code = 'interrupted', error_message = '打印被中断', updated_at = ? WHERE state IN ('queued','sent')",
      ).run(now);
      return [...new Set([...inFlight, ...lastDone].map((r) => r.ticket_id))];
    });
  }

  /**
   * After a crash the ticket's print state (in the queue, possibly on another terminal) may lag its
   * print jobs (here): a job finished just before the kill, or was interrupted. Bring the queue in
   * line with the jobs of tickets issued here: printed if any job finished, else failed.
   */
  async reconcile(): Promise<void> {
    const printed = this.#db.prepare("SELECT MAX(state = 'done') AS printed FROM print_jobs WHERE kind = 'ticket' AND ticket_id = ?");
    const rows = this.#suspects.map((id) => ({ ticket_id: id, printed: (printed.get(id) as { printed: number }).printed }));
    this.#suspects = [];
    for (const r of rows) {
      try {
        const ticket = await this.#queue.ticket(r.ticket_id);
        const want = r.printed ? 'printed' : 'failed';
        if (ticket.printState !== want && ticket.printState !== 'printed') await this.#queue.setPrintState(r.ticket_id, want);
      } catch {
        // A ticket of an archived day, or the queue unreachable: nothing to correct now.
      }
    }
  }

  async print(kind: PrintJobKind, document: PrinterDocument, ticketId: number | null = null): Promise<PrintOutcome> {
    const now = this.#clock();
    const jobId = writeTx(this.#db, () =>
      Number(
        this.#db
          .prepare("INSERT INTO print_jobs (ticket_id, kind, state, document, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?, ?)")
          .run(ticketId, kind, JSON.stringify(document), now, now).lastInsertRowid,
      ),
    );
    return this.#run(jobId, document, ticketId);
  }

  /** Print a stored job's document again (same content), e.g. after paper was refilled. */
  async reprintTicket(ticketId: number): Promise<PrintOutcome> {
    const row = this.#db.prepare("SELECT id, document FROM print_jobs WHERE ticket_id = ? AND kind = 'ticket' ORDER BY id DESC LIMIT 1").get(ticketId) as
      { id: number; document: string } | undefined;
    if (!row) throw new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId }, '这张号票不是在本机取的，无法在本机补打');
    return this.print('ticket', JSON.parse(row.document) as PrinterDocument, ticketId);
  }

  /** Tickets issued here whose printing failed and has not succeeded since. */
  unprintedTickets(): number[] {
    return (
      this.#db
        .prepare(
          `SELECT ticket_id FROM print_jobs WHERE kind = 'ticket' AND ticket_id IS NOT NULL GROUP BY ticket_id
           HAVING SUM(state = 'done') = 0`,
        )
        .all() as { ticket_id: number }[]
    ).map((r) => r.ticket_id);
  }

  async #run(jobId: number, document: PrinterDocument, ticketId: number | null): Promise<PrintOutcome> {
    const printer = this.#hub.printer;
    if (ticketId !== null) await this.#queue.setPrintState(ticketId, 'pending');
    this.#update(jobId, 'sent', null, null);
    const result = printer ? await printer.print(document) : ({ ok: false, code: 'disconnected', message: '本机未配置打印机' } as const);
    if (result.ok) {
      this.#update(jobId, 'done', null, null);
      if (ticketId !== null) await this.#queue.setPrintState(ticketId, 'printed');
      return { jobId, ok: true };
    }
    this.#update(jobId, 'failed', result.code, result.message);
    if (ticketId !== null) await this.#queue.setPrintState(ticketId, 'failed');
    return { jobId, ok: false, code: result.code, message: result.message };
  }

  #update(jobId: number, state: string, code: string | null, message: string | null): void {
    writeTx(this.#db, () =>
      this.#db
        .prepare("UPDATE print_jobs SET state = ?, error_code = ?, error_message = ?, attempts = attempts + (? = 'sent'), updated_at = ? WHERE id = ?")
        .run(state, code, message, state, this.#clock(), jobId),
    );
  }
}
