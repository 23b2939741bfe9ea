import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const tmpRoot = path.join(repoRoot, 'tests/.tmp');
export const prismaBin = path.join(repoRoot, 'node_modules/.bin/prisma');
export const serverMain = path.join(repoRoot, 'server/src/main.ts');
/** What `pnpm start` runs: the server bundled by `pnpm build` (server/bundle.mjs). */
export const builtServerMain = path.join(repoRoot, 'server/dist/main.js');
