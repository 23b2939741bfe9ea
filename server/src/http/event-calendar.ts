import type http from 'node:http';
import type { AppServices } from '../context.js';
import { sessionTtlMs } from '../modules/accounts/accounts.service.js';
import { readBearer, readCookie, resolveSession, SESSION_COOKIE } from '../modules/accounts/sessions.js';
import { eventInsidesVisible } from '../modules/groups/events/events.auth.js';
import { visibleGroupsWhere } from '../modules/groups/groups.auth.js';

// GET /events/<uuid>.ics: one event as an RFC 5545 calendar, for the signed-in member who may
// see it (session cookie or Bearer token). Anything else gets the same 404, so nobody learns
// which events exist. Times are in UTC (unambiguous in every calendar app); the zone the event
// is planned in travels as X-WR-TIMEZONE, which Apple, Google and Outlook use for display, and
// in the description in words.

export const EVENT_CALENDAR_PATH = /^\/events\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.ics$/i;

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

function fileName(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${slug || 'event'}.ics`;
}

export async function serveEventCalendar(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  services: AppServices,
  eventId: string,
): Promise<void> {
  const notFound = () => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('Not found\n');
  };
  const token = readBearer(req.headers.authorization) ?? readCookie(req.headers.cookie, SESSION_COOKIE);
  const session = await resolveSession(services.db, token, sessionTtlMs(services.env));
  if (!session) return notFound();
  const event = await services.db.event.findFirst({
    where: { id: eventId.toLowerCase(), group: visibleGroupsWhere(session.userId) },
    select: {
      id: true,
      title: true,
      description: true,
      startsAt: true,
      endsAt: true,
      timeZone: true,
      onlineUrl: true,
      location: true,
      cancelledAt: true,
      updatedAt: true,
      groupId: true,
      group: { select: { name: true } },
    },
  });
  if (!event) return notFound();
  // The same rule as the Event fields: a private group's place and link are for its members.
  const insider = await eventInsidesVisible(services.db, event.groupId, session.userId);
  const shown = insider ? event : { ...event, onlineUrl: null, location: null };
  const body = renderCalendar({ ...shown, groupName: event.group.name }, { origin: services.env.PUBLIC_ORIGIN });
  res.writeHead(200, {
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName(event.title)}"`,
    'cache-control': 'private, no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
