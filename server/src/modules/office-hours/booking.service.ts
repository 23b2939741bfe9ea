import { z } from 'zod';
import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import type { BookingAttendance, OfficeHoursStatus } from '../../generated/prisma/client.js';
import { now as clockNow } from '../../lib/clock.js';
import { ConflictError, type DomainError, NotFoundError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import type { PubSub } from '../../pubsub.js';
import { cancelJob, defineJob, scheduleJob } from '../jobs/index.js';
import { type CreatedNotification, notify, publishNotifications } from '../notifications/index.js';
import { bookedKind, waitlistOfferKind } from './booking.notifications.js';
import { bookingBlocker, bookingClosesAt } from './booking.rules.js';
import { canSeeOfficeHours } from './office-hours.policy.js';
import { cancelBookingReminders, scheduleBookingReminders } from './reminders.js';

// Booking a seat, the waitlist and attendance. Every change is one transaction that first locks the
// slot's row. LOCK ORDER (docs/ARCHITECTURE.md, "Locks"): OfficeHours (FOR NO KEY UPDATE) →
// OfficeHourSlot rows in ascending id (FOR UPDATE) → Booking / OfficeHoursWaitlistEntry rows.
// Booking paths lock only the slot row and read the series unlocked, so they never wait for a
// series lock while holding a slot (a host's edit takes the series, then the slots: no cycle).
// Seats are counted behind that lock (BOOKED + OFFERED against `seats`), which is what keeps
// concurrent bookings — on several instances too — from ever exceeding the seats.
// Notifications and live events go out after commit (or from a job, when a job made the change).

type Ctx = Pick<Context, 'db' | 'pubsub' | 'viewer' | 'env'>;

const MINUTE_MS = 60_000;
const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 } as const;
export const QUESTION_MAX = 1000;

export interface SlotTouched {
  officeHoursId: string;
  slotId: string;
}

declare module '../../pubsub.js' {
  interface PubSubTopics {
    /** A slot of this series changed its seats or state (a booking, a cancellation, the waitlist, the host). */
    'office-hours:activity': [officeHoursId: string, payload: SlotTouched];
  }
}

/** Call after commit: tells the series' subscribers these slots changed (nudges: they read again). */
export function publishSlotActivity(pubsub: Pick<PubSub, 'publish'>, slots: readonly SlotTouched[]): void {
  const seen = new Set<string>();
  for (const slot of slots) {
    if (seen.has(slot.slotId)) continue;
    seen.add(slot.slotId);
    pubsub.publish('office-hours:activity', slot.officeHoursId, slot);
  }
}

const noteSchema = z.object({ id: z.uuid(), recipientId: z.uuid(), inApp: z.boolean() });
const touchedSchema = z.object({ officeHoursId: z.uuid(), slotId: z.uuid() });

// A change made inside someone else's transaction (a job, the host's edit) is published by this job:
// a runner claims it only once that transaction is visible. Publishing twice is harmless.
export const publishJob = defineJob('office-hours.publish', {
  payload: z.object({ notes: z.array(noteSchema), slots: z.array(touchedSchema) }),
  mode: 'outside',
  run: async ({ notes, slots }, { services }) => {
    publishNotifications(services.pubsub, notes);
    publishSlotActivity(services.pubsub, slots);
  },
});

/** Inside a transaction: publish these after it commits (through publishJob). */
export async function publishAfterCommit(
  tx: DbClient,
  notes: readonly CreatedNotification[],
  slots: readonly SlotTouched[],
): Promise<void> {
  if (notes.length === 0 && slots.length === 0) return;
  await scheduleJob(tx, publishJob, {
    notes: notes.map(({ id, recipientId, inApp }) => ({ id, recipientId, inApp })),
    slots: [...slots],
  });
}

// ── locks and reads ──────────────────────────────────────────────────────

export interface LockedSlot {
  id: string;
  officeHoursId: string;
  startsAt: Date;
  endsAt: Date;
  seats: number;
  cancelledAt: Date | null;
}

/**
 * Locks one slot row (FOR UPDATE). Lock order: nothing of office hours may be locked after a
 * Booking or waitlist row, and a second slot only in ascending id (callers here lock one slot).
 */
export async function lockSlot(tx: DbClient, slotId: string): Promise<LockedSlot | null> {
  const rows = await tx.$queryRaw<LockedSlot[]>`
    SELECT "id", "officeHoursId", "startsAt", "endsAt", "seats", "cancelledAt"
      FROM "OfficeHourSlot" WHERE "id" = ${slotId}::uuid
       FOR UPDATE`;
  return rows[0] ?? null;
}

interface SeriesFacts {
  id: string;
  hostId: string;
  status: OfficeHoursStatus;
  minimumNoticeMinutes: number;
  bookingWindowDays: number;
}

async function seriesOf(tx: DbClient, officeHoursId: string): Promise<SeriesFacts> {
  return tx.officeHours.findUniqueOrThrow({
    where: { id: officeHoursId },
    select: { id: true, hostId: true, status: true, minimumNoticeMinutes: true, bookingWindowDays: true },
  });
}

/** BOOKED + OFFERED (an offer holds its seat until it runs out), counted behind the slot lock. */
export async function seatsTakenOf(tx: DbClient, slotId: string, at: Date): Promise<number> {
  const [booked, offered] = await Promise.all([
    tx.booking.count({ where: { slotId, status: 'BOOKED' } }),
    tx.officeHoursWaitlistEntry.count({ where: { slotId, status: 'OFFERED', offerExpiresAt: { gt: at } } }),
  ]);
  return booked + offered;
}

// ── the waitlist: offers ─────────────────────────────────────────────────

const offerKey = (entryId: string) => `office-hours.offer-expiry:${entryId}`;
const fillKey = (slotId: string) => `office-hours.fill-seats:${slotId}`;

/**
 * Behind the slot lock: offers that ran out become EXPIRED, then every free seat is offered to the
 * next in line (joinedAt order) until `min(now + offer minutes, start − minimum notice)`, with a
 * notification (and email) and a keyed job for the deadline. No offer once booking has closed, on
 * a cancelled slot or series, or to a member who can no longer see the series (they leave the line).
 */
export async function settleSlot(
  tx: DbClient,
  slotId: string,
  at: Date,
  offerMinutes: number,
): Promise<CreatedNotification[]> {
  await tx.officeHoursWaitlistEntry.updateMany({
    where: { slotId, status: 'OFFERED', offerExpiresAt: { lte: at } },
    data: { status: 'EXPIRED' },
  });
  const slot = await tx.officeHourSlot.findUniqueOrThrow({
    where: { id: slotId },
    select: {
      id: true,
      seats: true,
      startsAt: true,
      cancelledAt: true,
      officeHoursId: true,
      officeHours: { select: { status: true, minimumNoticeMinutes: true } },
    },
  });
  if (slot.cancelledAt || slot.officeHours.status !== 'ACTIVE') return [];
  const closesAt = bookingClosesAt(slot.startsAt, slot.officeHours.minimumNoticeMinutes);
  if (at.getTime() >= closesAt.getTime()) return [];
  let free = slot.seats - (await seatsTakenOf(tx, slotId, at));
  const notes: CreatedNotification[] = [];
  while (free > 0) {
    const head = await tx.officeHoursWaitlistEntry.findFirst({
      where: { slotId, status: 'WAITING' },
      orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }],
      select: { id: true, memberId: true },
    });
    if (!head) break;
    if (!(await canSeeOfficeHours(tx, head.memberId, slot.officeHoursId))) {
      await tx.officeHoursWaitlistEntry.update({ where: { id: head.id }, data: { status: 'LEFT' } });
      continue;
    }
    const offerExpiresAt = new Date(Math.min(at.getTime() + offerMinutes * MINUTE_MS, closesAt.getTime()));
    await tx.officeHoursWaitlistEntry.update({
      where: { id: head.id },
      data: { status: 'OFFERED', offeredAt: at, offerExpiresAt },
    });
    await scheduleJob(tx, offerExpiryJob, { entryId: head.id }, { runAt: offerExpiresAt, key: offerKey(head.id) });
    notes.push(
      ...(await notify(tx, {
        kind: waitlistOfferKind,
        recipientIds: [head.memberId],
        actorId: null,
        subjectId: encodeGlobalId('OfficeHoursWaitlistEntry', head.id),
        data: { entryId: head.id, slotId, offerExpiresAt: offerExpiresAt.toISOString() },
      })),
    );
    free -= 1;
  }
  return notes;
}

async function settleInJob(db: DbClient, slotId: string, at: Date, offerMinutes: number): Promise<void> {
  const slot = await lockSlot(db, slotId);
  if (!slot) return;
  const notes = await settleSlot(db, slotId, at, offerMinutes);
  await publishAfterCommit(db, notes, [{ officeHoursId: slot.officeHoursId, slotId }]);
}

// An offer ran out: it expires and the seat goes to the next in line. Re-checks behind the lock, so
// an offer accepted or declined meanwhile is left alone (settleSlot only expires what ran out).
export const offerExpiryJob = defineJob('office-hours.offer-expiry', {
  payload: z.object({ entryId: z.uuid() }),
  run: async ({ entryId }, { db, services, now: at }) => {
    const entry = await db.officeHoursWaitlistEntry.findUnique({ where: { id: entryId }, select: { slotId: true } });
    if (!entry) return;
    await settleInJob(db, entry.slotId, at, services.env.OFFICE_HOURS_OFFER_MINUTES);
  },
});

// Seats freed by someone else's change (the host added seats): offered from a job, which has the
// environment's offer time, right after that change commits.
export const fillSeatsJob = defineJob('office-hours.fill-seats', {
  payload: z.object({ slotId: z.uuid() }),
  run: async ({ slotId }, { db, services, now: at }) => {
    await settleInJob(db, slotId, at, services.env.OFFICE_HOURS_OFFER_MINUTES);
  },
});

/** Inside the caller's transaction: offer this slot's free seats once it commits. */
export async function fillSeatsSoon(tx: DbClient, slotId: string): Promise<void> {
  await scheduleJob(tx, fillSeatsJob, { slotId }, { key: fillKey(slotId) });
}

// ── one change, committed, then published ────────────────────────────────

interface Change {
  notes: CreatedNotification[];
  slots: SlotTouched[];
}

/**
 * Runs `work` in one transaction. It may return a refusal (a DomainError) instead of a value: what it
 * wrote before deciding (only settling the waitlist) commits, and the refusal is thrown after.
 */
async function change<T>(ctx: Ctx, work: (tx: DbClient, out: Change) => Promise<T | DomainError>): Promise<T> {
  const out: Change = { notes: [], slots: [] };
  const result = await ctx.db.$transaction((tx) => work(tx, out), TX_OPTIONS);
  publishNotifications(ctx.pubsub, out.notes);
  publishSlotActivity(ctx.pubsub, out.slots);
  if (result instanceof Error) throw result;
  return result;
}

function viewerIdOf(ctx: Ctx): string {
  if (!ctx.viewer) throw new NotFoundError('That slot');
  return ctx.viewer.id;
}

/** Creates the BOOKED row (the caller checked seats behind the slot lock) and its reminders. */
async function createBooking(
  tx: DbClient,
  args: { slotId: string; attendeeId: string; question: string },
): Promise<string> {
  const booking = await tx.booking.create({
    data: { slotId: args.slotId, attendeeId: args.attendeeId, question: args.question },
    select: { id: true },
  });
  await scheduleBookingReminders(tx, booking.id);
  return booking.id;
}

async function tellHost(tx: DbClient, hostId: string, attendeeId: string, bookingId: string, slotId: string) {
  return notify(tx, {
    kind: bookedKind,
    recipientIds: [hostId],
    actorId: attendeeId,
    subjectId: encodeGlobalId('Booking', bookingId),
    data: { bookingId, slotId },
  });
}

/** A locked slot the viewer may see, with its series; NOT_FOUND otherwise (forbidden looks like missing). */
async function visibleLockedSlot(tx: DbClient, slotId: string, viewerId: string) {
  const slot = await lockSlot(tx, slotId);
  if (!slot || !(await canSeeOfficeHours(tx, viewerId, slot.officeHoursId))) return null;
  return { slot, series: await seriesOf(tx, slot.officeHoursId) };
}

// ── booking ──────────────────────────────────────────────────────────────

/** Books a seat for the viewer; returns the booking's id. */
export async function bookSlot(ctx: Ctx, slotId: string, question: string): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return change(ctx, async (tx, out) => {
    const found = await visibleLockedSlot(tx, slotId, viewerId);
    if (!found) return new NotFoundError('That slot');
    const { slot, series } = found;
    const at = clockNow();
    out.notes.push(...(await settleSlot(tx, slotId, at, ctx.env.OFFICE_HOURS_OFFER_MINUTES)));
    out.slots.push({ officeHoursId: slot.officeHoursId, slotId });
    const [viewerBooked, entry, seatsTaken] = await Promise.all([
      tx.booking.count({ where: { slotId, attendeeId: viewerId, status: 'BOOKED' } }),
      tx.officeHoursWaitlistEntry.findFirst({
        where: { slotId, memberId: viewerId, status: { in: ['WAITING', 'OFFERED'] } },
        select: { id: true, status: true },
      }),
      seatsTakenOf(tx, slotId, at),
    ]);
    const blocker = bookingBlocker({
      now: at,
      viewerId,
      slot,
      series,
      seatsTaken,
      viewerBooked: viewerBooked > 0,
      viewerOffered: entry?.status === 'OFFERED',
    });
    if (blocker) {
      return blocker.code === 'NOT_FOUND' || blocker.code === 'SIGN_IN'
        ? new NotFoundError('That slot')
        : new ConflictError(blocker.code, blocker.message);
    }
    const bookingId = await createBooking(tx, { slotId, attendeeId: viewerId, question });
    if (entry) {
      // Booking while in line (offered, or a seat was free anyway) takes the place out of the line.
      await tx.officeHoursWaitlistEntry.update({
        where: { id: entry.id },
        data: { status: 'CONFIRMED', bookingId },
      });
      await cancelJob(tx, offerKey(entry.id));
    }
    out.notes.push(...(await tellHost(tx, series.hostId, viewerId, bookingId, slotId)));
    return bookingId;
  });
}

/**
 * For mentorship session series (H4): books `attendeeId` into a slot whose lock the caller holds —
 * no notice or window rules (the pair agreed on the time), but never more than the seats and never
 * twice. No notification (the confirmation tells the pair).
 */
export async function bookSeatLocked(
  tx: DbClient,
  args: { slotId: string; attendeeId: string; question?: string },
): Promise<string> {
  const slot = await tx.officeHourSlot.findUniqueOrThrow({ where: { id: args.slotId }, select: { seats: true } });
  const [booked, seatsTaken] = await Promise.all([
    tx.booking.count({ where: { slotId: args.slotId, attendeeId: args.attendeeId, status: 'BOOKED' } }),
    seatsTakenOf(tx, args.slotId, clockNow()),
  ]);
  if (booked > 0) throw new ConflictError('ALREADY_BOOKED', 'You have a seat');
  if (seatsTaken >= slot.seats) throw new ConflictError('SLOT_FULL', 'Every seat is taken');
  return createBooking(tx, { slotId: args.slotId, attendeeId: args.attendeeId, question: args.question ?? '' });
}

/** The attendee cancels their own seat; it is offered to the head of the waitlist. */
export async function cancelOwnBooking(ctx: Ctx, bookingId: string): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return change(ctx, async (tx, out) => {
    const mine = await tx.booking.findFirst({
      where: { id: bookingId, attendeeId: viewerId },
      select: { slotId: true },
    });
    if (!mine) return new NotFoundError('That booking');
    const slot = await lockSlot(tx, mine.slotId);
    if (!slot) return new NotFoundError('That booking');
    const booking = await tx.booking.findUniqueOrThrow({ where: { id: bookingId }, select: { status: true } });
    if (booking.status !== 'BOOKED') return new ConflictError('ALREADY_CANCELLED', 'This booking is already cancelled');
    const at = clockNow();
    if (slot.startsAt.getTime() <= at.getTime())
      return new ConflictError('SLOT_PAST', 'This session has started: it can no longer be cancelled');
    await tx.booking.update({
      where: { id: bookingId },
      data: { status: 'CANCELLED', cancelledAt: at, cancelledById: viewerId, sequence: { increment: 1 } },
    });
    await cancelBookingReminders(tx, bookingId);
    out.notes.push(...(await settleSlot(tx, slot.id, at, ctx.env.OFFICE_HOURS_OFFER_MINUTES)));
    out.slots.push({ officeHoursId: slot.officeHoursId, slotId: slot.id });
    return bookingId;
  });
}

// ── the waitlist: joining, leaving, answering an offer ──────────────────

export async function joinWaitlist(ctx: Ctx, slotId: string, question: string): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return change(ctx, async (tx, out) => {
    const found = await visibleLockedSlot(tx, slotId, viewerId);
    if (!found) return new NotFoundError('That slot');
    const { slot, series } = found;
    const at = clockNow();
    out.notes.push(...(await settleSlot(tx, slotId, at, ctx.env.OFFICE_HOURS_OFFER_MINUTES)));
    out.slots.push({ officeHoursId: slot.officeHoursId, slotId });
    const [viewerBooked, entry, seatsTaken] = await Promise.all([
      tx.booking.count({ where: { slotId, attendeeId: viewerId, status: 'BOOKED' } }),
      tx.officeHoursWaitlistEntry.count({
        where: { slotId, memberId: viewerId, status: { in: ['WAITING', 'OFFERED'] } },
      }),
      seatsTakenOf(tx, slotId, at),
    ]);
    if (entry > 0) return new ConflictError('ALREADY_WAITLISTED', 'You are already on the waitlist');
    const blocker = bookingBlocker({
      now: at,
      viewerId,
      slot,
      series,
      seatsTaken,
      viewerBooked: viewerBooked > 0,
      viewerOffered: false,
    });
    if (!blocker) return new ConflictError('SEATS_AVAILABLE', 'A seat is free: book it instead');
    if (blocker.code !== 'SLOT_FULL') {
      return blocker.code === 'NOT_FOUND' || blocker.code === 'SIGN_IN'
        ? new NotFoundError('That slot')
        : new ConflictError(blocker.code, blocker.message);
    }
    const created = await tx.officeHoursWaitlistEntry.create({
      data: { slotId, memberId: viewerId, question, joinedAt: at },
      select: { id: true },
    });
    return created.id;
  });
}

/** The member leaves the line (or gives back an offer: it goes to the next). */
export async function leaveWaitlist(ctx: Ctx, entryId: string, answer: 'LEAVE' | 'DECLINE' = 'LEAVE'): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return change(ctx, async (tx, out) => {
    const mine = await tx.officeHoursWaitlistEntry.findFirst({
      where: { id: entryId, memberId: viewerId },
      select: { slotId: true },
    });
    if (!mine) return new NotFoundError('That waitlist place');
    const slot = await lockSlot(tx, mine.slotId);
    if (!slot) return new NotFoundError('That waitlist place');
    const at = clockNow();
    out.notes.push(...(await settleSlot(tx, slot.id, at, ctx.env.OFFICE_HOURS_OFFER_MINUTES)));
    out.slots.push({ officeHoursId: slot.officeHoursId, slotId: slot.id });
    const entry = await tx.officeHoursWaitlistEntry.findUniqueOrThrow({
      where: { id: entryId },
      select: { status: true },
    });
    if (answer === 'DECLINE' && entry.status !== 'OFFERED') {
      return entry.status === 'EXPIRED'
        ? new ConflictError('OFFER_EXPIRED', 'The offer ran out: the seat went to the next in line')
        : new ConflictError('NO_OFFER', 'There is no offer to decline');
    }
    if (entry.status !== 'WAITING' && entry.status !== 'OFFERED')
      return new ConflictError('NOT_WAITING', 'You are no longer on this waitlist');
    await tx.officeHoursWaitlistEntry.update({ where: { id: entryId }, data: { status: 'LEFT' } });
    await cancelJob(tx, offerKey(entryId));
    if (entry.status === 'OFFERED') {
      out.notes.push(...(await settleSlot(tx, slot.id, at, ctx.env.OFFICE_HOURS_OFFER_MINUTES)));
    }
    return entryId;
  });
}

/** The member takes the seat offered to them, before the offer runs out; returns the booking's id. */
export async function acceptOffer(ctx: Ctx, entryId: string): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return change(ctx, async (tx, out) => {
    const mine = await tx.officeHoursWaitlistEntry.findFirst({
      where: { id: entryId, memberId: viewerId },
      select: { slotId: true },
    });
    if (!mine) return new NotFoundError('That waitlist place');
    const found = await visibleLockedSlot(tx, mine.slotId, viewerId);
    if (!found) return new NotFoundError('That waitlist place');
    const { slot, series } = found;
    const at = clockNow();
    // Expires this offer too when it ran out (and offers the seat to the next in line).
    out.notes.push(...(await settleSlot(tx, slot.id, at, ctx.env.OFFICE_HOURS_OFFER_MINUTES)));
    out.slots.push({ officeHoursId: slot.officeHoursId, slotId: slot.id });
    const entry = await tx.officeHoursWaitlistEntry.findUniqueOrThrow({
      where: { id: entryId },
      select: { status: true, question: true },
    });
    if (entry.status === 'EXPIRED')
      return new ConflictError('OFFER_EXPIRED', 'The offer ran out: the seat went to the next in line');
    if (entry.status !== 'OFFERED') return new ConflictError('NO_OFFER', 'There is no offer to accept');
    if (slot.cancelledAt || series.status !== 'ACTIVE')
      return new ConflictError('SLOT_CANCELLED', 'This session was cancelled');
    if (slot.startsAt.getTime() <= at.getTime()) return new ConflictError('SLOT_PAST', 'This session has started');
    // The offer held a seat; the booking takes it over. Seats lowered meanwhile still win.
    const booked = await tx.booking.count({ where: { slotId: slot.id, status: 'BOOKED' } });
    if (booked >= slot.seats) return new ConflictError('SLOT_FULL', 'Every seat is taken');
    const bookingId = await createBooking(tx, { slotId: slot.id, attendeeId: viewerId, question: entry.question });
    await tx.officeHoursWaitlistEntry.update({ where: { id: entryId }, data: { status: 'CONFIRMED', bookingId } });
    await cancelJob(tx, offerKey(entryId));
    out.notes.push(...(await tellHost(tx, series.hostId, viewerId, bookingId, slot.id)));
    return bookingId;
  });
}

// ── attendance ───────────────────────────────────────────────────────────

/** The host marks a booked attendee as attended or no-show, once the slot has started. */
export async function markAttendance(ctx: Ctx, bookingId: string, attendance: BookingAttendance): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  return change(ctx, async (tx, out) => {
    const hosted = await tx.booking.findFirst({
      where: { id: bookingId, slot: { officeHours: { hostId: viewerId } } },
      select: { slotId: true },
    });
    if (!hosted) return new NotFoundError('That booking');
    const slot = await lockSlot(tx, hosted.slotId);
    if (!slot) return new NotFoundError('That booking');
    const booking = await tx.booking.findUniqueOrThrow({ where: { id: bookingId }, select: { status: true } });
    if (booking.status !== 'BOOKED') return new ConflictError('ALREADY_CANCELLED', 'This booking was cancelled');
    if (slot.startsAt.getTime() > clockNow().getTime())
      return new ConflictError('SLOT_NOT_STARTED', 'Mark attendance once the session has started');
    if (slot.cancelledAt) return new ConflictError('SLOT_CANCELLED', 'This session was cancelled');
    await tx.booking.update({ where: { id: bookingId }, data: { attendance } });
    out.slots.push({ officeHoursId: slot.officeHoursId, slotId: slot.id });
    return bookingId;
  });
}
