import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyGroupKind } from '../support/notifications.js';
import {
  apiCreateEvent,
  apiRsvp,
  CREATE_EVENT,
  createGroup,
  createUser,
  globalId,
  inHours,
  RSVP,
  type TestUser,
} from '../support/events.js';
import { gql } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// Every actor against every events and notifications entry point, on a SECRET group (invisible
// to non-members) and a PRIVATE one (visible, but only members take part).

type Actor = 'signedOut' | 'stranger' | 'member' | 'moderator' | 'admin' | 'owner' | 'banned';
const ACTORS: Actor[] = ['signedOut', 'stranger', 'member', 'moderator', 'admin', 'owner', 'banned'];
const INSIDERS = new Set<Actor>(['member', 'moderator', 'admin', 'owner']);
const CREATORS = new Set<Actor>(['moderator', 'admin', 'owner']);

let server: TestServer;
const users = {} as Record<Exclude<Actor, 'signedOut'>, TestUser>;
const fixtures = {} as Record<
  'SECRET' | 'PRIVATE',
  { group: { id: string; globalId: string }; event: { id: string; uuid: string } }
>;
let ownerNotificationId: string;

const tokenOf = (actor: Actor) => (actor === 'signedOut' ? undefined : users[actor].token);

const READ = /* GraphQL */ `
  query Read($eventId: ID!, $groupId: ID!) {
    event(id: $eventId) { id attendees(first: 10) { totalCount edges { node { person { id } } } } }
    node(id: $eventId) { id }
    group: node(id: $groupId) { ... on Group { events(first: 10) { edges { node { id } } } } }
    upcomingEvents(first: 50) { edges { node { id } } }
  }
`;

beforeAll(async () => {
  server = await startServer();
  const db = server.app.services.db;
  for (const actor of ACTORS) if (actor !== 'signedOut') users[actor] = await createUser(db, `The ${actor}`);
  for (const visibility of ['SECRET', 'PRIVATE'] as const) {
    const group = await createGroup(db, {
      visibility,
      members: [
        [users.owner, 'OWNER'],
        [users.admin, 'ADMIN'],
        [users.moderator, 'MODERATOR'],
        [users.member, 'MEMBER'],
      ],
      banned: [users.banned],
    });
    const event = await apiCreateEvent(server.graphqlUrl, users.owner, group.globalId, { capacity: 100 });
    await apiRsvp(server.graphqlUrl, users.owner, event.id, 'GOING');
    fixtures[visibility] = { group, event };
  }
  const [created] = await notifyGroupKind(db, 'ROLE_CHANGED', {
    actorId: users.admin.id,
    groupId: fixtures.PRIVATE.group.id,
    recipientIds: [users.owner.id],
  });
  ownerNotificationId = globalId('Notification', created!.id);
});
afterAll(async () => {
  await server?.stop();
});

describe.each(ACTORS)('as %s', (actor) => {
  it('sees a secret group’s event, its attendees and its group’s events only as a member', async () => {
    const { event, group } = fixtures.SECRET;
    const response = await gql(
      server.graphqlUrl,
      READ,
      { eventId: event.id, groupId: group.globalId },
      { token: tokenOf(actor) },
    );
    const data = response.body.data!;
    if (INSIDERS.has(actor)) {
      expect(data.event).toMatchObject({ id: event.id, attendees: { totalCount: 1 } });
      expect(data.node).toEqual({ id: event.id });
      expect(data.group.events.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(event.id);
      expect(data.upcomingEvents.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(event.id);
    } else {
      expect(data.event).toBeNull();
      expect(data.node).toBeNull();
      expect(data.group).toBeNull();
      expect(data.upcomingEvents.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(event.id);
    }
  });

  it('sees a private group’s event, but its attendees only as a member', async () => {
    const { event, group } = fixtures.PRIVATE;
    const response = await gql(
      server.graphqlUrl,
      READ,
      { eventId: event.id, groupId: group.globalId },
      { token: tokenOf(actor) },
    );
    const data = response.body.data!;
    if (actor === 'signedOut') {
      expect(data.event).toBeNull();
      expect(data.node).toBeNull();
    } else {
      expect(data.event.id).toBe(event.id);
      expect(data.event.attendees.totalCount).toBe(INSIDERS.has(actor) ? 1 : 0);
      expect(data.event.attendees.edges).toHaveLength(INSIDERS.has(actor) ? 1 : 0);
      expect(data.upcomingEvents.edges.map((e: { node: { id: string } }) => e.node.id).includes(event.id)).toBe(
        INSIDERS.has(actor),
      );
    }
  });

  it.each(['SECRET', 'PRIVATE'] as const)(
    'may create events in a %s group only as moderator, admin or owner',
    async (visibility) => {
      const { group } = fixtures[visibility];
      const input = {
        groupId: group.globalId,
        title: `By ${actor}`,
        startsAt: inHours(30),
        endsAt: inHours(31),
        timeZone: 'UTC',
      };
      const response = await gql(server.graphqlUrl, CREATE_EVENT, { input }, { token: tokenOf(actor) });
      if (actor === 'signedOut') {
        expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        return;
      }
      const expected = CREATORS.has(actor)
        ? 'EventPayload'
        : actor === 'member' || visibility === 'PRIVATE'
          ? 'ForbiddenError'
          : 'NotFoundError';
      expect(response.body.data!.createEvent.__typename).toBe(expected);
    },
  );

  it.each(['SECRET', 'PRIVATE'] as const)('may RSVP to a %s group’s event only as a member', async (visibility) => {
    const { event } = fixtures[visibility];
    const response = await gql(
      server.graphqlUrl,
      RSVP,
      { input: { eventId: event.id, status: 'MAYBE' } },
      { token: tokenOf(actor) },
    );
    if (actor === 'signedOut') {
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      return;
    }
    const expected = INSIDERS.has(actor)
      ? 'EventPayload'
      : visibility === 'PRIVATE'
        ? 'ForbiddenError'
        : 'NotFoundError';
    expect(response.body.data!.rsvp.__typename).toBe(expected);
  });

  it.each(['SECRET', 'PRIVATE'] as const)(
    'downloads the .ics of a %s group’s event only when it may see it',
    async (visibility) => {
      const { event } = fixtures[visibility];
      const token = tokenOf(actor);
      const response = await fetch(`${server.url}/events/${event.uuid}.ics`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const visible = INSIDERS.has(actor) || (visibility === 'PRIVATE' && actor !== 'signedOut');
      expect(response.status).toBe(visible ? 200 : 404);
    },
  );

  it('never sees or marks the owner’s notification unless it is the owner', async () => {
    const response = await gql(
      server.graphqlUrl,
      'query($id: ID!) { node(id: $id) { id ... on Notification { text } } }',
      { id: ownerNotificationId },
      { token: tokenOf(actor) },
    );
    if (actor === 'owner') expect(response.body.data!.node.id).toBe(ownerNotificationId);
    else expect(response.body.data!.node).toBeNull();
    if (actor === 'owner' || actor === 'signedOut') return;
    const mark = await gql(
      server.graphqlUrl,
      'mutation($input: MarkNotificationReadInput!) { markNotificationRead(input: $input) { __typename } }',
      { input: { notificationId: ownerNotificationId } },
      { token: tokenOf(actor) },
    );
    expect(mark.body.data!.markNotificationRead.__typename).toBe('NotFoundError');
  });

  it('reads its own notifications only, and nothing when signed out', async () => {
    const response = await gql(
      server.graphqlUrl,
      '{ viewer { unreadNotificationCount notifications(first: 50) { edges { node { id } } } } }',
      {},
      { token: tokenOf(actor) },
    );
    if (actor === 'signedOut') {
      expect(response.body.data!.viewer).toBeNull();
      return;
    }
    const ids = response.body.data!.viewer.notifications.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids.includes(ownerNotificationId)).toBe(actor === 'owner');
  });
});
