import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import { allow } from '../auth.ts';
import { errors } from '../schemas.ts';
import { openSse, resumePoint, streamHallEvents } from '../sse.ts';
import { READERS } from './queue.ts';

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
      const stream = openSse(request, reply);
      streamHallEvents(stream, engine, resumePoint(request, engine), (e) => ({ event: e.type, data: e }));
    },
  );
}
