import type { DbClient } from '../../db.js';

// Reminders of booked office-hour slots (stub: the real scheduling follows). H2's booking paths call
// these inside their transaction: scheduleBookingReminders after a booking is made or its slot moved,
// cancelBookingReminders when it is cancelled (and before a reschedule).

/** Schedules the attendee's reminders of one BOOKED booking (jobs keyed per booking and lead time). */
export async function scheduleBookingReminders(_tx: DbClient, _bookingId: string): Promise<void> {}

/** Removes every pending reminder of one booking. */
export async function cancelBookingReminders(_tx: DbClient, _bookingId: string): Promise<void> {}
