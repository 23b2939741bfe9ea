import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, renderCalendar, utcStamp } from './event-calendar.js';

describe('event calendar (RFC 5545)', () => {
  it('escapes backslashes, semicolons, commas and newlines in text', () => {
    expect(escapeText('a\\b; c, d\r\ne\nf')).toBe('a\\\\b\\; c\\, d\\ne\\nf');
  });

  it('folds lines at 75 octets without splitting a multi-byte character', () => {
    const line = `DESCRIPTION:${'ü'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const part of folded) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.slice(1).every((part) => part.startsWith(' '))).toBe(true);
    expect(folded.map((part, i) => (i === 0 ? part : part.slice(1))).join('')).toBe(line);
  });

  it('leaves a short line alone', () => {
    expect(foldLine('SUMMARY:Hi')).toBe('SUMMARY:Hi');
  });

  it('writes UTC times in basic format', () => {
    expect(utcStamp(new Date('2031-07-01T16:05:09.123Z'))).toBe('20310701T160509Z');
  });

  it('marks a cancelled event as CANCELLED and names its zone', () => {
    const body = renderCalendar(
      {
        id: '01900000-0000-7000-8000-000000000001',
        title: 'Cancelled talk',
        description: '',
        startsAt: new Date('2031-01-01T10:00:00Z'),
        endsAt: new Date('2031-01-01T11:00:00Z'),
        timeZone: 'Asia/Tokyo',
        onlineUrl: 'https://meet.example.com/x',
        location: null,
        cancelledAt: new Date('2030-12-01T00:00:00Z'),
        updatedAt: new Date('2030-12-01T00:00:00Z'),
        groupName: 'Tokyo devs',
      },
      { origin: 'https://guildhall.example.org', now: new Date('2030-12-02T00:00:00Z') },
    );
    const lines = body.replace(/\r\n /g, '').split('\r\n');
    expect(lines).toContain('STATUS:CANCELLED');
    expect(lines).toContain('X-WR-TIMEZONE:Asia/Tokyo');
    expect(lines).toContain('DTSTAMP:20301202T000000Z');
    expect(lines).toContain('LOCATION:https://meet.example.com/x');
    expect(lines).toContain('URL:https://guildhall.example.org/events/01900000-0000-7000-8000-000000000001');
    // 10:00 UTC is 19:00 in Tokyo.
    expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toContain('19:00');
  });
});
