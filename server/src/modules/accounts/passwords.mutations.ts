import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { builder } from '../../schema/builder.js';
import { IncorrectPasswordError } from './accounts.errors.js';
import { emailInput, linkTokenInput, passwordAttemptInput, passwordInput } from './accounts.inputs.js';
import { changePassword, requestPasswordReset, resetPassword } from './passwords.service.js';
import { clearedSessionCookie } from './sessions.js';
import { ViewerRef } from './viewer.type.js';

const RequestPasswordResetInput = builder.inputType('RequestPasswordResetInput', {
  fields: (t) => ({ email: t.string().validate(emailInput) }),
});

const ResetPasswordInput = builder.inputType('ResetPasswordInput', {
  fields: (t) => ({
    token: t.string({ description: 'The token from the emailed link.' }).validate(linkTokenInput),
    password: t.string({ description: 'The new password.' }).validate(passwordInput),
  }),
});

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({
    currentPassword: t.string().validate(passwordAttemptInput),
    newPassword: t.string().validate(passwordInput),
  }),
});

const PasswordResetRequested = builder.objectRef<{ email: string }>('PasswordResetRequested').implement({
  description:
    'The answer to every valid request, whether or not the address has an account. A member gets an email ' +
    'with a link that works once, for an hour.',
  fields: (t) => ({ email: t.exposeString('email') }),
});

const PasswordResetPayload = builder.objectRef<{ reset: true }>('PasswordResetPayload').implement({
  description: 'The new password is set and every session of the account has ended: sign in with it.',
  fields: (t) => ({ signedOut: t.boolean({ resolve: () => true }) }),
});

const ChangePasswordPayload = builder
  .objectRef<{ userId: string; signedOutSessions: number }>('ChangePasswordPayload')
  .implement({
    fields: (t) => ({
      signedOutSessions: t.exposeInt('signedOutSessions', {
        description: 'How many other devices were signed out (this one stays signed in).',
      }),
      viewer: t.prismaField({
        type: ViewerRef,
        resolve: (query, payload, _args, ctx) =>
          ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.userId } }),
      }),
    }),
  });

builder.mutationFields((t) => ({
  requestPasswordReset: t.field({
    type: PasswordResetRequested,
    description: 'Emails a password-reset link to the address if it has an account. Answers alike either way.',
    skipTypeScopes: true,
    args: { input: t.arg({ type: RequestPasswordResetInput }) },
    errors: { types: [ValidationError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => {
      await requestPasswordReset(ctx, input);
      return { email: input.email };
    },
  }),
  resetPassword: t.field({
    type: PasswordResetPayload,
    description: 'Sets a new password with the token from a reset email; every session of the account ends.',
    skipTypeScopes: true,
    args: { input: t.arg({ type: ResetPasswordInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => {
      await resetPassword(ctx, input);
      // This browser's session (if any) ended with the rest: drop its cookie too.
      ctx.responseCookies.push(clearedSessionCookie(ctx.env.PUBLIC_ORIGIN.startsWith('https:')));
      return { reset: true as const };
    },
  }),
  changePassword: t.field({
    type: ChangePasswordPayload,
    description: 'Sets a new password (the current one is required). Every other session ends; this one stays.',
    args: { input: t.arg({ type: ChangePasswordInput }) },
    errors: { types: [ValidationError, IncorrectPasswordError, RateLimitedError] },
    resolve: (_root, { input }, ctx) => changePassword(ctx, input),
  }),
}));
