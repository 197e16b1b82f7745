import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 150_000,
    // Driver tests open real pseudo-terminals and the crash tests spawn daemons;
    // two workers match the machine's two cores.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
