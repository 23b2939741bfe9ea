import { z } from 'zod';
import { encodeGlobalId } from '../../lib/global-id.js';
import { localToInstant } from '../../lib/time.js';
import { defineNotificationKind, type NotificationReader } from '../notifications/index.js';
import { mentorshipPath } from '../mentorship/index.js';
import { sessionInWords, sessionLabel } from './sessions.times.js';

// Notification kinds of a mentorship's session series: proposed (to the other side), confirmed (to
// the proposer), declined or cancelled (to the other side), and a session nobody marked held a day
// after it ended (to both: the mentorship's missed check-in nudge, for one session). Each is visible
// while its recipient is one of the mentorship's two members; the data holds ids only and the words
// are made at read time, times in the series' zone and the recipient's own.

interface SeriesSeen {
  id: string;
  mentorshipId: string | null;
  timeZone: string;
  startDate: Date;
  startTime: string;
  repeatEveryWeeks: number | null;
}

function pairsSeen(reader: NotificationReader, ids: readonly string[]) {
  return reader.load('office-hours.sessions-pair', ids, async (missing) => {
    const rows = await reader.db.mentorship.findMany({
      where: { id: { in: missing }, OR: [{ mentorId: reader.recipientId }, { menteeId: reader.recipientId }] },
      select: { id: true, mentorId: true, menteeId: true },
    });
    return new Map(rows.map((row) => [row.id, row]));
  });
}

function seriesSeen(reader: NotificationReader, ids: readonly string[]) {
  return reader.load('office-hours.sessions-series', ids, async (missing) => {
    const rows = await reader.db.officeHours.findMany({
      where: { id: { in: missing } },
      select: {
        id: true,
        mentorshipId: true,
        timeZone: true,
        startDate: true,
        startTime: true,
        repeatEveryWeeks: true,
      },
    });
    return new Map<string, SeriesSeen>(rows.map((row) => [row.id, row]));
  });
}

function slotsSeen(reader: NotificationReader, ids: readonly string[]) {
  return reader.load('office-hours.sessions-slot', ids, async (missing) => {
    const rows = await reader.db.officeHourSlot.findMany({
      where: { id: { in: missing } },
      select: { id: true, startsAt: true, endsAt: true },
    });
    return new Map(rows.map((row) => [row.id, row]));
  });
}

function recipientZone(reader: NotificationReader): Promise<string> {
  return reader.once('office-hours.sessions-recipient-zone', async () => {
    const row = await reader.db.user.findUnique({ where: { id: reader.recipientId }, select: { timeZone: true } });
    return row?.timeZone ?? 'UTC';
  });
}

async function visibleToPair(
  reader: NotificationReader,
  notifications: ReadonlyArray<{ data: { mentorshipId: string } }>,
): Promise<boolean[]> {
  const seen = await pairsSeen(
    reader,
    notifications.map((n) => n.data.mentorshipId),
  );
  return notifications.map((n) => seen.get(n.data.mentorshipId) != null);
}

async function partnerName(reader: NotificationReader, mentorshipId: string): Promise<string> {
  const pair = (await pairsSeen(reader, [mentorshipId])).get(mentorshipId);
  const otherId = pair ? (pair.mentorId === reader.recipientId ? pair.menteeId : pair.mentorId) : null;
  return (await reader.userName(otherId)) ?? 'your mentorship partner';
}

async function seriesLabel(reader: NotificationReader, officeHoursId: string): Promise<string> {
  const series = (await seriesSeen(reader, [officeHoursId])).get(officeHoursId);
  if (!series) return 'sessions';
  const first = localToInstant(`${series.startDate.toISOString().slice(0, 10)}T${series.startTime}`, series.timeZone);
  return sessionLabel(first, series.repeatEveryWeeks ?? 1, series.timeZone, await recipientZone(reader));
}

/** The mentorship page, opened at its sessions (the web's Sessions panel). */
export function sessionsPath(mentorshipId: string, slotId?: string): string {
  const base = `${mentorshipPath(mentorshipId)}#sessions`;
  return slotId
    ? `${mentorshipPath(mentorshipId)}?session=${encodeURIComponent(encodeGlobalId('OfficeHourSlot', slotId))}#sessions`
    : base;
}

const HIDDEN = { text: 'A mentorship update you can no longer see', href: '/mentorships' };
const seriesData = z.object({ mentorshipId: z.uuid(), officeHoursId: z.uuid() });

export const sessionsProposedKind = defineNotificationKind({
  kind: 'MENTORSHIP_SESSIONS_PROPOSED',
  label: 'Session times proposed',
  description: 'Your mentorship partner proposes times for your regular sessions',
  data: seriesData,
  defaults: { inApp: true, email: true, digest: false },
  visible: (reader, notifications) => visibleToPair(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const actor = (await reader.userName(notification.actorId)) ?? 'Your mentorship partner';
    return {
      text: `${actor} proposes your sessions: ${await seriesLabel(reader, notification.data.officeHoursId)} — confirm or decline`,
      href: sessionsPath(notification.data.mentorshipId),
    };
  },
});

export const sessionsConfirmedKind = defineNotificationKind({
  kind: 'MENTORSHIP_SESSIONS_CONFIRMED',
  label: 'Session times confirmed',
  description: 'Your mentorship partner confirmed the session times you proposed',
  data: seriesData,
  defaults: { inApp: true, email: true, digest: false },
  visible: (reader, notifications) => visibleToPair(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const actor = (await reader.userName(notification.actorId)) ?? 'Your mentorship partner';
    return {
      text: `${actor} confirmed your sessions: ${await seriesLabel(reader, notification.data.officeHoursId)}`,
      href: sessionsPath(notification.data.mentorshipId),
    };
  },
});

export const sessionsCancelledKind = defineNotificationKind({
  kind: 'MENTORSHIP_SESSIONS_CANCELLED',
  label: 'Sessions declined or cancelled',
  description: 'Your mentorship partner declined proposed session times or cancelled your sessions',
  data: seriesData.extend({ declined: z.boolean() }),
  defaults: { inApp: true, email: true, digest: true },
  visible: (reader, notifications) => visibleToPair(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const actor = (await reader.userName(notification.actorId)) ?? 'Your mentorship partner';
    const label = await seriesLabel(reader, notification.data.officeHoursId);
    return {
      text: notification.data.declined
        ? `${actor} declined the session times you proposed (${label}): propose others`
        : `${actor} cancelled your sessions (${label})`,
      href: sessionsPath(notification.data.mentorshipId),
    };
  },
});

/** The mentorship's missed check-in nudge, for one session of the series. */
export const sessionMissedKind = defineNotificationKind({
  kind: 'MENTORSHIP_SESSION_MISSED',
  label: 'Missed sessions',
  description: 'A mentorship session passed and nobody marked it held',
  data: z.object({ mentorshipId: z.uuid(), slotId: z.uuid() }),
  defaults: { inApp: true, email: true, digest: true },
  visible: (reader, notifications) => visibleToPair(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const other = await partnerName(reader, notification.data.mentorshipId);
    const slot = (await slotsSeen(reader, [notification.data.slotId])).get(notification.data.slotId);
    const when = slot ? ` on ${sessionInWords(slot, await recipientZone(reader))}` : '';
    return {
      text: `Your session with ${other}${when} was not marked held: mark it held, or plan a check-in`,
      href: sessionsPath(notification.data.mentorshipId, notification.data.slotId),
    };
  },
});
