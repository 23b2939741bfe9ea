import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUpMember, type Member } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// Odd directory input gets a typed VALIDATION error, never a masked "Unexpected error.".

let server: TestServer;
let member: Member;
beforeAll(async () => {
  server = await startServer();
  member = await signUpMember(server.graphqlUrl);
});
afterAll(async () => {
  await server?.stop();
});

const PEOPLE = `query($filter: PeopleFilter) { people(filter: $filter, first: 5) { totalCount } }`;

describe('directory search input', () => {
  it.each([
    ['a NUL in the text', { text: 'ada\u0000' }],
    ['a very long text', { text: 'x'.repeat(101) }],
    ['too many skills', { skills: Array.from({ length: 21 }, (_, i) => `skill${i}`) }],
    ['a control character in a skill', { skills: ['rust\u0007'] }],
    ['a made-up time zone', { timeZones: ['Mars/Olympus_Mons'] }],
  ])('refuses %s with a VALIDATION error', async (_what, filter) => {
    const response = await gql(server.graphqlUrl, PEOPLE, { filter }, { token: member.token });
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });

  it('refuses a control character in a skill prefix', async () => {
    const response = await gql(
      server.graphqlUrl,
      `{ skills(prefix: "ru\\u0000") { name } }`,
      {},
      { token: member.token },
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });

  it('still answers ordinary filters', async () => {
    const response = await gql(
      server.graphqlUrl,
      PEOPLE,
      { filter: { text: 'ada', timeZones: ['Europe/Berlin', 'Asia/Kolkata'] } },
      { token: member.token },
    );
    expect(response.body.errors).toBeUndefined();
  });
});

describe('skill autocomplete', () => {
  it('never suggests a skill that only private profiles hold', async () => {
    const secret = await signUpMember(server.graphqlUrl);
    const UPDATE = `mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }`;
    await gql(
      server.graphqlUrl,
      UPDATE,
      { input: { skills: [{ name: 'Zyxwquantum Basketry', level: 'EXPERT' }], visibility: { skills: 'ONLY_ME' } } },
      { token: secret.token },
    );
    const suggest = async () =>
      (await gql(server.graphqlUrl, `{ skills(prefix: "Zyxw") { name } }`, {}, { token: member.token })).body.data!
        .skills;
    expect(await suggest()).toEqual([]);
    await gql(server.graphqlUrl, UPDATE, { input: { visibility: { skills: 'MEMBERS' } } }, { token: secret.token });
    expect(await suggest()).toEqual([{ name: 'Zyxwquantum Basketry' }]);
  });
});
