import {
  addDays,
  formatClockTime,
  formatDate,
  formatDateTime,
  formatTime,
  localDayKey,
  localToInstant,
  offsetMinutesAt,
  todayIn,
  viewerTimeZone,
  zonedDateTime,
} from '../../lib/time.js';
import { WEEKDAYS } from '../mentorship/labels.js';

// Office hours are planned in the host's zone and shown in the viewer's: all zone arithmetic goes through
// lib/time (Temporal), never Date arithmetic on local times.

export { viewerTimeZone };

/** 'America/New_York' → 'New York', 'Europe/Berlin' → 'Berlin', 'UTC' → 'UTC'. */
export function zoneCity(zone: string): string {
  return (zone.split('/').at(-1) ?? zone).replaceAll('_', ' ');
}

function sameOffset(instant: Date, a: string, b: string): boolean {
  return a === b || offsetMinutesAt(instant, a) === offsetMinutesAt(instant, b);
}

export interface SlotTimes {
  /** '17:00–17:30' in the viewer's zone (the end's day added when it is another day) */
  viewer: string;
  /** '23:30–00:30': the two clock times only, for the week's narrow cells */
  viewerClock: string;
  /** 'Tue 15 Dec, 17:00–17:30' in the viewer's zone */
  viewerWithDay: string;
  /** '11:00 in New York' (with the day when it differs), or null when both zones agree then */
  host: string | null;
}

function rangeIn(start: Date, end: Date, zone: string, withDay: boolean): string {
  const from = withDay ? formatDateTime(start, { timeZone: zone }) : formatTime(start, { timeZone: zone });
  const to =
    localDayKey(start, zone) === localDayKey(end, zone)
      ? formatTime(end, { timeZone: zone })
      : formatDateTime(end, { timeZone: zone });
  return `${from}–${to}`;
}

/** A slot's time where the viewer is, and where the host is when that differs (either end: DST). */
export function slotTimes(
  startsAt: string,
  endsAt: string,
  hostZone: string,
  viewerZone = viewerTimeZone(),
): SlotTimes {
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  const differs = !sameOffset(start, viewerZone, hostZone) || !sameOffset(end, viewerZone, hostZone);
  let host: string | null = null;
  if (differs) {
    const sameDay = localDayKey(start, viewerZone) === localDayKey(start, hostZone);
    const there = sameDay ? formatTime(start, { timeZone: hostZone }) : formatDateTime(start, { timeZone: hostZone });
    host = `${there} in ${zoneCity(hostZone)}`;
  }
  return {
    viewer: rangeIn(start, end, viewerZone, false),
    viewerClock: `${formatTime(start, { timeZone: viewerZone })}–${formatTime(end, { timeZone: viewerZone })}`,
    viewerWithDay: rangeIn(start, end, viewerZone, true),
    host,
  };
}

// ---- Weeks (Monday to Sunday, in the viewer's zone) ------------------------------------------------

const DATE_KEY = /^\d{4}-\d{2}-\d{2}$/;

/** The Monday of the week holding `date` ('YYYY-MM-DD'), as a date. */
export function mondayOf(date: string, zone: string): string {
  // Noon exists on every day in every zone, so the weekday read there is that date's.
  const dayOfWeek = zonedDateTime(localToInstant(`${date}T12:00`, zone), zone).dayOfWeek;
  return addDays(date, 1 - dayOfWeek);
}

/** A `?week=` value made safe: the Monday of that week, or of this week when it is not a date. */
export function weekFromParam(param: string | null, zone: string, now = new Date()): string {
  if (param && DATE_KEY.test(param)) {
    try {
      return mondayOf(param, zone);
    } catch {
      // Not a real date (2026-02-31): this week instead.
    }
  }
  return mondayOf(todayIn(zone, now), zone);
}

export interface WeekDay {
  date: string;
  /** 'Monday' */
  weekday: string;
  /** 'Mon 14 Dec' */
  label: string;
}

export function weekDays(monday: string, zone: string): WeekDay[] {
  return Array.from({ length: 7 }, (_, index) => {
    const date = addDays(monday, index);
    const noon = localToInstant(`${date}T12:00`, zone);
    return { date, weekday: WEEKDAYS[index]?.label ?? '', label: formatDate(noon, { timeZone: zone }) };
  });
}

/** The Monday `weeks` weeks later (or earlier). */
export function addWeeks(monday: string, weeks: number): string {
  return addDays(monday, weeks * 7);
}

/** The week's first and last instants: Monday 00:00 to the next Monday 00:00 in the zone. */
export function weekRange(monday: string, zone: string): { from: string; to: string } {
  return {
    from: localToInstant(`${monday}T00:00`, zone).toISOString(),
    to: localToInstant(`${addDays(monday, 7)}T00:00`, zone).toISOString(),
  };
}

/** 'Week of Mon 14 Dec 2026' */
export function weekTitle(monday: string, zone: string): string {
  return `Week of ${formatDate(localToInstant(`${monday}T12:00`, zone), { timeZone: zone, withYear: true })}`;
}

// ---- Words ------------------------------------------------------------------------------------------

/** 30 → '30 min', 60 → '1 h', 90 → '1 h 30 min', 2880 → '2 days' */
export function formatMinutes(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 === 0) {
    const days = minutes / 1440;
    return days === 1 ? '1 day' : `${days} days`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

interface SeriesWords {
  startDate: string;
  startTime: string;
  timeZone: string;
  durationMinutes: number;
  recurrence: {
    everyWeeks: number;
    weekdays: readonly string[];
    untilDate?: string | null | undefined;
    occurrenceCount?: number | null | undefined;
  } | null;
}

const WEEKDAY_LABEL = new Map(WEEKDAYS.map((day) => [day.value as string, day.label]));

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** 'Tuesdays and Thursdays at 17:00 Berlin time, every 2 weeks, until 31 Mar · 30 min' (the time on the
 * viewer's clock: '5:00 PM' in en-US) */
export function seriesWords(series: SeriesWords, locale?: string): string {
  const at = `${formatClockTime(series.startTime, locale ? { locale } : {})} ${zoneCity(series.timeZone)} time`;
  const length = formatMinutes(series.durationMinutes);
  const first = localToInstant(`${series.startDate}T12:00`, series.timeZone);
  if (!series.recurrence) {
    return `Once, on ${formatDate(first, { timeZone: series.timeZone, withYear: true })} at ${at} · ${length}`;
  }
  const days = series.recurrence.weekdays.map((day) => `${WEEKDAY_LABEL.get(day) ?? day}s`);
  const every = series.recurrence.everyWeeks === 1 ? '' : `, every ${series.recurrence.everyWeeks} weeks`;
  let end = '';
  if (series.recurrence.untilDate) {
    const until = localToInstant(`${series.recurrence.untilDate}T12:00`, series.timeZone);
    end = `, until ${formatDate(until, { timeZone: series.timeZone, withYear: true })}`;
  } else if (series.recurrence.occurrenceCount) {
    end = `, ${series.recurrence.occurrenceCount} times`;
  }
  return `${listWords(days)} at ${at}${every}${end} · ${length}`;
}

/** 1 → '1st', 2 → '2nd', 11 → '11th' */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** '2 of 4 seats left', '1 seat left', 'Full' */
export function seatsWords(seatsLeft: number, seats: number): string {
  if (seatsLeft <= 0) return 'Full';
  if (seats === 1) return '1 seat left';
  return `${seatsLeft} of ${seats} seats left`;
}
