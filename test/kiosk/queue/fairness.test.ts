import { describe, expect, it } from 'vitest';
import { makeHall } from '../../helpers/engine.ts';
import { mulberry32 } from '../../helpers/rng.ts';

describe('fairness under random arrivals (seeded)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: no normal ticket is overtaken by a later priority ticket beyond the rules`, async () => {
      const { engine, clock, config } = await makeHall();
      const { boostMinutes, maxConsecutive } = config.queue.priority;
      const random = mulberry32(seed);
      await engine.openCounter(1);
      const issued = new Map<number, { at: number; priority: boolean }>();
      const called: number[] = [];
      const normalWaiting = new Set<number>();
      let streak = 0;
      for (let step = 0; step < 400; step++) {
        clock.advanceMinutes(random() * 3);
        if (random() < 0.6) {
          const priority = random() < 0.35;
          const t = (await engine.issue({ serviceCode: 'general', priorityReason: priority ? 'disabled' : null })).ticket;
          issued.set(t.id, { at: t.issuedAt, priority });
          if (!priority) normalWaiting.add(t.id);
        } else {
          if (issued.size === called.length) continue; // nothing waiting
          const aNormalWaits = normalWaiting.size > 0;
          const id = (await engine.callNext(1)).id;
          await engine.complete(1);
          called.push(id);
          normalWaiting.delete(id);
          // 1. While a normal ticket waits, at most maxConsecutive priority calls in a row.
          streak = issued.get(id)!.priority ? streak + 1 : 0;
          if (aNormalWaits) expect(streak).toBeLessThanOrEqual(maxConsecutive);
        }
      }
      // 2. A normal ticket is never called after a priority ticket issued more than boostMinutes after it.
      const position = new Map(called.map((id, i) => [id, i]));
      for (const [id, n] of issued) {
        if (n.priority || !position.has(id)) continue;
        for (const [pid, p] of issued) {
          if (!p.priority || !position.has(pid)) continue;
          if (p.at - n.at > boostMinutes * 60_000) expect(position.get(pid)!).toBeGreaterThan(position.get(id)!);
        }
      }
      // 3. Normal tickets keep their issue order among themselves.
      const normals = called.filter((id) => !issued.get(id)!.priority);
      expect(normals).toEqual([...normals].sort((a, b) => a - b));
    });
  }
});
