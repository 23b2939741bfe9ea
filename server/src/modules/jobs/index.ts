import type { AppServices } from '../../context.js';
import { createJobRunner, jobRunnerOf, type JobRunner } from './jobs.runner.js';

// What the jobs module offers: durable scheduled work that runs once across instances.
//   defineJob(kind, { payload, mode, maxAttempts, run })  — the owning module registers a kind at import time
//   scheduleJob(tx, job, payload, { runAt, key })          — inside the caller's transaction; idempotent by key
//   cancelJob(tx, key)                                     — removes the pending job with that key
// See docs/ARCHITECTURE.md ("jobs") for how a job flows and what the lease means.

export {
  defineJob,
  type JobBackoff,
  type JobDefinition,
  type JobMode,
  type JobOptions,
  type JobRunContext,
} from './job-definitions.js';
export { cancelJob, cancelJobs, pendingJobPayload, scheduleJob, scheduleJobs } from './jobs.store.js';
export { createJobRunner, type JobRunner, type JobRunnerOptions } from './jobs.runner.js';

/** The runner for these services (buildApp's, or a stopped one made from the environment). */
export function jobRunnerFor(services: AppServices): JobRunner {
  return (
    jobRunnerOf(services) ??
    createJobRunner(services, {
      pollMs: services.env.JOBS_POLL_MS,
      leaseMs: services.env.JOBS_LEASE_MS,
      concurrency: services.env.JOBS_CONCURRENCY,
    })
  );
}

/** Runs every job due now (server clock) to its outcome; resolves with the number of runs made. */
export function runDueJobs(services: AppServices): Promise<number> {
  return jobRunnerFor(services).runDue();
}
