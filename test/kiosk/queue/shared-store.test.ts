import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import { QueueEngine } from '../../../kiosk/queue/engine.ts';
import type { HallEvent } from '../../../kiosk/queue/types.ts';
import type { Runner } from '../../../kiosk/store/sql.ts';
import { fakeClock } from '../../helpers/engine.ts';
import { hallStoreForTest } from '../../helpers/hall-store.ts';

/**
 * Several daemons on one PostgreSQL hall store (issue 17): each engine below has its own pool, as
 * a daemon on another machine would, and they act at the same time.
 */
const open: { runner: Runner; stop: () => Promise<void> }[] = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.stop();
    await o.runner.close();
  }
});

async function daemons(n: number) {
  const clock = fakeClock('2026-11-23T09:00:00');
  const config = loadConfig();
  const store = await hallStoreForTest(clock);
  const out: QueueEngine[] = [];
  for (let i = 0; i < n; i++) {
    const runner = await store.open();
    const engine = new QueueEngine(runner, config, clock);
    await engine.open();
    open.push({ runner, stop: engine.unit.follow() });
    out.push(engine);
  }
  return { clock, engines: out };
}

describe('one hall on PostgreSQL, several daemons', () => {
  it('issues gap-free, never-repeated numbers when three daemons issue at once', async () => {
    const { engines } = await daemons(3);
    const issued = await Promise.all(
      Array.from({ length: 90 }, (_, i) => engines[i % 3]!.issue({ serviceCode: i % 2 ? 'general' : 'enrol', requestId: `burst-request-${i}` })),
    );
    const numbers = issued.map((r) => r.ticket.displayNo);
    expect(new Set(numbers).size).toBe(90);
    const general = numbers.filter((d) => d.startsWith('A')).sort();
    expect(general).toEqual(Array.from({ length: 45 }, (_, i) => `A${String(i + 1).padStart(3, '0')}`));
    // A retried request on another daemon gets the same ticket, not a new number.
    const again = await engines[2]!.issue({ serviceCode: 'enrol', requestId: 'burst-request-0' });
    expect(again).toMatchObject({ replayed: true, ticket: { id: issued[0]!.ticket.id } });
  });

  it('calls each waiting ticket once, in order, when counters on different daemons call together', async () => {
    const { engines, clock } = await daemons(3);
    const [a, b, c] = engines as [QueueEngine, QueueEngine, QueueEngine];
    // Counters 1 and 2 both serve 综合业务 (default configuration); opened on different daemons.
    await a.openCounter(1);
    await b.openCounter(2);
    const tickets = [];
    for (let i = 0; i < 20; i++) {
      clock.advanceMinutes(0.1);
      tickets.push((await engines[i % 3]!.issue({ serviceCode: 'general' })).ticket);
    }
    const called: string[] = [];
    for (let round = 0; round < 10; round++) {
      const [x, y] = await Promise.all([a.callNext(1), b.callNext(2)]);
      called.push(x.displayNo, y.displayNo);
      await Promise.all([c.complete(1), c.complete(2)]);
    }
    expect(new Set(called).size).toBe(20);
    // Each round took the two oldest waiting tickets, whichever counter got which.
    for (let round = 0; round < 10; round++) {
      expect(called.slice(round * 2, round * 2 + 2).sort()).toEqual([tickets[round * 2]!.displayNo, tickets[round * 2 + 1]!.displayNo].sort());
    }
    expect((await c.reader.status(clock())).totals).toMatchObject({ issued: 20, done: 20, waiting: 0 });
  });

  it("shows every daemon the hall's events, in order and without gaps, and the right people ahead", async () => {
    const { engines } = await daemons(2);
    const [a, b] = engines as [QueueEngine, QueueEngine];
    const seenByA: HallEvent[] = [];
    a.on('event', (e) => seenByA.push(e));
    const first = (await a.issue({ serviceCode: 'general' })).ticket;
    for (let i = 0; i < 5; i++) await b.issue({ serviceCode: 'general' });
    await b.openCounter(1);
    // A learns of B's events by NOTIFY, without acting itself.
    await expect.poll(() => seenByA.length, { timeout: 10_000 }).toBe(7);
    expect(seenByA.map((e) => e.id)).toEqual(Array.from({ length: 7 }, (_, i) => seenByA[0]!.id + i));
    expect(seenByA.slice(1).map((e) => e.type)).toEqual([...Array(5).fill('ticket.issued'), 'counter.opened']);
    // Its own views follow: the newest of B's tickets has 5 ahead on A as well.
    const last = await a.reader.ticketByNumber('A006');
    expect(last.peopleAhead).toBe(5);
    expect((await a.reader.ticket(first.id)).peopleAhead).toBe(0);
    expect(a.reader.version).toBe(seenByA.at(-1)!.id);
  });
});
