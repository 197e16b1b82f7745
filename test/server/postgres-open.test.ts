import pg from 'pg';
import { expect, it } from 'vitest';
import { HALL_WRITE_LOCK_KEY } from '../../kiosk/store/postgres.ts';
import { issue, usePgHall } from '../helpers/pg-hall.ts';
import { usePostgres } from '../helpers/postgres.ts';

/**
 * A daemon starting while the hall store cannot take its first transaction (another daemon holds
 * the hall lock past the statement timeout: a migration or an opening under load, a failover)
 * says so in its log and tries again, instead of exiting with 74 and leaving the kiosk dark.
 */
const pgTest = usePostgres();
const hall = usePgHall();

it('waits for the hall lock and retries opening the day instead of exiting', async () => {
  const url = await pgTest.freshDatabase('open');
  const holder = new pg.Client({ connectionString: url });
  const observer = new pg.Client({ connectionString: url });
  await Promise.all([holder.connect(), observer.connect()]);
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [HALL_WRITE_LOCK_KEY]);
    let failure: unknown = null;
    const starting = hall.daemon(url).catch((err: unknown) => {
      failure = err;
      return null;
    });
    // The daemon's opening transaction waits for the lock, times out (3 s in the test site
    // file), and — with the retry — waits for it again.
    const waiters = async () =>
      Number((await observer.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0]?.n);
    const phases = [true, false, true];
    for (const want of phases) {
      while ((await waiters()) > 0 !== want) {
        if (failure) throw failure;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await holder.query('COMMIT');
    const daemon = await starting;
    if (failure) throw failure;
    expect(daemon?.logTail()).toMatch(/正在重试/);
    const res = await issue(daemon!.base, 'open-retry-1');
    expect(res.status).toBe(200);
  } finally {
    await Promise.all([holder.end(), observer.end()]);
  }
}, 180_000);
