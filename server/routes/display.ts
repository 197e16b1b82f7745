import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { QueueEngine } from '../../kiosk/queue/engine.ts';
import type { HallEvent, QueueStatus } from '../../kiosk/queue/types.ts';
import { sentAwayTx } from '../hall-reads.ts';
import { conditionalStatus } from '../queue-status.ts';
import { displayAuth } from '../plugins/auth.ts';
import { enumOf, errors, LastEventIdSchema, TokenSchema } from '../schemas.ts';
import { openSse, resumePoint, streamHallEvents } from '../sse.ts';

/** A call replayed after a reconnect that is older than this is shown, but not announced again. */
export const FRESH_CALL_MS = 60_000;
/** A `ping` event this often: a display that hears nothing for two of them reconnects. */
export const PING_MS = 30_000;

const COUNTER_EVENTS = new Set(['counter.opened', 'counter.closed', 'counter.paused', 'counter.resumed']);
/** The counter stops showing its number: the ticket left it (done, 过号, transferred, 挂起). */
const LEAVES_COUNTER = new Set(['ticket.done', 'ticket.no-show', 'ticket.transferred', 'ticket.suspended']);
/** Only the waiting counts change. */
const WAITING_ONLY = new Set(['ticket.issued', 'ticket.cancelled', 'ticket.requeued', 'ticket.resumed']);

const Waiting = Type.Array(Type.Object({ code: Type.String(), waiting: Type.Integer() }), { description: 'waiting tickets per service, as of now' });
const Query = Type.Object({ token: Type.Optional(TokenSchema), lastEventId: Type.Optional(LastEventIdSchema) });

/** The events of the display stream (documented in OpenAPI; built field by field, so nothing else can leak). */
export const DisplayEventSchemas = {
  'ticket.called / ticket.recalled': Type.Object({
    displayNo: Type.String({ examples: ['A012'] }),
    serviceCode: Type.String(),
    serviceName: Type.String(),
    counterNo: Type.Integer(),
    counterName: Type.String({ examples: ['3号窗口（报销）'] }),
    recallCount: Type.Integer(),
    at: Type.Integer(),
    fresh: Type.Boolean({ description: `false for a call older than ${FRESH_CALL_MS / 1000} s replayed after a reconnect: show, do not announce` }),
    waiting: Waiting,
  }),
  'counter.state': Type.Object({
    counterNo: Type.Integer(),
    counterName: Type.String(),
    state: enumOf(['open', 'paused', 'closed'] as const),
    at: Type.Integer(),
  }),
  'counter.idle': Type.Object({
    counterNo: Type.Integer(),
    counterName: Type.String(),
    displayNo: Type.String(),
    reason: enumOf(['done', 'no-show', 'transferred', 'suspended'] as const, { description: 'not done: the call is withdrawn from the screen' }),
    at: Type.Integer(),
    waiting: Waiting,
  }),
  'queue.waiting': Type.Object({ at: Type.Integer(), waiting: Waiting }),
  'day.opened': Type.Object({ day: Type.String(), at: Type.Integer() }),
  'hello / ping (no id)': Type.Object({ at: Type.Integer({ description: "the daemon's clock, epoch ms" }) }),
};

/**
 * The hall's call displays (叫号显示屏): a snapshot and an event stream carrying only what a public
 * screen shows — ticket numbers, counter numbers and names, waiting counts — never a ticket id or
 * anything about the person. Readable with a hall-server token (header, or `?token=` because
 * EventSource cannot send headers) or by the admin — also from this machine (a display run on the
 * kiosk itself needs the token too). The check is the auth plugin's (server/plugins/auth.ts).
 * Registered under /api/v1.
 */
export const displayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const engine = kiosk.engine;
  const { config } = kiosk;
  const counterName = (n: number) => config.counters.find((c) => c.number === n)?.name ?? `${n}号窗口`;
  const serviceName = (code: string) => config.services.find((s) => s.code === code)?.name ?? code;

  // A call whose ticket was later 挂起, 过号 or transferred is no longer a call: the number must not
  // stay on the screen as if the citizen were still expected at that window.
  const withoutSentAway = async (hall: QueueEngine, status: QueueStatus): Promise<QueueStatus> => {
    const gone = new Set(await hall.unit.read(() => sentAwayTx(status.day)));
    return gone.size ? { ...status, recentCalls: status.recentCalls.filter((c) => !gone.has(c.displayNo)) } : status;
  };

  app.get(
    '/display/status',
    {
      config: displayAuth(),
      schema: {
        tags: ['display'],
        summary: '叫号显示屏快照 (same as /queue/status; token by header or ?token=); supports If-None-Match',
        security: [{ bearer: [] }],
        querystring: Type.Object({ token: Query.properties.token }),
        response: { 200: Type.Ref('QueueStatus'), 304: Type.Null(), ...errors(401, 403, 503) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-cache');
      if (!engine) return kiosk.queue.status();
      const { etag, status } = await conditionalStatus(engine, kiosk.clock, request.headers['if-none-match']);
      reply.header('etag', etag);
      if (!status) return reply.code(304).send(null);
      return withoutSentAway(engine, status);
    },
  );

  if (!engine) return; // a terminal using another daemon's queue: displays connect to that daemon

  const waiting = async () => (await engine.reader.status(kiosk.clock())).services.map((s) => ({ code: s.code, waiting: s.waiting }));

  const render = async (e: HallEvent): Promise<{ event: string; data: unknown } | null> => {
    const p = e.payload;
    const displayNo = typeof p.displayNo === 'string' ? p.displayNo : null;
    if ((e.type === 'ticket.called' || e.type === 'ticket.recalled') && displayNo && e.counterNo !== null) {
      const code = String(p.serviceCode ?? '');
      return {
        event: e.type,
        data: {
          displayNo,
          serviceCode: code,
          serviceName: serviceName(code),
          counterNo: e.counterNo,
          counterName: counterName(e.counterNo),
          recallCount: typeof p.recallCount === 'number' ? p.recallCount : 0,
          at: e.at,
          fresh: kiosk.clock() - e.at <= FRESH_CALL_MS,
          waiting: await waiting(),
        },
      };
    }
    if (COUNTER_EVENTS.has(e.type) && e.counterNo !== null) {
      return { event: 'counter.state', data: { counterNo: e.counterNo, counterName: counterName(e.counterNo), state: String(p.state), at: e.at } };
    }
    if (LEAVES_COUNTER.has(e.type) && e.counterNo !== null && displayNo) {
      const reason = e.type.slice('ticket.'.length) as 'done' | 'no-show' | 'transferred' | 'suspended';
      return {
        event: 'counter.idle',
        data: { counterNo: e.counterNo, counterName: counterName(e.counterNo), displayNo, reason, at: e.at, waiting: await waiting() },
      };
    }
    if (WAITING_ONLY.has(e.type)) return { event: 'queue.waiting', data: { at: e.at, waiting: await waiting() } };
    if (e.type === 'day.opened') return { event: 'day.opened', data: { day: e.day, at: e.at } };
    return null;
  };

  app.get(
    '/display/stream',
    {
      config: { ...displayAuth(), rateLimit: false },
      schema: {
        tags: ['display'],
        summary:
          '叫号显示屏事件流 (text/event-stream): hello, ping, ticket.called, ticket.recalled, counter.state, counter.idle, queue.waiting, day.opened; resumable with Last-Event-ID',
        description:
          'Token by `Authorization: Bearer` or `?token=` (EventSource). Start with `?lastEventId=<snapshot version>` right after ' +
          'fetching /display/status so nothing falls between the two; EventSource then resumes by itself with Last-Event-ID. ' +
          `Event data: ${JSON.stringify(Object.fromEntries(Object.entries(DisplayEventSchemas).map(([k, v]) => [k, Object.keys(v.properties)])))}`,
        security: [{ bearer: [] }],
        querystring: Query,
        response: { ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const stream = openSse(request, reply);
      // Without an id (they do not move Last-Event-ID): the daemon's clock, and a visible sign of
      // life, since EventSource hides the keep-alive comments and a half-open connection looks open.
      stream.send('hello', { at: kiosk.clock() });
      const ping = setInterval(() => stream.send('ping', { at: kiosk.clock() }), PING_MS);
      stream.onClose(() => clearInterval(ping));
      streamHallEvents(stream, engine, resumePoint(request, engine, request.query.lastEventId), render);
    },
  );
};
