import { describe, expect, it } from 'vitest';
import { seriesWords } from '../../web/src/features/office-hours/slot-time.js';
import { formatClockTime, formatListTime, formatTime } from '../../web/src/lib/time.js';

// One clock rule for the whole app: the viewer's locale decides 12- or 24-hour, whether the time is an
// instant (a chat message) or a stored wall-clock time (a weekly series' "17:00").

const LOCALES = ['en-US', 'en-GB', 'de-DE', 'en-AU', 'ja-JP'];
const TIMES = ['00:00', '07:05', '12:00', '12:30', '17:00', '23:59'];

describe('the clock the viewer reads', () => {
  it('shows a stored time of day on the same clock as an instant (chat message times)', () => {
    for (const locale of LOCALES) {
      for (const time of TIMES) {
        const instant = new Date(`2026-03-03T${time}:00Z`);
        expect(formatClockTime(time, { locale }), `${time} in ${locale}`).toBe(
          formatTime(instant, { locale, timeZone: 'UTC' }),
        );
      }
    }
  });

  it('follows the locale: 12-hour in en-US, 24-hour in en-GB and de-DE', () => {
    expect(formatClockTime('17:00', { locale: 'en-US' })).toMatch(/^5:00\sPM$/);
    expect(formatClockTime('00:30', { locale: 'en-US' })).toMatch(/^12:30\sAM$/);
    expect(formatClockTime('17:00', { locale: 'en-GB' })).toBe('17:00');
    expect(formatClockTime('07:05', { locale: 'de-DE' })).toBe('07:05');
    // A chat list time today, for the same locales.
    const now = new Date('2026-03-03T18:00:00Z');
    expect(formatListTime('2026-03-03T17:00:00Z', now, { locale: 'en-US', timeZone: 'UTC' })).toMatch(/^5:00\sPM$/);
    expect(formatListTime('2026-03-03T17:00:00Z', now, { locale: 'en-GB', timeZone: 'UTC' })).toBe('17:00');
  });

  it("says an office-hours series' start on the viewer's clock, not as stored", () => {
    const series = {
      timeZone: 'Europe/Berlin',
      startDate: '2026-03-03',
      startTime: '17:00',
      durationMinutes: 30,
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'] },
    };
    const us = seriesWords(series, 'en-US');
    expect(us).toMatch(/at 5:00\sPM Berlin time/);
    expect(us).not.toContain('17:00');
    expect(seriesWords(series, 'en-GB')).toContain('at 17:00 Berlin time');
    expect(seriesWords({ ...series, recurrence: null }, 'en-US')).toMatch(/at 5:00\sPM Berlin time · 30 min$/);
  });

  it('refuses what is not a time of day', () => {
    expect(() => formatClockTime('25:00')).toThrow();
    expect(() => formatClockTime('soon')).toThrow();
  });
});
