import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import { allow } from '../auth.ts';
import { errors, PriorityReasonSchema } from '../schemas.ts';

/**
 * What other kiosks of the hall (and this kiosk's own UI through the citizen routes) use to issue
 * tickets from the queue this daemon holds. Identity arrives already hashed by the terminal that
 * read the card; the raw ID number never crosses the network.
 */
export async function terminalRoutes(app: FastifyInstance, kiosk: Kiosk): Promise<void> {
  const engine = kiosk.engine;
  if (!engine || !kiosk.appointments) return;
  const terminals = allow('terminal', 'admin', 'loopback');
  const TicketReply = { 200: Type.Object({ ticket: Type.Ref('Ticket') }), ...errors(400, 401, 403, 404, 409, 503) };

  app.post(
    '/terminal/tickets',
    {
      preHandler: terminals,
      schema: {
        tags: ['terminal'],
        summary: '取号 (issue a ticket); idempotent by requestId',
        security: [{ bearer: [] }],
        body: Type.Object(
          {
            serviceCode: Type.String({ minLength: 1 }),
            priorityReason: Type.Optional(Type.Union([PriorityReasonSchema, Type.Null()])),
            identity: Type.Optional(
              Type.Union([
                Type.Object(
                  { hash: Type.String({ minLength: 16, maxLength: 128 }), birthDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })) },
                  { additionalProperties: false },
                ),
                Type.Null(),
              ]),
            ),
            requestId: Type.Optional(Type.Union([Type.String({ minLength: 8, maxLength: 64 }), Type.Null()])),
            channel: Type.Optional(Type.Unsafe<'kiosk' | 'api'>({ type: 'string', enum: ['kiosk', 'api'] })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ ticket: Type.Ref('Ticket'), existing: Type.Boolean(), replayed: Type.Optional(Type.Boolean({ description: 'same requestId seen before' })) }),
          ...errors(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request) => engine.issue(request.body as Parameters<typeof engine.issue>[0]),
  );
  app.post(
    '/terminal/appointments/check-in',
    {
      preHandler: terminals,
      schema: {
        tags: ['terminal'],
        summary: '预约签到 by appointment id or identity hash',
        security: [{ bearer: [] }],
        body: Type.Object(
          { appointmentId: Type.Optional(Type.Integer({ minimum: 1 })), identityHash: Type.Optional(Type.String({ minLength: 16 })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({ ticket: Type.Ref('Ticket'), existing: Type.Boolean() }), ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const { ticket, existing } = kiosk.appointments!.checkIn(request.body as { appointmentId?: number; identityHash?: string });
      return { ticket, existing };
    },
  );
  app.get(
    '/terminal/tickets/:ticketId',
    { preHandler: terminals, schema: { tags: ['terminal'], summary: '号票状态', params: Type.Object({ ticketId: Type.Integer({ minimum: 1 }) }), response: TicketReply } },
    async (request) => ({ ticket: engine.reader.ticket((request.params as { ticketId: number }).ticketId) }),
  );
  app.get(
    '/terminal/tickets/by-number/:displayNo',
    {
      preHandler: terminals,
      schema: { tags: ['terminal'], summary: '按号码查询今日号票', params: Type.Object({ displayNo: Type.String({ pattern: '^[A-Za-z]{1,2}[0-9]{1,6}$' }) }), response: TicketReply },
    },
    async (request) => ({ ticket: engine.reader.ticketByNumber((request.params as { displayNo: string }).displayNo) }),
  );
  app.post(
    '/terminal/tickets/:ticketId/print-state',
    {
      preHandler: terminals,
      schema: {
        tags: ['terminal'],
        summary: '记录打印结果 (issued, not printed → reprint)',
        params: Type.Object({ ticketId: Type.Integer({ minimum: 1 }) }),
        body: Type.Object({ state: Type.Unsafe<'pending' | 'printed' | 'failed'>({ type: 'string', enum: ['pending', 'printed', 'failed'] }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      engine.setPrintState((request.params as { ticketId: number }).ticketId, (request.body as { state: 'pending' | 'printed' | 'failed' }).state);
      return { ok: true };
    },
  );
}
