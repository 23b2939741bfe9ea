import { RateLimitedError } from '../../lib/errors.js';
import { hitRateLimits, type RateLimitRule } from '../../lib/rate-limit.js';
import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import { InvalidCredentialsError } from './accounts.errors.js';
import { verifyPassword } from './passwords.js';
import { createSession, revokeSession } from './sessions.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const ONE_HOUR = 60 * 60 * 1000;

export interface SignedIn {
  token: string;
  userId: string;
  expiresAt: Date;
}

export function sessionTtlMs(env: Pick<Context['env'], 'SESSION_TTL_DAYS'>): number {
  return env.SESSION_TTL_DAYS * DAY_MS;
}

export function accountRateLimits(ctx: Pick<Context, 'env'>) {
  return {
    signInAccount: { name: 'sign-in:account', limit: ctx.env.SIGN_IN_MAX_PER_ACCOUNT, windowMs: FIFTEEN_MINUTES },
    signInAddress: { name: 'sign-in:address', limit: ctx.env.SIGN_IN_MAX_PER_ADDRESS, windowMs: FIFTEEN_MINUTES },
    signUpAddress: { name: 'sign-up:address', limit: ctx.env.SIGN_UP_MAX_PER_ADDRESS, windowMs: ONE_HOUR },
    passwordResetAddress: {
      name: 'password-reset:address',
      limit: ctx.env.PASSWORD_RESET_MAX_PER_ADDRESS,
      windowMs: ONE_HOUR,
    },
    // Silent limits per recipient: past them the answer is the same, but nothing more is emailed, so
    // nobody can flood an inbox through sign-up or reset (and a new address counts like a taken one).
    signUpMail: { name: 'sign-up:recipient', limit: 3, windowMs: ONE_HOUR },
    passwordResetMail: { name: 'password-reset:recipient', limit: 3, windowMs: ONE_HOUR },
  } satisfies Record<string, RateLimitRule>;
}

export async function signIn(ctx: Context, input: { email: string; password: string }): Promise<SignedIn> {
  const limits = accountRateLimits(ctx);
  const verdict = await hitRateLimits(ctx.db, [
    { rule: limits.signInAccount, subject: input.email },
    { rule: limits.signInAddress, subject: ctx.clientAddress },
  ]);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);

  const user = await ctx.db.user.findUnique({
    where: { email: input.email },
    select: { id: true, passwordHash: true, suspendedAt: true },
  });
  // Always verify (against a decoy when the email is unknown) so timing tells nothing. A suspended
  // member gets the answer of a wrong password, after the same work: nobody learns of the account.
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid || isSuspended(user)) throw new InvalidCredentialsError();

  const session = await createSession(ctx.db, {
    userId: user.id,
    ttlMs: sessionTtlMs(ctx.env),
    userAgent: ctx.userAgent,
  });
  return { token: session.token, expiresAt: session.expiresAt, userId: user.id };
}

/** Revokes sessions and tells every server instance, so their sockets close at once. */
export async function signOut(ctx: Context, options: { everywhere: boolean }): Promise<void> {
  const viewer = ctx.viewer;
  if (!viewer) return;
  const sessionIds = options.everywhere
    ? (
        await ctx.db.session.findMany({
          where: { userId: viewer.id, revokedAt: null },
          select: { id: true },
        })
      ).map((session) => session.id)
    : [viewer.sessionId];
  await ctx.db.session.updateMany({
    where: { id: { in: sessionIds }, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  await publishRevokedSessions(ctx, viewer.id, sessionIds);
}

/** Signs out one of the viewer's other devices. Someone else's session looks missing. */
export async function revokeOwnSession(ctx: Context, sessionId: string): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  const session = await ctx.db.session.findFirst({
    where: { id: sessionId, userId: viewer.id, revokedAt: null },
    select: { id: true },
  });
  if (!session) return false;
  await revokeSession(ctx.db, session.id);
  await publishRevokedSessions(ctx, viewer.id, [session.id]);
  return true;
}

/**
 * Revokes every live session of a member except `keep`, inside `db` (a transaction). Returns their
 * ids: call publishRevokedSessions with them after commit, so every instance forgets them.
 */
export async function revokeSessionsOf(db: DbClient, userId: string, keep: string | null = null): Promise<string[]> {
  const sessions = await db.session.findMany({
    where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) },
    select: { id: true },
  });
  const ids = sessions.map((session) => session.id);
  if (ids.length > 0) {
    await db.session.updateMany({ where: { id: { in: ids }, revokedAt: null }, data: { revokedAt: new Date() } });
  }
  return ids;
}

/**
 * After commit: every instance forgets the sessions (and every cached session of `userId`: see
 * session-cache.ts) and closes their sockets. Resolves once every instance has been handed the
 * news, so a client told of the revocation finds it in force on any instance.
 */
export async function publishRevokedSessions(
  ctx: Pick<Context, 'pubsub' | 'sessionCache'>,
  userId: string,
  sessionIds: readonly string[],
): Promise<void> {
  ctx.sessionCache.forget(userId, sessionIds);
  ctx.pubsub.publish('sessions:forget', { userId, sessionIds: [...sessionIds] });
  for (const sessionId of sessionIds) {
    ctx.pubsub.publish('session:revoked', sessionId, { sessionId });
    ctx.pubsub.publish('sessions:revoked', { sessionId });
  }
  await ctx.pubsub.flush();
}

/** Suspended by the instance's admins (modules/safety): no session works and no sign-in succeeds. */
export function isSuspended(user: { suspendedAt: Date | null }): boolean {
  return user.suspendedAt !== null;
}

/**
 * Suspends a member (suspendedAt set) or lifts it (null), inside `tx`: modules/safety, in its
 * transaction. Takes the member's row. Suspending revokes every live session: call
 * publishRevokedSessions with the ids returned after commit, so every instance closes their
 * sockets. Suspending a suspended member keeps the first instant. Returns undefined when there is
 * no such member.
 */
export async function setSuspendedInTransaction(
  tx: DbClient,
  userId: string,
  suspendedAt: Date | null,
): Promise<{ before: { suspendedAt: Date | null }; revokedSessionIds: string[] } | undefined> {
  const rows = await tx.$queryRaw<Array<{ suspendedAt: Date | null }>>`
    SELECT "suspendedAt" FROM "User" WHERE "id" = ${userId}::uuid FOR UPDATE`;
  const before = rows[0];
  if (!before) return undefined;
  const next = suspendedAt && (before.suspendedAt ?? suspendedAt);
  await tx.user.update({ where: { id: userId }, data: { suspendedAt: next }, select: { id: true } });
  const revokedSessionIds = next ? await revokeSessionsOf(tx, userId) : [];
  return { before, revokedSessionIds };
}
