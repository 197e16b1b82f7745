import { beforeAll } from 'vitest';
import type { Clock } from '../../kiosk/clock.ts';
import { openPostgres } from '../../kiosk/store/postgres.ts';
import type { Runner } from '../../kiosk/store/sql.ts';
import { type PgServer, startPostgres } from './postgres.ts';

/** A fresh, empty hall store on the test run's PostgreSQL server: `open()` connects (a daemon's start). */
export interface TestStore {
  readonly url: string;
  open(): Promise<Runner>;
}

/** One real server per test file's process, started on first use (the harness stops it at exit). */
let server: Promise<PgServer> | undefined;
let databases = 0;

// Started before the file's tests (within hookTimeout), not inside the first test that needs it.
if (process.env.KIOSK_TEST_STORE === 'postgres') {
  beforeAll(async () => {
    server ??= startPostgres();
    await server;
  });
}

export async function hallStoreForTest(clock: Clock): Promise<TestStore> {
  server ??= startPostgres();
  const url = await (await server).createDatabase(`hall_${process.pid}_${++databases}`);
  return {
    url,
    open: () => openPostgres({ url, poolSize: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 }, clock),
  };
}
