import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 has no "exports" map: Vite would pick its .mjs build while Node (and so every
// dependency that vitest leaves external) loads the CommonJS one, and graphql refuses to mix
// the two. Point Vite at the file Node itself resolves.
const serverRequire = createRequire(new URL('../server/package.json', import.meta.url));

// API and browser tests start real servers and spend much of their time waiting on them (the network,
// the database, timers): on 2 cores, three workers finished the PostgreSQL + Redis pass in 360 s
// where two took 393 s, with every test still green.
export default defineConfig({
  resolve: {
    alias: [{ find: /^graphql$/, replacement: serverRequire.resolve('graphql') }],
  },
  test: {
    root: '..',
    include: ['tests/**/*.test.ts', 'server/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/.tmp/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 3,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
