import { createEvaluations, type Evaluations } from '../../../kiosk/evaluations/index.ts';
import type { OutboxOptions } from '../../../kiosk/evaluations/outbox.ts';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../config/load.ts';
import { createKiosk, type Kiosk } from '../../../kiosk/compose.ts';
import { buildServer, type BuildServerOptions } from '../../../server/app.ts';
import { openDatabase, type Db } from '../../../kiosk/store/database.ts';
import { type Param, run, type RunResult } from '../../../kiosk/store/sql.ts';
import { fakeClock, makeHall, tempDbPath, type SqliteTestHall, type TestHall } from '../../helpers/engine.ts';
import { hallStoreForTest } from '../../helpers/hall-store.ts';
import { seededSessions } from '../../helpers/server.ts';

export interface EvalHall extends TestHall {
  evaluations: Evaluations;
  /** This daemon's own SQLite file (the working-day calendar; the hall's store too on SQLite). */
  db: Db;
  /** One statement in a write transaction of the hall's store, in the dialect both engines share. */
  exec(sql: string, ...params: Param[]): Promise<RunResult>;
}

/** Evaluations on the hall store of this test run: SQLite, or PostgreSQL with KIOSK_TEST_STORE=postgres. */
export async function makeEvalHall(overlay: Record<string, unknown> = {}, options: OutboxOptions = {}, start?: string): Promise<EvalHall> {
  const hall = await makeHall(overlay, start ? fakeClock(start) : fakeClock());
  const own = 'db' in hall ? null : openDatabase(tempDbPath());
  const db = own ?? (hall as SqliteTestHall).db;
  const evaluations = createEvaluations(db, hall.engine, hall.config, hall.clock, options);
  await evaluations.open();
  return {
    ...hall,
    db,
    evaluations,
    exec: (sql, ...params) => hall.engine.unit.runner.transaction(() => run(sql, ...params)),
    async close() {
      await evaluations.outbox.stop();
      await hall.close();
      own?.close();
    },
  };
}

/** Issue a ticket, serve it at the counter and complete it; returns the ticket id. */
export async function serveTicket(hall: TestHall, counterNo = 1, serviceCode = 'general', identityHash?: string): Promise<number> {
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
  // PostgreSQL with KIOSK_TEST_STORE=postgres, as makeServer (test/helpers/server.ts).
  const hallStore = process.env.KIOSK_TEST_STORE === 'postgres' ? await (await hallStoreForTest(clock)).open() : undefined;
  const kiosk = createKiosk(loadConfig({ overlay }), { clock, dbPath: tempDbPath(), outbox: options, ...(hallStore ? { hallStore } : {}) });
  try {
    await kiosk.open();
  } catch (err) {
    await kiosk.close();
    throw err;
  }
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
