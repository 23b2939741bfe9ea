import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { notifyGroupKind } from '../support/notifications.js';
import { backendFromEnv } from '../support/backend.js';
import { apiCreateEvent, apiRsvp, createGroup, createUser, globalId, type TestUser } from '../support/events.js';
import { gql, wsClient } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;

const LIST = /* GraphQL */ `
  query List($unreadOnly: Boolean, $first: Int, $after: String) {
    viewer {
      unreadNotificationCount
      notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
        edges { cursor node { id kind text href read actor { id name } group { id name } event { id title } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;
const MARK_READ = /* GraphQL */ `
  mutation Mark($input: MarkNotificationReadInput!) {
    markNotificationRead(input: $input) {
      __typename
      ... on MarkNotificationsReadPayload { viewer { unreadNotificationCount } notification { id read } }
      ... on Error { code }
    }
  }
`;
const MARK_ALL = /* GraphQL */ `
  mutation MarkAll($input: MarkAllNotificationsReadInput) {
    markAllNotificationsRead(input: $input) {
      __typename
      ... on MarkNotificationsReadPayload { viewer { unreadNotificationCount } }
      ... on Error { code }
    }
  }
`;
const SET_PREF = /* GraphQL */ `
  mutation Pref($input: SetNotificationPreferenceInput!) {
    setNotificationPreference(input: $input) {
      __typename
      ... on NotificationPreferencePayload { viewer { notificationPreferences { kind inApp email digest } } }
      ... on Error { code message }
    }
  }
`;
const STREAM = /* GraphQL */ `subscription { notificationEvents { unreadCount notification { id kind text href } } }`;

/** What LIST reads of each notification. */
interface ListedNotification {
  id: string;
  kind: string;
  text: string;
  href: string;
  read: boolean;
  actor: { id: string; name: string } | null;
  group: { id: string; name: string } | null;
  event: { id: string; title: string } | null;
}

/** One notificationEvents event (STREAM). */
interface StreamEvent {
  unreadCount: number;
  notification: { id: string; kind: string; text: string; href: string } | null;
}

async function list(user: TestUser, variables: Record<string, unknown> = { first: 20 }) {
  const response = await gql(server.graphqlUrl, LIST, variables, { token: user.token });
  if (!response.body.data) throw new Error(JSON.stringify(response.body));
  return response.body.data.viewer as {
    unreadNotificationCount: number;
    notifications: {
      edges: Array<{ cursor: string; node: ListedNotification }>;
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };
}

/** Collects the events of a notificationEvents subscription; `next()` waits for the following one. */
function stream(client: Client) {
  const received: StreamEvent[] = [];
  const waiters: Array<() => void> = [];
  let ready!: () => void;
  const acknowledged = new Promise<void>((resolve) => (ready = resolve));
  client.on('connected', () => ready());
  const dispose = client.subscribe(
    { query: STREAM },
    {
      next: (value) => {
        received.push((value.data as { notificationEvents: StreamEvent }).notificationEvents);
        for (const wake of waiters.splice(0)) wake();
      },
      error: (error) => {
        throw new Error(`subscription failed: ${JSON.stringify(error)}`);
      },
      complete: () => {},
    },
  );
  let read = 0;
  return {
    acknowledged,
    dispose,
    async next(): Promise<StreamEvent> {
      while (received.length <= read) await new Promise<void>((resolve) => waiters.push(resolve));
      return received[read++]!;
    },
  };
}

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('notifications', () => {
  it('tells every other member of the group about a new event, in a sentence with a link', async () => {
    const db = server.app.services.db;
    const [ada, ben, cat] = await Promise.all([
      createUser(db, 'Ada Okafor'),
      createUser(db, 'Ben Bright'),
      createUser(db, 'Cat Cole'),
    ]);
    const group = await createGroup(db, {
      visibility: 'PRIVATE',
      name: 'Rust Berlin',
      members: [
        [ada!, 'OWNER'],
        [ben!, 'MEMBER'],
        [cat!, 'MEMBER'],
      ],
    });
    const event = await apiCreateEvent(server.graphqlUrl, ada!, group.globalId, { title: 'Async Rust night' });
    for (const user of [ben!, cat!]) {
      const { unreadNotificationCount, notifications } = await list(user);
      expect(unreadNotificationCount).toBe(1);
      expect(notifications.edges[0]!.node).toMatchObject({
        kind: 'EVENT_CREATED',
        text: 'Ada Okafor scheduled Async Rust night in Rust Berlin',
        href: `/events/${event.uuid}`,
        read: false,
        actor: { name: 'Ada Okafor' },
        group: { id: group.globalId, name: 'Rust Berlin' },
        event: { id: event.id, title: 'Async Rust night' },
      });
    }
    expect((await list(ada!)).notifications.edges).toHaveLength(0);
  });

  it('tells a waitlisted member when they are promoted', async () => {
    const db = server.app.services.db;
    const [owner, first, second] = await Promise.all([
      createUser(db, 'Owner'),
      createUser(db, 'First'),
      createUser(db, 'Second'),
    ]);
    const group = await createGroup(db, {
      visibility: 'PUBLIC',
      members: [
        [owner!, 'OWNER'],
        [first!, 'MEMBER'],
        [second!, 'MEMBER'],
      ],
    });
    const event = await apiCreateEvent(server.graphqlUrl, owner!, group.globalId, { title: 'Tiny room', capacity: 1 });
    await apiRsvp(server.graphqlUrl, first!, event.id, 'GOING');
    await apiRsvp(server.graphqlUrl, second!, event.id, 'GOING');
    await apiRsvp(server.graphqlUrl, first!, event.id, 'NOT_GOING');
    const top = (await list(second!)).notifications.edges[0]!.node;
    expect(top).toMatchObject({
      kind: 'WAITLIST_PROMOTED',
      text: 'A seat opened up: you are going to Tiny room',
      href: `/events/${event.uuid}`,
      actor: null,
    });
  });

  it('words every kind the groups module emits, and links each where it belongs', async () => {
    const db = server.app.services.db;
    const [ada, ben] = await Promise.all([createUser(db, 'Ada Okafor'), createUser(db, 'Ben Bright')]);
    const group = await createGroup(db, {
      visibility: 'PRIVATE',
      name: 'Rust Berlin',
      members: [
        [ada!, 'OWNER'],
        [ben!, 'MODERATOR'],
      ],
    });
    const base = { actorId: ada!.id, groupId: group.id };
    for (const kind of [
      'JOIN_REQUEST_RECEIVED',
      'JOIN_REQUEST_APPROVED',
      'JOIN_REQUEST_DECLINED',
      'GROUP_INVITE',
      'ROLE_CHANGED',
    ] as const) {
      await notifyGroupKind(db, kind, { ...base, recipientIds: [ben!.id] });
    }
    const texts = (await list(ben!)).notifications.edges.map((edge) => [
      edge.node.kind,
      edge.node.text,
      edge.node.href,
    ]);
    expect(texts).toEqual([
      ['ROLE_CHANGED', 'Ada Okafor made you a moderator of Rust Berlin', `/groups/${group.slug}`],
      ['GROUP_INVITE', 'Ada Okafor invited you to join Rust Berlin', `/groups/${group.slug}`],
      ['JOIN_REQUEST_DECLINED', 'Your request to join Rust Berlin was declined', `/groups/${group.slug}`],
      ['JOIN_REQUEST_APPROVED', 'Ada Okafor approved your request to join Rust Berlin', `/groups/${group.slug}`],
      ['JOIN_REQUEST_RECEIVED', 'Ada Okafor asked to join Rust Berlin', `/groups/${group.slug}/admin`],
    ]);
  });

  it('pages newest first, filters unread, counts unread, and marks one, up to one, or all read', async () => {
    const db = server.app.services.db;
    const [actor, me] = await Promise.all([createUser(db, 'Actor'), createUser(db, 'Me')]);
    const group = await createGroup(db, {
      visibility: 'PUBLIC',
      members: [
        [actor!, 'OWNER'],
        [me!, 'MEMBER'],
      ],
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const [created] = await notifyGroupKind(db, 'GROUP_INVITE', {
        actorId: actor!.id,
        groupId: group.id,
        recipientIds: [me!.id],
      });
      ids.push(globalId('Notification', created!.id));
    }
    const page1 = await list(me!, { first: 2 });
    expect(page1.unreadNotificationCount).toBe(5);
    expect(page1.notifications.edges.map((e) => e.node.id)).toEqual([ids[4], ids[3]]);
    expect(page1.notifications.pageInfo.hasNextPage).toBe(true);
    const page2 = await list(me!, { first: 2, after: page1.notifications.pageInfo.endCursor });
    expect(page2.notifications.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1]]);

    const one = await gql(server.graphqlUrl, MARK_READ, { input: { notificationId: ids[4] } }, { token: me!.token });
    expect(one.body.data!.markNotificationRead).toMatchObject({
      viewer: { unreadNotificationCount: 4 },
      notification: { id: ids[4], read: true },
    });
    expect((await list(me!, { unreadOnly: true, first: 10 })).notifications.edges.map((e) => e.node.id)).toEqual([
      ids[3],
      ids[2],
      ids[1],
      ids[0],
    ]);

    const upTo = await gql(server.graphqlUrl, MARK_ALL, { input: { upToId: ids[1] } }, { token: me!.token });
    expect(upTo.body.data!.markAllNotificationsRead.viewer.unreadNotificationCount).toBe(2);
    expect((await list(me!, { unreadOnly: true, first: 10 })).notifications.edges.map((e) => e.node.id)).toEqual([
      ids[3],
      ids[2],
    ]);
    const all = await gql(server.graphqlUrl, MARK_ALL, {}, { token: me!.token });
    expect(all.body.data!.markAllNotificationsRead.viewer.unreadNotificationCount).toBe(0);

    // Someone else's notification does not exist for me.
    const [theirs] = await notifyGroupKind(db, 'GROUP_INVITE', {
      actorId: me!.id,
      groupId: group.id,
      recipientIds: [actor!.id],
    });
    const foreign = await gql(
      server.graphqlUrl,
      MARK_READ,
      { input: { notificationId: globalId('Notification', theirs!.id) } },
      { token: me!.token },
    );
    expect(foreign.body.data!.markNotificationRead.__typename).toBe('NotFoundError');
    const foreignUpTo = await gql(
      server.graphqlUrl,
      MARK_ALL,
      { input: { upToId: globalId('Notification', theirs!.id) } },
      { token: me!.token },
    );
    expect(foreignUpTo.body.data!.markAllNotificationsRead.__typename).toBe('NotFoundError');
    expect((await db.notification.findUniqueOrThrow({ where: { id: theirs!.id } })).readAt).toBeNull();
  });

  it('lists every kind as on by default, and stops a kind that was switched off', async () => {
    const db = server.app.services.db;
    const [owner, me] = await Promise.all([createUser(db, 'Owner'), createUser(db, 'Me')]);
    const group = await createGroup(db, {
      visibility: 'PUBLIC',
      members: [
        [owner!, 'OWNER'],
        [me!, 'MEMBER'],
      ],
    });
    const prefs = await gql(
      server.graphqlUrl,
      '{ viewer { notificationPreferences { kind label description inApp email digest digestAvailable } } }',
      {},
      { token: me!.token },
    );
    const rows = prefs.body.data!.viewer.notificationPreferences as Array<{
      kind: string;
      label: string;
      description: string;
      inApp: boolean;
      email: boolean;
      digest: boolean;
      digestAvailable: boolean;
    }>;
    // Every kind the modules declare, each with words for the settings screen and in-app on.
    expect(rows.map((row) => row.kind)).toEqual(
      expect.arrayContaining([
        'JOIN_REQUEST_RECEIVED',
        'GROUP_INVITE',
        'EVENT_CREATED',
        'WAITLIST_PROMOTED',
        'MENTIONED',
      ]),
    );
    for (const row of rows) {
      expect(row.label).toMatch(/\w/);
      expect(row.description).toMatch(/\w/);
      expect(row.inApp).toBe(true);
      if (!row.digestAvailable) expect(row.digest).toBe(false);
    }

    const off = await gql(
      server.graphqlUrl,
      SET_PREF,
      { input: { kind: 'EVENT_CREATED', channel: 'IN_APP', enabled: false } },
      { token: me!.token },
    );
    expect(off.body.data!.setNotificationPreference.viewer.notificationPreferences).toContainEqual(
      expect.objectContaining({ kind: 'EVENT_CREATED', inApp: false }),
    );
    await apiCreateEvent(server.graphqlUrl, owner!, group.globalId);
    expect((await list(me!)).notifications.edges).toHaveLength(0);
    expect((await list(me!)).unreadNotificationCount).toBe(0);
    // Still stored for the digest (its default for this kind is on) …
    expect(await db.notification.count({ where: { recipientId: me!.id, kind: 'EVENT_CREATED' } })).toBe(1);
    // … and not at all once every channel of the kind is off.
    await gql(
      server.graphqlUrl,
      SET_PREF,
      { input: { kind: 'EVENT_CREATED', channel: 'DIGEST', enabled: false } },
      { token: me!.token },
    );
    await apiCreateEvent(server.graphqlUrl, owner!, group.globalId);
    expect(await db.notification.count({ where: { recipientId: me!.id, kind: 'EVENT_CREATED' } })).toBe(1);

    await gql(server.graphqlUrl, SET_PREF, { input: { kind: 'EVENT_CREATED', enabled: true } }, { token: me!.token });
    await apiCreateEvent(server.graphqlUrl, owner!, group.globalId);
    expect((await list(me!)).notifications.edges).toHaveLength(1);
  });

  it('hides notifications about a secret group once the member is removed from it, everywhere', async () => {
    const db = server.app.services.db;
    const [owner, me] = await Promise.all([createUser(db, 'Owner'), createUser(db, 'Me')]);
    const secret = await createGroup(db, {
      visibility: 'SECRET',
      name: 'Skunkworks Guild',
      members: [
        [owner!, 'OWNER'],
        [me!, 'MEMBER'],
      ],
    });
    const event = await apiCreateEvent(server.graphqlUrl, owner!, secret.globalId, { title: 'Hush hush launch' });
    const before = await list(me!);
    expect(before.unreadNotificationCount).toBe(1);
    const notificationId = before.notifications.edges[0]!.node.id as string;

    await db.membership.delete({ where: { groupId_userId: { groupId: secret.id, userId: me!.id } } });
    const after = await list(me!);
    expect(after.unreadNotificationCount).toBe(0);
    expect(after.notifications.edges).toHaveLength(0);
    // Reached by id, it names nothing.
    const byId = await gql(
      server.graphqlUrl,
      'query($id: ID!) { node(id: $id) { ... on Notification { text href actor { id } group { id } event { id } } } }',
      { id: notificationId },
      { token: me!.token },
    );
    const node = byId.body.data!.node;
    expect(node).toMatchObject({ actor: null, group: null, event: null, href: '/notifications' });
    expect(JSON.stringify(byId.body)).not.toMatch(/Skunkworks|Hush hush/);
    // The event is gone for them too.
    const eventById = await gql(
      server.graphqlUrl,
      'query($id: ID!) { event(id: $id) { id } }',
      { id: event.id },
      { token: me!.token },
    );
    expect(eventById.body.data!.event).toBeNull();
  });

  it('shows a pending invite to a secret group to the invitee, with the group name', async () => {
    const db = server.app.services.db;
    const [owner, invitee] = await Promise.all([createUser(db, 'Owner'), createUser(db, 'Invitee')]);
    const secret = await createGroup(db, { visibility: 'SECRET', name: 'Quiet Club', members: [[owner!, 'OWNER']] });
    const invite = await db.groupInvite.create({
      data: { groupId: secret.id, createdById: owner!.id, inviteeId: invitee!.id },
    });
    await notifyGroupKind(db, 'GROUP_INVITE', {
      actorId: owner!.id,
      groupId: secret.id,
      inviteId: invite.id,
      recipientIds: [invitee!.id],
    });
    expect((await list(invitee!)).notifications.edges[0]!.node.text).toBe('Owner invited you to join Quiet Club');
    await db.groupInvite.update({ where: { id: invite.id }, data: { revokedAt: new Date() } });
    expect((await list(invitee!)).notifications.edges).toHaveLength(0);
  });
});

describe('notificationEvents subscription', () => {
  const scaleOut = backendFromEnv().kind === 'scale-out';

  it(`pushes a new notification and read-state changes with the unread count${scaleOut ? ', from another instance' : ''}`, async () => {
    const db = server.app.services.db;
    // Scale-out: the subscriber is on instance B, every action goes through instance A.
    const other = scaleOut ? await startServer({ database: server.database }) : null;
    const subscriberServer = other ?? server;
    const [owner, me, stranger] = await Promise.all([
      createUser(db, 'Ada Okafor'),
      createUser(db, 'Me'),
      createUser(db, 'Stranger'),
    ]);
    const group = await createGroup(db, {
      visibility: 'PRIVATE',
      name: 'Rust Berlin',
      members: [
        [owner!, 'OWNER'],
        [me!, 'MEMBER'],
      ],
    });
    const mine = wsClient(subscriberServer.wsUrl, { connectionParams: { authToken: me!.token } });
    const theirs = wsClient(subscriberServer.wsUrl, { connectionParams: { authToken: stranger!.token } });
    try {
      const myStream = stream(mine);
      const strangerStream = stream(theirs);
      await Promise.all([myStream.acknowledged, strangerStream.acknowledged]);
      // Let both subscriptions reach pub/sub (and Redis) before acting.
      await new Promise((resolve) => setTimeout(resolve, 300));

      const event = await apiCreateEvent(server.graphqlUrl, owner!, group.globalId, { title: 'Live one' });
      const pushed = await myStream.next();
      expect(pushed).toMatchObject({
        unreadCount: 1,
        notification: {
          kind: 'EVENT_CREATED',
          text: 'Ada Okafor scheduled Live one in Rust Berlin',
          href: `/events/${event.uuid}`,
        },
      });

      // Read on "another device" (plain HTTP): the socket learns the new count.
      await gql(
        server.graphqlUrl,
        MARK_READ,
        { input: { notificationId: pushed.notification!.id } },
        { token: me!.token },
      );
      expect(await myStream.next()).toEqual({ unreadCount: 0, notification: null });

      // The stranger's stream carried none of that: its first event is its own.
      await notifyGroupKind(db, 'GROUP_INVITE', {
        actorId: owner!.id,
        groupId: group.id,
        recipientIds: [stranger!.id],
      }).then((created) =>
        server.app.services.pubsub.publish('notifications:changed', stranger!.id, {
          recipientId: stranger!.id,
          notificationId: created[0]!.id,
        }),
      );
      const first = await strangerStream.next();
      expect(first.notification!.kind).toBe('GROUP_INVITE');
      expect(first.unreadCount).toBe(1);
      myStream.dispose();
      strangerStream.dispose();
    } finally {
      await mine.dispose();
      await theirs.dispose();
      await other?.stop();
    }
  });

  it('carries a join request to the moderators live, and the decision back to the requester', async () => {
    const db = server.app.services.db;
    const [ada, ben] = await Promise.all([createUser(db, 'Ada Okafor'), createUser(db, 'Ben Bright')]);
    const group = await createGroup(db, { visibility: 'PRIVATE', name: 'Rust Berlin', members: [[ada!, 'OWNER']] });
    const adaSocket = wsClient(server.wsUrl, { connectionParams: { authToken: ada!.token } });
    const benSocket = wsClient(server.wsUrl, { connectionParams: { authToken: ben!.token } });
    try {
      const adaStream = stream(adaSocket);
      const benStream = stream(benSocket);
      await Promise.all([adaStream.acknowledged, benStream.acknowledged]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const asked = await gql(
        server.graphqlUrl,
        'mutation($input: RequestToJoinGroupInput!) { requestToJoinGroup(input: $input) { __typename ... on JoinRequestPayload { joinRequest { id } } } }',
        { input: { groupId: group.globalId, message: 'Hi!' } },
        { token: ben!.token },
      );
      const requestId = asked.body.data!.requestToJoinGroup.joinRequest.id as string;
      const received = await adaStream.next();
      expect(received).toMatchObject({
        unreadCount: 1,
        notification: {
          kind: 'JOIN_REQUEST_RECEIVED',
          text: 'Ben Bright asked to join Rust Berlin',
          href: `/groups/${group.slug}/admin`,
        },
      });
      const withRequest = await gql(
        server.graphqlUrl,
        'query($id: ID!) { node(id: $id) { ... on Notification { joinRequest { id message } } } }',
        { id: received.notification!.id },
        { token: ada!.token },
      );
      expect(withRequest.body.data!.node.joinRequest).toEqual({ id: requestId, message: 'Hi!' });

      await gql(
        server.graphqlUrl,
        'mutation($input: DecideJoinRequestInput!) { approveJoinRequest(input: $input) { __typename } }',
        { input: { requestId } },
        { token: ada!.token },
      );
      expect(await benStream.next()).toMatchObject({
        unreadCount: 1,
        notification: {
          kind: 'JOIN_REQUEST_APPROVED',
          text: 'Ada Okafor approved your request to join Rust Berlin',
          href: `/groups/${group.slug}`,
        },
      });
      adaStream.dispose();
      benStream.dispose();
    } finally {
      await adaSocket.dispose();
      await benSocket.dispose();
    }
  });

  it('refuses a signed-out subscriber', async () => {
    const client = wsClient(server.wsUrl);
    try {
      const result = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: STREAM }, { next: resolve, error: resolve, complete: () => {} });
      });
      expect(JSON.stringify(result)).toContain('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });
});
