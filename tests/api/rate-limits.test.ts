import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, SIGN_IN, SIGN_UP, signUpMember, uniqueEmail } from '../support/graphql.js';
import { backendFromEnv } from '../support/backend.js';
import { startServer, type TestServer } from '../support/server.js';

// Small limits so the tests reach them quickly; the defaults are in server/src/env.ts.
let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    env: {
      SIGN_IN_MAX_PER_ACCOUNT: '3',
      SIGN_IN_MAX_PER_ADDRESS: '8',
      SIGN_UP_MAX_PER_ADDRESS: '6',
      PASSWORD_RESET_MAX_PER_ADDRESS: '4',
    },
  });
});
afterAll(async () => {
  await server?.stop();
});

describe('sign-in rate limits', () => {
  it('limits attempts per account, even with the right password, and says when to retry', async () => {
    const member = await signUpMember(server.graphqlUrl);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await gql(server.graphqlUrl, SIGN_IN, {
        input: { email: member.email, password: 'wrong password' },
      });
      expect(response.body.data!.signIn.code).toBe('INVALID_CREDENTIALS');
    }
    const limited = await gql(server.graphqlUrl, SIGN_IN, {
      input: { email: member.email, password: member.password },
    });
    expect(limited.body.data!.signIn).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
    expect(limited.body.data!.signIn.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.body.data!.signIn.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it('limits unknown emails the same way, so the limit does not reveal accounts', async () => {
    const email = uniqueEmail('ghost');
    const answers = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      answers.push(
        (await gql(server.graphqlUrl, SIGN_IN, { input: { email, password: 'whatever pass' } })).body.data!.signIn.code,
      );
    }
    expect(answers).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED']);
  });

  it('limits attempts per client address across many accounts', async () => {
    // The two tests above already used all 8 attempts of this address.
    const emails = Array.from({ length: 3 }, () => uniqueEmail('spray'));
    const codes = [];
    for (const email of emails) {
      codes.push(
        (await gql(server.graphqlUrl, SIGN_IN, { input: { email, password: 'whatever pass' } })).body.data!.signIn.code,
      );
    }
    expect(codes.at(-1)).toBe('RATE_LIMITED');
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(1);
  });

  it('limits sign-ups per client address', async () => {
    const codes = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const response = await gql(server.graphqlUrl, SIGN_UP, {
        input: { email: uniqueEmail('bulk'), password: 'long enough password', name: 'Bulk' },
      });
      codes.push(response.body.data!.signUp.__typename);
    }
    // signUpMember makes its members without signing up, so all six are left for these.
    expect(codes.slice(0, 6)).toEqual(Array(6).fill('SignUpStarted'));
    expect(codes[6]).toBe('RateLimitedError');
  });

  it('limits password-reset requests per client address, for addresses with and without an account alike', async () => {
    const member = await signUpMember(server.graphqlUrl);
    const REQUEST = `mutation($input: RequestPasswordResetInput!) {
      requestPasswordReset(input: $input) { __typename ... on RateLimitedError { retryAfterSeconds } }
    }`;
    const codes = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const email = attempt % 2 === 0 ? member.email : uniqueEmail('nobody');
      codes.push((await gql(server.graphqlUrl, REQUEST, { input: { email } })).body.data!.requestPasswordReset);
    }
    expect(codes.slice(0, 4).map((code) => code.__typename)).toEqual(Array(4).fill('PasswordResetRequested'));
    expect(codes[4].__typename).toBe('RateLimitedError');
    expect(codes[4].retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  // Two servers can share one database only on PostgreSQL; PGlite belongs to one process.
  it.runIf(backendFromEnv().kind === 'scale-out')(
    'shares the counters between server instances through the database',
    async () => {
      const second = await startServer({
        database: server.database,
        env: { SIGN_IN_MAX_PER_ACCOUNT: '3', SIGN_IN_MAX_PER_ADDRESS: '1000', SIGN_UP_MAX_PER_ADDRESS: '1000' },
      });
      try {
        const email = uniqueEmail('shared');
        for (const url of [server.graphqlUrl, second.graphqlUrl, server.graphqlUrl]) {
          await gql(url, SIGN_IN, { input: { email, password: 'whatever pass' } });
        }
        const fourth = await gql(second.graphqlUrl, SIGN_IN, { input: { email, password: 'whatever pass' } });
        expect(fourth.body.data!.signIn.code).toBe('RATE_LIMITED');
      } finally {
        await second.stop();
      }
    },
  );
});
