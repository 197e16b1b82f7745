import type { FastifyReply, FastifyRequest } from 'fastify';
import type { QueueEngine } from '../kiosk/queue/engine.ts';
import type { HallEvent } from '../kiosk/queue/types.ts';

const HEARTBEAT_MS = 15_000;
const REPLAY_BATCH = 500;

export interface SseStream {
  /** Writes one event; `id` makes it resumable with Last-Event-ID. */
  send(event: string, data: unknown, id?: number): void;
  /** Runs when the client goes away (after the heartbeat is stopped). */
  onClose(fn: () => void): void;
}

/** Takes over the reply as a text/event-stream with a heartbeat comment every 15 s. */
export function openSse(request: FastifyRequest, reply: FastifyReply): SseStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 2000\n\n');
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const closers: (() => void)[] = [() => clearInterval(heartbeat)];
  request.raw.on('close', () => closers.forEach((fn) => fn()));
  return {
    send(event, data, id) {
      raw.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    onClose(fn) {
      closers.push(fn);
    },
  };
}

/** Where a hall-event stream resumes: Last-Event-ID, else `?lastEventId=` (validated by the route), else "from now". */
export function resumePoint(request: FastifyRequest, engine: QueueEngine, lastEventId: number | undefined): number {
  const header = Number(request.headers['last-event-id']);
  if (request.headers['last-event-id'] !== undefined && Number.isSafeInteger(header) && header >= 0) return header;
  return lastEventId ?? engine.reader.version;
}

type Rendered = { event: string; data: unknown } | null;

/**
 * Streams the hall's event log from `cursor`: first what the client missed (from the database, so
 * nothing is skipped across daemon restarts), then live events, in order and without duplicates.
 * Live events that arrive while replaying are held back and sent afterwards. `render` picks and
 * shapes the events this stream carries (null skips one); it may read the store, so events are
 * rendered one after another on a chain that keeps their order.
 */
export function streamHallEvents(stream: SseStream, engine: QueueEngine, cursor: number, render: (e: HallEvent) => Rendered | Promise<Rendered>): void {
  let last = cursor;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  const send = (e: HallEvent) => {
    chain = chain
      .then(async () => {
        if (closed || e.id <= last) return;
        last = e.id;
        const out = await render(e);
        if (out && !closed) stream.send(out.event, out.data, e.id);
      })
      .catch(() => undefined);
  };
  const held: HallEvent[] = [];
  let replaying = true;
  const onEvent = (e: HallEvent) => (replaying ? held.push(e) : send(e));
  engine.on('event', onEvent);
  stream.onClose(() => {
    closed = true;
    engine.off('event', onEvent);
  });
  void (async () => {
    let from = cursor;
    try {
      for (;;) {
        const batch = await engine.reader.eventsSince(from, REPLAY_BATCH);
        batch.forEach(send);
        from = batch.at(-1)?.id ?? from;
        if (batch.length < REPLAY_BATCH || closed) break;
      }
    } finally {
      // Even if the replay read failed (store unavailable), live events keep flowing.
      replaying = false;
      held.forEach(send);
    }
  })().catch(() => undefined);
}
