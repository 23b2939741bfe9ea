import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db.js';
import { localMigrations } from '../../server/src/migrations.js';
import { backendFromEnv, withDatabase } from '../support/backend.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { tmpRoot } from '../support/paths.js';
import { gql, signUpMember } from '../support/graphql.js';
import { spawnServer, type ServerProcess } from '../support/server.js';

// `pnpm start` migrates inside the server (server/src/migrations.ts): the schema engine runs only when a
// migration is pending, a restart with nothing to apply skips it, and an applied migration whose file was
// edited is reported. The first case runs what `pnpm start` runs: the bundle `pnpm build` makes.

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(env: Record<string, string>, options: { built?: boolean } = {}): Promise<ServerProcess> {
  const server = await spawnServer(env, options);
  cleanups.push(() => server.stop());
  return server;
}

/** A database of this run's back-end with nothing in it, not even _prisma_migrations. */
async function emptyDatabase(): Promise<TestDatabase> {
  const backend = backendFromEnv();
  if (backend.kind === 'embedded') {
    fs.mkdirSync(tmpRoot, { recursive: true });
    const dataDir = fs.mkdtempSync(path.join(tmpRoot, 'empty-'));
    return { env: { DATA_DIR: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `gh_test_empty_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: backend.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    env: { DATABASE_URL: withDatabase(backend.databaseUrl!, name), REDIS_URL: backend.redisUrl! },
    drop: async () => {
      const client = new pg.Client({ connectionString: backend.databaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function sql(env: Record<string, string>, statement: string): Promise<Array<Record<string, unknown>>> {
  const database = await openDatabase({ DATA_DIR: env.DATA_DIR ?? tmpRoot, DATABASE_URL: env.DATABASE_URL });
  try {
    return await database.prisma.$queryRawUnsafe(statement);
  } finally {
    await database.close();
  }
}

const ranEngine = (server: ServerProcess) => server.output().includes('running prisma migrate deploy');
const upToDate = (server: ServerProcess) => server.output().includes('"message":"migrations up to date"');

describe('migrations on start', () => {
  it('applies pending migrations before serving, and a restart with none pending skips the schema engine', async () => {
    const database = await emptyDatabase();
    cleanups.push(() => database.drop());

    const first = await start({ ...database.env, SEED_DEMO: 'never' }, { built: true });
    expect(ranEngine(first)).toBe(true);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    await first.stop();

    const applied = await sql(
      database.env,
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    expect(applied.map((row) => row.migration_name).sort()).toEqual([...localMigrations().keys()].sort());

    const second = await start({ ...database.env, SEED_DEMO: 'never' }, { built: true });
    expect(upToDate(second)).toBe(true);
    expect(ranEngine(second)).toBe(false);
    // The bundle serves: a member signs up (argon2, email, the database) and reads themselves back.
    const member = await signUpMember(second.graphqlUrl, { name: 'Bundle Reader' });
    const viewer = await gql(second.graphqlUrl, '{ viewer { name } }', {}, { token: member.token });
    expect(viewer.body).toEqual({ data: { viewer: { name: 'Bundle Reader' } } });
  }, 600_000); // two server processes and every migration through the schema engine

  it('reports an applied migration whose file was edited since, as Prisma does, and still starts', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const [edited] = [...localMigrations().keys()].sort();
    // What the table holds after the file was changed: the checksum of another text.
    await sql(
      database.env,
      `UPDATE _prisma_migrations SET checksum = repeat('0', 64) WHERE migration_name = '${edited}'`,
    );

    const server = await start({ ...database.env, SEED_DEMO: 'never' });
    expect(server.output()).toContain(`The migration \`${edited}\` was modified after it was applied.`);
    expect(ranEngine(server)).toBe(false);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }, 300_000);
});
