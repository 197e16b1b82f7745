import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import type { KioskConfig } from '../../config/schema.ts';
import { Appointments } from '../../kiosk/queue/appointments.ts';
import { QueueEngine } from '../../kiosk/queue/engine.ts';
import { openDatabase, type Db } from '../../kiosk/store/database.ts';
import { all, get, type Param, type Runner } from '../../kiosk/store/sql.ts';
import { hallStoreForTest } from './hall-store.ts';

/** A settable clock starting at a given Beijing local time. */
export function fakeClock(isoLocal = '2026-11-23T09:00:00') {
  let now = Date.parse(`${isoLocal}+08:00`);
  const clock = () => now;
  return Object.assign(clock, {
    set(iso: string) {
      now = Date.parse(`${iso}+08:00`);
    },
    advanceMinutes(m: number) {
      now += m * 60_000;
    },
  });
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'kiosk-test-')), 'kiosk.db');
}

/** Statements against the hall's store in the dialect both engines share (kiosk/store/sql.ts). */
export interface HallQuery {
  get<R>(sql: string, ...params: Param[]): Promise<R | undefined>;
  all<R>(sql: string, ...params: Param[]): Promise<R[]>;
}

/** A hall's queue on whichever store the test run uses: SQLite, or PostgreSQL when KIOSK_TEST_STORE=postgres. */
export interface TestHall {
  readonly store: 'sqlite' | 'postgres';
  engine: QueueEngine;
  appointments: Appointments;
  config: KioskConfig;
  clock: ReturnType<typeof fakeClock>;
  query: HallQuery;
  /** Stops this hall's process view of the store and opens it again (a daemon restart). */
  reopen(): Promise<TestHall>;
  close(): Promise<void>;
}

/** The SQLite form, for tests about SQLite itself or about records that are SQLite only for now. */
export interface SqliteTestHall extends TestHall {
  db: Db;
  path: string;
  reopenSync(): SqliteTestHall;
}

export function queryOf(runner: Runner): HallQuery {
  return {
    get: <R>(sql: string, ...params: Param[]) => runner.read(() => get<R>(sql, ...params)),
    all: <R>(sql: string, ...params: Param[]) => runner.read(() => all<R>(sql, ...params)),
  };
}

export function makeSqliteHall(overlay: unknown = {}, clock = fakeClock(), path = tempDbPath()): SqliteTestHall {
  const config = loadConfig({ overlay });
  const db = openDatabase(path);
  const engine = new QueueEngine(db, config, clock);
  const hall: SqliteTestHall = {
    store: 'sqlite',
    db,
    engine,
    appointments: new Appointments(engine),
    config,
    clock,
    path,
    query: queryOf(engine.unit.runner),
    reopenSync() {
      db.close();
      return makeSqliteHall(overlay, clock, path);
    },
    async reopen() {
      return hall.reopenSync();
    },
    async close() {
      db.close();
    },
  };
  return hall;
}

/**
 * The hall on the store this test run uses. The queue engine's suites call this, so the same
 * tests run on SQLite (`npm test`'s first project) and on a real PostgreSQL server (the second,
 * with KIOSK_TEST_STORE=postgres; see vitest.config.ts).
 */
export async function makeHall(overlay: unknown = {}, clock = fakeClock()): Promise<TestHall> {
  if (process.env.KIOSK_TEST_STORE !== 'postgres') return makeSqliteHall(overlay, clock);
  const config = loadConfig({ overlay });
  const store = await hallStoreForTest(clock);
  const open = async (): Promise<TestHall> => {
    const runner = await store.open();
    const engine = new QueueEngine(runner, config, clock);
    await engine.open();
    const hall: TestHall = {
      store: 'postgres',
      engine,
      appointments: new Appointments(engine),
      config,
      clock,
      query: queryOf(runner),
      async reopen() {
        await runner.close();
        return open();
      },
      async close() {
        await runner.close();
      },
    };
    return hall;
  };
  return open();
}
