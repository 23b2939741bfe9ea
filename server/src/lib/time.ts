import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

// The server's one time module: IANA zone names and local (wall-clock) times, on Temporal.
// web/src/lib/time.ts is its twin for the browser and must give the same answers (a test compares
// the two); change both together.
//
// The rule for local times that a zone skips or repeats (DST changes) is Temporal's 'compatible':
// a skipped local time moves forward by the length of the gap (Berlin 2026-03-29 02:30 → 03:30 CEST),
// a repeated one takes the earlier instant (Berlin 2026-10-25 02:30 → 02:30 CEST, not CET).

export const DISAMBIGUATION = 'compatible' as const;

// Temporal keeps a zone's alias as given ('US/Eastern' stays 'US/Eastern'); Intl resolves links, but
// in V8 to CLDR's canonical names, some of which IANA renamed long ago. These are all of them for
// the ICU this runs on (every Intl.supportedValuesOf('timeZone') name that IANA's zone.tab lacks),
// mapped to the name IANA uses now. Engines that already answer the IANA name pass through unchanged.
const CLDR_TO_IANA: Readonly<Record<string, string>> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

// Names only: offsets ('+05:00') and ISO strings with a bracketed zone, which Temporal would also
// accept as a "time zone", are not IANA names.
const ZONE_NAME_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

const canonicalCache = new Map<string, string | null>();

/**
 * The canonical IANA name of a zone ('europe/berlin' → 'Europe/Berlin', 'US/Eastern' →
 * 'America/New_York', 'Asia/Calcutta' → 'Asia/Kolkata', 'Etc/UTC' → 'UTC'), or null if it is not one.
 */
export function canonicalTimeZone(name: string): string | null {
  const input = name.trim();
  if (input.length === 0 || input.length > 64 || !ZONE_NAME_SHAPE.test(input)) return null;
  const cached = canonicalCache.get(input);
  if (cached !== undefined) return cached;
  let result: string | null;
  try {
    // Temporal validates the name and normalises its case; Intl follows links to the canonical zone.
    const id = new Temporal.ZonedDateTime(0n, input).timeZoneId;
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: id }).resolvedOptions().timeZone ?? id;
    const renamed = CLDR_TO_IANA[resolved] ?? resolved;
    result = renamed === 'Etc/UTC' || renamed === 'Etc/GMT' || renamed === 'GMT' ? 'UTC' : renamed;
  } catch {
    result = null;
  }
  canonicalCache.set(input, result);
  return result;
}

/** A stored name as it should be shown and compared: canonical when it is a zone, else as stored. */
export function canonicalOrStored(name: string): string {
  return canonicalTimeZone(name) ?? name;
}

/** Every canonical zone name this runtime knows, sorted, 'UTC' included. */
export function timeZoneNames(): string[] {
  const names = new Set<string>(['UTC']);
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const canonical = canonicalTimeZone(zone);
    if (canonical) names.add(canonical);
  }
  return [...names].sort();
}

/** Validates an IANA zone name and returns its canonical form. */
export const timeZoneSchema = z.string().transform((value, context) => {
  const canonical = canonicalTimeZone(value);
  if (canonical === null) {
    context.addIssue({ code: 'custom', message: 'Use an IANA time zone, such as Europe/Berlin or UTC.' });
    return z.NEVER;
  }
  return canonical;
});

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/;

/** '2026-03-29T02:30' (seconds optional) as a Temporal.PlainDateTime, or null if it is not a real one. */
export function parseLocalDateTime(localIso: string): Temporal.PlainDateTime | null {
  if (!LOCAL_DATE_TIME.test(localIso)) return null;
  try {
    return Temporal.PlainDateTime.from(localIso, { overflow: 'reject' });
  } catch {
    return null;
  }
}

function zoneOrThrow(zone: string): string {
  const canonical = canonicalTimeZone(zone);
  if (canonical === null) throw new RangeError(`Unknown time zone: ${zone}`);
  return canonical;
}

function toInstant(date: Date): Temporal.Instant {
  return Temporal.Instant.fromEpochMilliseconds(date.getTime());
}

/** The instant a local date-time in `zone` names, by the one rule above. Throws on bad input. */
export function localToInstant(localIso: string, zone: string): Date {
  const local = parseLocalDateTime(localIso);
  if (!local) throw new RangeError(`Not a local date-time: ${localIso}`);
  const zoned = local.toZonedDateTime(zoneOrThrow(zone), { disambiguation: DISAMBIGUATION });
  return new Date(zoned.epochMilliseconds);
}

/** localToInstant, or null when the local time or the zone is not valid (for form input). */
export function localToInstantOrNull(localIso: string, zone: string): Date | null {
  try {
    return localToInstant(localIso, zone);
  } catch {
    return null;
  }
}

/** Whether the zone has that local time once, skips it (spring gap) or has it twice (autumn overlap). */
export function localTimeKind(localIso: string, zone: string): 'unique' | 'skipped' | 'repeated' {
  const local = parseLocalDateTime(localIso);
  if (!local) throw new RangeError(`Not a local date-time: ${localIso}`);
  const id = zoneOrThrow(zone);
  const earlier = local.toZonedDateTime(id, { disambiguation: 'earlier' });
  const later = local.toZonedDateTime(id, { disambiguation: 'later' });
  if (earlier.epochNanoseconds === later.epochNanoseconds) return 'unique';
  return earlier.toPlainDateTime().equals(local) ? 'repeated' : 'skipped';
}

export interface LocalTime {
  /** '2026-10-25' */
  date: string;
  /** '02:30', with ':ss' (and '.mmm') only when they are not zero */
  time: string;
  /** date + 'T' + time: the value of an <input type="datetime-local"> */
  iso: string;
  /** '+02:00' */
  offset: string;
}

function timeText(local: Temporal.PlainDateTime): string {
  if (local.millisecond !== 0) return local.toPlainTime().toString({ smallestUnit: 'millisecond' });
  if (local.second !== 0) return local.toPlainTime().toString({ smallestUnit: 'second' });
  return local.toPlainTime().toString({ smallestUnit: 'minute' });
}

/** The wall-clock date and time of an instant in `zone`. */
export function instantToLocal(instant: Date, zone: string): LocalTime {
  const zoned = toInstant(instant).toZonedDateTimeISO(zoneOrThrow(zone));
  const local = zoned.toPlainDateTime();
  const date = local.toPlainDate().toString();
  const time = timeText(local);
  return { date, time, iso: `${date}T${time}`, offset: zoned.offset };
}

/** Minutes `zone` is ahead of UTC at that instant. */
export function offsetMinutesAt(instant: Date, zone: string): number {
  const zoned = toInstant(instant).toZonedDateTimeISO(zoneOrThrow(zone));
  return zoned.offsetNanoseconds / 60_000_000_000;
}

/** An instant as a Temporal.ZonedDateTime in `zone` (for code that formats or generates calendars). */
export function zonedDateTime(instant: Date, zone: string): Temporal.ZonedDateTime {
  return toInstant(instant).toZonedDateTimeISO(zoneOrThrow(zone));
}

export interface ZoneTransition {
  /** the first instant of the new offset */
  instant: Date;
  offsetBeforeMinutes: number;
  offsetAfterMinutes: number;
}

/** The zone's offset changes with from <= instant < to, in order. */
export function timeZoneTransitions(zone: string, from: Date, to: Date): ZoneTransition[] {
  const id = zoneOrThrow(zone);
  const transitions: ZoneTransition[] = [];
  // Start just before `from` so a transition exactly at `from` is found.
  let cursor: Temporal.ZonedDateTime | null = toInstant(new Date(from.getTime() - 1)).toZonedDateTimeISO(id);
  for (;;) {
    const next: Temporal.ZonedDateTime | null = cursor.getTimeZoneTransition('next');
    if (!next || next.epochMilliseconds >= to.getTime()) break;
    const before = next.subtract({ nanoseconds: 1 });
    transitions.push({
      instant: new Date(next.epochMilliseconds),
      offsetBeforeMinutes: before.offsetNanoseconds / 60_000_000_000,
      offsetAfterMinutes: next.offsetNanoseconds / 60_000_000_000,
    });
    cursor = next;
  }
  return transitions;
}

/**
 * The first instant after `after` at which the wall clock in `zone` shows `time` ('08:00'), by the
 * same rule (a skipped 02:30 happens at 03:30 that day). For daily digests and reminders.
 */
export function nextLocalTime(after: Date, zone: string, time: string): Date {
  const id = zoneOrThrow(zone);
  const wall = Temporal.PlainTime.from(time, { overflow: 'reject' });
  let day = toInstant(after).toZonedDateTimeISO(id).toPlainDate();
  for (;;) {
    const candidate = day.toPlainDateTime(wall).toZonedDateTime(id, { disambiguation: DISAMBIGUATION });
    if (candidate.epochMilliseconds > after.getTime()) return new Date(candidate.epochMilliseconds);
    day = day.add({ days: 1 });
  }
}
