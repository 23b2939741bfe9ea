import type { ICalCalendarData } from 'ical-generator';
import { instantToLocal, localTimeKind, offsetMinutesAt, timeZoneTransitions, zonedDateTime } from './time.js';
import type { Temporal } from 'temporal-polyfill';

// iCalendar (RFC 5545) pieces every calendar file of the server shares (an event's .ics, a booking's,
// a member's feed): a VTIMEZONE built from Temporal's transition data, and start/end written in a
// zone (DTSTART;TZID=…) except where a reader could misread them. Pure functions, no domain rules.

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

/**
 * The calendar's `timezone` option: no calendar-level zone name (it would make ical-generator write
 * DTSTAMP in it), and a VTIMEZONE per zone the events use, covering a year either side of `from`–`to`
 * (enough for any client's display).
 */
export function calendarTimeZones(from: Date, to: Date): NonNullable<ICalCalendarData['timezone']> {
  const window = { from: new Date(from.getTime() - YEAR_MS), to: new Date(to.getTime() + YEAR_MS) };
  return { name: null, generator: (zone: string) => vtimezone(zone, window.from, window.to) };
}

export interface IcsTimes {
  start: Temporal.ZonedDateTime | Date;
  end: Temporal.ZonedDateTime | Date;
  /** The TZID the times are written in; null: written in UTC. */
  timezone: string | null;
}

/**
 * Start and end in `zone` (DTSTART;TZID=…). RFC 5545 reads a repeated local time as its first
 * occurrence, but readers differ (node-ical takes the second): a start or end in a repeated hour is
 * written in UTC instead, exact everywhere.
 */
export function icsTimes(startsAt: Date, endsAt: Date, zone: string): IcsTimes {
  const inZone = [startsAt, endsAt].every(
    (instant) => localTimeKind(instantToLocal(instant, zone).iso, zone) === 'unique',
  );
  return inZone
    ? { start: zonedDateTime(startsAt, zone), end: zonedDateTime(endsAt, zone), timezone: zone }
    : { start: startsAt, end: endsAt, timezone: null };
}

/** 'Tuesday, 29 March 2026 at 17:00' style wording of an instant in `zone` (en-GB, 24-hour). */
export function instantInWords(instant: Date, zone: string): string {
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
