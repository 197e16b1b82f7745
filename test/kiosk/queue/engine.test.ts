import { describe, expect, it } from 'vitest';
import { KioskError } from '../../../kiosk/errors.ts';
import { makeHall } from '../../helpers/engine.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof KioskError) return err.code;
    throw err;
  }
  throw new Error('expected a KioskError');
}

describe('numbering', () => {
  it('numbers per service with prefix and padding, starting at the range start', () => {
    const { engine } = makeHall();
    expect(engine.issue({ serviceCode: 'general' }).ticket.displayNo).toBe('A001');
    expect(engine.issue({ serviceCode: 'general' }).ticket.displayNo).toBe('A002');
    expect(engine.issue({ serviceCode: 'reimburse' }).ticket.displayNo).toBe('C001');
  });

  it('continues past the range end instead of wrapping (不得限号)', () => {
    const { engine } = makeHall({
      services: [
        { code: 'general', name: '综合业务', prefix: 'A', numberRange: { from: 8, to: 9 }, averageServiceMinutes: 5, priorityReasons: [], dailyCap: null },
      ],
      counters: [],
    });
    const numbers = [1, 2, 3].map(() => engine.issue({ serviceCode: 'general' }).ticket.displayNo);
    expect(numbers).toEqual(['A8', 'A9', 'A10']);
  });

  it('continues after a restart and resets at the configured local time, not at UTC midnight', () => {
    const hall = makeHall();
    hall.engine.issue({ serviceCode: 'general' });
    hall.clock.set('2026-11-23T23:30:00'); // 15:30 UTC: a UTC-date system would already be fine; still same day
    const h2 = hall.reopen();
    expect(h2.engine.issue({ serviceCode: 'general' }).ticket.displayNo).toBe('A002');
    h2.clock.set('2026-11-24T02:59:00'); // before the 03:00 reset: still the 23rd
    expect(h2.engine.issue({ serviceCode: 'general' }).ticket).toMatchObject({ displayNo: 'A003', day: '2026-11-23' });
    h2.clock.set('2026-11-24T03:00:00');
    expect(h2.engine.issue({ serviceCode: 'general' }).ticket).toMatchObject({ displayNo: 'A001', day: '2026-11-24' });
  });

  it("starts cleanly the next morning on yesterday's database, archiving yesterday", () => {
    const hall = makeHall();
    hall.engine.issue({ serviceCode: 'general' });
    hall.clock.set('2026-11-24T08:00:00');
    const next = hall.reopen();
    expect(next.engine.day).toBe('2026-11-24');
    expect(next.engine.issue({ serviceCode: 'general' }).ticket.displayNo).toBe('A001');
    const old = next.db.prepare("SELECT status FROM tickets WHERE day = '2026-11-23'").get();
    expect(old).toEqual({ status: 'cancelled' });
  });

  it('never repeats a number when the clock is set back across the reset', () => {
    const { engine, clock } = makeHall();
    clock.set('2026-11-24T08:00:00');
    engine.issue({ serviceCode: 'general' });
    clock.set('2026-11-23T16:00:00'); // clock stepped back a day
    const t = engine.issue({ serviceCode: 'general' }).ticket;
    expect(t).toMatchObject({ displayNo: 'A002', day: '2026-11-24' });
  });

  it('archives the old day at the reset: open tickets get a final state, nothing is deleted', () => {
    const { engine, clock, db } = makeHall();
    engine.openCounter(1);
    engine.issue({ serviceCode: 'general' });
    engine.issue({ serviceCode: 'general' });
    engine.callNext(1);
    clock.set('2026-11-24T09:00:00');
    engine.tick();
    const rows = db.prepare("SELECT display_no, status FROM tickets WHERE day = '2026-11-23' ORDER BY id").all();
    expect(rows).toEqual([
      { display_no: 'A001', status: 'no-show' },
      { display_no: 'A002', status: 'cancelled' },
    ]);
    expect(db.prepare("SELECT archived_at FROM days WHERE day = '2026-11-23'").get()).not.toEqual({ archived_at: null });
    expect(engine.reader.status(clock()).counters.every((c) => c.state === 'closed')).toBe(true);
  });

  it('applies an optional daily cap with a clear error', () => {
    const { engine } = makeHall({
      services: [
        { code: 'general', name: '综合业务', prefix: 'A', numberRange: { from: 1, to: 999 }, averageServiceMinutes: 5, priorityReasons: [], dailyCap: 1 },
      ],
      counters: [],
    });
    engine.issue({ serviceCode: 'general' });
    expect(code(() => engine.issue({ serviceCode: 'general' }))).toBe('QUEUE_DAILY_CAP');
  });
});

describe('privacy', () => {
  it('erases identity hashes of tickets and appointments once the retention period has passed', () => {
    const { engine, appointments, clock, db } = makeHall();
    engine.issue({ serviceCode: 'general', identity: { hash: 'person-hash-123456' } });
    const appt = appointments.book({ identityHash: 'person-hash-123456', serviceCode: 'general', day: '2026-11-23', windowStart: '16:00', windowEnd: '16:30' });
    const hashes = () => [
      (db.prepare('SELECT identity_hash FROM tickets WHERE id = 1').get() as { identity_hash: string | null }).identity_hash,
      (db.prepare('SELECT identity_hash FROM appointments WHERE id = ?').get(appt.id) as { identity_hash: string }).identity_hash,
    ];
    clock.set('2026-11-30T09:00:00'); // 7 days later: still needed (evaluation window)
    engine.tick();
    expect(hashes()).toEqual(['person-hash-123456', 'person-hash-123456']);
    clock.set('2026-12-02T09:00:00'); // past the 8-day retention
    engine.tick();
    expect(hashes()).toEqual([null, '']);
    expect(appointments.isSuspended('person-hash-123456')).toBe(false);
  });
});

describe('issuing', () => {
  it('returns the existing ticket to the same identity for the same service, and for a retried request id', () => {
    const { engine } = makeHall();
    const a = engine.issue({ serviceCode: 'general', identity: { hash: 'h1' } });
    const b = engine.issue({ serviceCode: 'general', identity: { hash: 'h1' } });
    expect(b).toMatchObject({ existing: true, ticket: { id: a.ticket.id } });
    const c = engine.issue({ serviceCode: 'enrol', identity: { hash: 'h1' } });
    expect(c.existing).toBe(false);
    const r1 = engine.issue({ serviceCode: 'general', requestId: 'req-1' });
    const r2 = engine.issue({ serviceCode: 'general', requestId: 'req-1' });
    expect(r2).toMatchObject({ existing: true, ticket: { id: r1.ticket.id } });
  });

  it('gives 绿色通道 priority from the birth date over the configured age, only for services that honour it', () => {
    const { engine } = makeHall();
    const old = engine.issue({ serviceCode: 'general', identity: { hash: 'o', birthDate: '1950-01-01' } }).ticket;
    const young = engine.issue({ serviceCode: 'general', identity: { hash: 'y', birthDate: '1990-01-01' } }).ticket;
    const employer = engine.issue({ serviceCode: 'employer', identity: { hash: 'o', birthDate: '1950-01-01' } }).ticket;
    expect([old.priorityReason, young.priorityReason, employer.priorityReason]).toEqual(['elderly', null, null]);
  });

  it('rejects an unknown service', () => {
    const { engine } = makeHall();
    expect(code(() => engine.issue({ serviceCode: 'nope' }))).toBe('QUEUE_UNKNOWN_SERVICE');
  });

  it('estimates the wait from people ahead and open counters', () => {
    const { engine } = makeHall();
    engine.openCounter(1);
    engine.openCounter(2);
    for (let i = 0; i < 4; i++) engine.issue({ serviceCode: 'general' });
    const t = engine.issue({ serviceCode: 'general' }).ticket;
    // 4 ahead, seed median 6 min, counters 1, 2 and 6 serve 'general' but only 1 and 2 are open
    expect(t.peopleAhead).toBe(4);
    expect(t.estimatedWaitMinutes).toBe(Math.ceil((5 * 6) / 2));
  });
});

describe('ordering and fairness', () => {
  it('calls a priority ticket first, but never more than maxConsecutive in a row while a normal ticket waits', () => {
    const { engine, clock } = makeHall();
    engine.openCounter(1);
    const normal = engine.issue({ serviceCode: 'general' }).ticket;
    clock.advanceMinutes(1);
    const p = [0, 1, 2].map(() => engine.issue({ serviceCode: 'general', priorityReason: 'disabled' }).ticket);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      order.push(engine.callNext(1).displayNo);
      engine.complete(1);
    }
    expect(order).toEqual([p[0]!.displayNo, p[1]!.displayNo, normal.displayNo, p[2]!.displayNo]);
  });

  it('lets a normal ticket keep its place ahead of priority tickets issued more than boostMinutes later', () => {
    const { engine, clock } = makeHall();
    engine.openCounter(1);
    const normal = engine.issue({ serviceCode: 'general' }).ticket;
    clock.advanceMinutes(31);
    engine.issue({ serviceCode: 'general', priorityReason: 'pregnant' });
    expect(engine.callNext(1).displayNo).toBe(normal.displayNo);
  });

  it('only calls tickets of the counter services', () => {
    const { engine } = makeHall();
    engine.openCounter(4); // 4 serves reimburse only
    engine.issue({ serviceCode: 'general' });
    expect(code(() => engine.callNext(4))).toBe('QUEUE_NOTHING_WAITING');
    engine.issue({ serviceCode: 'reimburse' });
    expect(engine.callNext(4).displayNo).toBe('C001');
  });
});

describe('counter operations', () => {
  it('walks a ticket through call, recall (limited), start and complete', () => {
    const { engine, clock } = makeHall({ queue: { recallLimit: 1 } });
    engine.openCounter(1);
    const t = engine.issue({ serviceCode: 'general' }).ticket;
    expect(engine.callNext(1)).toMatchObject({ id: t.id, status: 'called', counterNo: 1 });
    expect(engine.recall(1)).toMatchObject({ status: 'recalled', recallCount: 1 });
    expect(code(() => engine.recall(1))).toBe('QUEUE_RECALL_LIMIT');
    expect(engine.startService(1).status).toBe('serving');
    clock.advanceMinutes(10);
    expect(engine.complete(1).status).toBe('done');
    const types = engine.reader
      .eventsSince(0)
      .filter((e) => e.ticketId === t.id)
      .map((e) => e.type);
    expect(types).toEqual(['ticket.issued', 'ticket.called', 'ticket.recalled', 'ticket.serving', 'ticket.done']);
  });

  it('refuses illegal transitions with 409-class errors naming the current state', () => {
    const { engine } = makeHall();
    expect(code(() => engine.callNext(1))).toBe('QUEUE_COUNTER_NOT_OPEN');
    engine.openCounter(1);
    expect(code(() => engine.openCounter(1))).toBe('QUEUE_ILLEGAL_TRANSITION');
    expect(code(() => engine.complete(1))).toBe('QUEUE_ILLEGAL_TRANSITION');
    engine.issue({ serviceCode: 'general' });
    engine.issue({ serviceCode: 'general' });
    engine.callNext(1);
    expect(code(() => engine.callNext(1))).toBe('QUEUE_COUNTER_BUSY');
    expect(code(() => engine.pauseCounter(1))).toBe('QUEUE_COUNTER_BUSY');
    expect(code(() => engine.callNext(99))).toBe('QUEUE_UNKNOWN_COUNTER');
    try {
      engine.startService(1);
      engine.recall(1);
    } catch (err) {
      expect((err as KioskError).details).toMatchObject({ currentState: 'serving' });
    }
  });

  it('lets a no-show return to the back of the queue once', () => {
    const { engine, clock } = makeHall();
    engine.openCounter(1);
    const a = engine.issue({ serviceCode: 'general' }).ticket;
    const b = engine.issue({ serviceCode: 'general' }).ticket;
    engine.callNext(1);
    expect(engine.noShow(1).status).toBe('no-show');
    clock.advanceMinutes(1);
    expect(engine.requeue(a.id).status).toBe('waiting');
    expect(engine.callNext(1).id).toBe(b.id);
    engine.complete(1);
    expect(engine.callNext(1).id).toBe(a.id);
    engine.noShow(1);
    expect(code(() => engine.requeue(a.id))).toBe('QUEUE_REQUEUE_LIMIT');
  });

  it('transfers to another counter keeping the original place, and suspends and resumes', () => {
    const { engine, clock } = makeHall();
    engine.openCounter(1);
    engine.openCounter(3);
    const a = engine.issue({ serviceCode: 'general' }).ticket;
    clock.advanceMinutes(5);
    engine.issue({ serviceCode: 'reimburse' });
    engine.callNext(1);
    const moved = engine.transfer(1, { serviceCode: 'reimburse', counterNo: 3 });
    expect(moved).toMatchObject({ status: 'waiting', serviceCode: 'reimburse', assignedCounter: 3 });
    expect(engine.callNext(3).id).toBe(a.id); // assigned to counter 3 and kept its older issue time
    expect(code(() => engine.transfer(3, { serviceCode: 'reimburse', counterNo: 5 }))).toBe('QUEUE_SERVICE_NOT_AT_COUNTER');
    expect(engine.suspend(3).status).toBe('suspended');
    expect(engine.callNext(3).displayNo).toBe('C001');
    engine.complete(3);
    engine.resumeSuspended(a.id);
    expect(engine.callNext(3).id).toBe(a.id);
  });

  it('pauses and resumes a counter', () => {
    const { engine } = makeHall();
    engine.openCounter(2);
    engine.pauseCounter(2);
    engine.issue({ serviceCode: 'general' });
    expect(code(() => engine.callNext(2))).toBe('QUEUE_COUNTER_NOT_OPEN');
    engine.resumeCounter(2);
    expect(engine.callNext(2).displayNo).toBe('A001');
  });
});

describe('appointments', () => {
  it('checks in within the window, sorting at the window start ahead of later walk-ins', () => {
    const { engine, appointments, clock } = makeHall();
    engine.openCounter(1);
    const appt = appointments.book({ identityHash: 'p1', serviceCode: 'general', day: '2026-11-23', windowStart: '09:30', windowEnd: '10:00' });
    clock.set('2026-11-23T09:20:00');
    const early = engine.issue({ serviceCode: 'general' }).ticket;
    clock.set('2026-11-23T09:40:00');
    const late = engine.issue({ serviceCode: 'general' }).ticket;
    const res = appointments.checkIn({ appointmentId: appt.id });
    expect(res.ticket.appointment).toBe(true);
    expect([engine.callNext(1).id]).toEqual([early.id]);
    engine.complete(1);
    expect(engine.callNext(1).id).toBe(res.ticket.id);
    engine.complete(1);
    expect(engine.callNext(1).id).toBe(late.id);
  });

  it('refuses too-early and too-late check-ins; three misses suspend booking', () => {
    const { appointments, clock } = makeHall();
    const book = (day: string) => appointments.book({ identityHash: 'p2', serviceCode: 'general', day, windowStart: '10:00', windowEnd: '10:30' });
    const a = book('2026-11-23');
    clock.set('2026-11-23T09:00:00');
    expect(code(() => appointments.checkIn({ appointmentId: a.id }))).toBe('APPOINTMENT_TOO_EARLY');
    clock.set('2026-11-23T11:00:00');
    expect(code(() => appointments.checkIn({ appointmentId: a.id }))).toBe('APPOINTMENT_TOO_LATE');
    expect(appointments.get(a.id).status).toBe('missed');
    const b = book('2026-11-24');
    const c = book('2026-11-25');
    clock.set('2026-11-26T09:00:00');
    appointments.sweep(); // rolling the days over marks b and c missed
    expect([appointments.get(b.id).status, appointments.get(c.id).status]).toEqual(['missed', 'missed']);
    expect(appointments.isSuspended('p2')).toBe(true);
    expect(code(() => book('2026-11-27'))).toBe('APPOINTMENT_SUSPENDED');
    appointments.liftSuspension('p2');
    expect(book('2026-11-27').status).toBe('booked');
  });
});

describe('status snapshot', () => {
  it('summarises services, counters and totals, and is cached per event version', () => {
    const { engine, clock } = makeHall();
    engine.openCounter(1);
    engine.issue({ serviceCode: 'general' });
    engine.issue({ serviceCode: 'general' });
    engine.callNext(1);
    const s1 = engine.reader.status(clock());
    expect(s1.services.find((s) => s.code === 'general')).toMatchObject({ waiting: 1, lastCalled: 'A001', openCounters: 1 });
    expect(s1.counters.find((c) => c.number === 1)).toMatchObject({ state: 'open', current: { displayNo: 'A001', status: 'called' } });
    expect(s1.totals).toMatchObject({ issued: 2, waiting: 1, inService: 1 });
    expect(engine.reader.status(clock())).toBe(s1);
    engine.issue({ serviceCode: 'general' });
    const s2 = engine.reader.status(clock());
    expect(s2.version).toBeGreaterThan(s1.version);
    expect(s2.totals.issued).toBe(3);
  });
});
