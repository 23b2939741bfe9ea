// The server as one file: `node server/dist/main.js` loads ~230 modules of its own and ~970 of its
// dependencies, and on a restart loading them was most of the time to ready (2.5 s → 1.7 s bundled,
// `pnpm bench restart`). Runs after tsc, which type-checks and emits the rest of dist/ (tests and tools
// import those files; the bundle replaces only main.js).
//
// Left outside the bundle: packages that find files next to their own code (PGlite's WebAssembly and
// data, Prisma's engine, argon2's native binding, pg's optional native driver) or start workers (pino).
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./src/main.ts', import.meta.url).pathname],
  outfile: new URL('./dist/main.js', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  // Less to parse on every start; names stay as written, for stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  external: [
    '@electric-sql/pglite',
    'pglite-prisma-adapter',
    '@prisma/*',
    '@node-rs/*',
    'pg',
    'ioredis',
    'nodemailer',
    'pino',
  ],
  // CommonJS dependencies inside the bundle still call require().
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
