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
  // The API suites: each drives the hall's queue (tickets, counters, displays, events, 好差评,
  // calendar) through test/helpers/server.ts makeServer, which builds the kiosk on PostgreSQL here.
  'test/server/queue-api.test.ts',
  'test/server/kiosk-api.test.ts',
  'test/server/clerk-day-api.test.ts',
  'test/server/counter-scope.test.ts',
  'test/server/display-api.test.ts',
  'test/server/display-fixes.test.ts',
  'test/server/events-http.test.ts',
  'test/server/evaluations-api.test.ts',
  'test/server/auth-matrix.test.ts',
  'test/server/calendar-api.test.ts',
  'test/server/abuse-limits.test.ts',
  'test/server/session-lifecycle.test.ts',
  'test/server/fuzz.test.ts',
  // Not here: test/server/error-catalogue.test.ts reads source files and README only (no store).
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
