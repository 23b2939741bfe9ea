// One event as an RFC 5545 calendar (served by modules/groups/events/event-calendar.route.ts).
// Times are in UTC (unambiguous in every calendar app); the zone the event
// is planned in travels as X-WR-TIMEZONE, which Apple, Google and Outlook use for display, and
// in the description in words.

export interface CalendarEvent {
  id: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  onlineUrl: string | null;
  location: string | null;
  cancelledAt: Date | null;
  updatedAt: Date;
  groupName: string;
}

/** RFC 5545 3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** RFC 5545 3.1: lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // Continuation lines start with a space, which counts towards their 75 octets.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** 20260501T093000Z */
export function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function localTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(date);
}

export function renderCalendar(event: CalendarEvent, options: { origin: string; now?: Date }): string {
  const pageUrl = `${options.origin.replace(/\/$/, '')}/events/${event.id}`;
  const planned = `Planned in ${event.timeZone}: ${localTime(event.startsAt, event.timeZone)} to ${localTime(event.endsAt, event.timeZone)}.`;
  const description = [
    event.description.trim(),
    event.onlineUrl ? `Join online: ${event.onlineUrl}` : '',
    planned,
    pageUrl,
  ]
    .filter(Boolean)
    .join('\n\n');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Guildhall//Events//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-TIMEZONE:${event.timeZone}`,
    `X-WR-CALNAME:${escapeText(event.groupName)}`,
    'BEGIN:VEVENT',
    `UID:${event.id}@guildhall`,
    `DTSTAMP:${utcStamp(options.now ?? new Date())}`,
    `LAST-MODIFIED:${utcStamp(event.updatedAt)}`,
    `DTSTART:${utcStamp(event.startsAt)}`,
    `DTEND:${utcStamp(event.endsAt)}`,
    `SUMMARY:${escapeText(event.title)}`,
    `DESCRIPTION:${escapeText(description)}`,
    ...(event.location || event.onlineUrl ? [`LOCATION:${escapeText(event.location ?? event.onlineUrl!)}`] : []),
    `URL:${pageUrl}`,
    `STATUS:${event.cancelledAt ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
