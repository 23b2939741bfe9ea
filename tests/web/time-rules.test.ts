import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as serverTime from '../../server/src/lib/time.js';
import * as webTime from '../../web/src/lib/time.js';
import {
  anyLocalArb,
  GAPS,
  instantArb,
  localNearTransitionArb,
  localText,
  OVERLAPS,
  repeatedLocalArb,
  skippedLocalArb,
  type TimeModule,
  TRANSITIONS,
  transitions2026To2027,
  ZONES,
  zoneArb,
} from './time-cases.js';

// The one rule for local times (Temporal's 'compatible'), held by both time modules: a skipped
// local time moves forward by the gap, a repeated one takes the earlier instant.

const RUNS = { numRuns: 300 };
const MINUTE = 60_000;

describe('the DST transitions of 2026–2027 under test', () => {
  it('covers every change of the zones, including the 30-minute one and the 45-minute-offset one', () => {
    const counts = Object.fromEntries(ZONES.map((zone) => [zone, transitions2026To2027(zone).length]));
    expect(counts).toEqual({
      'Europe/Berlin': 4,
      'America/New_York': 4,
      'America/Sao_Paulo': 0, // no DST since 2019
      'Australia/Sydney': 4,
      'Australia/Lord_Howe': 4,
      'Asia/Kolkata': 0,
      'Pacific/Chatham': 4,
      UTC: 0,
    });
    const lordHowe = TRANSITIONS.filter((t) => t.zone === 'Australia/Lord_Howe');
    expect(lordHowe.map((t) => Math.abs(t.afterMinutes - t.beforeMinutes))).toEqual([30, 30, 30, 30]);
    expect(GAPS.length).toBe(10);
    expect(OVERLAPS.length).toBe(10);
  });
});

describe.each([
  ['server', serverTime as TimeModule],
  ['web', webTime as TimeModule],
])('%s time module', (_name, time) => {
  it('reads Berlin 02:30 on the autumn change (2026-10-25) as CEST, the earlier instant', () => {
    expect(time.localToInstant('2026-10-25T02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(time.localTimeKind('2026-10-25T02:30', 'Europe/Berlin')).toBe('repeated');
    expect(time.instantToLocal(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin').offset).toBe('+02:00');
  });

  it('reads New York 01:30 on 2026-11-01 as EDT, the earlier instant', () => {
    expect(time.localToInstant('2026-11-01T01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(time.localTimeKind('2026-11-01T01:30', 'America/New_York')).toBe('repeated');
  });

  it('moves the spring gaps forward in both zones (Berlin 02:30 → 03:30 CEST, New York 02:30 → 03:30 EDT)', () => {
    const berlin = time.localToInstant('2026-03-29T02:30', 'Europe/Berlin');
    expect(berlin.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(time.instantToLocal(berlin, 'Europe/Berlin')).toEqual({
      date: '2026-03-29',
      time: '03:30',
      iso: '2026-03-29T03:30',
      offset: '+02:00',
    });
    const newYork = time.localToInstant('2026-03-08T02:30', 'America/New_York');
    expect(newYork.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(time.instantToLocal(newYork, 'America/New_York').iso).toBe('2026-03-08T03:30');
    expect(time.localTimeKind('2026-03-08T02:30', 'America/New_York')).toBe('skipped');
  });

  it('handles Lord Howe’s 30-minute change and Chatham’s +12:45', () => {
    // 2026-10-04 02:00 +10:30 → 02:30 +11:00: 02:15 is skipped and moves forward by 30 minutes.
    const skipped = time.localToInstant('2026-10-04T02:15', 'Australia/Lord_Howe');
    expect(skipped.toISOString()).toBe('2026-10-03T15:45:00.000Z');
    expect(time.instantToLocal(skipped, 'Australia/Lord_Howe')).toMatchObject({ time: '02:45', offset: '+11:00' });
    // 2026-04-05 02:00 +11:00 → 01:30 +10:30: 01:45 happens twice; the earlier is +11:00.
    expect(time.localToInstant('2026-04-05T01:45', 'Australia/Lord_Howe').toISOString()).toBe(
      '2026-04-04T14:45:00.000Z',
    );
    expect(time.instantToLocal(new Date('2026-07-01T00:00:00Z'), 'Pacific/Chatham').offset).toBe('+12:45');
    expect(time.offsetMinutesAt(new Date('2026-01-01T00:00:00Z'), 'Pacific/Chatham')).toBe(13 * 60 + 45);
  });

  it('round-trips instant → local → instant wherever the local time is not repeated', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, (instant, zone) => {
        const local = time.instantToLocal(instant, zone);
        const back = time.localToInstant(local.iso, zone);
        if (time.localTimeKind(local.iso, zone) === 'unique') expect(back.getTime()).toBe(instant.getTime());
        // In an overlap the local time names the earlier instant: the same or up to the overlap before.
        else expect(instant.getTime() - back.getTime()).toBeGreaterThanOrEqual(0);
        expect(time.instantToLocal(back, zone).iso).toBe(local.iso);
      }),
      RUNS,
    );
  });

  it('round-trips local → instant → local for every local time that exists once', () => {
    fc.assert(
      fc.property(fc.oneof(anyLocalArb, localNearTransitionArb), ({ zone, local }) => {
        if (time.localTimeKind(local, zone) === 'skipped') return;
        expect(time.instantToLocal(time.localToInstant(local, zone), zone).iso).toBe(local);
      }),
      RUNS,
    );
  });

  it('moves every skipped local time of 2026–2027 forward by the gap', () => {
    fc.assert(
      fc.property(skippedLocalArb, ({ transition, minutes }) => {
        const local = localText(transition.localOnset.add({ minutes }));
        const gap = transition.afterMinutes - transition.beforeMinutes;
        expect(time.localTimeKind(local, transition.zone)).toBe('skipped');
        const instant = time.localToInstant(local, transition.zone);
        // Read with the offset before the gap: the change's instant plus the minutes into the gap.
        expect(instant.getTime()).toBe(transition.epochMs + minutes * MINUTE);
        expect(time.instantToLocal(instant, transition.zone).iso).toBe(
          localText(transition.localOnset.add({ minutes: minutes + gap })),
        );
      }),
      RUNS,
    );
    // And every gap's first and last minute exactly (not left to chance).
    for (const transition of GAPS) {
      const gap = transition.afterMinutes - transition.beforeMinutes;
      for (const minutes of [0, gap - 1]) {
        const local = localText(transition.localOnset.add({ minutes }));
        expect(time.localToInstant(local, transition.zone).getTime()).toBe(transition.epochMs + minutes * MINUTE);
      }
    }
  });

  it('gives every repeated local time of 2026–2027 the earlier instant', () => {
    fc.assert(
      fc.property(repeatedLocalArb, ({ transition, minutes }) => {
        const overlap = transition.beforeMinutes - transition.afterMinutes;
        const local = localText(transition.localOnset.subtract({ minutes: overlap - minutes }));
        expect(time.localTimeKind(local, transition.zone)).toBe('repeated');
        const instant = time.localToInstant(local, transition.zone);
        expect(instant.getTime()).toBe(transition.epochMs - (overlap - minutes) * MINUTE);
        expect(time.offsetMinutesAt(instant, transition.zone)).toBe(transition.beforeMinutes);
      }),
      RUNS,
    );
    // And every overlap's first and last repeated minute exactly (not left to chance).
    for (const transition of OVERLAPS) {
      const overlap = transition.beforeMinutes - transition.afterMinutes;
      for (const minutesBefore of [overlap, 1]) {
        const local = localText(transition.localOnset.subtract({ minutes: minutesBefore }));
        expect(time.localTimeKind(local, transition.zone)).toBe('repeated');
        expect(time.localToInstant(local, transition.zone).getTime()).toBe(transition.epochMs - minutesBefore * MINUTE);
      }
    }
  });

  it('finds the same transitions as Temporal itself', () => {
    for (const zone of ZONES) {
      const found = time.timeZoneTransitions(zone, new Date('2026-01-01T00:00:00Z'), new Date('2028-01-01T00:00:00Z'));
      const expected = transitions2026To2027(zone).filter((t) => t.epochMs >= Date.UTC(2026, 0, 1));
      expect(found.map((t) => [t.instant.getTime(), t.offsetBeforeMinutes, t.offsetAfterMinutes])).toEqual(
        expected.map((t) => [t.epochMs, t.beforeMinutes, t.afterMinutes]),
      );
    }
  });

  it('finds the next 08:00 in a zone once a day, across a DST change', () => {
    const first = time.nextLocalTime(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin', '08:00');
    expect(first.toISOString()).toBe('2026-03-29T06:00:00.000Z'); // CEST from 02:00 that day
    expect(time.nextLocalTime(first, 'Europe/Berlin', '08:00').toISOString()).toBe('2026-03-30T06:00:00.000Z');
    // A skipped 02:30 happens at 03:30 that day.
    expect(time.nextLocalTime(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin', '02:30').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('refuses what is not a local date-time', () => {
    for (const bad of ['2026-02-30T10:00', '2026-03-29', '2026-03-29T25:00', '2026-03-29T02:30Z', 'soon']) {
      expect(() => time.localToInstant(bad, 'Europe/Berlin')).toThrow(RangeError);
    }
    expect(() => time.localToInstant('2026-03-29T02:30', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('stores canonical names: case-insensitive input, aliases to their zone, Etc/GMT+5 kept', () => {
    expect(time.canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(time.canonicalTimeZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(time.canonicalTimeZone('asia/kolkata')).toBe('Asia/Kolkata');
    expect(time.canonicalTimeZone('US/Eastern')).toBe('America/New_York');
    expect(time.canonicalTimeZone('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(time.canonicalTimeZone('Etc/GMT+5')).toBe('Etc/GMT+5');
    expect(time.canonicalTimeZone('Etc/UTC')).toBe('UTC');
    expect(time.canonicalTimeZone('utc')).toBe('UTC');
    for (const bad of [
      'CEST',
      '+05:30',
      'Mars/Olympus_Mons',
      'GMT+25',
      'Europe/Berlin2',
      '',
      '2026-01-01T00:00[Europe/Paris]',
    ]) {
      expect(time.canonicalTimeZone(bad)).toBeNull();
    }
    // Every listed name is canonical (a fixed point) and works with local times.
    for (const zone of time.timeZoneNames()) expect(time.canonicalTimeZone(zone)).toBe(zone);
  });
});
