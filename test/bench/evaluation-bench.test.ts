import { describe, expect, it } from 'vitest';
import { benchEvaluationSubmit, benchOutboxDrain } from './evaluation-bench.ts';

// Smoke test of the bench helpers with tiny counts: they run end to end and report rates.
describe('evaluation bench helpers', () => {
  it('measures submissions over HTTP against a bare route', async () => {
    const r = await benchEvaluationSubmit({ evaluations: 30, concurrency: 4 });
    expect(r).toMatchObject({ evaluations: 30, concurrency: 4 });
    expect(r.submitPerSecond).toBeGreaterThan(0);
    expect(r.bareRoutePerSecond).toBeGreaterThan(0);
  });

  it('measures the outbox drain against a local peer, every record delivered once', async () => {
    const r = await benchOutboxDrain({ evaluations: 30, concurrency: 2 });
    expect(r).toMatchObject({ evaluations: 30, concurrency: 2 });
    expect(r.deliveredPerSecond).toBeGreaterThan(0);
  });
});
