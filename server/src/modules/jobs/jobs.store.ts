import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { now } from '../../lib/clock.js';
import { uuidv7 } from '../../lib/ids.js';
import type { JobDefinition } from './job-definitions.js';

// Every statement on the Job table. Raw SQL, one statement each (PGlite runs one at a time and
// serialises transactions, so the claim is a single autocommit UPDATE). Times are the server clock
// (lib/clock.ts), passed in as parameters, never the database's now(): tests move the clock.

/** A timestamp parameter for the TIMESTAMP(3) (UTC) columns. */
function at(instant: Date): Prisma.Sql {
  return Prisma.sql`(${instant.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

// Local runners to nudge when a job becomes due now (set by the runner; no import cycle).
const wakeListeners = new Set<() => void>();

export function onJobDue(listener: () => void): () => void {
  wakeListeners.add(listener);
  return () => wakeListeners.delete(listener);
}

/**
 * Stores a job. With a `key`, scheduling is idempotent: while a pending job with the same key
 * exists (waiting or running), that one is kept and this call changes nothing. Call it inside the
 * transaction that makes the job necessary, so both commit or neither does.
 */
export async function scheduleJob<P>(
  db: DbClient,
  job: JobDefinition<P>,
  payload: P,
  options: { runAt?: Date; key?: string } = {},
): Promise<void> {
  const value = job.payload.parse(payload);
  const createdAt = now();
  const runAt = options.runAt ?? createdAt;
  await db.$executeRaw`
    INSERT INTO "Job" ("id", "kind", "payload", "runAt", "key", "createdAt")
    VALUES (${uuidv7(createdAt.getTime())}::uuid, ${job.kind}, ${JSON.stringify(value ?? null)}::jsonb,
            ${at(runAt)}, ${options.key ?? null}, ${at(createdAt)})
    ON CONFLICT ("key") WHERE "state" = 'PENDING' DO NOTHING`;
  // The caller's transaction may not have committed yet: the runner claims at once and again a
  // moment later, and its poll catches anything after that.
  if (runAt.getTime() <= createdAt.getTime()) for (const wake of wakeListeners) wake();
}

/** Removes the pending job with this key. False when there is none (never scheduled, done, or failed). */
/**
 * scheduleJob for several jobs of one kind in one statement (each row by the same rules: a row whose
 * key is pending already is left out). For callers that schedule a handful at once, e.g. reminders.
 */
export async function scheduleJobs<P>(
  db: DbClient,
  job: JobDefinition<P>,
  items: ReadonlyArray<{ payload: P; runAt?: Date; key?: string }>,
): Promise<void> {
  if (items.length === 0) return;
  const createdAt = now();
  const rows = items.map((item) => {
    const value = job.payload.parse(item.payload);
    return Prisma.sql`(${uuidv7(createdAt.getTime())}::uuid, ${job.kind}, ${JSON.stringify(value ?? null)}::jsonb,
            ${at(item.runAt ?? createdAt)}, ${item.key ?? null}, ${at(createdAt)})`;
  });
  await db.$executeRaw`
    INSERT INTO "Job" ("id", "kind", "payload", "runAt", "key", "createdAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("key") WHERE "state" = 'PENDING' DO NOTHING`;
  if (items.some((item) => (item.runAt ?? createdAt).getTime() <= createdAt.getTime())) {
    for (const wake of wakeListeners) wake();
  }
}

/** cancelJob for several keys in one statement; resolves with how many pending jobs were removed. */
export async function cancelJobs(db: DbClient, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  return db.$executeRaw`DELETE FROM "Job" WHERE "key" IN (${Prisma.join([...keys])}) AND "state" = 'PENDING'`;
}

export async function cancelJob(db: DbClient, key: string): Promise<boolean> {
  const removed = await db.$executeRaw`DELETE FROM "Job" WHERE "key" = ${key} AND "state" = 'PENDING'`;
  return removed > 0;
}

/** The payload of the pending job with this key, validated by its kind; null when there is none. */
export async function pendingJobPayload<P>(db: DbClient, definition: JobDefinition<P>, key: string): Promise<P | null> {
  const job = await db.job.findFirst({
    where: { key, kind: definition.kind, state: 'PENDING' },
    select: { payload: true },
  });
  const parsed = job ? definition.payload.safeParse(job.payload) : null;
  return parsed?.success ? parsed.data : null;
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  /** Including this run. */
  attempts: number;
  leaseOwner: string;
}

/**
 * Leases up to `limit` due jobs of the given kinds to `leaseOwner`: due means runAt ≤ `dueBy` and
 * no live lease (never leased, or the lease ran out: its holder died or hung). FOR UPDATE SKIP
 * LOCKED makes concurrent claims on several instances take disjoint rows; the lease keeps a
 * claimed row from being claimed again once this statement commits.
 */
export async function claimDueJobs(
  db: DbClient,
  options: { kinds: Array<{ kind: string; leaseMs: number }>; limit: number; leaseOwner: string; dueBy: Date },
): Promise<ClaimedJob[]> {
  if (options.kinds.length === 0 || options.limit < 1) return [];
  const dueBy = at(options.dueBy);
  return db.$queryRaw<ClaimedJob[]>`
    UPDATE "Job" AS job
    SET "leaseOwner" = ${options.leaseOwner},
        "leaseUntil" = ${at(now())} + picked."leaseMs" * interval '1 millisecond',
        "attempts" = job."attempts" + 1
    FROM (
      SELECT candidate."id", kinds."leaseMs"
      FROM "Job" AS candidate
      JOIN jsonb_to_recordset(${JSON.stringify(options.kinds)}::jsonb) AS kinds("kind" text, "leaseMs" int)
        ON kinds."kind" = candidate."kind"
      WHERE candidate."state" = 'PENDING'
        AND candidate."runAt" <= ${dueBy}
        AND (candidate."leaseUntil" IS NULL OR candidate."leaseUntil" <= ${dueBy})
      ORDER BY candidate."runAt"
      LIMIT ${options.limit}
      FOR UPDATE OF candidate SKIP LOCKED
    ) AS picked
    WHERE job."id" = picked."id"
    RETURNING job."id", job."kind", job."payload", job."attempts", job."leaseOwner"`;
}

/**
 * Deletes a job we still hold the lease of; false when the lease was lost (taken over after it ran
 * out, or the job was cancelled). Inside a transaction this also locks the row until commit.
 */
export async function completeJob(db: DbClient, job: Pick<ClaimedJob, 'id' | 'leaseOwner'>): Promise<boolean> {
  const removed = await db.$executeRaw`
    DELETE FROM "Job" WHERE "id" = ${job.id}::uuid AND "leaseOwner" = ${job.leaseOwner}`;
  return removed > 0;
}

/** After a failed run: retry at `retryAt`, or give up (state FAILED) when `retryAt` is null. */
export async function recordJobFailure(
  db: DbClient,
  job: Pick<ClaimedJob, 'id' | 'leaseOwner'>,
  error: string,
  retryAt: Date | null,
): Promise<boolean> {
  const changed =
    retryAt === null
      ? await db.$executeRaw`
          UPDATE "Job" SET "state" = 'FAILED', "lastError" = ${error}, "failedAt" = ${at(now())},
                           "leaseOwner" = NULL, "leaseUntil" = NULL
          WHERE "id" = ${job.id}::uuid AND "leaseOwner" = ${job.leaseOwner}`
      : await db.$executeRaw`
          UPDATE "Job" SET "runAt" = ${at(retryAt)}, "lastError" = ${error}, "leaseOwner" = NULL, "leaseUntil" = NULL
          WHERE "id" = ${job.id}::uuid AND "leaseOwner" = ${job.leaseOwner}`;
  return changed > 0;
}

/** Gives a job back untouched (the instance is stopping): due again at once, this run not counted. */
export async function releaseJob(db: DbClient, job: Pick<ClaimedJob, 'id' | 'leaseOwner'>): Promise<void> {
  await db.$executeRaw`
    UPDATE "Job" SET "leaseOwner" = NULL, "leaseUntil" = NULL, "attempts" = GREATEST("attempts" - 1, 0)
    WHERE "id" = ${job.id}::uuid AND "leaseOwner" = ${job.leaseOwner}`;
}
