import { z } from 'zod';
import type { DbClient } from '../../db.js';
import { now } from '../../lib/clock.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { canonicalOrStored } from '../../lib/time.js';
import { cancelJobs, defineJob, scheduleJob, scheduleJobs } from '../jobs/index.js';
import { type CreatedNotification, notify, publishNotifications } from '../notifications/index.js';
import { canSeeOfficeHours } from './office-hours.policy.js';
import { officeHoursReminderKind, type ReminderData } from './reminders.notifications.js';

// Reminders of booked sessions, by jobs. Each BOOKED booking has one pending job per lead time of its
// attendee (User.reminderLeadMinutes, default 24 h and 1 h), keyed `office-hours.reminder:<booking>:<lead>`
// and due at startsAt − lead; a lead time already passed when the booking is made gives ONE reminder at
// once (keyed by the shortest passed lead), not one per passed lead. The host of a slot with bookings
// gets the same at their own lead times (`office-hours.host-reminder:<slot>:<lead>`, no catch-up: they
// chose the time). H2's booking paths call scheduleBookingReminders after a booking is made or its slot
// moved (it replaces what was pending) and cancelBookingReminders when it is cancelled; a member's new
// lead times reschedule their upcoming ones (rescheduleMemberReminders). Every job re-checks when it
// runs: still BOOKED, the slot not cancelled and still starting when the job says, the lead still one
// of the member's, the series still theirs to see — so a stale job is harmless.

export const DEFAULT_REMINDER_LEADS = [1440, 60] as const;
export const MIN_REMINDER_LEAD = 5;
export const MAX_REMINDER_LEAD = 7 * 24 * 60;
export const MAX_REMINDER_LEADS = 3;

const MINUTE_MS = 60_000;
const attendeeKey = (bookingId: string, lead: number) => `office-hours.reminder:${bookingId}:${lead}`;
const hostKey = (slotId: string, lead: number) => `office-hours.host-reminder:${slotId}:${lead}`;

// Live pushes only after the job's transaction commits: a runner can claim this job only then.
const publishJob = defineJob('office-hours.publish-reminders', {
  payload: z.object({
    notes: z.array(z.object({ id: z.uuid(), recipientId: z.uuid(), inApp: z.boolean() })),
  }),
  mode: 'outside',
  run: async ({ notes }, { services }) => {
    publishNotifications(services.pubsub, notes);
  },
});

const reminderPayload = z.object({ lead: z.number().int(), startsAt: z.iso.datetime() });
const attendeeJob = defineJob('office-hours.reminder', {
  payload: reminderPayload.extend({ bookingId: z.uuid() }),
  run: async ({ bookingId, lead, startsAt }, { db, now: at }) => {
    await remindAttendee(db, bookingId, lead, new Date(startsAt), at);
  },
});
const hostJob = defineJob('office-hours.host-reminder', {
  payload: reminderPayload.extend({ slotId: z.uuid() }),
  run: async ({ slotId, lead, startsAt }, { db, now: at }) => {
    await remindHost(db, slotId, lead, new Date(startsAt), at);
  },
});

/** Leads as stored: distinct, longest first. */
export function normaliseLeads(leads: readonly number[]): number[] {
  return [...new Set(leads)].sort((a, b) => b - a);
}

/**
 * When each reminder is due: one per lead still ahead (at startsAt − lead), and — with `catchUp` —
 * one at `at` for the shortest lead already passed, if any passed and the slot has not started.
 */
export function reminderPlan(
  startsAt: Date,
  leads: readonly number[],
  at: Date,
  catchUp: boolean,
): Array<{ lead: number; runAt: Date }> {
  if (startsAt.getTime() <= at.getTime()) return [];
  const plan: Array<{ lead: number; runAt: Date }> = [];
  let passed: number | null = null;
  for (const lead of normaliseLeads(leads)) {
    const runAt = new Date(startsAt.getTime() - lead * MINUTE_MS);
    if (runAt.getTime() > at.getTime()) plan.push({ lead, runAt });
    else passed = passed === null ? lead : Math.min(passed, lead);
  }
  if (catchUp && passed !== null) plan.push({ lead: passed, runAt: at });
  return plan;
}

async function bookingForReminders(db: DbClient, bookingId: string) {
  return db.booking.findUnique({
    where: { id: bookingId },
    select: {
      id: true,
      status: true,
      attendeeId: true,
      attendee: { select: { reminderLeadMinutes: true, timeZone: true } },
      slot: {
        select: {
          id: true,
          startsAt: true,
          endsAt: true,
          cancelledAt: true,
          _count: { select: { bookings: { where: { status: 'BOOKED' } } } },
          officeHours: {
            select: {
              id: true,
              hostId: true,
              topic: true,
              timeZone: true,
              onlineUrl: true,
              location: true,
              audience: true,
              host: { select: { name: true, reminderLeadMinutes: true, timeZone: true } },
            },
          },
        },
      },
    },
  });
}

async function cancelKeys(db: DbClient, keys: readonly string[]): Promise<void> {
  await cancelJobs(db, [...new Set(keys)]);
}

/** Whether this member was already reminded of this booking (or slot) starting at `startsAt`. */
async function alreadyReminded(
  db: DbClient,
  recipientId: string,
  subjectId: string,
  startsAt: Date,
  lead?: number,
): Promise<boolean> {
  const found = await db.notification.findFirst({
    where: {
      recipientId,
      kind: officeHoursReminderKind.kind,
      subjectId,
      AND: [
        { data: { path: ['startsAt'], equals: startsAt.toISOString() } },
        ...(lead === undefined ? [] : [{ data: { path: ['lead'], equals: lead } }]),
      ],
    },
    select: { id: true },
  });
  return found !== null;
}

/**
 * Replaces the pending reminders of one booking by those its slot and its attendee's lead times give
 * now (none unless BOOKED, in a slot not cancelled and not started). `catchUp` (default true): a lead
 * time already passed gives one reminder at once, unless this booking was already reminded of this
 * start. The host's reminders of the slot are rescheduled with it.
 */
export async function scheduleBookingReminders(
  tx: DbClient,
  bookingId: string,
  options: { catchUp?: boolean } = {},
): Promise<void> {
  // Four statements in all (read, cancel, two inserts): a pair series books a session per week in
  // one transaction.
  const booking = await bookingForReminders(tx, bookingId);
  if (!booking) return;
  const { slot } = booking;
  const leads = booking.attendee.reminderLeadMinutes;
  const hostLeads = slot.officeHours.host.reminderLeadMinutes;
  await cancelKeys(tx, [
    ...leads.map((lead) => attendeeKey(bookingId, lead)),
    ...hostLeads.map((lead) => hostKey(slot.id, lead)),
  ]);
  if (slot.cancelledAt !== null) return;
  const at = now();
  const startsAt = slot.startsAt.toISOString();
  if (booking.status === 'BOOKED') {
    let plan = reminderPlan(slot.startsAt, leads, at, options.catchUp ?? true);
    // A reminder at once only if this start was not reminded of yet (asked only when one is planned).
    const atOnce = plan.find((item) => item.runAt.getTime() === at.getTime());
    if (
      atOnce &&
      (await alreadyReminded(tx, booking.attendeeId, encodeGlobalId('Booking', bookingId), slot.startsAt))
    ) {
      plan = plan.filter((item) => item !== atOnce);
    }
    await scheduleJobs(
      tx,
      attendeeJob,
      plan.map(({ lead, runAt }) => ({
        payload: { bookingId, lead, startsAt },
        runAt,
        key: attendeeKey(bookingId, lead),
      })),
    );
  }
  // The host's, while the slot has a booked seat (re-checked when they run).
  if (slot._count.bookings > 0) {
    await scheduleJobs(
      tx,
      hostJob,
      reminderPlan(slot.startsAt, hostLeads, at, false).map(({ lead, runAt }) => ({
        payload: { slotId: slot.id, lead, startsAt },
        runAt,
        key: hostKey(slot.id, lead),
      })),
    );
  }
}

/** Removes the pending reminders of one booking (its attendee's lead times). */
export async function cancelBookingReminders(tx: DbClient, bookingId: string): Promise<void> {
  const booking = await tx.booking.findUnique({
    where: { id: bookingId },
    select: { attendee: { select: { reminderLeadMinutes: true } } },
  });
  if (!booking) return;
  await cancelKeys(
    tx,
    booking.attendee.reminderLeadMinutes.map((lead) => attendeeKey(bookingId, lead)),
  );
}

/**
 * Replaces the host's pending reminders of one slot: at each of the host's lead times still ahead,
 * while the slot has a BOOKED seat (re-checked when the job runs) and is not cancelled.
 */
export async function scheduleHostReminders(tx: DbClient, slotId: string): Promise<void> {
  const slot = await tx.officeHourSlot.findUnique({
    where: { id: slotId },
    select: {
      startsAt: true,
      cancelledAt: true,
      officeHours: { select: { host: { select: { reminderLeadMinutes: true } } } },
      _count: { select: { bookings: { where: { status: 'BOOKED' } } } },
    },
  });
  if (!slot) return;
  const leads = slot.officeHours.host.reminderLeadMinutes;
  await cancelKeys(
    tx,
    leads.map((lead) => hostKey(slotId, lead)),
  );
  if (slot.cancelledAt !== null || slot._count.bookings === 0) return;
  const startsAt = slot.startsAt.toISOString();
  await scheduleJobs(
    tx,
    hostJob,
    reminderPlan(slot.startsAt, leads, now(), false).map(({ lead, runAt }) => ({
      payload: { slotId, lead, startsAt },
      runAt,
      key: hostKey(slotId, lead),
    })),
  );
}

/**
 * A member's lead times changed from `previousLeads`: their upcoming bookings' reminders and their
 * hosted slots' reminders are made again from the new ones (nothing sent at once for a lead already
 * passed: they were not booking just now).
 */
export async function rescheduleMemberReminders(
  tx: DbClient,
  userId: string,
  previousLeads: readonly number[],
): Promise<void> {
  const at = now();
  const bookings = await tx.booking.findMany({
    where: { attendeeId: userId, status: 'BOOKED', slot: { startsAt: { gt: at }, cancelledAt: null } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  for (const booking of bookings) {
    await cancelKeys(
      tx,
      previousLeads.map((lead) => attendeeKey(booking.id, lead)),
    );
    await scheduleBookingReminders(tx, booking.id, { catchUp: false });
  }
  const slots = await tx.officeHourSlot.findMany({
    where: {
      officeHours: { hostId: userId },
      startsAt: { gt: at },
      cancelledAt: null,
      bookings: { some: { status: 'BOOKED' } },
    },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  for (const slot of slots) {
    await cancelKeys(
      tx,
      previousLeads.map((lead) => hostKey(slot.id, lead)),
    );
    await scheduleHostReminders(tx, slot.id);
  }
}

async function send(db: DbClient, recipientId: string, subjectId: string, data: ReminderData): Promise<void> {
  const notes: CreatedNotification[] = await notify(db, {
    kind: officeHoursReminderKind,
    recipientIds: [recipientId],
    actorId: null,
    subjectId,
    data,
  });
  if (notes.length > 0) await scheduleJob(db, publishJob, { notes });
}

async function remindAttendee(db: DbClient, bookingId: string, lead: number, startsAt: Date, at: Date): Promise<void> {
  const booking = await bookingForReminders(db, bookingId);
  if (booking?.status !== 'BOOKED') return;
  const { slot } = booking;
  const series = slot.officeHours;
  // Cancelled, moved (its own reminders were scheduled then), or already started: nothing to say.
  if (slot.cancelledAt !== null || slot.startsAt.getTime() !== startsAt.getTime() || slot.startsAt <= at) return;
  if (!booking.attendee.reminderLeadMinutes.includes(lead)) {
    // The member's lead times changed without this job hearing of it: make theirs now.
    await scheduleBookingReminders(db, bookingId, { catchUp: false });
    return;
  }
  if (!(await canSeeOfficeHours(db, booking.attendeeId, series.id))) return;
  const subjectId = encodeGlobalId('Booking', bookingId);
  if (await alreadyReminded(db, booking.attendeeId, subjectId, slot.startsAt, lead)) return;
  await send(db, booking.attendeeId, subjectId, {
    role: 'ATTENDEE',
    slotId: slot.id,
    bookingId,
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    lead,
    minutesBefore: Math.round((slot.startsAt.getTime() - at.getTime()) / MINUTE_MS),
    topic: series.topic,
    hostName: series.host.name,
    hostZone: canonicalOrStored(series.timeZone),
    recipientZone: canonicalOrStored(booking.attendee.timeZone),
    onlineUrl: series.onlineUrl,
    location: series.location,
    booked: null,
    pairWith: series.audience === 'PAIR' ? series.host.name : null,
  });
}

async function remindHost(db: DbClient, slotId: string, lead: number, startsAt: Date, at: Date): Promise<void> {
  const slot = await db.officeHourSlot.findUnique({
    where: { id: slotId },
    select: {
      id: true,
      startsAt: true,
      endsAt: true,
      cancelledAt: true,
      officeHours: {
        select: {
          hostId: true,
          topic: true,
          timeZone: true,
          onlineUrl: true,
          location: true,
          audience: true,
          mentorship: { select: { mentee: { select: { name: true } } } },
          host: { select: { name: true, reminderLeadMinutes: true, timeZone: true } },
        },
      },
      _count: { select: { bookings: { where: { status: 'BOOKED' } } } },
    },
  });
  if (!slot || slot.cancelledAt !== null || slot.startsAt.getTime() !== startsAt.getTime() || slot.startsAt <= at) {
    return;
  }
  const series = slot.officeHours;
  if (slot._count.bookings === 0) return;
  if (!series.host.reminderLeadMinutes.includes(lead)) {
    await scheduleHostReminders(db, slotId);
    return;
  }
  const subjectId = encodeGlobalId('OfficeHourSlot', slotId);
  if (await alreadyReminded(db, series.hostId, subjectId, slot.startsAt, lead)) return;
  await send(db, series.hostId, subjectId, {
    role: 'HOST',
    slotId,
    bookingId: null,
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    lead,
    minutesBefore: Math.round((slot.startsAt.getTime() - at.getTime()) / MINUTE_MS),
    topic: series.topic,
    hostName: series.host.name,
    hostZone: canonicalOrStored(series.timeZone),
    recipientZone: canonicalOrStored(series.host.timeZone),
    onlineUrl: series.onlineUrl,
    location: series.location,
    booked: slot._count.bookings,
    pairWith: series.audience === 'PAIR' ? (series.mentorship?.mentee.name ?? null) : null,
  });
}
