import { defineConfig } from 'vitest/config';

/**
 * The queue engine's suites (and the reads of the hall's tables outside it) run twice: on SQLite (the embedded default) and on a real PostgreSQL
 * server (KIOSK_TEST_STORE=postgres; test/helpers/engine.ts makeHall starts one per test file from
 * Debian's postgresql package), so every rule is proven on both engines by the same tests.
 */
const ON_BOTH_ENGINES = [
  'test/kiosk/queue/engine.test.ts',
  'test/kiosk/queue/fairness.test.ts',
  'test/kiosk/queue/priority.test.ts',
  'test/kiosk/queue/waiting-index.test.ts',
  'test/kiosk/statistics/statistics.test.ts',
  'test/server/hall-reads.test.ts',
  'test/kiosk/evaluations/store.test.ts',
  'test/kiosk/evaluations/cases.test.ts',
  'test/kiosk/evaluations/statistics.test.ts',
  'test/kiosk/evaluations/outbox.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 150_000,
    // Driver tests open real pseudo-terminals and the crash tests spawn daemons;
    // two workers match the machine's two cores.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'postgres', include: ON_BOTH_ENGINES, env: { KIOSK_TEST_STORE: 'postgres' } } },
    ],
  },
});
