import { describe, expect, it } from 'vitest';
import { timeZoneSchema } from '../../../lib/time.js';
import { onlineUrlInput, scheduleProblems } from './event.inputs.js';

describe('event inputs', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['US/Eastern', 'America/New_York'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['UTC', 'UTC'],
  ])('accepts the IANA zone %s as its canonical name %s', (zone, canonical) => {
    expect(timeZoneSchema.parse(zone)).toBe(canonical);
  });

  it.each(['CEST', 'Mars/Olympus', '', 'Europe/Berlin2', '+05:30'])('rejects %j as a time zone', (zone) => {
    expect(timeZoneSchema.safeParse(zone).success).toBe(false);
  });

  it.each(['javascript:alert(1)', 'ftp://x.example.com', 'data:text/html,hi', 'not a url'])(
    'rejects the link %s',
    (url) => {
      expect(onlineUrlInput.safeParse(url).success).toBe(false);
    },
  );

  it('accepts http and https links, and an empty field as "no link"', () => {
    for (const url of ['https://meet.example.com/a', 'http://localhost:3000/x', '']) {
      expect(onlineUrlInput.safeParse(url).success).toBe(true);
    }
  });

  it('requires the end after the start and at most 31 days later', () => {
    const start = new Date('2031-01-01T10:00:00Z');
    expect(scheduleProblems(start, start)).toHaveLength(1);
    expect(scheduleProblems(start, new Date('2031-01-01T11:00:00Z'))).toEqual([]);
    expect(scheduleProblems(start, new Date('2031-02-15T10:00:00Z'))[0]!.path).toBe('endsAt');
  });
});
