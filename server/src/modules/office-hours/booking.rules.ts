import type { OfficeHoursStatus } from '../../generated/prisma/client.js';

// Whether a member may book a slot, as one pure function: the booking service refuses with its
// code and words, and the slot's viewerCanBook / viewerBookingBlocker say the same thing ahead.

export type BookingBlockerCode =
  | 'SIGN_IN'
  | 'NOT_FOUND'
  | 'SLOT_CANCELLED'
  | 'SLOT_PAST'
  | 'OWN_SLOT'
  | 'ALREADY_BOOKED'
  | 'TOO_LATE'
  | 'TOO_EARLY'
  | 'SLOT_FULL';

export interface BookingBlocker {
  code: BookingBlockerCode;
  message: string;
}

export interface BookingFacts {
  now: Date;
  viewerId: string | null;
  slot: { startsAt: Date; cancelledAt: Date | null; seats: number };
  series: {
    hostId: string;
    status: OfficeHoursStatus;
    minimumNoticeMinutes: number;
    bookingWindowDays: number;
  };
  /** BOOKED plus OFFERED (an offer holds its seat until it runs out). */
  seatsTaken: number;
  viewerBooked: boolean;
  /** The viewer holds an offer from the waitlist: booking takes the held seat. */
  viewerOffered: boolean;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** "2 hours", "90 minutes", "1 day", "1 day 6 hours". */
export function durationText(minutes: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 60 || minutes % 60 !== 0) return plural(minutes, 'minute');
  const hours = minutes / 60;
  if (hours < 24) return plural(hours, 'hour');
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest === 0 ? plural(days, 'day') : `${plural(days, 'day')} ${plural(rest, 'hour')}`;
}

/** The instant booking closes: the slot's start minus its minimum notice. */
export function bookingClosesAt(startsAt: Date, minimumNoticeMinutes: number): Date {
  return new Date(startsAt.getTime() - minimumNoticeMinutes * MINUTE_MS);
}

/** The instant booking opens: the booking window before the slot starts (an absolute duration). */
export function bookingOpensAt(startsAt: Date, bookingWindowDays: number): Date {
  return new Date(startsAt.getTime() - bookingWindowDays * DAY_MS);
}

/** Why the viewer may not book this slot now, or null when they may. */
export function bookingBlocker(facts: BookingFacts): BookingBlocker | null {
  const { now, viewerId, slot, series } = facts;
  if (!viewerId) return { code: 'SIGN_IN', message: 'Sign in to book' };
  if (series.status === 'PROPOSED') return { code: 'NOT_FOUND', message: 'Not open for booking yet' };
  if (slot.cancelledAt || series.status === 'CANCELLED')
    return { code: 'SLOT_CANCELLED', message: 'This session was cancelled' };
  if (slot.startsAt.getTime() <= now.getTime()) return { code: 'SLOT_PAST', message: 'This session has started' };
  if (series.hostId === viewerId) return { code: 'OWN_SLOT', message: 'You host this session' };
  if (facts.viewerBooked) return { code: 'ALREADY_BOOKED', message: 'You have a seat' };
  if (now.getTime() > bookingClosesAt(slot.startsAt, series.minimumNoticeMinutes).getTime())
    return { code: 'TOO_LATE', message: `Book at least ${durationText(series.minimumNoticeMinutes)} ahead` };
  if (now.getTime() < bookingOpensAt(slot.startsAt, series.bookingWindowDays).getTime())
    return {
      code: 'TOO_EARLY',
      message: `Booking opens ${durationText(series.bookingWindowDays * 24 * 60)} ahead`,
    };
  if (facts.viewerOffered) return null;
  if (facts.seatsTaken >= slot.seats) return { code: 'SLOT_FULL', message: 'Every seat is taken: join the waitlist' };
  return null;
}
