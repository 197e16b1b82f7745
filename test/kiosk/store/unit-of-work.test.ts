import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.ts';
import type { HallEvent } from '../../../kiosk/queue/types.ts';
import { openDatabase } from '../../../kiosk/store/database.ts';
import { HallDay, LocalUnitOfWork } from '../../../kiosk/store/unit-of-work.ts';
import { fakeClock, tempDbPath } from '../../helpers/engine.ts';

describe('the hall unit of work (kiosk/store/unit-of-work.ts)', () => {
  it('publishes events only after the commit, and none of a transaction that rolled back', async () => {
    const db = openDatabase(tempDbPath());
    const unit = new HallDay(db, loadConfig(), fakeClock());
    const seen: HallEvent[] = [];
    unit.on('event', (e) => seen.push(e));
    unit.write((now, day) => {
      unit.append(now, day, 'test.one', null, null, {});
      expect(seen).toEqual([]);
    });
    expect(seen.map((e) => e.type)).toEqual(['test.one']);
    expect(() =>
      unit.write((now, day) => {
        unit.append(now, day, 'test.two', null, null, {});
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(seen.map((e) => e.type)).toEqual(['test.one']);
    expect((db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'test.two'").get() as { n: number }).n).toBe(0);
    db.close();
  });

  it('rolls the day over at the reset time, runs the closer once, and never goes back when the clock does', async () => {
    const db = openDatabase(tempDbPath());
    const clock = fakeClock('2026-11-23T22:00:00');
    const closed: string[] = [];
    const unit = new HallDay(db, loadConfig(), clock, {
      closeDay: function* (_now, old, today) {
        closed.push(`${old}→${today}`);
        return { n: 1 };
      },
    });
    expect(unit.day).toBe('2026-11-23');
    clock.set('2026-11-24T02:59:00');
    await unit.tick();
    expect(unit.day).toBe('2026-11-23');
    clock.set('2026-11-24T03:00:00');
    const seenNow = unit.write((now) => now);
    expect(unit.day).toBe('2026-11-24');
    clock.set('2026-11-23T12:00:00'); // clock set back across the reset
    expect(unit.write((now, day) => [now, day])).toEqual([seenNow, '2026-11-24']);
    expect(closed).toEqual(['2026-11-23→2026-11-24']);
    db.close();
  });

  it('dates a remote terminal’s own records by the business day without rolling a queue day', async () => {
    const db = openDatabase(tempDbPath());
    const unit = new LocalUnitOfWork(db, loadConfig(), fakeClock('2026-11-24T02:30:00'));
    expect(unit.write((_now, day) => day)).toBe('2026-11-23');
    expect((db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(0);
    db.close();
  });
});
