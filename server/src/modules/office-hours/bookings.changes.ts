import type { DbClient } from '../../db.js';
import { now as clockNow } from '../../lib/clock.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { cancelJob, scheduleJob } from '../jobs/index.js';
import { type CreatedNotification, notify } from '../notifications/index.js';
import { bookingCancelledKind, slotMovedKind } from './booking.notifications.js';
import { bookingClosesAt } from './booking.rules.js';
import { bookSeatLocked, fillSeatsSoon, offerExpiryJob, publishAfterCommit } from './booking.service.js';
import { cancelBookingReminders, scheduleBookingReminders } from './reminders.js';

// What the rest of office hours calls when a host's change touches booked seats (H1's slot sync,
// H4's pair sessions). Every function runs inside the caller's transaction; the caller holds the
// locks named in each function (lock order: OfficeHours → OfficeHourSlot in id order → Booking /
// OfficeHoursWaitlistEntry) and publishes the returned notifications after commit. The slots'
// live events (officeHoursActivity) are published by a job once that transaction commits.

type Tx = DbClient;

export type BookingCancelReason = 'SLOT_CANCELLED' | 'SERIES_CANCELLED' | 'OCCURRENCE_REMOVED';

async function touched(tx: Tx, slotIds: readonly string[]) {
  const rows = await tx.officeHourSlot.findMany({
    where: { id: { in: [...slotIds] } },
    select: { id: true, officeHoursId: true },
  });
  return rows.map((row) => ({ officeHoursId: row.officeHoursId, slotId: row.id }));
}

/**
 * The host cancelled these slots (or the series, or an edit removed the occurrences): every BOOKED
 * booking is cancelled by the host (sequence up), every WAITING/OFFERED entry LEFT, reminders and
 * offer deadlines cancelled, and each attendee told. Caller holds the slot rows' locks.
 */
export async function cancelBookingsOfSlots(
  tx: Tx,
  args: {
    slotIds: string[];
    hostId: string;
    reason: BookingCancelReason;
    message?: string | null;
    /** No notification (the caller tells the attendees its own way, e.g. a pair's series). */
    quiet?: boolean;
  },
): Promise<CreatedNotification[]> {
  if (args.slotIds.length === 0) return [];
  const at = clockNow();
  const bookings = await tx.booking.findMany({
    where: { slotId: { in: args.slotIds }, status: 'BOOKED' },
    orderBy: [{ slot: { startsAt: 'asc' } }, { id: 'asc' }],
    select: { id: true, slotId: true, attendeeId: true },
  });
  // One notification per attendee per call (a cancelled weekly series is up to 104 slots): about
  // their earliest booking, with how many more went with it.
  const byAttendee = new Map<string, Array<{ id: string; slotId: string }>>();
  for (const booking of bookings) {
    await tx.booking.update({
      where: { id: booking.id },
      data: { status: 'CANCELLED', cancelledAt: at, cancelledById: args.hostId, sequence: { increment: 1 } },
    });
    await cancelBookingReminders(tx, booking.id);
    const list = byAttendee.get(booking.attendeeId) ?? [];
    list.push(booking);
    byAttendee.set(booking.attendeeId, list);
  }
  const notes: CreatedNotification[] = [];
  const message = args.message?.trim() ? args.message.trim().slice(0, 2000) : null;
  for (const [attendeeId, list] of args.quiet ? [] : byAttendee) {
    const first = list[0]!;
    notes.push(
      ...(await notify(tx, {
        kind: bookingCancelledKind,
        recipientIds: [attendeeId],
        actorId: args.hostId,
        subjectId: encodeGlobalId('Booking', first.id),
        data: { bookingId: first.id, slotId: first.slotId, reason: args.reason, message, more: list.length - 1 },
      })),
    );
  }
  const entries = await tx.officeHoursWaitlistEntry.findMany({
    where: { slotId: { in: args.slotIds }, status: { in: ['WAITING', 'OFFERED'] } },
    select: { id: true, status: true },
  });
  if (entries.length > 0) {
    await tx.officeHoursWaitlistEntry.updateMany({
      where: { id: { in: entries.map((entry) => entry.id) } },
      data: { status: 'LEFT' },
    });
    for (const entry of entries)
      if (entry.status === 'OFFERED') await cancelJob(tx, `office-hours.offer-expiry:${entry.id}`);
  }
  await publishAfterCommit(tx, [], await touched(tx, args.slotIds));
  return notes;
}

export type MovedSlot = string | { slotId: string; previousStartsAt: Date };

/**
 * These slots moved (startsAt changed; the caller holds their locks and already bumped the slot's
 * own sequence): each BOOKED booking's sequence goes up, its reminders are scheduled afresh, its
 * attendee is told (old → new time when the caller gives the previous start), and an offer from
 * the waitlist never runs past the new start minus the minimum notice.
 */
export async function onSlotsMoved(tx: Tx, slots: readonly MovedSlot[]): Promise<CreatedNotification[]> {
  if (slots.length === 0) return [];
  const previous = new Map<string, Date | null>(
    slots.map((slot) => (typeof slot === 'string' ? [slot, null] : [slot.slotId, slot.previousStartsAt])),
  );
  const slotIds = [...previous.keys()];
  const notes: CreatedNotification[] = [];
  const bookings = await tx.booking.findMany({
    where: { slotId: { in: slotIds }, status: 'BOOKED' },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      slotId: true,
      attendeeId: true,
      slot: { select: { officeHours: { select: { hostId: true } } } },
    },
  });
  for (const booking of bookings) {
    await tx.booking.update({ where: { id: booking.id }, data: { sequence: { increment: 1 } } });
    await cancelBookingReminders(tx, booking.id);
    await scheduleBookingReminders(tx, booking.id);
    const before = previous.get(booking.slotId) ?? null;
    notes.push(
      ...(await notify(tx, {
        kind: slotMovedKind,
        recipientIds: [booking.attendeeId],
        actorId: booking.slot.officeHours.hostId,
        subjectId: encodeGlobalId('Booking', booking.id),
        data: {
          bookingId: booking.id,
          slotId: booking.slotId,
          previousStartsAt: before ? before.toISOString() : null,
        },
      })),
    );
  }
  // Offers keep their seat but never run past booking's close at the new time.
  const offers = await tx.officeHoursWaitlistEntry.findMany({
    where: { slotId: { in: slotIds }, status: 'OFFERED' },
    select: {
      id: true,
      slotId: true,
      offerExpiresAt: true,
      slot: { select: { startsAt: true, officeHours: { select: { minimumNoticeMinutes: true } } } },
    },
  });
  for (const offer of offers) {
    const closesAt = bookingClosesAt(offer.slot.startsAt, offer.slot.officeHours.minimumNoticeMinutes);
    if (offer.offerExpiresAt && offer.offerExpiresAt.getTime() <= closesAt.getTime()) continue;
    await tx.officeHoursWaitlistEntry.update({ where: { id: offer.id }, data: { offerExpiresAt: closesAt } });
    const key = `office-hours.offer-expiry:${offer.id}`;
    await cancelJob(tx, key);
    await scheduleJob(tx, offerExpiryJob, { entryId: offer.id }, { runAt: closesAt, key });
  }
  await publishAfterCommit(tx, [], await touched(tx, slotIds));
  return notes;
}

/**
 * The slot's seats changed (caller holds its lock): freed seats are offered to the waitlist's head
 * by a job right after the caller commits (the offer and its email go out then).
 */
export async function onSeatsChanged(tx: Tx, slotId: string): Promise<CreatedNotification[]> {
  await fillSeatsSoon(tx, slotId);
  await publishAfterCommit(tx, [], await touched(tx, [slotId]));
  return [];
}

/**
 * Books a seat for H4's pair sessions: no notice or window rules (the pair agreed on the time), never
 * more than the seats, never twice (ConflictError SLOT_FULL / ALREADY_BOOKED). The caller holds the
 * slot's lock. Reminders are scheduled; no notification.
 */
export async function bookSeatInTransaction(
  tx: Tx,
  args: { slotId: string; attendeeId: string; question?: string },
): Promise<{ bookingId: string }> {
  return { bookingId: await bookSeatLocked(tx, args) };
}
