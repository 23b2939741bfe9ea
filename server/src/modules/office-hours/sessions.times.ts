import { Temporal } from 'temporal-polyfill';
import { instantToLocal, localToInstant, offsetMinutesAt, zonedDateTime } from '../../lib/time.js';
import { type Interval, WEEKDAYS, type Weekly, weekIntervals } from '../mentorship/index.js';

// When a pair can meet: the times of a mentorship's session series that lie wholly inside both
// members' working hours, each member's hours being wall-clock ranges in their own zone. The series is
// a weekly rule in the mentor's zone (so the mentor's local time is fixed and the mentee's moves
// with either zone's DST), and a time is offered only when EVERY session of it until the agreement's
// planned end is inside both members' hours, checked on the real dates in both real zones (lib/time,
// mentorship's weekIntervals) — not just the first week's.

const MINUTE_MS = 60_000;
const HALF_HOUR_MS = 30 * MINUTE_MS;
/** The first session is at least this far ahead: the other side has time to confirm. */
export const FIRST_SESSION_LEAD_MS = 12 * 3600_000;
/** The same caps as any series (recurrence.ts): at most 104 sessions, over at most 400 days. */
export const MAX_SESSIONS = 104;
export const MAX_SPAN_DAYS = 400;
export const EVERY_WEEKS = { WEEKLY: 1, BIWEEKLY: 2, MONTHLY: 4 } as const;
export type Cadence = keyof typeof EVERY_WEEKS;

export interface SeriesTerms {
  mentor: Weekly;
  mentee: Weekly;
  everyWeeks: number;
  durationMinutes: number;
  /** The last local date (in the mentor's zone) a session may fall on: the agreement's planned end. */
  untilDate: Temporal.PlainDate;
}

export interface Session {
  startsAt: Date;
  endsAt: Date;
}

export interface SeriesRule {
  timeZone: string;
  startDate: string;
  startTime: string;
  everyWeeks: number;
  weekday: (typeof WEEKDAYS)[number];
  untilDate: string;
}

/** The weekly rule (in the mentor's zone) whose first session starts at `startsAt`. */
export function ruleFrom(startsAt: Date, terms: SeriesTerms): SeriesRule {
  const local = zonedDateTime(startsAt, terms.mentor.timeZone);
  const startDate = local.toPlainDate();
  const capped = startDate.add({ days: MAX_SPAN_DAYS - 1 });
  const until = Temporal.PlainDate.compare(terms.untilDate, capped) > 0 ? capped : terms.untilDate;
  return {
    timeZone: terms.mentor.timeZone,
    startDate: startDate.toString(),
    startTime: local.toPlainTime().toString({ smallestUnit: 'minute' }),
    everyWeeks: terms.everyWeeks,
    weekday: WEEKDAYS[local.dayOfWeek - 1]!,
    untilDate: until.toString(),
  };
}

/** Every session of the rule, by lib/time's one rule for skipped and repeated local times. */
export function sessionsOf(rule: SeriesRule, durationMinutes: number): Session[] {
  const sessions: Session[] = [];
  const until = Temporal.PlainDate.from(rule.untilDate);
  let date = Temporal.PlainDate.from(rule.startDate);
  while (Temporal.PlainDate.compare(date, until) <= 0 && sessions.length < MAX_SESSIONS) {
    const startsAt = localToInstant(`${date.toString()}T${rule.startTime}`, rule.timeZone);
    sessions.push({ startsAt, endsAt: new Date(startsAt.getTime() + durationMinutes * MINUTE_MS) });
    date = date.add({ weeks: rule.everyWeeks });
  }
  return sessions;
}

/** Whether [start, end) lies inside one stretch of the member's working hours (DST of that day). */
export function insideHours(weekly: Weekly, session: Session): boolean {
  const start = session.startsAt.getTime();
  const end = session.endsAt.getTime();
  // The hours from the session's start on, as instants: a stretch that covers the start begins there.
  return weekIntervals(weekly, session.startsAt).some(([from, to]) => from <= start && end <= to);
}

export interface Outside {
  session: Session;
  who: 'MENTOR' | 'MENTEE';
}

/**
 * The first session of the series that is not inside both members' hours, or null. Sessions whose
 * two zones' offsets are the same as an earlier one's have the same wall-clock times, so only the
 * first of each offset pair is checked.
 */
export function firstOutside(sessions: readonly Session[], terms: SeriesTerms): Outside | null {
  const checked = new Set<string>();
  for (const session of sessions) {
    const key = `${offsetMinutesAt(session.startsAt, terms.mentor.timeZone)}|${offsetMinutesAt(session.startsAt, terms.mentee.timeZone)}|${offsetMinutesAt(session.endsAt, terms.mentor.timeZone)}|${offsetMinutesAt(session.endsAt, terms.mentee.timeZone)}`;
    if (checked.has(key)) continue;
    checked.add(key);
    if (!insideHours(terms.mentor, session)) return { session, who: 'MENTOR' };
    if (!insideHours(terms.mentee, session)) return { session, who: 'MENTEE' };
  }
  return null;
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const shared: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]![0], b[j]![0]);
    const end = Math.min(a[i]![1], b[j]![1]);
    if (start < end) shared.push([start, end]);
    if (a[i]![1] < b[j]![1]) i += 1;
    else j += 1;
  }
  return shared;
}

export interface Candidate {
  rule: SeriesRule;
  sessions: Session[];
}

/**
 * Up to `first` series whose every session is inside both members' hours: the first session in the
 * week from `from`, on the half hour (of the mentor's zone), at most one a weekday (the mentor's)
 * before a second on any day, each day's earliest workable time first: the first round (one a day, in
 * order of time), then the second. Callers take the first n and show them in order of time.
 */
export function proposeTimes(
  terms: SeriesTerms,
  from: Date,
  first: number,
  busy: readonly Interval[] = [],
): Candidate[] {
  const shared = intersect(weekIntervals(terms.mentor, from), weekIntervals(terms.mentee, from));
  const durationMs = terms.durationMinutes * MINUTE_MS;
  const byDay = new Map<string, Candidate[]>();
  for (const [start, end] of shared) {
    for (let at = halfHourAtOrAfter(start, terms.mentor.timeZone); at + durationMs <= end; at += HALF_HOUR_MS) {
      const startsAt = new Date(at);
      const rule = ruleFrom(startsAt, terms);
      const day = rule.weekday;
      const picked = byDay.get(day) ?? [];
      // A second time on a day only if it is at least a session apart from the first.
      if (picked.length >= 2 || picked.some((c) => Math.abs(c.sessions[0]!.startsAt.getTime() - at) < durationMs)) {
        continue;
      }
      const sessions = sessionsOf(rule, terms.durationMinutes);
      if (sessions.length === 0 || sessions[0]!.startsAt.getTime() !== at) continue;
      if (firstOutside(sessions, terms) || clashes(sessions, busy)) continue;
      picked.push({ rule, sessions });
      byDay.set(day, picked);
    }
  }
  // One per weekday first (in order of time), then the days' second times.
  const rounds = [0, 1].map((round) =>
    [...byDay.values()].flatMap((picked) => (picked[round] ? [picked[round]!] : [])),
  );
  const ordered = rounds.flatMap((round) =>
    round.sort((a, b) => a.sessions[0]!.startsAt.getTime() - b.sessions[0]!.startsAt.getTime()),
  );
  return ordered.slice(0, first);
}

/** Whether a session overlaps one of the mentor's other office hours (each widened by its buffer). */
function clashes(sessions: readonly Session[], busy: readonly Interval[]): boolean {
  return sessions.some((session) =>
    busy.some(([start, end]) => session.startsAt.getTime() < end && start < session.endsAt.getTime()),
  );
}

/** The first instant at or after `ms` that is on the hour or half hour in `zone`. */
function halfHourAtOrAfter(ms: number, zone: string): number {
  const local = zonedDateTime(new Date(ms), zone);
  const minutesPast = (local.minute % 30) * MINUTE_MS + local.second * 1000 + local.millisecond;
  if (minutesPast === 0 && local.microsecond === 0 && local.nanosecond === 0) return ms;
  return ms - minutesPast + HALF_HOUR_MS;
}

// ── words ────────────────────────────────────────────────────────────────

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = [
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

/** 'Europe/Berlin' → 'Berlin', 'America/Sao_Paulo' → 'Sao Paulo', 'UTC' → 'UTC'. */
export function placeOf(zone: string): string {
  return (zone.split('/').at(-1) ?? zone).replaceAll('_', ' ');
}

/** 'YYYY-MM-DDTHH:MM' of an instant in `zone`. */
export function localMinute(instant: Date, zone: string): string {
  return instantToLocal(new Date(Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS), zone).iso.slice(0, 16);
}

function dayAndTime(instant: Date, zone: string): { day: string; time: string } {
  const local = zonedDateTime(instant, zone);
  return {
    day: DAY_NAMES[local.dayOfWeek - 1]!,
    time: local.toPlainTime().toString({ smallestUnit: 'minute' }),
  };
}

/** "Tuesdays 17:00 Berlin · 21:30 Kolkata", "Every 2 weeks on Tuesday 17:00 Berlin · Wednesday 01:30 Tokyo". */
export function sessionLabel(startsAt: Date, everyWeeks: number, mentorZone: string, menteeZone: string): string {
  const mentor = dayAndTime(startsAt, mentorZone);
  const mentee = dayAndTime(startsAt, menteeZone);
  const weekly = everyWeeks === 1;
  const mentorText = `${weekly ? `${mentor.day}s` : `Every ${everyWeeks} weeks on ${mentor.day}`} ${mentor.time} ${placeOf(mentorZone)}`;
  if (mentorZone === menteeZone) return mentorText;
  const menteeDay = mentee.day === mentor.day ? '' : `${weekly ? `${mentee.day}s` : mentee.day} `;
  return `${mentorText} · ${menteeDay}${mentee.time} ${placeOf(menteeZone)}`;
}

/** "Tuesday 31 March 2026, 20:30–21:15 in Kolkata". */
export function sessionInWords(session: Session, zone: string): string {
  const start = zonedDateTime(session.startsAt, zone);
  const end = zonedDateTime(session.endsAt, zone);
  const date = `${DAY_NAMES[start.dayOfWeek - 1]} ${start.day} ${MONTH_NAMES[start.month - 1]} ${start.year}`;
  const time = (z: Temporal.ZonedDateTime) => z.toPlainTime().toString({ smallestUnit: 'minute' });
  return `${date}, ${time(start)}–${time(end)} in ${placeOf(zone)}`;
}
