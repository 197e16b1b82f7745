import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kiosk } from '../../kiosk/compose.ts';
import { hallCoverage } from '../../kiosk/calendar/hall-coverage.ts';
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
      await engine.tick();
      // Working-day calendar warnings (工作日历尚未包含 YYYY 年) ride along; they change the ETag.
      const warnings = hallCoverage(kiosk).warnings.map((w) => ({ code: w.code, year: w.year, message: w.message }));
      const etag = `W/"${engine.day}.${engine.reader.version}${warnings.map((w) => `.${w.year}`).join('')}"`;
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      return { ...(await engine.reader.status(kiosk.clock())), warnings };
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
      return dayStatistics(kiosk, day);
    },
  );
};

export const assistanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  if (!kiosk.engine) return;
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
      const rows = kiosk.db
        .prepare(
          `SELECT id, at, json_extract(payload, '$.terminal') AS terminal, json_extract(payload, '$.screen') AS screen
           FROM events WHERE day = ? AND type = 'assistance.requested' ORDER BY id DESC LIMIT 100`,
        )
        .all(kiosk.engine!.day) as { id: number; at: number; terminal: string; screen: string }[];
      return { requests: rows.map((r) => ({ eventId: r.id, at: r.at, terminal: r.terminal, screen: r.screen })) };
    },
  );
};

function dayStatistics(kiosk: Kiosk, day: string) {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  const services = kiosk.db
    .prepare(
      `SELECT original_service AS serviceCode, COUNT(*) AS issued, SUM(status = 'done') AS done,
         SUM(status = 'no-show') AS noShow, SUM(status = 'cancelled') AS cancelled,
         SUM(priority_reason IS NOT NULL OR appointment_id IS NOT NULL) AS priority,
         AVG(CASE WHEN called_at IS NOT NULL THEN (called_at - issued_at) / 60000.0 END) AS averageWaitMinutes,
         AVG(CASE WHEN status = 'done' THEN (done_at - serving_at) / 60000.0 END) AS averageServiceMinutes
       FROM tickets WHERE day = ? GROUP BY original_service ORDER BY original_service`,
    )
    .all(day) as { averageWaitMinutes: number | null; averageServiceMinutes: number | null }[];
  const counters = kiosk.db
    .prepare(
      `SELECT counter_no AS counterNo, SUM(status = 'done') AS done, SUM(status = 'no-show') AS noShow,
         AVG(CASE WHEN status = 'done' THEN (done_at - serving_at) / 60000.0 END) AS averageServiceMinutes
       FROM tickets WHERE day = ? AND counter_no IS NOT NULL GROUP BY counter_no ORDER BY counter_no`,
    )
    .all(day) as { averageServiceMinutes: number | null }[];
  return {
    day,
    services: services.map((s) => ({ ...s, averageWaitMinutes: round(s.averageWaitMinutes), averageServiceMinutes: round(s.averageServiceMinutes) })),
    counters: counters.map((c) => ({ ...c, averageServiceMinutes: round(c.averageServiceMinutes) })),
  };
}
