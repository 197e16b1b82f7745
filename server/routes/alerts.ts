import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ALERT_KINDS, alertsFor } from '../../kiosk/alerts/index.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { periodRange, queueStatisticsTx, statisticsCsv, STAT_COLUMNS } from '../../kiosk/statistics/index.ts';
import { auth } from '../plugins/auth.ts';
import { enumOf, errors, IdSchema, Nullable, replies, Text } from '../schemas.ts';

const AlertSchema = Type.Object({
  id: Type.Integer(),
  day: Type.String(),
  raisedAt: Type.Integer(),
  kind: enumOf(ALERT_KINDS),
  kindName: Type.String(),
  counterNo: Type.Union([Type.Integer(), Type.Null()], { description: 'null: for the whole hall' }),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  acknowledged: Type.Union([
    Type.Object({
      at: Type.Integer(),
      counterNo: Type.Union([Type.Integer(), Type.Null()]),
      staffId: Nullable(Type.String()),
      staffName: Nullable(Type.String()),
    }),
    Type.Null(),
  ]),
});
const Period = Type.String({
  pattern: '^(19|20|21)\\d{2}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?$',
  maxLength: 10,
  description: 'YYYY-MM (month) or YYYY-MM-DD (day)',
});
const Row = Type.Object(
  Object.fromEntries(STAT_COLUMNS.map(([k]) => [k, k === 'key' || k === 'name' ? Type.String() : Type.Union([Type.Number(), Type.Null()])])),
);
const Report = Type.Object({
  hall: Type.String(),
  period: Type.String(),
  from: Type.String(),
  to: Type.String(),
  counters: Type.Array(Row),
  staff: Type.Array(Row),
  services: Type.Array(Row),
});

/**
 * Staff alerts (GET /alerts, POST /alerts/:id/acknowledge) for the counter workstations (their
 * counter token: the hall's alerts and their own), the technician console and the hall server;
 * and the queue reports computed from the event log (day or month, JSON and CSV) for the hall
 * manager. Registered under /api/v1.
 */
export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const alerts = alertsFor(kiosk);
  const engine = kiosk.engine;
  if (!alerts || !engine) return;
  app.addHook('onClose', async () => alerts.stop());
  const readers = auth('counter', 'hall-server', 'admin', 'technician');
  const managers = auth('hall-server', 'admin');

  app.get(
    '/alerts',
    {
      config: readers,
      schema: {
        tags: ['alerts'],
        summary: "工作人员提醒: 呼叫工作人员, 打印失败, 缺纸, 设备故障, 差评超期 (today; a counter sees the hall's and its own)",
        security: [{ bearer: [] }],
        querystring: Type.Object({ open: Type.Optional(Type.Boolean()) }),
        response: replies({ 200: Type.Object({ alerts: Type.Array(AlertSchema) }), ...errors(400, 401, 403) }),
      },
    },
    async (request) => {
      const { open } = request.query;
      const c = request.caller;
      return { alerts: await alerts.list({ ...(c.kind === 'counter' ? { forCounter: c.counterNo } : {}), openOnly: open ?? false }) };
    },
  );

  app.post(
    '/alerts/:alertId/acknowledge',
    {
      config: readers,
      // The body is optional (a counter sends none): no body is validated as `{}`.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
      schema: {
        tags: ['alerts'],
        summary: '确认提醒 (once: a second acknowledgment gets 409 with who acknowledged first)',
        security: [{ bearer: [] }],
        params: Type.Object({ alertId: IdSchema }),
        body: Type.Object(
          { by: Type.Optional(Text(30, { description: 'who goes (console, hall server); a counter: the signed-in clerk' })) },
          { additionalProperties: false },
        ),
        response: replies({ 200: Type.Object({ alert: AlertSchema }), ...errors(400, 401, 403, 404, 409) }),
      },
    },
    async (request) => {
      const { alertId } = request.params;
      const c = request.caller;
      if (c.kind === 'counter') {
        const alert = await alerts.get(alertId);
        if (alert.counterNo !== null && alert.counterNo !== c.counterNo) throw new KioskError('ALERT_UNKNOWN', { alertId });
        const staff = await kiosk.evaluations.staffOnDuty(c.counterNo);
        if (!staff) throw new KioskError('STAFF_NOT_SIGNED_IN', { counterNo: c.counterNo });
        return { alert: await alerts.acknowledge(alertId, { counterNo: c.counterNo, staffId: staff.staffId, staffName: staff.staffName }) };
      }
      // The console and the hall server may name who goes (`{ "by": "…" }`, optional).
      const named = request.body.by?.trim();
      const by = named ? named : c.kind === 'admin' || c.kind === 'technician' ? '技术人员' : '大厅管理';
      return { alert: await alerts.acknowledge(alertId, { counterNo: null, staffId: null, staffName: by }) };
    },
  );

  const report = async (period: string) => {
    const range = periodRange(period);
    const options = { staff: kiosk.evaluations.roster, now: kiosk.clock(), today: engine.day };
    // The hall's event log, on whichever store holds it (SQLite or PostgreSQL).
    const stats = await engine.unit.read(() => queueStatisticsTx(kiosk.config, range, options));
    return { hall: kiosk.config.hall.name, period, ...stats };
  };
  const query = Type.Object({ period: Type.Optional(Period) });
  app.get(
    '/reports/queue',
    {
      config: managers,
      schema: {
        tags: ['reports'],
        summary: '窗口/工作人员/业务统计 from the event log (day or month)',
        security: [{ bearer: [] }],
        querystring: query,
        response: replies({ 200: Report, ...errors(400, 401, 403) }),
      },
    },
    async (request) => report(request.query.period ?? engine.day),
  );
  app.get(
    '/reports/queue.csv',
    {
      config: managers,
      schema: {
        tags: ['reports'],
        summary: '窗口/工作人员/业务统计 CSV',
        security: [{ bearer: [] }],
        querystring: query,
        response: replies({ ...errors(400, 401, 403) }),
      },
    },
    async (request, reply) => {
      const r = await report(request.query.period ?? engine.day);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="queue-report-${r.period}.csv"`)
        .send(statisticsCsv(r));
    },
  );
};
