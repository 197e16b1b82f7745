import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hallCoverage } from '../../kiosk/calendar/hall-coverage.ts';
import { assistanceTx, dayStatisticsTx } from '../hall-reads.ts';
import { conditionalStatus } from '../queue-status.ts';
import { auth, type Credential } from '../plugins/auth.ts';
import { DaySchema, errors, replies } from '../schemas.ts';

/** Who may read the queue status and the hall event stream (not loopback: only citizen routes are). */
export const READERS: readonly Credential[] = ['hall-server', 'counter', 'terminal', 'admin'];

/**
 * The status snapshot. Polling is cheap: the ETag is the event version, so an unchanged queue is
 * answered 304 from a string compare, without building or serialising anything.
 */
export const queueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const engine = kiosk.engine;
  app.get(
    '/queue/status',
    {
      config: auth(...READERS),
      schema: {
        tags: ['queue'],
        summary: '排队状态快照 (per service, per counter, day totals); supports If-None-Match',
        security: [{ bearer: [] }],
        response: { 200: Type.Ref('QueueStatus'), 304: Type.Null(), ...errors(401, 403, 503) },
      },
    },
    async (request, reply) => {
      if (!engine) return kiosk.queue.status();
      // Working-day calendar warnings (工作日历尚未包含 YYYY 年) ride along; they change the ETag.
      let warnings: { code: string; year: number; message: string }[] = [];
      const { etag, status } = await conditionalStatus(engine, kiosk.clock, request.headers['if-none-match'], async () => {
        warnings = (await hallCoverage(kiosk)).warnings.map((w) => ({ code: w.code, year: w.year, message: w.message }));
        return warnings.map((w) => `.${w.year}`).join('');
      });
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (!status) return reply.code(304).send(null);
      return { ...status, warnings };
    },
  );

  app.get(
    '/stats/day',
    {
      config: auth('hall-server', 'admin', 'counter'),
      schema: {
        tags: ['queue'],
        summary: '当日统计 (day statistics per service and counter)',
        security: [{ bearer: [] }],
        querystring: Type.Object({ day: Type.Optional(DaySchema) }),
        response: replies({
          200: Type.Object({
            day: Type.String(),
            services: Type.Array(
              Type.Object({
                serviceCode: Type.String(),
                issued: Type.Integer(),
                done: Type.Integer(),
                noShow: Type.Integer(),
                cancelled: Type.Integer(),
                priority: Type.Integer(),
                averageWaitMinutes: Type.Union([Type.Number(), Type.Null()]),
                averageServiceMinutes: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
            counters: Type.Array(
              Type.Object({
                counterNo: Type.Integer(),
                done: Type.Integer(),
                noShow: Type.Integer(),
                averageServiceMinutes: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
          }),
          ...errors(401, 403, 404),
        }),
      },
    },
    async (request) => {
      if (!engine) throw new Error('statistics are served by the daemon that holds the queue');
      const day = request.query.day ?? engine.day;
      return engine.unit.read(() => dayStatisticsTx(day));
    },
  );
};

export const assistanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const engine = app.kiosk.engine;
  if (!engine) return;
  app.get(
    '/assistance',
    {
      config: auth('hall-server', 'admin', 'counter'),
      schema: {
        tags: ['queue'],
        summary: '今日呼叫工作人员请求 (also pushed live as assistance.requested events)',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({
            requests: Type.Array(Type.Object({ eventId: Type.Integer(), at: Type.Integer(), terminal: Type.String(), screen: Type.String() })),
          }),
          ...errors(401, 403),
        },
      },
    },
    async () => {
      return { requests: await engine.unit.read(() => assistanceTx(engine.day)) };
    },
  );
};
