import type { Prisma } from '../../generated/prisma/client.js';
import type { CreatedNotification } from '../notifications/index.js';

// What the rest of office hours calls when a host's change touches booked seats (H1's slot sync,
// H4's pair sessions). Every function runs inside the caller's transaction; the caller holds the
// locks named in each function (lock order: OfficeHours → OfficeHourSlot in id order → Booking /
// OfficeHoursWaitlistEntry) and publishes the returned notifications after commit.

type Tx = Prisma.TransactionClient;

export type BookingCancelReason = 'SLOT_CANCELLED' | 'SERIES_CANCELLED' | 'OCCURRENCE_REMOVED';

/**
 * The host cancelled these slots (or the series, or an edit removed the occurrences): every BOOKED
 * booking is cancelled by the host, every WAITING/OFFERED entry LEFT, reminders cancelled, and each
 * attendee told. Caller holds the slot rows' locks.
 */
export async function cancelBookingsOfSlots(
  _tx: Tx,
  _args: { slotIds: string[]; hostId: string; reason: BookingCancelReason; message?: string | null },
): Promise<CreatedNotification[]> {
  return [];
}

/** These slots moved (startsAt changed): bump each booking's sequence, reschedule reminders, tell attendees. */
export async function onSlotsMoved(_tx: Tx, _slotIds: string[]): Promise<CreatedNotification[]> {
  return [];
}

/** The slot's seats changed (caller holds its lock): freed seats are offered to the waitlist's head. */
export async function onSeatsChanged(_tx: Tx, _slotId: string): Promise<CreatedNotification[]> {
  return [];
}

/**
 * Books a seat for H4's pair sessions (no notice/window checks; the caller holds the slot lock).
 * Returns the booking's id.
 */
export async function bookSeatInTransaction(
  _tx: Tx,
  _args: { slotId: string; attendeeId: string; question?: string },
): Promise<{ bookingId: string }> {
  throw new Error('bookSeatInTransaction: not implemented yet');
}
