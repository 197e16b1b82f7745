import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import { KioskError } from '../../kiosk/errors.ts';
import { countersFor, ticketPromises } from '../../kiosk/hall/opening-hours.ts';
import { ticketDocument } from '../../kiosk/printing/ticket-document.ts';
import type { IssueResult, TicketView } from '../../kiosk/queue/types.ts';
import { codeUrl, signTicketCode, verifyCode } from '../../kiosk/scan/index.ts';
import { allow } from '../auth.ts';
import { errors, PriorityReasonSchema } from '../schemas.ts';

const PrintReply = Type.Object({ ok: Type.Boolean(), code: Type.Optional(Type.String()), message: Type.Optional(Type.String()) });
export const KioskTicketReply = Type.Object({
  ticket: Type.Ref('Ticket'),
  existing: Type.Boolean(),
  counters: Type.Array(Type.Object({ number: Type.Integer(), name: Type.String() })),
  code: Type.String({ description: 'signed ticket code' }),
  qrText: Type.String({ description: 'what the QR encodes: the code, or a URL carrying it' }),
  print: PrintReply,
});

/**
 * 取号 for the citizen at this terminal: issue (using the inserted ID card if asked), print at once,
 * and answer with everything the ticket screen shows. A print failure never loses the number: the
 * reply carries the ticket and its QR, and the ticket can be reprinted.
 */
export async function kioskTicketRoutes(app: FastifyInstance, kiosk: Kiosk): Promise<void> {
  const citizen = allow('loopback');
  const { config } = kiosk;

  const finish = async (result: IssueResult) => {
    const t = result.ticket;
    const code = signTicketCode({ hallCode: config.hall.code, day: t.day, ticketNo: t.displayNo, ticketId: String(t.id) }, config.privacy.hmacKey);
    const qrText = config.ui.ticketUrlPrefix ? codeUrl(config.ui.ticketUrlPrefix, code) : code;
    const counters = countersFor(config.counters, t.serviceCode, t.priority).map((c) => ({ number: c.number, name: c.name }));
    let print: { ok: boolean; code?: string; message?: string };
    if (result.existing && t.printState === 'printed') {
      print = { ok: true };
    } else {
      const outcome = await kiosk.printing.print('ticket', ticketDocument(config, t, { qrText, counters, promises: await ticketPromises(kiosk, t.serviceCode) }), t.id);
      print = outcome.ok ? { ok: true } : { ok: false, code: outcome.code ?? 'failed', message: outcome.message ?? '打印失败' };
      if (outcome.ok) void kiosk.devices.present();
    }
    const ticket: TicketView = { ...t, printState: print.ok ? 'printed' : 'failed' };
    return { ticket, existing: result.existing, counters, code, qrText, print };
  };

  app.post(
    '/kiosk/tickets',
    {
      preHandler: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '取号并打印 (citizen UI)',
        body: Type.Object(
          {
            serviceCode: Type.String({ minLength: 1 }),
            priorityReason: Type.Optional(Type.Union([PriorityReasonSchema, Type.Null()])),
            useIdentity: Type.Boolean(),
            requestId: Type.String({ minLength: 8, maxLength: 64 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: KioskTicketReply, ...errors(400, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const body = request.body as { serviceCode: string; priorityReason?: 'elderly' | 'disabled' | 'pregnant' | 'talent' | null; useIdentity: boolean; requestId: string };
      const identity = body.useIdentity ? kiosk.session.identity : null;
      if (body.useIdentity && !identity) throw new KioskError('REQUEST_INVALID', { field: 'useIdentity' }, '请先在读卡区放置身份证');
      const result = await kiosk.queue.issue({
        serviceCode: body.serviceCode,
        priorityReason: body.priorityReason === 'elderly' ? null : (body.priorityReason ?? null),
        identity: identity ? { hash: identity.hash, birthDate: identity.birthDate } : null,
        requestId: body.requestId,
        channel: 'kiosk',
      });
      return finish(result);
    },
  );

  app.post(
    '/kiosk/appointments/check-in',
    {
      preHandler: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '预约签到 (scanned appointment code, or the inserted ID card)',
        body: Type.Object({ code: Type.Optional(Type.String({ maxLength: 512 })) }, { additionalProperties: false }),
        response: { 200: KioskTicketReply, ...errors(400, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const { code } = request.body as { code?: string };
      if (code) {
        const v = verifyCode(code, config.privacy.hmacKey, { hallCode: config.hall.code });
        if (!v.ok || v.code.type !== 'appointment') throw new KioskError('APPOINTMENT_UNKNOWN', {}, v.ok ? '这不是预约二维码' : v.message);
        return finish(await kiosk.queue.checkIn({ appointmentId: Number(v.code.appointmentId) }));
      }
      const identity = kiosk.session.identity;
      if (!identity) throw new KioskError('REQUEST_INVALID', { field: 'code' }, '请扫描预约二维码或放置身份证');
      return finish(await kiosk.queue.checkIn({ identityHash: identity.hash }));
    },
  );

  app.post(
    '/kiosk/tickets/:ticketId/reprint',
    {
      preHandler: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '补打号票',
        params: Type.Object({ ticketId: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Object({ print: PrintReply }), ...errors(403, 404, 503) },
      },
    },
    async (request) => {
      const outcome = await kiosk.printing.reprintTicket((request.params as { ticketId: number }).ticketId);
      if (outcome.ok) void kiosk.devices.present();
      return { print: outcome.ok ? { ok: true } : { ok: false, code: outcome.code ?? 'failed', message: outcome.message ?? '打印失败' } };
    },
  );

  app.get(
    '/kiosk/tickets/lookup',
    {
      preHandler: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '查询号票状态 (by scanned code or by number)',
        querystring: Type.Object({
          code: Type.Optional(Type.String({ maxLength: 512 })),
          number: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,2}[0-9]{1,6}$' })),
        }),
        response: { 200: Type.Object({ ticket: Type.Ref('Ticket') }), ...errors(400, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query as { code?: string; number?: string };
      if (q.code) {
        const v = verifyCode(q.code, config.privacy.hmacKey, { hallCode: config.hall.code });
        if (!v.ok) throw new KioskError('QUEUE_UNKNOWN_TICKET', { reason: v.reason }, v.message);
        if (v.code.type !== 'ticket') throw new KioskError('QUEUE_UNKNOWN_TICKET', {}, '这不是号票二维码');
        return { ticket: await kiosk.queue.ticket(Number(v.code.ticketId)) };
      }
      if (q.number) return { ticket: await kiosk.queue.ticketByNumber(q.number) };
      throw new KioskError('REQUEST_INVALID', { field: 'code' }, '请扫描号票二维码或输入号码');
    },
  );
}
