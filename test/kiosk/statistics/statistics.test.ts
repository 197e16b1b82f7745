import { describe, expect, it } from 'vitest';
import { StaffRoster } from '../../../kiosk/evaluations/staff.ts';
import { computeStatistics, median, percentile, queueStatisticsTx, statisticsCsv } from '../../../kiosk/statistics/index.ts';
import { makeHall } from '../../helpers/engine.ts';

/**
 * A scripted day driven through the real queue engine (so the events are the ones the engine
 * writes), with a fake clock: every count and duration below is known from the script.
 */
async function scriptedDay() {
  const hall = await makeHall();
  const { engine, clock } = hall;
  const roster = new StaffRoster(engine.unit, []);
  const issue = async (serviceCode = 'general') => (await engine.issue({ serviceCode })).ticket;
  await engine.unit.transact(() => roster.signInTx(1, 'S001', clock(), '张三'));
  await engine.unit.transact(() => roster.signInTx(2, 'S002', clock(), '李四'));
  await engine.openCounter(1); // 09:00
  await engine.openCounter(2);
  const a1 = await issue(); // A001
  const a2 = await issue(); // A002
  const a3 = await issue(); // A003
  clock.advanceMinutes(4); // 09:04
  // Counter 2: A001 called, recalled twice, no-show, requeued, called again (after 2 min), no-show again.
  await engine.callNext(2);
  await engine.recall(2);
  await engine.recall(2);
  clock.advanceMinutes(1); // 09:05
  await engine.noShow(2);
  await engine.requeue(a1.id);
  clock.advanceMinutes(2); // 09:07
  // Counter 1 takes A002: waited 7 min; start, 6 min of service, done.
  await engine.callNext(1);
  expect((await engine.reader.ticket(a2.id)).status).toBe('called');
  await engine.startService(1);
  clock.advanceMinutes(6); // 09:13
  await engine.complete(1);
  // Counter 2 calls again: A003 (sort order), then A001 comes back later.
  await engine.callNext(2); // A003 waited 13 min
  await engine.transfer(2, { serviceCode: 'reimburse', counterNo: 3 }); // out at 2, in at 3
  await engine.callNext(2); // A001 (requeued at 09:05): waited 8 min
  clock.advanceMinutes(1); // 09:14
  await engine.noShow(2); // second no-show of A001 at counter 2
  await engine.pauseCounter(1);
  clock.advanceMinutes(10); // 09:24
  await engine.resumeCounter(1);
  const b1 = await issue('enrol');
  await engine.callNext(1);
  await engine.suspend(1);
  await engine.resumeSuspended(b1.id);
  clock.advanceMinutes(3); // 09:27
  await engine.callNext(1); // B001 again, waited 3 min since the resume
  await engine.complete(1); // service 0 s (never started: counted from the call)
  return { hall, roster, ids: { a1: a1.id, a2: a2.id, a3: a3.id, b1: b1.id } };
}

describe('queue statistics from events', () => {
  it('counts two no-shows at counter 2 for one ticket that was requeued in between', async () => {
    const { hall, roster } = await scriptedDay();
    const day = hall.engine.day;
    const options = { staff: roster, now: hall.clock(), today: day };
    const stats = await hall.engine.unit.read(() => queueStatisticsTx(hall.config, { from: day, to: day }, options));
    const c1 = stats.counters.find((c) => c.key === '1')!;
    const c2 = stats.counters.find((c) => c.key === '2')!;
    const c3 = stats.counters.find((c) => c.key === '3')!;
    expect(c2).toMatchObject({ called: 3, recalled: 2, noShow: 2, transferredOut: 1, transferredIn: 0, completed: 0, suspended: 0 });
    expect(c1).toMatchObject({ called: 3, recalled: 0, noShow: 0, completed: 2, suspended: 1, transferredOut: 0 });
    expect(c3).toMatchObject({ transferredIn: 1, called: 0 });
    // Waits at counter 2: A001 4 min, A003 13 min, A001 again 8 min (since the requeue at 09:05).
    expect(c2.waitMedianMinutes).toBe(8);
    expect(c2.waitP90Minutes).toBe(13);
    // Counter 1: A002 7 min, B001 0 min (09:24 issue → call), B001 3 min after the resume.
    expect(c1.waitMedianMinutes).toBe(3);
    // Service at counter 1: 6 min (A002, from 开始办理) and 0 min (B001, from the call).
    expect(c1.serviceMedianMinutes).toBe(3);
    expect(c1.serviceP90Minutes).toBe(6);
    // Counter 1: paused 09:14 → 09:24; idle 09:00 → 09:07, 09:13 → 09:14 and 09:24 (挂起) → 09:27.
    expect(c1.pausedMinutes).toBe(10);
    expect(c1.idleMinutes).toBe(11);
    // Counter 2: idle 09:00 → 09:04, 09:05 → 09:13, 09:14 → 09:27 (now).
    expect(c2.idleMinutes).toBe(25);
    expect(c2.pausedMinutes).toBe(0);

    const s1 = stats.staff.find((s) => s.key === 'S001')!;
    const s2 = stats.staff.find((s) => s.key === 'S002')!;
    expect(s1).toMatchObject({ name: '张三', called: 3, completed: 2, suspended: 1, pausedMinutes: 10 });
    expect(s2).toMatchObject({ name: '李四', called: 3, noShow: 2, recalled: 2, transferredOut: 1 });

    const general = stats.services.find((s) => s.key === 'general')!;
    const reimburse = stats.services.find((s) => s.key === 'reimburse')!;
    const enrol = stats.services.find((s) => s.key === 'enrol')!;
    expect(general).toMatchObject({ called: 4, noShow: 2, completed: 1, transferredOut: 1, idleMinutes: null });
    expect(reimburse).toMatchObject({ transferredIn: 1, called: 0 });
    expect(enrol).toMatchObject({ called: 2, suspended: 1, completed: 1 });

    // The final ticket state would say one no-show (A001) in total: the event log says two.
    const finalNoShows = await hall.query.get<{ n: number }>("SELECT COUNT(*) AS n FROM tickets WHERE status = 'no-show' AND counter_no = 2");
    expect(finalNoShows?.n).toBe(1);

    const csv = statisticsCsv(stats);
    expect(csv.startsWith('\uFEFF维度,编号,名称,叫号,重呼,过号')).toBe(true);
    expect(csv).toContain('\r\n窗口,2,2号窗口（综合）,3,2,2,0,1,0,0,8,13,');
    expect(csv).toContain('\r\n工作人员,S001,张三,3,0,0,');
  });

  it('a transfer without a target counter counts in at the counter that calls the ticket next', async () => {
    const { engine, config, clock } = await makeHall();
    await engine.openCounter(1);
    await engine.openCounter(6);
    await engine.issue({ serviceCode: 'general' });
    await engine.callNext(1);
    await engine.transfer(1, { serviceCode: 'remote' });
    await engine.closeCounter(1);
    await engine.callNext(6);
    const stats = await engine.unit.read(() => queueStatisticsTx(config, { from: engine.day, to: engine.day }, { now: clock(), today: engine.day }));
    expect(stats.counters.find((c) => c.key === '1')).toMatchObject({ transferredOut: 1, transferredIn: 0 });
    expect(stats.counters.find((c) => c.key === '6')).toMatchObject({ transferredIn: 1, called: 1 });
    expect(stats.services.find((s) => s.key === 'remote')).toMatchObject({ transferredIn: 1 });
  });

  it('median and p90 follow their stated definitions; an empty day gives nulls', async () => {
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([], 0.9)).toBeNull();
    const stats = computeStatistics([], { counters: [{ number: 1, name: '1号' }], services: [], dayEnd: (_d, at) => at, from: 'x', to: 'x' });
    expect(stats.counters[0]).toMatchObject({ called: 0, waitMedianMinutes: null, idleMinutes: 0 });
  });
});
