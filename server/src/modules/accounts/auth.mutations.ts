import { decodeGlobalID } from '@pothos/plugin-relay';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { builder } from '../../schema/builder.js';
import { IncorrectPasswordError, InvalidCredentialsError } from './accounts.errors.js';
import {
  emailInput,
  linkTokenInput,
  nameInput,
  nextPathInput,
  passwordAttemptInput,
  passwordInput,
  signUpTimeZoneInput,
} from './accounts.inputs.js';
import { revokeOwnSession, sessionTtlMs, signIn, signOut, type SignedIn } from './accounts.service.js';
import { completeSignUp, startSignUp } from './sign-up.js';
import { clearedSessionCookie, sessionCookie } from './sessions.js';
import { ViewerRef } from './viewer.type.js';
import type { Context } from '../../context.js';

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string().validate(emailInput),
    password: t.string().validate(passwordInput),
    name: t.string().validate(nameInput),
    next: t
      .string({
        required: false,
        description: 'A path of the web app to open once the emailed link finished the sign-up.',
      })
      .validate(nextPathInput),
    timeZone: t
      .string({
        required: false,
        description:
          "The browser's IANA time zone, like Europe/Berlin: the new account starts in it (without it, UTC).",
      })
      .validate(signUpTimeZoneInput),
  }),
});

const CompleteSignUpInput = builder.inputType('CompleteSignUpInput', {
  fields: (t) => ({
    token: t.string({ description: 'The token from the emailed link.' }).validate(linkTokenInput),
    password: t.string({ description: 'The password chosen at sign-up.' }).validate(passwordAttemptInput),
  }),
});

const SignInInput = builder.inputType('SignInInput', {
  fields: (t) => ({
    email: t.string().validate(emailInput),
    password: t.string().validate(passwordAttemptInput),
  }),
});

const SignOutInput = builder.inputType('SignOutInput', {
  fields: (t) => ({
    everywhere: t.boolean({
      required: false,
      defaultValue: false,
      description: 'Also sign out every other device.',
    }),
  }),
});

const RevokeSessionInput = builder.inputType('RevokeSessionInput', {
  fields: (t) => ({ sessionId: t.id({ description: 'A Session id from viewer.sessions.' }) }),
});

const AuthPayload = builder.objectRef<SignedIn>('AuthPayload').implement({
  description: 'A new session. Browsers also get it as an HttpOnly cookie; API clients send it as a Bearer token.',
  fields: (t) => ({
    token: t.exposeString('token'),
    viewer: t.prismaField({
      type: ViewerRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.userId } }),
    }),
  }),
});

const SignUpStarted = builder.objectRef<{ email: string }>('SignUpStarted').implement({
  description:
    'The answer to every valid sign-up, whether or not the address already has an account: an email went ' +
    'to the address (a link that finishes the sign-up, or a note that it has an account). No session yet.',
  fields: (t) => ({ email: t.exposeString('email', { description: 'The address, as stored (trimmed, lower-case).' }) }),
});

const SignOutPayload = builder.objectRef<{ signedOut: boolean }>('SignOutPayload').implement({
  fields: (t) => ({ signedOut: t.exposeBoolean('signedOut') }),
});

const RevokeSessionPayload = builder.objectRef<{ sessionId: string }>('RevokeSessionPayload').implement({
  fields: (t) => ({ revokedSessionId: t.exposeID('sessionId') }),
});

function setSessionCookie(ctx: Context, signedIn: SignedIn): SignedIn {
  const secure = ctx.env.PUBLIC_ORIGIN.startsWith('https:');
  ctx.responseCookies.push(sessionCookie(signedIn.token, { maxAgeSeconds: sessionTtlMs(ctx.env) / 1000, secure }));
  return signedIn;
}

builder.mutationFields((t) => ({
  signUp: t.field({
    type: SignUpStarted,
    description:
      'Starts a sign-up: emails a link that finishes it (see SignUpStarted). Answers alike for every address.',
    skipTypeScopes: true,
    args: { input: t.arg({ type: SignUpInput }) },
    errors: { types: [ValidationError, RateLimitedError] },
    resolve: (_root, { input }, ctx) => startSignUp(ctx, input),
  }),
  completeSignUp: t.field({
    type: AuthPayload,
    description: 'Finishes a sign-up with the emailed token and the password chosen: creates the account and signs in.',
    skipTypeScopes: true,
    args: { input: t.arg({ type: CompleteSignUpInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError, IncorrectPasswordError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => setSessionCookie(ctx, await completeSignUp(ctx, input)),
  }),
  signIn: t.field({
    type: AuthPayload,
    skipTypeScopes: true,
    args: { input: t.arg({ type: SignInInput }) },
    errors: { types: [ValidationError, InvalidCredentialsError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => setSessionCookie(ctx, await signIn(ctx, input)),
  }),
  signOut: t.field({
    type: SignOutPayload,
    description: 'Revokes the current session on the server (or every session) and clears the cookie.',
    args: { input: t.arg({ type: SignOutInput, required: false }) },
    resolve: async (_root, { input }, ctx) => {
      await signOut(ctx, { everywhere: input?.everywhere ?? false });
      ctx.responseCookies.push(clearedSessionCookie(ctx.env.PUBLIC_ORIGIN.startsWith('https:')));
      return { signedOut: true };
    },
  }),
  revokeSession: t.field({
    type: RevokeSessionPayload,
    description: 'Signs out one of your devices.',
    args: { input: t.arg({ type: RevokeSessionInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const sessionId = decodeSessionId(String(input.sessionId));
      if (!sessionId || !(await revokeOwnSession(ctx, sessionId))) throw new NotFoundError('That session');
      return { sessionId: String(input.sessionId) };
    },
  }),
}));

function decodeSessionId(globalId: string): string | null {
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return typename === 'Session' && isUuid(id) ? id : null;
  } catch {
    return null;
  }
}

const SessionRevoked = builder.objectRef<{ sessionId: string }>('SessionRevoked').implement({
  fields: (t) => ({ reason: t.string({ resolve: () => 'SIGNED_OUT' }) }),
});

builder.subscriptionField('viewerSessionRevoked', (t) =>
  t.field({
    type: SessionRevoked,
    description: 'Emits once when the session of this connection is revoked; the server then closes the socket.',
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('session:revoked', ctx.viewer!.sessionId),
    resolve: (event) => event,
  }),
);
