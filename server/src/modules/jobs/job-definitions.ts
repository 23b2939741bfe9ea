import type { z } from 'zod';
import type { AppServices } from '../../context.js';
import type { DbClient } from '../../db.js';
import type { Logger } from '../../logger.js';

// The registry of job kinds. Each module that owns a kind of work defines it once, at import time,
// with defineJob(); the runner looks handlers up here by kind (no central switch).

export type JobMode = 'transaction' | 'outside';

export interface JobRunContext {
  /** 'transaction': the transaction that also deletes the job (commit = done). 'outside': the plain client. */
  db: DbClient;
  services: AppServices;
  /** The server clock when this run started. */
  now: Date;
  /** 1 for the first run; a run cut short by a crash counts. */
  attempt: number;
  logger: Logger;
  /** Aborted when the instance shuts down: a long handler may stop early (the job runs again later). */
  signal: AbortSignal;
}

export interface JobBackoff {
  /** Delay after the first failure; doubles with each further one. */
  baseMs: number;
  /** The doubling stops here (the jitter still adds up to 25 %). */
  maxMs: number;
}

export interface JobOptions<P> {
  payload: z.ZodType<P>;
  /**
   * 'transaction' (default): for work that only writes to the database; it commits or rolls back
   * together with marking the job done, so it takes effect exactly once.
   * 'outside': for external effects (SMTP); runs outside any transaction, then the job is marked
   * done. A crash between the effect and the marking runs it again: the handler must be idempotent.
   */
  mode?: JobMode;
  /** Runs before the job is given up (state FAILED). Default 5. */
  maxAttempts?: number;
  /** How long one run may take before another instance may take the job over. Default JOBS_LEASE_MS. */
  leaseMs?: number;
  backoff?: Partial<JobBackoff>;
  run(payload: P, ctx: JobRunContext): Promise<void>;
}

export interface JobDefinition<P> {
  readonly kind: string;
  readonly payload: z.ZodType<P>;
  readonly mode: JobMode;
  readonly maxAttempts: number;
  readonly leaseMs: number | undefined;
  readonly backoff: JobBackoff;
  run(payload: P, ctx: JobRunContext): Promise<void>;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF: JobBackoff = { baseMs: 5_000, maxMs: 60 * 60 * 1000 };

const KIND = /^[a-z][\w.:-]{0,99}$/i;

// Any payload type fits: `run` is declared as a method, and the runner parses each payload with the
// kind's own schema before it calls it.
type AnyJobDefinition = JobDefinition<unknown>;
const registry = new Map<string, AnyJobDefinition>();

/** Registers a kind of job. `kind` is namespaced by its module, e.g. "email.deliver". */
export function defineJob<P>(kind: string, options: JobOptions<P>): JobDefinition<P> {
  if (!KIND.test(kind)) throw new Error(`job kind "${kind}" must be a name like "email.deliver"`);
  if (registry.has(kind)) throw new Error(`job kind "${kind}" is defined twice`);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`${kind}: maxAttempts must be ≥ 1`);
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  // A zero delay would make a failing job due again at once, over and over.
  if (!(backoff.baseMs >= 1 && backoff.maxMs >= backoff.baseMs)) {
    throw new Error(`${kind}: backoff needs baseMs ≥ 1 and maxMs ≥ baseMs`);
  }
  const definition: JobDefinition<P> = {
    kind,
    payload: options.payload,
    mode: options.mode ?? 'transaction',
    maxAttempts,
    leaseMs: options.leaseMs,
    backoff,
    run: options.run,
  };
  registry.set(kind, definition);
  return definition;
}

export function jobDefinition(kind: string): AnyJobDefinition | undefined {
  return registry.get(kind);
}

export function registeredJobKinds(): string[] {
  return [...registry.keys()];
}

/**
 * The delay before run `attempt + 1` after `attempt` failed: base · 2^(attempt−1), capped, plus up
 * to 25 % jitter so instances that failed together do not retry together. The jitter stays below
 * the doubling, so each delay is longer than the one before (until the cap).
 */
export function backoffDelayMs(backoff: JobBackoff, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 + 0.25 * random()));
}
