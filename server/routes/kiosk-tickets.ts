import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
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
 * and answer with everything the ticket screen shows. The steps live in kiosk/tickets/issue-at-kiosk.ts.
 */
export async function kioskTicketRoutes(app: FastifyInstance, kiosk: Kiosk): Promise<void> {
  const citizen = allow('loopback');
  const { tickets } = kiosk;

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
    async (request) =>
      tickets.take(request.body as { serviceCode: string; priorityReason?: 'elderly' | 'disabled' | 'pregnant' | 'talent' | null; useIdentity: boolean; requestId: string }),
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
    async (request) => tickets.checkIn(request.body as { code?: string }),
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
    async (request) => tickets.reprint((request.params as { ticketId: number }).ticketId),
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
    async (request) => tickets.lookup(request.query as { code?: string; number?: string }),
  );
}
