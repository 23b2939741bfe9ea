import { describe, expect, it } from 'vitest';
import { showRange } from '../../web/src/features/mentorship/hours.js';

// A mentor's weekly hours are wall-clock times in their zone; another member sees them in theirs,
// with the offsets of the coming week, so the weeks between two DST changes come out right.

describe('weekly hours shown in another zone', () => {
  const monday = { weekday: 'MONDAY', start: '09:00', end: '12:00' } as const;

  it('uses the week’s offsets: New York has changed to summer time, Berlin not yet', () => {
    const shown = showRange(monday, 'America/New_York', 'Europe/Berlin', new Date('2026-03-10T12:00:00Z'), 'en-GB');
    expect(shown).toEqual({ day: 'Monday', text: '14:00 – 17:00' });
  });

  it('uses the week’s offsets once both are on summer time', () => {
    const shown = showRange(monday, 'America/New_York', 'Europe/Berlin', new Date('2026-04-07T12:00:00Z'), 'en-GB');
    expect(shown).toEqual({ day: 'Monday', text: '15:00 – 18:00' });
  });

  it('names both days when the range crosses midnight in the viewer’s zone', () => {
    const shown = showRange(monday, 'America/New_York', 'Asia/Tokyo', new Date('2026-01-14T12:00:00Z'), 'en-GB');
    expect(shown).toEqual({ day: 'Monday', text: 'Monday 23:00 – Tuesday 02:00' });
  });

  it('keeps an end of 24:00 on the day it closes', () => {
    const friday = { weekday: 'FRIDAY', start: '20:00', end: '24:00' } as const;
    const shown = showRange(friday, 'Europe/Lisbon', 'Europe/Lisbon', new Date('2026-06-01T12:00:00Z'), 'en-GB');
    expect(shown).toEqual({ day: 'Friday', text: '20:00 – 00:00' });
  });
});
