import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import { now } from '../../lib/clock.js';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { hitRateLimit } from '../../lib/rate-limit.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from './viewer.type.js';

// Proving an email address: a random token goes out in a link (through the EmailOutbox); only
// its SHA-256 is stored. PROGRAM groups with an allowedEmailDomain admit only verified addresses.
//
// The email itself is written by the email module, which sits above this one (it renders
// notifications, and notifications read accounts): it registers itself with setVerificationMailer
// when it is imported, so accounts imports no email code. Times come from the server clock.

const TOKEN_BYTES = 32; // 256 bits
const TOKEN_TTL_MS = 48 * 60 * 60 * 1000;
const REQUESTS_PER_HOUR = 5;

export function hashVerificationToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(token).digest());
}

export interface VerificationMail {
  /** The transaction that stores the token: the email is queued in it, so both commit or neither does. */
  tx: DbClient;
  userId: string;
  /** The absolute link to the web app's /verify-email page, token included. */
  link: string;
  expiresAt: Date;
}

type VerificationMailer = (mail: VerificationMail) => Promise<void>;
let mailer: VerificationMailer | null = null;

/** The email module hands in how a verification email is queued (once, at import time). */
export function setVerificationMailer(send: VerificationMailer): void {
  mailer = send;
}

/** Stores a token and queues its email in `db` (a transaction); returns the token (for tests and the seed only). */
export async function requestEmailVerification(
  db: DbClient,
  input: { userId: string; publicOrigin: string },
): Promise<{ token: string; alreadyVerified: boolean }> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: input.userId },
    select: { email: true, emailVerifiedAt: true },
  });
  if (user.emailVerifiedAt) return { token: '', alreadyVerified: true };
  // A token nobody can receive is useless: refuse before storing one.
  if (!mailer) throw new Error('no verification mailer: the email module was not loaded');
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const expiresAt = new Date(now().getTime() + TOKEN_TTL_MS);
  await db.emailVerification.create({
    data: { userId: input.userId, email: user.email, tokenHash: hashVerificationToken(token), expiresAt },
  });
  const link = new URL('/verify-email', input.publicOrigin);
  link.searchParams.set('token', token);
  await mailer({ tx: db, userId: input.userId, link: link.toString(), expiresAt });
  return { token, alreadyVerified: false };
}

/** Marks the viewer's email verified when the token is theirs, unused, unexpired and for their current address. */
export async function verifyEmail(db: DbClient, input: { userId: string; token: string }): Promise<void> {
  const row = await db.emailVerification.findUnique({
    where: { tokenHash: hashVerificationToken(input.token) },
    select: { id: true, userId: true, email: true, expiresAt: true, usedAt: true },
  });
  // Someone else's token looks exactly like a wrong one.
  if (!row || row.userId !== input.userId) throw new NotFoundError('That verification link');
  const user = await db.user.findUniqueOrThrow({
    where: { id: input.userId },
    select: { email: true, emailVerifiedAt: true },
  });
  if (row.usedAt || user.emailVerifiedAt) {
    if (user.emailVerifiedAt) return;
    throw new ConflictError('TOKEN_USED', 'This verification link was already used.');
  }
  if (row.expiresAt <= now())
    throw new ConflictError('TOKEN_EXPIRED', 'This verification link has expired. Ask for a new one.');
  if (row.email !== user.email)
    throw new ConflictError('EMAIL_CHANGED', 'This link was sent to an address you no longer use.');
  const claimed = await db.emailVerification.updateMany({
    where: { id: row.id, usedAt: null },
    data: { usedAt: now() },
  });
  if (claimed.count === 0) return;
  await db.user.update({ where: { id: input.userId }, data: { emailVerifiedAt: now() } });
}

builder.prismaObjectField(ViewerRef, 'emailVerifiedAt', (t) =>
  t.expose('emailVerifiedAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When you confirmed your email address; null until then. Some PROGRAM groups require it.',
  }),
);

const RequestEmailVerificationPayload = builder
  .objectRef<{ sent: boolean }>('RequestEmailVerificationPayload')
  .implement({
    fields: (t) => ({
      sent: t.exposeBoolean('sent', { description: 'False when the address is already verified.' }),
    }),
  });

const VerifyEmailInput = builder.inputType('VerifyEmailInput', {
  fields: (t) => ({
    token: t
      .string()
      .validate(z.string().trim().min(1, 'Paste the token from the link.').max(200, 'That token is too long.')),
  }),
});

const VerifyEmailPayload = builder.objectRef<{ userId: string }>('VerifyEmailPayload').implement({
  fields: (t) => ({
    viewer: t.prismaField({
      type: ViewerRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.userId } }),
    }),
  }),
});

builder.mutationFields((t) => ({
  requestEmailVerification: t.field({
    type: RequestEmailVerificationPayload,
    description: 'Emails you a link that confirms your address.',
    errors: { types: [RateLimitedError] },
    resolve: async (_root, _args, ctx: Context) => {
      const viewerId = ctx.viewer!.id;
      const verdict = await hitRateLimit(
        ctx.db,
        { name: 'email-verification', limit: REQUESTS_PER_HOUR, windowMs: 3_600_000 },
        viewerId,
      );
      if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
      const result = await ctx.db.$transaction((tx) =>
        requestEmailVerification(tx, { userId: viewerId, publicOrigin: ctx.env.PUBLIC_ORIGIN }),
      );
      return { sent: !result.alreadyVerified };
    },
  }),
  verifyEmail: t.field({
    type: VerifyEmailPayload,
    args: { input: t.arg({ type: VerifyEmailInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const userId = ctx.viewer!.id;
      await ctx.db.$transaction((tx) => verifyEmail(tx, { userId, token: input.token }));
      return { userId };
    },
  }),
}));
