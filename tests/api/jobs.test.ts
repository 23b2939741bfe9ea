import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { advanceClock, nowMs, setClockOffset, writeClockOffsetFile } from '../../server/src/lib/clock.js';
import type { Logger } from '../../server/src/logger.js';
import { cancelJob, createJobRunner, runDueJobs, scheduleJob } from '../../server/src/modules/jobs/index.js';
import { claimDueJobs } from '../../server/src/modules/jobs/jobs.store.js';
import {
  alwaysFails,
  effectThenHang,
  loseLease,
  recordRunInTransaction,
  recordRunOutside,
  rescheduleItself,
  writeThenFail,
} from '../../server/src/modules/jobs/test-jobs.js';
import { backendFromEnv } from '../support/backend.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  createJobTestTables,
  effectRows,
  eventually,
  jobRows,
  logLines,
  runRows,
  withTestDatabase,
} from '../support/jobs.js';
import { tmpRoot } from '../support/paths.js';
import { spawnServer } from '../support/server.js';

// The job runner on this run's back-end (embedded PGlite, or PostgreSQL): scheduling by key,
// cancelling, due by the server clock, backoff and giving up, transaction semantics, a clean stop,
// and a process killed mid-job. Time moves through the clock (lib/clock.ts), never by sleeping;
// runDueJobs() runs what is due now instead of waiting for a poll. Two server processes claiming
// the same 200 due jobs: the last describe, on the PostgreSQL run only (PGlite has one owner).

const HOUR = 60 * 60 * 1000;

interface LogEntry {
  level: keyof Logger;
  message: string;
  fields: Record<string, unknown>;
}

const logs: LogEntry[] = [];
const capturingLogger: Logger = {
  debug: (message, fields = {}) => logs.push({ level: 'debug', message, fields }),
  info: (message, fields = {}) => logs.push({ level: 'info', message, fields }),
  warn: (message, fields = {}) => logs.push({ level: 'warn', message, fields }),
  error: (message, fields = {}) => logs.push({ level: 'error', message, fields }),
};

function testEnv(database: TestDatabase, extra: Record<string, string> = {}) {
  return loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'never',
    PORT: '0',
    HOST: '127.0.0.1',
    // Only runDueJobs runs jobs here (the runner is off), so each outcome is the test's own.
    JOBS_ENABLED: 'false',
    ...database.env,
    ...extra,
  });
}

describe('scheduled jobs', () => {
  let database: TestDatabase;
  let app: App;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp(testEnv(database), { logger: capturingLogger });
    await app.start();
    await createJobTestTables(app.services.db);
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  afterEach(async () => {
    setClockOffset(0);
    logs.length = 0;
    await app.services.db.$executeRawUnsafe('DELETE FROM "Job"');
    await app.services.db.$executeRawUnsafe('DELETE FROM job_test_runs');
    await app.services.db.$executeRawUnsafe('DELETE FROM job_test_effects');
  });

  const db = () => app.services.db;

  it('runs a job when the server clock reaches its runAt, and not before', async () => {
    await scheduleJob(db(), recordRunOutside, { key: 'later' }, { runAt: new Date(nowMs() + HOUR) });
    expect(await runDueJobs(app.services)).toBe(0);
    advanceClock(HOUR - 60_000);
    expect(await runDueJobs(app.services)).toBe(0);
    expect(await runRows(db())).toEqual([]);

    advanceClock(60_000);
    expect(await runDueJobs(app.services)).toBe(1);
    expect((await runRows(db())).map((run) => run.key)).toEqual(['later']);
    expect(await jobRows(db())).toEqual([]);
  });

  it('keeps one pending job per key: scheduling "expire request R" twice keeps the first', async () => {
    const runAt = new Date(nowMs() + HOUR);
    await scheduleJob(db(), recordRunOutside, { key: 'first' }, { key: 'expire:request:R', runAt });
    await scheduleJob(db(), recordRunOutside, { key: 'second' }, { key: 'expire:request:R', runAt });
    const rows = await jobRows(db());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: 'expire:request:R', payload: { key: 'first' }, state: 'PENDING' });

    advanceClock(HOUR);
    expect(await runDueJobs(app.services)).toBe(1);
    expect((await runRows(db())).map((run) => run.key)).toEqual(['first']);

    // Once done, the key is free again.
    await scheduleJob(
      db(),
      recordRunOutside,
      { key: 'third' },
      { key: 'expire:request:R', runAt: new Date(nowMs() + HOUR) },
    );
    expect((await jobRows(db())).map((row) => row.payload)).toEqual([{ key: 'third' }]);
  });

  it('scheduling inside a transaction that rolls back leaves no job', async () => {
    await expect(
      db().$transaction(async (tx) => {
        await scheduleJob(tx, recordRunOutside, { key: 'rolled-back' }, { key: 'rolled-back' });
        throw new Error('the caller failed');
      }),
    ).rejects.toThrow('the caller failed');
    expect(await runDueJobs(app.services)).toBe(0);
    expect(await jobRows(db())).toEqual([]);
  });

  it('cancels the pending job with a key, and says false when there is none', async () => {
    await scheduleJob(
      db(),
      recordRunOutside,
      { key: 'cancelled' },
      { key: 'remind:R', runAt: new Date(nowMs() + HOUR) },
    );
    await scheduleJob(db(), recordRunOutside, { key: 'kept' }, { key: 'remind:S', runAt: new Date(nowMs() + HOUR) });
    expect(await db().$transaction((tx) => cancelJob(tx, 'remind:R'))).toBe(true);
    expect(await cancelJob(db(), 'remind:R')).toBe(false);
    expect(await cancelJob(db(), 'never-scheduled')).toBe(false);

    advanceClock(HOUR);
    expect(await runDueJobs(app.services)).toBe(1);
    expect((await runRows(db())).map((run) => run.key)).toEqual(['kept']);
  });

  it('backs off a failing job with growing delays, then gives up: FAILED, lastError kept, logged as an error', async () => {
    await scheduleJob(db(), alwaysFails, { key: 'doomed' }, { key: 'doomed' });
    // The runner sets runAt when the attempt fails, somewhere between startedAt and finishedAt: measured
    // from the start a delay can only look longer, from the end only shorter, however slow the machine.
    const delays: number[] = [];
    const delaysFromEnd: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const startedAt = nowMs();
      expect(await runDueJobs(app.services)).toBe(1);
      const finishedAt = nowMs();
      const [row] = await jobRows(db());
      expect(row).toMatchObject({ attempts: attempt, leaseOwner: null });
      expect(row!.lastError).toContain(`test failure on attempt ${attempt}`);
      if (attempt < 3) {
        expect(row!.state).toBe('PENDING');
        delays.push(row!.runAt.getTime() - startedAt);
        delaysFromEnd.push(row!.runAt.getTime() - finishedAt);
        // Not due half a second before its runAt (the clock keeps moving with the wall clock while the
        // runner works: a 1 ms margin can be overtaken on a loaded machine; every delay here is ≥ 1 s)…
        advanceClock(row!.runAt.getTime() - nowMs() - 500);
        expect(await runDueJobs(app.services)).toBe(0);
        // …and due then.
        advanceClock(500);
      } else {
        expect(row).toMatchObject({ state: 'FAILED' });
        expect(row!.failedAt).toBeInstanceOf(Date);
      }
    }
    // alwaysFails: base 1 s, doubling, up to 25 % jitter.
    expect(delays[0]).toBeGreaterThanOrEqual(1_000);
    expect(delaysFromEnd[0]).toBeLessThanOrEqual(1_250);
    expect(delays[1]).toBeGreaterThan(delaysFromEnd[0]!);
    expect(delays[1]).toBeGreaterThanOrEqual(2_000);

    // Given up: never run again, however far the clock moves; kept for inspection.
    advanceClock(24 * HOUR);
    expect(await runDueJobs(app.services)).toBe(0);
    expect((await runRows(db())).map((run) => run.attempt)).toEqual([1, 2, 3]);
    expect(await jobRows(db())).toHaveLength(1);
    const errors = logs.filter((entry) => entry.level === 'error');
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'job failed for good',
        fields: expect.objectContaining({ kind: 'test.always-fails', attempts: 3 }),
      }),
    ]);

    // The failed job keeps its key without blocking a new job with the same key.
    await scheduleJob(db(), alwaysFails, { key: 'again' }, { key: 'doomed', runAt: new Date(nowMs() + HOUR) });
    expect((await jobRows(db())).map((row) => row.state)).toEqual(['FAILED', 'PENDING']);
  });

  it('rolls back a transaction-mode handler that fails: its writes are undone with the job kept', async () => {
    await scheduleJob(db(), writeThenFail, { key: 'undone' });
    expect(await runDueJobs(app.services)).toBe(1);
    expect(await runRows(db())).toEqual([]);
    const [row] = await jobRows(db());
    expect(row).toMatchObject({ kind: 'test.write-then-fail', state: 'PENDING', attempts: 1 });
    expect(row!.lastError).toContain('fails after writing');
  });

  it('commits a transaction-mode handler with the job done; a handler may schedule the same key again', async () => {
    await scheduleJob(db(), rescheduleItself, { round: 1 }, { key: 'reschedule-itself' });
    await runDueJobs(app.services);
    expect((await runRows(db())).map((run) => run.key)).toEqual(['round-1', 'round-2', 'round-3']);
    expect(await jobRows(db())).toEqual([]);
  });

  it('does not mark a job done when its lease was taken over during the run', async () => {
    await scheduleJob(db(), loseLease, { key: 'stolen' }, { key: 'stolen' });
    expect(await runDueJobs(app.services)).toBe(1);
    const [row] = await jobRows(db());
    expect(row).toMatchObject({ key: 'stolen', leaseOwner: 'another-instance', state: 'PENDING' });
    expect(logs.map((entry) => entry.message)).toContain('job lease was lost before it was marked done');
  });

  it('leases a claimed job: no one else claims it until the lease runs out', async () => {
    await scheduleJob(db(), recordRunOutside, { key: 'leased' }, { runAt: new Date(nowMs() + HOUR) });
    advanceClock(HOUR);
    const kinds = [{ kind: 'test.record-outside', leaseMs: 60_000 }];
    const [claimed] = await claimDueJobs(db(), {
      kinds,
      limit: 10,
      leaseOwner: 'dead-instance',
      dueBy: new Date(nowMs()),
    });
    expect(claimed).toMatchObject({ attempts: 1, leaseOwner: 'dead-instance' });
    expect(await runDueJobs(app.services)).toBe(0);
    advanceClock(59_000);
    expect(await runDueJobs(app.services)).toBe(0);
    advanceClock(1_000);
    expect(await runDueJobs(app.services)).toBe(1);
    expect(await runRows(db())).toEqual([expect.objectContaining({ key: 'leased', attempt: 2 })]);
  });

  it('gives up a job whose every allowed run was cut short, without starting it again', async () => {
    // alwaysFails allows 3 runs; three instances take it and die (their leases run out).
    await scheduleJob(db(), alwaysFails, { key: 'poison' }, { key: 'poison' });
    const kinds = [{ kind: 'test.always-fails', leaseMs: 1_000 }];
    for (let claim = 1; claim <= 3; claim++) {
      const claimed = await claimDueJobs(db(), {
        kinds,
        limit: 10,
        leaseOwner: `dead-${claim}`,
        dueBy: new Date(nowMs()),
      });
      expect(claimed).toEqual([expect.objectContaining({ attempts: claim })]);
      advanceClock(1_000);
    }
    expect(await runDueJobs(app.services)).toBe(1);
    expect(await runRows(db())).toEqual([]);
    expect(await jobRows(db())).toEqual([
      expect.objectContaining({
        key: 'poison',
        state: 'FAILED',
        lastError: 'gave up: 3 runs started and none finished',
      }),
    ]);
    expect(logs.filter((entry) => entry.level === 'error').map((entry) => entry.message)).toEqual([
      'job failed for good',
    ]);
  });

  it('rejects a payload that does not match the kind', async () => {
    await expect(scheduleJob(db(), recordRunOutside, { key: '' })).rejects.toThrow();
    expect(await jobRows(db())).toEqual([]);
  });
});

describe('stopping and crashing', () => {
  afterEach(() => setClockOffset(0));

  it('runs each of 200 due jobs exactly once with two runners claiming side by side in one process', async () => {
    const COUNT = 200;
    const database = await createTestDatabase();
    const jobsEnv = { JOBS_ENABLED: 'true', JOBS_POLL_MS: '10', JOBS_CONCURRENCY: '8' };
    const app = await buildApp(testEnv(database, jobsEnv), { logger: capturingLogger });
    // The embedded database has one owner, so the second claimer is a second runner in this process.
    const second = createJobRunner(app.services, { pollMs: 10, leaseMs: 60_000, concurrency: 8 });
    try {
      await app.start();
      const db = app.services.db;
      await createJobTestTables(db);
      const runAt = new Date(nowMs() + HOUR);
      // Half run outside a transaction (a second claim would mean a second run), half inside one.
      for (let i = 0; i < COUNT; i++) {
        await scheduleJob(db, i % 2 ? recordRunInTransaction : recordRunOutside, { key: `job-${i}` }, { runAt });
      }
      second.start();
      expect(await runRows(db)).toEqual([]);
      advanceClock(HOUR);
      await eventually(async () => ((await jobRows(db)).length === 0 ? true : undefined), 'every job to be done');
      await second.stop();
      await app.stop();
      await withTestDatabase(database, async (db) => {
        const runs = await runRows(db);
        expect(runs).toHaveLength(COUNT);
        expect(new Set(runs.map((run) => run.key)).size).toBe(COUNT);
        expect(new Set(runs.map((run) => run.attempt))).toEqual(new Set([1]));
      });
    } finally {
      await second.stop();
      await app.stop();
      await database.drop();
    }
  });

  it('runs a job that is due now at once, without waiting for a poll', async () => {
    const database = await createTestDatabase();
    // The poll is an hour: only the wake-up from scheduleJob can start the run.
    const app = await buildApp(testEnv(database, { JOBS_ENABLED: 'true', JOBS_POLL_MS: String(HOUR) }), {
      logger: capturingLogger,
    });
    try {
      await app.start();
      const db = app.services.db;
      await createJobTestTables(db);
      await db.$transaction((tx) => scheduleJob(tx, recordRunInTransaction, { key: 'now' }));
      const runs = await eventually(async () => ((await runRows(db)).length > 0 ? runRows(db) : undefined), 'the run');
      expect(runs.map((run) => run.key)).toEqual(['now']);
      expect(await jobRows(db)).toEqual([]);
    } finally {
      await app.stop();
      await database.drop();
    }
  });

  it('app.stop() aborts a running job, returns, and gives the job back for the next start', async () => {
    const database = await createTestDatabase();
    try {
      const app = await buildApp(testEnv(database, { JOBS_ENABLED: 'true' }), { logger: capturingLogger });
      await app.start();
      await createJobTestTables(app.services.db);
      await scheduleJob(app.services.db, effectThenHang, { key: 'hangs' }, { key: 'hangs' });
      await eventually(async () => ((await effectRows(app.services.db)).length ? true : undefined), 'the effect');
      await app.stop();
      await withTestDatabase(database, async (db) => {
        expect(await jobRows(db)).toEqual([
          expect.objectContaining({ key: 'hangs', state: 'PENDING', attempts: 0, leaseOwner: null, lastError: null }),
        ]);
      });
    } finally {
      await database.drop();
    }
  });

  it('a process killed with -9 mid-job: the job runs again after its lease, and its idempotent effect happens once', async () => {
    const database = await createTestDatabase();
    const clockFile = path.join(fs.mkdtempSync(path.join(tmpRoot, 'clock-')), 'offset');
    writeClockOffsetFile(clockFile, 0);
    // One job at a time, claimed in runAt order: the marker below can only run after the crashed job
    // was looked at and passed over.
    const env = {
      ...database.env,
      CLOCK_OFFSET_FILE: clockFile,
      JOBS_LEASE_MS: '60000',
      JOBS_POLL_MS: '50',
      JOBS_CONCURRENCY: '1',
    };
    try {
      await withTestDatabase(database, async (db) => {
        await createJobTestTables(db);
        await scheduleJob(db, effectThenHang, { key: 'crash' }, { key: 'crash' });
      });

      const first = await spawnServer(env);
      const started = (line: Record<string, unknown>, attempt: number) =>
        line.message === 'test job made its effect' && line.key === 'crash' && line.attempt === attempt;
      await eventually(
        async () => (logLines(first.output()).some((line) => started(line, 1)) ? true : undefined),
        'the first run to make its effect',
      );
      first.child.kill('SIGKILL');
      await first.exited;

      // A marker job due now, scheduled after the crashed one: once the next process has run it, it
      // has looked at the crashed job first and left it alone.
      await withTestDatabase(database, async (db) => {
        expect(await jobRows(db)).toEqual([expect.objectContaining({ key: 'crash', attempts: 1 })]);
        await scheduleJob(db, recordRunOutside, { key: 'marker' });
      });
      const second = await spawnServer(env);
      try {
        const ran = (key: string) => (line: Record<string, unknown>) =>
          line.message === 'test job ran' && line.key === key;
        await eventually(
          async () => (logLines(second.output()).some(ran('marker')) ? true : undefined),
          'the marker job',
        );
        // The lease (60 s) has not run out: the crashed job was passed over.
        expect(logLines(second.output()).filter(ran('crash'))).toEqual([]);

        // Once the clock passes the lease, the job runs again.
        writeClockOffsetFile(clockFile, 61_000);
        await eventually(
          async () => (logLines(second.output()).some((line) => started(line, 2)) ? true : undefined),
          'the second run',
        );
      } finally {
        await second.stop();
      }

      await withTestDatabase(database, async (db) => {
        expect(await jobRows(db)).toEqual([]);
        const runs = (await runRows(db)).filter((run) => run.key === 'crash');
        expect(runs.map((run) => [run.attempt, run.pid])).toEqual([
          [1, first.child.pid],
          [2, second.child.pid],
        ]);
        expect(await effectRows(db)).toEqual([{ key: 'crash', pid: first.child.pid }]);
      });
    } finally {
      await database.drop();
      fs.rmSync(path.dirname(clockFile), { recursive: true, force: true });
    }
  });
});

describe.runIf(backendFromEnv().kind === 'scale-out')('two server processes on PostgreSQL', () => {
  afterEach(() => setClockOffset(0));

  it('runs each of 200 due jobs exactly once across two processes claiming at the same time', async () => {
    const COUNT = 200;
    const database = await createTestDatabase();
    const clockFile = path.join(fs.mkdtempSync(path.join(tmpRoot, 'clock-')), 'offset');
    writeClockOffsetFile(clockFile, 0);
    // A short poll and several runs at once per process, so both claim over and over, side by side.
    const env = { ...database.env, CLOCK_OFFSET_FILE: clockFile, JOBS_POLL_MS: '10', JOBS_CONCURRENCY: '8' };
    const servers: Array<Awaited<ReturnType<typeof spawnServer>>> = [];
    try {
      // Due in an hour, so neither process starts before both are up; then one clock move makes all due.
      const runAt = new Date(nowMs() + HOUR);
      await withTestDatabase(database, async (db) => {
        await createJobTestTables(db);
        // 'outside' mode: a job claimed twice would run twice (nothing but the claim prevents it).
        for (let i = 0; i < COUNT; i++) await scheduleJob(db, recordRunOutside, { key: `job-${i}` }, { runAt });
      });
      servers.push(await spawnServer(env), await spawnServer(env));
      writeClockOffsetFile(clockFile, HOUR);

      await withTestDatabase(database, async (db) => {
        await eventually(
          async () => ((await jobRows(db)).length === 0 ? true : undefined),
          'every job to be done',
          120_000,
        );
      });
      // A graceful stop lets any run still in flight finish, so a late duplicate would be counted.
      for (const server of servers) await server.stop();

      await withTestDatabase(database, async (db) => {
        const runs = await runRows(db);
        const perKey = new Map<string, number>();
        for (const run of runs) perKey.set(run.key, (perKey.get(run.key) ?? 0) + 1);
        const twice = [...perKey].filter(([, count]) => count > 1);
        expect(twice, 'jobs that ran more than once').toEqual([]);
        expect(perKey.size).toBe(COUNT);
        expect(runs).toHaveLength(COUNT);
        expect(new Set(runs.map((run) => run.attempt))).toEqual(new Set([1]));
        // Both processes took part, or "once" would prove nothing about two of them.
        const pids = servers.map((server) => server.child.pid);
        for (const pid of pids) expect(runs.filter((run) => run.pid === pid).length).toBeGreaterThan(0);
        expect(runs.every((run) => pids.includes(run.pid))).toBe(true);
      });
    } finally {
      for (const server of servers) await server.stop();
      await database.drop();
      fs.rmSync(path.dirname(clockFile), { recursive: true, force: true });
    }
  }, 180_000);
});
