import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/src/app.js';
import { loadEnv } from '../../server/src/env.js';
import { backendFromEnv } from '../support/backend.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { gql, SIGN_IN, signUpMember } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';
import { trackInProcessServer } from '../support/sign-up.js';

// Authenticated requests keep the session they read for a few seconds (modules/accounts/
// session-cache.ts): a revoked session must stop working at once all the same, on this instance and
// on every other one. Each test uses the token first, so the session is in the cache when it ends.

const VIEWER = /* GraphQL */ `query { viewer { id } }`;
const SIGN_OUT = /* GraphQL */ `mutation SignOut($input: SignOutInput) { signOut(input: $input) { signedOut } }`;
const CHANGE = /* GraphQL */ `
  mutation Change($input: ChangePasswordInput!) {
    changePassword(input: $input) { __typename ... on ChangePasswordPayload { signedOutSessions } }
  }
`;
const SESSIONS = `query { viewer { sessions(first: 10) { edges { node { id current } } } } }`;
const REVOKE = `mutation R($input: RevokeSessionInput!) { revokeSession(input: $input) { __typename } }`;

async function viewerId(url: string, token: string): Promise<string | null> {
  const response = await gql(url, VIEWER, {}, { token });
  expect(response.status).toBe(200);
  return response.body.data!.viewer?.id ?? null;
}

async function signInAgain(url: string, member: { email: string; password: string }): Promise<string> {
  const response = await gql(url, SIGN_IN, { input: { email: member.email, password: member.password } });
  return response.body.data!.signIn.token as string;
}

describe('one instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads a used session from memory: an authenticated { viewer } runs one statement, the viewer’s row', async () => {
    const database = await createTestDatabase();
    const statements: string[] = [];
    const env = loadEnv({
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'never',
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      ...database.env,
    });
    const app: App = await buildApp(env, { onQuery: (sql) => statements.push(sql) });
    await app.start();
    const untrack = trackInProcessServer(app);
    try {
      const url = `${app.url}/graphql`;
      const member = await signUpMember(url);
      expect(await viewerId(url, member.token)).toBe(member.id);
      statements.length = 0;
      expect(await viewerId(url, member.token)).toBe(member.id);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/FROM "public"\."User"/);
    } finally {
      untrack();
      await app.stop();
      await database.drop();
    }
  });

  it('refuses a signed-out session on the very next request', async () => {
    const member = await signUpMember(server.graphqlUrl);
    expect(await viewerId(server.graphqlUrl, member.token)).toBe(member.id);
    await gql(server.graphqlUrl, SIGN_OUT, {}, { token: member.token });
    expect(await viewerId(server.graphqlUrl, member.token)).toBeNull();
  });

  it('refuses every device after signing out everywhere, a password change, or revoking a device', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const phone = await signInAgain(server.graphqlUrl, member);
    const laptop = await signInAgain(server.graphqlUrl, member);
    for (const token of [member.token, phone, laptop]) expect(await viewerId(server.graphqlUrl, token)).toBe(member.id);

    // Revoking one device from another.
    const listed = await gql(server.graphqlUrl, SESSIONS, {}, { token: member.token });
    const others = listed.body.data!.viewer.sessions.edges.filter(
      (edge: { node: { current: boolean } }) => !edge.node.current,
    );
    const phoneSession = others[0].node.id as string;
    await gql(server.graphqlUrl, REVOKE, { input: { sessionId: phoneSession } }, { token: member.token });
    const stillIn = [];
    for (const token of [member.token, phone, laptop]) stillIn.push(await viewerId(server.graphqlUrl, token));
    expect(stillIn.filter((id) => id === null)).toHaveLength(1);

    // A password change ends every other session.
    const changed = await gql(
      server.graphqlUrl,
      CHANGE,
      { input: { currentPassword: member.password, newPassword: 'another long password' } },
      { token: member.token },
    );
    expect(changed.body.data!.changePassword.__typename).toBe('ChangePasswordPayload');
    expect(await viewerId(server.graphqlUrl, phone)).toBeNull();
    expect(await viewerId(server.graphqlUrl, laptop)).toBeNull();
    expect(await viewerId(server.graphqlUrl, member.token)).toBe(member.id);

    await gql(server.graphqlUrl, SIGN_OUT, { input: { everywhere: true } }, { token: member.token });
    expect(await viewerId(server.graphqlUrl, member.token)).toBeNull();
  });
});

// Two servers can share one database only on PostgreSQL; PGlite belongs to one process.
describe.runIf(backendFromEnv().kind === 'scale-out')('two instances', () => {
  let first: TestServer;
  let second: TestServer;
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    first = await startServer({ database });
    second = await startServer({ database });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await database?.drop();
  });

  it('a sign-out on one instance is in force on the other at once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const member = await signUpMember(first.graphqlUrl);
      expect(await viewerId(second.graphqlUrl, member.token)).toBe(member.id);
      expect(await viewerId(first.graphqlUrl, member.token)).toBe(member.id);
      await gql(first.graphqlUrl, SIGN_OUT, {}, { token: member.token });
      expect(await viewerId(second.graphqlUrl, member.token)).toBeNull();
    }
  });

  it('a password change on one instance ends the other sessions on the other at once', async () => {
    const member = await signUpMember(first.graphqlUrl);
    const phone = await signInAgain(first.graphqlUrl, member);
    expect(await viewerId(second.graphqlUrl, phone)).toBe(member.id);
    await gql(
      first.graphqlUrl,
      CHANGE,
      { input: { currentPassword: member.password, newPassword: 'another long password' } },
      { token: member.token },
    );
    expect(await viewerId(second.graphqlUrl, phone)).toBeNull();
    expect(await viewerId(second.graphqlUrl, member.token)).toBe(member.id);
  });
});
