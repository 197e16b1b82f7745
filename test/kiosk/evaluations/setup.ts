import { createEvaluations, type Evaluations } from '../../../kiosk/evaluations/index.ts';
import type { OutboxOptions } from '../../../kiosk/evaluations/outbox.ts';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../config/load.ts';
import { createKiosk, type Kiosk } from '../../../kiosk/compose.ts';
import { buildServer, type BuildServerOptions } from '../../../server/app.ts';
import { fakeClock, makeSqliteHall, tempDbPath, type SqliteTestHall } from '../../helpers/engine.ts';
import { seededSessions } from '../../helpers/server.ts';

export interface EvalHall extends SqliteTestHall {
  evaluations: Evaluations;
}

export function makeEvalHall(overlay: Record<string, unknown> = {}, options: OutboxOptions = {}, start?: string): EvalHall {
  const hall = makeSqliteHall(overlay, start ? fakeClock(start) : fakeClock());
  return { ...hall, evaluations: createEvaluations(hall.db, hall.engine, hall.config, hall.clock, options) };
}

/** Issue a ticket, serve it at the counter and complete it; returns the ticket id. */
export async function serveTicket(hall: SqliteTestHall, counterNo = 1, serviceCode = 'general', identityHash?: string): Promise<number> {
  const counter = (await hall.engine.reader.status(hall.clock())).counters.find((c) => c.number === counterNo);
  if (counter?.state === 'closed') await hall.engine.openCounter(counterNo);
  const { ticket } = await hall.engine.issue({ serviceCode, ...(identityHash ? { identity: { hash: identityHash } } : {}) });
  await hall.engine.callNext(counterNo);
  hall.clock.advanceMinutes(1);
  await hall.engine.complete(counterNo);
  return ticket.id;
}

/** A test server with the 好差评 routes and an outbox tuned by `options`. */
export async function makeEvalServer(
  overlay: Record<string, unknown> = {},
  options: OutboxOptions = {},
  plugins: BuildServerOptions['plugins'] = [],
): Promise<EvalServer> {
  const clock = fakeClock();
  const kiosk = createKiosk(loadConfig({ overlay }), { clock, dbPath: tempDbPath(), outbox: options });
  const evaluations = kiosk.evaluations;
  const app = await buildServer(kiosk, { plugins: plugins ?? [], consoleSessions: seededSessions() });
  await app.ready();
  return {
    app,
    kiosk,
    evaluations,
    clock,
    async close() {
      await evaluations.outbox.stop();
      await app.close();
      await kiosk.close();
    },
  };
}

export interface EvalServer {
  app: FastifyInstance;
  kiosk: Kiosk & { evaluations: Evaluations };
  evaluations: Evaluations;
  clock: ReturnType<typeof fakeClock>;
  close(): Promise<void>;
}
