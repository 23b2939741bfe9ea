import type { App } from '../../server/src/app.js';
import type { DbClient } from '../../server/src/db.js';
import { encodeId } from '../../server/src/lib/global-id.js';
import { sessionTtlMs } from '../../server/src/modules/accounts/accounts.service.js';
import { hashPassword } from '../../server/src/modules/accounts/passwords.js';
import { createSession } from '../../server/src/modules/accounts/sessions.js';
import { createAccount } from '../../server/src/modules/accounts/sign-up.js';
import { gql, type Member } from './graphql.js';

// How tests get members, now that a sign-up only finishes through an emailed link.
//
// Sign-up itself is tested through the API and its emails (tests/api/accounts*.test.ts). Every other
// test just needs someone signed in, so on a server in this process a member is made the way the
// end of a sign-up makes one (createAccount, argon2id hash) plus a session, with no sign-up email
// and no delivery job in that test's outbox, and the address not confirmed (like an account from
// before sign-up confirmed addresses): tests of address verification rely on that. A server
// process (spawnServer) cannot be reached that way, so there the member signs up as a visitor
// does: signUp, the link the server logs for the held email, completeSignUp.

export const COMPLETE_SIGN_UP = /* GraphQL */ `
  mutation CompleteSignUp($input: CompleteSignUpInput!) {
    completeSignUp(input: $input) {
      __typename
      ... on AuthPayload { token viewer { id name email emailVerifiedAt } }
      ... on Error { code message }
      ... on IncorrectPasswordError { field }
      ... on ValidationError { fieldErrors { path message } }
      ... on RateLimitedError { retryAfterSeconds }
    }
  }
`;

const START_SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { __typename ... on SignUpStarted { email } ... on Error { code message } }
  }
`;

const inProcess = new Map<string, App>();
const processOutputs = new Set<() => string>();

/** startServer calls this: members for this server's URL are made on its database. */
export function trackInProcessServer(app: App): () => void {
  const origin = new URL(app.url).origin;
  inProcess.set(origin, app);
  return () => inProcess.delete(origin);
}

/** spawnServer calls this: its log is where a held sign-up link is found. */
export function trackServerProcess(output: () => string): () => void {
  processOutputs.add(output);
  return () => processOutputs.delete(output);
}

type MemberInput = Pick<Member, 'email' | 'password' | 'name'>;

/** An account (as a finished sign-up makes it, address not confirmed) and a session, straight in `db`. */
export async function createMemberIn(db: DbClient, input: MemberInput, ttlMs = 30 * 24 * 3600_000): Promise<Member> {
  const passwordHash = await hashPassword(input.password);
  const user = await createAccount(db, { ...input, passwordHash, emailVerifiedAt: null });
  const session = await createSession(db, { userId: user.id, ttlMs, userAgent: 'tests' });
  return { ...input, id: encodeId('Viewer', user.id), token: session.token };
}

/** A signed-in member on the server behind `url` (see above for how). */
export async function makeMember(url: string, input: MemberInput): Promise<Member> {
  const app = inProcess.get(new URL(url).origin);
  if (app) return createMemberIn(app.services.db, input, sessionTtlMs(app.services.env));
  return signUpThroughEmail(url, input, loggedSignUpLink);
}

/** The whole sign-up as a visitor goes through it: signUp, the emailed link, completeSignUp with the password. */
export async function signUpThroughEmail(
  url: string,
  input: MemberInput & { next?: string },
  findLink: (email: string) => Promise<string>,
): Promise<Member & { emailVerifiedAt: string | null }> {
  const started = await gql(url, START_SIGN_UP, { input });
  if (started.body.data?.signUp?.__typename !== 'SignUpStarted') {
    throw new Error(`sign-up failed: ${JSON.stringify(started.body)}`);
  }
  const token = new URL(await findLink(started.body.data.signUp.email)).searchParams.get('token');
  const done = await gql(url, COMPLETE_SIGN_UP, { input: { token, password: input.password } });
  const result = done.body.data?.completeSignUp;
  if (result?.__typename !== 'AuthPayload')
    throw new Error(`completing the sign-up failed: ${JSON.stringify(done.body)}`);
  return {
    email: input.email,
    password: input.password,
    name: input.name,
    id: result.viewer.id,
    token: result.token,
    emailVerifiedAt: result.viewer.emailVerifiedAt,
  };
}

const HELD = 'email not sent (no SMTP_URL); kept in the outbox';

/** The sign-up link a server process without SMTP_URL logged for `email` (any process: a job runs anywhere). */
export async function loggedSignUpLink(email: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const output of processOutputs) {
      const link = heldLinks(output(), email).find((candidate) => new URL(candidate).pathname === '/sign-up/confirm');
      if (link) return link;
    }
    // A deadline for a condition (the log line appearing), not a wait for time to pass.
    if (Date.now() > deadline) throw new Error(`no sign-up link was logged for ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The links of the held emails to `email` in a server's log, oldest first. */
export function heldLinks(output: string, email: string): string[] {
  const links: string[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{') || !line.includes(HELD)) continue;
    try {
      const entry = JSON.parse(line) as { message?: unknown; to?: unknown; link?: unknown };
      if (entry.message === HELD && entry.to === email && typeof entry.link === 'string') links.push(entry.link);
    } catch {
      // not a JSON line
    }
  }
  return links;
}
