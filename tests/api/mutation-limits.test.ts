import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendFromEnv } from '../support/backend.js';
import { gql, type Member, signUpMember } from '../support/graphql.js';
import { createGroup, mutate, personId } from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';

// Per-member limits on mutations: one for every mutation together, stricter ones where abuse is
// cheap (invites, join requests, new events, new groups). Small limits so the tests reach them;
// the defaults are in server/src/env.ts. Refusals are the mutation's typed RateLimitedError.

const LIMITS = {
  MUTATIONS_MAX_PER_MINUTE: '12',
  INVITES_MAX_PER_HOUR: '2',
  JOIN_REQUESTS_MAX_PER_HOUR: '2',
  EVENTS_CREATED_MAX_PER_HOUR: '2',
  GROUPS_CREATED_MAX_PER_HOUR: '3',
};
const LIMITED = '... on RateLimitedError { retryAfterSeconds }';

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startServer({ env: LIMITS });
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
});

const updateProfile = (who: Member, headline: string, target = url) =>
  mutate(target, who, 'updateProfile', { headline }, `${LIMITED} ... on UpdateProfilePayload { viewer { headline } }`);

function expectLimited(result: Record<string, unknown>, withinSeconds: number) {
  expect(result).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
  expect(result.retryAfterSeconds).toBeGreaterThan(0);
  expect(result.retryAfterSeconds).toBeLessThanOrEqual(withinSeconds);
}

describe('the general mutation limit', () => {
  it('counts every mutation of a member together and refuses the next with RATE_LIMITED and retryAfterSeconds', async () => {
    const [member, other] = [await signUpMember(url), await signUpMember(url)];
    for (let i = 0; i < 12; i += 1) {
      expect((await updateProfile(member, `headline ${i}`)).__typename).toBe('UpdateProfilePayload');
    }
    // A profile, a notification and a group mutation: one budget for all of them.
    expectLimited(await updateProfile(member, 'refused'), 60);
    const notifications = await gql(
      url,
      `mutation { markAllNotificationsRead { __typename ... on Error { code } ${LIMITED} } }`,
      {},
      { token: member.token },
    );
    expectLimited(notifications.body.data?.markAllNotificationsRead, 60);
    expectLimited(await mutate(url, member, 'joinGroup', { groupId: 'R3JvdXA6eA==' }, LIMITED), 60);

    // A refused mutation did nothing.
    const viewer = await gql(url, 'query { viewer { headline } }', {}, { token: member.token });
    expect(viewer.body.data?.viewer.headline).toBe('headline 11');
    // Each member has their own budget.
    expect((await updateProfile(other, 'fine')).__typename).toBe('UpdateProfilePayload');
    // Signing out is always possible.
    const out = await gql(url, 'mutation { signOut { signedOut } }', {}, { token: member.token });
    expect(out.body.data?.signOut).toEqual({ signedOut: true });
  });
});

describe('stricter limits where abuse is cheap', () => {
  it('limits invites, by member and as links together, per hour', async () => {
    const [owner, a, b, c] = [
      await signUpMember(url),
      await signUpMember(url),
      await signUpMember(url),
      await signUpMember(url),
    ];
    const group = await createGroup(url, owner, { name: 'Invites', visibility: 'PRIVATE' });
    for (const invitee of [a, b]) {
      const result = await mutate(url, owner, 'inviteMember', { groupId: group.id, personId: personId(invitee) });
      expect(result.__typename).toBe('GroupInvitePayload');
    }
    const refused = await mutate(url, owner, 'inviteMember', { groupId: group.id, personId: personId(c) }, LIMITED);
    // The hourly bucket, not the general one.
    expectLimited(refused, 3600);
    expect(refused.retryAfterSeconds).toBeGreaterThan(60);
    expectLimited(await mutate(url, owner, 'createInviteLink', { groupId: group.id }, LIMITED), 3600);
    expect(await server.app.services.db.groupInvite.count({ where: { groupId: idOf(group.id) } })).toBe(2);
    // Other mutations still go through.
    const update = await mutate(url, owner, 'updateGroup', { groupId: group.id, description: 'still editable' });
    expect(update.__typename).toBe('GroupPayload');
  });

  it('limits join requests and new groups per hour', async () => {
    const [owner, requester] = [await signUpMember(url), await signUpMember(url)];
    const groups = [];
    for (let i = 0; i < 3; i += 1) {
      groups.push(await createGroup(url, owner, { name: `Private ${i}`, visibility: 'PRIVATE' }));
    }
    expectLimited(
      await mutate(
        url,
        owner,
        'createGroup',
        { name: 'One too many', kind: 'COMMUNITY', visibility: 'PUBLIC' },
        LIMITED,
      ),
      3600,
    );
    for (const group of groups.slice(0, 2)) {
      const result = await mutate(url, requester, 'requestToJoinGroup', { groupId: group.id });
      expect(result.__typename).toBe('JoinRequestPayload');
    }
    expectLimited(await mutate(url, requester, 'requestToJoinGroup', { groupId: groups[2]!.id }, LIMITED), 3600);
  });

  it('limits new events per hour', async () => {
    const owner = await signUpMember(url);
    const group = await createGroup(url, owner, { name: 'Events' });
    const event = (title: string) => ({
      groupId: group.id,
      title,
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 90_000_000).toISOString(),
      timeZone: 'Europe/Berlin',
    });
    for (const title of ['First', 'Second']) {
      expect((await mutate(url, owner, 'createEvent', event(title))).__typename).toBe('EventPayload');
    }
    expectLimited(await mutate(url, owner, 'createEvent', event('Third'), LIMITED), 3600);
  });
});

// Two servers can share one database only on PostgreSQL; PGlite belongs to one process.
describe.runIf(backendFromEnv().kind === 'scale-out')('several instances', () => {
  it('share the counters through the database', async () => {
    const second = await startServer({ database: server.database, env: LIMITS });
    try {
      const member = await signUpMember(url);
      for (let i = 0; i < 12; i += 1) {
        const target = i % 2 === 0 ? url : second.graphqlUrl;
        expect((await updateProfile(member, `headline ${i}`, target)).__typename).toBe('UpdateProfilePayload');
      }
      expectLimited(await updateProfile(member, 'refused', second.graphqlUrl), 60);
      expectLimited(await updateProfile(member, 'refused', url), 60);
    } finally {
      await second.stop();
    }
  });
});

/** The row id inside a global ID. */
function idOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
}
