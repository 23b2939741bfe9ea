import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUpMember, wsClient, wsRequest } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// What a client can learn or break through the edges of the API: validation messages in
// production, and the session cookie (its name on https, and values that do not decode).

const VIEWER = /* GraphQL */ `query { viewer { id } }`;
const PUBLIC_ORIGIN = 'https://guildhall.example';

let dev: TestServer;
/** NODE_ENV=production, reached over https (as a real deployment is). */
let production: TestServer;

beforeAll(async () => {
  [dev, production] = await Promise.all([
    startServer(),
    startServer({ env: { NODE_ENV: 'production', PUBLIC_ORIGIN } }),
  ]);
});
afterAll(async () => {
  await Promise.all([dev?.stop(), production?.stop()]);
});

// Each one draws a "Did you mean" from graphql-js; the second element is what it would suggest.
const MISSPELLINGS: Array<{ what: string; query: string; variables?: Record<string, unknown>; suggestion: string }> = [
  {
    what: 'an enum value written in the query',
    query: 'query { groups(filter: { kind: ALUMN }) { totalCount } }',
    suggestion: '"ALUMNI"',
  },
  {
    what: 'an enum value passed as a variable',
    query: 'query Q($filter: GroupsFilter) { groups(filter: $filter) { totalCount } }',
    variables: { filter: { kind: 'ALUMN' } },
    suggestion: '"ALUMNI"',
  },
  {
    what: 'an input field written in the query',
    query: 'query { groups(filter: { txt: "design" }) { totalCount } }',
    suggestion: '"text"',
  },
  {
    what: 'an input field passed as a variable',
    query: 'query Q($filter: GroupsFilter) { groups(filter: $filter) { totalCount } }',
    variables: { filter: { txt: 'design' } },
    suggestion: '"text"',
  },
  { what: 'a field', query: 'query { viewr { id } }', suggestion: '"viewer"' },
  { what: 'an argument', query: 'query { groups(filtr: {}) { totalCount } }', suggestion: '"filter"' },
  {
    what: 'a type',
    query: 'query Q($filter: GroupFilter) { groups(filter: $filter) { totalCount } }',
    suggestion: '"GroupsFilter"',
  },
];

function messagesOf(errors: ReadonlyArray<{ message: string }> | undefined): string[] {
  return (errors ?? []).map((error) => error.message);
}

describe('validation messages in production', () => {
  for (const { what, query, variables, suggestion } of MISSPELLINGS) {
    it(`suggest nothing for ${what}, over HTTP and WebSocket`, async () => {
      // Outside production the same mistake does draw a suggestion: this case really asks for one.
      const hinted = await gql(dev.graphqlUrl, query, variables);
      expect(messagesOf(hinted.body.errors).join('\n')).toContain(`Did you mean`);
      expect(messagesOf(hinted.body.errors).join('\n')).toContain(suggestion);

      const member = await signUpMember(production.graphqlUrl);
      const overHttp = await gql(production.graphqlUrl, query, variables, { token: member.token });
      const client = wsClient(production.wsUrl, { connectionParams: { authToken: member.token } });
      let overWs: Awaited<ReturnType<typeof wsRequest>>;
      try {
        overWs = await wsRequest(client, query, variables);
      } finally {
        await client.dispose();
      }
      for (const messages of [messagesOf(overHttp.body.errors), messagesOf(overWs.errors)]) {
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) {
          expect(message).not.toMatch(/did you mean/i);
          expect(message).not.toContain(suggestion);
        }
      }
    });
  }
});

describe('the session cookie', () => {
  const BROKEN = ['%E0%A4%A', '%', '%zz', 'abc%', '%E0%80%80', '%C0'];

  it('ignores a value with a broken percent-escape: signed out, not a 500 (HTTP and WebSocket)', async () => {
    for (const value of BROKEN) {
      const response = await gql(dev.graphqlUrl, VIEWER, {}, { cookie: `gh_session=${value}` });
      expect(response.status, value).toBe(200);
      expect(response.body, value).toEqual({ data: { viewer: null } });

      const client = wsClient(dev.wsUrl, { headers: { cookie: `gh_session=${value}` } });
      try {
        expect(await wsRequest(client, VIEWER), value).toEqual({ data: { viewer: null } });
      } finally {
        await client.dispose();
      }
    }
  });

  it('still reads the session when another cookie of the same header does not decode', async () => {
    const member = await signUpMember(dev.graphqlUrl);
    const cookie = `theme=%E0%A4%A; gh_session=${member.token}; other=%zz`;
    const response = await gql(dev.graphqlUrl, VIEWER, {}, { cookie });
    expect(response.body.data?.viewer).toEqual({ id: member.id });
  });

  it('is named gh_session over http, with no Secure', async () => {
    const signUp = await signUpMember(dev.graphqlUrl);
    const signIn = await gql(
      dev.graphqlUrl,
      'mutation($input: SignInInput!) { signIn(input: $input) { __typename } }',
      { input: { email: signUp.email, password: signUp.password } },
    );
    const cookie = signIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^gh_session=[\w-]+;/);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  describe('when the public origin is https', () => {
    const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { __typename } }';
    const SIGN_OUT = 'mutation { signOut { __typename } }';

    async function signIn() {
      const member = await signUpMember(production.graphqlUrl);
      const response = await gql(production.graphqlUrl, SIGN_IN, {
        input: { email: member.email, password: member.password },
      });
      const setCookie = response.headers.get('set-cookie') ?? '';
      const token = /^__Host-gh_session=([\w-]+);/.exec(setCookie)?.[1];
      return { member, setCookie, token };
    }

    it('uses the __Host- prefix: Secure, Path=/, no Domain', async () => {
      const { setCookie, token } = await signIn();
      expect(setCookie).toMatch(/^__Host-gh_session=[\w-]+;/);
      expect(token).toBeTruthy();
      const attributes = setCookie.split(/;\s*/).slice(1);
      expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']));
      expect(attributes.some((attribute) => /^domain=/i.test(attribute))).toBe(false);
    });

    it('reads it back over HTTP and WebSocket, and not without its prefix', async () => {
      const { member, token } = await signIn();
      const byCookie = await gql(production.graphqlUrl, VIEWER, {}, { cookie: `__Host-gh_session=${token}` });
      expect(byCookie.body.data?.viewer).toEqual({ id: member.id });

      const client = wsClient(production.wsUrl, { headers: { cookie: `__Host-gh_session=${token}` } });
      try {
        expect((await wsRequest(client, VIEWER)).data?.viewer).toEqual({ id: member.id });
      } finally {
        await client.dispose();
      }

      // A cookie without the prefix may come from a sibling subdomain (cookie tossing): not ours.
      const unprefixed = await gql(production.graphqlUrl, VIEWER, {}, { cookie: `gh_session=${token}` });
      expect(unprefixed.body.data?.viewer).toBeNull();

      const broken = await gql(production.graphqlUrl, VIEWER, {}, { cookie: '__Host-gh_session=%E0%A4%A' });
      expect(broken.status).toBe(200);
      expect(broken.body.data?.viewer).toBeNull();
    });

    it('renews and clears it under the same name', async () => {
      const { member, token } = await signIn();
      // Due for its sliding renewal.
      await production.app.services.db.session.updateMany({
        where: { user: { email: member.email } },
        data: { lastUsedAt: new Date(Date.now() - 2 * 60 * 60 * 1000) },
      });
      const renewed = await gql(production.graphqlUrl, VIEWER, {}, { cookie: `__Host-gh_session=${token}` });
      expect(renewed.headers.get('set-cookie')).toMatch(/^__Host-gh_session=[\w-]+;.*Secure/);

      const out = await gql(production.graphqlUrl, SIGN_OUT, {}, { cookie: `__Host-gh_session=${token}` });
      const cleared = out.headers.get('set-cookie') ?? '';
      expect(cleared).toMatch(/^__Host-gh_session=;/);
      expect(cleared).toMatch(/Max-Age=0/);
      expect(cleared).toMatch(/Path=\//);
      expect(cleared).toMatch(/Secure/);
    });
  });
});
