import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { acquirePgliteLock } from '@guildhall/prisma/pglite-lock';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Env } from './env.js';
import { PrismaClient, type Prisma } from './generated/prisma/client.js';

// One of two back-ends, chosen from the environment: PostgreSQL when DATABASE_URL is set,
// otherwise PGlite (PostgreSQL in WebAssembly) in DATA_DIR. Nothing else knows which runs.

export type Db = PrismaClient;
/** Either the client or an open transaction: services take this so callers choose. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function pgliteDirectory(env: Pick<Env, 'DATA_DIR'>): string {
  return path.join(env.DATA_DIR, 'pglite');
}

export async function openDatabase(
  env: Pick<Env, 'DATA_DIR' | 'DATABASE_URL'>,
  options: { onQuery?: (sql: string) => void } = {},
): Promise<Database> {
  const log = options.onQuery ? [{ level: 'query' as const, emit: 'event' as const }] : undefined;

  if (env.DATABASE_URL) {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DATABASE_URL }), log });
    attachQueryListener(prisma, options.onQuery);
    await prisma.$connect();
    return {
      kind: 'postgres',
      prisma,
      ping: async () => void (await prisma.$queryRaw`SELECT 1`),
      close: () => prisma.$disconnect(),
    };
  }

  fs.mkdirSync(env.DATA_DIR, { recursive: true });
  // PGlite has no lock between processes; two owners silently lose writes. Refuse a second one.
  const lock = acquirePgliteLock(env.DATA_DIR);
  try {
    const client = await PGlite.create(pgliteDirectory(env));
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(client), log });
    attachQueryListener(prisma, options.onQuery);
    // PGlite runs without PostgreSQL's autovacuum, so the planner's statistics would never be
    // refreshed: analyse shortly after start and then hourly.
    const analyse = () => void prisma.$executeRawUnsafe('ANALYZE').catch(() => {});
    const firstAnalysis = setTimeout(analyse, 30_000);
    const hourlyAnalysis = setInterval(analyse, 60 * 60 * 1000);
    firstAnalysis.unref();
    hourlyAnalysis.unref();
    return {
      kind: 'pglite',
      prisma,
      ping: async () => void (await prisma.$queryRaw`SELECT 1`),
      close: async () => {
        clearTimeout(firstAnalysis);
        clearInterval(hourlyAnalysis);
        await prisma.$disconnect();
        await client.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

function attachQueryListener(prisma: PrismaClient, onQuery: ((sql: string) => void) | undefined): void {
  if (!onQuery) return;
  (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (event) =>
    onQuery(event.query),
  );
}
