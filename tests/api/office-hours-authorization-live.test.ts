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
  ohMutation,
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
    const live = FOLLOWS[subject].map((actor) => streams.get(actor)!);
    if (subject === 'PAIR') {
      // The mentee gives up their seat in the last session, takes it again, and so on: the host and the
      // mentee hear of each.
      let bookingId = w.pair.upcomingBookings.at(-1)!;
      await warmAll(live, async () => {
        const cancelled = await ohMutation(url, w.people.attendee, 'cancelBooking', { bookingId }, 'booking { id }');
        if (cancelled.__typename !== 'BookingPayload') {
          bookingId = await book(url, w.people.attendee, w.pair.sessions.at(-1)!, '');
        }
      });
    } else {
      const slotId = w.series[subject].open;
      await warmAll(live, async () => {
        const bookingId = await book(url, w.people.attendee2, slotId, `Live ${subject}`);
        await ohOk(url, w.people.attendee2, 'cancelBooking', { bookingId }, 'booking { id }');
      });
    }
    for (const stream of live) expect(stream.errors).toEqual([]);
  });
});

/**
 * Repeats `trigger` until every stream has heard something new: events are live only, so a test first
 * proves its subscriptions are listening (each round waits a while, then tries again).
 */
async function warmAll(streams: Array<Stream<ActivityEvent>>, trigger: () => Promise<unknown>) {
  const deadline = Date.now() + 40_000;
  const marks = streams.map((stream) => stream.received.length);
  for (;;) {
    await trigger();
    try {
      await Promise.all(
        streams.map((stream, index) => stream.waitFor((items) => items.length > marks[index]!, 'warm-up', 3_000)),
      );
      return;
    } catch (error) {
      if (Date.now() > deadline || streams.some((stream) => stream.hasEnded())) throw error;
    }
  }
}

describe('officeHoursActivity: every event is checked and resolved for its recipient', () => {
  it('a GROUPS series: each reads their own; removed from the group or blocked mid-stream, no more events', async () => {
    const s = w.series.GROUPS;
    const followers = FOLLOWS.GROUPS;
    const streams = {} as Record<SignedIn, Stream<ActivityEvent>>;
    for (const actor of followers) streams[actor] = follow(actor, s.id);

    // Listening: attendee2 books and cancels the full slot's neighbour until everyone heard it.
    await warmAll(
      followers.map((actor) => streams[actor]),
      async () => {
        const warm = await book(url, w.people.attendee2, s.open, `Live warm-up ${w.tag}`);
        await ohOk(url, w.people.attendee2, 'cancelBooking', { bookingId: warm }, 'booking { id }');
      },
    );

    // Event 1: the other member books the open slot with a question.
    const question = `LIVE-Q-other-${w.tag}`;
    const booking = await book(url, w.people.other, s.open, question);
    await streams.host.waitFor(
      (events) => events.some((e) => e.slot.bookings.some((b) => b.id === booking)),
      'host: the booking with its question',
    );
    await streams.other.waitFor(
      (events) => events.some((e) => e.slot.viewerBooking?.id === booking),
      'other: their own booking',
    );
    const hostView = streams.host.received.find((e) => e.slot.bookings.some((b) => b.id === booking))!;
    const ownView = streams.other.received.find((e) => e.slot.viewerBooking?.id === booking)!;
    // Resolved with each recipient's access: the host reads the booking and its question; the one who
    // booked reads their own and the place (and, as this series shows names, their own name).
    expect(hostView.slot.bookings).toContainEqual({ id: booking, question });
    expect(hostView.slot.onlineUrl).toBe(s.onlineUrl);
    expect(ownView.slot.viewerBooking).toEqual({ id: booking, question });
    expect(ownView.slot.onlineUrl).toBe(s.onlineUrl);
    expect(ownView.slot.location).toBe(s.location);
    expect(ownView.slot.attendees).toEqual([{ id: w.people.other.personId }]);
    // Everyone else, in every event they got: no booking, no line, no place, no names, no question.
    for (const actor of ['attendee', 'waitlisted'] as const) {
      await streams[actor].waitFor((events) => events.some((e) => e.slot.seatsTaken === 1), `${actor}: the booking`);
      for (const event of streams[actor].received) {
        expect(event.slot.bookings, actor).toEqual([]);
        expect(event.slot.waitlist, actor).toEqual([]);
        expect(event.slot.viewerBooking, actor).toBeNull();
        expect(event.slot.onlineUrl, actor).toBeNull();
        expect(event.slot.location, actor).toBeNull();
        expect(event.slot.attendees, actor).toEqual([]);
        expect(JSON.stringify(event), actor).not.toContain(question);
      }
    }

    // Mid-stream: the other member leaves the group (the host removes them), the host blocks the attendee.
    const removed = await mutate(url, w.people.host, 'removeMember', {
      groupId: w.group.id,
      personId: w.people.other.personId,
    });
    expect(removed.__typename, JSON.stringify(removed)).toBe('GroupMemberPayload');
    const blocked = await block(url, w.people.host, w.people.attendee);
    expect(blocked.__typename, JSON.stringify(blocked)).toBe('BlockPayload');
    const heardBefore = { other: streams.other.received.length, attendee: streams.attendee.received.length };

    // Events 2 and 3: the waitlisted member books the open slot's last seat, then gives it up.
    const second = await book(url, w.people.waitlisted, s.open, `LIVE-Q-waitlisted-${w.tag}`);
    await streams.waitlisted.waitFor(
      (events) => events.some((e) => e.slot.viewerBooking?.id === second && e.slot.onlineUrl === s.onlineUrl),
      'waitlisted: their booking, with the place',
    );
    await ohOk(url, w.people.waitlisted, 'cancelBooking', { bookingId: second }, 'booking { id }');
    // Each hears the seat given up: an event after the one that showed the waitlisted member's booking.
    const showed = {
      host: (e: ActivityEvent) => e.slot.bookings.some((b) => b.id === second),
      waitlisted: (e: ActivityEvent) => e.slot.viewerBooking?.id === second,
    };
    for (const actor of ['host', 'waitlisted'] as const) {
      await streams[actor].waitFor((events) => {
        const at = events.findIndex(showed[actor]);
        return at >= 0 && events.slice(at + 1).some((e) => e.slot.seatsTaken === 1 && !showed[actor](e));
      }, `${actor}: the seat given up`);
    }
    // Those who lost sight of the series heard nothing after it (their stream may have ended).
    for (const actor of ['other', 'attendee'] as const) {
      expect(streams[actor].received.slice(heardBefore[actor]), `${actor} after losing sight`).toEqual([]);
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
