import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backendFromEnv } from '../support/backend.js';
import { codesOf, memberSocket, openStream, type Stream } from '../support/chat.js';
import { gql, wsClient } from '../support/graphql.js';
import { mutate } from '../support/groups.js';
import {
  ACTORS,
  type Actor,
  AUDIENCES,
  book,
  buildWorld,
  ohOk,
  rowId,
  type SignedIn,
  SIGNED_IN,
  type World,
} from '../support/office-hours-world.js';
import { block } from '../support/safety.js';
import { startServer, type TestServer } from '../support/server.js';

// The office-hours authorization table, live: for each actor of office-hours-authorization.test.ts,
// who may follow a series' officeHoursActivity (checked when it starts and again for every event, so
// an attendee removed from the group or blocked by the host mid-stream hears no more), what each event
// carries for its recipient (resolved with the recipient's access: the host's bookings and questions,
// the place only for those booked, each their own booking), and that notifications never tell anyone
// another attendee's question.

let server: TestServer;
/** Where the subscribers connect: on PostgreSQL + Redis a second instance, so every event crosses Redis. */
let live: TestServer;
let url: string;
let w: World;
const sockets: Client[] = [];
const db = () => server.app.services.db;

beforeAll(async () => {
  server = await startServer();
  live = backendFromEnv().kind === 'scale-out' ? await startServer({ database: server.database }) : server;
  url = server.graphqlUrl;
  w = await buildWorld(url, db());
});
afterEach(async () => {
  while (sockets.length) await sockets.pop()!.dispose();
});
afterAll(async () => {
  if (live !== server) await live?.stop();
  await server?.stop();
});

function socketOf(actor: Actor): Client {
  const socket = actor === 'signedOut' ? wsClient(live.wsUrl) : memberSocket(live.wsUrl, w.people[actor]);
  sockets.push(socket);
  return socket;
}

interface ActivityEvent {
  slot: {
    id: string;
    seatsTaken: number;
    onlineUrl: string | null;
    location: string | null;
    attendees: Array<{ id: string }>;
    bookings: Array<{ id: string; question: string }>;
    waitlist: Array<{ id: string; question: string }>;
    viewerBooking: { id: string; question: string } | null;
    viewerWaitlistEntry: { id: string; question: string } | null;
  };
}
const ACTIVITY = /* GraphQL */ `
  subscription ($id: ID!) { officeHoursActivity(officeHoursId: $id) { slot {
    id seatsTaken onlineUrl location attendees { id }
    bookings { id question } waitlist { id question }
    viewerBooking { id question } viewerWaitlistEntry { id question }
  } } }
`;
const follow = (actor: Actor, officeHoursId: string) =>
  openStream<ActivityEvent>(socketOf(actor), ACTIVITY, { id: officeHoursId }, 'officeHoursActivity');

// Who may follow each series: those who see it (the read table's SEES); signed out nobody (live
// events need an account), anyone else NOT_FOUND.
const FOLLOWS: Record<'PUBLIC' | 'MEMBERS' | 'GROUPS' | 'PAIR' | 'PROPOSED', readonly SignedIn[]> = {
  PUBLIC: ['outsider', 'other', 'waitlisted', 'attendee', 'host'],
  MEMBERS: ['outsider', 'other', 'waitlisted', 'attendee', 'host'],
  GROUPS: ['other', 'waitlisted', 'attendee', 'host'],
  PAIR: ['attendee', 'host'],
  PROPOSED: ['waitlisted', 'host'],
};
type Followed = keyof typeof FOLLOWS;
const seriesId = (subject: Followed) =>
  subject === 'PAIR' ? w.pair.id : subject === 'PROPOSED' ? w.proposed.id : w.series[subject].id;

describe('officeHoursActivity: who may start following a series', () => {
  it.each(['PUBLIC', 'MEMBERS', 'GROUPS', 'PAIR', 'PROPOSED'] as const)('%s', async (subject) => {
    const streams = new Map<Actor, Stream<ActivityEvent>>();
    for (const actor of ACTORS) streams.set(actor, follow(actor, seriesId(subject)));
    // Refused ones end with their code and nothing delivered.
    for (const actor of ACTORS) {
      const follows = actor !== 'signedOut' && FOLLOWS[subject].includes(actor);
      if (follows) continue;
      const end = await streams.get(actor)!.waitForEnd();
      expect(codesOf(end.errors), `${subject} as ${actor}`).toEqual([
        actor === 'signedOut' ? 'UNAUTHENTICATED' : 'NOT_FOUND',
      ]);
      expect(streams.get(actor)!.received).toEqual([]);
    }
    // The others are live: a change to one of the series' slots reaches each of them.
    if (subject === 'PROPOSED') {
      for (const actor of FOLLOWS[subject]) expect(streams.get(actor)!.hasEnded(), actor).toBe(false);
      return;
    }
    const slotId = subject === 'PAIR' ? w.pair.sessions.at(-1)! : w.series[subject].open;
    await change(subject, slotId);
    for (const actor of FOLLOWS[subject]) {
      await streams.get(actor)!.waitFor((items) => items.some((e) => e.slot.id === slotId), `${subject} as ${actor}`);
      expect(streams.get(actor)!.errors, actor).toEqual([]);
    }
  });
});

/** A change to a slot that publishes an event: attendee2 books (and cancels again), or for the pair the host skips a session. */
async function change(subject: Followed, slotId: string) {
  if (subject === 'PAIR') {
    await ohOk(url, w.people.host, 'skipOfficeHourSlot', { slotId, message: 'Away that week' }, 'slot { id }');
    return;
  }
  const bookingId = await book(url, w.people.attendee2, slotId, `Live ${subject}`);
  await ohOk(url, w.people.attendee2, 'cancelBooking', { bookingId }, 'booking { id }');
}

describe('officeHoursActivity: every event is checked and resolved for its recipient', () => {
  it('a GROUPS series: each reads their own; removed from the group or blocked mid-stream, no more events', async () => {
    const s = w.series.GROUPS;
    const followers = FOLLOWS.GROUPS;
    const streams = {} as Record<SignedIn, Stream<ActivityEvent>>;
    for (const actor of followers) streams[actor] = follow(actor, s.id);

    // Event 1: the other member books the open slot with a question.
    const question = `LIVE-Q-other-${w.tag}`;
    const booking = await book(url, w.people.other, s.open, question);
    const first = {} as Record<SignedIn, ActivityEvent>;
    for (const actor of followers) {
      const items = await streams[actor].waitFor(
        (events) => events.some((e) => e.slot.id === s.open && e.slot.seatsTaken === 1),
        `${actor}: the booking`,
      );
      first[actor] = items.find((e) => e.slot.id === s.open && e.slot.seatsTaken === 1)!;
    }
    // Resolved with each recipient's access: the host reads the booking and its question; the one who
    // booked reads their own and the place; the others neither.
    expect(first.host.slot.bookings).toContainEqual({ id: booking, question });
    expect(first.host.slot.onlineUrl).toBe(s.onlineUrl);
    expect(first.other.slot.viewerBooking).toEqual({ id: booking, question });
    expect(first.other.slot.onlineUrl).toBe(s.onlineUrl);
    expect(first.other.slot.location).toBe(s.location);
    for (const actor of ['attendee', 'waitlisted'] as const) {
      expect(first[actor].slot.bookings, actor).toEqual([]);
      expect(first[actor].slot.waitlist, actor).toEqual([]);
      expect(first[actor].slot.viewerBooking, actor).toBeNull();
      expect(first[actor].slot.onlineUrl, actor).toBeNull();
      expect(first[actor].slot.location, actor).toBeNull();
      expect(JSON.stringify(first[actor]), actor).not.toContain(question);
    }
    // Names: this series shows them to attendees, so the one who booked reads theirs; others not.
    expect(first.other.slot.attendees).toEqual([{ id: w.people.other.personId }]);
    expect(first.waitlisted.slot.attendees).toEqual([]);

    // Mid-stream: the other member leaves the group (the host removes them), the host blocks the attendee.
    const removed = await mutate(url, w.people.host, 'removeMember', {
      groupId: w.group.id,
      personId: w.people.other.personId,
    });
    expect(removed.__typename, JSON.stringify(removed)).toBe('GroupMemberPayload');
    const blocked = await block(url, w.people.host, w.people.attendee);
    expect(blocked.__typename, JSON.stringify(blocked)).toBe('BlockPayload');
    const heardBefore = { other: streams.other.received.length, attendee: streams.attendee.received.length };

    // Event 2 and 3: the waitlisted member books the open slot, then attendee2 does too.
    const second = await book(url, w.people.waitlisted, s.open, `LIVE-Q-waitlisted-${w.tag}`);
    await book(url, w.people.attendee2, s.open, `LIVE-Q-attendee2-${w.tag}`);
    for (const actor of ['host', 'waitlisted'] as const) {
      await streams[actor].waitFor(
        (events) => events.some((e) => e.slot.id === s.open && e.slot.seatsTaken === 3),
        `${actor}: the third booking`,
      );
    }
    const waitlistedView = streams.waitlisted.received.find((e) => e.slot.seatsTaken === 3)!;
    expect(waitlistedView.slot.viewerBooking?.id).toBe(second);
    expect(waitlistedView.slot.onlineUrl).toBe(s.onlineUrl);
    // Those who lost sight of the series heard nothing after it (their stream may have ended).
    for (const actor of ['other', 'attendee'] as const) {
      const after = streams[actor].received.slice(heardBefore[actor]);
      expect(after, `${actor} after losing sight`).toEqual([]);
      expect(
        codesOf(streams[actor].errors).filter((code) => code !== 'NOT_FOUND'),
        actor,
      ).toEqual([]);
    }
  });
});

describe('notifications', () => {
  it('never tell anyone another attendee’s question', async () => {
    // The host cancels the MEMBERS series: both attendees and the waitlisted member are told.
    await ohOk(
      url,
      w.people.host,
      'cancelOfficeHours',
      { officeHoursId: w.series.MEMBERS.id, message: 'I am ill, sorry.' },
      'officeHours { status }',
    );
    // Every question of the world, by whose it is.
    const questions: Array<{ owner: 'attendee' | 'attendee2' | 'waitlisted'; text: string }> = [];
    for (const audience of AUDIENCES) {
      const q = w.series[audience].questions;
      questions.push(
        { owner: 'attendee', text: q.attendee },
        { owner: 'attendee2', text: q.attendee2 },
        { owner: 'waitlisted', text: q.waitlisted },
      );
    }
    questions.push({ owner: 'attendee', text: w.past.question });
    await expectEventually(async () => {
      const rows = await db().notification.findMany({ where: { recipientId: rowId(w.people.attendee2.id) } });
      return rows.some((row: { kind: string }) => row.kind === 'OFFICE_HOURS_BOOKING_CANCELLED');
    });
    for (const actor of [...SIGNED_IN, 'attendee2'] as const) {
      const response = await gql(
        url,
        '{ viewer { notifications(first: 100) { edges { node { kind text href } } } } }',
        {},
        { token: w.people[actor].token },
      );
      const text = JSON.stringify(response.body.data);
      for (const question of questions) {
        if (question.owner === actor || actor === 'host') continue;
        expect(text, `${actor} was told ${question.owner}'s question`).not.toContain(question.text);
      }
    }
    // And no stored notification to someone else than the asker or the host carries one.
    const rows = await db().notification.findMany();
    for (const row of rows) {
      const stored = JSON.stringify(row);
      for (const question of questions) {
        const allowed = [rowId(w.people[question.owner].id), rowId(w.people.host.id)];
        if (allowed.includes(row.recipientId)) continue;
        expect(stored).not.toContain(question.text);
      }
    }
  });
});

async function expectEventually(check: () => Promise<boolean>) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the cancellation notifications never came');
}
