import ical, { type VEvent } from 'node-ical';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { localToInstant } from '../../server/src/lib/time.js';
import type { Member } from '../support/graphql.js';
import { members, userIdOf } from '../support/groups.js';
import { activeMentorship } from '../support/mentorship.js';
import {
  book,
  cancel,
  createSeries,
  createSlot,
  fetchPath,
  moveSlot,
  rowId,
  setZone,
  viewerCall,
} from '../support/office-hours-calendar.js';
import { startServer, type TestServer } from '../support/server.js';

// Calendars of office hours over HTTP: a booking's .ics (attendee or host only, else the same 404)
// and a member's private feed (secret address, rotated and revoked), read back with an independent
// parser (node-ical) and compared with the instants lib/time gives for the host's wall-clock times,
// across the host zone's spring change. Series, slots and bookings are rows as the booking paths
// leave them (tests/support/office-hours-calendar.ts).

let server: TestServer;
let host: Member;
let attendee: Member;
let other: Member;
const db = () => server.app.services.db;
const url = () => server.graphqlUrl;

const BERLIN = 'Europe/Berlin';
// 17:00 in Berlin on the Tuesday before and after Berlin's clocks go forward (28 March 2027).
const BEFORE = localToInstant('2027-03-23T17:00', BERLIN);
const AFTER = localToInstant('2027-03-30T17:00', BERLIN);

function parse(body: string) {
  const entries = Object.values(ical.sync.parseICS(body));
  const events = entries.filter((entry) => entry?.type === 'VEVENT') as VEvent[];
  const calendar = entries.find((entry) => entry?.type === 'VCALENDAR') as { method?: string } | undefined;
  const zones = entries.filter((entry) => entry?.type === 'VTIMEZONE') as Array<{ tzid?: string }>;
  return { events, event: events[0]!, calendar, zones };
}

const logical = (body: string) => body.replace(/\r\n /g, '').split('\r\n');

async function bookingIcs(who: Member | null, bookingId: string, auth: 'bearer' | 'cookie' = 'bearer') {
  const credentials = !who ? {} : auth === 'bearer' ? { token: who.token } : { cookie: `gh_session=${who.token}` };
  return fetchPath(server.url, `/bookings/${bookingId}.ics`, credentials);
}

async function createFeed(who: Member): Promise<string> {
  const data = await viewerCall<{ createCalendarFeed: { url: string } }>(
    url(),
    who,
    'mutation { createCalendarFeed { url } }',
  );
  return new URL(data.createCalendarFeed.url).pathname;
}

beforeAll(async () => {
  // The sessions below are in March and April 2027: the server clock starts before them (and before
  // the spring changes), whatever day these tests run on.
  setClockOffset(Date.parse('2026-12-01T12:00:00Z') - Date.now());
  server = await startServer();
  const made = await members(url(), 3, 'Calendar');
  [host, attendee, other] = [made[0]!, made[1]!, made[2]!];
  await setZone(db(), host, BERLIN);
  await setZone(db(), attendee, 'America/New_York');
});
afterAll(async () => {
  await server?.stop();
  setClockOffset(0);
});

describe("a booking's .ics", () => {
  it('writes each slot in the host zone (TZID + VTIMEZONE); node-ical reads the instants lib/time gives, across the spring change', async () => {
    const series = await createSeries(db(), host);
    for (const startsAt of [BEFORE, AFTER]) {
      const slot = await createSlot(db(), series, startsAt);
      const booking = await book(db(), slot.id, attendee);
      const response = await bookingIcs(attendee, booking.id);
      expect(response.status).toBe(200);
      expect(response.type).toBe('text/calendar; charset=utf-8');
      const lines = logical(response.body);
      const day = startsAt === BEFORE ? '20270323' : '20270330';
      // 17:00 Berlin on both sides of the change: the wall-clock time stays, the instants move by an hour.
      expect(lines).toContain(`DTSTART;TZID=Europe/Berlin:${day}T170000`);
      expect(lines).toContain(`DTEND;TZID=Europe/Berlin:${day}T180000`);
      const { event, zones, calendar } = parse(response.body);
      expect(zones.map((zone) => zone.tzid)).toEqual([BERLIN]);
      expect(calendar?.method).toBe('PUBLISH');
      expect(event.start.toISOString()).toBe(startsAt.toISOString());
      expect(event.end?.toISOString()).toBe(new Date(startsAt.getTime() + 3600_000).toISOString());
      expect(event.uid).toBe(`booking-${booking.id}@guildhall`);
      expect(Number(event.sequence)).toBe(0);
      expect(event.status).toBe('CONFIRMED');
      // A booked attendee sees where; their own zone is in the words too.
      expect(event.location).toBe('https://meet.example.org/career');
      expect(String(event.description)).toContain('Join online: https://meet.example.org/career');
      expect(String(event.description)).toContain('(America/New_York)');
    }
    expect(BEFORE.toISOString()).toBe('2027-03-23T16:00:00.000Z');
    expect(AFTER.toISOString()).toBe('2027-03-30T15:00:00.000Z');
  });

  it('keeps its UID, raises SEQUENCE when the slot moves and again when cancelled, then says METHOD:CANCEL without the link', async () => {
    const series = await createSeries(db(), host);
    const slot = await createSlot(db(), series, BEFORE);
    const booking = await book(db(), slot.id, attendee);
    const first = parse((await bookingIcs(attendee, booking.id)).body).event;

    // Moved across the change to 18:00 Berlin on the 30th.
    const movedTo = localToInstant('2027-03-30T18:00', BERLIN);
    await moveSlot(db(), slot.id, movedTo);
    const movedBody = (await bookingIcs(attendee, booking.id)).body;
    const moved = parse(movedBody).event;
    expect(moved.uid).toBe(first.uid);
    expect(Number(moved.sequence)).toBeGreaterThan(Number(first.sequence));
    expect(moved.start.toISOString()).toBe(movedTo.toISOString());
    expect(logical(movedBody)).toContain('DTSTART;TZID=Europe/Berlin:20270330T180000');

    await cancel(db(), booking.id, rowId(attendee));
    const cancelledBody = (await bookingIcs(attendee, booking.id)).body;
    const cancelled = parse(cancelledBody);
    expect(cancelled.event.uid).toBe(first.uid);
    expect(Number(cancelled.event.sequence)).toBeGreaterThan(Number(moved.sequence));
    expect(cancelled.calendar?.method).toBe('CANCEL');
    expect(logical(cancelledBody)).toContain('METHOD:CANCEL');
    expect(cancelled.event.status).toBe('CANCELLED');
    expect(cancelledBody).not.toContain('meet.example.org');
  });

  it('is served to the attendee (Bearer or cookie) and the host; anyone else gets the same 404', async () => {
    const series = await createSeries(db(), host, { location: 'Room 4, Guild House' });
    const slot = await createSlot(db(), series, AFTER);
    const booking = await book(db(), slot.id, attendee);
    expect((await bookingIcs(attendee, booking.id, 'cookie')).status).toBe(200);
    const asHost = await bookingIcs(host, booking.id);
    expect(asHost.status).toBe(200);
    // The host's copy names who booked; the same UID.
    expect(parse(asHost.body).event.summary).toContain('Calendar');
    expect(parse(asHost.body).event.uid).toBe(`booking-${booking.id}@guildhall`);
    const refused = [
      await bookingIcs(other, booking.id),
      await bookingIcs(null, booking.id),
      await fetchPath(server.url, `/bookings/${booking.id}.ics`, { token: 'made-up' }),
      await bookingIcs(attendee, '01900000-0000-7000-8000-000000000000'),
    ];
    for (const response of refused) {
      expect(response.status).toBe(404);
      expect(response.body).toBe('Not found\n');
    }
  });
});

describe('the private calendar feed', () => {
  async function feedWorld() {
    const [mentor, member, stranger] = await members(url(), 3, 'Feed');
    await setZone(db(), mentor!, BERLIN);
    await setZone(db(), member!, 'Asia/Kolkata');
    const series = await createSeries(db(), mentor!, { topic: 'Rust reviews', seats: 3 });
    const slot = await createSlot(db(), series, AFTER);
    const empty = await createSlot(db(), series, localToInstant('2027-04-06T17:00', BERLIN));
    const booked = await book(db(), slot.id, member!);
    await book(db(), slot.id, stranger!);
    const cancelledSlot = await createSlot(db(), series, localToInstant('2027-04-13T17:00', BERLIN));
    const cancelledBooking = await book(db(), cancelledSlot.id, member!);
    await cancel(db(), cancelledBooking.id, rowId(member!));
    // An event the member goes to, and one they only might.
    const group = await db().group.create({
      data: { slug: `feed-${Date.now()}`, name: 'Feed Guild', kind: 'COMMUNITY', visibility: 'PUBLIC' },
    });
    await db().membership.create({ data: { groupId: group.id, userId: rowId(member!), role: 'MEMBER' } });
    const going = await db().event.create({
      data: {
        groupId: group.id,
        title: 'Spring meetup',
        startsAt: localToInstant('2027-03-27T19:00', 'Asia/Kolkata'),
        endsAt: localToInstant('2027-03-27T21:00', 'Asia/Kolkata'),
        timeZone: 'Asia/Kolkata',
        location: 'Hall 2',
      },
    });
    const maybe = await db().event.create({
      data: {
        groupId: group.id,
        title: 'Maybe meetup',
        startsAt: localToInstant('2027-03-28T19:00', 'Asia/Kolkata'),
        endsAt: localToInstant('2027-03-28T21:00', 'Asia/Kolkata'),
        timeZone: 'Asia/Kolkata',
      },
    });
    await db().rsvp.create({ data: { eventId: going.id, userId: rowId(member!), status: 'GOING' } });
    await db().rsvp.create({ data: { eventId: maybe.id, userId: rowId(member!), status: 'MAYBE' } });
    return { mentor: mentor!, member: member!, stranger: stranger!, slot, empty, booked, cancelledBooking, going };
  }

  it("lists a member's bookings (a cancelled one as CANCELLED) and the events they go to, at the instants lib/time gives", async () => {
    const world = await feedWorld();
    const path = await createFeed(world.member);
    expect(path).toMatch(/^\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const response = await fetchPath(server.url, path);
    expect(response.status).toBe(200);
    const { events, calendar, zones } = parse(response.body);
    expect(calendar?.method).toBe('PUBLISH');
    expect(zones.map((zone) => zone.tzid).sort()).toEqual(['Asia/Kolkata', BERLIN]);
    const byUid = new Map(events.map((event) => [event.uid, event]));
    expect([...byUid.keys()].sort()).toEqual(
      [
        `booking-${world.booked.id}@guildhall`,
        `booking-${world.cancelledBooking.id}@guildhall`,
        `${world.going.id}@guildhall`,
      ].sort(),
    );
    const booked = byUid.get(`booking-${world.booked.id}@guildhall`)!;
    expect(booked.start.toISOString()).toBe(AFTER.toISOString());
    expect(booked.status).toBe('CONFIRMED');
    expect(booked.location).toBe('https://meet.example.org/career');
    const cancelled = byUid.get(`booking-${world.cancelledBooking.id}@guildhall`)!;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.start.toISOString()).toBe(localToInstant('2027-04-13T17:00', BERLIN).toISOString());
    expect(String(cancelled.description)).not.toContain('meet.example.org');
    const going = byUid.get(`${world.going.id}@guildhall`)!;
    expect(going.start.toISOString()).toBe(localToInstant('2027-03-27T19:00', 'Asia/Kolkata').toISOString());
    expect(going.location).toBe('Hall 2');
    // Nobody else's booking, question or name.
    expect(response.body).not.toContain(world.stranger.name);
    expect(response.body).not.toContain('How?');
  });

  it('lists the slots a host hosts with how many booked, never who', async () => {
    const world = await feedWorld();
    const response = await fetchPath(server.url, await createFeed(world.mentor));
    const { events } = parse(response.body);
    const byUid = new Map(events.map((event) => [event.uid, event]));
    const slot = byUid.get(`slot-${world.slot.id}@guildhall`)!;
    expect(slot.start.toISOString()).toBe(AFTER.toISOString());
    expect(slot.summary).toContain('2 of 3 booked');
    expect(logical(response.body)).toContain('DTSTART;TZID=Europe/Berlin:20270330T170000');
    expect(byUid.get(`slot-${world.empty.id}@guildhall`)?.summary).toContain('0 of 3 booked');
    expect(response.body).not.toContain(world.member.name);
    expect(response.body).not.toContain(world.stranger.name);
    expect(response.body).not.toContain('How?');
  });

  it('lists mentorship sessions for both of the pair: the mentor as host, the mentee as booked', async () => {
    const [mentor, mentee] = await members(url(), 2, 'Pair');
    const mentorship = await activeMentorship(url(), mentee!, mentor!);
    const series = await createSeries(db(), mentor!, {
      audience: 'PAIR',
      seats: 1,
      topic: 'Mentorship',
      mentorshipId: userIdOf(mentorship.id),
    });
    const slot = await createSlot(db(), series, AFTER);
    const booking = await book(db(), slot.id, mentee!);
    const mentorFeed = parse((await fetchPath(server.url, await createFeed(mentor!))).body);
    expect(mentorFeed.events.map((event) => event.uid)).toContain(`slot-${slot.id}@guildhall`);
    const menteeFeed = parse((await fetchPath(server.url, await createFeed(mentee!))).body);
    const session = menteeFeed.events.find((event) => event.uid === `booking-${booking.id}@guildhall`)!;
    expect(session.summary).toBe(`Mentorship session with ${mentor!.name}`);
    expect(session.start.toISOString()).toBe(AFTER.toISOString());
  });

  it('stores only the SHA-256 of the secret; rotating stops the old address, revoking stops the feed (404, like an unknown one)', async () => {
    const [member] = await members(url(), 1, 'Rotate');
    const before = await viewerCall<{ viewer: { calendarFeed: { createdAt: string } | null } }>(
      url(),
      member!,
      '{ viewer { calendarFeed { createdAt } } }',
    );
    expect(before.viewer.calendarFeed).toBeNull();
    const first = await createFeed(member!);
    const token = first.slice('/calendar/'.length, -'.ics'.length);
    const stored = await db().calendarFeed.findUniqueOrThrow({ where: { userId: rowId(member!) } });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const after = await viewerCall<{ viewer: { calendarFeed: { createdAt: string } | null } }>(
      url(),
      member!,
      '{ viewer { calendarFeed { createdAt } } }',
    );
    expect(after.viewer.calendarFeed?.createdAt).toEqual(expect.any(String));
    expect((await fetchPath(server.url, first)).status).toBe(200);

    const second = await createFeed(member!);
    expect(second).not.toBe(first);
    expect((await fetchPath(server.url, first)).status).toBe(404);
    expect((await fetchPath(server.url, second)).status).toBe(200);

    const revoked = await viewerCall<{ revokeCalendarFeed: { revoked: boolean } }>(
      url(),
      member!,
      'mutation { revokeCalendarFeed { revoked } }',
    );
    expect(revoked.revokeCalendarFeed.revoked).toBe(true);
    expect((await fetchPath(server.url, second)).status).toBe(404);
    expect((await fetchPath(server.url, `/calendar/${'A'.repeat(43)}.ics`)).status).toBe(404);
    const none = await viewerCall<{ revokeCalendarFeed: { revoked: boolean } }>(
      url(),
      member!,
      'mutation { revokeCalendarFeed { revoked } }',
    );
    expect(none.revokeCalendarFeed.revoked).toBe(false);
  });

  it('refuses feed mutations signed out', async () => {
    const response = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { createCalendarFeed { url } }' }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await db().calendarFeed.count()).toBeGreaterThan(0);
  });
});

describe('time-zone notes', () => {
  const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

  it("say on the slot and the booking when either party's clocks change before the session, in the reader's zone", async () => {
    const series = await createSeries(db(), host, { audience: 'PUBLIC' });
    const slot = await createSlot(db(), series, AFTER);
    const booking = await book(db(), slot.id, attendee);
    const SLOT = 'query ($id: ID!) { node(id: $id) { ... on OfficeHourSlot { timeZoneNotes } } }';
    const BOOKING = 'query ($id: ID!) { node(id: $id) { ... on Booking { timeZoneNotes } } }';
    // Now (December 2026) both New York (14 March) and Berlin (28 March) go forward before the 30th.
    const year = ' 2027';
    const bothChange = [
      `Clocks in America/New_York (your zone) go forward on 14 March${year}, before this session.`,
      `Clocks in Europe/Berlin go forward on 28 March${year}, before this session.`,
    ];
    const asAttendee = await viewerCall<{ node: { timeZoneNotes: string[] } }>(url(), attendee, SLOT, {
      id: gid('OfficeHourSlot', slot.id),
    });
    expect(asAttendee.node.timeZoneNotes).toEqual(bothChange);
    const bookingNotes = await viewerCall<{ node: { timeZoneNotes: string[] } }>(url(), attendee, BOOKING, {
      id: gid('Booking', booking.id),
    });
    expect(bookingNotes.node.timeZoneNotes).toEqual(bothChange);
    // The host reads the booking with the attendee's zone beside theirs.
    const forHost = await viewerCall<{ node: { timeZoneNotes: string[] } }>(url(), host, BOOKING, {
      id: gid('Booking', booking.id),
    });
    expect(forHost.node.timeZoneNotes).toEqual([
      `Clocks in America/New_York go forward on 14 March${year}, before this session.`,
      `Clocks in Europe/Berlin (your zone) go forward on 28 March${year}, before this session.`,
    ]);
    // Signed out: the host's zone only.
    const response = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SLOT, variables: { id: gid('OfficeHourSlot', slot.id) } }),
    });
    const signedOut = (await response.json()) as { data: { node: { timeZoneNotes: string[] } | null } };
    expect(signedOut.data.node?.timeZoneNotes).toEqual([
      `Clocks in Europe/Berlin go forward on 28 March${year}, before this session.`,
    ]);
  });
});

describe('through the product: publish, book, move, cancel', () => {
  const RESULT = '__typename ... on Error { code message } ... on ValidationError { fieldErrors { path message } }';

  async function mutation(who: Member, name: string, input: Record<string, unknown>, selection: string) {
    const data = await viewerCall<Record<string, Record<string, unknown>>>(
      url(),
      who,
      `mutation ($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${RESULT} ${selection} } }`,
      { input },
    );
    return data[name]!;
  }

  it('gives each booking an .ics at its calendarUrl whose instants are the slots’, with SEQUENCE up on move and cancel, and reminders', async () => {
    // A host of their own: the other tests' slots (made as rows) would overlap these.
    const owner = (await members(url(), 1, 'Product host'))[0]!;
    await setZone(db(), owner, BERLIN);
    const published = await mutation(
      owner,
      'publishOfficeHours',
      {
        topic: 'Spring office hours',
        timeZone: BERLIN,
        startDate: '2027-03-23',
        startTime: '17:00',
        durationMinutes: 45,
        recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 2 },
        seats: 2,
        onlineUrl: 'https://meet.example.org/spring',
        audience: 'MEMBERS',
        bookingWindowDays: 365,
        minimumNoticeMinutes: 60,
      },
      '... on OfficeHoursPayload { officeHours { id nextSlots { id startsAt hostLocalStart } } }',
    );
    expect(published.__typename, JSON.stringify(published)).toBe('OfficeHoursPayload');
    const slots = (
      published.officeHours as { nextSlots: Array<{ id: string; startsAt: string; hostLocalStart: string }> }
    ).nextSlots;
    expect(slots.map((slot) => slot.hostLocalStart)).toEqual(['2027-03-23T17:00', '2027-03-30T17:00']);
    expect(slots.map((slot) => slot.startsAt)).toEqual([BEFORE.toISOString(), AFTER.toISOString()]);

    const bookings: Array<{ id: string; calendarUrl: string }> = [];
    for (const slot of slots) {
      const booked = await mutation(
        attendee,
        'bookOfficeHourSlot',
        { slotId: slot.id, question: 'Rust or Go?' },
        '... on BookingPayload { booking { id calendarUrl } }',
      );
      expect(booked.__typename, JSON.stringify(booked)).toBe('BookingPayload');
      bookings.push(booked.booking as { id: string; calendarUrl: string });
    }
    for (const [index, booking] of bookings.entries()) {
      expect(booking.calendarUrl).toMatch(/^\/bookings\/[0-9a-f-]{36}\.ics$/);
      const response = await fetchPath(server.url, booking.calendarUrl, { token: attendee.token });
      expect(response.status).toBe(200);
      const { event } = parse(response.body);
      expect(event.start.toISOString()).toBe(slots[index]!.startsAt);
      expect(event.end?.toISOString()).toBe(new Date(Date.parse(slots[index]!.startsAt) + 45 * 60_000).toISOString());
      expect(logical(response.body)).toContain(
        `DTSTART;TZID=Europe/Berlin:${index === 0 ? '20270323' : '20270330'}T170000`,
      );
      expect(event.location).toBe('https://meet.example.org/spring');
      // Reminders were scheduled with the booking, at the attendee's default lead times.
      const rowIdOfBooking = booking.calendarUrl.slice('/bookings/'.length, -'.ics'.length);
      const jobs = await db().job.findMany({
        where: { key: { startsWith: `office-hours.reminder:${rowIdOfBooking}:` }, state: 'PENDING' },
      });
      expect(jobs.map((job) => job.runAt.toISOString()).sort()).toEqual(
        [
          new Date(Date.parse(slots[index]!.startsAt) - 24 * 3600_000).toISOString(),
          new Date(Date.parse(slots[index]!.startsAt) - 3600_000).toISOString(),
        ].sort(),
      );
    }

    const first = parse((await fetchPath(server.url, bookings[0]!.calendarUrl, { token: attendee.token })).body).event;
    const moved = await mutation(
      owner,
      'moveOfficeHourSlot',
      { slotId: slots[0]!.id, startLocal: '2027-03-24T18:30' },
      '... on OfficeHourSlotPayload { slot { startsAt } }',
    );
    expect(moved.__typename, JSON.stringify(moved)).toBe('OfficeHourSlotPayload');
    const afterMove = parse(
      (await fetchPath(server.url, bookings[0]!.calendarUrl, { token: attendee.token })).body,
    ).event;
    expect(afterMove.uid).toBe(first.uid);
    expect(Number(afterMove.sequence)).toBeGreaterThan(Number(first.sequence));
    expect(afterMove.start.toISOString()).toBe(localToInstant('2027-03-24T18:30', BERLIN).toISOString());

    const cancelled = await mutation(
      attendee,
      'cancelBooking',
      { bookingId: bookings[0]!.id },
      '... on BookingPayload { booking { status } }',
    );
    expect(cancelled.__typename, JSON.stringify(cancelled)).toBe('BookingPayload');
    const cancelledBody = (await fetchPath(server.url, bookings[0]!.calendarUrl, { token: attendee.token })).body;
    const afterCancel = parse(cancelledBody);
    expect(afterCancel.calendar?.method).toBe('CANCEL');
    expect(afterCancel.event.status).toBe('CANCELLED');
    expect(afterCancel.event.uid).toBe(first.uid);
    expect(Number(afterCancel.event.sequence)).toBeGreaterThan(Number(afterMove.sequence));
    const cancelledId = bookings[0]!.calendarUrl.slice('/bookings/'.length, -'.ics'.length);
    expect(
      await db().job.count({
        where: { key: { startsWith: `office-hours.reminder:${cancelledId}:` }, state: 'PENDING' },
      }),
    ).toBe(0);
    // The other member cannot read it, whatever its state.
    expect((await fetchPath(server.url, bookings[1]!.calendarUrl, { token: other.token })).status).toBe(404);
  });
});

describe('the feed under load', () => {
  it('answers 429 with Retry-After once an address has asked too often, before looking at the token', async () => {
    const [member] = await members(url(), 1, 'Limited');
    const path = await createFeed(member!);
    // The window of this address is full (tests talk from 127.0.0.1, in either notation).
    for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '::1']) {
      await db().rateLimitBucket.upsert({
        where: { key: `calendar-feed:address:${address}` },
        create: { key: `calendar-feed:address:${address}`, windowStart: new Date(), count: 600 },
        update: { windowStart: new Date(), count: 600 },
      });
    }
    const response = await fetch(new URL(path, server.url));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.text()).not.toContain('BEGIN:VCALENDAR');
    await db().rateLimitBucket.deleteMany({ where: { key: { startsWith: 'calendar-feed:address:' } } });
    expect((await fetch(new URL(path, server.url))).status).toBe(200);
  });
});
