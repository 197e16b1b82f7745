import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { auth } from '../plugins/auth.ts';
import { DisplayNoSchema, errors, IdSchema, PriorityReasonSchema, replies, Text } from '../schemas.ts';

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
 * and answer with everything the ticket screen shows. The steps live in kiosk/tickets/issue-at-kiosk.ts.
 */
export const kioskTicketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const citizen = auth('loopback');
  const { tickets } = kiosk;

  app.post(
    '/kiosk/tickets',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '取号并打印 (citizen UI)',
        body: Type.Object(
          {
            serviceCode: Text(32, { minLength: 1 }),
            priorityReason: Type.Optional(Type.Union([PriorityReasonSchema, Type.Null()])),
            useIdentity: Type.Boolean(),
            requestId: Text(64, { minLength: 8 }),
          },
          { additionalProperties: false },
        ),
        response: replies({ 200: KioskTicketReply, ...errors(400, 403, 404, 409, 429, 503) }),
      },
    },
    async (request) => tickets.take(request.body),
  );

  app.post(
    '/kiosk/appointments/check-in',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '预约签到 (scanned appointment code, or the inserted ID card)',
        body: Type.Object({ code: Type.Optional(Text(512)) }, { additionalProperties: false }),
        response: replies({ 200: KioskTicketReply, ...errors(400, 403, 404, 409, 503) }),
      },
    },
    async (request) => tickets.checkIn(request.body),
  );

  app.post(
    '/kiosk/tickets/:ticketId/reprint',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '补打号票',
        params: Type.Object({ ticketId: IdSchema }),
        response: replies({ 200: Type.Object({ print: PrintReply }), ...errors(403, 404, 429, 503) }),
      },
    },
    async (request) => tickets.reprint(request.params.ticketId),
  );

  app.get(
    '/kiosk/tickets/lookup',
    {
      config: citizen,
      schema: {
        tags: ['kiosk'],
        summary: '查询号票状态 (by scanned code or by number)',
        querystring: Type.Object({
          code: Type.Optional(Text(512)),
          number: Type.Optional(DisplayNoSchema),
        }),
        response: replies({ 200: Type.Object({ ticket: Type.Ref('Ticket') }), ...errors(400, 403, 404) }),
      },
    },
    async (request) => tickets.lookup(request.query),
  );
};
