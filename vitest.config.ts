import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A failed test prints what registered fixtures report (test/support/failure-report.ts).
    setupFiles: ['test/support/failure-report.ts'],
    // Integration suites share one machine's Redis, anvil binary and 2 cores: run files in
    // forks, a few at a time, and give real I/O room.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    allowOnly: false,
  },
});
