// In production the demo is opt-in only: SEED_DEMO=auto seeds nothing, and a server refuses to start
// while demo accounts still have the published password (unless SEED_DEMO=always asks for the demo).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/src/modules/accounts/passwords.js';
import { DEMO_LOGIN } from '../../server/src/seed/demo-data.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { spawnServer, startServer } from '../support/server.js';

const PRODUCTION = { NODE_ENV: 'production', SEED_DEMO: 'auto', LOG_LEVEL: 'info' };

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

/** Runs `work` against the database with an in-process server (which must not hold it meanwhile). */
async function withDb<T>(work: (db: Awaited<ReturnType<typeof startServer>>['app']['services']['db']) => Promise<T>) {
  const server = await startServer({ database });
  try {
    return await work(server.app.services.db);
  } finally {
    await server.stop();
  }
}

describe('demo data in production', () => {
  it('seeds nothing with SEED_DEMO=auto, even on a fresh embedded database', async () => {
    const server = await spawnServer({ ...database.env, ...PRODUCTION });
    expect(await server.stop()).toBe(0);
    expect(server.output()).not.toContain('demo data ready');
    expect(await withDb((db) => db.user.count())).toBe(0);
  });

  it('refuses to start while a demo account has the published password, and says why', async () => {
    await withDb(async (db) => {
      await db.user.create({
        data: { email: DEMO_LOGIN.email, name: 'Ada Okafor', passwordHash: await hashPassword(DEMO_LOGIN.password) },
      });
    });
    const refused = await spawnServer({ ...database.env, ...PRODUCTION }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exited with 1/);
    expect(refused).toContain('published demo password');
    expect(refused).toContain(DEMO_LOGIN.email);
  });

  it('starts when the demo was asked for (SEED_DEMO=always), or once the password was changed', async () => {
    const asked = await spawnServer({ ...database.env, ...PRODUCTION, SEED_DEMO: 'always' });
    expect(await asked.stop()).toBe(0);

    await withDb(async (db) => {
      await db.user.updateMany({
        where: { email: { endsWith: '@guildhall.dev' } },
        data: { passwordHash: await hashPassword('a-new-secret-passphrase') },
      });
    });
    const changed = await spawnServer({ ...database.env, ...PRODUCTION });
    expect(await changed.stop()).toBe(0);
  });
});
