import { z } from 'zod';
import type { DbClient } from '../../db.js';
import { defineJob, type JobDefinition, type JobRunContext } from './job-definitions.js';
import { scheduleJob } from './jobs.store.js';

// Job kinds only the tests schedule; buildApp loads this file when NODE_ENV=test, so spawned
// server processes know them too. They write into tables that the tests create with raw SQL
// (createJobTestTables in tests/support/jobs.ts): job_test_runs gets one row per run (counts
// runs), job_test_effects one row per key (an idempotent effect).

const keyed = z.object({ key: z.string().min(1) });

// Logged too, so a test can see a run in a server process whose embedded database it cannot open.
async function recordRun(db: DbClient, key: string, ctx: JobRunContext): Promise<void> {
  await db.$executeRaw`INSERT INTO job_test_runs ("key", "pid", "attempt") VALUES (${key}, ${process.pid}, ${ctx.attempt})`;
  ctx.logger.info('test job ran', { key, attempt: ctx.attempt });
}

/** Records each run; outside a transaction, so a second run of one job would show as a second row. */
export const recordRunOutside = defineJob('test.record-outside', {
  payload: keyed,
  mode: 'outside',
  run: async ({ key }, ctx) => recordRun(ctx.db, key, ctx),
});

/** Records each run inside the transaction that marks the job done. */
export const recordRunInTransaction = defineJob('test.record-in-transaction', {
  payload: keyed,
  run: async ({ key }, ctx) => recordRun(ctx.db, key, ctx),
});

/**
 * Makes its effect idempotently (one row per key however often it runs), then on its first attempt
 * hangs until the instance stops: a test kills the process in the middle of this job.
 */
export const effectThenHang = defineJob('test.effect-then-hang', {
  payload: keyed,
  mode: 'outside',
  run: async ({ key }, ctx) => {
    await recordRun(ctx.db, key, ctx);
    await ctx.db.$executeRaw`
      INSERT INTO job_test_effects ("key", "pid") VALUES (${key}, ${process.pid}) ON CONFLICT ("key") DO NOTHING`;
    ctx.logger.info('test job made its effect', { key, attempt: ctx.attempt });
    if (ctx.attempt > 1) return;
    await new Promise<void>((_, reject) => {
      ctx.signal.addEventListener('abort', () => reject(new Error('stopped while hanging')), { once: true });
    });
  },
});

/** Always fails, after recording the attempt; gives up after 3. */
export const alwaysFails = defineJob('test.always-fails', {
  payload: keyed,
  mode: 'outside',
  maxAttempts: 3,
  backoff: { baseMs: 1_000, maxMs: 60_000 },
  run: async ({ key }, ctx) => {
    await recordRun(ctx.db, key, ctx);
    throw new Error(`test failure on attempt ${ctx.attempt}`);
  },
});

/** Writes, then fails: in a transaction, the write must be rolled back with the failed run. */
export const writeThenFail = defineJob('test.write-then-fail', {
  payload: keyed,
  maxAttempts: 2,
  run: async ({ key }, ctx) => {
    await recordRun(ctx.db, key, ctx);
    throw new Error('fails after writing');
  },
});

/** Outside a transaction, loses its lease before it is marked done. */
export const loseLease = defineJob('test.lose-lease', {
  payload: keyed,
  mode: 'outside',
  run: async ({ key }, ctx) => {
    // As if this run had hung past its lease and another instance had taken the job over.
    await ctx.db.$executeRaw`UPDATE "Job" SET "leaseOwner" = 'another-instance' WHERE "key" = ${key}`;
  },
});

/** Schedules its next round under its own key from inside its own run (a chain of three). */
export const rescheduleItself: JobDefinition<{ round: number }> = defineJob('test.reschedule-itself', {
  payload: z.object({ round: z.number().int().min(1) }),
  run: async ({ round }, ctx) => {
    await recordRun(ctx.db, `round-${round}`, ctx);
    if (round < 3) await scheduleJob(ctx.db, rescheduleItself, { round: round + 1 }, { key: 'reschedule-itself' });
  },
});
