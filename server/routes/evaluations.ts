import { timingSafeEqual } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import type { CaseAction, CaseActionInput } from '../../kiosk/evaluations/cases.ts';
import { CASE_ACTIONS } from '../../kiosk/evaluations/cases.ts';
import { evaluationError } from '../../kiosk/evaluations/errors.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { exportRecord } from '../../kiosk/evaluations/export-record.ts';
import * as S from '../../kiosk/evaluations/http-schemas.ts';
import type { Evaluations } from '../../kiosk/evaluations/service.ts';
import { csvCell, GROUPINGS, statisticsCsv, type Grouping } from '../../kiosk/evaluations/statistics.ts';
import type { EvaluationRow } from '../../kiosk/evaluations/store.ts';
import { LEVELS, type CaseStatus, type ScreenKind } from '../../kiosk/evaluations/types.ts';
import { allow } from '../auth.ts';
import { DaySchema, errors } from '../schemas.ts';
import { openSse, resumePoint, streamHallEvents } from '../sse.ts';

type WithEvaluations = Kiosk & { readonly evaluations?: Evaluations | null };
const Period = Type.String({ pattern: '^\\d{4}-\\d{2}(-\\d{2})?$', description: 'YYYY-MM (month) or YYYY-MM-DD (day)' });
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const tag = (t: string, summary: string, extra: Record<string, unknown> = {}) => ({ tags: [t], summary, security: [{ bearer: [] }], ...extra });

/**
 * 好差评 API: the counter evaluator (its counter's bearer token), the kiosk UI (loopback only),
 * staff and admin work on 差评 cases and statistics (JSON, CSV, public display); the working-day
 * calendar is in ./calendar.ts. Registered under /api/v1.
 */
export async function evaluationRoutes(app: FastifyInstance, kiosk: Kiosk): Promise<void> {
  const ev = (kiosk as WithEvaluations).evaluations;
  if (!ev) return;
  const engine = kiosk.engine;
  const staffOrAdmin = allow('admin', 'hall-server');
  const adminOnly = allow('admin');
  const kioskUi = allow('loopback');
  const tokenOf = (request: FastifyRequest) => (request.query as { token?: string } | undefined)?.token;

  /** The counter the caller is: its bearer token, or (stream only) `?token=` for EventSource. */
  const counterOf = (request: FastifyRequest, reply: FastifyReply, acceptQuery = false): number | null => {
    if (request.caller.kind === 'counter') return request.caller.counterNo;
    const token = acceptQuery ? tokenOf(request) : undefined;
    const found = token ? kiosk.config.counters.find((c) => same(c.token, token)) : undefined;
    if (found) return found.number;
    const kind = request.caller.kind;
    const status = kind === 'anonymous' || kind === 'loopback' ? 401 : 403;
    void reply.code(status).send({ error: { code: status === 401 ? 'AUTH_REQUIRED' : 'AUTH_FORBIDDEN', message: '评价器需要本窗口的令牌' } });
    return null;
  };
  const form = () => ({
    levels: [...LEVELS],
    reasons: ev.store.reasons,
    windowDays: kiosk.config.evaluation.windowDays,
    timeoutSeconds: kiosk.config.evaluation.evaluatorTimeoutSeconds,
  });

  // ------------------------------------------------------------ counter evaluator

  app.get('/evaluator/session', { schema: tag('evaluator', '评价器: counter, staff on duty, levels and reasons', {
    response: { 200: Type.Object({ counter: Type.Object({ number: Type.Integer(), name: Type.String() }), staff: S.StaffSchema, form: S.FormReply }), ...errors(401, 403) },
  }) }, async (request, reply) => {
    const counterNo = counterOf(request, reply);
    if (counterNo === null) return reply;
    const counter = kiosk.config.counters.find((c) => c.number === counterNo)!;
    return { counter: { number: counterNo, name: counter.name }, staff: ev.staffAt(counterNo), form: form() };
  });

  app.get('/evaluator/stream', {
    config: { rateLimit: false },
    schema: tag('evaluator', '评价器事件流 (text/event-stream): ticket.done of this counter; token by header or ?token=', {
      querystring: Type.Object({ token: Type.Optional(Type.String()), lastEventId: Type.Optional(Type.Integer({ minimum: 0 })) }),
    }),
  }, async (request, reply) => {
    const counterNo = counterOf(request, reply, true);
    if (counterNo === null || !engine) return reply;
    const stream = openSse(request, reply);
    stream.send('hello', { counterNo, staff: ev.staffAt(counterNo) });
    streamHallEvents(stream, engine, resumePoint(request, engine), (e) => {
      if (e.type !== 'ticket.done' || e.counterNo !== counterNo || e.ticketId === null) return null;
      const row = engine.reader.row(e.ticketId);
      const staff = row?.done_at ? ev.roster.at(counterNo, row.done_at) : null;
      return {
        event: 'ticket.done',
        data: {
          ticketId: e.ticketId,
          displayNo: row?.display_no ?? null,
          serviceName: kiosk.config.services.find((s) => s.code === row?.service_code)?.name ?? null,
          doneAt: row?.done_at ?? e.at,
          staff: staff ? { staffId: staff.staffId, staffName: staff.staffName } : null,
          // Judged on the daemon's clock: a ticket.done replayed after a long disconnect is not asked about.
          fresh: kiosk.clock() - (row?.done_at ?? e.at) <= kiosk.config.evaluation.evaluatorTimeoutSeconds * 1000,
        },
      };
    });
  });

  app.post('/evaluator/evaluations', { schema: tag('evaluator', '评价器提交评价 (ticket completed at this counter)', {
    body: S.EvaluatorSubmitBody, response: { 200: S.SubmitReply, ...errors(400, 401, 403, 404, 409, 429, 503) },
  }) }, async (request, reply) => {
    const counterNo = counterOf(request, reply);
    if (counterNo === null) return reply;
    const body = request.body as Static<typeof S.EvaluatorSubmitBody>;
    return ev.submitTicket({ ...body, channel: 'counter-evaluator', device: `counter:${counterNo}`, counterNo });
  });

  app.post('/evaluator/screens', { schema: tag('evaluator', '评价界面审计: shown / timeout (未评价) / skipped', {
    body: Type.Object({ ticketId: Type.Integer({ minimum: 1 }), kind: S.ScreenKindSchema }, { additionalProperties: false }),
    response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 403) },
  }) }, async (request, reply) => {
    const counterNo = counterOf(request, reply);
    if (counterNo === null) return reply;
    const { ticketId, kind } = request.body as { ticketId: number; kind: ScreenKind };
    ev.screen(kind, { device: `counter:${counterNo}`, ticketId, counterNo });
    return { ok: true };
  });

  const staffBody = Type.Object(
    { staffId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }), staffName: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })), identityHash: Type.Optional(Type.String({ minLength: 16, maxLength: 128 })) },
    { additionalProperties: false },
  );
  app.post('/evaluator/staff', { schema: tag('evaluator', '工作人员签到 at this counter', { body: staffBody, response: { 200: Type.Object({ staff: S.StaffSchema }), ...errors(400, 401, 403, 404) } }) }, async (request, reply) => {
    const counterNo = counterOf(request, reply);
    if (counterNo === null) return reply;
    const b = request.body as { staffId: string; staffName?: string; identityHash?: string };
    return { staff: ev.signIn(counterNo, b.staffId, b.staffName, b.identityHash) };
  });
  app.delete('/evaluator/staff', { schema: tag('evaluator', '工作人员签退', { response: { 200: Type.Object({ staff: S.StaffSchema }), ...errors(401, 403) } }) }, async (request, reply) => {
    const counterNo = counterOf(request, reply);
    if (counterNo === null) return reply;
    ev.signOut(counterNo);
    return { staff: null };
  });

  // ------------------------------------------------------------ kiosk UI (loopback)

  app.get('/kiosk/evaluations/form', { preHandler: kioskUi, schema: tag('kiosk', '评价表单: levels and reasons', { response: { 200: S.FormReply, ...errors(401, 403) } }) }, async () => form());

  const findTicket = (b: { ticketId?: number | undefined; displayNo?: string | undefined; day?: string | undefined }): number => {
    if (!engine) throw evaluationError('EVALUATION_UNAVAILABLE');
    if (b.ticketId !== undefined) {
      const row = engine.reader.row(b.ticketId);
      // A QR code carries id and number together: both must match (no evaluating by guessing ids).
      if (!row || (b.displayNo && row.display_no !== b.displayNo.toUpperCase())) throw notFound(b);
      return row.id;
    }
    if (!b.displayNo) throw notFound(b);
    return engine.reader.ticketByNumber(b.displayNo, b.day ?? engine.day).id;
  };

  app.post('/kiosk/evaluations/lookup', { preHandler: kioskUi, schema: tag('kiosk', '按号票查询可否评价 (QR or ticket number)', {
    body: Type.Object({ ticketId: Type.Optional(Type.Integer({ minimum: 1 })), displayNo: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,2}[0-9]{1,6}$' })), day: Type.Optional(DaySchema) }, { additionalProperties: false, minProperties: 1 }),
    response: { 200: Type.Object({ ticket: Type.Ref('Ticket'), evaluations: Type.Integer(), canEvaluate: Type.Boolean(), appendOnly: Type.Boolean() }), ...errors(400, 401, 403, 404, 503) },
  }) }, async (request) => {
    const id = findTicket(request.body as { ticketId?: number; displayNo?: string; day?: string });
    return { ticket: engine!.reader.ticket(id), ...ev.ticketState(id) };
  });

  app.post('/kiosk/evaluations', { preHandler: kioskUi, schema: tag('kiosk', '在自助终端评价号票 (扫码或输入号码)', {
    body: S.KioskSubmitBody, response: { 200: S.SubmitReply, ...errors(400, 401, 403, 404, 409, 429, 503) },
  }) }, async (request) => {
    const b = request.body as Static<typeof S.KioskSubmitBody>;
    const ticketId = findTicket(b);
    return ev.submitTicket({ ...b, ticketId, channel: b.via === 'qr' ? 'ticket-qr' : 'kiosk', device: 'kiosk' });
  });

  app.post('/kiosk/evaluations/self-service', { preHandler: kioskUi, schema: tag('kiosk', '自助服务结束后评价本终端', {
    body: S.SelfServiceBody, response: { 200: S.SubmitReply, ...errors(400, 401, 403, 429, 503) },
  }) }, async (request) => ev.submitKiosk({ ...(request.body as Static<typeof S.SelfServiceBody>), device: 'kiosk' }));

  app.post('/kiosk/evaluations/screens', { preHandler: kioskUi, schema: tag('kiosk', '评价界面审计 (kiosk)', {
    body: Type.Object({ ticketId: Type.Optional(Type.Integer({ minimum: 1 })), kind: S.ScreenKindSchema }, { additionalProperties: false }),
    response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 403) },
  }) }, async (request) => {
    const { ticketId, kind } = request.body as { ticketId?: number; kind: ScreenKind };
    ev.screen(kind, { device: 'kiosk', ticketId: ticketId ?? null });
    return { ok: true };
  });

  // ------------------------------------------------------------ records, cases, statistics

  app.get('/evaluations', { preHandler: staffOrAdmin, schema: tag('evaluations', '评价记录 (no personal data)', {
    querystring: Type.Object({ from: Type.Optional(DaySchema), to: Type.Optional(DaySchema), counterNo: Type.Optional(Type.Integer()), bad: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }),
    response: { 200: Type.Object({ evaluations: Type.Array(S.EvaluationSchema) }), ...errors(401, 403) },
  }) }, async (request) => {
    const q = request.query as { from?: string; to?: string; counterNo?: number; bad?: boolean; limit?: number };
    const today = ev.today();
    return { evaluations: ev.list({ ...q, from: q.from ?? today, to: q.to ?? q.from ?? today }) };
  });

  app.get('/evaluations/export.csv', { preHandler: staffOrAdmin, schema: tag('evaluations', '评价记录导出 CSV with level codes of a target', {
    querystring: Type.Object({ from: DaySchema, to: DaySchema, codes: Type.Optional(Type.Unsafe<'gbt39046' | 'provincial'>({ type: 'string', enum: ['gbt39046', 'provincial'] })) }),
  }) }, async (request, reply) => {
    const q = request.query as { from: string; to: string; codes?: 'gbt39046' | 'provincial' };
    const config = { ...kiosk.config, evaluation: { ...kiosk.config.evaluation, upload: { ...kiosk.config.evaluation.upload, levelCodes: q.codes ?? kiosk.config.evaluation.upload.levelCodes } } };
    const rows = kiosk.db.prepare('SELECT e.*, t.display_no FROM evaluations e LEFT JOIN tickets t ON t.id = e.ticket_id WHERE e.day BETWEEN ? AND ? ORDER BY e.id').all(q.from, q.to) as (EvaluationRow & { display_no: string | null })[];
    const records = rows.map((r) => exportRecord(config, r, r.display_no, kiosk.db));
    const header = Object.keys(records[0] ?? exportRecord(config, { ...PLACEHOLDER }, null));
    const body = [header, ...records.map((r) => header.map((k) => r[k]))].map((l) => l.map(csvCell).join(',')).join('\r\n');
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="evaluations-${q.from}-${q.to}.csv"`).send(`\uFEFF${body}\r\n`);
  });

  app.get('/evaluations/stats', { preHandler: allow('admin', 'hall-server', 'counter'), schema: tag('evaluations', '好差评统计 per day or month, by hall / counter / staff / service', {
    querystring: Type.Object({ period: Type.Optional(Period), by: Type.Optional(Type.Unsafe<Grouping>({ type: 'string', enum: [...GROUPINGS] })) }),
    response: { 200: S.StatsReply, ...errors(400, 401, 403) },
  }) }, async (request) => {
    const q = request.query as { period?: string; by?: Grouping };
    return ev.statistics(q.period ?? ev.today().slice(0, 7), q.by ?? 'counter');
  });

  app.get('/evaluations/stats.csv', { preHandler: staffOrAdmin, schema: tag('evaluations', '好差评统计 CSV', {
    querystring: Type.Object({ period: Type.Optional(Period), by: Type.Optional(Type.Unsafe<Grouping>({ type: 'string', enum: [...GROUPINGS] })) }),
  }) }, async (request, reply) => {
    const q = request.query as { period?: string; by?: Grouping };
    const stats = ev.statistics(q.period ?? ev.today().slice(0, 7), q.by ?? 'counter');
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="evaluation-stats-${stats.period}-${stats.by}.csv"`).send(statisticsCsv(stats));
  });

  app.get('/evaluations/public', { preHandler: allow('hall-server', 'counter', 'terminal', 'admin', 'loopback'), schema: tag('evaluations', '公示: per-counter results without personal data', {
    querystring: Type.Object({ period: Type.Optional(Period) }), response: { 200: S.PublicReply, ...errors(400, 401, 403) },
  }) }, async (request) => {
    const stats = ev.statistics((request.query as { period?: string }).period ?? ev.today().slice(0, 7), 'counter');
    return { hall: kiosk.config.hall.name, period: stats.period, rows: stats.rows };
  });

  app.get('/evaluations/outbox', { preHandler: staffOrAdmin, schema: tag('evaluations', '上报队列状态', {
    response: { 200: Type.Object({ pending: Type.Integer(), delivered: Type.Integer(), failing: Type.Integer(), oldestPendingAt: Type.Union([Type.Integer(), Type.Null()]), lastError: Type.Union([Type.String(), Type.Null()]) }), ...errors(401, 403) },
  }) }, async () => ev.outbox.status());

  app.get('/evaluations/cases', { preHandler: staffOrAdmin, schema: tag('evaluations', '差评处理记录', {
    querystring: Type.Object({ status: Type.Optional(S.CaseStatusSchema) }), response: { 200: Type.Object({ cases: Type.Array(S.CaseSchema) }), ...errors(401, 403) },
  }) }, async (request) => ({ cases: ev.caseList((request.query as { status?: CaseStatus }).status) }));

  app.get('/evaluations/cases/overdue', { preHandler: staffOrAdmin, schema: tag('evaluations', '超期未回访/未整改反馈的差评', {
    response: { 200: Type.Object({ today: Type.String(), cases: Type.Array(S.CaseSchema) }), ...errors(401, 403) },
  }) }, async () => ({ today: ev.today(), cases: ev.overdue() }));

  app.get('/evaluations/cases/:id', { preHandler: staffOrAdmin, schema: tag('evaluations', '差评处理详情', {
    params: Id,
    response: { 200: Type.Object({ case: S.CaseSchema, evaluation: S.EvaluationSchema, actions: Type.Array(Type.Object({ at: Type.Integer(), action: Type.String(), actor: Type.String(), fromStatus: Type.String(), toStatus: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) })) }), ...errors(401, 403, 404) },
  }) }, async (request) => ev.caseDetail((request.params as { id: number }).id));

  app.get('/evaluations/cases/:id/contact', { preHandler: adminOnly, schema: tag('evaluations', '回访联系电话 (decrypted; access is audited)', {
    params: Id, querystring: Type.Object({ actor: Type.String({ minLength: 1, maxLength: 32 }) }),
    response: { 200: Type.Object({ phone: Type.Union([Type.String(), Type.Null()]), realName: Type.Boolean() }), ...errors(400, 401, 403, 404) },
  }) }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return ev.contact((request.params as { id: number }).id, (request.query as { actor: string }).actor);
  });

  app.post('/evaluations/cases/:id/:action', { preHandler: staffOrAdmin, schema: tag('evaluations', '差评处理: visit 回访 / verify 核实 / rectify 整改 / feedback 反馈 / close 办结 / appeal 申诉 / appeal-decision', {
    params: Type.Object({ id: Type.Integer({ minimum: 1 }), action: Type.Unsafe<CaseAction>({ type: 'string', enum: [...CASE_ACTIONS] }) }),
    body: S.CaseActionBody, response: { 200: Type.Object({ case: S.CaseSchema }), ...errors(400, 401, 403, 404, 409) },
  }) }, async (request) => {
    const { id, action } = request.params as { id: number; action: CaseAction };
    return { case: ev.caseAct(id, action, request.body as CaseActionInput) };
  });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function notFound(b: { ticketId?: number | undefined; displayNo?: string | undefined }) {
  return new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId: b.ticketId ?? null, displayNo: b.displayNo ?? null });
}

const PLACEHOLDER: EvaluationRow = {
  id: 0, uid: '', request_id: null, subject: 'counter', ticket_id: null, seq: 1, parent_id: null, day: '', ticket_day: null, channel: 'kiosk', device: '',
  level: '满意', is_bad: 0, reason_codes: '[]', reason_set_version: '', comment: null, item_code: null, item_name: null, counter_no: null, staff_id: null,
  staff_name: null, anonymous: 1, identity_hash: null, phone_enc: null, evaluated_at: 0,
};
