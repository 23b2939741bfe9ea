// Which back-end this test run uses. `pnpm test` runs the suite once on the embedded default
// and once more on PostgreSQL + Redis when DATABASE_URL and REDIS_URL are given.

export interface Backend {
  kind: 'embedded' | 'scale-out';
  databaseUrl?: string;
  redisUrl?: string;
}

export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): Backend {
  const databaseUrl = env.DATABASE_URL || undefined;
  const redisUrl = env.REDIS_URL || undefined;
  if (!databaseUrl && !redisUrl) return { kind: 'embedded' };
  if (!databaseUrl || !redisUrl) {
    throw new Error('The scale-out test run needs both DATABASE_URL and REDIS_URL (or neither for the embedded run).');
  }
  return { kind: 'scale-out', databaseUrl, redisUrl };
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
