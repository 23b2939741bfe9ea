import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ical, { type VEvent } from 'node-ical';
import { backendFromEnv } from '../support/backend.js';
import {
  addMember,
  apiCreateEvent,
  apiRsvp,
  CREATE_EVENT,
  createGroup,
  createUser,
  globalId,
  inHours,
  UPDATE_EVENT,
  type TestUser,
} from '../support/events.js';
import { releaseMemberRsvps } from '../../server/src/modules/groups/events/events.service.js';
import { gql } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let owner: TestUser;
let moderator: TestUser;
let member: TestUser;
let stranger: TestUser;
let group: Awaited<ReturnType<typeof createGroup>>;
let secret: Awaited<ReturnType<typeof createGroup>>;

const EVENT = /* GraphQL */ `
  query Event($id: ID!) {
    event(id: $id) {
      id title description timeZone onlineUrl location capacity icsUrl cancelledAt
      goingCount maybeCount waitlistCount viewerRsvp viewerWaitlistPosition
      group { id name }
      attendees(status: GOING, first: 10) { totalCount edges { node { status person { id name } } } }
      waitlist: attendees(status: WAITLISTED, first: 10) { totalCount edges { node { person { id } } } }
    }
  }
`;

beforeAll(async () => {
  server = await startServer();
  const db = server.app.services.db;
  [owner, moderator, member, stranger] = await Promise.all([
    createUser(db, 'Olu Owner'),
    createUser(db, 'Mo Moderator'),
    createUser(db, 'Mem Member'),
    createUser(db, 'Stan Stranger'),
  ]);
  group = await createGroup(db, {
    visibility: 'PUBLIC',
    name: 'Rust Berlin',
    members: [
      [owner, 'OWNER'],
      [moderator, 'MODERATOR'],
      [member, 'MEMBER'],
    ],
  });
  secret = await createGroup(db, {
    visibility: 'SECRET',
    name: 'Hidden Circle',
    members: [
      [owner, 'OWNER'],
      [member, 'MEMBER'],
    ],
  });
});
afterAll(async () => {
  await server?.stop();
});

describe('createEvent', () => {
  const valid = () => ({
    groupId: group.globalId,
    title: 'Async Rust night',
    startsAt: inHours(24),
    endsAt: inHours(26),
    timeZone: 'Europe/Berlin',
  });

  it('lets a moderator create an event with every field and returns it', async () => {
    const response = await gql(
      server.graphqlUrl,
      CREATE_EVENT,
      {
        input: {
          ...valid(),
          description: '  Talks and pizza.  ',
          onlineUrl: 'https://meet.example.com/rust',
          location: 'c-base, Berlin',
          capacity: 40,
        },
      },
      { token: moderator.token },
    );
    const result = response.body.data!.createEvent;
    expect(result.__typename).toBe('EventPayload');
    expect(result.event).toMatchObject({
      title: 'Async Rust night',
      timeZone: 'Europe/Berlin',
      capacity: 40,
      group: { id: group.globalId },
    });
    const uuid = Buffer.from(result.event.id, 'base64').toString().split(':')[1];
    expect(result.event.icsUrl).toBe(`/events/${uuid}.ics`);
    const read = await gql(server.graphqlUrl, EVENT, { id: result.event.id }, { token: member.token });
    expect(read.body.data!.event).toMatchObject({
      description: 'Talks and pizza.',
      location: 'c-base, Berlin',
      onlineUrl: 'https://meet.example.com/rust',
    });
  });

  it.each([
    ['title', { title: '   ' }],
    ['title', { title: 't'.repeat(121) }],
    ['description', { description: 'd'.repeat(5001) }],
    ['endsAt', { endsAt: inHours(23) }],
    ['endsAt', { endsAt: inHours(24) }],
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['timeZone', { timeZone: 'CEST' }],
    ['onlineUrl', { onlineUrl: 'javascript:alert(1)' }],
    ['onlineUrl', { onlineUrl: 'ftp://files.example.com/x' }],
    ['location', { location: 'l'.repeat(201) }],
    ['capacity', { capacity: 0 }],
    ['capacity', { capacity: 10_001 }],
  ])('rejects a bad %s with a ValidationError on that field', async (field, change) => {
    const response = await gql(
      server.graphqlUrl,
      CREATE_EVENT,
      { input: { ...valid(), ...change } },
      { token: owner.token },
    );
    const result = response.body.data!.createEvent;
    expect(result.__typename).toBe('ValidationError');
    expect(result.fieldErrors.map((error: { path: string }) => error.path)).toContain(field);
  });

  it('accepts exactly 120 characters of title, capacity 1 and 10000, and UTC', async () => {
    for (const change of [{ title: 't'.repeat(120) }, { capacity: 1 }, { capacity: 10_000 }, { timeZone: 'UTC' }]) {
      const response = await gql(
        server.graphqlUrl,
        CREATE_EVENT,
        { input: { ...valid(), ...change } },
        { token: owner.token },
      );
      expect(response.body.data!.createEvent.__typename).toBe('EventPayload');
    }
  });

  it('refuses a plain member with ForbiddenError and a stranger of a secret group with NotFoundError', async () => {
    const asMember = await gql(server.graphqlUrl, CREATE_EVENT, { input: valid() }, { token: member.token });
    expect(asMember.body.data!.createEvent).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const asStranger = await gql(
      server.graphqlUrl,
      CREATE_EVENT,
      { input: { ...valid(), groupId: secret.globalId } },
      { token: stranger.token },
    );
    expect(asStranger.body.data!.createEvent).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const badId = await gql(
      server.graphqlUrl,
      CREATE_EVENT,
      { input: { ...valid(), groupId: globalId('Person', owner.id) } },
      { token: owner.token },
    );
    expect(badId.body.data!.createEvent.__typename).toBe('NotFoundError');
  });
});

describe('rsvp', () => {
  it('records GOING, MAYBE and NOT_GOING and keeps the counts', async () => {
    const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId);
    expect((await apiRsvp(server.graphqlUrl, member, event.id, 'GOING')).event).toMatchObject({
      viewerRsvp: 'GOING',
      goingCount: 1,
    });
    expect((await apiRsvp(server.graphqlUrl, member, event.id, 'MAYBE')).event).toMatchObject({
      viewerRsvp: 'MAYBE',
      goingCount: 0,
      maybeCount: 1,
    });
    expect((await apiRsvp(server.graphqlUrl, member, event.id, 'NOT_GOING')).event).toMatchObject({
      viewerRsvp: 'NOT_GOING',
      goingCount: 0,
      maybeCount: 0,
    });
  });

  it('accepts the bare UUID of /events/<uuid> as the event id', async () => {
    const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId);
    expect((await apiRsvp(server.graphqlUrl, member, event.uuid, 'GOING')).event.viewerRsvp).toBe('GOING');
    const read = await gql(server.graphqlUrl, EVENT, { id: event.uuid }, { token: member.token });
    expect(read.body.data!.event.id).toBe(event.id);
  });

  it('refuses WAITLISTED as an answer, non-members with ForbiddenError, and hidden events with NotFoundError', async () => {
    const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId);
    expect((await apiRsvp(server.graphqlUrl, member, event.id, 'WAITLISTED')).__typename).toBe('ValidationError');
    expect((await apiRsvp(server.graphqlUrl, stranger, event.id, 'GOING')).__typename).toBe('ForbiddenError');
    const hidden = await apiCreateEvent(server.graphqlUrl, owner, secret.globalId);
    expect((await apiRsvp(server.graphqlUrl, stranger, hidden.id, 'GOING')).__typename).toBe('NotFoundError');
    expect((await apiRsvp(server.graphqlUrl, member, hidden.id, 'GOING')).__typename).toBe('EventPayload');
  });

  it('waitlists GOING on a full event in order, and promotes the first in line when a seat frees', async () => {
    const db = server.app.services.db;
    const [a, b, c] = await Promise.all([createUser(db, 'Ann'), createUser(db, 'Ben'), createUser(db, 'Cat')]);
    for (const user of [a, b, c]) await addMember(db, group.id, user!);
    const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId, { capacity: 1 });
    expect((await apiRsvp(server.graphqlUrl, a!, event.id, 'GOING')).event.viewerRsvp).toBe('GOING');
    expect((await apiRsvp(server.graphqlUrl, b!, event.id, 'GOING')).event).toMatchObject({
      viewerRsvp: 'WAITLISTED',
      viewerWaitlistPosition: 1,
    });
    expect((await apiRsvp(server.graphqlUrl, c!, event.id, 'GOING')).event).toMatchObject({
      viewerRsvp: 'WAITLISTED',
      viewerWaitlistPosition: 2,
    });
    // Answering GOING again keeps the place in line.
    expect((await apiRsvp(server.graphqlUrl, c!, event.id, 'GOING')).event.viewerWaitlistPosition).toBe(2);

    await apiRsvp(server.graphqlUrl, a!, event.id, 'NOT_GOING');
    const asB = await gql(server.graphqlUrl, EVENT, { id: event.id }, { token: b!.token });
    expect(asB.body.data!.event).toMatchObject({
      viewerRsvp: 'GOING',
      viewerWaitlistPosition: null,
      goingCount: 1,
      waitlistCount: 1,
    });
    const asC = await gql(server.graphqlUrl, EVENT, { id: event.id }, { token: c!.token });
    expect(asC.body.data!.event).toMatchObject({ viewerRsvp: 'WAITLISTED', viewerWaitlistPosition: 1 });
    const promoted = await db.notification.findMany({ where: { subjectId: event.id, kind: 'WAITLIST_PROMOTED' } });
    expect(promoted.map((n) => n.recipientId)).toEqual([b!.id]);

    // Someone leaving the waitlist does not free a seat.
    await apiRsvp(server.graphqlUrl, c!, event.id, 'MAYBE');
    const after = await gql(server.graphqlUrl, EVENT, { id: event.id }, { token: owner.token });
    expect(after.body.data!.event).toMatchObject({ goingCount: 1, waitlistCount: 0, maybeCount: 1 });
  });

  it('promotes the waitlist in order when the capacity is raised, and refuses lowering it below the going count', async () => {
    const db = server.app.services.db;
    const users = await Promise.all([1, 2, 3, 4].map((n) => createUser(db, `Cap ${n}`)));
    for (const user of users) await addMember(db, group.id, user);
    const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId, { capacity: 1 });
    for (const user of users) await apiRsvp(server.graphqlUrl, user, event.id, 'GOING');
    const lower = await gql(
      server.graphqlUrl,
      UPDATE_EVENT,
      { input: { eventId: event.id, capacity: 1 } },
      { token: member.token },
    );
    expect(lower.body.data!.updateEvent.__typename).toBe('ForbiddenError');
    const raised = await gql(
      server.graphqlUrl,
      UPDATE_EVENT,
      { input: { eventId: event.id, capacity: 3 } },
      { token: moderator.token },
    );
    expect(raised.body.data!.updateEvent.event).toMatchObject({ capacity: 3, goingCount: 3, waitlistCount: 1 });
    const going = await db.rsvp.findMany({ where: { eventId: event.uuid, status: 'GOING' }, select: { userId: true } });
    expect(going.map((row) => row.userId).sort()).toEqual(
      users
        .slice(0, 3)
        .map((u) => u.id)
        .sort(),
    );
    const tooLow = await gql(
      server.graphqlUrl,
      UPDATE_EVENT,
      { input: { eventId: event.id, capacity: 2 } },
      { token: owner.token },
    );
    expect(tooLow.body.data!.updateEvent.__typename).toBe('ValidationError');
  });
});

describe('leaving a group', () => {
  it('gives up the member’s seats to the head of each waitlist (releaseMemberRsvps, for the groups module)', async () => {
    const db = server.app.services.db;
    const [leaver, waiting] = await Promise.all([createUser(db, 'Leaver'), createUser(db, 'Waiting')]);
    for (const user of [leaver, waiting]) await addMember(db, group.id, user!);
    const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId, { capacity: 1 });
    await apiRsvp(server.graphqlUrl, leaver!, event.id, 'GOING');
    await apiRsvp(server.graphqlUrl, waiting!, event.id, 'GOING');
    const created = await db.$transaction(async (tx) => {
      await tx.membership.delete({ where: { groupId_userId: { groupId: group.id, userId: leaver!.id } } });
      return releaseMemberRsvps(tx, group.id, leaver!.id);
    });
    expect(created.map((n) => n.recipientId)).toEqual([waiting!.id]);
    const rows = await db.rsvp.findMany({ where: { eventId: event.uuid }, select: { userId: true, status: true } });
    expect(rows).toEqual([{ userId: waiting!.id, status: 'GOING' }]);
  });
});

describe('capacity under concurrency', () => {
  const scaleOut = backendFromEnv().kind === 'scale-out';

  it(`never exceeds capacity when 30 members RSVP GOING at once${scaleOut ? ' across two instances' : ''}, and promotes in order`, async () => {
    const db = server.app.services.db;
    // Scale-out: a second instance on the same database takes every other request.
    const second = scaleOut ? await startServer({ database: server.database }) : null;
    try {
      const urls = second ? [server.graphqlUrl, second.graphqlUrl] : [server.graphqlUrl];
      const crowd = await Promise.all(Array.from({ length: 30 }, (_, i) => createUser(db, `Crowd ${i}`)));
      await db.membership.createMany({ data: crowd.map((user) => ({ groupId: group.id, userId: user.id })) });
      const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId, { capacity: 5 });

      const results = await Promise.all(
        crowd.map((user, i) => apiRsvp(urls[i % urls.length]!, user, event.id, 'GOING')),
      );
      expect(results.every((r) => r.__typename === 'EventPayload')).toBe(true);
      const statuses = results.map((r) => r.event.viewerRsvp);
      expect(statuses.filter((s) => s === 'GOING')).toHaveLength(5);
      expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(25);

      const waitlist = await db.rsvp.findMany({
        where: { eventId: event.uuid, status: 'WAITLISTED' },
        orderBy: { waitlistedAt: 'asc' },
        select: { userId: true, waitlistedAt: true },
      });
      // A strict order: no two members share a waitlist time.
      const times = waitlist.map((row) => row.waitlistedAt!.getTime());
      expect(new Set(times).size).toBe(25);
      // Everyone's reported position is their place in that order.
      const positions = new Map(waitlist.map((row, index) => [row.userId, index + 1]));
      crowd.forEach((user, i) => {
        if (results[i]!.event.viewerRsvp === 'WAITLISTED')
          expect(results[i]!.event.viewerWaitlistPosition).toBe(positions.get(user.id));
      });

      // Three seated members cancel at once: the first three in line move up, nobody else.
      const seated = crowd.filter((_, i) => statuses[i] === 'GOING').slice(0, 3);
      await Promise.all(seated.map((user, i) => apiRsvp(urls[i % urls.length]!, user, event.id, 'NOT_GOING')));
      const going = await db.rsvp.findMany({
        where: { eventId: event.uuid, status: 'GOING' },
        select: { userId: true },
      });
      expect(going).toHaveLength(5);
      const promotedIds = new Set(waitlist.slice(0, 3).map((row) => row.userId));
      for (const row of waitlist.slice(0, 3)) expect(going.map((g) => g.userId)).toContain(row.userId);
      const stillWaiting = await db.rsvp.findMany({
        where: { eventId: event.uuid, status: 'WAITLISTED' },
        orderBy: { waitlistedAt: 'asc' },
        select: { userId: true },
      });
      expect(stillWaiting.map((row) => row.userId)).toEqual(waitlist.slice(3).map((row) => row.userId));
      const notified = await db.notification.findMany({ where: { subjectId: event.id, kind: 'WAITLIST_PROMOTED' } });
      expect(new Set(notified.map((n) => n.recipientId))).toEqual(promotedIds);
    } finally {
      await second?.stop();
    }
  });
});

describe('event lists', () => {
  it('lists upcoming events of my groups soonest first, and a group’s upcoming and past events', async () => {
    const db = server.app.services.db;
    const viewer = await createUser(db, 'Lister');
    const mine = await createGroup(db, {
      visibility: 'PRIVATE',
      members: [
        [owner, 'OWNER'],
        [viewer, 'MEMBER'],
      ],
    });
    const later = await apiCreateEvent(server.graphqlUrl, owner, mine.globalId, {
      title: 'Later',
      startsAt: inHours(72),
      endsAt: inHours(73),
    });
    const sooner = await apiCreateEvent(server.graphqlUrl, owner, mine.globalId, {
      title: 'Sooner',
      startsAt: inHours(5),
      endsAt: inHours(6),
    });
    const past = await db.event.create({
      data: {
        groupId: mine.id,
        title: 'Past',
        startsAt: new Date(Date.now() - 5 * 3600e3),
        endsAt: new Date(Date.now() - 4 * 3600e3),
        timeZone: 'UTC',
      },
    });
    const upcoming = await gql(
      server.graphqlUrl,
      `{ upcomingEvents(first: 10) { edges { node { id title } } } }`,
      {},
      { token: viewer.token },
    );
    expect(upcoming.body.data!.upcomingEvents.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      sooner.id,
      later.id,
    ]);
    const groupEvents = await gql(
      server.graphqlUrl,
      `query($id: ID!) { node(id: $id) { ... on Group { events(first: 10) { edges { node { title } } } past: events(upcoming: false, first: 10) { edges { node { id title } } } } } }`,
      { id: mine.globalId },
      { token: viewer.token },
    );
    expect(groupEvents.body.data!.node.events.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual([
      'Sooner',
      'Later',
    ]);
    expect(groupEvents.body.data!.node.past.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual([
      past.title,
    ]);
    // Pagination walks the same order.
    const page1 = await gql(
      server.graphqlUrl,
      `{ upcomingEvents(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`,
      {},
      { token: viewer.token },
    );
    const { endCursor } = page1.body.data!.upcomingEvents.pageInfo;
    const page2 = await gql(
      server.graphqlUrl,
      `query($after: String) { upcomingEvents(first: 1, after: $after) { edges { node { id } } } }`,
      { after: endCursor },
      { token: viewer.token },
    );
    expect(page2.body.data!.upcomingEvents.edges[0].node.id).toBe(later.id);
  });
});

describe('GET /events/<uuid>.ics', () => {
  it('returns a valid RFC 5545 calendar with CRLF lines, folding, escaping, and local times in the event zone (TZID)', async () => {
    const description = `Bring a laptop; we pair on issues, review PRs, and eat.\nSecond line with ümlauts ${'long '.repeat(30)}`;
    const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId, {
      title: 'Rust, async; and you',
      description,
      startsAt: '2031-07-01T16:00:00.000Z',
      endsAt: '2031-07-01T18:30:00.000Z',
      timeZone: 'America/New_York',
      location: 'Room 3, Hall B',
    });
    const response = await fetch(`${server.url}/events/${event.uuid}.ics`, {
      headers: { authorization: `Bearer ${member.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="rust-async-and-you\.ics"$/);
    const body = await response.text();
    expect(body.endsWith('\r\n')).toBe(true);
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const physical = body.split('\r\n').slice(0, -1);
    for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(physical.some((line) => line.startsWith(' '))).toBe(true); // the long description was folded
    const logical = body.replace(/\r\n /g, '').split('\r\n');
    expect(logical[0]).toBe('BEGIN:VCALENDAR');
    expect(logical).toContain('VERSION:2.0');
    expect(logical.some((l) => l.startsWith('PRODID:'))).toBe(true);
    expect(logical).toContain('BEGIN:VEVENT');
    expect(logical).toContain(`UID:${event.uuid}@guildhall`);
    expect(logical.find((l) => l.startsWith('DTSTAMP:'))).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    expect(logical).toContain('DTSTART;TZID=America/New_York:20310701T120000');
    expect(logical).toContain('DTEND;TZID=America/New_York:20310701T143000');
    expect(logical).toContain('X-WR-TIMEZONE:America/New_York');
    // An independent parser reads the same instants back through the VTIMEZONE.
    const parsed = Object.values(ical.sync.parseICS(body)).find((entry) => entry?.type === 'VEVENT') as VEvent;
    expect(parsed.start.toISOString()).toBe('2031-07-01T16:00:00.000Z');
    expect(parsed.end?.toISOString()).toBe('2031-07-01T18:30:00.000Z');
    expect(logical).toContain('SUMMARY:Rust\\, async\\; and you');
    expect(logical).toContain('LOCATION:Room 3\\, Hall B');
    const desc = logical.find((l) => l.startsWith('DESCRIPTION:'))!;
    expect(desc).toContain('Bring a laptop\\; we pair on issues\\, review PRs\\, and eat.\\nSecond line with ümlauts');
    expect(desc).toContain('Planned in America/New_York'); // the local time in the event's zone, in words
    expect(desc).toContain('12:00');
    expect(logical.at(-2)).toBe('END:VCALENDAR');
  });

  it('authenticates by the session cookie too', async () => {
    const event = await apiCreateEvent(server.graphqlUrl, owner, group.globalId);
    const response = await fetch(`${server.url}/events/${event.uuid}.ics`, {
      headers: { cookie: `gh_session=${member.token}` },
    });
    expect(response.status).toBe(200);
  });

  it('answers the same 404 when signed out, to a stranger of a secret group, and for a missing event', async () => {
    const hidden = await apiCreateEvent(server.graphqlUrl, owner, secret.globalId);
    const missing = '01900000-0000-7000-8000-000000000000';
    const answers = await Promise.all([
      fetch(`${server.url}/events/${hidden.uuid}.ics`),
      fetch(`${server.url}/events/${hidden.uuid}.ics`, { headers: { authorization: `Bearer ${stranger.token}` } }),
      fetch(`${server.url}/events/${missing}.ics`, { headers: { authorization: `Bearer ${stranger.token}` } }),
      fetch(`${server.url}/events/${hidden.uuid}.ics`, { headers: { authorization: 'Bearer made-up' } }),
    ]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404]);
    expect(new Set(bodies).size).toBe(1);
    const asMember = await fetch(`${server.url}/events/${hidden.uuid}.ics`, {
      headers: { authorization: `Bearer ${member.token}` },
    });
    expect(asMember.status).toBe(200);
  });
});
