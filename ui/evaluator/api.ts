/** HTTP client of the counter evaluator: its counter's bearer token, same origin as the daemon. */
import { ApiError, call } from '../api.ts';
import { followBearerStream } from '../bearer-stream.ts';

export interface Reason {
  readonly code: string;
  readonly name: string;
  readonly requiresText?: boolean;
}

export interface Session {
  readonly counter: { readonly number: number; readonly name: string };
  readonly staff: { readonly staffId: string; readonly staffName: string } | null;
  readonly form: { readonly levels: string[]; readonly reasons: { version: string; items: Reason[] }; readonly timeoutSeconds: number };
}

export interface TicketDone {
  readonly ticketId: number;
  readonly displayNo: string | null;
  readonly serviceName: string | null;
  readonly doneAt: number;
  readonly staff: { readonly staffId: string; readonly staffName: string } | null;
  /** False for an old completion replayed after a reconnect: not to be asked about. */
  readonly fresh: boolean;
}

export interface SubmitBody {
  readonly ticketId: number;
  readonly level: string;
  readonly reasons: string[];
  readonly text: string | null;
  readonly phone: string | null;
  readonly requestId: string;
}

export interface SubmitReply {
  readonly evaluation: { readonly id: number; readonly realName: boolean };
  readonly case: { readonly contactDue: string | null; readonly rectifyDue: string | null } | null;
}

export { ApiError };

export class EvaluatorApi {
  readonly token: string;
  #base: string;

  constructor(token: string, base = '') {
    this.token = token;
    this.#base = base;
  }

  session(): Promise<Session> {
    return this.#call('GET', '/api/v1/evaluator/session');
  }

  submit(body: SubmitBody): Promise<SubmitReply> {
    return this.#call('POST', '/api/v1/evaluator/evaluations', body);
  }

  /** The daemon's espeak-ng WAV of a prompt (朗读 when the browser has no Chinese voice). */
  speech(text: string): Promise<Blob> {
    return call<Blob>(
      'POST',
      '/api/v1/evaluator/speech',
      { text },
      { base: this.#base, blob: true, timeoutMs: 10_000, headers: { authorization: `Bearer ${this.token}` } },
    );
  }

  /** Audit trail; a failure here must never block the screen. */
  async screen(ticketId: number, kind: 'shown' | 'timeout' | 'skipped'): Promise<void> {
    await this.#call('POST', '/api/v1/evaluator/screens', { ticketId, kind }).catch(() => undefined);
  }

  /**
   * Follows the evaluator event stream with fetch (so the token travels in a header, not in the
   * URL), resuming from the last event id after a dropped connection. Returns a stop function.
   */
  follow(onDone: (e: TicketDone) => void, onConnected: (up: boolean) => void): () => void {
    const onEvent = (type: string, data: unknown) => {
      if (type === 'ticket.done' && data) onDone(data as TicketDone);
    };
    return followBearerStream(`${this.#base}/api/v1/evaluator/stream`, this.token, onEvent, onConnected, 2000);
  }

  #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(method, path, body, { base: this.#base, headers: { authorization: `Bearer ${this.token}` } });
  }
}
