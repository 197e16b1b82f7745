import { createHmac, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import { KioskError, isKioskError } from '../../kiosk/errors.ts';
import { priorityBasisOf } from '../../kiosk/queue/priority.ts';
import type { TicketRow } from '../../kiosk/queue/ticket-rows.ts';
import { queueStatisticsTx } from '../../kiosk/statistics/index.ts';
import { assignedTx, displayNoTx, extendedOnTx, noShowsAtTx, waitingTx } from '../hall-reads.ts';
import { get, run as runSql } from '../../kiosk/store/sql.ts';
import { counterAuth } from '../plugins/auth.ts';
import { StaffSchema } from '../schemas/evaluations.ts';
import { errors, Int, replies, Text } from '../schemas.ts';

const Params = Type.Object({ counterNo: Int(1, 999) });
const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;
/** The `requestId` a body may carry instead of the header (read without trusting the body's type). */
function bodyRequestId(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'requestId' in body ? body.requestId : undefined;
}
/** Stored replies are kept this long: long enough for any retry, short enough to stay small. */
const KEEP_MS = 2 * 24 * 3_600_000;

/**
 * Idempotent counter operations. A request carrying an `Idempotency-Key` header (or a
 * `requestId` in its body) runs once; the reply — success or a domain refusal — is stored with the
 * key, and a retry (a double click, a reply lost on the network) gets the stored reply with
 * `idempotent-replayed: true` instead of acting again. The action runs synchronously and its reply
 * is stored in the same tick, so two copies arriving together cannot both act.
 */
export async function idempotent<T>(
  kiosk: Kiosk,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: { counterNo: number | null; action: string },
  run: () => Promise<T> | T,
): Promise<T | FastifyReply> {
  const header = request.headers['idempotency-key'];
  const fromBody = bodyRequestId(request.body);
  const key = typeof header === 'string' ? header : typeof fromBody === 'string' ? fromBody : null;
  if (key === null) return run();
  if (!KEY_PATTERN.test(key)) throw new KioskError('REQUEST_INVALID', { field: 'Idempotency-Key' }, '请求编号格式不正确');
  // The operation awaits its transaction: a retry arriving meanwhile waits for the first one's
  // answer instead of acting a second time.
  const running = inFlight.get(key);
  if (running) {
    await running.catch(() => undefined);
    return idempotent(kiosk, request, reply, scope, run);
  }
  let done = () => {};
  inFlight.set(key, new Promise<void>((r) => (done = r)));
  try {
    return await answerOnce(kiosk, reply, key, scope, run);
  } finally {
    inFlight.delete(key);
    done();
  }
}

const inFlight = new Map<string, Promise<void>>();

interface StoredReply {
  counter_no: number | null;
  action: string;
  status: number;
  reply: string;
}

/**
 * The stored replies live in the hall's store (counter_requests): on PostgreSQL a retry that
 * reaches another daemon of the hall (its workstation failed over) still gets the first answer.
 * A terminal without the queue has no counter routes, so there is always a hall store here.
 */
async function answerOnce<T>(
  kiosk: Kiosk,
  reply: FastifyReply,
  key: string,
  scope: { counterNo: number | null; action: string },
  run: () => Promise<T> | T,
): Promise<T | FastifyReply> {
  const hall = kiosk.engine!.unit.runner;
  const stored = await hall.read(() => get<StoredReply>('SELECT counter_no, action, status, reply FROM counter_requests WHERE key = ?', key));
  if (stored) {
    if (stored.action !== scope.action || stored.counter_no !== scope.counterNo) {
      throw new KioskError('IDEMPOTENCY_KEY_REUSED', { action: stored.action });
    }
    reply.header('idempotent-replayed', 'true');
    return reply.code(stored.status).send(JSON.parse(stored.reply));
  }
  const save = (status: number, body: unknown) => {
    const now = kiosk.clock();
    const prune = Math.random() < 0.01;
    return hall.transaction(function* () {
      yield* runSql(
        'INSERT INTO counter_requests (key, counter_no, action, status, reply, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
        key,
        scope.counterNo,
        scope.action,
        status,
        JSON.stringify(body),
        now,
      );
      if (prune) yield* runSql('DELETE FROM counter_requests WHERE at < ?', now - KEEP_MS);
    });
  };
  let result: T;
  try {
    result = await run();
  } catch (err) {
    // A refusal is an answer too (过号 twice, the recall limit): the retry gets the same one.
    // Storage failures (5xx) are not stored: the retry may succeed.
    if (isKioskError(err) && err.status < 500) await save(err.status, { error: { code: err.code, message: err.message, details: err.details } });
    throw err;
  }
  await save(200, result);
  return result;
}

type CurrentRow = TicketRow;

/** 绿色通道 / 预约 badges. A priority read from the ID card is verified; a declared one is 待核验 (kiosk/queue/priority.ts). */
function badges(row: CurrentRow): { kind: 'priority' | 'appointment'; reason: string | null; verified: boolean }[] {
  const out: { kind: 'priority' | 'appointment'; reason: string | null; verified: boolean }[] = [];
  if (row.appointment_id !== null) out.push({ kind: 'appointment', reason: null, verified: true });
  if (row.priority_reason) out.push({ kind: 'priority', reason: row.priority_reason, verified: priorityBasisOf(row) !== 'declared' });
  return out;
}

const hmac = (key: string, value: string) => createHmac('sha256', key).update(value).digest('hex');
function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The counter workstation (窗口工作台, /counter.html): one snapshot with everything the clerk's
 * screen shows, staff sign-in with the evaluator's staff list (and PIN when configured), and
 * 延时服务. The ticket operations themselves are the /counters/:n/* routes (counters.ts), made
 * idempotent by `idempotent()` above. Registered under /api/v1.
 */
export const counterWorkstationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const engine = kiosk.engine;
  if (!engine) return;
  const { config } = kiosk;
  const ev = kiosk.evaluations;
  const serviceName = (code: string) => config.services.find((s) => s.code === code)?.name ?? code;
  const counterCfg = (n: number) => engine.reader.counterConfig(n);
  const config_ = counterAuth();
  const tag = <E extends object = object>(summary: string, extra?: E) => ({
    tags: ['counters'],
    summary,
    security: [{ bearer: [] }],
    params: Params,
    ...(extra as E),
  });
  const minutesSince = (t: number) => Math.max(0, Math.floor((kiosk.clock() - t) / 60_000));

  /** Everything the snapshot reads from the hall's tables, in one read of its store (SQLite or PostgreSQL). */
  function* hallTx(counterNo: number, day: string, now: number) {
    // The evaluator's last verdict at this counter today (好差评 records are the hall's).
    const last = yield* get<{ ticket_id: number | null; level: string; is_bad: number; evaluated_at: number }>(
      `SELECT ticket_id, level, is_bad, evaluated_at FROM evaluations WHERE counter_no = ? AND day = ? AND subject = 'counter' ORDER BY id DESC LIMIT 1`,
      counterNo,
      day,
    );
    return {
      last,
      waiting: yield* waitingTx(day),
      suspended: yield* assignedTx(day, 'suspended', counterNo),
      noShows: yield* noShowsAtTx(day, counterNo),
      extended: yield* extendedOnTx(counterNo, day),
      stats: yield* queueStatisticsTx(config, { from: day, to: day }, { staff: ev.roster, now, today: day }),
      evaluatedNo: !last || last.ticket_id === null ? null : yield* displayNoTx(last.ticket_id),
    };
  }

  app.get(
    '/counters/:counterNo/workstation',
    {
      config: config_,
      schema: tag("窗口工作台快照: current ticket, waiting list, transfer targets, staff, today's figures", {
        response: replies({ ...errors(401, 403, 404) }),
      }),
    },
    async (request) => {
      const { counterNo } = request.params;
      await engine.tick();
      const cfg = counterCfg(counterNo);
      const status = await engine.reader.status(kiosk.clock());
      const day = status.day;
      const me = status.counters.find((c) => c.number === counterNo)!;
      const mine = new Set(cfg.services);
      const now = kiosk.clock();
      const hall = await engine.unit.read(() => hallTx(counterNo, day, now));
      const last = hall.last;
      const waiting = hall.waiting;
      const waitingCount = new Map<string, number>();
      for (const r of waiting) waitingCount.set(r.service_code, (waitingCount.get(r.service_code) ?? 0) + 1);
      const forMe = waiting.filter((r) => (r.assigned_counter === null && mine.has(r.service_code)) || r.assigned_counter === counterNo);
      const ticketOut = (r: CurrentRow) => ({
        id: r.id,
        displayNo: r.display_no,
        serviceCode: r.service_code,
        serviceName: serviceName(r.service_code),
        status: r.status,
        waitedMinutes: minutesSince(r.issued_at),
        issuedAt: r.issued_at,
        recallCount: r.recall_count,
        requeueCount: r.requeue_count,
        assignedHere: r.assigned_counter === counterNo,
        transferredFrom: r.original_service !== r.service_code ? serviceName(r.original_service) : null,
        badges: badges(r),
      });
      const currentRow = me.current ? await engine.reader.row(me.current.ticketId) : undefined;
      const staff = await ev.staffOnDuty(counterNo);
      return {
        hall: config.hall.name,
        day,
        version: status.version,
        now,
        recallLimit: config.queue.recallLimit,
        requeueLimit: config.queue.noShowRequeueLimit,
        counter: {
          number: counterNo,
          name: cfg.name,
          state: me.state,
          extended: hall.extended,
          services: cfg.services.map((code) => ({ code, name: serviceName(code), waiting: waitingCount.get(code) ?? 0 })),
        },
        current: currentRow
          ? {
              ...ticketOut(currentRow),
              calledAt: currentRow.called_at,
              servingAt: currentRow.serving_at,
              // 一次性告知 checklist ticked at the kiosk: not recorded with the ticket yet (see the notes).
              checklist: null,
            }
          : null,
        waiting: {
          count: forMe.length,
          longestWaitMinutes: forMe.reduce((m, r) => Math.max(m, minutesSince(r.issued_at)), 0),
          tickets: forMe.slice(0, 50).map(ticketOut),
        },
        suspended: hall.suspended.map(ticketOut),
        noShows: hall.noShows.map(ticketOut),
        targets: {
          services: config.services.map((s) => ({
            code: s.code,
            name: s.name,
            waiting: waitingCount.get(s.code) ?? 0,
            counters: status.counters.filter((c) => c.services.includes(s.code)).map((c) => ({ number: c.number, name: c.name, state: c.state })),
          })),
          counters: status.counters
            .filter((c) => c.number !== counterNo)
            .map((c) => ({
              number: c.number,
              name: c.name,
              state: c.state,
              services: c.services.map((code) => ({ code, name: serviceName(code) })),
              waiting: c.services.reduce((n, code) => n + (waitingCount.get(code) ?? 0), 0),
            })),
        },
        staff: staff ? { staffId: staff.staffId, staffName: staff.staffName, signedInAt: staff.signedInAt } : null,
        staffList: config.evaluation.staff.map((s) => ({ staffId: s.id, staffName: s.name, pin: Boolean(s.pinHash) })),
        today: hall.stats.counters.find((c) => c.key === String(counterNo)) ?? null,
        lastEvaluation: last
          ? { ticketId: last.ticket_id, displayNo: hall.evaluatedNo, level: last.level, bad: last.is_bad === 1, at: last.evaluated_at }
          : null,
      };
    },
  );

  const SignIn = Type.Object(
    {
      staffId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$', maxLength: 32 }),
      pin: Type.Optional(Type.String({ pattern: '^[0-9]{4,12}$', maxLength: 12 })),
      staffName: Type.Optional(Text(30, { minLength: 1 })),
    },
    { additionalProperties: false },
  );
  app.post(
    '/counters/:counterNo/sign-in',
    {
      config: config_,
      schema: tag('窗口工作人员签到 (shared with the evaluator: evaluations are bound to this clerk)', {
        body: SignIn,
        response: replies({ 200: Type.Object({ staff: StaffSchema }), ...errors(400, 401, 403, 404) }),
      }),
    },
    async (request) => {
      const { counterNo } = request.params;
      counterCfg(counterNo);
      const b = request.body;
      const known = config.evaluation.staff.find((s) => s.id === b.staffId);
      if (known?.pinHash && !(b.pin && same(hmac(config.privacy.hmacKey, b.pin), known.pinHash))) {
        throw new KioskError('STAFF_PIN_WRONG', { staffId: b.staffId });
      }
      // With a configured staff list, only its members sign in; without one, id and name.
      if (!known && config.evaluation.staff.length > 0) throw new KioskError('STAFF_PIN_WRONG', { staffId: b.staffId });
      const staff = await ev.signInStaff(counterNo, b.staffId, b.staffName);
      await engine.recordEvent('staff.signed-in', { staffId: staff.staffId }, counterNo);
      return { staff: { staffId: staff.staffId, staffName: staff.staffName, signedInAt: staff.signedInAt } };
    },
  );
  app.post(
    '/counters/:counterNo/sign-out',
    { config: config_, schema: tag('窗口工作人员签退', { response: replies({ 200: Type.Object({ staff: Type.Null() }), ...errors(401, 403, 404) }) }) },
    async (request) => {
      const { counterNo } = request.params;
      counterCfg(counterNo);
      await ev.signOutStaff(counterNo);
      await engine.recordEvent('staff.signed-out', {}, counterNo);
      return { staff: null };
    },
  );
  app.post(
    '/counters/:counterNo/extended',
    {
      config: config_,
      schema: tag('延时服务: the window keeps serving after hours (no cap), or stops doing so', {
        body: Type.Object(
          { on: Type.Boolean(), requestId: Type.Optional(Type.String({ pattern: KEY_PATTERN.source, maxLength: 100 })) },
          { additionalProperties: false },
        ),
        response: replies({ 200: Type.Object({ counterNo: Type.Integer(), extended: Type.Boolean() }), ...errors(400, 401, 403, 404, 409) }),
      }),
    },
    async (request, reply) => {
      const { counterNo } = request.params;
      counterCfg(counterNo);
      const { on } = request.body;
      return idempotent(kiosk, request, reply, { counterNo, action: 'extended' }, async () => {
        if ((await engine.unit.read(() => extendedOnTx(counterNo, engine.day))) !== on) await engine.recordEvent('counter.extended', { on }, counterNo);
        return { counterNo, extended: on };
      });
    },
  );
};
