import { describe, expect, it } from 'vitest';
import { BENCH_QUERIES, benchGuideSearch } from '../../../kiosk/guides/bench.ts';

describe('benchGuideSearch', () => {
  it('runs every query each round and reports ordered percentiles', () => {
    const r = benchGuideSearch({ rounds: 3, warmupRounds: 1 });
    expect(r.items).toBeGreaterThanOrEqual(30);
    expect(r.queries).toBe(BENCH_QUERIES.length);
    expect(r.samples).toBe(3 * BENCH_QUERIES.length);
    expect(r.p50Ms).toBeLessThanOrEqual(r.p99Ms);
    expect(r.p99Ms).toBeLessThanOrEqual(r.maxMs);
    expect(Number.isFinite(r.meanMs)).toBe(true);
  });
});
