import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auth } from '../plugins/auth.ts';
import { DisplayNoSchema, enumOf, errors, IdSchema, PriorityReasonSchema, Text } from '../schemas.ts';

/**
 * What other kiosks of the hall (and this kiosk's own UI through the citizen routes) use to issue
 * tickets from the queue this daemon holds. Identity arrives already hashed by the terminal that
 * read the card; the raw ID number never crosses the network.
 */
export const terminalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const engine = kiosk.engine;
  if (!engine || !kiosk.appointments) return;
  // Other kiosks of the hall (and admin); this kiosk's own UI uses /kiosk/*, not these routes.
  const terminals = auth('terminal', 'admin');
  const TicketReply = { 200: Type.Object({ ticket: Type.Ref('Ticket') }), ...errors(400, 401, 403, 404, 409, 503) };

  app.post(
    '/terminal/tickets',
    {
      config: terminals,
      schema: {
        tags: ['terminal'],
        summary: '取号 (issue a ticket); idempotent by requestId',
        security: [{ bearer: [] }],
        body: Type.Object(
          {
            serviceCode: Text(32, { minLength: 1 }),
            priorityReason: Type.Optional(Type.Union([PriorityReasonSchema, Type.Null()])),
            identity: Type.Optional(
              Type.Union([
                Type.Object(
                  { hash: Text(128, { minLength: 16 }), birthDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 })) },
                  { additionalProperties: false },
                ),
                Type.Null(),
              ]),
            ),
            requestId: Type.Optional(Type.Union([Text(64, { minLength: 8 }), Type.Null()])),
            channel: Type.Optional(enumOf(['kiosk', 'api'] as const)),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            ticket: Type.Ref('Ticket'),
            existing: Type.Boolean(),
            replayed: Type.Optional(Type.Boolean({ description: 'same requestId seen before' })),
          }),
          ...errors(400, 401, 403, 404, 409, 503),
        },
      },
    },
    async (request) => engine.issue(request.body),
  );
  app.post(
    '/terminal/appointments/check-in',
    {
      config: terminals,
      schema: {
        tags: ['terminal'],
        summary: '预约签到 by appointment id or identity hash',
        security: [{ bearer: [] }],
        body: Type.Object(
          { appointmentId: Type.Optional(IdSchema), identityHash: Type.Optional(Text(128, { minLength: 16 })) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({ ticket: Type.Ref('Ticket'), existing: Type.Boolean() }), ...errors(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const { ticket, existing } = await kiosk.appointments!.checkIn(request.body);
      return { ticket, existing };
    },
  );
  app.get(
    '/terminal/tickets/:ticketId',
    {
      config: terminals,
      schema: { tags: ['terminal'], summary: '号票状态', security: [{ bearer: [] }], params: Type.Object({ ticketId: IdSchema }), response: TicketReply },
    },
    async (request) => ({ ticket: await engine.reader.ticket(request.params.ticketId) }),
  );
  app.get(
    '/terminal/tickets/by-number/:displayNo',
    {
      config: terminals,
      schema: {
        tags: ['terminal'],
        summary: '按号码查询今日号票',
        security: [{ bearer: [] }],
        params: Type.Object({ displayNo: DisplayNoSchema }),
        response: TicketReply,
      },
    },
    async (request) => ({ ticket: await engine.reader.ticketByNumber(request.params.displayNo) }),
  );
  app.post(
    '/terminal/tickets/:ticketId/print-state',
    {
      config: terminals,
      schema: {
        tags: ['terminal'],
        summary: '记录打印结果 (issued, not printed → reprint)',
        security: [{ bearer: [] }],
        params: Type.Object({ ticketId: IdSchema }),
        body: Type.Object({ state: enumOf(['pending', 'printed', 'failed'] as const) }, { additionalProperties: false }),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await engine.setPrintState(request.params.ticketId, request.body.state);
      return { ok: true };
    },
  );
};
