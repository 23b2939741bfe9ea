import { ICalCalendar, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import {
  canonicalOrStored,
  instantToLocal,
  localTimeKind,
  offsetMinutesAt,
  timeZoneTransitions,
  zonedDateTime,
} from '../../../lib/time.js';

// One event as an iCalendar (RFC 5545) file, made with ical-generator. A pure function: the caller
// decides who may see which fields. Times are written in the event's own zone (DTSTART;TZID=…) with
// a VTIMEZONE built from Temporal's transition data, so calendar apps keep the wall-clock time the
// organiser chose; the zone also travels as X-WR-TIMEZONE and, in words, in the description.

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

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

function utcOffset(minutes: number): string {
  const seconds = Math.round(minutes * 60);
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  const ss = abs % 60 === 0 ? '' : String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${mm}${ss}`;
}

// The wall-clock time of `instant` at a fixed offset, '20260329T020000' (a VTIMEZONE onset is written
// in the offset before it). Plain arithmetic on an instant and an offset, no zone rules involved.
function localAtOffset(instant: Date, offsetMinutes: number): string {
  const shifted = new Date(instant.getTime() + Math.round(offsetMinutes * 60) * 1000);
  return shifted.toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/**
 * A VTIMEZONE for `zone` covering `from`–`to`: the observance in force at `from`, then one
 * sub-component per offset change (explicit onsets, no RRULE, so it is exact for that window).
 * DAYLIGHT when the new offset is above the year's lower (standard) offset.
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const standardOffset = (instant: Date) => {
    const year = instantToLocal(instant, zone).date.slice(0, 4);
    return Math.min(
      offsetMinutesAt(new Date(`${year}-01-01T00:00:00Z`), zone),
      offsetMinutesAt(new Date(`${year}-07-01T00:00:00Z`), zone),
    );
  };
  const observance = (start: string, fromOffset: number, toOffset: number, daylight: boolean) =>
    [
      `BEGIN:${daylight ? 'DAYLIGHT' : 'STANDARD'}`,
      `DTSTART:${start}`,
      `TZOFFSETFROM:${utcOffset(fromOffset)}`,
      `TZOFFSETTO:${utcOffset(toOffset)}`,
      `END:${daylight ? 'DAYLIGHT' : 'STANDARD'}`,
    ].join('\r\n');
  const initial = offsetMinutesAt(from, zone);
  const parts = [
    'BEGIN:VTIMEZONE',
    `TZID:${zone}`,
    observance(localAtOffset(from, initial), initial, initial, initial > standardOffset(from)),
  ];
  for (const change of timeZoneTransitions(zone, new Date(from.getTime() + 1), to)) {
    parts.push(
      observance(
        localAtOffset(change.instant, change.offsetBeforeMinutes),
        change.offsetBeforeMinutes,
        change.offsetAfterMinutes,
        change.offsetAfterMinutes > standardOffset(change.instant),
      ),
    );
  }
  parts.push('END:VTIMEZONE');
  return parts.join('\r\n');
}

function inWords(instant: Date, zone: string): string {
  return zonedDateTime(instant, zone).toLocaleString('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

export function renderEventIcs(event: IcsEvent, options: { origin: string; now: Date }): string {
  const zone = canonicalOrStored(event.timeZone);
  const pageUrl = `${options.origin.replace(/\/$/, '')}/events/${event.id}`;
  const planned = `Planned in ${zone}: ${inWords(event.startsAt, zone)} to ${inWords(event.endsAt, zone)}.`;
  const description = [
    event.description.trim(),
    event.onlineUrl ? `Join online: ${event.onlineUrl}` : '',
    planned,
    pageUrl,
  ]
    .filter(Boolean)
    .join('\n\n');
  const cancelled = event.cancelledAt !== null;
  // The VTIMEZONE covers a year either side of the event: enough for any client's display.
  const window = { from: new Date(event.startsAt.getTime() - YEAR_MS), to: new Date(event.endsAt.getTime() + YEAR_MS) };
  const calendar = new ICalCalendar({
    prodId: '//Guildhall//Events//EN',
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
    name: event.groupName,
    // Only the generator: a calendar-level zone name would make ical-generator write DTSTAMP in it.
    timezone: { name: null, generator: (tz) => vtimezone(tz, window.from, window.to) },
    x: [['X-WR-TIMEZONE', zone]],
  });
  // RFC 5545 reads a repeated local time as its first occurrence, but readers differ (node-ical takes
  // the second): an event that starts or ends in a repeated hour is written in UTC, exact everywhere.
  const inZone = [event.startsAt, event.endsAt].every(
    (instant) => localTimeKind(instantToLocal(instant, zone).iso, zone) === 'unique',
  );
  calendar.createEvent({
    id: eventUid(event.id),
    sequence: eventSequence(event.createdAt, event.updatedAt),
    stamp: options.now,
    created: event.createdAt,
    lastModified: event.updatedAt,
    start: inZone ? zonedDateTime(event.startsAt, zone) : event.startsAt,
    end: inZone ? zonedDateTime(event.endsAt, zone) : event.endsAt,
    timezone: inZone ? zone : null,
    summary: event.title,
    description,
    location: event.location ?? event.onlineUrl ?? null,
    url: pageUrl,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return `${calendar.toString()}\r\n`;
}
