import { describe, expect, it } from 'vitest';
import { formatEventRange, zonedLocalToUtc } from '../../web/src/features/events/event-time.js';
import {
  formatDateTime,
  formatDayHeading,
  formatListTime,
  formatRelative,
  formatTime,
  hourCycleOf,
} from '../../web/src/lib/time.js';

// The web's one date/time formatting helper: the clock (12- or 24-hour) follows the viewer's locale.

const at = new Date('2026-03-03T17:05:00Z');

describe('web date/time formatting', () => {
  it('chooses the 12- or 24-hour clock from the locale', () => {
    expect(hourCycleOf('en-US')).toBe('h12');
    expect(hourCycleOf('en-GB')).toBe('h23');
    expect(hourCycleOf('de-DE')).toBe('h23');
  });

  it('formats times with that clock everywhere', () => {
    expect(formatTime(at, { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('18:05');
    expect(formatTime(at, { locale: 'en-US', timeZone: 'Europe/Berlin' })).toMatch(/^6:05\sPM$/);
    expect(formatDateTime(at, { locale: 'en-GB', timeZone: 'UTC' })).toMatch(/17:05/);
    expect(formatDateTime(at, { locale: 'en-US', timeZone: 'UTC' })).toMatch(/5:05\sPM/);
  });

  it('uses the same choice for event ranges', () => {
    const range = formatEventRange('2026-03-03T17:00:00Z', '2026-03-03T19:00:00Z', 'Europe/Berlin', 'Europe/London', {
      locale: 'en-US',
    });
    expect(range).toMatch(/5:00\sPM–7:00\sPM \(your time\) · 6:00\sPM–8:00\sPM Europe\/Berlin$/);
    const gb = formatEventRange('2026-03-03T17:00:00Z', '2026-03-03T19:00:00Z', 'Europe/Berlin', 'Europe/London', {
      locale: 'en-GB',
    });
    expect(gb).toMatch(/17:00–19:00 \(your time\) · 18:00–20:00 Europe\/Berlin$/);
  });

  it("names the event's zone when the two zones part at the end (a DST change in one of them)", () => {
    // Berlin moves to CEST at 01:00 UTC on 2026-03-29; Lagos stays at +01:00. Same offset at the start.
    const range = formatEventRange('2026-03-28T22:00:00Z', '2026-03-29T02:00:00Z', 'Europe/Berlin', 'Africa/Lagos', {
      locale: 'en-GB',
    });
    expect(range).toMatch(/23:00.*03:00 \(your time\) · 23:00.*04:00 Europe\/Berlin$/);
  });

  it('groups by the local day in the zone (chat headings and lists)', () => {
    const now = new Date('2026-03-04T09:00:00Z');
    expect(formatDayHeading('2026-03-04T00:30:00Z', now, { timeZone: 'Europe/Berlin' })).toBe('Today');
    // 23:30 UTC on the 3rd is already the 4th in Berlin, but still the 3rd in New York.
    expect(formatDayHeading('2026-03-03T23:30:00Z', now, { timeZone: 'Europe/Berlin' })).toBe('Today');
    expect(formatDayHeading('2026-03-03T23:30:00Z', now, { timeZone: 'America/New_York' })).toBe('Yesterday');
    expect(formatListTime('2026-03-04T08:00:00Z', now, { timeZone: 'UTC', locale: 'en-GB' })).toBe('08:00');
    expect(formatRelative('2026-03-04T08:55:00Z', now)).toBe('5 minutes ago');
  });

  it('sends the instant of a typed local time by the server rule (gap forward, overlap earlier)', () => {
    expect(zonedLocalToUtc('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedLocalToUtc('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedLocalToUtc('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedLocalToUtc('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedLocalToUtc('', 'Europe/Berlin')).toBeNull();
  });
});
