import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma's CLI wants a native schema engine it cannot download offline. Ours speaks the
// same JSON-RPC over stdio and forwards every call to @prisma/schema-engine-wasm.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve(import.meta.dirname, 'prisma/engine/schema-engine.mjs');

// PostgreSQL when DATABASE_URL is set; otherwise the embedded PGlite directory ${DATA_DIR}/pglite
// (DATA_DIR defaults to .data; a relative DATA_DIR is taken from the repo root). The engine shim
// reads `postgresql://pglite/<label>?dir=<url-encoded absolute path>` as "PGlite in that directory"
// (see prisma/engine/schema-engine.mjs); the CLI itself only needs a postgresql:// URL.
const pgliteDir = path.resolve(import.meta.dirname, process.env.DATA_DIR ?? '.data', 'pglite');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx prisma/seed.ts',
  },
  datasource: {
    url: process.env.DATABASE_URL || `postgresql://pglite/guildhall?dir=${encodeURIComponent(pgliteDir)}`,
  },
});
