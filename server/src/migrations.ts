import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './db.js';
import type { Logger } from './logger.js';

// Start-up's migration step. Prisma's schema engine (`prisma migrate deploy`) takes seconds to start even
// when there is nothing to apply, so the server first compares prisma/migrations with the database's
// _prisma_migrations table (by name, and the SHA-256 checksum Prisma records): when every migration is
// applied and none failed, start-up goes on at once. Otherwise (a pending or failed migration, or a fresh
// database) it runs `prisma migrate deploy` exactly as before, which applies what is pending, or refuses
// and says why. A migration edited after it was applied is reported in Prisma's words (`migrate deploy`
// itself passes over it silently; `migrate dev` and `migrate status` flag it) and changes nothing else. On PostgreSQL the engine takes its advisory lock, so instances starting
// together apply each migration once; the check itself only reads.

const repoRoot = path.resolve(import.meta.dirname, '../..');
export const MIGRATIONS_DIR = path.join(repoRoot, 'prisma/migrations');

export interface MigrationCheck {
  /** In prisma/migrations but not applied. */
  pending: string[];
  /** Applied, but the file's checksum no longer matches what was applied. */
  modified: string[];
  /** Started and neither finished nor rolled back (Prisma refuses to go on until resolved). */
  failed: string[];
}

/** Nothing for the schema engine to do: no migration pending, none failed. */
export function upToDate(check: MigrationCheck): boolean {
  return check.pending.length === 0 && check.failed.length === 0;
}

/** prisma/migrations: each directory's migration.sql, by name, with its SHA-256 (hex), as Prisma computes it. */
export function localMigrations(dir = MIGRATIONS_DIR): Map<string, string> {
  const migrations = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const script = path.join(dir, entry.name, 'migration.sql');
    if (!entry.isDirectory() || !fs.existsSync(script)) continue;
    migrations.set(entry.name, crypto.createHash('sha256').update(fs.readFileSync(script)).digest('hex'));
  }
  return migrations;
}

/** Compares the migration files with what the database says it applied (one read). */
export async function checkMigrations(database: Database, dir = MIGRATIONS_DIR): Promise<MigrationCheck> {
  const local = localMigrations(dir);
  const [{ exists } = { exists: false }] = await database.prisma.$queryRaw<Array<{ exists: boolean }>>`
    SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`;
  const rows = exists
    ? await database.prisma.$queryRaw<
        Array<{ name: string; checksum: string; finished: boolean; rolledBack: boolean }>
      >`SELECT migration_name AS name, checksum, finished_at IS NOT NULL AS finished,
          rolled_back_at IS NOT NULL AS "rolledBack"
        FROM _prisma_migrations`
    : [];
  const applied = new Map<string, string>();
  const failed: string[] = [];
  for (const row of rows) {
    if (row.rolledBack) continue;
    if (row.finished) applied.set(row.name, row.checksum);
    else failed.push(row.name);
  }
  return {
    pending: [...local.keys()].filter((name) => !applied.has(name)).sort(),
    modified: [...applied]
      .filter(([name, checksum]) => local.has(name) && local.get(name) !== checksum)
      .map(([name]) => name)
      .sort(),
    failed: failed.sort(),
  };
}

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
}

/** `prisma migrate deploy` on the server's database (its output goes to this process's stderr). */
export function runMigrateDeploy(env: { DATA_DIR: string; DATABASE_URL?: string | undefined }): Promise<void> {
  const prisma = path.join(repoRoot, 'node_modules/.bin/prisma');
  return new Promise((resolve, reject) => {
    const child = spawn(prisma, ['migrate', 'deploy'], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: env.DATA_DIR, ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}) },
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new MigrationError(`prisma migrate deploy failed (${signal ?? `exit code ${code}`}); see above.`)),
    );
  });
}

/**
 * Makes sure the database has every migration before the server uses it. `open` opens the server's
 * database; it is closed while the schema engine runs (on the embedded default the engine needs the data
 * directory's lock) and opened again. Resolves with the open database.
 */
export async function migrateOnStart(
  open: () => Promise<Database>,
  logger: Logger,
  env: Parameters<typeof runMigrateDeploy>[0],
): Promise<Database> {
  const database = await open();
  let check: MigrationCheck;
  try {
    check = await checkMigrations(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  for (const name of check.modified) {
    logger.warn(`The migration \`${name}\` was modified after it was applied.`, {
      migration: name,
      hint: 'put the change in a new migration; the database still has the applied version',
    });
  }
  if (upToDate(check)) {
    logger.info('migrations up to date', { applied: localMigrations().size });
    return database;
  }
  logger.info('running prisma migrate deploy', { ...check });
  await database.close();
  await runMigrateDeploy(env);
  return open();
}
