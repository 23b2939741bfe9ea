// The web's one time module: IANA zone names, local (wall-clock) times and every date/time the app
// shows, on Temporal. Its first half is the twin of server/src/lib/time.ts and must give the same
// answers (tests/web/time-server-web.test.ts compares the two); change both together.
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

/** Today's date in `zone` ('2026-03-03'). */
export function todayIn(zone: string, now = new Date()): string {
  return instantToLocal(now, zone).date;
}

/** A calendar date `days` later ('2026-03-03' + 7 → '2026-03-10'). */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

// ---- What the viewer sees -------------------------------------------------------------------
// Every date and time in the app goes through the helpers below: the viewer's locale decides the
// conventions (day/month order, names) and, once, whether the clock is 12- or 24-hour; the
// viewer's zone is the default. Zone arithmetic (same day? yesterday?) is Temporal's, never Date's.

let viewerZone: string | undefined;

/** The browser's zone, canonical ('Asia/Calcutta' in Chrome → 'Asia/Kolkata'); 'UTC' if unknown. */
export function viewerTimeZone(): string {
  // Read once per page load: every formatted time asks for it, and building a formatter each time
  // to find it costs more than the formatting itself.
  if (viewerZone === undefined) {
    const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    viewerZone = (zone && canonicalTimeZone(zone)) || 'UTC';
  }
  return viewerZone;
}

export type HourCycle = 'h12' | 'h23';

const hourCycles = new Map<string, HourCycle>();

/** 12- or 24-hour clock, from the locale's own preference (en-US → h12, en-GB/de → h23). */
export function hourCycleOf(locale?: string): HourCycle {
  const key = locale ?? '';
  let cycle = hourCycles.get(key);
  if (!cycle) {
    const resolved = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions();
    cycle = resolved.hourCycle === 'h11' || resolved.hourCycle === 'h12' || resolved.hour12 ? 'h12' : 'h23';
    hourCycles.set(key, cycle);
  }
  return cycle;
}

export interface FormatOptions {
  /** IANA zone to show the time in; default: the viewer's */
  timeZone?: string;
  /** BCP 47 locale; default: the viewer's (the browser's) */
  locale?: string;
}

type Instant = Date | string;

const toDate = (instant: Instant): Date => (typeof instant === 'string' ? new Date(instant) : instant);

const formats = new Map<string, Intl.DateTimeFormat>();

function format(kind: string, fields: Intl.DateTimeFormatOptions, options: FormatOptions): Intl.DateTimeFormat {
  const timeZone = options.timeZone ?? viewerTimeZone();
  const key = `${kind}|${options.locale ?? ''}|${timeZone}`;
  let formatter = formats.get(key);
  if (!formatter) {
    const clock: Intl.DateTimeFormatOptions =
      'hour' in fields
        ? {
            hourCycle: hourCycleOf(options.locale),
            hour: hourCycleOf(options.locale) === 'h12' ? 'numeric' : '2-digit',
          }
        : {};
    formatter = new Intl.DateTimeFormat(options.locale, { ...fields, ...clock, timeZone });
    formats.set(key, formatter);
  }
  return formatter;
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };
const DATE_WITH_YEAR: Intl.DateTimeFormatOptions = { ...DATE, year: 'numeric' };

/** "18:00" or "6:00 PM" */
export function formatTime(instant: Instant, options: FormatOptions = {}): string {
  return format('time', TIME, options).format(toDate(instant));
}

/**
 * A wall-clock time of day as stored ('17:00', a weekly series' start) on the viewer's clock, like
 * formatTime: "17:00" or "5:00 PM". No zone is involved: it is that time wherever it is read.
 */
export function formatClockTime(time: string, options: Pick<FormatOptions, 'locale'> = {}): string {
  const wall = Temporal.PlainTime.from(time === '24:00' ? '00:00' : time, { overflow: 'reject' });
  // Any day does: formatted in UTC, a UTC instant shows exactly its own wall-clock time.
  const instant = Temporal.PlainDate.from('2000-01-03').toZonedDateTime({ timeZone: 'UTC', plainTime: wall });
  return formatTime(new Date(instant.epochMilliseconds), { ...options, timeZone: 'UTC' });
}

/** "Tue 3 Mar" / "Tue, Mar 3"; with the year when `withYear` */
export function formatDate(instant: Instant, options: FormatOptions & { withYear?: boolean } = {}): string {
  const fields = options.withYear ? DATE_WITH_YEAR : DATE;
  return format(options.withYear ? 'date-year' : 'date', fields, options).format(toDate(instant));
}

/** "Tue 3 Mar, 18:00" / "Tue, Mar 3, 6:00 PM" */
export function formatDateTime(instant: Instant, options: FormatOptions & { withYear?: boolean } = {}): string {
  const fields = { ...(options.withYear ? DATE_WITH_YEAR : DATE), ...TIME };
  return format(options.withYear ? 'date-time-year' : 'date-time', fields, options).format(toDate(instant));
}

/** "Tuesday 3 March 2026, 18:00": for titles and tooltips */
export function formatFullDateTime(instant: Instant, options: FormatOptions = {}): string {
  const fields: Intl.DateTimeFormatOptions = {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...TIME,
  };
  return format('full', fields, options).format(toDate(instant));
}

/** The month and day for a calendar-leaf badge: { month: 'Mar', day: '3' } */
export function formatMonthDay(instant: Instant, options: FormatOptions = {}): { month: string; day: string } {
  const date = toDate(instant);
  return {
    month: format('month', { month: 'short' }, options).format(date),
    day: format('day', { day: 'numeric' }, options).format(date),
  };
}

/** '2026-03-03': the local calendar day of an instant in the zone (for grouping by day) */
export function localDayKey(instant: Instant, timeZone = viewerTimeZone()): string {
  return instantToLocal(toDate(instant), timeZone).date;
}

/** Whole local days from `instant` to `now` in the zone: 0 today, 1 yesterday */
function daysAgo(instant: Instant, now: Date, timeZone: string): number {
  const day = Temporal.PlainDate.from(localDayKey(instant, timeZone));
  const today = Temporal.PlainDate.from(localDayKey(now, timeZone));
  return day.until(today, { largestUnit: 'day' }).days;
}

/** "Today", "Yesterday", "Monday 3 March" (with the year when it is not this year) */
export function formatDayHeading(instant: Instant, now = new Date(), options: FormatOptions = {}): string {
  const timeZone = options.timeZone ?? viewerTimeZone();
  const days = daysAgo(instant, now, timeZone);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const sameYear = localDayKey(instant, timeZone).slice(0, 4) === localDayKey(now, timeZone).slice(0, 4);
  const fields: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
  return sameYear
    ? format('heading', fields, { ...options, timeZone }).format(toDate(instant))
    : format('heading-year', { ...fields, year: 'numeric' }, { ...options, timeZone }).format(toDate(instant));
}

/** Compact time for lists: "14:05" today, "Yesterday", otherwise "3 Mar" */
export function formatListTime(instant: Instant, now = new Date(), options: FormatOptions = {}): string {
  const timeZone = options.timeZone ?? viewerTimeZone();
  const days = daysAgo(instant, now, timeZone);
  if (days === 0) return formatTime(instant, { ...options, timeZone });
  if (days === 1) return 'Yesterday';
  return format('short-day', { day: 'numeric', month: 'short' }, { ...options, timeZone }).format(toDate(instant));
}

const RELATIVE_STEPS: [number, Intl.RelativeTimeFormatUnit][] = [
  [60, 'second'],
  [60, 'minute'],
  [24, 'hour'],
  [7, 'day'],
  [4.35, 'week'],
  [12, 'month'],
];

/** "5 minutes ago", "yesterday", "in 2 hours": words, so in the app's language (English) */
export function formatRelative(instant: Instant, now = new Date(), options: { locale?: string } = {}): string {
  const relative = new Intl.RelativeTimeFormat(options.locale ?? 'en', { numeric: 'auto' });
  let value = (toDate(instant).getTime() - now.getTime()) / 1000;
  for (const [size, unit] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), 'year');
}
