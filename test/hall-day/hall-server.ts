import { request, type ClientRequest } from 'node:http';
import type { Api } from './http.ts';
import { sleep, untilStalled } from './util.ts';

export const HALL_TOKEN = 'dev-hall-server-token-0001';

export interface HallEvent {
  id: number;
  at: number;
  day: string;
  type: string;
  ticketId: number | null;
  counterNo: number | null;
  payload: Record<string, unknown>;
}

/**
 * The queue state implied by the event stream: each ticket's status and service, each counter's
 * state and current ticket. Folded from `/api/v1/events` exactly as a hall server would, and
 * compared with `/api/v1/queue/status` at quiet points.
 */
export class EventFold {
  readonly tickets = new Map<number, { status: string; service: string }>();
  readonly counters = new Map<number, { state: string; current: number | null }>();
  readonly types = new Map<string, number>();
  lastId = 0;
  outOfOrder = 0;
  day: string | null = null;

  constructor(counterNumbers: readonly number[]) {
    for (const n of counterNumbers) this.counters.set(n, { state: 'closed', current: null });
  }

  apply(e: HallEvent): void {
    if (e.id <= this.lastId) {
      this.outOfOrder++;
      return;
    }
    this.lastId = e.id;
    this.types.set(e.type, (this.types.get(e.type) ?? 0) + 1);
    const p = e.payload;
    if (e.type === 'day.opened') this.day = e.day;
    if (e.type.startsWith('counter.') && e.counterNo !== null) {
      const c = this.counters.get(e.counterNo) ?? { state: 'closed', current: null };
      c.state = String(p.state);
      this.counters.set(e.counterNo, c);
      return;
    }
    if (!e.type.startsWith('ticket.') || e.ticketId === null || e.type === 'ticket.print') return;
    if (e.type === 'ticket.issued') {
      this.tickets.set(e.ticketId, { status: 'waiting', service: String(p.serviceCode) });
      return;
    }
    const t = this.tickets.get(e.ticketId) ?? { status: 'unknown', service: String(p.serviceCode) };
    if (typeof p.status === 'string') t.status = p.status;
    if (typeof p.serviceCode === 'string') t.service = p.serviceCode;
    this.tickets.set(e.ticketId, t);
    if (e.counterNo === null) return;
    const c = this.counters.get(e.counterNo);
    if (!c) return;
    if (e.type === 'ticket.called') c.current = e.ticketId;
    else if (['ticket.done', 'ticket.no-show', 'ticket.transferred', 'ticket.suspended'].includes(e.type) && c.current === e.ticketId) c.current = null;
  }

  waitingByService(): Map<string, number> {
    const m = new Map<string, number>();
    for (const t of this.tickets.values()) if (t.status === 'waiting') m.set(t.service, (m.get(t.service) ?? 0) + 1);
    return m;
  }
}

export interface QueueStatus {
  day: string;
  version: number;
  generatedAt: number;
  services: { code: string; waiting: number; openCounters: number }[];
  counters: { number: number; state: string; current: { ticketId: number; status: string } | null }[];
  totals: {
    issued: number;
    waiting: number;
    inService: number;
    done: number;
    noShow: number;
    cancelled: number;
    averageWaitMinutes: number | null;
    averageServiceMinutes: number | null;
  };
}

/** Differences between the snapshot and the fold (empty: they agree). */
export function compareWithFold(status: QueueStatus, fold: EventFold): string[] {
  const diffs: string[] = [];
  const waiting = fold.waitingByService();
  for (const s of status.services) {
    const mine = waiting.get(s.code) ?? 0;
    if (mine !== s.waiting) diffs.push(`service ${s.code}: snapshot waiting ${s.waiting}, events imply ${mine}`);
  }
  for (const c of status.counters) {
    const mine = fold.counters.get(c.number);
    if (!mine) {
      diffs.push(`counter ${c.number}: not in the event fold`);
      continue;
    }
    if (mine.state !== c.state) diffs.push(`counter ${c.number}: snapshot ${c.state}, events imply ${mine.state}`);
    const cur = c.current?.ticketId ?? null;
    if (mine.current !== cur) diffs.push(`counter ${c.number}: snapshot current ${cur}, events imply ${mine.current}`);
  }
  return diffs;
}

/**
 * The hall server's event follower: `/api/v1/events` over SSE from the first event of the day,
 * reconnecting with Last-Event-ID whenever the stream ends (the daemon was killed), until stopped.
 */
export class EventFollower {
  readonly fold: EventFold;
  readonly ids: number[] = [];
  connects = 0;
  reconnectsWithLastEventId = 0;
  #api: Api;
  #stopped = false;
  #req: ClientRequest | null = null;
  #loop: Promise<void> | null = null;
  #listeners = new Set<(e: HallEvent) => void>();

  constructor(api: Api, counterNumbers: readonly number[]) {
    this.#api = api;
    this.fold = new EventFold(counterNumbers);
  }

  onEvent(fn: (e: HallEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  start(): void {
    this.#loop = (async () => {
      while (!this.#stopped) {
        await this.#connectOnce();
        if (!this.#stopped) await sleep(100);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#req?.destroy();
    await this.#loop;
  }

  /**
   * Resolves when the follower has received event `id`. No deadline while events keep arriving
   * (or the stream reconnects); false only if nothing arrived for `stallMs`.
   */
  async waitFor(id: number, stallMs = 15_000): Promise<boolean> {
    return untilStalled(
      () => this.fold.lastId >= id,
      () => this.fold.lastId + this.connects,
      stallMs,
    );
  }

  #connectOnce(): Promise<void> {
    return new Promise((resolve) => {
      const url = new URL('/api/v1/events', this.#api.base);
      const headers: Record<string, string> = { authorization: `Bearer ${HALL_TOKEN}`, accept: 'text/event-stream' };
      // From the very first event of the day, then resume where the stream stopped.
      headers['last-event-id'] = String(this.fold.lastId);
      const resuming = this.fold.lastId > 0;
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          res.on('end', resolve);
          return;
        }
        this.connects++;
        if (resuming) this.reconnectsWithLastEventId++;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n');
            if (!data) continue;
            const e = JSON.parse(data) as HallEvent;
            this.ids.push(e.id);
            this.fold.apply(e);
            for (const fn of this.#listeners) fn(e);
          }
        });
        res.on('end', resolve);
        res.on('error', () => resolve());
        res.on('close', () => resolve());
      });
      req.on('error', () => resolve());
      this.#req = req;
      req.end();
    });
  }
}

/**
 * The hall server's status poller: `/api/v1/queue/status` with If-None-Match. Checks on the fly
 * that every 200 carries an ETag naming its own day and version and that versions never go back.
 */
export class StatusPoller {
  ok = 0;
  notModified = 0;
  down = 0;
  problems: string[] = [];
  lastVersion = 0;
  #api: Api;
  #stopped = false;
  #loop: Promise<void> | null = null;
  #etag: string | null = null;
  #intervalMs: number;

  constructor(api: Api, intervalMs = 40) {
    this.#api = api;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#loop = (async () => {
      while (!this.#stopped) {
        const headers: Record<string, string> = this.#etag ? { 'if-none-match': this.#etag } : {};
        const r = await this.#api.get<QueueStatus>('/api/v1/queue/status', { token: HALL_TOKEN, headers });
        if (r.down) this.down++;
        else if (r.status === 304) this.notModified++;
        else if (r.status === 200) {
          this.ok++;
          const etag = String(r.headers.etag ?? '');
          // The working-day calendar's warnings (工作日历尚未包含 YYYY 年) are part of the snapshot and its ETag.
          const years = ((r.body as { warnings?: { year: number }[] }).warnings ?? []).map((w) => `.${w.year}`).join('');
          const expected = `W/"${r.body.day}.${r.body.version}${years}"`;
          if (etag !== expected && this.problems.length < 20) this.problems.push(`ETag ${etag} for a body of ${expected}`);
          if (r.body.version < this.lastVersion && this.problems.length < 20)
            this.problems.push(`version went back from ${this.lastVersion} to ${r.body.version}`);
          if (this.#etag !== null && etag === this.#etag && this.problems.length < 20)
            this.problems.push(`200 with the ETag ${etag} that was sent in If-None-Match`);
          this.lastVersion = Math.max(this.lastVersion, r.body.version);
          this.#etag = etag;
        } else if (this.problems.length < 20) this.problems.push(`status answered ${r.status}`);
        await sleep(this.#intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }
}
