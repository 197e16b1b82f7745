import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignedTx, assistanceTx, dayStatisticsTx, displayNoTx, extendedOnTx, noShowsAtTx, sentAwayTx, waitingTx } from '../../server/hall-reads.ts';
import { makeHall, type TestHall } from '../helpers/engine.ts';

/**
 * The routes' reads of the hall's tables (server/hall-reads.ts) on the store this run uses: SQLite,
 * or a real PostgreSQL server in the 'postgres' project (vitest.config.ts). One scripted morning
 * through the real engine, so the rows are the ones it writes; clock starts at 09:00.
 */
describe('hall reads on the hall store', () => {
  let hall: TestHall;
  let day: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    hall = await makeHall();
    expect(hall.store).toBe(process.env.KIOSK_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite');
    const { engine, clock } = hall;
    await engine.openCounter(1);
    await engine.openCounter(2);
    for (let i = 0; i < 3; i++) {
      const t = (await engine.issue({ serviceCode: 'general' })).ticket;
      ids[t.displayNo] = t.id;
    }
    // 绿色通道 for a service neither open counter serves: it stays waiting.
    ids.C001 = (await engine.issue({ serviceCode: 'reimburse', priorityReason: 'pregnant' })).ticket.id;
    clock.advanceMinutes(2); // 09:02
    await engine.callNext(1); // A001, waited 2 min
    await engine.startService(1);
    clock.advanceMinutes(4); // 09:06
    await engine.complete(1); // served 4 min
    await engine.callNext(1); // A002, waited 6 min
    await engine.noShow(1);
    await engine.callNext(2); // A003, waited 6 min
    await engine.suspend(2);
    ids.A004 = (await engine.issue({ serviceCode: 'general' })).ticket.id;
    await engine.callNext(2); // A004, waited 0 min
    await engine.transfer(2, { serviceCode: 'reimburse' });
    await engine.recordEvent('counter.extended', { on: true }, 1);
    await engine.recordEvent('counter.extended', { on: false }, 1);
    await engine.recordEvent('counter.extended', { on: true }, 2);
    await engine.recordEvent('assistance.requested', { terminal: 'T01', screen: 'guide' });
    await engine.recordEvent('assistance.requested', { terminal: 'T01', screen: 'home' });
    day = engine.day;
  });
  afterAll(async () => {
    await hall.close();
  });

  it('tickets: waiting, 挂起 at a counter, 过号 at a counter, a number by id', async () => {
    const { unit } = hall.engine;
    const waiting = await unit.read(() => waitingTx(day));
    expect(waiting.map((r) => r.display_no).sort()).toEqual(['A004', 'C001']);
    // Integer columns come back as numbers on both engines (PostgreSQL's int8 is parsed).
    expect(waiting.every((r) => typeof r.id === 'number' && typeof r.sort_at === 'number')).toBe(true);
    expect((await unit.read(() => assignedTx(day, 'suspended', 2))).map((r) => r.display_no)).toEqual(['A003']);
    expect(await unit.read(() => assignedTx(day, 'suspended', 1))).toEqual([]);
    expect((await unit.read(() => noShowsAtTx(day, 1))).map((r) => r.display_no)).toEqual(['A002']);
    expect(await unit.read(() => noShowsAtTx(day, 2))).toEqual([]);
    expect(await unit.read(() => displayNoTx(ids.A001!))).toBe('A001');
    expect(await unit.read(() => displayNoTx(999_999))).toBeNull();
  });

  it('events: 延时服务 per counter, numbers sent away from the display, assistance requests', async () => {
    const { unit } = hall.engine;
    expect(await unit.read(() => extendedOnTx(1, day))).toBe(false);
    expect(await unit.read(() => extendedOnTx(2, day))).toBe(true);
    expect(await unit.read(() => extendedOnTx(3, day))).toBe(false);
    // A001 was called and completed (still a call that happened); the others left after their call.
    expect((await unit.read(() => sentAwayTx(day))).sort()).toEqual(['A002', 'A003', 'A004']);
    const requests = await unit.read(() => assistanceTx(day));
    expect(requests.map((r) => [r.terminal, r.screen])).toEqual([
      ['T01', 'home'],
      ['T01', 'guide'],
    ]);
    expect(requests[0]!.eventId).toBeGreaterThan(requests[1]!.eventId);
    expect(typeof requests[0]!.at).toBe('number');
  });

  it("the day's figures per service and per counter", async () => {
    const stats = await hall.engine.unit.read(() => dayStatisticsTx(day));
    expect(stats.services).toEqual([
      // Waits 2, 6, 6 and 0 minutes; one served 4 minutes.
      { serviceCode: 'general', issued: 4, done: 1, noShow: 1, cancelled: 0, priority: 0, averageWaitMinutes: 3.5, averageServiceMinutes: 4 },
      { serviceCode: 'reimburse', issued: 1, done: 0, noShow: 0, cancelled: 0, priority: 1, averageWaitMinutes: null, averageServiceMinutes: null },
    ]);
    expect(stats.counters[0]).toEqual({ counterNo: 1, done: 1, noShow: 1, averageServiceMinutes: 4 });
    expect(stats.counters.every((c) => typeof c.counterNo === 'number' && typeof c.done === 'number')).toBe(true);
  });
});
