import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { calendarTimeZones, icsTimes, instantInWords } from '../../../lib/ics.js';
import { canonicalOrStored } from '../../../lib/time.js';

// One event as an iCalendar (RFC 5545) file, made with ical-generator. A pure function: the caller
// decides who may see which fields. Times are written in the event's own zone (DTSTART;TZID=…) with
// a VTIMEZONE built from Temporal's transition data (lib/ics.ts), so calendar apps keep the wall-clock
// time the organiser chose; the zone also travels as X-WR-TIMEZONE and, in words, in the description.
// addEventToCalendar also serves members' calendar feeds (office hours), which list RSVPs.

export interface IcsEvent {
  id: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  onlineUrl: string | null;
  location: string | null;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  groupName: string;
}

/** The same for every download of the event, so calendar apps update rather than duplicate it. */
export function eventUid(eventId: string): string {
  return `${eventId.toLowerCase()}@guildhall`;
}

/**
 * RFC 5545 SEQUENCE: whole seconds from creation to the last change. It grows with every change
 * (one a second at most) without a revision column, and is 0 for an event never changed; an
 * INTEGER holds 68 years of it.
 */
export function eventSequence(createdAt: Date, updatedAt: Date): number {
  return Math.max(0, Math.floor((updatedAt.getTime() - createdAt.getTime()) / 1000));
}

/** Adds one event as a VEVENT to `calendar` (whose `timezone` option writes the VTIMEZONEs). */
export function addEventToCalendar(
  calendar: ICalCalendar,
  event: IcsEvent,
  options: { origin: string; now: Date },
): void {
  const zone = canonicalOrStored(event.timeZone);
  const pageUrl = `${options.origin.replace(/\/$/, '')}/events/${event.id}`;
  const planned = `Planned in ${zone}: ${instantInWords(event.startsAt, zone)} to ${instantInWords(event.endsAt, zone)}.`;
  const description = [
    event.description.trim(),
    event.onlineUrl ? `Join online: ${event.onlineUrl}` : '',
    planned,
    pageUrl,
  ]
    .filter(Boolean)
    .join('\n\n');
  const cancelled = event.cancelledAt !== null;
  calendar.createEvent({
    id: eventUid(event.id),
    sequence: eventSequence(event.createdAt, event.updatedAt),
    stamp: options.now,
    created: event.createdAt,
    lastModified: event.updatedAt,
    ...icsTimes(event.startsAt, event.endsAt, zone),
    summary: event.title,
    description,
    location: event.location ?? event.onlineUrl ?? null,
    url: pageUrl,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
}

export function renderEventIcs(event: IcsEvent, options: { origin: string; now: Date }): string {
  const zone = canonicalOrStored(event.timeZone);
  const cancelled = event.cancelledAt !== null;
  const calendar = new ICalCalendar({
    prodId: '//Guildhall//Events//EN',
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
    name: event.groupName,
    timezone: calendarTimeZones(event.startsAt, event.endsAt),
    x: [['X-WR-TIMEZONE', zone]],
  });
  addEventToCalendar(calendar, event, options);
  return `${calendar.toString()}\r\n`;
}
