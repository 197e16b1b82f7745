/**
 * HTTP client of the counter workstation (窗口工作台): the counter's bearer token on every call,
 * the workstation snapshot, the hall event stream (fetch, so the token stays in a header) and an
 * action queue. Every clerk action gets an Idempotency-Key when it is pressed and keeps it until
 * the daemon answered: a request whose reply was lost is sent again with the same key and acts
 * once (the daemon stores the reply, see server/routes/counter-workstation.ts). The queue lives in
 * localStorage, so a reload while the network is down loses nothing either.
 */
import { ApiError, call, requestId } from '../api.ts';
import { followBearerStream } from '../bearer-stream.ts';
import type { TicketReply } from '../../server/schemas.ts';

export { ApiError };

export interface Badge {
  readonly kind: 'priority' | 'appointment';
  readonly reason: string | null;
  readonly verified: boolean;
}

export interface WsTicket {
  readonly id: number;
  readonly displayNo: string;
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly status: TicketReply['status'];
  readonly waitedMinutes: number;
  readonly recallCount: number;
  readonly requeueCount: number;
  readonly assignedHere: boolean;
  readonly transferredFrom: string | null;
  readonly badges: readonly Badge[];
}

export interface StatRow {
  readonly called: number;
  readonly recalled: number;
  readonly noShow: number;
  readonly transferredIn: number;
  readonly transferredOut: number;
  readonly suspended: number;
  readonly completed: number;
  readonly waitMedianMinutes: number | null;
  readonly serviceMedianMinutes: number | null;
  readonly idleMinutes: number | null;
  readonly pausedMinutes: number | null;
}

export interface Workstation {
  readonly hall: string;
  readonly day: string;
  readonly version: number;
  readonly now: number;
  readonly recallLimit: number;
  readonly requeueLimit: number;
  readonly counter: {
    readonly number: number;
    readonly name: string;
    readonly state: 'open' | 'paused' | 'closed';
    readonly extended: boolean;
    readonly services: readonly { code: string; name: string; waiting: number }[];
  };
  readonly current: (WsTicket & { readonly checklist: readonly { name: string; checked: boolean }[] | null }) | null;
  readonly waiting: { readonly count: number; readonly longestWaitMinutes: number; readonly tickets: readonly WsTicket[] };
  readonly suspended: readonly WsTicket[];
  readonly noShows: readonly WsTicket[];
  readonly targets: {
    readonly services: readonly { code: string; name: string; waiting: number; counters: readonly { number: number; name: string; state: string }[] }[];
    readonly counters: readonly { number: number; name: string; state: string; services: readonly { code: string; name: string }[]; waiting: number }[];
  };
  readonly staff: { readonly staffId: string; readonly staffName: string } | null;
  readonly staffList: readonly { staffId: string; staffName: string; pin: boolean }[];
  readonly today: StatRow | null;
  readonly lastEvaluation: { displayNo: string | null; level: string; bad: boolean; at: number } | null;
}

export interface Alert {
  readonly id: number;
  readonly raisedAt: number;
  readonly kind: string;
  readonly kindName: string;
  readonly counterNo: number | null;
  readonly message: string;
  readonly acknowledged: { at: number; counterNo: number | null; staffId: string | null; staffName: string | null } | null;
}

export interface QueuedAction {
  readonly key: string;
  readonly action: string;
  readonly path: string;
  readonly body: unknown;
  readonly label: string;
}

const QUEUE_KEY = 'hall-kiosk.counter.queue';
const RETRY_MS = 1000;

export class CounterApi {
  readonly token: string;
  readonly counterNo: number;
  #queue: QueuedAction[];
  #pumping = false;
  #stopped = false;
  onQueue: (queue: readonly QueuedAction[], retrying: boolean) => void = () => undefined;
  onDone: (a: QueuedAction, reply: unknown) => void = () => undefined;
  onFailed: (a: QueuedAction, err: ApiError) => void = () => undefined;

  constructor(token: string, counterNo: number) {
    this.token = token;
    this.counterNo = counterNo;
    try {
      this.#queue = JSON.parse(localStorage.getItem(QUEUE_KEY) ?? '[]') as QueuedAction[];
    } catch {
      this.#queue = [];
    }
  }

  /** Which counter the token belongs to (the evaluator's session route answers that). */
  static async identify(token: string): Promise<number> {
    const s = await call<{ counter: { number: number } }>('GET', '/evaluator/session', undefined, {
      base: '/api/v1',
      headers: { authorization: `Bearer ${token}` },
    });
    return s.counter.number;
  }

  get queue(): readonly QueuedAction[] {
    return this.#queue;
  }

  workstation(): Promise<Workstation> {
    return this.#call('GET', `/counters/${this.counterNo}/workstation`);
  }

  alerts(): Promise<{ alerts: Alert[] }> {
    return this.#call('GET', '/alerts');
  }

  signIn(body: { staffId: string; pin?: string; staffName?: string }): Promise<unknown> {
    return this.#call('POST', `/counters/${this.counterNo}/sign-in`, body);
  }

  signOut(): Promise<unknown> {
    return this.#call('POST', `/counters/${this.counterNo}/sign-out`, {});
  }

  /**
   * Queues an action (idempotency key chosen now). The same action already waiting or in flight is
   * not queued again: a double click or a key held down acts once.
   */
  enqueue(action: string, path: string, body: unknown, label: string): boolean {
    if (this.#queue.some((q) => q.action === action)) return false;
    this.#queue.push({ key: `ws-${this.counterNo}-${requestId()}`, action, path, body, label });
    this.#save();
    void this.pump();
    return true;
  }

  /** Sends the queued actions in order; an unreachable daemon is retried with the same key. */
  async pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length && !this.#stopped) {
        const a = this.#queue[0]!;
        try {
          const reply = await call<unknown>('POST', a.path, a.body, {
            base: '/api/v1',
            timeoutMs: 5000,
            headers: { authorization: `Bearer ${this.token}`, 'idempotency-key': a.key },
          });
          this.#queue.shift();
          this.#save();
          this.onQueue(this.#queue, false);
          this.onDone(a, reply);
        } catch (e) {
          const err = e instanceof ApiError ? e : new ApiError('NETWORK', '暂时无法连接服务');
          if (err.unreachable) {
            this.onQueue(this.#queue, true);
            await new Promise((r) => setTimeout(r, RETRY_MS));
            continue;
          }
          this.#queue.shift();
          this.#save();
          this.onQueue(this.#queue, false);
          this.onFailed(a, err);
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  /**
   * Follows the hall event stream from the last event id (resumed after a dropped connection).
   * `onEvent` gets each event's type; returns a stop function.
   */
  follow(onEvent: (type: string, data: unknown) => void, onConnected: (up: boolean) => void): () => void {
    const stop = followBearerStream('/api/v1/events', this.token, onEvent, onConnected, 1000);
    return () => {
      this.#stopped = true;
      stop();
    };
  }

  #save(): void {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(this.#queue));
  }

  #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(method, path, body, { base: '/api/v1', headers: { authorization: `Bearer ${this.token}` } });
  }
}
