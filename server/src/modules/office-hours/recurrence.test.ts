import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  adjustmentNote,
  expandOccurrences,
  MAX_OCCURRENCES,
  MAX_SPAN_DAYS,
  type OccurrenceException,
  ruleDates,
  type ScheduleRule,
  WEEKDAYS,
  type Weekday,
} from './recurrence.js';

// Recurrence expansion checked against Temporal used directly (not the time module, not the code
// under test), across the DST changes of the zones the time module is tested with
// (tests/web/time-cases.ts ZONES): 2026–2027, starts near every transition, skipped and repeated
// local times, SKIP and MOVE exceptions.

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Australia/Lord_Howe', // 30-minute DST
  'Asia/Kolkata',
  'Pacific/Chatham', // +12:45 / +13:45
  'UTC',
] as const;

interface Transition {
  zone: string;
  /** wall clock just before the change, in the old offset */
  onset: Temporal.PlainDateTime;
  gapMinutes: number;
}

function transitions(zone: string): Transition[] {
  const found: Transition[] = [];
  let cursor: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from({
    year: 2026,
    month: 1,
    day: 1,
    timeZone: zone,
  });
  const end = Temporal.ZonedDateTime.from({ year: 2028, month: 1, day: 1, timeZone: zone });
  for (;;) {
    const next: Temporal.ZonedDateTime | null = cursor.getTimeZoneTransition('next');
    if (!next || Temporal.ZonedDateTime.compare(next, end) >= 0) break;
    const before = next.subtract({ nanoseconds: 1 }).offsetNanoseconds / 60e9;
    const after = next.offsetNanoseconds / 60e9;
    const onset = next.toInstant().toZonedDateTimeISO('UTC').toPlainDateTime().add({ minutes: before });
    found.push({ zone, onset, gapMinutes: after - before });
    cursor = next;
  }
  return found;
}

const TRANSITIONS = ZONES.flatMap((zone) => transitions(zone));
const GAPS = TRANSITIONS.filter((t) => t.gapMinutes > 0);
const OVERLAPS = TRANSITIONS.filter((t) => t.gapMinutes < 0);

const hhmm = (time: Temporal.PlainTime) => time.toString({ smallestUnit: 'minute' });

/** A local time inside a gap or an overlap, or any minute of the day; start dates near the change. */
const scheduleArb = fc
  .record({
    transition: fc.constantFrom(...TRANSITIONS),
    inside: fc.integer({ min: 0, max: 59 }),
    anyTime: fc.option(fc.integer({ min: 0, max: 24 * 60 - 1 }), { freq: 3 }),
    daysBefore: fc.integer({ min: 0, max: 40 }),
    everyWeeks: fc.integer({ min: 1, max: 4 }),
    weekdays: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }),
    end: fc.oneof(
      fc.record({ count: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ untilDays: fc.integer({ min: 0, max: 200 }) }),
    ),
    duration: fc.integer({ min: 15, max: 180 }),
  })
  .map(({ transition, inside, anyTime, daysBefore, everyWeeks, weekdays, end, duration }) => {
    const span = Math.abs(transition.gapMinutes);
    const time =
      anyTime === null
        ? (transition.gapMinutes > 0 ? transition.onset : transition.onset.subtract({ minutes: span }))
            .add({ minutes: inside % span })
            .toPlainTime()
        : Temporal.PlainTime.from('00:00').add({ minutes: anyTime });
    const startDate = transition.onset.toPlainDate().subtract({ days: daysBefore });
    const rule: ScheduleRule = {
      timeZone: transition.zone,
      startDate: startDate.toString(),
      startTime: hhmm(time),
      durationMinutes: duration,
      recurrence: {
        everyWeeks,
        weekdays: weekdays as Weekday[],
        untilDate: 'untilDays' in end ? startDate.add({ days: end.untilDays }).toString() : null,
        occurrenceCount: 'count' in end ? end.count : null,
      },
    };
    return rule;
  });

/** Adds SKIP and MOVE exceptions to some of the rule's own dates (a move stays on its date). */
const withExceptionsArb = scheduleArb.chain((rule) => {
  const dates = ruleDates(rule);
  if (dates.length === 0) return fc.constant(rule);
  return fc
    .array(
      fc.record({
        date: fc.constantFrom(...dates),
        kind: fc.constantFrom('SKIP' as const, 'MOVE' as const),
        minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
      }),
      { maxLength: 5 },
    )
    .map((picked) => {
      const exceptions = new Map<string, OccurrenceException>();
      for (const { date, kind, minute } of picked) {
        const time = hhmm(Temporal.PlainTime.from('00:00').add({ minutes: minute }));
        exceptions.set(date, { occurrenceDate: date, kind, movedToLocal: kind === 'MOVE' ? `${date}T${time}` : null });
      }
      return { ...rule, exceptions: [...exceptions.values()] };
    });
});

function independent(localIso: string, zone: string) {
  const local = Temporal.PlainDateTime.from(localIso);
  const earlier = local.toZonedDateTime(zone, { disambiguation: 'earlier' });
  const later = local.toZonedDateTime(zone, { disambiguation: 'later' });
  const unique = earlier.epochMilliseconds === later.epochMilliseconds;
  const skipped = !unique && !earlier.toPlainDateTime().equals(local);
  return {
    earlier: earlier.epochMilliseconds,
    later: later.epochMilliseconds,
    unique,
    skipped,
    repeated: !unique && !skipped,
  };
}

function wallClock(instant: Date, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime())
    .toZonedDateTimeISO(zone)
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' });
}

/** The dates by week, enumerated differently from the code (week by week, weekday by weekday). */
function expectedDates(rule: ScheduleRule): string[] {
  const pattern = rule.recurrence;
  const start = Temporal.PlainDate.from(rule.startDate);
  if (!pattern) return [start.toString()];
  const monday = start.subtract({ days: start.dayOfWeek - 1 });
  const last = start.add({ days: MAX_SPAN_DAYS });
  const until = pattern.untilDate ? Temporal.PlainDate.from(pattern.untilDate) : last;
  const end = Temporal.PlainDate.compare(until, last) < 0 ? until : last;
  const limit = Math.min(pattern.occurrenceCount ?? MAX_OCCURRENCES, MAX_OCCURRENCES);
  const dates: string[] = [];
  for (let week = 0; ; week += pattern.everyWeeks) {
    const weekStart = monday.add({ weeks: week });
    if (Temporal.PlainDate.compare(weekStart, end) > 0) break;
    for (let index = 0; index < 7; index++) {
      const date = weekStart.add({ days: index });
      const weekday = WEEKDAYS[index] as Weekday;
      if (!pattern.weekdays.includes(weekday)) continue;
      if (Temporal.PlainDate.compare(date, start) < 0 || Temporal.PlainDate.compare(date, end) > 0) continue;
      if (dates.length < limit) dates.push(date.toString());
    }
  }
  return dates;
}

describe('expandOccurrences across DST changes (property)', () => {
  it('keeps the wall-clock start in the host zone on every date the zone does not skip, and flags the skipped ones', () => {
    fc.assert(
      fc.property(scheduleArb, (rule) => {
        const occurrences = expandOccurrences(rule);
        for (const occurrence of occurrences) {
          const requested = `${occurrence.occurrenceDate}T${rule.startTime}`;
          const facts = independent(requested, rule.timeZone);
          expect(occurrence.requestedLocalStart).toBe(requested);
          expect(occurrence.adjusted).toBe(facts.skipped);
          if (facts.skipped) {
            // moved later by the gap ('compatible' = the later reading), and the host sees where to
            expect(occurrence.startsAt.getTime()).toBe(facts.later);
            expect(occurrence.localStart > requested).toBe(true);
            expect(occurrence.localStart).toBe(wallClock(occurrence.startsAt, rule.timeZone));
            expect(adjustmentNote(requested, occurrence.startsAt, rule.timeZone)).toContain(
              `${rule.startTime} does not exist on`,
            );
          } else {
            expect(wallClock(occurrence.startsAt, rule.timeZone)).toBe(requested);
            expect(occurrence.localStart).toBe(requested);
            // a repeated local time takes the earlier of its two instants
            expect(occurrence.startsAt.getTime()).toBe(facts.earlier);
          }
          expect(occurrence.endsAt.getTime() - occurrence.startsAt.getTime()).toBe(rule.durationMinutes * 60_000);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives strictly increasing instants, on the chosen weekdays every n weeks from the ISO week of the start, within until or count', () => {
    fc.assert(
      fc.property(scheduleArb, (rule) => {
        const occurrences = expandOccurrences(rule);
        for (let index = 1; index < occurrences.length; index++) {
          expect(occurrences[index]?.startsAt.getTime()).toBeGreaterThan(
            occurrences[index - 1]?.startsAt.getTime() ?? 0,
          );
        }
        expect(occurrences.map((o) => o.occurrenceDate)).toEqual(expectedDates(rule));
        const pattern = rule.recurrence;
        if (pattern?.occurrenceCount) expect(occurrences.length).toBeLessThanOrEqual(pattern.occurrenceCount);
        if (pattern?.untilDate) {
          for (const o of occurrences) expect(o.occurrenceDate <= pattern.untilDate).toBe(true);
        }
        for (const o of occurrences) expect(o.occurrenceDate >= rule.startDate).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('applies exceptions by occurrence date: SKIP drops one (it still counts), MOVE keeps its identity at the new local start', () => {
    fc.assert(
      fc.property(withExceptionsArb, (rule) => {
        const plain = expandOccurrences({ ...rule, exceptions: [] });
        const occurrences = expandOccurrences(rule);
        const byDate = new Map((rule.exceptions ?? []).map((e) => [e.occurrenceDate, e]));
        const expected = plain
          .filter((o) => byDate.get(o.occurrenceDate)?.kind !== 'SKIP')
          .map((o) => o.occurrenceDate);
        expect(occurrences.map((o) => o.occurrenceDate).sort()).toEqual(expected.sort());
        for (let index = 1; index < occurrences.length; index++) {
          expect(occurrences[index]?.startsAt.getTime()).toBeGreaterThan(
            occurrences[index - 1]?.startsAt.getTime() ?? 0,
          );
        }
        for (const o of occurrences) {
          const exception = byDate.get(o.occurrenceDate);
          const requested =
            exception?.kind === 'MOVE' ? (exception.movedToLocal as string) : `${o.occurrenceDate}T${rule.startTime}`;
          const facts = independent(requested, rule.timeZone);
          expect(o.moved).toBe(exception?.kind === 'MOVE');
          expect(o.requestedLocalStart).toBe(requested);
          expect(o.adjusted).toBe(facts.skipped);
          expect(o.startsAt.getTime()).toBe(facts.skipped ? facts.later : facts.earlier);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('drops occurrences before `from` without changing which ones the count allows', () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: 0, max: 30 }), (rule, skip) => {
        const all = expandOccurrences(rule);
        const pivot = all[Math.min(skip, all.length - 1)];
        if (!pivot) return;
        const later = expandOccurrences(rule, { from: pivot.startsAt, limit: 3 });
        expect(later).toEqual(all.filter((o) => o.startsAt >= pivot.startsAt).slice(0, 3));
      }),
      { numRuns: 100 },
    );
  });
});

describe('expandOccurrences, the cases the issue names', () => {
  it('keeps 17:00 Berlin at 17:00 Berlin across the March and October changes (16:00 → 15:00 UTC and back)', () => {
    const occurrences = expandOccurrences({
      timeZone: 'Europe/Berlin',
      startDate: '2026-03-17',
      startTime: '17:00',
      durationMinutes: 60,
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 33 },
    });
    const utc = (date: string) => occurrences.find((o) => o.occurrenceDate === date)?.startsAt.toISOString();
    expect(utc('2026-03-24')).toBe('2026-03-24T16:00:00.000Z');
    expect(utc('2026-03-31')).toBe('2026-03-31T15:00:00.000Z');
    expect(utc('2026-10-20')).toBe('2026-10-20T15:00:00.000Z');
    expect(utc('2026-10-27')).toBe('2026-10-27T16:00:00.000Z');
    expect(occurrences.every((o) => o.localStart.endsWith('T17:00') && !o.adjusted)).toBe(true);
  });

  it('moves a start in the skipped hour later and says so; a repeated hour takes the earlier instant', () => {
    const [spring] = expandOccurrences({
      timeZone: 'Europe/Berlin',
      startDate: '2026-03-29',
      startTime: '02:30',
      durationMinutes: 30,
      recurrence: null,
    });
    expect(spring).toMatchObject({
      adjusted: true,
      requestedLocalStart: '2026-03-29T02:30',
      localStart: '2026-03-29T03:30',
    });
    expect(spring?.startsAt.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(adjustmentNote(spring?.requestedLocalStart ?? null, spring?.startsAt ?? new Date(), 'Europe/Berlin')).toBe(
      '02:30 does not exist on 29 March in Europe/Berlin (clocks go forward); this slot starts at 03:30.',
    );
    const [autumn] = expandOccurrences({
      timeZone: 'Europe/Berlin',
      startDate: '2026-10-25',
      startTime: '02:30',
      durationMinutes: 30,
      recurrence: null,
    });
    expect(autumn).toMatchObject({ adjusted: false, localStart: '2026-10-25T02:30' });
    expect(autumn?.startsAt.toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('counts every other week from the ISO week of the start date, even when the start is late in its week', () => {
    const dates = expandOccurrences({
      timeZone: 'UTC',
      startDate: '2026-01-04', // a Sunday: its ISO week began Monday 29 December
      startTime: '09:00',
      durationMinutes: 30,
      recurrence: { everyWeeks: 2, weekdays: ['MONDAY', 'SUNDAY'], occurrenceCount: 4 },
    }).map((o) => o.occurrenceDate);
    expect(dates).toEqual(['2026-01-04', '2026-01-12', '2026-01-18', '2026-01-26']);
  });

  it('stops at the caps: 104 occurrences, 400 days', () => {
    const daily = expandOccurrences({
      timeZone: 'UTC',
      startDate: '2026-01-01',
      startTime: '09:00',
      durationMinutes: 30,
      recurrence: { everyWeeks: 1, weekdays: [...WEEKDAYS], occurrenceCount: 500 },
    });
    expect(daily).toHaveLength(MAX_OCCURRENCES);
    const weekly = expandOccurrences({
      timeZone: 'UTC',
      startDate: '2026-01-01',
      startTime: '09:00',
      durationMinutes: 30,
      recurrence: { everyWeeks: 1, weekdays: ['THURSDAY'], untilDate: '2030-01-01' },
    });
    expect(weekly.at(-1)?.occurrenceDate).toBe('2027-02-04'); // 2026-01-01 + 400 days = 2027-02-05
  });

  it('never does Date arithmetic on local times', () => {
    const source = readFileSync(new URL('./recurrence.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(
      /\.(get|set)(UTC)?(FullYear|Month|Date|Day|Hours|Minutes)\(|getTimezoneOffset|Date\.UTC|Date\.parse/,
    );
    // the only Date made from numbers is the end: start + duration, an absolute length
    expect(source.match(/new Date\(/g)).toHaveLength(1);
  });
});

describe('skipped and repeated local times in every gap and overlap of the tested zones', () => {
  it.each(GAPS.map((gap) => [gap.zone, gap.onset.toString()] as const))('gap in %s at %s', (zone, onset) => {
    const local = Temporal.PlainDateTime.from(onset).add({ minutes: 1 });
    const [occurrence] = expandOccurrences({
      timeZone: zone,
      startDate: local.toPlainDate().toString(),
      startTime: hhmm(local.toPlainTime()),
      durationMinutes: 30,
      recurrence: null,
    });
    expect(occurrence?.adjusted).toBe(true);
  });
  it.each(OVERLAPS.map((overlap) => [overlap.zone, overlap.onset.toString()] as const))(
    'overlap in %s at %s',
    (zone, onset) => {
      // the repeated wall-clock minute just after the clocks went back
      const local = Temporal.PlainDateTime.from(onset).subtract({ minutes: 1 });
      const [occurrence] = expandOccurrences({
        timeZone: zone,
        startDate: local.toPlainDate().toString(),
        startTime: hhmm(local.toPlainTime()),
        durationMinutes: 30,
        recurrence: null,
      });
      expect(occurrence?.adjusted).toBe(false);
      expect(occurrence?.startsAt.getTime()).toBe(
        local.toZonedDateTime(zone, { disambiguation: 'earlier' }).epochMilliseconds,
      );
    },
  );
});
