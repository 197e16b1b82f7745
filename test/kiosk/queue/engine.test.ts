import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../kiosk/errors.ts';
import { makeHall } from '../../helpers/engine.ts';

async function code(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof KioskError) return err.code;
    throw err;
  }
  throw new Error('expected a KioskError');
}

describe('numbering', () => {
  it('numbers per service with prefix and padding, starting at the range start', async () => {
    const { engine } = await makeHall();
    expect((await engine.issue({ serviceCode: 'general' })).ticket.displayNo).toBe('A001');
    expect((await engine.issue({ serviceCode: 'general' })).ticket.displayNo).toBe('A002');
    expect((await engine.issue({ serviceCode: 'reimburse' })).ticket.displayNo).toBe('C001');
  });

  it('continues past the range end instead of wrapping (不得限号)', async () => {
    const { engine } = await makeHall({
      services: [
        { code: 'general', name: '综合业务', prefix: 'A', numberRange: { from: 8, to: 9 }, averageServiceMinutes: 5, priorityReasons: [], dailyCap: null },
      ],
      counters: [],
    });
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) numbers.push((await engine.issue({ serviceCode: 'general' })).ticket.displayNo);
    expect(numbers).toEqual(['A8', 'A9', 'A10']);
  });

  it('continues after a restart and resets at the configured local time, not at UTC midnight', async () => {
    const hall = await makeHall();
    await hall.engine.issue({ serviceCode: 'general' });
    hall.clock.set('2026-11-23T23:30:00'); // 15:30 UTC: a UTC-date system would already be fine; still same day
    const h2 = await hall.reopen();
    expect((await h2.engine.issue({ serviceCode: 'general' })).ticket.displayNo).toBe('A002');
    h2.clock.set('2026-11-24T02:59:00'); // before the 03:00 reset: still the 23rd
    expect((await h2.engine.issue({ serviceCode: 'general' })).ticket).toMatchObject({ displayNo: 'A003', day: '2026-11-23' });
    h2.clock.set('2026-11-24T03:00:00');
    expect((await h2.engine.issue({ serviceCode: 'general' })).ticket).toMatchObject({ displayNo: 'A001', day: '2026-11-24' });
  });

  it("starts cleanly the next morning on yesterday's database, archiving yesterday", async () => {
    const hall = await makeHall();
    await hall.engine.issue({ serviceCode: 'general' });
    hall.clock.set('2026-11-24T08:00:00');
    const next = await hall.reopen();
    expect(next.engine.day).toBe('2026-11-24');
    expect((await next.engine.issue({ serviceCode: 'general' })).ticket.displayNo).toBe('A001');
    const old = await next.query.get("SELECT status FROM tickets WHERE day = '2026-11-23'");
    expect(old).toEqual({ status: 'cancelled' });
  });

  it('never repeats a number when the clock is set back across the reset', async () => {
    const { engine, clock } = await makeHall();
    clock.set('2026-11-24T08:00:00');
    await engine.issue({ serviceCode: 'general' });
    clock.set('2026-11-23T16:00:00'); // clock stepped back a day
    const t = (await engine.issue({ serviceCode: 'general' })).ticket;
    expect(t).toMatchObject({ displayNo: 'A002', day: '2026-11-24' });
  });

  it('archives the old day at the reset: open tickets get a final state, nothing is deleted', async () => {
    const { engine, clock, query } = await makeHall();
    await engine.openCounter(1);
    await engine.issue({ serviceCode: 'general' });
    await engine.issue({ serviceCode: 'general' });
    await engine.callNext(1);
    clock.set('2026-11-24T09:00:00');
    await engine.tick();
    const rows = await query.all("SELECT display_no, status FROM tickets WHERE day = '2026-11-23' ORDER BY id");
    expect(rows).toEqual([
      { display_no: 'A001', status: 'no-show' },
      { display_no: 'A002', status: 'cancelled' },
    ]);
    expect(await query.get("SELECT archived_at FROM days WHERE day = '2026-11-23'")).not.toEqual({ archived_at: null });
    expect((await engine.reader.status(clock())).counters.every((c) => c.state === 'closed')).toBe(true);
  });

  it('applies an optional daily cap with a clear error', async () => {
    const { engine } = await makeHall({
      services: [
        { code: 'general', name: '综合业务', prefix: 'A', numberRange: { from: 1, to: 999 }, averageServiceMinutes: 5, priorityReasons: [], dailyCap: 1 },
      ],
      counters: [],
    });
    await engine.issue({ serviceCode: 'general' });
    expect(await code(() => engine.issue({ serviceCode: 'general' }))).toBe('QUEUE_DAILY_CAP');
  });
});

describe('privacy', () => {
  it('erases identity hashes of tickets and appointments once the retention period has passed', async () => {
    const { engine, appointments, clock, query } = await makeHall();
    await engine.issue({ serviceCode: 'general', identity: { hash: 'person-hash-123456' } });
    const appt = await appointments.book({
      identityHash: 'person-hash-123456',
      serviceCode: 'general',
      day: '2026-11-23',
      windowStart: '16:00',
      windowEnd: '16:30',
    });
    const hashes = async () => [
      (await query.get<{ identity_hash: string | null }>('SELECT identity_hash FROM tickets WHERE id = 1'))?.identity_hash,
      (await query.get<{ identity_hash: string }>('SELECT identity_hash FROM appointments WHERE id = ?', appt.id))?.identity_hash,
    ];
    clock.set('2026-11-30T09:00:00'); // 7 days later: still needed (evaluation window)
    await engine.tick();
    expect(await hashes()).toEqual(['person-hash-123456', 'person-hash-123456']);
    clock.set('2026-12-02T09:00:00'); // past the 8-day retention
    await engine.tick();
    expect(await hashes()).toEqual([null, '']);
    expect(await appointments.isSuspended('person-hash-123456')).toBe(false);
  });
});

describe('issuing', () => {
  it('returns the existing ticket to the same identity for the same service, and for a retried request id', async () => {
    const { engine } = await makeHall();
    const a = await engine.issue({ serviceCode: 'general', identity: { hash: 'h1' } });
    const b = await engine.issue({ serviceCode: 'general', identity: { hash: 'h1' } });
    expect(b).toMatchObject({ existing: true, ticket: { id: a.ticket.id } });
    const c = await engine.issue({ serviceCode: 'enrol', identity: { hash: 'h1' } });
    expect(c.existing).toBe(false);
    const r1 = await engine.issue({ serviceCode: 'general', requestId: 'req-1' });
    const r2 = await engine.issue({ serviceCode: 'general', requestId: 'req-1' });
    expect(r2).toMatchObject({ existing: true, ticket: { id: r1.ticket.id } });
  });

  it('gives 绿色通道 priority from the birth date over the configured age, only for services that honour it', async () => {
    const { engine } = await makeHall();
    const old = (await engine.issue({ serviceCode: 'general', identity: { hash: 'o', birthDate: '1950-01-01' } })).ticket;
    const young = (await engine.issue({ serviceCode: 'general', identity: { hash: 'y', birthDate: '1990-01-01' } })).ticket;
    const employer = (await engine.issue({ serviceCode: 'employer', identity: { hash: 'o', birthDate: '1950-01-01' } })).ticket;
    expect([old.priorityReason, young.priorityReason, employer.priorityReason]).toEqual(['elderly', null, null]);
  });

  it('rejects an unknown service', async () => {
    const { engine } = await makeHall();
    expect(await code(() => engine.issue({ serviceCode: 'nope' }))).toBe('QUEUE_UNKNOWN_SERVICE');
  });

  it('estimates the wait from people ahead and open counters', async () => {
    const { engine } = await makeHall();
    await engine.openCounter(1);
    await engine.openCounter(2);
    for (let i = 0; i < 4; i++) await engine.issue({ serviceCode: 'general' });
    const t = (await engine.issue({ serviceCode: 'general' })).ticket;
    // 4 ahead, seed median 6 min, counters 1, 2 and 6 serve 'general' but only 1 and 2 are open
    expect(t.peopleAhead).toBe(4);
    expect(t.estimatedWaitMinutes).toBe(Math.ceil((5 * 6) / 2));
  });
});

describe('ordering and fairness', () => {
  it('calls a priority ticket first, but never more than maxConsecutive in a row while a normal ticket waits', async () => {
    const { engine, clock } = await makeHall();
    await engine.openCounter(1);
    const normal = (await engine.issue({ serviceCode: 'general' })).ticket;
    clock.advanceMinutes(1);
    const p = [];
    for (let i = 0; i < 3; i++) p.push((await engine.issue({ serviceCode: 'general', priorityReason: 'disabled' })).ticket);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      order.push((await engine.callNext(1)).displayNo);
      await engine.complete(1);
    }
    expect(order).toEqual([p[0]!.displayNo, p[1]!.displayNo, normal.displayNo, p[2]!.displayNo]);
  });

  it('lets a normal ticket keep its place ahead of priority tickets issued more than boostMinutes later', async () => {
    const { engine, clock } = await makeHall();
    await engine.openCounter(1);
    const normal = (await engine.issue({ serviceCode: 'general' })).ticket;
    clock.advanceMinutes(31);
    await engine.issue({ serviceCode: 'general', priorityReason: 'pregnant' });
    expect((await engine.callNext(1)).displayNo).toBe(normal.displayNo);
  });

  it('only calls tickets of the counter services', async () => {
    const { engine } = await makeHall();
    await engine.openCounter(4); // 4 serves reimburse only
    await engine.issue({ serviceCode: 'general' });
    expect(await code(() => engine.callNext(4))).toBe('QUEUE_NOTHING_WAITING');
    await engine.issue({ serviceCode: 'reimburse' });
    expect((await engine.callNext(4)).displayNo).toBe('C001');
  });
});

describe('counter operations', () => {
  it('walks a ticket through call, recall (limited), start and complete', async () => {
    const { engine, clock } = await makeHall({ queue: { recallLimit: 1 } });
    await engine.openCounter(1);
    const t = (await engine.issue({ serviceCode: 'general' })).ticket;
    expect(await engine.callNext(1)).toMatchObject({ id: t.id, status: 'called', counterNo: 1 });
    expect(await engine.recall(1)).toMatchObject({ status: 'recalled', recallCount: 1 });
    expect(await code(() => engine.recall(1))).toBe('QUEUE_RECALL_LIMIT');
    expect((await engine.startService(1)).status).toBe('serving');
    clock.advanceMinutes(10);
    expect((await engine.complete(1)).status).toBe('done');
    const types = (await engine.reader.eventsSince(0)).filter((e) => e.ticketId === t.id).map((e) => e.type);
    expect(types).toEqual(['ticket.issued', 'ticket.called', 'ticket.recalled', 'ticket.serving', 'ticket.done']);
  });

  it('refuses illegal transitions with 409-class errors naming the current state', async () => {
    const { engine } = await makeHall();
    expect(await code(() => engine.callNext(1))).toBe('QUEUE_COUNTER_NOT_OPEN');
    await engine.openCounter(1);
    expect(await code(() => engine.openCounter(1))).toBe('QUEUE_ILLEGAL_TRANSITION');
    expect(await code(() => engine.complete(1))).toBe('QUEUE_ILLEGAL_TRANSITION');
    await engine.issue({ serviceCode: 'general' });
    await engine.issue({ serviceCode: 'general' });
    await engine.callNext(1);
    expect(await code(() => engine.callNext(1))).toBe('QUEUE_COUNTER_BUSY');
    expect(await code(() => engine.pauseCounter(1))).toBe('QUEUE_COUNTER_BUSY');
    expect(await code(() => engine.callNext(99))).toBe('QUEUE_UNKNOWN_COUNTER');
    try {
      await engine.startService(1);
      await engine.recall(1);
    } catch (err) {
      expect((err as KioskError).details).toMatchObject({ currentState: 'serving' });
    }
  });

  it('lets a no-show return to the back of the queue once', async () => {
    const { engine, clock } = await makeHall();
    await engine.openCounter(1);
    const a = (await engine.issue({ serviceCode: 'general' })).ticket;
    const b = (await engine.issue({ serviceCode: 'general' })).ticket;
    await engine.callNext(1);
    expect((await engine.noShow(1)).status).toBe('no-show');
    clock.advanceMinutes(1);
    expect((await engine.requeue(a.id)).status).toBe('waiting');
    expect((await engine.callNext(1)).id).toBe(b.id);
    await engine.complete(1);
    expect((await engine.callNext(1)).id).toBe(a.id);
    await engine.noShow(1);
    expect(await code(() => engine.requeue(a.id))).toBe('QUEUE_REQUEUE_LIMIT');
  });

  it('transfers to another counter keeping the original place, and suspends and resumes', async () => {
    const { engine, clock } = await makeHall();
    await engine.openCounter(1);
    await engine.openCounter(3);
    const a = (await engine.issue({ serviceCode: 'general' })).ticket;
    clock.advanceMinutes(5);
    await engine.issue({ serviceCode: 'reimburse' });
    await engine.callNext(1);
    const moved = await engine.transfer(1, { serviceCode: 'reimburse', counterNo: 3 });
    expect(moved).toMatchObject({ status: 'waiting', serviceCode: 'reimburse', assignedCounter: 3 });
    expect((await engine.callNext(3)).id).toBe(a.id); // assigned to counter 3 and kept its older issue time
    expect(await code(() => engine.transfer(3, { serviceCode: 'reimburse', counterNo: 5 }))).toBe('QUEUE_SERVICE_NOT_AT_COUNTER');
    expect((await engine.suspend(3)).status).toBe('suspended');
    expect((await engine.callNext(3)).displayNo).toBe('C001');
    await engine.complete(3);
    await engine.resumeSuspended(a.id);
    expect((await engine.callNext(3)).id).toBe(a.id);
  });

  it('pauses and resumes a counter', async () => {
    const { engine } = await makeHall();
    await engine.openCounter(2);
    await engine.pauseCounter(2);
    await engine.issue({ serviceCode: 'general' });
    expect(await code(() => engine.callNext(2))).toBe('QUEUE_COUNTER_NOT_OPEN');
    await engine.resumeCounter(2);
    expect((await engine.callNext(2)).displayNo).toBe('A001');
  });
});

describe('appointments', () => {
  it('checks in within the window, sorting at the window start ahead of later walk-ins', async () => {
    const { engine, appointments, clock } = await makeHall();
    await engine.openCounter(1);
    const appt = await appointments.book({ identityHash: 'p1', serviceCode: 'general', day: '2026-11-23', windowStart: '09:30', windowEnd: '10:00' });
    clock.set('2026-11-23T09:20:00');
    const early = (await engine.issue({ serviceCode: 'general' })).ticket;
    clock.set('2026-11-23T09:40:00');
    const late = (await engine.issue({ serviceCode: 'general' })).ticket;
    const res = await appointments.checkIn({ appointmentId: appt.id });
    expect(res.ticket.appointment).toBe(true);
    expect([(await engine.callNext(1)).id]).toEqual([early.id]);
    await engine.complete(1);
    expect((await engine.callNext(1)).id).toBe(res.ticket.id);
    await engine.complete(1);
    expect((await engine.callNext(1)).id).toBe(late.id);
  });

  it('refuses too-early and too-late check-ins; three misses suspend booking', async () => {
    const { appointments, clock } = await makeHall();
    const book = (day: string) => appointments.book({ identityHash: 'p2', serviceCode: 'general', day, windowStart: '10:00', windowEnd: '10:30' });
    const a = await book('2026-11-23');
    clock.set('2026-11-23T09:00:00');
    expect(await code(() => appointments.checkIn({ appointmentId: a.id }))).toBe('APPOINTMENT_TOO_EARLY');
    clock.set('2026-11-23T11:00:00');
    expect(await code(() => appointments.checkIn({ appointmentId: a.id }))).toBe('APPOINTMENT_TOO_LATE');
    expect((await appointments.get(a.id)).status).toBe('missed');
    const b = await book('2026-11-24');
    const c = await book('2026-11-25');
    clock.set('2026-11-26T09:00:00');
    await appointments.sweep(); // rolling the days over marks b and c missed
    expect([(await appointments.get(b.id)).status, (await appointments.get(c.id)).status]).toEqual(['missed', 'missed']);
    expect(await appointments.isSuspended('p2')).toBe(true);
    expect(await code(() => book('2026-11-27'))).toBe('APPOINTMENT_SUSPENDED');
    await appointments.liftSuspension('p2');
    expect((await book('2026-11-27')).status).toBe('booked');
  });
});

describe('status snapshot', () => {
  it('summarises services, counters and totals, and is cached per event version', async () => {
    const { engine, clock } = await makeHall();
    await engine.openCounter(1);
    await engine.issue({ serviceCode: 'general' });
    await engine.issue({ serviceCode: 'general' });
    await engine.callNext(1);
    const s1 = await engine.reader.status(clock());
    expect(s1.services.find((s) => s.code === 'general')).toMatchObject({ waiting: 1, lastCalled: 'A001', openCounters: 1 });
    expect(s1.counters.find((c) => c.number === 1)).toMatchObject({ state: 'open', current: { displayNo: 'A001', status: 'called' } });
    expect(s1.totals).toMatchObject({ issued: 2, waiting: 1, inService: 1 });
    expect(await engine.reader.status(clock())).toBe(s1);
    await engine.issue({ serviceCode: 'general' });
    const s2 = await engine.reader.status(clock());
    expect(s2.version).toBeGreaterThan(s1.version);
    expect(s2.totals.issued).toBe(3);
  });
});
