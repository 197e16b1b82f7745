import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import { CASE_ACTIONS } from '../../kiosk/evaluations/cases.ts';
import { evaluationError } from '../../kiosk/evaluations/errors.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { exportRecord } from '../../kiosk/evaluations/export-record.ts';
import { EVALUATIONS_PER_VISIT, KioskEvaluationProof } from '../../kiosk/evaluations/kiosk-proof.ts';
import type { Evaluations } from '../../kiosk/evaluations/service.ts';
import { csvCell, GROUPINGS, statisticsCsv } from '../../kiosk/evaluations/statistics.ts';
import type { EvaluationRow } from '../../kiosk/evaluations/store.ts';
import { LEVELS } from '../../kiosk/evaluations/types.ts';
import { auth } from '../plugins/auth.ts';
import * as S from '../schemas/evaluations.ts';
import { DaySchema, DisplayNoSchema, enumOf, errors, IdSchema, Int, LastEventIdSchema, replies, Text } from '../schemas.ts';
import { openSse, resumePoint, streamHallEvents } from '../sse.ts';

type WithEvaluations = Kiosk & { readonly evaluations?: Evaluations | null };
const Period = Type.String({
  pattern: '^(19|20|21)\\d{2}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?$',
  maxLength: 10,
  description: 'YYYY-MM (month) or YYYY-MM-DD (day)',
});
const Id = Type.Object({ id: IdSchema });
const tag = <E extends object = object>(t: string, summary: string, extra?: E) => ({ tags: [t], summary, security: [{ bearer: [] }], ...(extra as E) });

/**
 * 好差评 API: the counter evaluator (its counter's bearer token), the kiosk UI (loopback only),
 * staff and admin work on 差评 cases and statistics (JSON, CSV, public display); the working-day
 * calendar is in ./calendar.ts. Registered under /api/v1.
 */
export const evaluationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const ev = (kiosk as WithEvaluations).evaluations;
  if (!ev) return;
  const engine = kiosk.engine;
  const staffOrAdmin = auth('admin', 'hall-server');
  const adminOnly = auth('admin');
  const kioskUi = auth('loopback');
  const evaluator = auth('counter');

  /** The counter the caller is (the evaluator routes admit counter tokens only). */
  const counterOf = (request: FastifyRequest): number => {
    if (request.caller.kind !== 'counter') throw new KioskError('AUTH_FORBIDDEN', { caller: request.caller.kind });
    return request.caller.counterNo;
  };
  const form = () => ({
    levels: [...LEVELS],
    reasons: ev.store.reasons,
    windowDays: kiosk.config.evaluation.windowDays,
    timeoutSeconds: kiosk.config.evaluation.evaluatorTimeoutSeconds,
  });

  // ------------------------------------------------------------ counter evaluator

  app.get(
    '/evaluator/session',
    {
      config: evaluator,
      schema: tag('evaluator', '评价器: counter, staff on duty, levels and reasons', {
        response: replies({
          200: Type.Object({ counter: Type.Object({ number: Type.Integer(), name: Type.String() }), staff: S.StaffSchema, form: S.FormReply }),
          ...errors(401, 403),
        }),
      }),
    },
    async (request) => {
      const counterNo = counterOf(request);
      const counter = kiosk.config.counters.find((c) => c.number === counterNo)!;
      return { counter: { number: counterNo, name: counter.name }, staff: await ev.staffOnDuty(counterNo), form: form() };
    },
  );

  app.get(
    '/evaluator/stream',
    {
      config: { ...evaluator, rateLimit: false },
      schema: tag('evaluator', '评价器事件流 (text/event-stream): ticket.done of this counter; token in the Authorization header', {
        querystring: Type.Object({ lastEventId: Type.Optional(LastEventIdSchema) }),
      }),
    },
    async (request, reply) => {
      const counterNo = counterOf(request);
      if (!engine) throw evaluationError('EVALUATION_UNAVAILABLE');
      const stream = openSse(request, reply);
      stream.send('hello', { counterNo, staff: await ev.staffOnDuty(counterNo) });
      streamHallEvents(stream, engine, resumePoint(request, engine, request.query.lastEventId), async (e) => {
        if (e.type !== 'ticket.done' || e.counterNo !== counterNo || e.ticketId === null) return null;
        const row = await engine.reader.row(e.ticketId);
        const staff = row?.done_at ? await ev.roster.staffAt(counterNo, row.done_at) : null;
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
    },
  );

  app.post(
    '/evaluator/evaluations',
    {
      config: evaluator,
      schema: tag('evaluator', '评价器提交评价 (ticket completed at this counter)', {
        body: S.EvaluatorSubmitBody,
        response: replies({ 200: S.SubmitReply, ...errors(400, 401, 403, 404, 409, 429, 503) }),
      }),
    },
    async (request) => {
      const counterNo = counterOf(request);
      const body = request.body;
      return ev.submitTicket({ ...body, channel: 'counter-evaluator', device: `counter:${counterNo}`, counterNo });
    },
  );

  app.post(
    '/evaluator/screens',
    {
      config: evaluator,
      schema: tag('evaluator', '评价界面审计: shown / timeout (未评价) / skipped', {
        body: Type.Object({ ticketId: IdSchema, kind: S.ScreenKindSchema }, { additionalProperties: false }),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 403) },
      }),
    },
    async (request) => {
      const counterNo = counterOf(request);
      const { ticketId, kind } = request.body;
      await ev.screen(kind, { device: `counter:${counterNo}`, ticketId, counterNo });
      return { ok: true };
    },
  );

  app.post(
    '/evaluator/speech',
    {
      config: evaluator,
      schema: tag('evaluator', '评价器朗读: espeak-ng Mandarin WAV of a screen prompt, for a browser without a Chinese voice', {
        body: Type.Object({ text: Text(200, { minLength: 1 }) }, { additionalProperties: false }),
      }),
    },
    async (request, reply) => {
      counterOf(request);
      // The same bounded espeak-ng pool as the kiosk's /kiosk/speech (kiosk/speech/speech-service.ts).
      const wav = await kiosk.speech.synthesize(request.body.text);
      return reply.type('audio/wav').send(wav);
    },
  );

  const staffBody = Type.Object(
    {
      staffId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', maxLength: 32 }),
      staffName: Type.Optional(Text(30, { minLength: 1 })),
      identityHash: Type.Optional(Text(128, { minLength: 16 })),
    },
    { additionalProperties: false },
  );
  app.post(
    '/evaluator/staff',
    {
      config: evaluator,
      schema: tag('evaluator', '工作人员签到 at this counter', {
        body: staffBody,
        response: { 200: Type.Object({ staff: S.StaffSchema }), ...errors(400, 401, 403, 404) },
      }),
    },
    async (request) => {
      const counterNo = counterOf(request);
      const b = request.body;
      return { staff: await ev.signInStaff(counterNo, b.staffId, b.staffName, b.identityHash) };
    },
  );
  app.delete(
    '/evaluator/staff',
    { config: evaluator, schema: tag('evaluator', '工作人员签退', { response: { 200: Type.Object({ staff: S.StaffSchema }), ...errors(401, 403) } }) },
    async (request) => {
      const counterNo = counterOf(request);
      await ev.signOutStaff(counterNo);
      return { staff: null };
    },
  );

  // ------------------------------------------------------------ kiosk UI (loopback)

  app.get(
    '/kiosk/evaluations/form',
    { config: kioskUi, schema: tag('kiosk', '评价表单: levels and reasons', { response: replies({ 200: S.FormReply, ...errors(401, 403) }) }) },
    async () => form(),
  );

  // A kiosk evaluation needs the ticket's signed QR code or the ID card that took it (kiosk-proof.ts).
  const proof = new KioskEvaluationProof({
    key: kiosk.config.privacy.hmacKey,
    hallCode: kiosk.config.hall.code,
    identity: () => kiosk.session.identity?.hash ?? null,
    clock: kiosk.clock,
    perSession: EVALUATIONS_PER_VISIT,
    visitIdleMs: kiosk.config.ui.idleTimeoutSeconds * 1000,
  });
  const endVisit = () => proof.endVisit();
  kiosk.events.on('session', endVisit);
  app.addHook('onClose', async () => {
    kiosk.events.off('session', endVisit);
  });

  type Target = { code?: string | undefined; ticketId?: number | undefined; displayNo?: string | undefined; day?: string | undefined };
  /** The ticket and the channel its proof gives, or QUEUE_UNKNOWN_TICKET / EVALUATION_PROOF_REQUIRED. */
  const provenTicket = async (b: Target) => {
    if (!engine) throw evaluationError('EVALUATION_UNAVAILABLE');
    let row;
    if (b.code) {
      row = await engine.reader.row(proof.ticketIdOf(b.code));
      if (!row) throw notFound(b);
    } else if (b.ticketId !== undefined) {
      row = await engine.reader.row(b.ticketId);
      if (!row || (b.displayNo && row.display_no !== b.displayNo.toUpperCase())) throw notFound(b);
    } else if (b.displayNo) {
      row = (await engine.reader.row((await engine.reader.ticketByNumber(b.displayNo, b.day ?? engine.day)).id))!;
    } else throw notFound(b);
    return { id: row.id, channel: proof.prove(row, b.code) };
  };

  app.post(
    '/kiosk/evaluations/lookup',
    {
      config: kioskUi,
      schema: tag('kiosk', '按号票查询可否评价 (scanned QR code, or the number with the ID card that took it)', {
        body: Type.Object(
          {
            code: Type.Optional(S.TicketCodeSchema),
            ticketId: Type.Optional(IdSchema),
            displayNo: Type.Optional(DisplayNoSchema),
            day: Type.Optional(DaySchema),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: {
          200: Type.Object({ ticket: Type.Ref('Ticket'), evaluations: Type.Integer(), canEvaluate: Type.Boolean(), appendOnly: Type.Boolean() }),
          ...errors(400, 401, 403, 404, 503),
        },
      }),
    },
    async (request) => {
      const { id } = await provenTicket(request.body);
      return { ticket: await engine!.reader.ticket(id), ...(await ev.ticketState(id)) };
    },
  );

  app.post(
    '/kiosk/evaluations',
    {
      config: kioskUi,
      schema: tag('kiosk', '在自助终端评价号票 (扫描号票二维码，或放置取号时使用的身份证)', {
        body: S.KioskSubmitBody,
        response: replies({ 200: S.SubmitReply, ...errors(400, 401, 403, 404, 409, 429, 503) }),
      }),
    },
    async (request) => {
      const { code: _code, ticketId: _id, displayNo: _no, day: _day, ...rest } = request.body;
      const { id, channel } = await provenTicket(request.body);
      proof.checkSession();
      const result = await ev.submitTicket({ ...rest, ticketId: id, channel, device: 'kiosk' });
      if (!result.existing) proof.accepted();
      return result;
    },
  );

  app.post(
    '/kiosk/evaluations/self-service',
    {
      config: kioskUi,
      schema: tag('kiosk', '自助服务结束后评价本终端', {
        body: S.SelfServiceBody,
        response: replies({ 200: S.SubmitReply, ...errors(400, 401, 403, 429, 503) }),
      }),
    },
    async (request) => ev.submitKiosk({ ...request.body, device: 'kiosk' }),
  );

  app.post(
    '/kiosk/evaluations/screens',
    {
      config: kioskUi,
      schema: tag('kiosk', '评价界面审计 (kiosk)', {
        body: Type.Object({ ticketId: Type.Optional(IdSchema), kind: S.ScreenKindSchema }, { additionalProperties: false }),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 403) },
      }),
    },
    async (request) => {
      const { ticketId, kind } = request.body;
      await ev.screen(kind, { device: 'kiosk', ticketId: ticketId ?? null });
      return { ok: true };
    },
  );

  // ------------------------------------------------------------ records, cases, statistics

  app.get(
    '/evaluations',
    {
      config: staffOrAdmin,
      schema: tag('evaluations', '评价记录 (no personal data)', {
        querystring: Type.Object({
          from: Type.Optional(DaySchema),
          to: Type.Optional(DaySchema),
          counterNo: Type.Optional(Int(1, 999)),
          bad: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Int(1, 10_000)),
        }),
        response: replies({ 200: Type.Object({ evaluations: Type.Array(S.EvaluationSchema) }), ...errors(401, 403) }),
      }),
    },
    async (request) => {
      const q = request.query;
      const today = ev.today();
      return { evaluations: await ev.list({ ...q, from: q.from ?? today, to: q.to ?? q.from ?? today }) };
    },
  );

  app.get(
    '/evaluations/export.csv',
    {
      config: staffOrAdmin,
      schema: tag('evaluations', '评价记录导出 CSV with level codes of a target', {
        querystring: Type.Object({ from: DaySchema, to: DaySchema, codes: Type.Optional(enumOf(['gbt39046', 'provincial'] as const)) }),
      }),
    },
    async (request, reply) => {
      const q = request.query;
      const config = {
        ...kiosk.config,
        evaluation: {
          ...kiosk.config.evaluation,
          upload: { ...kiosk.config.evaluation.upload, levelCodes: q.codes ?? kiosk.config.evaluation.upload.levelCodes },
        },
      };
      const records = await ev.exportRecords(q.from, q.to, config);
      const header = Object.keys(records[0] ?? exportRecord(config, { ...PLACEHOLDER }, null));
      const body = [header, ...records.map((r) => header.map((k) => r[k]))].map((l) => l.map(csvCell).join(',')).join('\r\n');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="evaluations-${q.from}-${q.to}.csv"`)
        .send(`\uFEFF${body}\r\n`);
    },
  );

  app.get(
    '/evaluations/stats',
    {
      config: auth('admin', 'hall-server', 'counter'),
      schema: tag('evaluations', '好差评统计 per day or month, by hall / counter / staff / service', {
        querystring: Type.Object({ period: Type.Optional(Period), by: Type.Optional(enumOf(GROUPINGS)) }),
        response: replies({ 200: S.StatsReply, ...errors(400, 401, 403) }),
      }),
    },
    async (request) => {
      const q = request.query;
      return ev.statistics(q.period ?? ev.today().slice(0, 7), q.by ?? 'counter');
    },
  );

  app.get(
    '/evaluations/stats.csv',
    {
      config: staffOrAdmin,
      schema: tag('evaluations', '好差评统计 CSV', {
        querystring: Type.Object({ period: Type.Optional(Period), by: Type.Optional(enumOf(GROUPINGS)) }),
      }),
    },
    async (request, reply) => {
      const q = request.query;
      const stats = await ev.statistics(q.period ?? ev.today().slice(0, 7), q.by ?? 'counter');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="evaluation-stats-${stats.period}-${stats.by}.csv"`)
        .send(statisticsCsv(stats));
    },
  );

  app.get(
    '/evaluations/public',
    {
      config: auth('hall-server', 'counter', 'terminal', 'admin'),
      schema: tag('evaluations', '公示: per-counter results without personal data', {
        querystring: Type.Object({ period: Type.Optional(Period) }),
        response: replies({ 200: S.PublicReply, ...errors(400, 401, 403) }),
      }),
    },
    async (request) => {
      const stats = await ev.statistics(request.query.period ?? ev.today().slice(0, 7), 'counter');
      return { hall: kiosk.config.hall.name, period: stats.period, rows: stats.rows };
    },
  );

  app.get(
    '/evaluations/outbox',
    {
      config: staffOrAdmin,
      schema: tag('evaluations', '上报队列状态', {
        response: {
          200: Type.Object({
            pending: Type.Integer(),
            delivered: Type.Integer(),
            failing: Type.Integer(),
            oldestPendingAt: Type.Union([Type.Integer(), Type.Null()]),
            lastError: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(401, 403),
        },
      }),
    },
    async () => ev.outbox.status(),
  );

  app.get(
    '/evaluations/cases',
    {
      config: staffOrAdmin,
      schema: tag('evaluations', '差评处理记录', {
        querystring: Type.Object({ status: Type.Optional(S.CaseStatusSchema) }),
        response: replies({ 200: Type.Object({ cases: Type.Array(S.CaseSchema) }), ...errors(401, 403) }),
      }),
    },
    async (request) => ({ cases: await ev.caseList(request.query.status) }),
  );

  app.get(
    '/evaluations/cases/overdue',
    {
      config: staffOrAdmin,
      schema: tag('evaluations', '超期未回访/未整改反馈的差评', {
        response: replies({ 200: Type.Object({ today: Type.String(), cases: Type.Array(S.CaseSchema) }), ...errors(401, 403) }),
      }),
    },
    async () => ({ today: ev.today(), cases: await ev.overdueCases() }),
  );

  app.get(
    '/evaluations/cases/:id',
    {
      config: staffOrAdmin,
      schema: tag('evaluations', '差评处理详情', {
        params: Id,
        response: replies({
          200: Type.Object({
            case: S.CaseSchema,
            evaluation: S.EvaluationSchema,
            actions: Type.Array(
              Type.Object({
                at: Type.Integer(),
                action: Type.String(),
                actor: Type.String(),
                fromStatus: Type.String(),
                toStatus: Type.String(),
                details: Type.Record(Type.String(), Type.Unknown()),
              }),
            ),
          }),
          ...errors(401, 403, 404),
        }),
      }),
    },
    async (request) => ev.caseDetail(request.params.id),
  );

  app.get(
    '/evaluations/cases/:id/contact',
    {
      config: adminOnly,
      schema: tag('evaluations', '回访联系电话 (decrypted; access is audited)', {
        params: Id,
        querystring: Type.Object({ actor: Text(32, { minLength: 1 }) }),
        response: { 200: Type.Object({ phone: Type.Union([Type.String(), Type.Null()]), realName: Type.Boolean() }), ...errors(400, 401, 403, 404) },
      }),
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return ev.contact(request.params.id, request.query.actor);
    },
  );

  app.post(
    '/evaluations/cases/:id/:action',
    {
      config: staffOrAdmin,
      schema: tag('evaluations', '差评处理: visit 回访 / verify 核实 / rectify 整改 / feedback 反馈 / close 办结 / appeal 申诉 / appeal-decision', {
        params: Type.Object({ id: IdSchema, action: enumOf(CASE_ACTIONS) }),
        body: S.CaseActionBody,
        response: replies({ 200: Type.Object({ case: S.CaseSchema }), ...errors(400, 401, 403, 404, 409) }),
      }),
    },
    async (request) => {
      const { id, action } = request.params;
      return { case: await ev.caseAct(id, action, request.body) };
    },
  );
};

function notFound(b: { ticketId?: number | undefined; displayNo?: string | undefined }) {
  return new KioskError('QUEUE_UNKNOWN_TICKET', { ticketId: b.ticketId ?? null, displayNo: b.displayNo ?? null });
}

const PLACEHOLDER: EvaluationRow = {
  id: 0,
  uid: '',
  request_id: null,
  subject: 'counter',
  ticket_id: null,
  seq: 1,
  parent_id: null,
  day: '',
  ticket_day: null,
  channel: 'kiosk',
  device: '',
  level: '满意',
  is_bad: 0,
  reason_codes: '[]',
  reason_set_version: '',
  comment: null,
  item_code: null,
  item_name: null,
  counter_no: null,
  staff_id: null,
  staff_name: null,
  anonymous: 1,
  identity_hash: null,
  phone_enc: null,
  evaluated_at: 0,
};
