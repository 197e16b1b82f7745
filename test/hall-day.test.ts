import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runHallDay } from './hall-day/day.ts';

/**
 * The short form of `npm run hall-day`: a whole hall day against the real daemon (child process,
 * simulated devices over ptys) with every fault of the full day, about 250 tickets at 6 counters.
 * Report: test-output/hall-day/short-report.json and .txt.
 */
describe('a simulated hall day (short form)', () => {
  it(
    'keeps every promise under load, faults, two SIGKILLs and a clock step',
    async () => {
      const lines: string[] = [];
      const report = await runHallDay({
        tickets: 250,
        counters: 6,
        kiosks: 3,
        seed: 20261123,
        minuteMs: 30,
        outDir: join(ROOT, 'test-output/hall-day'),
        reportName: 'short-report',
        log: (line) => lines.push(line),
      });
      const failed = report.json.invariants.filter((v) => !v.passed).map((v) => `${v.name}: ${v.detail}`);
      expect(failed, lines.join('\n')).toEqual([]);
      expect(report.json.invariants.length).toBeGreaterThanOrEqual(15);
      expect(report.json.passed).toBe(true);
      // No deadline decides this test: every wait inside the day ends when its work is done or when
      // progress stops (closing: no ticket finished for World.stallMs). The vitest timeout is only
      // a guard against a harness that hangs; the day takes about a minute on a 2-core machine.
    },
    30 * 60_000,
  );
});
