import { describe, expect, it } from 'vitest';
import type { PrinterDocument } from '../../../drivers/printer/document.ts';
import type { PrintOutcome } from '../../../kiosk/printing/print-service.ts';
import { LocalQueue } from '../../../kiosk/queue/access.ts';
import type { SessionIdentity } from '../../../kiosk/session/citizen-session.ts';
import { IssueAtKiosk } from '../../../kiosk/tickets/issue-at-kiosk.ts';
import { makeSqliteHall } from '../../helpers/engine.ts';
import { makeServer } from '../../helpers/server.ts';

/**
 * A printer stand-in that records what it was asked to print and, like PrintService, keeps the
 * ticket's print state in the queue. `crash` leaves a job in flight (state pending) and never
 * answers: the process died mid-print.
 */
function setup(identity: SessionIdentity | null = null) {
  const hall = makeSqliteHall();
  const queue = new LocalQueue(hall.engine, hall.appointments, hall.clock);
  const printed: number[] = [];
  let mode: 'ok' | 'crash' | 'fail' = 'ok';
  let presented = 0;
  const printing = {
    async print(_kind: string, _doc: PrinterDocument, ticketId: number | null = null): Promise<PrintOutcome> {
      if (ticketId !== null) await queue.setPrintState(ticketId, 'pending');
      if (mode === 'crash') return new Promise<PrintOutcome>(() => undefined);
      if (mode === 'fail') {
        if (ticketId !== null) await queue.setPrintState(ticketId, 'failed');
        return { jobId: 0, ok: false, code: 'paper-out', message: '打印机缺纸' };
      }
      printed.push(ticketId ?? -1);
      if (ticketId !== null) await queue.setPrintState(ticketId, 'printed');
      return { jobId: printed.length, ok: true };
    },
    async reprintTicket(ticketId: number): Promise<PrintOutcome> {
      return this.print('ticket', { commands: [] } as unknown as PrinterDocument, ticketId);
    },
  };
  const devices = { present: async () => void presented++ };
  const tickets = new IssueAtKiosk({ config: hall.config, queue, printing, devices, session: { identity } });
  return {
    hall,
    tickets,
    printed,
    get presented() {
      return presented;
    },
    setMode(m: typeof mode) {
      mode = m;
    },
  };
}

describe('issue at the kiosk: a retried request never prints again (issue 10 item 15)', () => {
  it('prints a new ticket once, and a retry with the same requestId returns it as printed without printing', async () => {
    const k = setup();
    const first = await k.tickets.take({ serviceCode: 'general', useIdentity: false, requestId: 'retry-printed-0001' });
    expect(first).toMatchObject({ existing: false, print: { ok: true }, ticket: { printState: 'printed' } });
    const retry = await k.tickets.take({ serviceCode: 'general', useIdentity: false, requestId: 'retry-printed-0001' });
    expect(retry).toMatchObject({ existing: true, print: { ok: true }, ticket: { id: first.ticket.id, printState: 'printed' } });
    expect(retry.code).toBe(first.code);
    expect(k.printed).toEqual([first.ticket.id]);
    expect(k.presented).toBe(1);
  });

  it('after a crash mid-print, the retry returns the ticket with its print state and prints nothing; reprint prints once', async () => {
    const k = setup();
    k.setMode('crash');
    const lost = k.tickets.take({ serviceCode: 'general', useIdentity: false, requestId: 'retry-crashed-0001' });
    void lost; // the reply never came: the client retries
    await new Promise((r) => setTimeout(r, 20));
    k.setMode('ok');
    const retry = await k.tickets.take({ serviceCode: 'general', useIdentity: false, requestId: 'retry-crashed-0001' });
    expect(retry.existing).toBe(true);
    expect(retry.ticket.printState).toBe('pending');
    expect(retry.print).toMatchObject({ ok: false, code: 'print-unknown' });
    expect(k.printed).toEqual([]);

    const reprint = await k.tickets.reprint(retry.ticket.id);
    expect(reprint.print.ok).toBe(true);
    expect(k.printed).toEqual([retry.ticket.id]);
    const again = await k.tickets.take({ serviceCode: 'general', useIdentity: false, requestId: 'retry-crashed-0001' });
    expect(again).toMatchObject({ print: { ok: true }, ticket: { printState: 'printed' } });
    expect(k.printed).toEqual([retry.ticket.id]);
  });

  it('a retry after a failed print reports not printed, and does not print', async () => {
    const k = setup();
    k.setMode('fail');
    const first = await k.tickets.take({ serviceCode: 'general', useIdentity: false, requestId: 'retry-failed-00001' });
    expect(first.print).toMatchObject({ ok: false, code: 'paper-out' });
    k.setMode('ok');
    const retry = await k.tickets.take({ serviceCode: 'general', useIdentity: false, requestId: 'retry-failed-00001' });
    expect(retry).toMatchObject({ existing: true, print: { ok: false, code: 'not-printed' }, ticket: { printState: 'failed' } });
    expect(k.printed).toEqual([]);
  });

  it('a new request of the same citizen for the same service (not a retry) still prints a ticket that never printed', async () => {
    const card: SessionIdentity = {
      hash: 'issue-at-kiosk-hash-01',
      birthDate: '1990-01-01',
      age: 36,
      elderly: false,
      expired: false,
      cardType: 'resident',
      maskedName: '李*',
      maskedId: '320***********0028',
      readAt: 0,
    };
    const k = setup(card);
    k.setMode('fail');
    const first = await k.tickets.take({ serviceCode: 'general', useIdentity: true, requestId: 'citizen-first-0001' });
    expect(first.print.ok).toBe(false);
    k.setMode('ok');
    const second = await k.tickets.take({ serviceCode: 'general', useIdentity: true, requestId: 'citizen-second-001' });
    expect(second).toMatchObject({ existing: true, print: { ok: true }, ticket: { id: first.ticket.id, printState: 'printed' } });
    expect(k.printed).toEqual([first.ticket.id]);
  });
});

describe('POST /kiosk/tickets retried with the same requestId', () => {
  it('answers the same ticket with its print state and queues no second print job', async () => {
    const s = await makeServer({ devices: { idcard: { mode: 'off' }, scanner: { mode: 'off' }, printer: { mode: 'off' }, dispenser: { mode: 'off' } } });
    try {
      const take = () =>
        s.app.inject({ method: 'POST', url: '/api/v1/kiosk/tickets', payload: { serviceCode: 'general', useIdentity: false, requestId: 'http-retry-000001' } });
      const jobs = () => (s.kiosk.db.prepare('SELECT COUNT(*) AS n FROM print_jobs').get() as { n: number }).n;
      const first = (await take()).json();
      expect(first.ticket.printState).toBe('failed'); // no printer configured
      expect(jobs()).toBe(1);
      const retry = (await take()).json();
      expect(retry).toMatchObject({ existing: true, ticket: { id: first.ticket.id, printState: 'failed' }, print: { ok: false, code: 'not-printed' } });
      expect(jobs()).toBe(1);
    } finally {
      await s.close();
    }
  });
});
