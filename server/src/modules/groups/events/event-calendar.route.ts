import type http from 'node:http';
import type { AppServices, Viewer } from '../../../context.js';
import { now } from '../../../lib/clock.js';
import { groupInsidesVisible, visibleGroupsWhere } from '../groups.policy.js';
import { renderEventIcs } from './event-ics.js';

// GET /events/<uuid>.ics: one event as an iCalendar file, for the signed-in member who may see it
// (session cookie or Bearer token; app.ts authenticates and mounts this). Anything else gets the
// same 404, so nobody learns which events exist.

const EVENT_CALENDAR_PATH = /^\/events\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.ics$/i;

/** The event id when this request asks for an event's calendar file, else null. */
export function matchEventCalendar(method: string | undefined, pathname: string): string | null {
  if (method !== 'GET' && method !== 'HEAD') return null;
  return EVENT_CALENDAR_PATH.exec(pathname)?.[1] ?? null;
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
  services: Pick<AppServices, 'db' | 'env'>,
  viewer: Viewer | null,
  eventId: string,
): Promise<void> {
  const notFound = () => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end('Not found\n');
  };
  if (!viewer) return notFound();
  const event = await services.db.event.findFirst({
    where: { id: eventId.toLowerCase(), group: visibleGroupsWhere(viewer.id) },
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
      createdAt: true,
      updatedAt: true,
      groupId: true,
      group: { select: { name: true } },
    },
  });
  if (!event) return notFound();
  // The same rule as the Event fields: a private group's place and link are for its members.
  const insider = await groupInsidesVisible(services.db, event.groupId, viewer.id);
  const shown = insider ? event : { ...event, onlineUrl: null, location: null };
  const body = renderEventIcs(
    { ...shown, groupName: event.group.name },
    { origin: services.env.PUBLIC_ORIGIN, now: now() },
  );
  res.writeHead(200, {
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName(event.title)}"`,
    'cache-control': 'private, no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
