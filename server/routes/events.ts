import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auth } from '../plugins/auth.ts';
import { errors, LastEventIdSchema } from '../schemas.ts';
import { openSse, resumePoint, streamHallEvents } from '../sse.ts';
import { READERS } from './queue.ts';

/**
 * Server-sent events: every queue, counter and device event, in order, with the event-log id as
 * the SSE id. A client that reconnects with Last-Event-ID (or ?lastEventId=) first receives what
 * it missed from the log, then live events; nothing is skipped across daemon restarts because
 * the log is in the database.
 */
export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const engine = app.kiosk.engine;
  if (!engine) return;
  app.get(
    '/events',
    {
      config: { ...auth(...READERS), rateLimit: false },
      schema: {
        tags: ['queue'],
        summary: '实时事件流 (text/event-stream), resumable with Last-Event-ID',
        security: [{ bearer: [] }],
        querystring: Type.Object({ lastEventId: Type.Optional(LastEventIdSchema) }),
        response: { ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const stream = openSse(request, reply);
      streamHallEvents(stream, engine, resumePoint(request, engine, request.query.lastEventId), (e) => ({ event: e.type, data: e }));
    },
  );
};
