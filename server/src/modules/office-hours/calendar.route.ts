import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { AppServices, Viewer } from '../../context.js';
import type { DbClient } from '../../db.js';
import { clientAddressOf } from '../../graphql/yoga.js';
import { now } from '../../lib/clock.js';
import { hitRateLimit, type RateLimitRule } from '../../lib/rate-limit.js';
import { groupInsidesWhere, type IcsEvent, visibleGroupsWhere } from '../groups/index.js';
import { type IcsBooking, type IcsHostedSlot, renderBookingIcs, renderFeed } from './calendar.js';
import { visibleOfficeHoursWhere } from './office-hours.policy.js';

// Two calendar routes, mounted by app.ts:
// - GET /bookings/<uuid>.ics: one booking, for its attendee (while they still see the series) or the
//   host of its slot, signed in by session cookie or Bearer token. Anything else — signed out, someone
//   else's booking, no such booking — gets the same 404, so nobody learns which bookings exist.
// - GET /calendar/<token>.ics: a member's private feed, no session (calendar apps cannot sign in);
//   the secret address is the proof. Only the token's SHA-256 is stored; an unknown, rotated or revoked
//   token is a 404, and every request counts against a per-address limit.

const BOOKING_PATH = /^\/bookings\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.ics$/i;
const FEED_PATH = /^\/calendar\/([A-Za-z0-9_-]{43})\.ics$/;

/** How far back a feed reaches (past sessions stay in the member's calendar for a while). */
export const FEED_PAST_DAYS = 60;
/** Cancelled bookings and slots stay in the feed (as CANCELLED) this long after the cancellation. */
export const FEED_CANCELLED_DAYS = 30;
const FEED_MAX_ITEMS = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Calendar apps poll a feed every few minutes at most; this stops a leaked address being hammered. */
export const FEED_RATE_LIMIT: RateLimitRule = { name: 'calendar-feed:address', limit: 600, windowMs: 10 * 60_000 };

export type OfficeHoursCalendarRequest = { kind: 'booking'; bookingId: string } | { kind: 'feed'; token: string };

/** What this request asks for, when it is one of the two calendar routes; else null. */
export function matchOfficeHoursCalendar(
  method: string | undefined,
  pathname: string,
): OfficeHoursCalendarRequest | null {
  if (method !== 'GET' && method !== 'HEAD') return null;
  const booking = BOOKING_PATH.exec(pathname)?.[1];
  if (booking) return { kind: 'booking', bookingId: booking.toLowerCase() };
  const token = FEED_PATH.exec(pathname)?.[1];
  if (token) return { kind: 'feed', token };
  return null;
}

/** The stored form of a feed token. */
export function feedTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function notFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('Not found\n');
}

function send(req: http.IncomingMessage, res: http.ServerResponse, body: string, fileName: string): void {
  res.writeHead(200, {
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'private, no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

const seriesSelect = {
  id: true,
  topic: true,
  description: true,
  timeZone: true,
  audience: true,
  hostId: true,
  onlineUrl: true,
  location: true,
  host: { select: { name: true } },
  mentorship: { select: { mentee: { select: { name: true } } } },
} as const;

const slotSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  cancelledAt: true,
  sequence: true,
  seats: true,
  createdAt: true,
  updatedAt: true,
} as const;

const bookingSelect = {
  id: true,
  status: true,
  sequence: true,
  createdAt: true,
  updatedAt: true,
  cancelledAt: true,
  attendeeId: true,
  attendee: { select: { name: true, timeZone: true } },
  slot: { select: { ...slotSelect, officeHours: { select: seriesSelect } } },
} as const;

type BookingRow = {
  id: string;
  status: 'BOOKED' | 'CANCELLED';
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  attendeeId: string;
  attendee: { name: string; timeZone: string };
  slot: IcsBooking['slot'] & {
    officeHours: {
      id: string;
      topic: string;
      description: string;
      timeZone: string;
      audience: string;
      hostId: string;
      onlineUrl: string | null;
      location: string | null;
      host: { name: string };
      mentorship: { mentee: { name: string } } | null;
    };
  };
};

/** A booking row as the calendar writes it for `readerId` (its attendee or its slot's host). */
function icsBooking(row: BookingRow, readerId: string): IcsBooking {
  const series = row.slot.officeHours;
  const isHost = series.hostId === readerId;
  const live = row.status === 'BOOKED' && row.slot.cancelledAt === null;
  // The place and link reach the host and a booked attendee only.
  const placeShown = isHost || live;
  return {
    id: row.id,
    status: row.status,
    sequence: row.sequence,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    cancelledAt: row.cancelledAt,
    slot: row.slot,
    series: {
      id: series.id,
      topic: series.topic,
      description: series.description,
      timeZone: series.timeZone,
      hostName: series.host.name,
      pair: series.audience === 'PAIR',
    },
    attendeeZone: row.attendee.timeZone,
    onlineUrl: placeShown ? series.onlineUrl : null,
    location: placeShown ? series.location : null,
    ...(isHost ? { attendeeName: row.attendee.name } : {}),
  };
}

/** One booking for `viewerId`: its attendee (who still sees the series) or the host; else null. */
export async function bookingForCalendar(
  db: DbClient,
  viewerId: string,
  bookingId: string,
): Promise<IcsBooking | null> {
  const row = (await db.booking.findFirst({
    where: {
      id: bookingId,
      OR: [
        { attendeeId: viewerId, slot: { officeHours: visibleOfficeHoursWhere(viewerId) } },
        { slot: { officeHours: { hostId: viewerId } } },
      ],
    },
    select: bookingSelect,
  })) as BookingRow | null;
  return row ? icsBooking(row, viewerId) : null;
}

/** Everything a member's feed lists, as they may see it now. */
export async function feedFor(db: DbClient, userId: string, at: Date) {
  const since = new Date(at.getTime() - FEED_PAST_DAYS * DAY_MS);
  const cancelledSince = new Date(at.getTime() - FEED_CANCELLED_DAYS * DAY_MS);
  const [member, bookingRows, slotRows, rsvps] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { name: true, timeZone: true, suspendedAt: true } }),
    db.booking.findMany({
      where: {
        attendeeId: userId,
        slot: { startsAt: { gte: since }, officeHours: visibleOfficeHoursWhere(userId) },
        OR: [{ status: 'BOOKED' }, { cancelledAt: { gte: cancelledSince } }],
      },
      select: bookingSelect,
      orderBy: [{ slot: { startsAt: 'asc' } }, { id: 'asc' }],
      take: FEED_MAX_ITEMS,
    }) as Promise<BookingRow[]>,
    db.officeHourSlot.findMany({
      where: {
        startsAt: { gte: since },
        officeHours: { hostId: userId, status: { not: 'PROPOSED' } },
        OR: [{ cancelledAt: null }, { cancelledAt: { gte: cancelledSince } }],
      },
      select: {
        ...slotSelect,
        officeHours: { select: seriesSelect },
        _count: { select: { bookings: { where: { status: 'BOOKED' } } } },
      },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
      take: FEED_MAX_ITEMS,
    }),
    db.rsvp.findMany({
      where: {
        userId,
        status: 'GOING',
        event: { startsAt: { gte: since }, group: visibleGroupsWhere(userId) },
      },
      select: {
        event: {
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
        },
      },
      orderBy: { event: { startsAt: 'asc' } },
      take: FEED_MAX_ITEMS,
    }),
  ]);
  if (!member || member.suspendedAt !== null) return null;
  // The same rule as the Event fields: a private group's place and link are for its members.
  const groupIds = [...new Set(rsvps.map((rsvp) => rsvp.event.groupId))];
  const insiders = new Set(
    (
      await db.group.findMany({
        where: { id: { in: groupIds }, AND: [groupInsidesWhere(userId)] },
        select: { id: true },
      })
    ).map((group) => group.id),
  );
  const events: IcsEvent[] = rsvps.map(({ event }) => ({
    id: event.id,
    title: event.title,
    description: event.description,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timeZone: event.timeZone,
    onlineUrl: insiders.has(event.groupId) ? event.onlineUrl : null,
    location: insiders.has(event.groupId) ? event.location : null,
    cancelledAt: event.cancelledAt,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
    groupName: event.group.name,
  }));
  const hosted: IcsHostedSlot[] = slotRows.map((row) => {
    const series = row.officeHours;
    return {
      slot: row,
      series: {
        id: series.id,
        topic: series.topic,
        description: series.description,
        timeZone: series.timeZone,
        hostName: series.host.name,
        pair: series.audience === 'PAIR',
      },
      booked: row._count.bookings,
      otherName: series.audience === 'PAIR' ? (series.mentorship?.mentee.name ?? null) : null,
      onlineUrl: series.onlineUrl,
      location: series.location,
    };
  });
  return {
    memberName: member.name,
    memberZone: member.timeZone,
    bookings: bookingRows.map((row) => icsBooking(row, userId)),
    hosted,
    events,
  };
}

export async function serveOfficeHoursCalendar(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  services: Pick<AppServices, 'db' | 'env'>,
  request: OfficeHoursCalendarRequest,
  authenticate: () => Promise<Viewer | null>,
): Promise<void> {
  const options = { origin: services.env.PUBLIC_ORIGIN, now: now() };
  if (request.kind === 'booking') {
    const viewer = await authenticate();
    if (!viewer) return notFound(res);
    const booking = await bookingForCalendar(services.db, viewer.id, request.bookingId);
    if (!booking) return notFound(res);
    return send(req, res, renderBookingIcs(booking, options), 'office-hours-booking.ics');
  }
  const verdict = await hitRateLimit(services.db, FEED_RATE_LIMIT, clientAddressOf(req, services.env.TRUST_PROXY));
  if (!verdict.allowed) {
    res.writeHead(429, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(verdict.retryAfterSeconds),
    });
    res.end('Too many requests\n');
    return;
  }
  const feed = await services.db.calendarFeed.findUnique({
    where: { tokenHash: feedTokenHash(request.token) },
    select: { userId: true },
  });
  const content = feed ? await feedFor(services.db, feed.userId, options.now) : null;
  if (!content) return notFound(res);
  send(req, res, renderFeed(content, options), 'guildhall.ics');
}
