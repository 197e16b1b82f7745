import { KioskError, type ErrorCode, ERRORS } from '../errors.ts';
import type { Appointments } from './appointments.ts';
import type { QueueEngine } from './engine.ts';
import type { IssueRequest, IssueResult, PrintState, QueueStatus, TicketView } from './types.ts';

/**
 * What a terminal needs from the hall queue. A hall has one daemon holding the queue (LocalQueue)
 * and other terminals reaching it over the API (RemoteQueue); the citizen routes and the UI only
 * ever see this interface, so they work the same on either kind of terminal.
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
    const { ticket, existing } = this.#appointments.checkIn(ref);
    return { ticket, existing };
  }

  async ticket(id: number): Promise<TicketView> {
    return this.#engine.reader.ticket(id);
  }

  async ticketByNumber(displayNo: string): Promise<TicketView> {
    return this.#engine.reader.ticketByNumber(displayNo);
  }

  async setPrintState(ticketId: number, state: PrintState): Promise<void> {
    this.#engine.setPrintState(ticketId, state);
  }

  async status(): Promise<QueueStatus> {
    this.#engine.tick();
    return this.#engine.reader.status(this.#clock());
  }
}

/** The queue of another terminal, over its `/api/v1/terminal` routes with a terminal token. */
export class RemoteQueue implements QueueAccess {
  readonly kind = 'remote' as const;
  #base: string;
  #token: string;
  #timeoutMs: number;

  constructor(baseUrl: string, token: string, timeoutMs = 5_000) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#timeoutMs = timeoutMs;
  }

  issue(request: IssueRequest): Promise<IssueResult> {
    return this.#call('POST', '/api/v1/terminal/tickets', request);
  }

  checkIn(ref: { appointmentId?: number; identityHash?: string }): Promise<IssueResult> {
    return this.#call('POST', '/api/v1/terminal/appointments/check-in', ref);
  }

  ticket(id: number): Promise<TicketView> {
    return this.#call('GET', `/api/v1/terminal/tickets/${id}`);
  }

  ticketByNumber(displayNo: string): Promise<TicketView> {
    return this.#call('GET', `/api/v1/terminal/tickets/by-number/${encodeURIComponent(displayNo)}`);
  }

  async setPrintState(ticketId: number, state: PrintState): Promise<void> {
    await this.#call('POST', `/api/v1/terminal/tickets/${ticketId}/print-state`, { state });
  }

  status(): Promise<QueueStatus> {
    return this.#call('GET', '/api/v1/queue/status');
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.#base + path, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : null,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch {
      throw new KioskError('QUEUE_REMOTE_UNAVAILABLE', { remote: this.#base });
    }
    const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (!res.ok) {
      const code = data.error?.code;
      if (code && code in ERRORS) throw new KioskError(code as ErrorCode, data.error?.details ?? {}, data.error?.message);
      throw new KioskError('QUEUE_REMOTE_UNAVAILABLE', { remote: this.#base, status: res.status });
    }
    return data as T;
  }
}
