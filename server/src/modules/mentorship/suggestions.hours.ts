import { localToInstant, zonedDateTime } from '../../lib/time.js';
import { WEEKDAYS, type WorkingHours } from './mentorship.inputs.js';

// Shared working time of two people whose weekly hours are wall-clock time in their own zones.
// Each range is placed on the real dates of the coming week (now … now + 7 days) in its zone and
// turned into instants by lib/time.ts, so DST is that week's: a Berlin evening and a New York
// morning overlap one hour more in the weeks between the US and the EU clock changes.

const WEEK_MS = 7 * 24 * 3600_000;

export interface Weekly {
  timeZone: string;
  weeklyHours: readonly WorkingHours[];
}

/** [start, end) in epoch milliseconds. */
export type Interval = readonly [number, number];

/**
 * Conversions memoised: candidates share zones and typical hours, so most repeat. A local
 * date-time in a zone always names the same instant (the zone rules are fixed for the process),
 * so that memo is kept across requests, bounded; the week's dates per zone are per request.
 */
export class InstantCache {
  readonly weeks = new Map<string, Array<{ weekday: string; day: string; next: string }>>();
}

const MAX_REMEMBERED = 100_000;
const instants = new Map<string, number>();

function instantOf(local: string, zone: string): number {
  const key = `${zone}|${local}`;
  let value = instants.get(key);
  if (value === undefined) {
    value = localToInstant(local, zone).getTime();
    if (instants.size >= MAX_REMEMBERED) instants.clear();
    instants.set(key, value);
  }
  return value;
}

/** The eight local dates from today in the zone: the week from now ends partway through the eighth. */
function weekDays(zone: string, now: Date, cache: InstantCache) {
  let days = cache.weeks.get(zone);
  if (!days) {
    const today = zonedDateTime(now, zone).toPlainDate();
    days = [];
    for (let i = 0; i < 8; i += 1) {
      const date = today.add({ days: i });
      days.push({
        weekday: WEEKDAYS[date.dayOfWeek - 1]!,
        day: date.toString(),
        next: date.add({ days: 1 }).toString(),
      });
    }
    cache.weeks.set(zone, days);
  }
  return days;
}

/** The weekly hours as instants within [now, now + 7 days), sorted and not overlapping. */
export function weekIntervals(weekly: Weekly, now: Date, cache: InstantCache = new InstantCache()): Interval[] {
  const from = now.getTime();
  const to = from + WEEK_MS;
  const intervals: Array<[number, number]> = [];
  for (const { weekday, day, next } of weekDays(weekly.timeZone, now, cache)) {
    for (const range of weekly.weeklyHours) {
      if (range.weekday !== weekday) continue;
      const start = instantOf(`${day}T${range.start}`, weekly.timeZone);
      const end =
        range.end === '24:00'
          ? instantOf(`${next}T00:00`, weekly.timeZone)
          : instantOf(`${day}T${range.end}`, weekly.timeZone);
      const clipped: [number, number] = [Math.max(start, from), Math.min(end, to)];
      if (clipped[0] < clipped[1]) intervals.push(clipped);
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const interval of intervals) {
    const last = merged.at(-1);
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([...interval]);
  }
  return merged;
}

/** Minutes both sets of sorted, non-overlapping intervals cover. */
export function overlapOfIntervals(a: readonly Interval[], b: readonly Interval[]): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const [aStart, aEnd] = a[i]!;
    const [bStart, bEnd] = b[j]!;
    const start = Math.max(aStart, bStart);
    const end = Math.min(aEnd, bEnd);
    if (start < end) total += end - start;
    if (aEnd < bEnd) i += 1;
    else j += 1;
  }
  return Math.round(total / 60_000);
}

/** Minutes of shared working time in the coming week (DST included). */
export function sharedMinutesThisWeek(
  a: Weekly,
  b: Weekly,
  now: Date,
  cache: InstantCache = new InstantCache(),
): number {
  return overlapOfIntervals(weekIntervals(a, now, cache), weekIntervals(b, now, cache));
}
