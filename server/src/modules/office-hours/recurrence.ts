import { DISAMBIGUATION, instantToLocal, localTimeKind, localToInstant, parseLocalDateTime } from '../../lib/time.js';

// Expanding office hours into occurrences: pure, on the time module (Temporal) only — local dates are
// stepped as calendar dates and each local start is turned into an instant in the host's zone by the
// time module's one rule for skipped and repeated local times (DISAMBIGUATION, 'compatible'): a start
// the zone skips that day moves later by the gap (the occurrence is `adjusted`, the host is told), a
// start it repeats takes the earlier instant. Instants are never computed by Date arithmetic on local
// times; only the end is start + duration, an absolute length.
//
// Rules:
// - a one-off (recurrence null) is one occurrence on startDate;
// - every n weeks on the chosen weekdays, counting weeks from the ISO week (Monday–Sunday) of
//   startDate: the week of startDate is week 0, and weeks 0, n, 2n, … are on; no date before startDate;
// - until a last local date (inclusive) or for a number of occurrences; an occurrence skipped by an
//   exception still counts (skipping one does not add one at the end, as in iCalendar's EXDATE);
// - exceptions name an occurrence by the local date the rule gives it: SKIP drops it, MOVE gives it a
//   new local start (its identity, occurrenceDate, stays);
// - caps: at most MAX_OCCURRENCES occurrences, none more than MAX_SPAN_DAYS after startDate.

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const MAX_OCCURRENCES = 104;
export const MAX_SPAN_DAYS = 400;
export const MAX_EVERY_WEEKS = 8;

export interface RecurrencePattern {
  everyWeeks: number;
  weekdays: readonly Weekday[];
  /** last local date 'YYYY-MM-DD', inclusive */
  untilDate?: string | null;
  occurrenceCount?: number | null;
}

export interface OccurrenceException {
  /** the local date the rule gives the occurrence */
  occurrenceDate: string;
  kind: 'SKIP' | 'MOVE';
  /** MOVE: the new local start 'YYYY-MM-DDTHH:MM' in the series' zone */
  movedToLocal?: string | null;
}

export interface ScheduleRule {
  timeZone: string;
  /** 'YYYY-MM-DD' */
  startDate: string;
  /** 'HH:MM' */
  startTime: string;
  durationMinutes: number;
  recurrence: RecurrencePattern | null;
  exceptions?: readonly OccurrenceException[];
}

export interface Occurrence {
  /** identity: the local date the rule gives it (a moved one keeps it) */
  occurrenceDate: string;
  /** the local start asked for, 'YYYY-MM-DDTHH:MM' (a moved one: where it was moved to) */
  requestedLocalStart: string;
  /** the wall-clock start it really has in the zone: differs only when `adjusted` */
  localStart: string;
  startsAt: Date;
  endsAt: Date;
  /** the zone skips the requested local start that day: the rule moved it later */
  adjusted: boolean;
  /** moved by a MOVE exception */
  moved: boolean;
}

type PlainDate = ReturnType<NonNullable<ReturnType<typeof parseLocalDateTime>>['toPlainDate']>;

/** A 'YYYY-MM-DD' calendar date, or null. */
export function parseLocalDate(value: string): PlainDate | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return parseLocalDateTime(`${value}T00:00`)?.toPlainDate() ?? null;
}

/** Whether 'HH:MM' is a wall-clock time. */
export function isLocalTime(value: string): boolean {
  return /^\d{2}:\d{2}$/.test(value) && parseLocalDateTime(`2000-01-01T${value}`) !== null;
}

function dateOrThrow(value: string): PlainDate {
  const date = parseLocalDate(value);
  if (!date) throw new RangeError(`Not a local date: ${value}`);
  return date;
}

function mondayOf(date: PlainDate): PlainDate {
  return date.subtract({ days: date.dayOfWeek - 1 });
}

function weekdayOf(date: PlainDate): Weekday {
  return WEEKDAYS[date.dayOfWeek - 1] as Weekday;
}

/** 'YYYY-MM-DDTHH:MM' of an instant in the zone. */
function localMinuteOf(instant: Date, zone: string): string {
  return instantToLocal(instant, zone).iso.slice(0, 16);
}

/** One occurrence at a requested local start, by the one rule. */
function occurrenceAt(
  occurrenceDate: string,
  requestedLocalStart: string,
  zone: string,
  durationMinutes: number,
  moved: boolean,
): Occurrence {
  const startsAt = localToInstant(requestedLocalStart, zone);
  // 'repeated' takes the earlier instant (DISAMBIGUATION): not an adjustment, the wall clock says it.
  const adjusted = localTimeKind(requestedLocalStart, zone) === 'skipped';
  return {
    occurrenceDate,
    requestedLocalStart,
    localStart: adjusted ? localMinuteOf(startsAt, zone) : requestedLocalStart,
    startsAt,
    endsAt: new Date(startsAt.getTime() + durationMinutes * 60_000),
    adjusted,
    moved,
  };
}

/** The local dates the rule gives, skipped ones included, in order (before exceptions). */
export function ruleDates(rule: Pick<ScheduleRule, 'startDate' | 'recurrence'>): string[] {
  const start = dateOrThrow(rule.startDate);
  const pattern = rule.recurrence;
  if (!pattern) return [start.toString()];
  const every = Math.max(1, Math.min(MAX_EVERY_WEEKS, Math.trunc(pattern.everyWeeks)));
  const days = new Set(pattern.weekdays);
  const last = start.add({ days: MAX_SPAN_DAYS });
  const until = pattern.untilDate ? dateOrThrow(pattern.untilDate) : null;
  const end = until && until.until(last).days >= 0 ? until : last;
  const count = Math.min(pattern.occurrenceCount ?? MAX_OCCURRENCES, MAX_OCCURRENCES);
  const firstMonday = mondayOf(start);
  const dates: string[] = [];
  for (let date = start; date.until(end).days >= 0 && dates.length < count; date = date.add({ days: 1 })) {
    if (!days.has(weekdayOf(date))) continue;
    const week = firstMonday.until(mondayOf(date)).days / 7;
    if (week % every === 0) dates.push(date.toString());
  }
  return dates;
}

/**
 * The occurrences of a rule, in order of start, exceptions applied. `from`: only those starting at or
 * after it (counts and until still run from startDate); `limit`: at most that many.
 */
export function expandOccurrences(rule: ScheduleRule, options: { from?: Date; limit?: number } = {}): Occurrence[] {
  const exceptions = new Map((rule.exceptions ?? []).map((exception) => [exception.occurrenceDate, exception]));
  const occurrences: Occurrence[] = [];
  for (const date of ruleDates(rule)) {
    const exception = exceptions.get(date);
    if (exception?.kind === 'SKIP') continue;
    const moved = exception?.kind === 'MOVE' && exception.movedToLocal ? exception.movedToLocal.slice(0, 16) : null;
    occurrences.push(
      occurrenceAt(date, moved ?? `${date}T${rule.startTime}`, rule.timeZone, rule.durationMinutes, moved !== null),
    );
  }
  occurrences.sort(
    (a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.occurrenceDate.localeCompare(b.occurrenceDate),
  );
  const from = options.from?.getTime();
  const upcoming = from === undefined ? occurrences : occurrences.filter((o) => o.startsAt.getTime() >= from);
  return options.limit === undefined ? upcoming : upcoming.slice(0, Math.max(0, options.limit));
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** '29 March' of 'YYYY-MM-DD…'. */
export function dayInWords(localDate: string): string {
  const date = dateOrThrow(localDate.slice(0, 10));
  return `${date.day} ${MONTHS[date.month - 1]}`;
}

/**
 * For the host, when the zone skipped the start asked for: "17:00 does not exist on 29 March in
 * Europe/Berlin (clocks go forward); this slot starts at 18:00." null when nothing was adjusted.
 */
export function adjustmentNote(requestedLocalStart: string | null, startsAt: Date, zone: string): string | null {
  if (!requestedLocalStart) return null;
  const actual = localMinuteOf(startsAt, zone);
  if (actual === requestedLocalStart.slice(0, 16)) return null;
  return (
    `${requestedLocalStart.slice(11, 16)} does not exist on ${dayInWords(requestedLocalStart)} in ${zone} ` +
    `(clocks go forward); this slot starts at ${actual.slice(11, 16)}.`
  );
}

// The rule's name, for readers who look for it here.
export const SKIPPED_AND_REPEATED_RULE = DISAMBIGUATION;
