import { decodeGlobalID } from '@pothos/plugin-relay';
import { NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { isUuid } from '../../lib/ids.js';
import { builder } from '../../schema/builder.js';
import { EmailTakenError, InvalidCredentialsError } from './accounts.errors.js';
import { emailInput, nameInput, passwordAttemptInput, passwordInput } from './accounts.inputs.js';
import { revokeOwnSession, sessionTtlMs, signIn, signOut, signUp, type SignedIn } from './accounts.service.js';
import { clearedSessionCookie, sessionCookie } from './sessions.js';
import { ViewerRef } from './viewer.type.js';
import type { Context } from '../../context.js';

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.string().validate(emailInput),
    password: t.string().validate(passwordInput),
    name: t.string().validate(nameInput),
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
    type: AuthPayload,
    skipTypeScopes: true,
    args: { input: t.arg({ type: SignUpInput }) },
    errors: { types: [ValidationError, EmailTakenError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => setSessionCookie(ctx, await signUp(ctx, input)),
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
