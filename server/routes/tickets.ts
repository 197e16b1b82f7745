import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kiosk } from '../../kiosk/compose.ts';
import { allow } from '../auth.ts';
import { errors } from '../schemas.ts';
import { idempotent } from './counter-workstation.ts';

const IdParams = Type.Object({ ticketId: Type.Integer({ minimum: 1 }) });
const TicketReply = { 200: Type.Object({ ticket: Type.Ref('Ticket') }), ...errors(401, 403, 404, 409, 503) };

/** Ticket lookup and the ticket operations that do not belong to one counter. */
export async function ticketRoutes(app: FastifyInstance, kiosk: Kiosk): Promise<void> {
  const engine = kiosk.engine;
  if (!engine) return;
  const staff = allow('hall-server', 'counter', 'admin');

  app.get(
    '/tickets/:ticketId',
    { preHandler: staff, schema: { tags: ['tickets'], summary: '查询号票 by id', security: [{ bearer: [] }], params: IdParams, response: TicketReply } },
    async (request) => ({ ticket: engine.reader.ticket((request.params as { ticketId: number }).ticketId) }),
  );
  app.get(
    '/tickets/by-number/:displayNo',
    {
      preHandler: staff,
      schema: {
        tags: ['tickets'],
        summary: '按号码查询今日号票, e.g. A012',
        security: [{ bearer: [] }],
        params: Type.Object({ displayNo: Type.String({ pattern: '^[A-Za-z]{1,2}[0-9]{1,6}$' }) }),
        response: TicketReply,
      },
    },
    async (request) => ({ ticket: engine.reader.ticketByNumber((request.params as { displayNo: string }).displayNo) }),
  );
  const ops: Record<string, { summary: string; run: (id: number) => unknown }> = {
    requeue: { summary: '过号重排 a no-show returns to the back of the queue', run: (id) => engine.requeue(id) },
    resume: { summary: '恢复挂起的号 back to waiting at its counter', run: (id) => engine.resumeSuspended(id) },
    cancel: { summary: '取消号票', run: (id) => engine.cancel(id) },
  };
  for (const [op, { summary, run }] of Object.entries(ops)) {
    app.post(
      `/tickets/:ticketId/${op}`,
      { preHandler: staff, schema: { tags: ['tickets'], summary, security: [{ bearer: [] }], params: IdParams, response: TicketReply } },
      async (request, reply) => {
        const { ticketId } = request.params as { ticketId: number };
        const counterNo = request.caller.kind === 'counter' ? request.caller.counterNo : null;
        return idempotent(kiosk, request, reply, { counterNo, action: `ticket-${op}` }, () => ({ ticket: run(ticketId) }));
      },
    );
  }
}
