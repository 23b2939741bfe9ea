import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { calendarTimeZones, icsTimes, instantInWords } from '../../lib/ics.js';
import { canonicalOrStored } from '../../lib/time.js';
import { addEventToCalendar, type IcsEvent } from '../groups/index.js';

// Office hours as iCalendar (RFC 5545), made with ical-generator and lib/ics.ts (the VTIMEZONE and
// zoned times the events' .ics use). Pure functions: the caller has decided who may see what (a
// place or link is given only where the member may see it). Times are written in the host's zone
// (TZID = the series' zone) so calendar apps keep the host's wall-clock time.
//
// - a booking: UID booking-<id>@guildhall, SEQUENCE = Booking.sequence (up on every change of time,
//   place or status), METHOD:CANCEL + STATUS:CANCELLED once the booking or its slot is cancelled;
// - a hosted slot: UID slot-<id>@guildhall, SEQUENCE = OfficeHourSlot.sequence, the number booked
//   (never who);
// - a member's feed: their bookings, the slots they host, the events they go to (the events' own
//   VEVENTs) and mentorship sessions (pair slots, as host or as booked mentee), METHOD:PUBLISH.

export interface IcsSeries {
  id: string;
  topic: string;
  description: string;
  /** The series' IANA zone: the host's. */
  timeZone: string;
  hostName: string;
  /** PAIR: a mentorship session; `otherName` is the other member of the pair. */
  pair: boolean;
}

export interface IcsSlot {
  id: string;
  startsAt: Date;
  endsAt: Date;
  cancelledAt: Date | null;
  sequence: number;
  seats: number;
  updatedAt: Date;
  createdAt: Date;
}

export interface IcsBooking {
  id: string;
  status: 'BOOKED' | 'CANCELLED';
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  slot: IcsSlot;
  series: IcsSeries;
  /** The attendee's zone, for the description. */
  attendeeZone: string;
  /** The pair's other member (PAIR) — for a booking, the host's name already says it. */
  otherName?: string | null;
  /** Only where the reader may see them (a BOOKED attendee, the host); else null. */
  onlineUrl: string | null;
  location: string | null;
  /** Set when the host reads the booking: the attendee's name (the host sees who booked). */
  attendeeName?: string;
}

export interface IcsHostedSlot {
  slot: IcsSlot;
  series: IcsSeries;
  booked: number;
  /** PAIR: the mentee. */
  otherName: string | null;
  onlineUrl: string | null;
  location: string | null;
}

export interface IcsOptions {
  origin: string;
  now: Date;
}

export function bookingUid(bookingId: string): string {
  return `booking-${bookingId.toLowerCase()}@guildhall`;
}

export function slotUid(slotId: string): string {
  return `slot-${slotId.toLowerCase()}@guildhall`;
}

const origin = (options: IcsOptions) => options.origin.replace(/\/$/, '');

export function bookingCancelled(booking: Pick<IcsBooking, 'status' | 'slot'>): boolean {
  return booking.status === 'CANCELLED' || booking.slot.cancelledAt !== null;
}

function when(startsAt: Date, endsAt: Date, zone: string): string {
  const end = instantInWords(endsAt, zone);
  const sameDay = instantInWords(startsAt, zone).replace(/ at .*$/, '') === end.replace(/ at .*$/, '');
  return `${instantInWords(startsAt, zone)} to ${sameDay ? end.replace(/^.* at /, '') : end} (${zone})`;
}

function placeLines(onlineUrl: string | null, location: string | null): string[] {
  return [onlineUrl ? `Join online: ${onlineUrl}` : '', location ? `Place: ${location}` : ''].filter(Boolean);
}

function addBooking(calendar: ICalCalendar, booking: IcsBooking, options: IcsOptions): void {
  const hostZone = canonicalOrStored(booking.series.timeZone);
  const attendeeZone = canonicalOrStored(booking.attendeeZone);
  const cancelled = bookingCancelled(booking);
  const { slot, series } = booking;
  const pageUrl = `${origin(options)}/bookings`;
  const forHost = booking.attendeeName !== undefined;
  const summary = forHost
    ? `${series.pair ? 'Mentorship session' : series.topic} with ${booking.attendeeName}`
    : series.pair
      ? `Mentorship session with ${series.hostName}`
      : `${series.topic} (office hours with ${series.hostName})`;
  const description = [
    cancelled ? (slot.cancelledAt ? 'Cancelled by the host.' : 'This booking was cancelled.') : '',
    series.description.trim(),
    ...(cancelled ? [] : placeLines(booking.onlineUrl, booking.location)),
    `${forHost ? 'Your' : "Host's"} time: ${when(slot.startsAt, slot.endsAt, hostZone)}.`,
    attendeeZone !== hostZone
      ? `${forHost ? "Attendee's" : 'Your'} time: ${when(slot.startsAt, slot.endsAt, attendeeZone)}.`
      : '',
    pageUrl,
  ]
    .filter(Boolean)
    .join('\n\n');
  calendar.createEvent({
    id: bookingUid(booking.id),
    sequence: booking.sequence,
    stamp: options.now,
    created: booking.createdAt,
    lastModified: booking.updatedAt,
    ...icsTimes(slot.startsAt, slot.endsAt, hostZone),
    summary,
    description,
    location: cancelled ? null : (booking.location ?? booking.onlineUrl ?? null),
    url: pageUrl,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
}

function addHostedSlot(calendar: ICalCalendar, hosted: IcsHostedSlot, options: IcsOptions): void {
  const { slot, series } = hosted;
  const zone = canonicalOrStored(series.timeZone);
  const cancelled = slot.cancelledAt !== null;
  const pageUrl = `${origin(options)}/office-hours/manage`;
  const summary = series.pair
    ? `Mentorship session with ${hosted.otherName ?? 'your mentee'}`
    : `${series.topic} (your office hours: ${hosted.booked} of ${slot.seats} booked)`;
  const description = [
    cancelled ? 'Cancelled.' : '',
    series.description.trim(),
    series.pair ? '' : `${hosted.booked} of ${slot.seats} seats booked.`,
    ...(cancelled ? [] : placeLines(hosted.onlineUrl, hosted.location)),
    `Your time: ${when(slot.startsAt, slot.endsAt, zone)}.`,
    pageUrl,
  ]
    .filter(Boolean)
    .join('\n\n');
  calendar.createEvent({
    id: slotUid(slot.id),
    sequence: slot.sequence,
    stamp: options.now,
    created: slot.createdAt,
    lastModified: slot.updatedAt,
    ...icsTimes(slot.startsAt, slot.endsAt, zone),
    summary,
    description,
    location: cancelled ? null : (hosted.location ?? hosted.onlineUrl ?? null),
    url: pageUrl,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
}

function span(instants: Date[], fallback: Date): { from: Date; to: Date } {
  const times = instants.map((instant) => instant.getTime());
  return times.length === 0
    ? { from: fallback, to: fallback }
    : { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
}

/** One booking as its own file: METHOD:CANCEL once it (or its slot) is cancelled. */
export function renderBookingIcs(booking: IcsBooking, options: IcsOptions): string {
  const calendar = new ICalCalendar({
    prodId: '//Guildhall//Office hours//EN',
    method: bookingCancelled(booking) ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
    name: booking.series.topic,
    timezone: calendarTimeZones(booking.slot.startsAt, booking.slot.endsAt),
    x: [['X-WR-TIMEZONE', canonicalOrStored(booking.series.timeZone)]],
  });
  addBooking(calendar, booking, options);
  return `${calendar.toString()}\r\n`;
}

export interface IcsFeed {
  memberName: string;
  memberZone: string;
  bookings: IcsBooking[];
  hosted: IcsHostedSlot[];
  events: IcsEvent[];
}

/** A member's private feed: one calendar a calendar app subscribes to (METHOD:PUBLISH). */
export function renderFeed(feed: IcsFeed, options: IcsOptions): string {
  const { from, to } = span(
    [
      ...feed.bookings.flatMap((b) => [b.slot.startsAt, b.slot.endsAt]),
      ...feed.hosted.flatMap((h) => [h.slot.startsAt, h.slot.endsAt]),
      ...feed.events.flatMap((e) => [e.startsAt, e.endsAt]),
    ],
    options.now,
  );
  const calendar = new ICalCalendar({
    prodId: '//Guildhall//Calendar feed//EN',
    method: ICalCalendarMethod.PUBLISH,
    name: `Guildhall — ${feed.memberName}`,
    description: 'Your office hours bookings, the office hours you host, your events and mentorship sessions.',
    timezone: calendarTimeZones(from, to),
    ttl: 60 * 60,
    x: [['X-WR-TIMEZONE', canonicalOrStored(feed.memberZone)]],
  });
  for (const booking of feed.bookings) addBooking(calendar, booking, options);
  for (const hosted of feed.hosted) addHostedSlot(calendar, hosted, options);
  for (const event of feed.events) addEventToCalendar(calendar, event, options);
  return `${calendar.toString()}\r\n`;
}
