import type { Db } from '../../server/src/db.js';
import { now } from '../../server/src/lib/clock.js';
import { instantToLocal } from '../../server/src/lib/time.js';
import { cancelBookingReminders, scheduleBookingReminders } from '../../server/src/modules/office-hours/reminders.js';
import { gql, type Member } from './graphql.js';
import { userIdOf } from './groups.js';

// Rows of office hours made straight in the database, the way the booking paths leave them (a series,
// its slots, BOOKED and CANCELLED bookings with their SEQUENCE), for the calendar and reminder tests.
// Each change runs in one transaction and calls the reminder interface exactly as the booking paths
// do (book: scheduleBookingReminders; cancel: cancelBookingReminders; a moved slot: sequence up and
// scheduleBookingReminders again), so these tests pin down reminders.ts and the .ics, whatever the
// state of the mutations that drive them in the product.

export interface SeriesOptions {
  topic?: string;
  timeZone?: string;
  audience?: 'PUBLIC' | 'MEMBERS' | 'GROUPS' | 'PAIR';
  seats?: number;
  onlineUrl?: string | null;
  location?: string | null;
  durationMinutes?: number;
  mentorshipId?: string | null;
}

export const rowId = (member: Member) => userIdOf(member.id);

export async function createSeries(db: Db, host: Member, options: SeriesOptions = {}) {
  return db.officeHours.create({
    data: {
      hostId: rowId(host),
      topic: options.topic ?? 'Career questions',
      description: 'Bring one question.',
      timeZone: options.timeZone ?? 'Europe/Berlin',
      startDate: new Date('2027-01-01T00:00:00Z'),
      startTime: '17:00',
      durationMinutes: options.durationMinutes ?? 60,
      seats: options.seats ?? 3,
      audience: options.audience ?? 'MEMBERS',
      onlineUrl: options.onlineUrl === undefined ? 'https://meet.example.org/career' : options.onlineUrl,
      location: options.location === undefined ? null : options.location,
      mentorshipId: options.mentorshipId ?? null,
      minimumNoticeMinutes: 0,
    },
  });
}

export async function createSlot(
  db: Db,
  series: { id: string; timeZone: string; durationMinutes: number; seats: number },
  startsAt: Date,
) {
  return db.officeHourSlot.create({
    data: {
      officeHoursId: series.id,
      occurrenceDate: new Date(`${instantToLocal(startsAt, series.timeZone).date}T00:00:00Z`),
      startsAt,
      endsAt: new Date(startsAt.getTime() + series.durationMinutes * 60_000),
      seats: series.seats,
    },
  });
}

/** A booking as bookOfficeHourSlot makes it, reminders scheduled in the same transaction. */
export async function book(db: Db, slotId: string, attendee: Member) {
  return db.$transaction(async (tx) => {
    const booking = await tx.booking.create({ data: { slotId, attendeeId: rowId(attendee), question: 'How?' } });
    await scheduleBookingReminders(tx, booking.id);
    return booking;
  });
}

/** The attendee cancels: CANCELLED, SEQUENCE up, reminders cancelled. */
export async function cancel(db: Db, bookingId: string, byId: string) {
  await db.$transaction(async (tx) => {
    await tx.booking.update({
      where: { id: bookingId },
      data: { status: 'CANCELLED', cancelledAt: now(), cancelledById: byId, sequence: { increment: 1 } },
    });
    await cancelBookingReminders(tx, bookingId);
  });
}

/** The host moves a slot: new times, SEQUENCE up on the slot and its BOOKED bookings, reminders again. */
export async function moveSlot(db: Db, slotId: string, startsAt: Date) {
  await db.$transaction(async (tx) => {
    const slot = await tx.officeHourSlot.findUniqueOrThrow({ where: { id: slotId } });
    await tx.officeHourSlot.update({
      where: { id: slotId },
      data: {
        startsAt,
        endsAt: new Date(startsAt.getTime() + (slot.endsAt.getTime() - slot.startsAt.getTime())),
        sequence: { increment: 1 },
      },
    });
    const bookings = await tx.booking.findMany({ where: { slotId, status: 'BOOKED' }, select: { id: true } });
    for (const booking of bookings) {
      await tx.booking.update({ where: { id: booking.id }, data: { sequence: { increment: 1 } } });
      await cancelBookingReminders(tx, booking.id);
      await scheduleBookingReminders(tx, booking.id);
    }
  });
}

export async function setZone(db: Db, member: Member, timeZone: string) {
  await db.user.update({ where: { id: rowId(member) }, data: { timeZone } });
}

/** GET a path on the server, with a Bearer token, a cookie or nothing. */
export async function fetchPath(origin: string, path: string, auth: { token?: string; cookie?: string } = {}) {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const response = await fetch(new URL(path, origin), { headers });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

export async function viewerCall<T = Record<string, unknown>>(
  url: string,
  member: Member,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const response = await gql<T>(url, query, variables, { token: member.token });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data as T;
}
