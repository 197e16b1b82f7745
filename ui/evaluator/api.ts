/** HTTP client of the counter evaluator: its counter's bearer token, same origin as the daemon. */
import { ApiError, call } from '../api.ts';

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

  /** Audit trail; a failure here must never block the screen. */
  async screen(ticketId: number, kind: 'shown' | 'timeout' | 'skipped'): Promise<void> {
    await this.#call('POST', '/api/v1/evaluator/screens', { ticketId, kind }).catch(() => undefined);
  }

  /**
   * Follows the evaluator event stream with fetch (so the token travels in a header, not in the
   * URL), resuming from the last event id after a dropped connection. Returns a stop function.
   */
  follow(onDone: (e: TicketDone) => void, onConnected: (up: boolean) => void): () => void {
    const controller = new AbortController();
    let lastId = '';
    const run = async () => {
      while (!controller.signal.aborted) {
        try {
          const res = await fetch(`${this.#base}/api/v1/evaluator/stream`, {
            headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
            signal: controller.signal,
          });
          if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
          onConnected(true);
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const fields: Record<string, string> = {};
              for (const line of block.split('\n')) {
                const i = line.indexOf(':');
                if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
              }
              if (fields.id) lastId = fields.id;
              if (fields.event === 'ticket.done' && fields.data) onDone(JSON.parse(fields.data) as TicketDone);
            }
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        onConnected(false);
        await new Promise((r) => setTimeout(r, 2000));
      }
    };
    void run();
    return () => controller.abort();
  }

  #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(method, path, body, { base: this.#base, headers: { authorization: `Bearer ${this.token}` } });
  }

}
