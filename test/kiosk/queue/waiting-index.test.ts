import { describe, expect, it } from 'vitest';
import { type HallQuery, makeHall } from '../../helpers/engine.ts';

/** People ahead, counted the slow way in SQL, to check the in-memory index against. */
async function sqlAhead(query: HallQuery, id: number): Promise<number> {
  const t = (await query.get<{ day: string; service_code: string; sort_at: number }>('SELECT day, service_code, sort_at FROM tickets WHERE id = ?', id))!;
  const r = await query.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM tickets WHERE day = ? AND status = 'waiting' AND service_code = ?
       AND (sort_at < ? OR (sort_at = ? AND id < ?))`,
    t.day,
    t.service_code,
    t.sort_at,
    t.sort_at,
    id,
  );
  return Number(r?.n);
}

describe('waiting index', () => {
  it('agrees with the database after random operations, failed transactions and a restart', async () => {
    let hall = await makeHall();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const services = ['general', 'enrol', 'reimburse', 'remote'];
    for (const c of [1, 2, 3]) await hall.engine.openCounter(c);
    const check = async () => {
      const waiting = await hall.query.all<{ id: number }>("SELECT id FROM tickets WHERE status = 'waiting'");
      for (const { id } of waiting) expect((await hall.engine.reader.ticket(id)).peopleAhead).toBe(await sqlAhead(hall.query, id));
      return waiting.length;
    };
    for (let step = 0; step < 300; step++) {
      hall.clock.advanceMinutes(random() * 2);
      const counter = [1, 2, 3][Math.floor(random() * 3)] as number;
      const roll = random();
      let applied = true;
      try {
        if (roll < 0.45)
          await hall.engine.issue({ serviceCode: services[Math.floor(random() * 4)] as string, priorityReason: random() < 0.2 ? 'disabled' : null });
        else if (roll < 0.6) await hall.engine.callNext(counter);
        else if (roll < 0.7) await hall.engine.complete(counter);
        else if (roll < 0.75) await hall.engine.transfer(counter, { serviceCode: services[Math.floor(random() * 4)] as string });
        else if (roll < 0.8) await hall.engine.noShow(counter);
        else if (roll < 0.85) await hall.engine.suspend(counter);
        else if (roll < 0.9)
          await hall.engine.callNext(5); // counter 5 is closed: the transaction fails and rolls back
        else await hall.engine.pauseCounter(counter);
      } catch {
        applied = false; // illegal in the current state: refused, nothing changed
      }
      if (applied) await check(); // after every operation that went through, before a rollback could rebuild the index
    }
    expect(await check()).toBeGreaterThan(0);
    hall = await hall.reopen();
    await check();
  }, 300_000); // hundreds of reads per step on PostgreSQL: a generous limit, not a timing claim
});
