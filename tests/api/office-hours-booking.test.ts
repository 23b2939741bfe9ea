import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, setClockOffset } from '../../server/src/lib/clock.js';
import { localToInstant } from '../../server/src/lib/time.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { whenIn } from '../../server/src/modules/office-hours/booking.notifications.js';
import { publishSlotActivity } from '../../server/src/modules/office-hours/booking.service.js';
import { memberSocket, openStream, warmUp } from '../support/chat.js';
import { gql, signUpMember } from '../support/graphql.js';
import { createGroup, personId, userIdOf } from '../support/groups.js';
import {
  book,
  bookingAs,
  bookSlot,
  cancelBooking,
  localDateIn,
  markAttendance,
  notificationKinds,
  notificationsOf,
  ohMutation,
  ohQuery,
  publishOneSlot,
  slotAs,
  wait,
} from '../support/office-hours.js';
import { block } from '../support/safety.js';
import { startServer, type TestServer } from '../support/server.js';

// Booking office hours over real HTTP (and the live stream over a real socket): a seat with a
// question, never more than the seats, one per member, the rules that refuse (full, notice,
// window, own slot, cancelled, past, not visible), cancelling only one's own, the host's
// cancellation telling each attendee, attendance after the start, privacy of questions, names,
// place and link, my bookings, and officeHoursActivity authorised at start. Every refusal is a
// typed result that stores nothing.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;
const HOUR_MS = 3600_000;
const sockets: Client[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  setClockOffset(0);
  while (sockets.length) await sockets.pop()!.dispose();
});

let counter = 0;
const member = (name = 'Member') => signUpMember(url(), { name: `${name} ${++counter}` });
const bookingCount = (slotId: string) => db().booking.count({ where: { slotId: userIdOf(slotId), status: 'BOOKED' } });
describe('booking a seat', () => {
  it('books with a question; seats are counted; the host is told; one seat per member; never more than the seats', async () => {
    const [host, ada, bob, cy] = [await member('Host'), await member('Ada'), await member('Bob'), await member('Cy')];
    const { slotId } = await publishOneSlot(url(), host, { seats: 2 });
    expect(await slotAs(url(), ada, slotId)).toMatchObject({
      seats: 2,
      seatsTaken: 0,
      seatsLeft: 2,
      state: 'OPEN',
      viewerCanBook: true,
      viewerBookingBlocker: null,
      viewerBooking: null,
    });

    const booked = await bookSlot(url(), ada, slotId, '  How do I review a large PR?  ');
    expect(booked.__typename).toBe('BookingPayload');
    expect(booked.booking).toMatchObject({
      status: 'BOOKED',
      question: 'How do I review a large PR?',
      cancelledByHost: false,
      attendance: null,
    });
    expect(booked.booking.calendarUrl).toMatch(/^\/bookings\/[0-9a-f-]{36}\.ics$/);
    expect(await slotAs(url(), ada, slotId)).toMatchObject({
      seatsTaken: 1,
      seatsLeft: 1,
      state: 'OPEN',
      viewerCanBook: false,
      viewerBookingBlocker: 'You have a seat',
      viewerBooking: { id: booked.booking.id, status: 'BOOKED' },
    });
    expect(await notificationKinds(url(), host)).toContain('OFFICE_HOURS_BOOKED');

    // One seat per member per slot.
    expect(await bookSlot(url(), ada, slotId)).toMatchObject({ __typename: 'ConflictError', code: 'ALREADY_BOOKED' });
    await book(url(), bob, slotId);
    const full = await bookSlot(url(), cy, slotId);
    expect(full).toMatchObject({ __typename: 'ConflictError', code: 'SLOT_FULL' });
    expect(await slotAs(url(), cy, slotId)).toMatchObject({
      seatsTaken: 2,
      seatsLeft: 0,
      state: 'FULL',
      viewerCanBook: false,
      viewerBookingBlocker: 'Every seat is taken: join the waitlist',
    });
    expect(await bookingCount(slotId)).toBe(2);
  });

  it('refuses the host their own slot, inside the minimum notice, past the booking window, and a past slot', async () => {
    const [host, ada] = [await member('Host'), await member('Ada')];
    const { slotId } = await publishOneSlot(url(), host, { minimumNoticeMinutes: 120, bookingWindowDays: 60 });
    expect(await bookSlot(url(), host, slotId)).toMatchObject({ code: 'OWN_SLOT' });
    expect((await slotAs(url(), host, slotId))!.viewerCanBook).toBe(false);

    // Past the window: a slot 3 days ahead with a 1-day window.
    const early = await publishOneSlot(url(), host, { bookingWindowDays: 1, startTime: '19:00' });
    const tooEarly = await bookSlot(url(), ada, early.slotId);
    expect(tooEarly).toMatchObject({ __typename: 'ConflictError', code: 'TOO_EARLY' });
    expect((await slotAs(url(), ada, early.slotId))!.viewerBookingBlocker).toBe('Booking opens 1 day ahead');

    // Inside the minimum notice: move the clock to 90 minutes before the start.
    const { startsAt } = (await slotAs(url(), ada, slotId, 'startsAt'))!;
    setClockOffset(new Date(startsAt).getTime() - 90 * 60_000 - Date.now());
    const late = await bookSlot(url(), ada, slotId);
    expect(late).toMatchObject({
      __typename: 'ConflictError',
      code: 'TOO_LATE',
      message: 'Book at least 2 hours ahead',
    });
    expect(await slotAs(url(), ada, slotId)).toMatchObject({
      viewerCanBook: false,
      viewerBookingBlocker: 'Book at least 2 hours ahead',
      state: 'OPEN',
    });

    // After the start.
    advanceClock(2 * HOUR_MS);
    expect(await bookSlot(url(), ada, slotId)).toMatchObject({ code: 'SLOT_PAST' });
    expect((await slotAs(url(), ada, slotId))!.state).toBe('PAST');
    expect(await bookingCount(slotId)).toBe(0);
  });

  it('answers NOT_FOUND for a slot the member may not see (another group’s) and refuses signed-out visitors', async () => {
    const [host, insider, outsider] = [await member('Host'), await member('In'), await member('Out')];
    const group = await createGroup(url(), host, { name: `Rustaceans ${counter}` });
    const joined = await ohMutation(url(), insider, 'joinGroup', { groupId: group.id }, '');
    expect(joined.__typename, JSON.stringify(joined)).not.toMatch(/Error/);
    const { slotId } = await publishOneSlot(url(), host, { audience: 'GROUPS', groupIds: [group.id] });
    expect(await slotAs(url(), outsider, slotId)).toBeNull();
    expect(await bookSlot(url(), outsider, slotId)).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const signedOut = await gql(
      url(),
      'mutation ($input: BookOfficeHourSlotInput!) { bookOfficeHourSlot(input: $input) { __typename } }',
      { input: { slotId } },
    );
    expect(signedOut.body.data?.bookOfficeHourSlot ?? null).toBeNull();
    expect(signedOut.body.errors?.length).toBeGreaterThan(0);
    // A wrong id is NOT_FOUND, a too-long question a field error; nothing stored.
    expect(await bookSlot(url(), insider, 'T2ZmaWNlSG91clNsb3Q6bm9wZQ==')).toMatchObject({ code: 'NOT_FOUND' });
    expect(await bookSlot(url(), insider, slotId, 'x'.repeat(1001))).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: 'question' }],
    });
    expect(await bookingCount(slotId)).toBe(0);
    await book(url(), insider, slotId);
    expect(await bookingCount(slotId)).toBe(1);
  });
});

describe('cancelling', () => {
  it('an attendee cancels only their own seat, before the start, once', async () => {
    const [host, ada, bob] = [await member('Host'), await member('Ada'), await member('Bob')];
    const { slotId } = await publishOneSlot(url(), host, { seats: 1 });
    const bookingId = await book(url(), ada, slotId);
    expect(await cancelBooking(url(), bob, bookingId)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await cancelBooking(url(), host, bookingId)).toMatchObject({ code: 'NOT_FOUND' });
    const cancelled = await cancelBooking(url(), ada, bookingId);
    expect(cancelled.booking).toMatchObject({ status: 'CANCELLED', cancelledByHost: false });
    expect(cancelled.booking.cancelledAt).not.toBeNull();
    expect(await cancelBooking(url(), ada, bookingId)).toMatchObject({ code: 'ALREADY_CANCELLED' });
    expect(await slotAs(url(), bob, slotId)).toMatchObject({ seatsTaken: 0, state: 'OPEN', viewerCanBook: true });
    // The seat is free again — the same member too may book once more.
    const again = await book(url(), ada, slotId);
    advanceClock(4 * 24 * HOUR_MS);
    expect(await cancelBooking(url(), ada, again)).toMatchObject({ code: 'SLOT_PAST' });
  });

  it('the host cancelling the series cancels every booking and place in line and tells each attendee (with email)', async () => {
    const [host, ada, bob, cy] = [await member('Host'), await member('Ada'), await member('Bob'), await member('Cy')];
    const { officeHoursId, slotId } = await publishOneSlot(url(), host, { seats: 2 });
    const adaBooking = await book(url(), ada, slotId);
    const bobBooking = await book(url(), bob, slotId);
    const entryId = await wait(url(), cy, slotId);
    const done = await ohMutation(
      url(),
      host,
      'cancelOfficeHours',
      { officeHoursId, message: 'I am ill, sorry.' },
      '... on OfficeHoursPayload { officeHours { id status } }',
    );
    expect(done.__typename, JSON.stringify(done)).toBe('OfficeHoursPayload');
    for (const [who, id] of [
      [ada, adaBooking],
      [bob, bobBooking],
    ] as const) {
      expect(await bookingAs(url(), who, id)).toMatchObject({ status: 'CANCELLED', cancelledByHost: true });
      const notes = await notificationsOf(url(), who);
      const cancelled = notes.filter((note) => note.kind === 'OFFICE_HOURS_BOOKING_CANCELLED');
      expect(cancelled).toHaveLength(1);
      expect(cancelled[0]!.text).toContain('I am ill, sorry.');
    }
    await runDueJobs(server.app.services);
    expect(
      await db().emailOutbox.count({ where: { toUserId: userIdOf(ada.id), category: 'NOTIFICATION' } }),
    ).toBeGreaterThan(0);
    const entry = await db().officeHoursWaitlistEntry.findUniqueOrThrow({
      where: { id: userIdOf(entryId) },
      select: { status: true },
    });
    expect(entry.status).toBe('LEFT');
    expect(await slotAs(url(), cy, slotId)).toMatchObject({ state: 'CANCELLED', viewerCanBook: false });
    expect(await bookSlot(url(), cy, slotId)).toMatchObject({ code: 'SLOT_CANCELLED' });
    // None of the cancelled bookings keeps a pending reminder.
    const reminders = await db().job.count({
      where: { key: { startsWith: `office-hours.reminder:${userIdOf(adaBooking)}` }, state: 'PENDING' },
    });
    expect(reminders).toBe(0);
  });

  it('a slot the host moves keeps its bookings and tells the attendee old → new', async () => {
    const [host, ada] = [await member('Host'), await member('Ada')];
    const { slotId } = await publishOneSlot(url(), host, { startDate: localDateIn(5) });
    const bookingId = await book(url(), ada, slotId);
    const moved = await ohMutation(url(), host, 'moveOfficeHourSlot', {
      slotId,
      startLocal: `${localDateIn(6)}T10:00`,
    });
    expect(moved.__typename, JSON.stringify(moved)).toBe('OfficeHourSlotPayload');
    expect(await bookingAs(url(), ada, bookingId)).toMatchObject({ status: 'BOOKED' });
    const notes = await notificationsOf(url(), ada);
    const note = notes.find((n) => n.kind === 'OFFICE_HOURS_SLOT_MOVED');
    const { startsAt } = (await slotAs(url(), ada, slotId, 'startsAt'))!;
    expect(startsAt).toBe(localToInstant(`${localDateIn(6)}T10:00`, 'Europe/Berlin').toISOString());
    // Ada's zone is UTC: the words say both times in it.
    expect(note?.text).toMatch(/moved from .+ \(UTC\) to /);
    expect(note?.text).toContain(`to ${whenIn(new Date(startsAt), 'UTC')}`);
    const row = await db().booking.findUniqueOrThrow({
      where: { id: userIdOf(bookingId) },
      select: { sequence: true },
    });
    expect(row.sequence).toBeGreaterThan(0);
  });
});

describe('attendance', () => {
  it('the host marks attendance once the session has started; nobody else may', async () => {
    const [host, ada] = [await member('Host'), await member('Ada')];
    const { slotId } = await publishOneSlot(url(), host);
    const bookingId = await book(url(), ada, slotId);
    expect(await markAttendance(url(), host, bookingId, 'ATTENDED')).toMatchObject({ code: 'SLOT_NOT_STARTED' });
    const { startsAt } = (await slotAs(url(), host, slotId, 'startsAt'))!;
    setClockOffset(new Date(startsAt).getTime() + 5 * 60_000 - Date.now());
    expect(await markAttendance(url(), ada, bookingId, 'ATTENDED')).toMatchObject({ code: 'NOT_FOUND' });
    expect((await markAttendance(url(), host, bookingId, 'NO_SHOW')).booking.attendance).toBe('NO_SHOW');
    expect((await markAttendance(url(), host, bookingId, 'ATTENDED')).booking.attendance).toBe('ATTENDED');
    advanceClock(HOUR_MS);
    const past = await ohQuery(url(), ada, 'query { myBookings(when: PAST) { edges { node { id attendance } } } }');
    expect(past.myBookings.edges).toEqual([{ node: { id: bookingId, attendance: 'ATTENDED' } }]);
  });
});

describe('privacy', () => {
  it('questions, names, place and link reach only whom they should', async () => {
    const [host, ada, bob, cy, other] = [
      await member('Host'),
      await member('Ada'),
      await member('Bob'),
      await member('Cy'),
      await member('Other'),
    ];
    const hidden = await publishOneSlot(url(), host, { seats: 2, attendeesSeeNames: false });
    const adaBooking = await book(url(), ada, hidden.slotId, 'Ada’s secret question');
    const bobBooking = await book(url(), bob, hidden.slotId, 'Bob’s secret question');
    await wait(url(), cy, hidden.slotId, 'Cy waits');

    const asHost = (await slotAs(url(), host, hidden.slotId))!;
    expect(asHost.onlineUrl).toBe('https://meet.example.com/clinic');
    expect(asHost.location).toBe('Room 4, Guild Hall');
    expect(asHost.attendees.map((p: { id: string }) => p.id).sort()).toEqual(
      [ada.id, bob.id].map((id) => Buffer.from(`Person:${userIdOf(id)}`).toString('base64')).sort(),
    );
    expect(asHost.bookings.map((b: { question: string }) => b.question).sort()).toEqual([
      'Ada’s secret question',
      'Bob’s secret question',
    ]);
    expect(asHost.waitlist).toMatchObject([{ status: 'WAITING', position: 1, question: 'Cy waits' }]);

    const asAda = (await slotAs(url(), ada, hidden.slotId))!;
    expect(asAda).toMatchObject({
      onlineUrl: 'https://meet.example.com/clinic',
      location: 'Room 4, Guild Hall',
      attendees: [],
      bookings: [],
      waitlist: [],
      viewerBooking: { id: adaBooking, question: 'Ada’s secret question' },
    });
    // Another attendee's booking is not Ada's to see.
    expect(await bookingAs(url(), ada, bobBooking)).toBeNull();
    expect(await bookingAs(url(), null, adaBooking)).toBeNull();

    // The waitlisted member does not get the place or the link; a stranger neither.
    for (const who of [cy, other]) {
      expect(await slotAs(url(), who, hidden.slotId)).toMatchObject({
        onlineUrl: null,
        location: null,
        attendees: [],
        bookings: [],
        waitlist: [],
        viewerBooking: null,
      });
    }
    expect((await slotAs(url(), cy, hidden.slotId))!.viewerWaitlistEntry).toMatchObject({
      status: 'WAITING',
      position: 1,
    });

    // With names shown, booked attendees see each other's names — still no question.
    const shown = await publishOneSlot(url(), host, { seats: 2, attendeesSeeNames: true, startTime: '09:00' });
    await book(url(), ada, shown.slotId, 'Ada asks');
    await book(url(), bob, shown.slotId, 'Bob asks');
    const seen = (await slotAs(url(), ada, shown.slotId))!;
    expect(seen.attendees.map((p: { name: string }) => p.name).sort()).toEqual([ada.name, bob.name].sort());
    expect(seen.bookings).toEqual([]);
    expect((await slotAs(url(), other, shown.slotId))!.attendees).toEqual([]);
  });
});

describe('a block after booking', () => {
  it('keeps the blocked member from reading the seat and the slot; the host still sees it; they may still give it back', async () => {
    const [host, ada] = [await member('Host'), await member('Ada')];
    const { slotId } = await publishOneSlot(url(), host, { audience: 'PUBLIC' });
    const bookingId = await book(url(), ada, slotId, 'Before the block');
    const blocked = await block(url(), { ...host, personId: personId(host) }, { ...ada, personId: personId(ada) });
    expect(blocked.__typename, JSON.stringify(blocked)).toBe('BlockPayload');
    expect(await bookingAs(url(), ada, bookingId)).toBeNull();
    expect(await slotAs(url(), ada, slotId)).toBeNull();
    expect((await ohQuery(url(), ada, 'query { myBookings { edges { node { id } } } }')).myBookings.edges).toEqual([]);
    expect(await bookingAs(url(), host, bookingId)).toMatchObject({ question: 'Before the block' });
    expect((await cancelBooking(url(), ada, bookingId)).booking.status).toBe('CANCELLED');
    expect(await bookSlot(url(), ada, slotId)).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('my bookings and places in line', () => {
  it('lists the viewer’s upcoming seats, host-cancelled ones, and their places in line', async () => {
    const [host, ada, bob] = [await member('Host'), await member('Ada'), await member('Bob')];
    const first = await publishOneSlot(url(), host, { seats: 1, startDate: localDateIn(4) });
    const second = await publishOneSlot(url(), host, { seats: 1, startDate: localDateIn(2) });
    const later = await book(url(), ada, first.slotId);
    const sooner = await book(url(), ada, second.slotId);
    const entryId = await wait(url(), bob, second.slotId);
    const mine = await ohQuery(url(), ada, 'query { myBookings { edges { node { id status } } } }');
    expect(mine.myBookings.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([sooner, later]);
    const page = await ohQuery(
      url(),
      ada,
      'query { myBookings(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
    );
    expect(page.myBookings.pageInfo.hasNextPage).toBe(true);
    const next = await ohQuery(
      url(),
      ada,
      'query ($after: String) { myBookings(first: 1, after: $after) { edges { node { id } } } }',
      {
        after: page.myBookings.pageInfo.endCursor,
      },
    );
    expect(next.myBookings.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([later]);
    const places = await ohQuery(url(), bob, 'query { myWaitlistEntries { id status position } }');
    expect(places.myWaitlistEntries).toEqual([{ id: entryId, status: 'WAITING', position: 1 }]);
    expect((await ohQuery(url(), ada, 'query { myWaitlistEntries { id } }')).myWaitlistEntries).toEqual([]);
    // Own cancellations leave the list.
    await cancelBooking(url(), ada, later);
    const after = await ohQuery(url(), ada, 'query { myBookings { edges { node { id } } } }');
    expect(after.myBookings.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([sooner]);
  });
});

describe('officeHoursActivity', () => {
  it('tells a subscriber a slot changed, with the fields as they may see them; NOT_FOUND for a series they may not see', async () => {
    const [host, ada, bob, outsider] = [
      await member('Host'),
      await member('Ada'),
      await member('Bob'),
      await member('Out'),
    ];
    const group = await createGroup(url(), host, { name: `Live ${counter}` });
    await ohMutation(url(), ada, 'joinGroup', { groupId: group.id }, '');
    await ohMutation(url(), bob, 'joinGroup', { groupId: group.id }, '');
    const { officeHoursId, slotId } = await publishOneSlot(url(), host, {
      audience: 'GROUPS',
      groupIds: [group.id],
      seats: 2,
    });
    const query = /* GraphQL */ `subscription ($id: ID!) { officeHoursActivity(officeHoursId: $id) { slot { id seatsTaken seatsLeft state onlineUrl viewerBooking { id } } } }`;
    const bobSocket = memberSocket(server.wsUrl, bob);
    sockets.push(bobSocket);
    const stream = openStream<{ slot: Record<string, unknown> }>(
      bobSocket,
      query,
      { id: officeHoursId },
      'officeHoursActivity',
    );
    // The subscription is live once a nudge for the slot reaches it.
    await warmUp(
      stream,
      async () =>
        publishSlotActivity(server.app.services.pubsub, [
          { officeHoursId: userIdOf(officeHoursId), slotId: userIdOf(slotId) },
        ]),
      () => true,
      'the subscription is live',
    );
    const before = stream.received.length;

    const outsiderSocket = memberSocket(server.wsUrl, outsider);
    sockets.push(outsiderSocket);
    const refused = openStream(outsiderSocket, query, { id: officeHoursId }, 'officeHoursActivity');
    const end = await refused.waitForEnd();
    expect(refused.received).toEqual([]);
    expect(end.errors.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);

    await book(url(), ada, slotId);
    const events = await stream.waitFor(
      (items) => items.slice(before).some((item) => item.slot.seatsTaken === 1),
      'the booking event',
    );
    expect(events.slice(before).find((item) => item.slot.seatsTaken === 1)!.slot).toMatchObject({
      id: slotId,
      seatsTaken: 1,
      seatsLeft: 1,
      state: 'OPEN',
      onlineUrl: null,
      viewerBooking: null,
    });
  });
});
