import type { DbClient } from '../db.js';

// Fixed-window counters in the database, so every server instance shares them and
// a restart does not reset them. One statement per check.

export interface RateLimitRule {
  /** e.g. "sign-in:account" */
  name: string;
  limit: number;
  windowMs: number;
}

export interface RateLimitVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

export async function hitRateLimit(db: DbClient, rule: RateLimitRule, subject: string): Promise<RateLimitVerdict> {
  const key = `${rule.name}:${subject}`;
  const windowSeconds = rule.windowMs / 1000;
  // Columns are UTC timestamps without a zone (Prisma's convention); compare in UTC whatever
  // the database server's time zone is.
  const rows = await db.$queryRaw<Array<{ count: number; windowStart: Date }>>`
    INSERT INTO "RateLimitBucket" ("key", "windowStart", "count")
    VALUES (${key}, now() AT TIME ZONE 'UTC', 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds})
                     THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimitBucket"."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds})
                     THEN now() AT TIME ZONE 'UTC' ELSE "RateLimitBucket"."windowStart" END
    RETURNING "count", "windowStart"`;
  const row = rows[0];
  if (!row) throw new Error(`rate limit upsert for ${key} returned nothing`);
  const retryAfterMs = row.windowStart.getTime() + rule.windowMs - Date.now();
  return { allowed: row.count <= rule.limit, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

/** Checks several limits; the answer is the strictest. Every rule is counted, even after one refuses. */
export async function hitRateLimits(
  db: DbClient,
  checks: ReadonlyArray<{ rule: RateLimitRule; subject: string }>,
): Promise<RateLimitVerdict> {
  const verdicts = await Promise.all(checks.map(({ rule, subject }) => hitRateLimit(db, rule, subject)));
  const refused = verdicts.filter((verdict) => !verdict.allowed);
  if (refused.length === 0) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(...refused.map((verdict) => verdict.retryAfterSeconds)) };
}
