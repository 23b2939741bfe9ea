import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { eventSequence, renderEventIcs, type IcsEvent } from '../../server/src/modules/groups/events/event-ics.js';

// The .ics is read back with an independent parser (node-ical), never with the module's own code.

const base: IcsEvent = {
  id: '01900000-0000-7000-8000-0000000000aa',
  title: 'Autumn change meetup',
  description: 'Clocks go back tonight.',
  startsAt: new Date('2026-10-24T17:30:00Z'), // 19:30 CEST, the evening before the clocks go back
  endsAt: new Date('2026-10-25T03:00:00Z'), // 04:00 CET
  timeZone: 'Europe/Berlin',
  onlineUrl: null,
  location: 'c-base, Berlin',
  cancelledAt: null,
  createdAt: new Date('2026-09-01T10:00:00Z'),
  updatedAt: new Date('2026-09-01T10:00:00Z'),
  groupName: 'Rust Berlin',
};

const options = { origin: 'https://guildhall.example.org', now: new Date('2026-09-02T00:00:00Z') };

function parse(body: string) {
  const entries = Object.values(ical.sync.parseICS(body));
  const event = entries.find((entry) => entry?.type === 'VEVENT') as VEvent;
  const calendar = entries.find((entry) => entry?.type === 'VCALENDAR') as { method?: string } | undefined;
  const zone = entries.find((entry) => entry?.type === 'VTIMEZONE') as { tzid?: string } | undefined;
  return { event, calendar, zone };
}

const logical = (body: string) => body.replace(/\r\n /g, '').split('\r\n');

describe('event .ics (ical-generator, read by node-ical)', () => {
  it('writes the event in its zone (TZID + VTIMEZONE), read back as the same instants', () => {
    const body = renderEventIcs(base, options);
    const lines = logical(body);
    expect(lines).toContain('DTSTART;TZID=Europe/Berlin:20261024T193000');
    expect(lines).toContain('DTEND;TZID=Europe/Berlin:20261025T040000');
    const { event, zone } = parse(body);
    expect(zone?.tzid).toBe('Europe/Berlin');
    expect(event.start.toISOString()).toBe('2026-10-24T17:30:00.000Z');
    expect(event.end?.toISOString()).toBe('2026-10-25T03:00:00.000Z');
    expect(event.uid).toBe('01900000-0000-7000-8000-0000000000aa@guildhall');
    expect(event.summary).toBe('Autumn change meetup');
    expect(event.location).toBe('c-base, Berlin');
  });

  it('writes an event in a repeated hour (either 02:30 of the autumn change) in UTC, read back exactly', () => {
    for (const [startsAt, line] of [
      ['2026-10-25T00:30:00Z', 'DTSTART:20261025T003000Z'], // 02:30 CEST
      ['2026-10-25T01:30:00Z', 'DTSTART:20261025T013000Z'], // 02:30 CET
    ] as const) {
      const body = renderEventIcs({ ...base, startsAt: new Date(startsAt) }, options);
      expect(logical(body)).toContain(line);
      expect(parse(body).event.start.toISOString()).toBe(new Date(startsAt).toISOString());
    }
  });

  it('keeps the UID and raises SEQUENCE when the event changes', () => {
    const first = parse(renderEventIcs(base, options)).event;
    const edited = parse(
      renderEventIcs({ ...base, title: 'Moved', updatedAt: new Date('2026-09-05T08:00:00Z') }, options),
    ).event;
    expect(edited.uid).toBe(first.uid);
    expect(Number(first.sequence)).toBe(0);
    expect(Number(edited.sequence)).toBeGreaterThan(Number(first.sequence));
    expect(eventSequence(base.createdAt, new Date('2026-09-01T10:00:01Z'))).toBe(1);
  });

  it('cancels with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const cancelledAt = new Date('2026-09-10T00:00:00Z');
    const body = renderEventIcs({ ...base, cancelledAt, updatedAt: cancelledAt }, options);
    const { event, calendar } = parse(body);
    expect(event.status).toBe('CANCELLED');
    expect(calendar?.method).toBe('CANCEL');
    expect(logical(body)).toContain('METHOD:CANCEL');
    expect(logical(renderEventIcs(base, options))).toContain('METHOD:PUBLISH');
    expect(parse(renderEventIcs(base, options)).event.status).toBe('CONFIRMED');
  });

  it('gives Lord Howe’s half-hour change and Chatham’s +12:45 offsets in the VTIMEZONE', () => {
    const lordHowe = renderEventIcs(
      {
        ...base,
        timeZone: 'Australia/Lord_Howe',
        startsAt: new Date('2026-10-03T16:00:00Z'),
        endsAt: new Date('2026-10-03T17:00:00Z'),
      },
      options,
    );
    expect(logical(lordHowe)).toEqual(expect.arrayContaining(['TZOFFSETFROM:+1030', 'TZOFFSETTO:+1100']));
    expect(parse(lordHowe).event.start.toISOString()).toBe('2026-10-03T16:00:00.000Z');
    const chatham = renderEventIcs(
      {
        ...base,
        timeZone: 'Pacific/Chatham',
        startsAt: new Date('2026-07-01T00:00:00Z'),
        endsAt: new Date('2026-07-01T01:00:00Z'),
      },
      options,
    );
    expect(logical(chatham)).toEqual(expect.arrayContaining(['TZOFFSETTO:+1245', 'TZOFFSETTO:+1345']));
    expect(parse(chatham).event.start.toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });
});
