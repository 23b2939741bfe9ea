import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { backendFromEnv, withDatabase } from './backend.js';
import { tmpRoot } from './paths.js';

/** Environment for a server on a fresh, migrated, empty database of this run's back-end. */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const backend = backendFromEnv();
  if (backend.kind === 'embedded') {
    const dataDir = fs.mkdtempSync(path.join(tmpRoot, 'db-'));
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    return {
      env: { DATA_DIR: dataDir },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const template = inject('postgresTemplate');
  // Named after the template so the run's teardown finds leftovers.
  const name = `${template.replace('_tpl_', '_db_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: backend.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  return {
    env: { DATABASE_URL: withDatabase(backend.databaseUrl!, name), REDIS_URL: backend.redisUrl! },
    drop: async () => {
      const client = new pg.Client({ connectionString: backend.databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
