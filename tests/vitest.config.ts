import { defineConfig } from 'vitest/config';

// API and browser tests start real servers; with 2 cores, two workers is the sweet spot.
export default defineConfig({
  test: {
    root: '..',
    include: ['tests/**/*.test.ts', 'server/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/.tmp/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
