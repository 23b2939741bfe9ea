import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, SIGN_IN, SIGN_UP, signUpMember, uniqueEmail, wsClient, wsRequest } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

const VIEWER = /* GraphQL */ `query { viewer { id name email } }`;
const SIGN_OUT = /* GraphQL */ `mutation SignOut($input: SignOutInput) { signOut(input: $input) { signedOut } }`;

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('sign up', () => {
  it('creates an account, returns a token and sets an HttpOnly SameSite=Lax cookie', async () => {
    const email = uniqueEmail();
    const response = await gql(server.graphqlUrl, SIGN_UP, {
      input: { email, password: 'long enough password', name: 'Grace Hopper' },
    });
    const result = response.body.data!.signUp;
    expect(result.__typename).toBe('AuthPayload');
    expect(result.viewer).toMatchObject({ name: 'Grace Hopper', email });
    // At least 128 bits of randomness, base64url-encoded.
    expect(Buffer.from(result.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^gh_session=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // plain http in tests; https origins add it
  });

  it('normalises the email: trimmed and lower-cased, then unique', async () => {
    const email = uniqueEmail('Mixed.Case');
    const first = await gql(server.graphqlUrl, SIGN_UP, {
      input: { email: `  ${email.toUpperCase()} `, password: 'long enough password', name: 'First' },
    });
    expect(first.body.data!.signUp.viewer.email).toBe(email.toLowerCase());
    const second = await gql(server.graphqlUrl, SIGN_UP, {
      input: { email: email.toLowerCase(), password: 'another password', name: 'Second' },
    });
    expect(second.body.data!.signUp).toMatchObject({ __typename: 'EmailTakenError', code: 'EMAIL_TAKEN' });
  });

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
    const retry = await gql(server.graphqlUrl, SIGN_IN, { input: { email: input.email, password: input.password } });
    expect(retry.body.data?.signIn.__typename).not.toBe('AuthPayload');
  });

  it('accepts any characters and exactly 8 or 128 of them, with no composition rules', async () => {
    for (const password of ['aaaaaaaa', 'ü'.repeat(128), '🔑🔑🔑🔑🔑🔑🔑🔑']) {
      const response = await gql(server.graphqlUrl, SIGN_UP, {
        input: { email: uniqueEmail(), password, name: 'Unicode' },
      });
      expect(response.body.data!.signUp.__typename).toBe('AuthPayload');
    }
  });

  it('stores an argon2id hash with OWASP parameters, never the password', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const user = await server.app.services.db.user.findUniqueOrThrow({ where: { email: member.email } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.passwordHash).not.toContain(member.password);
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
      expect(up.data!.signUp.__typename).toBe('AuthPayload');
      const wrong = await wsRequest(client, SIGN_IN, { input: { email, password: 'wrong password' } });
      expect(wrong.data!.signIn.code).toBe('INVALID_CREDENTIALS');
    } finally {
      await client.dispose();
    }
  });
});
