import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { backendFromEnv, withDatabase } from './backend.js';
import { tmpRoot } from './paths.js';
import type { Templates } from './templates.js';

/** Environment for a server on a fresh, migrated, empty database of this run's back-end. */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** Inside vitest the templates come from the global setup; benchmarks pass their own. */
async function injectedTemplates(): Promise<Pick<Templates, 'pgliteTemplate' | 'postgresTemplate'>> {
  const { inject } = await import('vitest');
  return { pgliteTemplate: inject('pgliteTemplate'), postgresTemplate: inject('postgresTemplate') };
}

export async function createTestDatabase(
  templates?: Pick<Templates, 'pgliteTemplate' | 'postgresTemplate'>,
): Promise<TestDatabase> {
  const { pgliteTemplate, postgresTemplate } = templates ?? (await injectedTemplates());
  const backend = backendFromEnv();
  if (backend.kind === 'embedded') {
    const dataDir = fs.mkdtempSync(path.join(tmpRoot, 'db-'));
    fs.cpSync(pgliteTemplate, dataDir, { recursive: true });
    return {
      env: { DATA_DIR: dataDir },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const template = postgresTemplate;
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
