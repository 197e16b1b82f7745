import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import type { HallEvent } from '../../kiosk/queue/types.ts';
import { allow } from '../auth.ts';
import { errors } from '../schemas.ts';
import { READERS } from './queue.ts';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: every queue, counter and device event, in order, with the event-log id as
 * the SSE id. A client that reconnects with Last-Event-ID (or ?lastEventId=) first receives what
 * it missed from the log, then live events; nothing is skipped across daemon restarts because
 * the log is in the database.
 */
export async function eventRoutes(app: FastifyInstance, kiosk: Kiosk): Promise<void> {
  const engine = kiosk.engine;
  if (!engine) return;
  app.get(
    '/events',
    {
      preHandler: allow(...READERS),
      config: { rateLimit: false },
      schema: {
        tags: ['queue'],
        summary: '实时事件流 (text/event-stream), resumable with Last-Event-ID',
        security: [{ bearer: [] }],
        querystring: Type.Object({ lastEventId: Type.Optional(Type.Integer({ minimum: 0 })) }),
        response: { ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const header = Number(request.headers['last-event-id']);
      const query = (request.query as { lastEventId?: number }).lastEventId;
      // Without a resume point a client starts from now (the snapshot gives it the current state).
      let cursor = Number.isFinite(header) && header >= 0 ? header : (query ?? engine.reader.version);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 2000\n\n');
      const send = (e: HallEvent) => {
        if (e.id <= cursor) return;
        cursor = e.id;
        raw.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      // Replay what the client missed, then follow live events. Live events that arrive while
      // replaying are held back and sent in order afterwards.
      const held: HallEvent[] = [];
      let replaying = true;
      const onEvent = (e: HallEvent) => (replaying ? held.push(e) : send(e));
      engine.on('event', onEvent);
      for (;;) {
        const batch = engine.reader.eventsSince(cursor, 500);
        batch.forEach(send);
        if (batch.length < 500) break;
      }
      replaying = false;
      held.forEach(send);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        engine.off('event', onEvent);
      });
    },
  );
}
