import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, setClockOffset } from '../../server/src/lib/clock.js';
import { gql, SIGN_IN, signUpMember, type Member, uniqueEmail, wsClient } from '../support/graphql.js';
import { eventually, jobRows } from '../support/jobs.js';
import { startServer, type TestServer } from '../support/server.js';
import {
  freePort,
  hrefsIn,
  linksIn,
  type ReceivedMail,
  startSmtpServer,
  type TestSmtpServer,
} from '../support/smtp.js';

// Changing a password (current one required; the other sessions end, this one stays) and resetting
// a lost one through an emailed, single-use, short-lived link (same answer whether the address has
// an account; setting the new password ends every session). A real SMTP server in this process
// receives the emails; the tests follow their links. Time moves with the server clock.

const VIEWER = /* GraphQL */ `query { viewer { id email emailVerifiedAt } }`;
const CHANGE = /* GraphQL */ `
  mutation Change($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      __typename
      ... on ChangePasswordPayload { signedOutSessions viewer { id } }
      ... on Error { code message }
      ... on IncorrectPasswordError { field }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`;
const REQUEST_RESET = /* GraphQL */ `
  mutation Request($input: RequestPasswordResetInput!) {
    requestPasswordReset(input: $input) {
      __typename
      ... on PasswordResetRequested { email }
      ... on Error { code message }
    }
  }
`;
const RESET = /* GraphQL */ `
  mutation Reset($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      __typename
      ... on PasswordResetPayload { signedOut }
      ... on Error { code message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`;

let smtp: TestSmtpServer;
let server: TestServer;
let origin: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = await startServer({ env: { SMTP_URL: smtp.url, PORT: String(port), PUBLIC_ORIGIN: origin } });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.close();
});
afterEach(() => {
  setClockOffset(0);
});

const db = () => server.app.services.db;
const url = () => server.graphqlUrl;

/** The emails that reached `address` so far, oldest first. */
const mailsTo = (address: string) => smtp.messages.filter((mail) => mail.envelope.to.includes(address));

/** The first email to `address` with this subject, waiting for it to arrive. */
async function mailTo(address: string, subject: string): Promise<ReceivedMail> {
  for (;;) {
    const found = mailsTo(address).find((mail) => mail.parsed.subject === subject);
    if (found) return found;
    await smtp.waitForMessages(smtp.messages.length + 1);
  }
}

function actionLink(mail: ReceivedMail): URL {
  const link = linksIn(mail.parsed.text!)[0]!;
  expect(hrefsIn(mail.parsed.html as string)).toContain(link);
  return new URL(link);
}

async function signIn(email: string, password: string): Promise<string | null> {
  const response = await gql(url(), SIGN_IN, { input: { email, password } });
  return response.body.data!.signIn.__typename === 'AuthPayload' ? response.body.data!.signIn.token : null;
}

async function viewerOf(token: string) {
  return (await gql(url(), VIEWER, {}, { token })).body.data!.viewer;
}

/** Until every reset request so far was handled by its job (a request only schedules one). */
async function resetRequestsHandled(): Promise<void> {
  await eventually(
    async () => ((await jobRows(db())).some((job) => job.kind === 'accounts.password-reset') ? undefined : true),
    'the reset requests to be handled',
  );
}

const RESET_SUBJECT = 'Reset your Guildhall password';
const CHANGED_SUBJECT = 'Your Guildhall password was changed';

describe('changing the password', () => {
  it('needs the current password, ends every other session and keeps this one', async () => {
    const member = await signUpMember(url(), { name: 'Chandra Change' });
    const laptop = (await signIn(member.email, member.password))!;
    const phone = (await signIn(member.email, member.password))!;
    // The laptop's socket closes as soon as its session ends.
    const socket = wsClient(server.wsUrl, { connectionParams: { authToken: laptop } });
    const closed = new Promise<number>((resolve) =>
      socket.on('closed', (event) => resolve((event as CloseEvent).code)),
    );
    socket.subscribe(
      { query: 'subscription { viewerSessionRevoked { reason } }' },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    await new Promise((resolve) => socket.on('connected', resolve));

    const changed = await gql(
      url(),
      CHANGE,
      { input: { currentPassword: member.password, newPassword: 'a brand new password' } },
      { token: member.token },
    );
    expect(changed.body.data!.changePassword).toMatchObject({
      __typename: 'ChangePasswordPayload',
      signedOutSessions: 2,
    });
    expect(await closed).toBe(4401);
    await socket.dispose();

    expect((await viewerOf(member.token)).email).toBe(member.email);
    expect(await viewerOf(laptop)).toBeNull();
    expect(await viewerOf(phone)).toBeNull();
    expect(await signIn(member.email, member.password)).toBeNull();
    expect(await signIn(member.email, 'a brand new password')).not.toBeNull();

    // The owner hears of it, with the way back in case it was not them.
    const notice = await mailTo(member.email, CHANGED_SUBJECT);
    expect(notice.parsed.text).toContain('Hello Chandra Change,');
    expect(actionLink(notice).pathname).toBe('/forgot-password');
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const member = await signUpMember(url());
    const other = (await signIn(member.email, member.password))!;
    const wrong = await gql(
      url(),
      CHANGE,
      { input: { currentPassword: 'not my password', newPassword: 'a brand new password' } },
      { token: member.token },
    );
    expect(wrong.body.data!.changePassword).toMatchObject({
      __typename: 'IncorrectPasswordError',
      code: 'INCORRECT_PASSWORD',
      field: 'currentPassword',
    });
    expect(await viewerOf(other)).not.toBeNull();
    expect(await signIn(member.email, member.password)).not.toBeNull();
    expect(await signIn(member.email, 'a brand new password')).toBeNull();
  });

  it('holds the new password to the sign-up rules and needs a signed-in member', async () => {
    const member = await signUpMember(url());
    const short = await gql(
      url(),
      CHANGE,
      { input: { currentPassword: member.password, newPassword: 'short' } },
      { token: member.token },
    );
    expect(short.body.data!.changePassword.fieldErrors.map((error: { path: string }) => error.path)).toEqual([
      'newPassword',
    ]);
    const anonymous = await gql(url(), CHANGE, {
      input: { currentPassword: member.password, newPassword: 'long enough' },
    });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('resetting a lost password by email', () => {
  async function requestReset(email: string) {
    return gql(url(), REQUEST_RESET, { input: { email } });
  }

  async function reset(token: string | null, password: string) {
    return gql(url(), RESET, { input: { token, password } });
  }

  it('answers alike whether or not the address has an account; only a member is emailed', async () => {
    const member = await signUpMember(url());
    const nobody = uniqueEmail('nobody');
    const known = await requestReset(` ${member.email.toUpperCase()} `);
    const unknown = await requestReset(nobody);
    expect(known.body).toEqual({
      data: { requestPasswordReset: { __typename: 'PasswordResetRequested', email: member.email } },
    });
    expect(unknown.body).toEqual({
      data: { requestPasswordReset: { __typename: 'PasswordResetRequested', email: nobody } },
    });
    expect(known.status).toBe(unknown.status);
    expect([...known.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());

    await mailTo(member.email, RESET_SUBJECT);
    await resetRequestsHandled();
    expect(await db().emailOutbox.count({ where: { toEmail: nobody } })).toBe(0);
    expect(await db().passwordReset.count({ where: { email: nobody } })).toBe(0);
  });

  it('sets a new password once with the emailed link and ends every session', async () => {
    const member = await signUpMember(url(), { name: 'Rosa Reset' });
    const other = (await signIn(member.email, member.password))!;
    expect((await viewerOf(member.token)).emailVerifiedAt).toBeNull();
    await requestReset(member.email);
    const mail = await mailTo(member.email, RESET_SUBJECT);
    expect(mail.parsed.text).toContain('Hello Rosa Reset,');
    const link = actionLink(mail);
    expect(link.origin + link.pathname).toBe(`${origin}/reset-password`);
    const token = link.searchParams.get('token')!;

    // Only the SHA-256 of the token is stored; the sent email's copy is erased from the outbox.
    const stored = await db().passwordReset.findFirstOrThrow({ where: { email: member.email } });
    expect(Buffer.from(stored.tokenHash).toString('base64url')).not.toBe(token);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeLessThanOrEqual(3600_000 + 1000);
    const outbox = await eventually(
      () =>
        db()
          .emailOutbox.findFirst({ where: { toEmail: member.email, template: 'password-reset', status: 'SENT' } })
          .then((row) => row ?? undefined),
      'the reset email marked sent',
    );
    expect(JSON.stringify(outbox.data)).not.toContain(token);

    const done = await reset(token, 'my new reset password');
    expect(done.body.data!.resetPassword).toEqual({ __typename: 'PasswordResetPayload', signedOut: true });
    // This browser's cookie goes too.
    expect(done.headers.get('set-cookie')).toMatch(/^gh_session=;.*Max-Age=0/);
    expect(await viewerOf(member.token)).toBeNull();
    expect(await viewerOf(other)).toBeNull();
    expect(await signIn(member.email, member.password)).toBeNull();
    const fresh = (await signIn(member.email, 'my new reset password'))!;
    // The link reached the inbox: the address counts as confirmed now.
    expect((await viewerOf(fresh)).emailVerifiedAt).toBeTruthy();
    expect((await mailTo(member.email, CHANGED_SUBJECT)).parsed.text).toContain('Hello Rosa Reset,');

    // Single use.
    const again = await reset(token, 'yet another password');
    expect(again.body.data!.resetPassword).toMatchObject({ __typename: 'ConflictError', code: 'TOKEN_USED' });
    expect(await signIn(member.email, 'yet another password')).toBeNull();
    expect((await reset('made-up-token', 'yet another password')).body.data!.resetPassword.__typename).toBe(
      'NotFoundError',
    );
  });

  it('lets a link work for one hour of the server clock', async () => {
    const member = await signUpMember(url());
    await requestReset(member.email);
    const token = actionLink(await mailTo(member.email, RESET_SUBJECT)).searchParams.get('token');
    advanceClock(3600_000 + 1000);
    const late = await reset(token, 'too late a password');
    expect(late.body.data!.resetPassword).toMatchObject({ __typename: 'ConflictError', code: 'TOKEN_EXPIRED' });
    setClockOffset(0);
    expect(await signIn(member.email, member.password)).not.toBeNull();
  });

  it('retires older links when the password changes', async () => {
    const member = await signUpMember(url());
    await requestReset(member.email);
    const token = actionLink(await mailTo(member.email, RESET_SUBJECT)).searchParams.get('token');
    await gql(
      url(),
      CHANGE,
      { input: { currentPassword: member.password, newPassword: 'changed meanwhile' } },
      { token: member.token },
    );
    const stale = await reset(token, 'from an old link');
    expect(stale.body.data!.resetPassword).toMatchObject({ code: 'TOKEN_USED' });
    expect(await signIn(member.email, 'changed meanwhile')).not.toBeNull();
  });

  it('emails one address at most three reset links an hour, answering every request alike', async () => {
    const member: Member = await signUpMember(url());
    for (let attempt = 0; attempt < 4; attempt += 1) {
      expect((await requestReset(member.email)).body.data!.requestPasswordReset.__typename).toBe(
        'PasswordResetRequested',
      );
    }
    await resetRequestsHandled();
    expect(await db().passwordReset.count({ where: { email: member.email } })).toBe(3);
    expect(await db().emailOutbox.count({ where: { toEmail: member.email, template: 'password-reset' } })).toBe(3);
  });
});
