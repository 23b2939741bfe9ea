import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { backendFromEnv, withDatabase } from './backend.js';
import { prismaBin, repoRoot, tmpRoot } from './paths.js';

const run = promisify(execFile);

/** Migrated, empty databases that each test database is copied from. */
export interface Templates {
  /** A migrated PGlite directory to copy (embedded run), or ''. */
  pgliteTemplate: string;
  /** A migrated PostgreSQL database to clone with CREATE DATABASE … TEMPLATE (scale-out run), or ''. */
  postgresTemplate: string;
  cleanup(): Promise<void>;
}

// Migrate once per run; every test then gets a cheap copy of the result.
export async function prepareTemplates(): Promise<Templates> {
  const backend = backendFromEnv();
  fs.mkdirSync(tmpRoot, { recursive: true });
  const runDir = fs.mkdtempSync(path.join(tmpRoot, 'run-'));

  if (backend.kind === 'embedded') {
    const dataDir = path.join(runDir, 'template');
    await run(prismaBin, ['migrate', 'deploy'], { cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir } });
    return {
      pgliteTemplate: dataDir,
      postgresTemplate: '',
      cleanup: async () => fs.rmSync(runDir, { recursive: true, force: true }),
    };
  }

  // The scale-out run must fail, never skip, when its services are missing.
  const redis = new Redis(backend.redisUrl!, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`REDIS_URL is set but Redis does not answer at ${backend.redisUrl}: ${String(error)}`);
  } finally {
    redis.disconnect();
  }

  const admin = new pg.Client({ connectionString: backend.databaseUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`DATABASE_URL is set but PostgreSQL does not answer at ${backend.databaseUrl}: ${String(error)}`);
  }
  const template = `gh_test_tpl_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await run(prismaBin, ['migrate', 'deploy'], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: withDatabase(backend.databaseUrl!, template) },
  });

  return {
    pgliteTemplate: '',
    postgresTemplate: template,
    cleanup: async () => {
      const leftovers = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'gh_test_%_${process.pid}%' OR datname = $1`,
        [template],
      );
      for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
