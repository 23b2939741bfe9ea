import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, setClockOffset } from '../../server/src/lib/clock.js';
import { gql, SIGN_IN, SIGN_UP, signUpMember, uniqueEmail, wsClient, wsRequest } from '../support/graphql.js';
import { startServer, spawnServer, type TestServer } from '../support/server.js';
import { createTestDatabase } from '../support/database.js';
import { eventually } from '../support/jobs.js';
import { COMPLETE_SIGN_UP, heldLinks, loggedSignUpLink, signUpThroughEmail } from '../support/sign-up.js';
import {
  freePort,
  hrefsIn,
  linksIn,
  type ReceivedMail,
  startSmtpServer,
  type TestSmtpServer,
} from '../support/smtp.js';

const VIEWER = /* GraphQL */ `query { viewer { id name email } }`;
const SIGN_OUT = /* GraphQL */ `mutation SignOut($input: SignOutInput) { signOut(input: $input) { signedOut } }`;

// A real SMTP server in this process receives what the server's job runner sends; the tests follow
// the links in the emails as a person would.
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

/** The `nth` email (0: the first) that reaches `address`, waiting for it to arrive. */
async function mailTo(address: string, nth = 0): Promise<ReceivedMail> {
  for (;;) {
    const found = smtp.messages.filter((mail) => mail.envelope.to.includes(address));
    if (found.length > nth) return found[nth]!;
    await smtp.waitForMessages(smtp.messages.length + 1);
  }
}

/** The one link of an email's action, checked to be the same in the text and the HTML part. */
function actionLink(mail: ReceivedMail): URL {
  const link = linksIn(mail.parsed.text!)[0]!;
  expect(hrefsIn(mail.parsed.html as string)).toContain(link);
  return new URL(link);
}

async function signUp(input: { email: string; password: string; name: string; timeZone?: string | null }) {
  return gql(server.graphqlUrl, SIGN_UP, { input });
}

async function completeSignUp(token: string | null, password: string) {
  return gql(server.graphqlUrl, COMPLETE_SIGN_UP, { input: { token, password } });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('sign up', () => {
  it('answers a new address with SignUpStarted and no session; the emailed link and the password make the account', async () => {
    const email = uniqueEmail('new');
    const password = 'long enough password';
    const response = await signUp({ email, password, name: 'Grace Hopper' });
    expect(response.status).toBe(200);
    expect(response.body.data!.signUp).toEqual({ __typename: 'SignUpStarted', email });
    expect(response.headers.get('set-cookie')).toBeNull();
    // No account before the link: signing in with the chosen password fails like for any unknown address.
    expect(await server.app.services.db.user.count({ where: { email } })).toBe(0);
    const early = await gql(server.graphqlUrl, SIGN_IN, { input: { email, password } });
    expect(early.body.data!.signIn.code).toBe('INVALID_CREDENTIALS');

    const mail = await mailTo(email);
    expect(mail.parsed.subject).toBe('Finish creating your Guildhall account');
    // Nothing the visitor typed but the address reaches the inbox (the name could be anyone's words).
    expect(mail.raw).not.toContain('Grace Hopper');
    const link = actionLink(mail);
    expect(link.origin + link.pathname).toBe(`${origin}/sign-up/confirm`);
    const token = link.searchParams.get('token');
    // Only the token's SHA-256 is stored, and the sent email's copy is erased from the outbox.
    const pending = await server.app.services.db.pendingSignUp.findFirstOrThrow({ where: { email } });
    expect(Buffer.from(pending.tokenHash).toString('base64url')).not.toBe(token);
    const outbox = await eventually(
      () =>
        server.app.services.db.emailOutbox
          .findFirst({ where: { toEmail: email, status: 'SENT' } })
          .then((row) => row ?? undefined),
      'the outbox row marked sent',
    );
    expect(outbox).toMatchObject({ toUserId: null, template: 'sign-up-link' });
    expect(JSON.stringify(outbox.data)).not.toContain(token);

    // The link alone is not enough: whoever finishes must know the password chosen.
    const wrong = await completeSignUp(token, 'not the password chosen');
    expect(wrong.body.data!.completeSignUp).toMatchObject({ __typename: 'IncorrectPasswordError', field: 'password' });
    expect(await server.app.services.db.user.count({ where: { email } })).toBe(0);

    const done = await completeSignUp(token, password);
    const result = done.body.data!.completeSignUp;
    expect(result.__typename).toBe('AuthPayload');
    expect(result.viewer).toMatchObject({ name: 'Grace Hopper', email });
    // The link reached the inbox, so the address is confirmed.
    expect(result.viewer.emailVerifiedAt).toBeTruthy();
    expect(Buffer.from(result.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const cookie = done.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gh_session=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // plain http in tests; https origins add it
    expect((await gql(server.graphqlUrl, VIEWER, {}, { token: result.token })).body.data!.viewer.email).toBe(email);

    // Used once: the link is gone, and so is the stored password hash.
    expect((await completeSignUp(token, password)).body.data!.completeSignUp.__typename).toBe('NotFoundError');
    expect(await server.app.services.db.pendingSignUp.count({ where: { email } })).toBe(0);
  });

  it('answers a taken address exactly like a new one, and emails its owner instead', async () => {
    const owner = await signUpMember(server.graphqlUrl, { name: 'Owner Olu' });
    const fresh = uniqueEmail('fresh');
    const intruder = { password: 'the intruders password', name: 'Intruder' };
    const taken = await signUp({ email: ` ${owner.email.toUpperCase()} `, ...intruder });
    const free = await signUp({ email: fresh, ...intruder });

    // The same answer, status and headers; only the echoed address differs.
    expect(taken.body).toEqual({ data: { signUp: { __typename: 'SignUpStarted', email: owner.email } } });
    expect(free.body).toEqual({ data: { signUp: { __typename: 'SignUpStarted', email: fresh } } });
    expect(taken.status).toBe(free.status);
    expect(taken.headers.get('set-cookie')).toBeNull();
    expect(free.headers.get('set-cookie')).toBeNull();
    expect([...taken.headers.keys()].sort()).toEqual([...free.headers.keys()].sort());

    // A later sign-in with the password given at sign-up does not tell them apart either.
    const later = await Promise.all(
      [owner.email, fresh].map((email) =>
        gql(server.graphqlUrl, SIGN_IN, { input: { email, password: intruder.password } }),
      ),
    );
    expect(later[0]!.body).toEqual(later[1]!.body);
    expect(later[0]!.body.data!.signIn.code).toBe('INVALID_CREDENTIALS');

    // The owner's inbox hears about it, with the way in; their account is untouched.
    const notice = await mailTo(owner.email);
    expect(notice.parsed.subject).toBe('Someone tried to sign up with your address');
    expect(notice.parsed.text).toContain('Hello Owner Olu,');
    const links = linksIn(notice.parsed.text!).map((link) => new URL(link));
    expect(links.map((link) => link.origin + link.pathname)).toEqual([
      `${origin}/sign-in`,
      `${origin}/forgot-password`,
    ]);
    expect(await server.app.services.db.pendingSignUp.count({ where: { email: owner.email } })).toBe(0);
    expect(await server.app.services.db.user.count({ where: { email: owner.email } })).toBe(1);
    const own = await gql(server.graphqlUrl, SIGN_IN, { input: { email: owner.email, password: owner.password } });
    expect(own.body.data!.signIn.__typename).toBe('AuthPayload');
    // The new address got the link instead.
    expect((await mailTo(fresh)).parsed.subject).toBe('Finish creating your Guildhall account');
  });

  it('takes about as long for a taken address as for a new one', async () => {
    const owners = [];
    for (let i = 0; i < 7; i += 1) owners.push(await signUpMember(server.graphqlUrl, { name: `Timed ${i}` }));
    const timed = async (email: string) => {
      const started = process.hrtime.bigint();
      const response = await signUp({ email, password: 'long enough password', name: 'Timer' });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(response.body.data!.signUp.__typename).toBe('SignUpStarted');
      // Its email goes out in the background: let that finish, so it slows neither path's next try.
      await mailTo(email);
      return ms;
    };
    await timed(uniqueEmail('warm-up'));
    const takenMs: number[] = [];
    const newMs: number[] = [];
    // A different address each time; the order alternates, so a busy moment of the machine falls on both alike.
    for (const [i, owner] of owners.entries()) {
      const taken = () => timed(owner.email).then((ms) => takenMs.push(ms));
      const fresh = () => timed(uniqueEmail('timed')).then((ms) => newMs.push(ms));
      if (i % 2 === 0) await taken().then(fresh);
      else await fresh().then(taken);
    }
    const ratio = median(takenMs) / median(newMs);
    console.info(
      `sign-up timing: taken median ${median(takenMs).toFixed(1)} ms, new median ${median(newMs).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`,
    );
    // Generous bounds (shared, noisy machines); an answer without the hash would be some 10x faster.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('normalises the email: trimmed and lower-cased, and the account keeps that form', async () => {
    const email = uniqueEmail('Mixed.Case');
    const started = await signUp({
      email: `  ${email.toUpperCase()} `,
      password: 'long enough password',
      name: 'First',
    });
    expect(started.body.data!.signUp.email).toBe(email.toLowerCase());
    const token = actionLink(await mailTo(email.toLowerCase())).searchParams.get('token');
    const done = await completeSignUp(token, 'long enough password');
    expect(done.body.data!.completeSignUp.viewer.email).toBe(email.toLowerCase());
  });

  it('starts the account in the time zone the browser gave (canonical), and in UTC without one', async () => {
    const zoned = uniqueEmail('zoned');
    // A link name, in another case: stored as the canonical zone.
    await signUp({ email: zoned, password: 'long enough password', name: 'Zoned', timeZone: 'asia/calcutta' });
    expect((await server.app.services.db.pendingSignUp.findFirstOrThrow({ where: { email: zoned } })).timeZone).toBe(
      'Asia/Kolkata',
    );
    const token = actionLink(await mailTo(zoned)).searchParams.get('token');
    const done = (await completeSignUp(token, 'long enough password')).body.data!.completeSignUp;
    expect(done.__typename).toBe('AuthPayload');
    const viewer = await gql(server.graphqlUrl, 'query { viewer { timeZone } }', {}, { token: done.token });
    expect(viewer.body.data!.viewer.timeZone).toBe('Asia/Kolkata');

    const plain = uniqueEmail('unzoned');
    await signUp({ email: plain, password: 'long enough password', name: 'Unzoned' });
    const plainToken = actionLink(await mailTo(plain)).searchParams.get('token');
    const plainDone = (await completeSignUp(plainToken, 'long enough password')).body.data!.completeSignUp;
    const plainViewer = await gql(server.graphqlUrl, 'query { viewer { timeZone } }', {}, { token: plainDone.token });
    expect(plainViewer.body.data!.viewer.timeZone).toBe('UTC');
  });

  it.each(['Mars/Olympus_Mons', '+05:30', '', 'Europe/'.padEnd(101, 'x')])(
    'refuses the time zone %j with a ValidationError on timeZone and stores nothing',
    async (timeZone) => {
      const email = uniqueEmail('badzone');
      const response = await signUp({ email, password: 'long enough password', name: 'A', timeZone });
      const result = response.body.data!.signUp;
      expect(result.__typename).toBe('ValidationError');
      expect(result.fieldErrors).toEqual([{ path: 'timeZone', message: expect.stringMatching(/time zone/) }]);
      expect(await server.app.services.db.pendingSignUp.count({ where: { email } })).toBe(0);
      expect(await server.app.services.db.emailOutbox.count({ where: { toEmail: email } })).toBe(0);
    },
  );

  it.each([
    ['email', { email: 'not-an-email', password: 'long enough password', name: 'A' }],
    ['password', { email: 'short@example.com', password: 'seven77', name: 'A' }],
    ['password', { email: 'long@example.com', password: 'x'.repeat(129), name: 'A' }],
    ['name', { email: 'blank@example.com', password: 'long enough password', name: '   ' }],
    ['name', { email: 'longname@example.com', password: 'long enough password', name: 'n'.repeat(101) }],
  ])('rejects a bad %s with a ValidationError on that field and stores nothing', async (field, input) => {
    const response = await gql(server.graphqlUrl, SIGN_UP, { input });
    const result = response.body.data!.signUp;
    expect(result.__typename).toBe('ValidationError');
    expect(result.code).toBe('VALIDATION');
    expect(result.fieldErrors.map((error: { path: string }) => error.path)).toContain(field);
    expect(await server.app.services.db.pendingSignUp.count({ where: { email: input.email } })).toBe(0);
    expect(await server.app.services.db.emailOutbox.count({ where: { toEmail: input.email } })).toBe(0);
  });

  it('accepts any characters and exactly 8 or 128 of them, with no composition rules', async () => {
    for (const password of ['aaaaaaaa', 'ü'.repeat(128), '🔑🔑🔑🔑🔑🔑🔑🔑']) {
      const email = uniqueEmail();
      const response = await signUp({ email, password, name: 'Unicode' });
      expect(response.body.data!.signUp.__typename).toBe('SignUpStarted');
      const token = actionLink(await mailTo(email)).searchParams.get('token');
      expect((await completeSignUp(token, password)).body.data!.completeSignUp.__typename).toBe('AuthPayload');
    }
  });

  it('stores an argon2id hash with OWASP parameters, never the password', async () => {
    const email = uniqueEmail('hash');
    const password = 'correct horse battery';
    await signUp({ email, password, name: 'Hashed' });
    const pending = await server.app.services.db.pendingSignUp.findFirstOrThrow({ where: { email } });
    expect(pending.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(pending.passwordHash).not.toContain(password);
    await completeSignUp(actionLink(await mailTo(email)).searchParams.get('token'), password);
    const user = await server.app.services.db.user.findUniqueOrThrow({ where: { email } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.passwordHash).not.toContain(password);
  });

  it('lets the link work for 24 hours of the server clock', async () => {
    const email = uniqueEmail('late');
    await signUp({ email, password: 'long enough password', name: 'Late' });
    const token = actionLink(await mailTo(email)).searchParams.get('token');
    advanceClock(24 * 3600_000 + 1000);
    const late = await completeSignUp(token, 'long enough password');
    expect(late.body.data!.completeSignUp).toMatchObject({ __typename: 'ConflictError', code: 'TOKEN_EXPIRED' });
    expect(await server.app.services.db.user.count({ where: { email } })).toBe(0);
  });

  it('emails one address at most three times an hour, answering every request alike', async () => {
    const owner = await signUpMember(server.graphqlUrl);
    const fresh = uniqueEmail('flooded');
    for (const email of [owner.email, fresh]) {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const response = await signUp({ email, password: 'long enough password', name: 'Flood' });
        expect(response.body.data!.signUp).toEqual({ __typename: 'SignUpStarted', email });
      }
      // Queued in the request's own transaction: the outbox already shows what will go out.
      expect(await server.app.services.db.emailOutbox.count({ where: { toEmail: email } })).toBe(3);
    }
  });

  it('retires the other links of an address once one of them finished the sign-up', async () => {
    const email = uniqueEmail('twice');
    await signUp({ email, password: 'first password', name: 'First' });
    await signUp({ email, password: 'second password', name: 'Second' });
    const first = actionLink(await mailTo(email, 0)).searchParams.get('token');
    const second = actionLink(await mailTo(email, 1)).searchParams.get('token');
    expect((await completeSignUp(second, 'second password')).body.data!.completeSignUp.viewer.name).toBe('Second');
    // Finishing one sign-up of an address retires its other links.
    expect((await completeSignUp(first, 'first password')).body.data!.completeSignUp.__typename).toBe('NotFoundError');
  });

  it('in the demo without SMTP, keeps the email, logs its link, and the logged link finishes the sign-up', async () => {
    // A real server process as `pnpm start` runs it, with no SMTP_URL: what a person running the demo sees.
    const database = await createTestDatabase();
    const demo = await spawnServer({ ...database.env });
    try {
      const email = uniqueEmail('demo');
      const member = await signUpThroughEmail(
        demo.graphqlUrl,
        { email, password: 'a long demo password', name: 'Demo Person' },
        loggedSignUpLink,
      );
      expect(heldLinks(demo.output(), email)).toHaveLength(1);
      expect(member.emailVerifiedAt).toBeTruthy();
      const viewer = await gql(demo.graphqlUrl, VIEWER, {}, { token: member.token });
      expect(viewer.body.data!.viewer).toMatchObject({ email, name: 'Demo Person' });
    } finally {
      await demo.stop();
      await database.drop();
    }
  });
});

describe('sign in', () => {
  it('signs in with the right password and the email in any case', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const response = await gql(server.graphqlUrl, SIGN_IN, {
      input: { email: member.email.toUpperCase(), password: member.password },
    });
    expect(response.body.data!.signIn.__typename).toBe('AuthPayload');
    const viewer = await gql(server.graphqlUrl, VIEWER, {}, { token: response.body.data!.signIn.token });
    expect(viewer.body.data!.viewer.email).toBe(member.email);
  });

  it('gives an unknown email and a wrong password the very same answer', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const wrongPassword = await gql(server.graphqlUrl, SIGN_IN, {
      input: { email: member.email, password: 'not the password' },
    });
    const unknownEmail = await gql(server.graphqlUrl, SIGN_IN, {
      input: { email: uniqueEmail('nobody'), password: 'not the password' },
    });
    expect(wrongPassword.body.data!.signIn).toEqual({
      __typename: 'InvalidCredentialsError',
      code: 'INVALID_CREDENTIALS',
      message: 'Email or password is incorrect.',
    });
    expect(unknownEmail.body.data!.signIn).toEqual(wrongPassword.body.data!.signIn);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.headers.get('set-cookie')).toBeNull();
  });

  it('verifies a password hash even for unknown emails, so timing does not reveal accounts', async () => {
    const { hashPassword, verifyPassword } = await import('../../server/src/modules/accounts/passwords.js');
    // An unknown email must still cost about one argon2 verification.
    const real = await hashPassword('some password');
    const measure = async (fn: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 5; i += 1) await fn();
      return Number(process.hrtime.bigint() - start);
    };
    await verifyPassword(null, 'warm-up');
    const known = await measure(() => verifyPassword(real, 'wrong password'));
    const unknown = await measure(() => verifyPassword(null, 'wrong password'));
    // Same order of magnitude (a cheap early return would be ~1000x faster).
    expect(unknown).toBeGreaterThan(known / 5);
  });
});

describe('sessions', () => {
  it('accepts the token as a Bearer header and as the cookie', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const byBearer = await gql(server.graphqlUrl, VIEWER, {}, { token: member.token });
    const byCookie = await gql(server.graphqlUrl, VIEWER, {}, { cookie: `gh_session=${member.token}` });
    expect(byBearer.body.data!.viewer.id).toBe(member.id);
    expect(byCookie.body.data!.viewer.id).toBe(member.id);
  });

  it('stores only the SHA-256 of the token', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const { createHash } = await import('node:crypto');
    const sessions = await server.app.services.db.session.findMany({ where: { user: { email: member.email } } });
    expect(sessions).toHaveLength(1);
    expect(Buffer.from(sessions[0]!.tokenHash).equals(createHash('sha256').update(member.token).digest())).toBe(true);
    expect(JSON.stringify(sessions)).not.toContain(member.token);
  });

  it('treats an unknown or garbage token as signed out', async () => {
    for (const token of ['nope', 'x'.repeat(500), Buffer.alloc(32).toString('base64url')]) {
      const response = await gql(server.graphqlUrl, VIEWER, {}, { token });
      expect(response.body.data!.viewer).toBeNull();
    }
  });

  it('revokes the token on the server at sign-out and clears the cookie', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const out = await gql(server.graphqlUrl, SIGN_OUT, {}, { token: member.token });
    expect(out.body.data!.signOut.signedOut).toBe(true);
    expect(out.headers.get('set-cookie')).toMatch(/^gh_session=;.*Max-Age=0/);
    const after = await gql(server.graphqlUrl, VIEWER, {}, { token: member.token });
    expect(after.body.data!.viewer).toBeNull();
    const again = await gql(server.graphqlUrl, SIGN_OUT, {}, { token: member.token });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('signs out every device with everywhere: true', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const second = await gql(server.graphqlUrl, SIGN_IN, { input: { email: member.email, password: member.password } });
    const secondToken = second.body.data!.signIn.token as string;
    await gql(server.graphqlUrl, SIGN_OUT, { input: { everywhere: true } }, { token: member.token });
    for (const token of [member.token, secondToken]) {
      expect((await gql(server.graphqlUrl, VIEWER, {}, { token })).body.data!.viewer).toBeNull();
    }
  });

  it('expires sessions, and slides the expiry forward when used', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const db = server.app.services.db;
    const where = { user: { email: member.email } };
    // Pretend the session was last used two hours ago and is about to expire.
    const soon = new Date(Date.now() + 60_000);
    await db.session.updateMany({ where, data: { lastUsedAt: new Date(Date.now() - 2 * 3600_000), expiresAt: soon } });
    const used = await gql(server.graphqlUrl, VIEWER, {}, { cookie: `gh_session=${member.token}` });
    expect(used.body.data!.viewer.id).toBe(member.id);
    expect(used.headers.get('set-cookie')).toContain('Max-Age=2592000'); // the cookie is renewed too
    const renewed = await db.session.findFirstOrThrow({ where });
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);

    await db.session.updateMany({ where, data: { expiresAt: new Date(Date.now() - 1000) } });
    // Changed behind the server's back (a session's expiry only ever moves forward), so the server's
    // session cache is told, as a revocation would tell it.
    server.app.services.sessionCache.forget(renewed.userId, [renewed.id]);
    const expired = await gql(server.graphqlUrl, VIEWER, {}, { token: member.token });
    expect(expired.body.data!.viewer).toBeNull();
  });

  it('lists your own sessions and revokes another device; other people’s sessions look missing', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const other = await signUpMember(server.graphqlUrl);
    const laptop = await gql(server.graphqlUrl, SIGN_IN, { input: { email: member.email, password: member.password } });
    const laptopToken = laptop.body.data!.signIn.token as string;
    const SESSIONS = `query { viewer { sessions(first: 10) { edges { node { id current } } } } }`;
    const listed = await gql(server.graphqlUrl, SESSIONS, {}, { token: member.token });
    const nodes = listed.body.data!.viewer.sessions.edges.map((edge: { node: unknown }) => edge.node);
    expect(nodes).toHaveLength(2);
    const laptopSession = nodes.find((node: { current: boolean }) => !node.current);

    const REVOKE = `mutation R($input: RevokeSessionInput!) { revokeSession(input: $input) { __typename ... on Error { code } } }`;
    const stranger = await gql(
      server.graphqlUrl,
      REVOKE,
      { input: { sessionId: laptopSession.id } },
      { token: other.token },
    );
    expect(stranger.body.data!.revokeSession).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const strangerNode = await gql(
      server.graphqlUrl,
      `query($id: ID!) { node(id: $id) { id } }`,
      { id: laptopSession.id },
      { token: other.token },
    );
    expect(strangerNode.body.data!.node).toBeNull();

    const own = await gql(
      server.graphqlUrl,
      REVOKE,
      { input: { sessionId: laptopSession.id } },
      { token: member.token },
    );
    expect(own.body.data!.revokeSession.__typename).toBe('RevokeSessionPayload');
    expect((await gql(server.graphqlUrl, VIEWER, {}, { token: laptopToken })).body.data!.viewer).toBeNull();
    expect((await gql(server.graphqlUrl, VIEWER, {}, { token: member.token })).body.data!.viewer.id).toBe(member.id);
  });
});

describe('privacy', () => {
  it('shows an email only to its owner, also through node(id)', async () => {
    const alice = await signUpMember(server.graphqlUrl);
    const bob = await signUpMember(server.graphqlUrl);
    const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on Viewer { email } } }`;
    const own = await gql(server.graphqlUrl, NODE, { id: alice.id }, { token: alice.token });
    expect(own.body.data!.node.email).toBe(alice.email);
    const others = await gql(server.graphqlUrl, NODE, { id: alice.id }, { token: bob.token });
    expect(others.body.data!.node).toBeNull();
    const anonymous = await gql(server.graphqlUrl, NODE, { id: alice.id });
    expect(anonymous.body.data!.node).toBeNull();
    expect(JSON.stringify([others.body, anonymous.body])).not.toContain(alice.email);
  });
});

describe('over WebSocket', () => {
  it('authenticates from connectionParams.authToken and from the cookie at upgrade', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const byParams = wsClient(server.wsUrl, { connectionParams: { authToken: member.token } });
    const byCookie = wsClient(server.wsUrl, { headers: { cookie: `gh_session=${member.token}` } });
    try {
      expect((await wsRequest(byParams, VIEWER)).data!.viewer.id).toBe(member.id);
      expect((await wsRequest(byCookie, VIEWER)).data!.viewer.id).toBe(member.id);
    } finally {
      await byParams.dispose();
      await byCookie.dispose();
    }
  });

  it('refuses a connection whose explicit token is invalid', async () => {
    const client = wsClient(server.wsUrl, { connectionParams: { authToken: 'revoked-or-made-up' } });
    const closed = new Promise<number>((resolve) =>
      client.on('closed', (event) => resolve((event as CloseEvent).code)),
    );
    await expect(wsRequest(client, VIEWER)).rejects.toBeDefined();
    expect(await closed).toBe(4403);
    await client.dispose();
  });

  it('closes the sockets of a session as soon as it is revoked, and tells the subscriber', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const client = wsClient(server.wsUrl, { connectionParams: { authToken: member.token } });
    const closed = new Promise<number>((resolve) =>
      client.on('closed', (event) => resolve((event as CloseEvent).code)),
    );
    const revoked = new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription { viewerSessionRevoked { reason } }' },
        { next: resolve, error: () => {}, complete: () => {} },
      );
    });
    await new Promise((resolve) => client.on('connected', resolve));
    // Give the subscription a moment to register before revoking.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await gql(server.graphqlUrl, SIGN_OUT, {}, { token: member.token });
    expect(await revoked).toEqual({ data: { viewerSessionRevoked: { reason: 'SIGNED_OUT' } } });
    expect(await closed).toBe(4401);
    await client.dispose();
  });

  it('signs up and in over WebSocket too, with the same typed errors', async () => {
    const client = wsClient(server.wsUrl);
    try {
      const email = uniqueEmail();
      const up = await wsRequest(client, SIGN_UP, {
        input: { email, password: 'long enough password', name: 'Socket' },
      });
      expect(up.data!.signUp).toEqual({ __typename: 'SignUpStarted', email });
      const wrong = await wsRequest(client, SIGN_IN, { input: { email, password: 'wrong password' } });
      expect(wrong.data!.signIn.code).toBe('INVALID_CREDENTIALS');
    } finally {
      await client.dispose();
    }
  });
});
