import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { proposeTimes, type SeriesTerms } from './sessions.times.js';

// Session times checked against Temporal used directly (wall-clock weeks in the mentor's zone,
// wall-clock ranges in each member's zone), for random working hours in zone pairs with and without
// DST, from random moments around their 2026–2027 clock changes: every session of every proposed
// series is inside both members' hours (sound), and a weekday on which some series would fit is
// never left out while another weekday is offered twice (spread).

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const PAIRS: Array<[string, string]> = [
  ['Europe/Berlin', 'Asia/Kolkata'],
  ['America/Sao_Paulo', 'Asia/Kolkata'],
  ['America/New_York', 'Europe/London'],
  ['Pacific/Auckland', 'America/Los_Angeles'],
  ['Asia/Kathmandu', 'Australia/Adelaide'],
];
// Around the changes: US/EU spring and autumn, the southern hemisphere's.
const AROUND = ['2026-03-20', '2026-10-20', '2027-03-22', '2027-04-01', '2026-09-22', '2026-11-01'];

type Range = { weekday: (typeof WEEKDAYS)[number]; start: string; end: string };

const time = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const hoursArb = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 6 }),
      start: fc.integer({ min: 0, max: 40 }), // half hours: 00:00–20:00
      length: fc.integer({ min: 4, max: 24 }), // 2–12 hours
    }),
    { minLength: 2, maxLength: 10 },
  )
  .map((ranges) => {
    const byDay = new Map<number, Range>();
    for (const range of ranges) {
      const start = range.start * 30;
      const end = Math.min(start + range.length * 30, 23 * 60 + 30);
      byDay.set(range.day, { weekday: WEEKDAYS[range.day]!, start: time(start), end: time(end) });
    }
    return [...byDay.values()];
  });

function inside(zoned: Temporal.ZonedDateTime, end: Temporal.ZonedDateTime, hours: readonly Range[]): boolean {
  if (!zoned.toPlainDate().equals(end.toPlainDate())) return false;
  const hhmm = (z: Temporal.ZonedDateTime) => z.toPlainTime().toString({ smallestUnit: 'minute' });
  return hours.some(
    (range) => range.weekday === WEEKDAYS[zoned.dayOfWeek - 1] && hhmm(zoned) >= range.start && hhmm(end) <= range.end,
  );
}

/** Every session of the series that starts at `first` inside both members' hours (Temporal only). */
function seriesFits(first: Temporal.ZonedDateTime, terms: SeriesTerms, mentor: Range[], mentee: Range[]): boolean {
  for (let k = 0; k < 104; k += 1) {
    const start = first.add({ weeks: k * terms.everyWeeks });
    if (Temporal.PlainDate.compare(start.toPlainDate(), terms.untilDate) > 0) return true;
    // A start the zone skips that day moves by the gap: outside, unless still inside.
    const end = start.add({ minutes: terms.durationMinutes });
    if (!inside(start, end, mentor)) return false;
    const there = start.withTimeZone(terms.mentee.timeZone);
    if (!inside(there, end.withTimeZone(terms.mentee.timeZone), mentee)) return false;
  }
  return true;
}

describe('session times', () => {
  it('are inside both members’ hours for every session, and spread over the weekdays that fit', () => {
    let offered = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...PAIRS),
        hoursArb,
        hoursArb,
        fc.constantFrom(...AROUND),
        fc.integer({ min: 0, max: 6 * 24 }),
        fc.constantFrom(30, 45, 60, 90),
        fc.constantFrom(1, 2, 4),
        fc.integer({ min: 2, max: 14 }),
        ([mentorZone, menteeZone], mentorHours, menteeHours, day, hour, durationMinutes, everyWeeks, weeks) => {
          const from = new Date(
            Temporal.PlainDate.from(day).toZonedDateTime('UTC').add({ hours: hour }).epochMilliseconds,
          );
          const untilDate = Temporal.Instant.fromEpochMilliseconds(from.getTime())
            .toZonedDateTimeISO(mentorZone)
            .toPlainDate()
            .add({ weeks });
          const terms: SeriesTerms = {
            mentor: { timeZone: mentorZone, weeklyHours: mentorHours },
            mentee: { timeZone: menteeZone, weeklyHours: menteeHours },
            everyWeeks,
            durationMinutes,
            untilDate,
          };
          const proposals = proposeTimes(terms, from, 7);
          if (proposals.length > 0) offered += 1;
          const days = new Set<number>();
          for (const proposal of proposals) {
            const first = Temporal.Instant.fromEpochMilliseconds(
              proposal.sessions[0]!.startsAt.getTime(),
            ).toZonedDateTimeISO(mentorZone);
            expect(first.epochMilliseconds).toBeGreaterThanOrEqual(from.getTime());
            expect(first.minute % 30).toBe(0);
            expect(seriesFits(first, terms, mentorHours, menteeHours)).toBe(true);
            expect(proposal.sessions.length).toBeGreaterThan(0);
            days.add(first.dayOfWeek);
          }
          // Spread: a weekday appears twice only once every weekday that fits appears.
          if (days.size < proposals.length) {
            let cursor = Temporal.Instant.fromEpochMilliseconds(from.getTime()).toZonedDateTimeISO(mentorZone);
            cursor = cursor.round({ smallestUnit: 'minute', roundingMode: 'ceil' });
            while (cursor.minute % 30 !== 0) cursor = cursor.add({ minutes: 1 });
            const end = from.getTime() + 7 * 24 * 3600_000;
            // A first session wholly inside the week from `from` (the window the proposals come from).
            const last = end - durationMinutes * 60_000;
            for (; cursor.epochMilliseconds <= last; cursor = cursor.add({ minutes: 30 })) {
              if (days.has(cursor.dayOfWeek)) continue;
              expect(seriesFits(cursor, terms, mentorHours, menteeHours), `missed ${cursor.toString()}`).toBe(false);
            }
          }
        },
      ),
      { numRuns: 80 },
    );
    // Not a vacuous pass: many of the random pairs do share time.
    expect(offered).toBeGreaterThan(20);
  });
});
