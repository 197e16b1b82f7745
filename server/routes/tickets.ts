import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Actor, actorOf } from '../../kiosk/queue/counter-scope.ts';
import { auth } from '../plugins/auth.ts';
import { DisplayNoSchema, errors, IdSchema } from '../schemas.ts';
import { idempotent } from './counter-workstation.ts';

const IdParams = Type.Object({ ticketId: IdSchema });
const TicketReply = { 200: Type.Object({ ticket: Type.Ref('Ticket') }), ...errors(401, 403, 404, 409, 503) };

/** Ticket lookup and the ticket operations that do not belong to one counter. */
export const ticketRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const engine = kiosk.engine;
  if (!engine) return;
  const staff = auth('hall-server', 'counter', 'admin');

  app.get(
    '/tickets/:ticketId',
    { config: staff, schema: { tags: ['tickets'], summary: '查询号票 by id', security: [{ bearer: [] }], params: IdParams, response: TicketReply } },
    async (request) => ({ ticket: await engine.reader.ticket(request.params.ticketId) }),
  );
  app.get(
    '/tickets/by-number/:displayNo',
    {
      config: staff,
      schema: {
        tags: ['tickets'],
        summary: '按号码查询今日号票, e.g. A012',
        security: [{ bearer: [] }],
        params: Type.Object({ displayNo: DisplayNoSchema }),
        response: TicketReply,
      },
    },
    async (request) => ({ ticket: await engine.reader.ticketByNumber(request.params.displayNo) }),
  );
  // A counter token acts only on tickets in its scope (kiosk/queue/counter-scope.ts, applied by the engine).
  const ops: Record<string, { summary: string; run: (id: number, actor: Actor) => unknown }> = {
    requeue: { summary: '过号重排 a no-show returns to the back of the queue', run: (id, actor) => engine.requeue(id, actor) },
    resume: { summary: '恢复挂起的号 back to waiting at its counter', run: (id, actor) => engine.resumeSuspended(id, actor) },
    cancel: { summary: '取消号票', run: (id, actor) => engine.cancel(id, actor) },
  };
  for (const [op, { summary, run }] of Object.entries(ops)) {
    app.post(
      `/tickets/:ticketId/${op}`,
      { config: staff, schema: { tags: ['tickets'], summary, security: [{ bearer: [] }], params: IdParams, response: TicketReply } },
      async (request, reply) => {
        const { ticketId } = request.params;
        const counterNo = request.caller.kind === 'counter' ? request.caller.counterNo : null;
        // An Idempotency-Key header makes a retried request act once (counter-workstation.ts).
        return idempotent(kiosk, request, reply, { counterNo, action: `ticket-${op}` }, async () => ({ ticket: await run(ticketId, actorOf(counterNo)) }));
      },
    );
  }
};
