import type { Appointments } from './appointments.ts';
import type { QueueEngine } from './engine.ts';
import type { IssueRequest, IssueResult, PrintState, QueueStatus, TicketView } from './types.ts';

/**
 * What a terminal needs from the hall queue. A hall has one daemon holding the queue (LocalQueue)
 * and other terminals reaching it over the API (RemoteQueue, an HTTP client in
 * server/clients/remote-queue.ts that the entry point hands to the composition); the citizen
 * routes and the UI only ever see this interface, so they work the same on either kind of terminal.
 */
export interface QueueAccess {
  readonly kind: 'local' | 'remote';
  issue(request: IssueRequest): Promise<IssueResult>;
  checkIn(ref: { appointmentId?: number; identityHash?: string }): Promise<IssueResult>;
  ticket(id: number): Promise<TicketView>;
  ticketByNumber(displayNo: string): Promise<TicketView>;
  setPrintState(ticketId: number, state: PrintState): Promise<void>;
  status(): Promise<QueueStatus>;
}

export class LocalQueue implements QueueAccess {
  readonly kind = 'local' as const;
  #engine: QueueEngine;
  #appointments: Appointments;
  #clock: () => number;

  constructor(engine: QueueEngine, appointments: Appointments, clock: () => number) {
    this.#engine = engine;
    this.#appointments = appointments;
    this.#clock = clock;
  }

  async issue(request: IssueRequest): Promise<IssueResult> {
    return this.#engine.issue(request);
  }

  async checkIn(ref: { appointmentId?: number; identityHash?: string }): Promise<IssueResult> {
    const { ticket, existing } = await this.#appointments.checkIn(ref);
    return { ticket, existing };
  }

  async ticket(id: number): Promise<TicketView> {
    return this.#engine.reader.ticket(id);
  }

  async ticketByNumber(displayNo: string): Promise<TicketView> {
    return this.#engine.reader.ticketByNumber(displayNo);
  }

  async setPrintState(ticketId: number, state: PrintState): Promise<void> {
    await this.#engine.setPrintState(ticketId, state);
  }

  async status(): Promise<QueueStatus> {
    await this.#engine.tick();
    return this.#engine.reader.status(this.#clock());
  }
}
