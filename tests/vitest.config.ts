import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 has no "exports" map: Vite would pick its .mjs build while Node (and so every
// dependency that vitest leaves external) loads the CommonJS one, and graphql refuses to mix
// the two. Point Vite at the file Node itself resolves.
const serverRequire = createRequire(new URL('../server/package.json', import.meta.url));

// In-process servers and web modules use @guildhall/markup's source, so its edits need no build
// (the rest are Vite's default server conditions).
const SOURCE_CONDITIONS = ['@guildhall/source', 'module', 'node', 'development|production'];

// API and browser tests start real servers; with 2 cores, two workers is the sweet spot. Three made the
// PostgreSQL + Redis pass 8 % faster (393 → 360 s) but the extra contention broke a test whose clock
// margin was 1 ms: not worth it.
export default defineConfig({
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
  resolve: {
    alias: [{ find: /^graphql$/, replacement: serverRequire.resolve('graphql') }],
    conditions: SOURCE_CONDITIONS,
  },
  test: {
    root: '..',
    include: ['tests/**/*.test.ts', 'server/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/.tmp/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    // axe-core on every page a browser test visits: a serious or critical finding fails the test.
    setupFiles: ['tests/support/temporal-global.ts', 'tests/support/accessibility-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
