import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { now } from '../../lib/clock.js';
import { ConflictError, NotFoundError, RateLimitedError } from '../../lib/errors.js';
import { hitRateLimit, hitRateLimits } from '../../lib/rate-limit.js';
import { defineJob, scheduleJob } from '../jobs/index.js';
import { ACCOUNT_PAGES, accountMailers, pageLink } from './account-mail.js';
import { IncorrectPasswordError } from './accounts.errors.js';
import { accountRateLimits, publishRevokedSessions, revokeSessionsOf } from './accounts.service.js';
import { hashPassword, verifyPassword } from './passwords.js';

// Changing a password (the current one required; every other session ends, this one stays) and
// resetting a lost one by email (a single-use link that works for an hour; only the SHA-256 of its
// token is stored; setting the new password ends every session).
//
// A reset request answers the same whether or not the address has an account, and does the same
// work for both: it only schedules a job, which looks the address up and, for a member, stores the
// token and queues the email. So neither the answer nor its time tells the two apart.

const TOKEN_BYTES = 32; // 256 bits
export const RESET_LINK_TTL_MS = 60 * 60 * 1000;

export function hashResetToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(token).digest());
}

const resetRequestJob = defineJob('accounts.password-reset', {
  payload: z.object({ email: z.string() }),
  // Token and email commit together with the job's completion, exactly once.
  mode: 'transaction',
  run: async ({ email }, { db, services }) => {
    const limits = accountRateLimits(services);
    // Counted in this transaction (a plain query would wait behind it on PGlite).
    if (!(await hitRateLimit(db, limits.passwordResetMail, email)).allowed) return;
    const user = await db.user.findUnique({ where: { email }, select: { id: true } });
    if (!user) return;
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const expiresAt = new Date(now().getTime() + RESET_LINK_TTL_MS);
    await db.passwordReset.create({ data: { userId: user.id, email, tokenHash: hashResetToken(token), expiresAt } });
    await accountMailers().passwordReset({
      tx: db,
      userId: user.id,
      link: pageLink(services.env.PUBLIC_ORIGIN, ACCOUNT_PAGES.resetPassword, { token }),
      expiresAt,
    });
  },
});

export async function requestPasswordReset(ctx: Context, input: { email: string }): Promise<void> {
  const verdict = await hitRateLimit(ctx.db, accountRateLimits(ctx).passwordResetAddress, ctx.clientAddress);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
  await scheduleJob(ctx.db, resetRequestJob, { email: input.email });
}

/** Sets a new password from an emailed reset token; every session of the member ends. */
export async function resetPassword(ctx: Context, input: { token: string; password: string }): Promise<void> {
  const verdict = await hitRateLimit(ctx.db, accountRateLimits(ctx).signInAddress, ctx.clientAddress);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
  // Hashed before the transaction: argon2 takes a while, and PGlite runs one transaction at a time.
  const passwordHash = await hashPassword(input.password);

  const revoked = await ctx.db.$transaction(async (tx) => {
    const reset = await tx.passwordReset.findUnique({ where: { tokenHash: hashResetToken(input.token) } });
    if (!reset) throw new NotFoundError('That reset link');
    if (reset.usedAt) throw new ConflictError('TOKEN_USED', 'This reset link was already used. Ask for a new one.');
    if (reset.expiresAt <= now())
      throw new ConflictError('TOKEN_EXPIRED', 'This reset link has expired. Ask for a new one.');
    const user = await tx.user.findUnique({
      where: { id: reset.userId },
      select: { email: true, emailVerifiedAt: true },
    });
    if (!user) throw new NotFoundError('That reset link');
    if (user.email !== reset.email) {
      throw new ConflictError('EMAIL_CHANGED', 'This link was sent to an address the account no longer uses.');
    }
    // Single use: of two concurrent resets with one token, one claims it.
    const claimed = await tx.passwordReset.updateMany({
      where: { id: reset.id, usedAt: null },
      data: { usedAt: now() },
    });
    if (claimed.count === 0)
      throw new ConflictError('TOKEN_USED', 'This reset link was already used. Ask for a new one.');
    await tx.user.update({
      where: { id: reset.userId },
      // The link reached this inbox, so the address is proven too.
      data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now() },
    });
    await tx.passwordReset.updateMany({ where: { userId: reset.userId, usedAt: null }, data: { usedAt: now() } });
    const sessionIds = await revokeSessionsOf(tx, reset.userId);
    await accountMailers().passwordChanged({
      tx,
      userId: reset.userId,
      resetLink: pageLink(ctx.env.PUBLIC_ORIGIN, ACCOUNT_PAGES.forgotPassword),
    });
    return { userId: reset.userId, sessionIds };
  });
  await publishRevokedSessions(ctx, revoked.userId, revoked.sessionIds);
}

/** The signed-in member sets a new password; every other session ends, the current one stays. */
export async function changePassword(
  ctx: Context,
  input: { currentPassword: string; newPassword: string },
): Promise<{ userId: string; signedOutSessions: number }> {
  const viewer = ctx.viewer!;
  const user = await ctx.db.user.findUniqueOrThrow({
    where: { id: viewer.id },
    select: { email: true, passwordHash: true },
  });
  // Someone at an unlocked screen guessing the password counts like guessing it at sign-in.
  const verdict = await hitRateLimits(ctx.db, [{ rule: accountRateLimits(ctx).signInAccount, subject: user.email }]);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new IncorrectPasswordError('currentPassword');
  }
  const passwordHash = await hashPassword(input.newPassword);

  const revoked = await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: viewer.id }, data: { passwordHash } });
    // A reset link sent before the change must not undo it.
    await tx.passwordReset.updateMany({ where: { userId: viewer.id, usedAt: null }, data: { usedAt: now() } });
    const sessionIds = await revokeSessionsOf(tx, viewer.id, viewer.sessionId);
    await accountMailers().passwordChanged({
      tx,
      userId: viewer.id,
      resetLink: pageLink(ctx.env.PUBLIC_ORIGIN, ACCOUNT_PAGES.forgotPassword),
    });
    return sessionIds;
  });
  await publishRevokedSessions(ctx, viewer.id, revoked);
  return { userId: viewer.id, signedOutSessions: revoked.length };
}
