import path from 'node:path';
import { z } from 'zod';

// The only reader of process.env. Every variable is described here and in the README.

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce.number().int().positive();

const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url().transform((url) => new URL(url).origin)));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Port for HTTP, WebSocket and the web app. 0 picks a free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where the embedded database (PGlite) keeps its files. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** postgres://… switches from the embedded database to PostgreSQL. */
  DATABASE_URL: z
    .url()
    .refine((url) => /^postgres(ql)?:\/\//.test(url), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** redis://… switches pub/sub from in-process to Redis (needed for several instances). */
  REDIS_URL: z
    .url()
    .refine((url) => /^rediss?:\/\//.test(url), 'must be a redis:// or rediss:// URL')
    .optional(),
  /** The address people use to reach Guildhall; decides cookie Secure and the allowed Origin. */
  PUBLIC_ORIGIN: z.url().optional(),
  /** Extra origins allowed to open WebSockets and send credentials, comma-separated. */
  ALLOWED_ORIGINS: originList.default([]),
  /** Sessions expire after this many days without use (sliding). */
  SESSION_TTL_DAYS: positiveInt.max(365).default(30),
  /** Honour X-Forwarded-For for the client address (only behind a proxy you control). */
  TRUST_PROXY: booleanFlag.default(false),
  /** auto: seed demo data on the first start of the embedded database; always; never. */
  SEED_DEMO: z.enum(['auto', 'always', 'never']).default('auto'),
  /** The built web app served at `/`. */
  WEB_DIST: z.string().min(1).optional(),
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465. Unset: email stays in the outbox and is logged. */
  SMTP_URL: z
    .url()
    .refine((url) => /^smtps?:\/\//.test(url), 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The From of every email: an address, or `Name <address>`. Default: Guildhall <no-reply@PUBLIC_ORIGIN's host>. */
  EMAIL_FROM: z
    .string()
    .trim()
    .max(200)
    .regex(/^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'must be an address or "Name <address>"')
    .optional(),
  /** Signs unsubscribe links (≥ 32 characters). Unset: a secret generated once and kept in the database. */
  EMAIL_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The instance's admins: members with these addresses (comma-separated) review reports not about a group channel. */
  ADMIN_EMAILS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.email()))
    .default([]),
  SIGN_IN_MAX_PER_ACCOUNT: positiveInt.default(10),
  SIGN_IN_MAX_PER_ADDRESS: positiveInt.default(50),
  SIGN_UP_MAX_PER_ADDRESS: positiveInt.default(20),
  /** Password-reset requests per client address per hour (each address is also emailed at most 3 links an hour). */
  PASSWORD_RESET_MAX_PER_ADDRESS: positiveInt.default(10),
  /** Chat messages one member may send per minute (all conversations together). */
  CHAT_SEND_MAX_PER_MINUTE: positiveInt.default(60),
  /** Chat reactions, edits and deletes one member may make per minute. */
  CHAT_ACTIONS_MAX_PER_MINUTE: positiveInt.default(120),
  /** Mutations one member may make per minute, all together (chat's sends and reactions count only above). */
  MUTATIONS_MAX_PER_MINUTE: positiveInt.default(300),
  /** Invites (to a member or as a link) one member may create per hour. */
  INVITES_MAX_PER_HOUR: positiveInt.default(100),
  /** Requests to join a group one member may send per hour. */
  JOIN_REQUESTS_MAX_PER_HOUR: positiveInt.default(20),
  /** Events one member may create per hour. */
  EVENTS_CREATED_MAX_PER_HOUR: positiveInt.default(30),
  /** Groups (and chapters) one member may create per hour. */
  GROUPS_CREATED_MAX_PER_HOUR: positiveInt.default(10),
  /** Mentorship requests one mentee may have waiting for an answer at once. */
  MENTORSHIP_MAX_PENDING_REQUESTS: positiveInt.default(3),
  /** Days a mentorship request waits for an answer before it expires (and the mentee is told). */
  MENTORSHIP_REQUEST_TTL_DAYS: positiveInt.default(14),
  /** Days each step of an introduction waits (the broker's answer, then the target's) before it expires. */
  INTRODUCTIONS_STEP_DAYS: positiveInt.default(7),
  /** Introduction requests one member may have waiting (asked or forwarded) at once. */
  INTRODUCTIONS_MAX_PENDING: positiveInt.default(5),
  /** Days after a declined introduction before the requester may ask again about the same person. */
  INTRODUCTIONS_COOLDOWN_DAYS: positiveInt.default(30),
  /** Introduction requests one broker may receive in 7 days; more are refused (BROKER_BUSY). */
  INTRODUCTIONS_BROKER_WEEKLY_MAX: positiveInt.default(10),
  /** Days after an accepted introduction when the requester and the target are asked "did you connect?". */
  INTRODUCTIONS_FOLLOW_UP_DAYS: positiveInt.default(14),
  /** Minutes a member offered a freed office-hours seat from the waitlist has to confirm it (never past the slot's start minus its minimum notice). */
  OFFICE_HOURS_OFFER_MINUTES: positiveInt.default(120),
  /** Milliseconds between WebSocket pings; a socket that misses one is dropped (2× this after it went silent). */
  WS_KEEPALIVE_MS: positiveInt.default(15_000),
  /** Operations (live subscriptions, and queries while they run) one WebSocket may have at once; more get TOO_MANY_OPERATIONS. */
  WS_MAX_OPERATIONS_PER_SOCKET: positiveInt.default(100),
  /** WebSockets one member may have open at once (on all instances, with Redis); more are closed with 4429. */
  WS_MAX_SOCKETS_PER_MEMBER: positiveInt.default(20),
  /** Milliseconds a WebSocket may stay open without sending connection_init. */
  WS_INIT_TIMEOUT_MS: positiveInt.default(5_000),
  /** Milliseconds a shutdown waits for requests, sockets and jobs to finish before it cuts them. */
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** false: this instance runs no scheduled jobs (others sharing the database still do). */
  JOBS_ENABLED: booleanFlag.default(true),
  /** Milliseconds between looks for due jobs (a job due now that this instance schedules starts at once). */
  JOBS_POLL_MS: positiveInt.default(1_000),
  /** Milliseconds one run may hold a job before another instance may take it over (a kind may set its own). */
  JOBS_LEASE_MS: positiveInt.default(60_000),
  /** Jobs this instance runs at once. */
  JOBS_CONCURRENCY: positiveInt.max(64).default(4),
  /** Tests only (NODE_ENV=test): a file holding the server clock's offset in ms (see lib/clock.ts). */
  CLOCK_OFFSET_FILE: z.string().min(1).optional(),
});

export type Env = Omit<z.output<typeof envSchema>, 'PUBLIC_ORIGIN' | 'WEB_DIST'> & {
  PUBLIC_ORIGIN: string;
  WEB_DIST: string;
  /** Every origin allowed to talk to us from a browser. */
  allowedOrigins: ReadonlySet<string>;
  isProduction: boolean;
};

export class EnvError extends Error {
  override name = 'EnvError';
}

// Relative paths are taken from the repository root, like prisma.config.ts does, so the CLI
// and the server always agree on where the embedded database lives.
const repoRoot = path.resolve(import.meta.dirname, '../..');
const defaultWebDist = path.join(repoRoot, 'web/dist');

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings count as unset, so `FOO= pnpm start` behaves like leaving FOO out.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  if (env.CLOCK_OFFSET_FILE && env.NODE_ENV !== 'test') {
    throw new EnvError('Invalid configuration:\n  CLOCK_OFFSET_FILE: only allowed with NODE_ENV=test');
  }
  const publicOrigin = new URL(env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT || 4000}`).origin;
  return {
    ...env,
    DATA_DIR: path.resolve(repoRoot, env.DATA_DIR),
    PUBLIC_ORIGIN: publicOrigin,
    WEB_DIST: path.resolve(repoRoot, env.WEB_DIST ?? defaultWebDist),
    allowedOrigins: new Set([publicOrigin, ...env.ALLOWED_ORIGINS]),
    isProduction: env.NODE_ENV === 'production',
  };
}
