import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AppServices } from '../../context.js';
import { now } from '../../lib/clock.js';
import { backoffDelayMs, jobDefinition, registeredJobKinds, type JobRunContext } from './job-definitions.js';
import { claimDueJobs, completeJob, onJobDue, recordJobFailure, releaseJob, type ClaimedJob } from './jobs.store.js';

// One runner per server instance. It claims due jobs (a short autocommit UPDATE … FOR UPDATE SKIP
// LOCKED that leases them), runs each with its kind's handler, and then deletes it (done), moves
// its runAt by the backoff (failed, attempts left) or marks it FAILED (given up). It claims again
// as soon as a slot frees up, when a job due now is scheduled in this process, and every pollMs.

export interface JobRunnerOptions {
  pollMs: number;
  /** Default lease per run; a kind may set its own. */
  leaseMs: number;
  /** Jobs run at once by this instance. */
  concurrency: number;
  /** After stop() aborts the handlers, how long to wait for them before abandoning them. */
  stopGraceMs?: number;
}

export interface JobRunner {
  /** Begins claiming (idempotent). */
  start(): void;
  /** Claims nothing more, aborts handlers' signals, waits for in-flight runs (bounded), then returns. */
  stop(): Promise<void>;
  /**
   * Runs every job due now (by the server clock) to its outcome, including jobs the background loop
   * already took and jobs that those runs schedule for now, and returns how many runs this call
   * made. Tests use it instead of waiting for a poll.
   */
  runDue(): Promise<number>;
}

// Transaction-mode handlers wait behind others on PGlite (one transaction at a time).
const TRANSACTION_MAX_WAIT_MS = 30_000;
const DEFAULT_STOP_GRACE_MS = 5_000;
// A wake-up right after scheduleJob may come before the caller commits: look again shortly after.
const WAKE_RETRY_MS = 100;

class LeaseLost extends Error {}

const runners = new WeakMap<AppServices, JobRunner>();

/** The runner that buildApp made for these services, if any. */
export function jobRunnerOf(services: AppServices): JobRunner | undefined {
  return runners.get(services);
}

export function createJobRunner(services: AppServices, options: JobRunnerOptions): JobRunner {
  const { db, logger } = services;
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const abort = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let claims = 0;
  let started = false;
  let stopped = false;
  // The claim loop now running, if any: stop() waits for it so nothing it claims stays leased.
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;
  let pollTimer: NodeJS.Timeout | undefined;
  const wakeTimers = new Set<NodeJS.Timeout>();
  let unsubscribe: (() => void) | undefined;

  const kindsWithLease = () =>
    registeredJobKinds().map((kind) => ({ kind, leaseMs: jobDefinition(kind)?.leaseMs ?? options.leaseMs }));

  const claim = (limit: number, dueBy: Date) =>
    claimDueJobs(db, { kinds: kindsWithLease(), limit, leaseOwner: `${instanceId}:${++claims}`, dueBy });

  async function runOne(job: ClaimedJob): Promise<void> {
    const definition = jobDefinition(job.kind);
    if (!definition) return; // claimed only for registered kinds
    if (abort.signal.aborted) {
      // Claimed as the instance began to stop (runDue): give it back rather than start it.
      await releaseJob(db, job);
      return;
    }
    if (job.attempts > definition.maxAttempts) {
      // Every allowed run started and none finished (crashes, lost leases): a job that kills its
      // process must not run forever.
      const message = `gave up: ${job.attempts - 1} runs started and none finished`;
      await recordJobFailure(db, job, message, null);
      logger.error('job failed for good', {
        jobId: job.id,
        kind: job.kind,
        attempts: job.attempts - 1,
        error: message,
      });
      return;
    }
    const parsed = definition.payload.safeParse(job.payload);
    if (!parsed.success) {
      // It will never parse: retrying cannot help.
      await recordJobFailure(db, job, `invalid payload: ${parsed.error.message}`, null);
      logger.error('job failed: invalid payload', { jobId: job.id, kind: job.kind, error: parsed.error.message });
      return;
    }
    const context: Omit<JobRunContext, 'db'> = {
      services,
      now: now(),
      attempt: job.attempts,
      logger,
      signal: abort.signal,
    };
    try {
      if (definition.mode === 'transaction') {
        await db.$transaction(
          async (tx) => {
            // Deleting first takes the row lock and proves the lease is still ours; a handler that
            // reschedules the same key therefore does not collide with itself.
            if (!(await completeJob(tx, job))) throw new LeaseLost();
            await definition.run(parsed.data, { ...context, db: tx });
          },
          { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: definition.leaseMs ?? options.leaseMs },
        );
      } else {
        await definition.run(parsed.data, { ...context, db });
        if (!(await completeJob(db, job))) {
          logger.warn('job lease was lost before it was marked done', { jobId: job.id, kind: job.kind });
        }
      }
    } catch (error) {
      if (error instanceof LeaseLost) {
        logger.info('job lease was lost; another run owns it', { jobId: job.id, kind: job.kind });
        return;
      }
      if (abort.signal.aborted) {
        await releaseJob(db, job).catch(() => {});
        return;
      }
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const givingUp = job.attempts >= definition.maxAttempts;
      const retryAt = givingUp ? null : new Date(now().getTime() + backoffDelayMs(definition.backoff, job.attempts));
      await recordJobFailure(db, job, message, retryAt);
      if (givingUp) {
        logger.error('job failed for good', { jobId: job.id, kind: job.kind, attempts: job.attempts, error: message });
      } else {
        logger.warn('job failed; will retry', {
          jobId: job.id,
          kind: job.kind,
          attempt: job.attempts,
          retryAt: retryAt?.toISOString(),
          error: message,
        });
      }
    }
  }

  function launch(job: ClaimedJob): Promise<void> {
    const running = runOne(job)
      .catch((error: unknown) => {
        // Only the bookkeeping statements get here (the database went away): the lease runs out.
        logger.error('job bookkeeping failed', { jobId: job.id, kind: job.kind, error: String(error) });
      })
      .finally(() => {
        inFlight.delete(running);
        if (started && !stopped) void pump();
      });
    inFlight.add(running);
    return running;
  }

  function pump(): Promise<void> {
    if (stopped || !started) return Promise.resolve();
    if (pumping) {
      pumpAgain = true;
      return pumping;
    }
    clearTimeout(pollTimer);
    pumping = claimLoop().finally(() => {
      pumping = undefined;
      if (stopped) return;
      // A wake-up that came after the loop's last look would otherwise wait for the poll.
      if (pumpAgain) void pump();
      else {
        pollTimer = setTimeout(() => void pump(), options.pollMs);
        pollTimer.unref();
      }
    });
    return pumping;
  }

  async function claimLoop(): Promise<void> {
    try {
      do {
        pumpAgain = false;
        while (!stopped && inFlight.size < options.concurrency) {
          const jobs = await claim(options.concurrency - inFlight.size, now());
          if (stopped) {
            for (const job of jobs) await releaseJob(db, job).catch(() => {});
            break;
          }
          for (const job of jobs) launch(job);
          if (jobs.length === 0) break;
        }
      } while (pumpAgain && !stopped);
    } catch (error) {
      if (!stopped) logger.warn('claiming jobs failed; will retry', { error: String(error) });
    }
  }

  function wake(): void {
    if (!started || stopped) return;
    for (const delay of [0, WAKE_RETRY_MS]) {
      const timer = setTimeout(() => {
        wakeTimers.delete(timer);
        void pump();
      }, delay);
      timer.unref();
      wakeTimers.add(timer);
    }
  }

  const runner: JobRunner = {
    start() {
      if (started || stopped) return;
      started = true;
      unsubscribe = onJobDue(wake);
      void pump();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe?.();
      clearTimeout(pollTimer);
      for (const timer of wakeTimers) clearTimeout(timer);
      abort.abort();
      // A claim in progress gives back what it took (see claimLoop) before the database closes.
      await pumping;
      if (inFlight.size === 0) return;
      let grace: NodeJS.Timeout | undefined;
      const abandoned = new Promise<'abandoned'>((resolve) => {
        grace = setTimeout(() => resolve('abandoned'), options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
      });
      const outcome = await Promise.race([Promise.allSettled([...inFlight]), abandoned]);
      clearTimeout(grace);
      if (outcome === 'abandoned') {
        // Their leases run out and another instance (or the next start) runs them again.
        logger.warn('jobs still running at shutdown were abandoned', { count: inFlight.size });
      }
    },
    async runDue() {
      let runs = 0;
      // Each pass takes what is due by then, so jobs that runs schedule for now run too. It ends
      // because a failed run moves its job at least one backoff step into the future.
      for (;;) {
        const jobs = stopped ? [] : await claim(options.concurrency, now());
        if (jobs.length === 0) break;
        runs += jobs.length;
        await Promise.all(jobs.map(launch));
      }
      // Runs the background loop had already claimed finish too, so the caller sees every outcome.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      return runs;
    },
  };
  // The first runner made for these services is buildApp's: runDueJobs uses that one.
  if (!runners.has(services)) runners.set(services, runner);
  return runner;
}
