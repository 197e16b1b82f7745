import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { createKiosk, type Kiosk } from '../../../kiosk/compose.ts';
import { doc, text } from '../../../drivers/printer/document.ts';
import { fakeClock, tempDbPath } from '../../helpers/engine.ts';

let kiosk: Kiosk;
afterEach(async () => {
  await kiosk?.close();
});

function insertJob(ticketId: number, state: string): void {
  kiosk.db
    .prepare("INSERT INTO print_jobs (ticket_id, kind, state, document, created_at, updated_at) VALUES (?, 'ticket', ?, ?, ?, ?)")
    .run(ticketId, state, JSON.stringify(doc(text('x'))), kiosk.clock(), kiosk.clock());
}

describe('print jobs and the ticket print state', () => {
  it('keeps a printed ticket printed when a later reprint fails', async () => {
    kiosk = createKiosk(loadConfig(), { clock: fakeClock(), dbPath: tempDbPath() });
    const engine = kiosk.engine!;
    const t = (await engine.issue({ serviceCode: 'general' })).ticket;
    await engine.setPrintState(t.id, 'printed');
    await engine.setPrintState(t.id, 'failed');
    expect((await engine.reader.ticket(t.id)).printState).toBe('printed');
  });

  it('marks jobs cut off by a crash as failed and brings ticket print states in line with the jobs', async () => {
    const path = tempDbPath();
    const clock = fakeClock();
    kiosk = createKiosk(loadConfig(), { clock, dbPath: path });
    const engine = kiosk.engine!;
    const finishedBeforeKill = (await engine.issue({ serviceCode: 'general' })).ticket;
    const interrupted = (await engine.issue({ serviceCode: 'general' })).ticket;
    await engine.setPrintState(finishedBeforeKill.id, 'pending');
    await engine.setPrintState(interrupted.id, 'pending');
    insertJob(finishedBeforeKill.id, 'done'); // the job finished, the state update did not
    insertJob(interrupted.id, 'sent'); // the daemon died while the bytes were going out
    await kiosk.close();

    kiosk = createKiosk(loadConfig(), { clock, dbPath: path }); // restart
    const states = kiosk.db.prepare('SELECT state, error_code FROM print_jobs ORDER BY id').all();
    expect(states).toEqual([
      { state: 'done', error_code: null },
      { state: 'failed', error_code: 'interrupted' },
    ]);
    await kiosk.printing.reconcile();
    expect((await kiosk.engine!.reader.ticket(finishedBeforeKill.id)).printState).toBe('printed');
    expect((await kiosk.engine!.reader.ticket(interrupted.id)).printState).toBe('failed');
    expect(kiosk.printing.unprintedTickets()).toEqual([interrupted.id]);
  });
});
