import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { QueueEngine } from '../../kiosk/queue/engine.ts';
import type { TicketView } from '../../kiosk/queue/types.ts';
import { counterAuth } from '../plugins/auth.ts';
import { errors, Int, Text } from '../schemas.ts';
import { idempotent } from './counter-workstation.ts';

const CounterNo = Int(1, 999);
const Params = Type.Object({ counterNo: CounterNo });
const TransferBody = Type.Object(
  { serviceCode: Type.Optional(Text(32, { minLength: 1 })), counterNo: Type.Optional(CounterNo) },
  { additionalProperties: false, minProperties: 1 },
);
type Transfer = Static<typeof TransferBody>;
const CounterReply = Type.Object({ counterNo: Type.Integer(), state: Type.String() });

type TicketAction = (engine: QueueEngine, counterNo: number, body: Transfer) => Promise<TicketView>;
type StateAction = (engine: QueueEngine, counterNo: number) => Promise<void>;

/** 窗口操作: counter state changes and ticket operations at a counter. */
const STATE_ACTIONS: Record<string, { summary: string; run: StateAction }> = {
  open: { summary: '开窗 open the counter', run: (e, n) => e.openCounter(n) },
  close: { summary: '关窗 close the counter', run: (e, n) => e.closeCounter(n) },
  pause: { summary: '暂停服务 pause', run: (e, n) => e.pauseCounter(n) },
  resume: { summary: '恢复服务 resume', run: (e, n) => e.resumeCounter(n) },
};

const TICKET_ACTIONS: Record<string, { summary: string; run: TicketAction }> = {
  'call-next': { summary: '叫号 call the next ticket', run: (e, n) => e.callNext(n) },
  recall: { summary: '重呼 call the current ticket again', run: (e, n) => e.recall(n) },
  start: { summary: '开始办理 start serving', run: (e, n) => e.startService(n) },
  complete: { summary: '办结 complete (ready for evaluation)', run: (e, n) => e.complete(n) },
  'no-show': { summary: '过号 the citizen did not come', run: (e, n) => e.noShow(n) },
  suspend: { summary: '挂起 hold the ticket for this counter', run: (e, n) => e.suspend(n) },
  transfer: {
    summary: '转移 send to another service or counter, keeping the place',
    run: (e, n, body) => e.transfer(n, { serviceCode: body.serviceCode, counterNo: body.counterNo }),
  },
};

export const counterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const kiosk = app.kiosk;
  const engine = kiosk.engine;
  if (!engine) return;
  for (const [action, { summary, run }] of Object.entries(STATE_ACTIONS)) {
    app.post(
      `/counters/:counterNo/${action}`,
      {
        config: counterAuth(),
        schema: {
          tags: ['counters'],
          summary,
          security: [{ bearer: [] }],
          params: Params,
          response: { 200: CounterReply, ...errors(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        const { counterNo } = request.params;
        // An Idempotency-Key header makes a retried request act once (counter-workstation.ts).
        return idempotent(kiosk, request, reply, { counterNo, action }, async () => {
          await run(engine, counterNo);
          const view = (await engine.reader.status(kiosk.clock())).counters.find((c) => c.number === counterNo);
          return { counterNo, state: view?.state ?? 'closed' };
        });
      },
    );
  }
  for (const [action, { summary, run }] of Object.entries(TICKET_ACTIONS)) {
    app.post(
      `/counters/:counterNo/${action}`,
      {
        config: counterAuth(),
        schema: {
          tags: ['counters'],
          summary,
          security: [{ bearer: [] }],
          params: Params,
          ...(action === 'transfer' ? { body: TransferBody } : {}),
          response: { 200: Type.Object({ ticket: Type.Ref('Ticket') }), ...errors(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        const { counterNo } = request.params;
        const body: unknown = request.body;
        return idempotent(kiosk, request, reply, { counterNo, action }, async () => ({
          ticket: await run(engine, counterNo, isTransfer(body) ? body : {}),
        }));
      },
    );
  }
};

/** The body was validated against TransferBody on the transfer route; other actions have none. */
function isTransfer(body: unknown): body is Transfer {
  return typeof body === 'object' && body !== null;
}
