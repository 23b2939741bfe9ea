import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../server/src/lib/global-id.js';
import { expandOccurrences } from '../../server/src/modules/office-hours/recurrence.js';
import {
  dateColumnToLocal,
  seriesRuleSelect,
  storedRule,
} from '../../server/src/modules/office-hours/slots.service.js';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { gql, SIGN_IN } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// The demo office hours: series in several zones and audiences, a one-off, skipped and moved
// occurrences, a slot moved by a DST gap, full slots with a line (one seat offered until a deadline),
// past slots with attendance, Ada hosting and booked, Ada and Finn's mentorship sessions.

let server: TestServer;
beforeAll(async () => {
  // No job runner: the rows the seed leaves are read as it left them (reminders due at once stay pending).
  server = await startServer({ env: { JOBS_ENABLED: 'false' } });
  await seedDemoData(server.app.services.db);
});
afterAll(async () => {
  await server?.stop();
});

async function signIn(email: string): Promise<string> {
  const response = await gql(server.graphqlUrl, SIGN_IN, { input: { email, password: DEMO_LOGIN.password } });
  return response.body.data!.signIn.token as string;
}

describe('demo office hours', () => {
  it('is idempotent', async () => {
    const db = server.app.services.db;
    const counts = async () => ({
      series: await db.officeHours.count(),
      exceptions: await db.officeHoursException.count(),
      slots: await db.officeHourSlot.count(),
      bookings: await db.booking.count(),
      waitlist: await db.officeHoursWaitlistEntry.count(),
      checkIns: await db.checkIn.count(),
      // Only this seed's own: the other seeds' nudges and notices are theirs to keep idempotent.
      jobs: await db.job.groupBy({
        by: ['kind'],
        where: { kind: { startsWith: 'office-hours.' } },
        _count: true,
        orderBy: { kind: 'asc' },
      }),
      notifications: await db.notification.groupBy({
        by: ['kind'],
        where: { kind: { startsWith: 'OFFICE_HOURS_' } },
        _count: true,
        orderBy: { kind: 'asc' },
      }),
    });
    const first = await counts();
    expect(first.series).toBeGreaterThanOrEqual(7);
    await seedDemoData(db);
    expect(await counts()).toEqual(first);
  });

  it('has hosts in several zones, every audience, a one-off, a series every two weeks, a skip and a move', async () => {
    const db = server.app.services.db;
    const series = await db.officeHours.findMany({
      select: {
        timeZone: true,
        audience: true,
        repeatEveryWeeks: true,
        status: true,
        groups: { select: { groupId: true } },
        exceptions: { select: { kind: true, movedToLocal: true } },
      },
    });
    const open = series.filter((s) => s.audience !== 'PAIR');
    expect(new Set(open.map((s) => s.timeZone)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(open.map((s) => s.audience))).toEqual(new Set(['PUBLIC', 'MEMBERS', 'GROUPS']));
    expect(open.filter((s) => s.audience === 'GROUPS').every((s) => s.groups.length > 0)).toBe(true);
    expect(open.some((s) => s.repeatEveryWeeks === null)).toBe(true);
    expect(open.some((s) => s.repeatEveryWeeks === 2)).toBe(true);
    const exceptions = series.flatMap((s) => s.exceptions);
    expect(exceptions.some((e) => e.kind === 'SKIP')).toBe(true);
    expect(exceptions.some((e) => e.kind === 'MOVE' && e.movedToLocal !== null)).toBe(true);
    expect(series.every((s) => s.status === 'ACTIVE')).toBe(true);
  });

  it('keeps every slot within its seats, cancels the skipped one, and shows the moved and DST-adjusted ones', async () => {
    const db = server.app.services.db;
    const now = Date.now();
    const slots = await db.officeHourSlot.findMany({
      select: {
        id: true,
        seats: true,
        startsAt: true,
        endsAt: true,
        cancelledAt: true,
        sequence: true,
        requestedLocalStart: true,
        occurrenceDate: true,
        officeHours: { select: { hostId: true, durationMinutes: true, exceptions: true } },
        bookings: { select: { status: true, attendeeId: true, attendance: true, sequence: true, cancelledById: true } },
        waitlist: { select: { status: true, offerExpiresAt: true, memberId: true } },
      },
    });
    for (const slot of slots) {
      const booked = slot.bookings.filter((b) => b.status === 'BOOKED');
      const offered = slot.waitlist.filter((w) => w.status === 'OFFERED');
      expect(booked.length + offered.length).toBeLessThanOrEqual(slot.seats);
      expect(new Set(booked.map((b) => b.attendeeId)).size).toBe(booked.length);
      expect(booked.every((b) => b.attendeeId !== slot.officeHours.hostId)).toBe(true);
      expect(slot.endsAt.getTime() - slot.startsAt.getTime()).toBe(slot.officeHours.durationMinutes * 60_000);
      // Nobody waits for a seat that is free, nor for a slot that is over or cancelled.
      if (slot.waitlist.some((w) => w.status === 'WAITING')) {
        expect(booked.length + offered.length).toBe(slot.seats);
        expect(slot.startsAt.getTime()).toBeGreaterThan(now);
        expect(slot.cancelledAt).toBeNull();
      }
      // Attendance is marked on past slots only, and on all of their bookings.
      if (slot.startsAt.getTime() <= now) expect(booked.every((b) => b.attendance !== null)).toBe(true);
      else expect(slot.bookings.every((b) => b.attendance === null)).toBe(true);
      // A cancellation or move bumped the iCalendar sequence.
      for (const booking of slot.bookings) {
        if (booking.status === 'CANCELLED') expect(booking.sequence).toBeGreaterThan(0);
      }
      const exception = slot.officeHours.exceptions.find(
        (e) => e.occurrenceDate.getTime() === slot.occurrenceDate.getTime(),
      );
      if (exception?.kind === 'SKIP') {
        expect(slot.cancelledAt).not.toBeNull();
        expect(
          slot.bookings.every((b) => b.status === 'CANCELLED' && b.cancelledById === slot.officeHours.hostId),
        ).toBe(true);
      }
      if (exception?.kind === 'MOVE') expect(slot.sequence).toBeGreaterThan(0);
    }
    expect(slots.some((s) => s.cancelledAt !== null && s.bookings.length > 0)).toBe(true);
    // The Beirut reading hour's Sunday 00:30 on the spring change does not exist: it starts at 01:30.
    const adjusted = slots.filter((s) => s.requestedLocalStart !== null);
    expect(adjusted.length).toBeGreaterThan(0);
    // Its host is told, in words.
    const token = await signIn('yara@guildhall.dev');
    const hosted = await gql(
      server.graphqlUrl,
      `{ hostedOfficeHours { topic slots(first: 100) { edges { node { hostLocalStart adjustmentNote } } } } }`,
      {},
      { token },
    );
    expect(hosted.body.errors).toBeUndefined();
    type Node = { hostLocalStart: string; adjustmentNote: string | null };
    const notes = (hosted.body.data!.hostedOfficeHours as Array<{ slots: { edges: Array<{ node: Node }> } }>)
      .flatMap((series) => series.slots.edges.map((edge) => edge.node))
      .filter((node) => node.adjustmentNote !== null);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.hostLocalStart).toMatch(/T01:30$/);
    expect(notes[0]!.adjustmentNote).toMatch(/00:30 does not exist on .* in Asia\/Beirut/);
  });

  it('has exactly the slots the series rules give (office hours’ own expansion), skipped ones cancelled', async () => {
    const db = server.app.services.db;
    const series = await db.officeHours.findMany({
      select: {
        ...seriesRuleSelect,
        slots: { select: { occurrenceDate: true, startsAt: true, requestedLocalStart: true, cancelledAt: true } },
      },
    });
    for (const one of series) {
      const rule = storedRule(one);
      const expected = expandOccurrences(rule).map((o) => ({
        occurrenceDate: o.occurrenceDate,
        startsAt: o.startsAt.toISOString(),
        requestedLocalStart: o.adjusted ? o.requestedLocalStart : null,
      }));
      const live = one.slots
        .filter((slot) => slot.cancelledAt === null)
        .map((slot) => ({
          occurrenceDate: dateColumnToLocal(slot.occurrenceDate),
          startsAt: slot.startsAt.toISOString(),
          requestedLocalStart: slot.requestedLocalStart,
        }))
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      expect(live, one.topic).toEqual(expected);
      const skipped = new Set(rule.exceptions?.filter((e) => e.kind === 'SKIP').map((e) => e.occurrenceDate));
      for (const slot of one.slots.filter((s) => s.cancelledAt !== null)) {
        expect(skipped.has(dateColumnToLocal(slot.occurrenceDate)), one.topic).toBe(true);
      }
    }
  });

  it('has full slots with a waitlist, one seat offered until a deadline, and past slots with attendance', async () => {
    const db = server.app.services.db;
    const now = new Date();
    const waiting = await db.officeHoursWaitlistEntry.count({ where: { status: 'WAITING' } });
    expect(waiting).toBeGreaterThanOrEqual(3);
    const offers = await db.officeHoursWaitlistEntry.findMany({
      where: { status: 'OFFERED' },
      select: { id: true, memberId: true, offerExpiresAt: true, slot: { select: { startsAt: true } } },
    });
    expect(offers).toHaveLength(1);
    const offer = offers[0]!;
    expect(offer.offerExpiresAt!.getTime()).toBeGreaterThan(now.getTime());
    expect(offer.offerExpiresAt!.getTime()).toBeLessThanOrEqual(offer.slot.startsAt.getTime());
    // The offer was made by the booking rules: its member was told, and it runs out by a job.
    expect(
      await db.notification.count({ where: { recipientId: offer.memberId, kind: 'OFFICE_HOURS_WAITLIST_OFFER' } }),
    ).toBe(1);
    const offerJobs = await db.job.findMany({
      where: { kind: { startsWith: 'office-hours.' }, key: { contains: offer.id } },
      select: { runAt: true },
    });
    expect(offerJobs.map((job) => job.runAt.getTime())).toContain(offer.offerExpiresAt!.getTime());

    const attendance = await db.booking.groupBy({
      by: ['attendance'],
      where: { status: 'BOOKED', slot: { startsAt: { lt: now } } },
      _count: true,
    });
    expect(new Set(attendance.map((a) => a.attendance))).toEqual(new Set(['ATTENDED', 'NO_SHOW']));
    expect(await db.booking.count({ where: { question: { not: '' } } })).toBeGreaterThan(10);
  });

  it('schedules reminders for every upcoming booking, and none for past or cancelled ones', async () => {
    const db = server.app.services.db;
    const now = new Date();
    const bookings = await db.booking.findMany({
      where: { slot: { cancelledAt: null } },
      select: { id: true, status: true, slot: { select: { startsAt: true } } },
    });
    const reminderKeys = new Set(
      (await db.job.findMany({ where: { key: { startsWith: 'office-hours.reminder:' } }, select: { key: true } })).map(
        (job) => job.key!.split(':')[1],
      ),
    );
    const upcoming = bookings.filter((b) => b.status === 'BOOKED' && b.slot.startsAt > now);
    expect(upcoming.length).toBeGreaterThan(10);
    for (const booking of upcoming) expect(reminderKeys.has(booking.id), booking.id).toBe(true);
    for (const booking of bookings.filter((b) => b.status === 'CANCELLED' || b.slot.startsAt <= now)) {
      expect(reminderKeys.has(booking.id), booking.id).toBe(false);
    }
  });

  it('has Ada hosting office hours and holding a seat, and her mentorship with Finn driving a session series', async () => {
    const db = server.app.services.db;
    const now = new Date();
    const ada = await db.user.findUniqueOrThrow({ where: { email: DEMO_LOGIN.email }, select: { id: true } });
    const finn = await db.user.findUniqueOrThrow({ where: { email: 'finn@guildhall.dev' }, select: { id: true } });
    expect(
      await db.officeHours.count({
        where: { hostId: ada.id, audience: { not: 'PAIR' }, slots: { some: { startsAt: { gt: now } } } },
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await db.booking.count({
        where: {
          attendeeId: ada.id,
          status: 'BOOKED',
          slot: { startsAt: { gt: now }, officeHours: { audience: { not: 'PAIR' } } },
        },
      }),
    ).toBe(1);
    expect(await db.officeHoursWaitlistEntry.count({ where: { memberId: ada.id, status: 'WAITING' } })).toBe(1);
    expect(
      await db.booking.count({
        where: { attendeeId: ada.id, attendance: 'ATTENDED', slot: { officeHours: { audience: { not: 'PAIR' } } } },
      }),
    ).toBe(1);

    const mentorship = await db.mentorship.findFirstOrThrow({
      where: { mentorId: ada.id, menteeId: finn.id, status: 'ACTIVE' },
      select: { id: true },
    });
    const sessions = await db.officeHours.findFirstOrThrow({
      where: { mentorshipId: mentorship.id },
      select: {
        audience: true,
        status: true,
        seats: true,
        hostId: true,
        confirmedAt: true,
        proposedById: true,
        slots: {
          orderBy: { startsAt: 'asc' },
          select: { id: true, startsAt: true, bookings: { select: { attendeeId: true, status: true } }, checkIn: true },
        },
      },
    });
    expect(sessions).toMatchObject({ audience: 'PAIR', status: 'ACTIVE', seats: 1, hostId: ada.id });
    expect(sessions.confirmedAt).not.toBeNull();
    expect(sessions.proposedById).toBe(finn.id);
    for (const slot of sessions.slots) {
      expect(slot.bookings).toEqual([{ attendeeId: finn.id, status: 'BOOKED' }]);
    }
    const held = sessions.slots.filter((s) => s.startsAt <= now);
    expect(held).toHaveLength(1);
    expect(held[0]!.checkIn).toMatchObject({ mentorshipId: mentorship.id, heldAt: held[0]!.startsAt });
    expect(sessions.slots.filter((s) => s.startsAt > now).length).toBeGreaterThanOrEqual(4);
  });

  it('shows the demo through the API: Ada’s bookings, her hosted series and a public page signed out', async () => {
    const token = await signIn(DEMO_LOGIN.email);
    const mine = await gql(
      server.graphqlUrl,
      `{ myBookings(when: UPCOMING, first: 20) { edges { node { status question slot { officeHours { topic host { name } } } } } }
         hostedOfficeHours { topic audience nextSlots(first: 2) { startsAt seatsTaken } } }`,
      {},
      { token },
    );
    expect(mine.body.errors).toBeUndefined();
    type BookingNode = {
      status: string;
      question: string;
      slot: { officeHours: { topic: string; host: { name: string } } };
    };
    const bookings = mine.body.data!.myBookings.edges.map((e: { node: BookingNode }) => e.node) as BookingNode[];
    const topics = bookings.map((b) => b.slot.officeHours.topic);
    expect(topics).toContain('TypeScript & Node.js office hours');
    const hosted = (mine.body.data!.hostedOfficeHours as Array<{ topic: string }>).map((h) => h.topic).sort();
    expect(hosted).toEqual(['Incident review clinic', 'Office hours for new tech leads']);

    const priya = await server.app.services.db.user.findUniqueOrThrow({
      where: { email: 'priya@guildhall.dev' },
      select: { id: true },
    });
    const page = await gql(
      server.graphqlUrl,
      `query($hostId: ID!) { publicOfficeHours(hostId: $hostId) { host { name }
        officeHours { topic timeZone seats nextSlots(first: 3) { state seatsLeft onlineUrl bookings { id } } } } }`,
      { hostId: encodeGlobalId('Person', priya.id) },
    );
    expect(page.body.errors).toBeUndefined();
    const publicPage = page.body.data!.publicOfficeHours;
    expect(publicPage.host.name).toBe('Priya Shah');
    expect(publicPage.officeHours).toHaveLength(1);
    const [next, second] = publicPage.officeHours[0].nextSlots;
    expect(next).toMatchObject({ state: 'FULL', seatsLeft: 0, onlineUrl: null, bookings: [] });
    expect(second).toMatchObject({ state: 'FULL', seatsLeft: 0 });
  });
});
