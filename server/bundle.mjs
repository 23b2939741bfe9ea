// The server as one file: `node server/dist/main.js` loads ~230 modules of its own and ~970 of its
// dependencies, and on a restart loading them was most of the time to ready (2.6 s → about 2.0 s bundled,
// `pnpm bench restart`). Runs after tsc, which type-checks and emits the rest of dist/ (tests and tools
// import those files; the bundle replaces only main.js).
//
// Left outside the bundle: packages that find files next to their own code (PGlite's WebAssembly and
// data, Prisma's engine, argon2's native binding, pg's optional native driver) or start workers (pino).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

await build({
  entryPoints: [fileURLToPath(new URL('./src/main.ts', import.meta.url))],
  outfile: fileURLToPath(new URL('./dist/main.js', import.meta.url)),
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
