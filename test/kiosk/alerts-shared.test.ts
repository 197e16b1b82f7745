import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.ts';
import { alertsFor } from '../../kiosk/alerts/index.ts';
import { createKiosk, type Kiosk } from '../../kiosk/compose.ts';
import { openPostgres } from '../../kiosk/store/postgres.ts';
import { fakeClock, tempDbPath } from '../helpers/engine.ts';
import { usePostgres } from '../helpers/postgres.ts';

/**
 * Staff alerts on a hall store shared by several terminals (PostgreSQL, issue 17): a print job's
 * id is only its terminal's (each keeps print_jobs in its own SQLite file), so two terminals'
 * failed job #1 are two alerts, not one.
 */
const pgTest = usePostgres();
const kiosks: Kiosk[] = [];
afterEach(async () => {
  for (const k of kiosks.splice(0)) await k.close();
});

async function terminalOn(url: string, clock: ReturnType<typeof fakeClock>): Promise<Kiosk> {
  const hallStore = await openPostgres({ url, poolSize: 2, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000 }, clock);
  const kiosk = createKiosk(loadConfig(), { clock, dbPath: tempDbPath(), hallStore });
  kiosks.push(kiosk);
  await kiosk.open();
  return kiosk;
}

it('raises one alert per failed print job of each terminal, although both terminals number their jobs from 1', async () => {
  const url = await pgTest.freshDatabase('alerts');
  const clock = fakeClock();
  const [a, b] = [await terminalOn(url, clock), await terminalOn(url, clock)];
  for (const [k, message] of [
    [a, '打印机离线'],
    [b, '打印机缺纸'],
  ] as const) {
    await alertsFor(k)!.list(); // started: its first scan (nothing failed yet) is done
    const now = clock();
    const job = k.db
      .prepare(
        "INSERT INTO print_jobs (ticket_id, kind, state, document, error_code, error_message, created_at, updated_at) VALUES (NULL, 'notice', 'failed', '{}', 'offline', ?, ?, ?)",
      )
      .run(message, now, now);
    expect(job.lastInsertRowid).toBe(1);
    expect(await alertsFor(k)!.scanPrintJobs()).toBe(1);
  }
  const open = (await alertsFor(a)!.list({ openOnly: true })).filter((x) => x.kind === 'print-failed');
  expect(open.map((x) => x.message).sort()).toEqual(['一次性告知单打印失败：打印机离线', '一次性告知单打印失败：打印机缺纸']);
});
