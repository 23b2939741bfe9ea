import { openDatabase } from '../../server/src/db.js';
import type { DbClient } from '../../server/src/db.js';
import type { PrismaClient } from '../../server/src/generated/prisma/client.js';
import type { TestDatabase } from './database.js';

// Helpers for the job runner's tests: the tables the test job kinds write into
// (server/src/modules/jobs/test-jobs.ts), reading the Job table, and opening a test database from
// this process (on the embedded run only while no server process owns the directory).

export interface JobRow {
  id: string;
  kind: string;
  payload: unknown;
  runAt: Date;
  state: 'PENDING' | 'FAILED';
  attempts: number;
  lastError: string | null;
  key: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  failedAt: Date | null;
}

export interface RunRow {
  key: string;
  pid: number;
  attempt: number;
}

export async function createJobTestTables(db: DbClient): Promise<void> {
  await db.$executeRawUnsafe(
    'CREATE TABLE IF NOT EXISTS job_test_runs (id serial PRIMARY KEY, "key" text NOT NULL, pid int NOT NULL, attempt int NOT NULL)',
  );
  await db.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS job_test_effects ("key" text PRIMARY KEY, pid int NOT NULL)');
}

export async function jobRows(db: DbClient): Promise<JobRow[]> {
  return db.$queryRaw<JobRow[]>`
    SELECT "id", "kind", "payload", "runAt", "state"::text AS "state", "attempts", "lastError", "key",
           "leaseOwner", "leaseUntil", "failedAt"
    FROM "Job" ORDER BY "createdAt", "id"`;
}

export async function runRows(db: DbClient): Promise<RunRow[]> {
  return db.$queryRaw<RunRow[]>`SELECT "key", pid, attempt FROM job_test_runs ORDER BY id`;
}

export async function effectRows(db: DbClient): Promise<Array<{ key: string; pid: number }>> {
  return db.$queryRaw<Array<{ key: string; pid: number }>>`SELECT "key", pid FROM job_test_effects ORDER BY "key"`;
}

/** Opens the test database from this process, runs `work`, closes it. */
export async function withTestDatabase<T>(database: TestDatabase, work: (db: PrismaClient) => Promise<T>): Promise<T> {
  const opened = await openDatabase({ DATA_DIR: database.env.DATA_DIR ?? '', DATABASE_URL: database.env.DATABASE_URL });
  try {
    return await work(opened.prisma);
  } finally {
    await opened.close();
  }
}

/** Polls `check` until it returns a value other than undefined (a condition, not a sleep for time to pass). */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The JSON log lines a server process wrote so far. */
export function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}
