import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../support/graphql.js';
import { createGroup, createUser, globalId, inHours } from '../support/events.js';
import { startServer, type TestServer } from '../support/server.js';

// A PRIVATE group's events are visible to every signed-in member (what and when), but the place
// and the link to join are for the group's members, in the API and in the .ics alike.

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('events of a private group', () => {
  it('show what and when to outsiders, and where and how to join only to members', async () => {
    const db = server.app.services.db;
    const [owner, member, outsider] = [
      await createUser(db, 'Owner'),
      await createUser(db, 'Member'),
      await createUser(db, 'Outsider'),
    ];
    const group = await createGroup(db, {
      visibility: 'PRIVATE',
      members: [
        [owner, 'OWNER'],
        [member, 'MEMBER'],
      ],
    });
    const event = await db.event.create({
      data: {
        groupId: group.id,
        title: 'Design review night',
        startsAt: new Date(inHours(48)),
        endsAt: new Date(inHours(50)),
        timeZone: 'Europe/Berlin',
        onlineUrl: 'https://meet.example.com/private-room-4711',
        location: 'Back room, Kastanienallee 12',
      },
      select: { id: true },
    });
    const QUERY = `query($id: ID!) { event(id: $id) { title onlineUrl location } }`;
    const as = async (token: string) =>
      (await gql(server.graphqlUrl, QUERY, { id: globalId('Event', event.id) }, { token })).body.data!.event;

    expect(await as(member.token)).toEqual({
      title: 'Design review night',
      onlineUrl: 'https://meet.example.com/private-room-4711',
      location: 'Back room, Kastanienallee 12',
    });
    expect(await as(outsider.token)).toEqual({ title: 'Design review night', onlineUrl: null, location: null });

    const ics = async (token: string) =>
      (await fetch(`${server.url}/events/${event.id}.ics`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(await ics(member.token)).toContain('private-room-4711');
    const outsiderCalendar = await ics(outsider.token);
    expect(outsiderCalendar).toContain('Design review night');
    expect(outsiderCalendar).not.toContain('private-room-4711');
    expect(outsiderCalendar).not.toContain('Kastanienallee');
  });
});
