import { createHash, randomBytes } from 'node:crypto';
import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { now } from '../../lib/clock.js';
import { ConflictError, NotFoundError, RateLimitedError } from '../../lib/errors.js';
import { hitRateLimit, hitRateLimits } from '../../lib/rate-limit.js';
import { ACCOUNT_PAGES, accountMailers, pageLink } from './account-mail.js';
import { IncorrectPasswordError } from './accounts.errors.js';
import { accountRateLimits, isSuspended, type SignedIn, sessionTtlMs } from './accounts.service.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { createSession } from './sessions.js';

// Sign-up in two steps, so that it tells nobody whether an address has an account.
//
// Step 1 (signUp) answers every valid request with the same SignUpStarted: same shape, status, no
// cookie, and about the same time (one argon2 hash and one queued email on either path). What
// differs goes only to the inbox: a new address gets a link that finishes the sign-up; an address
// with an account gets a notice ("someone tried to sign up with your address: sign in, or reset
// your password"). No account exists before the link is followed, so a later sign-in with the
// password given at sign-up fails alike for both (instant sign-in would reveal which was new).
//
// Step 2 (completeSignUp) needs the emailed token and the password chosen in step 1. The token
// proves the inbox; the password proves it is the person who signed up, so someone who signs up
// with another person's address cannot have them confirm an account whose password the intruder
// knows. The account is created with its address verified, and signed in.

const TOKEN_BYTES = 32; // 256 bits
export const SIGN_UP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** Expired pending sign-ups hold password hashes: they are deleted a week after expiry. */
const KEEP_EXPIRED_MS = 7 * 24 * 60 * 60 * 1000;

export function hashSignUpToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(token).digest());
}

export async function startSignUp(
  ctx: Context,
  input: { email: string; password: string; name: string; next?: string | null; timeZone?: string | null },
): Promise<{ email: string }> {
  const limits = accountRateLimits(ctx);
  const verdict = await hitRateLimit(ctx.db, limits.signUpAddress, ctx.clientAddress);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);

  // Both paths hash: the time of the answer must not tell a new address from a taken one.
  const passwordHash = await hashPassword(input.password);
  const mail = await hitRateLimit(ctx.db, limits.signUpMail, input.email);
  const mailers = accountMailers();
  const origin = ctx.env.PUBLIC_ORIGIN;

  await ctx.db.$transaction(async (tx) => {
    const at = now();
    await tx.pendingSignUp.deleteMany({ where: { expiresAt: { lt: new Date(at.getTime() - KEEP_EXPIRED_MS) } } });
    const existing = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (!mail.allowed) return;
    if (existing) {
      await mailers.signUpAttempt({
        tx,
        userId: existing.id,
        signInLink: pageLink(origin, ACCOUNT_PAGES.signIn),
        resetLink: pageLink(origin, ACCOUNT_PAGES.forgotPassword),
      });
      return;
    }
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const expiresAt = new Date(at.getTime() + SIGN_UP_LINK_TTL_MS);
    await tx.pendingSignUp.create({
      data: {
        email: input.email,
        name: input.name,
        passwordHash,
        timeZone: input.timeZone ?? null,
        tokenHash: hashSignUpToken(token),
        expiresAt,
      },
    });
    const params: Record<string, string> = { token };
    if (input.next) params.next = input.next;
    await mailers.signUpLink({
      tx,
      toAddress: input.email,
      link: pageLink(origin, ACCOUNT_PAGES.confirmSignUp, params),
      expiresAt,
    });
  });
  return { email: input.email };
}

/** Creates the account of a finished sign-up (also what tests use to make members directly). */
export async function createAccount(
  db: DbClient,
  input: { email: string; name: string; passwordHash: string; emailVerifiedAt: Date | null; timeZone?: string | null },
): Promise<{ id: string }> {
  const { email, name, passwordHash, emailVerifiedAt } = input;
  // No zone given: the column's default (UTC).
  const timeZone = input.timeZone ?? undefined;
  return db.user.create({ data: { email, name, passwordHash, emailVerifiedAt, timeZone }, select: { id: true } });
}

/** Finishes a sign-up from its emailed token and the password chosen: creates the account and signs in. */
export async function completeSignUp(ctx: Context, input: { token: string; password: string }): Promise<SignedIn> {
  const limits = accountRateLimits(ctx);
  const byAddress = await hitRateLimit(ctx.db, limits.signInAddress, ctx.clientAddress);
  if (!byAddress.allowed) throw new RateLimitedError(byAddress.retryAfterSeconds);

  const pending = await ctx.db.pendingSignUp.findUnique({ where: { tokenHash: hashSignUpToken(input.token) } });
  // Used (the row is gone once the account exists) looks like never issued.
  if (!pending) throw new NotFoundError('That sign-up link');
  if (pending.expiresAt <= now()) {
    throw new ConflictError('TOKEN_EXPIRED', 'This sign-up link has expired. Sign up again for a new one.');
  }
  // Guessing the password here counts like guessing it at sign-in.
  const byAccount = await hitRateLimits(ctx.db, [{ rule: limits.signInAccount, subject: pending.email }]);
  if (!byAccount.allowed) throw new RateLimitedError(byAccount.retryAfterSeconds);
  if (!(await verifyPassword(pending.passwordHash, input.password))) throw new IncorrectPasswordError('password');

  try {
    return await ctx.db.$transaction(async (tx) => {
      // Claims the link: of two concurrent completions, one finds nothing to delete.
      const claimed = await tx.pendingSignUp.deleteMany({ where: { id: pending.id } });
      if (claimed.count === 0) throw new NotFoundError('That sign-up link');
      // The address belongs to a suspended member: the answer of a wrong password, as at sign-in.
      const existing = await tx.user.findUnique({ where: { email: pending.email }, select: { suspendedAt: true } });
      if (existing && isSuspended(existing)) throw new IncorrectPasswordError('password');
      const user = await createAccount(tx, {
        email: pending.email,
        name: pending.name,
        passwordHash: pending.passwordHash,
        // The zone the browser gave at sign-up (validated then), so times show in it from the start.
        timeZone: pending.timeZone,
        // The link reached this inbox: the address is proven.
        emailVerifiedAt: now(),
      });
      // Other links to the same address could only fail now; their password hashes go too.
      await tx.pendingSignUp.deleteMany({ where: { email: pending.email } });
      const session = await createSession(tx, {
        userId: user.id,
        ttlMs: sessionTtlMs(ctx.env),
        userAgent: ctx.userAgent,
      });
      return { token: session.token, expiresAt: session.expiresAt, userId: user.id };
    });
  } catch (error) {
    // The address got an account meanwhile (another link of it). Only the inbox's owner holds this link.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new ConflictError('ACCOUNT_EXISTS', 'This address already has an account. Sign in instead.');
    }
    throw error;
  }
}
