import { describe, expect, it } from 'vitest';
import { timeZoneNotes } from './time-notes.js';

// Dates of 2027's changes: the US goes forward on 14 March, the EU on 28 March; the EU goes back on
// 31 October, the US on 7 November. Sydney goes back on 4 April and forward on 3 October.

const at = (iso: string) => new Date(iso);
const hour = 3600_000;
function slot(startsAt: string, minutes = 60) {
  const start = at(startsAt);
  return { startsAt: start, endsAt: new Date(start.getTime() + minutes * 60_000) };
}

describe('timeZoneNotes', () => {
  it('says nothing when no clock changes between now and the session', () => {
    expect(
      timeZoneNotes({
        ...slot('2027-02-10T16:00:00Z'),
        hostZone: 'Europe/Berlin',
        viewerZone: 'America/New_York',
        now: at('2027-02-01T12:00:00Z'),
      }),
    ).toEqual([]);
  });

  it('names the host zone going forward before the session, with the difference then and now', () => {
    // Now (1 March) Berlin is 6 h ahead of New York; on 20 March New York has gone forward, Berlin not yet.
    expect(
      timeZoneNotes({
        ...slot('2027-03-20T16:00:00Z'),
        hostZone: 'Europe/Berlin',
        viewerZone: 'America/New_York',
        now: at('2027-03-01T12:00:00Z'),
      }),
    ).toEqual([
      'Clocks in America/New_York (your zone) go forward on 14 March, before this session: Europe/Berlin is 5 h ahead of you then, not 6 h.',
    ]);
    // From 20 March on: only Berlin changes before a session on 2 April, and the difference is 6 h again.
    expect(
      timeZoneNotes({
        ...slot('2027-04-02T16:00:00Z'),
        hostZone: 'Europe/Berlin',
        viewerZone: 'America/New_York',
        now: at('2027-03-20T12:00:00Z'),
      }),
    ).toEqual([
      'Clocks in Europe/Berlin go forward on 28 March, before this session: it is 6 h ahead of you then, not 5 h.',
    ]);
  });

  it('lists both zones in order when both change, and the net difference', () => {
    expect(
      timeZoneNotes({
        ...slot('2027-04-02T16:00:00Z'),
        hostZone: 'Europe/Berlin',
        viewerZone: 'America/New_York',
        now: at('2027-03-01T12:00:00Z'),
      }),
    ).toEqual([
      'Clocks in America/New_York (your zone) go forward on 14 March, before this session.',
      'Clocks in Europe/Berlin go forward on 28 March, before this session.',
    ]);
  });

  it('names a host zone change to a member in the same zone, or signed out, without a difference', () => {
    const input = { ...slot('2027-04-02T15:00:00Z'), hostZone: 'Europe/Berlin', now: at('2027-03-20T12:00:00Z') };
    const expected = ['Clocks in Europe/Berlin go forward on 28 March, before this session.'];
    expect(timeZoneNotes({ ...input, viewerZone: 'Europe/Berlin' })).toEqual(expected);
    expect(timeZoneNotes({ ...input, viewerZone: null })).toEqual(expected);
  });

  it('says when the difference flips side (Sydney and London)', () => {
    // Now (1 March) Sydney (+11) is 11 h ahead of London (+0); on 10 April Sydney is +10 and London +1.
    expect(
      timeZoneNotes({
        ...slot('2027-04-10T08:00:00Z'),
        hostZone: 'Australia/Sydney',
        viewerZone: 'Europe/London',
        now: at('2027-03-01T12:00:00Z'),
      }),
    ).toEqual([
      'Clocks in Europe/London (your zone) go forward on 28 March, before this session.',
      'Clocks in Australia/Sydney go back on 4 April, before this session: it is 9 h ahead of you then, not 11 h.',
    ]);
    // Half-hour zones: Kolkata is 4 h 30 min ahead of London in summer, 5 h 30 min in winter.
    expect(
      timeZoneNotes({
        ...slot('2027-04-10T08:00:00Z'),
        hostZone: 'Europe/London',
        viewerZone: 'Asia/Kolkata',
        now: at('2027-03-01T12:00:00Z'),
      }),
    ).toEqual([
      'Clocks in Europe/London go forward on 28 March, before this session: it is 4 h 30 min behind you then, not 5 h 30 min.',
    ]);
  });

  it('ignores two changes that cancel out (a session a year away)', () => {
    expect(
      timeZoneNotes({
        ...slot('2028-02-01T16:00:00Z'),
        hostZone: 'Europe/Berlin',
        viewerZone: 'America/New_York',
        now: at('2027-02-01T12:00:00Z'),
      }),
    ).toEqual([]);
  });

  it('says when clocks change during the session, with its end in that zone', () => {
    // 00:30–02:30 UTC on 31 October 2027: Berlin goes back at 01:00 UTC (03:00 CEST → 02:00 CET).
    const during = timeZoneNotes({
      ...slot('2027-10-31T00:30:00Z', 120),
      hostZone: 'Europe/Berlin',
      viewerZone: 'Europe/Berlin',
      now: at('2027-10-31T00:00:00Z'),
    });
    expect(during).toEqual([
      'Clocks in Europe/Berlin go back during this session, at 03:00 on 31 October: it ends at 03:30 there.',
    ]);
    // Going forward in the night of 28 March: 02:00 CET becomes 03:00 CEST.
    expect(
      timeZoneNotes({
        ...slot('2027-03-28T00:30:00Z', 60),
        hostZone: 'Europe/Berlin',
        viewerZone: null,
        now: at('2027-03-27T00:00:00Z'),
      }),
    ).toEqual([
      'Clocks in Europe/Berlin go forward during this session, at 02:00 on 28 March: it ends at 03:30 there.',
    ]);
  });

  it('says a half-hour change in words (Lord Howe)', () => {
    expect(
      timeZoneNotes({
        ...slot('2027-10-10T00:00:00Z'),
        hostZone: 'Australia/Lord_Howe',
        viewerZone: null,
        now: at('2027-09-20T00:00:00Z'),
      }),
    ).toEqual(['Clocks in Australia/Lord_Howe go forward 30 min on 3 October, before this session.']);
  });

  it('says nothing before a session already under way or past', () => {
    const start = at('2027-04-02T16:00:00Z');
    expect(
      timeZoneNotes({
        startsAt: start,
        endsAt: new Date(start.getTime() + hour),
        hostZone: 'Europe/Berlin',
        viewerZone: 'America/New_York',
        now: new Date(start.getTime() + 10 * 60_000),
      }),
    ).toEqual([]);
  });
});
