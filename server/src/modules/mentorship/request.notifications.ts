import { z } from 'zod';
import { encodeGlobalId } from '../../lib/global-id.js';
import { defineNotificationKind, type NotificationReader } from '../notifications/index.js';
import { visibleMentorshipsWhere, visibleRequestsWhere } from './mentorship.policy.js';

// The notification kinds of requests, pairings and agreements. Each is visible while its recipient
// may still see the request or mentorship it is about (mentorship.policy), re-checked on every read.
// Email defaults follow the groups kinds: what needs an answer or starts something is emailed;
// the rest goes into the digest.

const requestData = z.object({ requestId: z.uuid() });
const acceptedData = z.object({ requestId: z.uuid(), mentorshipId: z.uuid() });
const agreementData = z.object({ mentorshipId: z.uuid(), agreementId: z.uuid() });

const REQUESTS_PAGE = '/mentorship/requests';
const mentorshipPath = (mentorshipId: string) =>
  `/mentorships/${encodeURIComponent(encodeGlobalId('Mentorship', mentorshipId))}`;

async function requestsSeen(reader: NotificationReader, requestIds: readonly string[]): Promise<boolean[]> {
  const seen = await reader.load('mentorship.request', requestIds, async (ids) => {
    const rows = await reader.db.mentorshipRequest.findMany({
      where: { id: { in: ids }, AND: [visibleRequestsWhere(reader.recipientId)] },
      select: { id: true },
    });
    return new Map(rows.map((row) => [row.id, true]));
  });
  return requestIds.map((id) => seen.get(id) === true);
}

async function mentorshipsSeen(reader: NotificationReader, mentorshipIds: readonly string[]): Promise<boolean[]> {
  const seen = await reader.load('mentorship.mentorship', mentorshipIds, async (ids) => {
    const rows = await reader.db.mentorship.findMany({
      where: { id: { in: ids }, AND: [visibleMentorshipsWhere(reader.recipientId)] },
      select: { id: true },
    });
    return new Map(rows.map((row) => [row.id, true]));
  });
  return mentorshipIds.map((id) => seen.get(id) === true);
}

const visibleWhileRequestSeen = <D extends { requestId: string }>(
  reader: NotificationReader,
  notifications: readonly { data: D }[],
) =>
  requestsSeen(
    reader,
    notifications.map((n) => n.data.requestId),
  );

const visibleWhileMentorshipSeen = <D extends { mentorshipId: string }>(
  reader: NotificationReader,
  notifications: readonly { data: D }[],
) =>
  mentorshipsSeen(
    reader,
    notifications.map((n) => n.data.mentorshipId),
  );

export const requestReceived = defineNotificationKind({
  kind: 'MENTORSHIP_REQUEST_RECEIVED',
  label: 'Mentorship requests',
  description: 'Someone asks you to mentor them',
  data: requestData,
  defaults: { inApp: true, email: true, digest: false },
  visible: visibleWhileRequestSeen,
  async describe(reader, notification) {
    const name = await reader.userName(notification.actorId);
    return { text: `${name ?? 'Someone'} asked you to be their mentor`, href: REQUESTS_PAGE };
  },
});

export const requestAccepted = defineNotificationKind({
  kind: 'MENTORSHIP_REQUEST_ACCEPTED',
  label: 'Mentorships started',
  description: 'A mentorship you are part of starts',
  data: acceptedData,
  defaults: { inApp: true, email: true, digest: false },
  visible: visibleWhileRequestSeen,
  async describe(reader, notification) {
    const name = await reader.userName(notification.actorId);
    return {
      text: name ? `${name} accepted: your mentorship starts` : 'Your mentorship starts',
      href: mentorshipPath(notification.data.mentorshipId),
    };
  },
});

export const requestDeclined = defineNotificationKind({
  kind: 'MENTORSHIP_REQUEST_DECLINED',
  label: 'Mentorship requests declined',
  description: 'A mentorship request or pairing you are part of was declined',
  data: requestData,
  defaults: { inApp: true, email: false, digest: true },
  visible: visibleWhileRequestSeen,
  async describe(reader, notification) {
    const name = await reader.userName(notification.actorId);
    return { text: `${name ?? 'Someone'} declined the mentorship request`, href: REQUESTS_PAGE };
  },
});

export const requestExpired = defineNotificationKind({
  kind: 'MENTORSHIP_REQUEST_EXPIRED',
  label: 'Mentorship requests expired',
  description: 'A mentorship request of yours expired unanswered',
  data: requestData,
  defaults: { inApp: true, email: true, digest: false },
  visible: visibleWhileRequestSeen,
  async describe(reader, notification) {
    const row = await reader.db.mentorshipRequest.findUnique({
      where: { id: notification.data.requestId },
      select: { mentorId: true },
    });
    const name = await reader.userName(row?.mentorId ?? null);
    return {
      text: `Your mentorship request${name ? ` to ${name}` : ''} expired without an answer`,
      href: REQUESTS_PAGE,
    };
  },
});

export const pairingProposed = defineNotificationKind({
  kind: 'MENTORSHIP_PAIRING_PROPOSED',
  label: 'Program pairings',
  description: "A program's admin proposes you as a mentor or mentee",
  data: requestData,
  defaults: { inApp: true, email: true, digest: false },
  visible: visibleWhileRequestSeen,
  async describe(reader, notification) {
    const name = await reader.userName(notification.actorId);
    return { text: `${name ?? 'A program admin'} proposed a mentorship pairing for you`, href: REQUESTS_PAGE };
  },
});

export const agreementProposed = defineNotificationKind({
  kind: 'MENTORSHIP_AGREEMENT_PROPOSED',
  label: 'Mentorship agreements proposed',
  description: 'The other side of a mentorship proposes terms',
  data: agreementData,
  defaults: { inApp: true, email: true, digest: false },
  visible: visibleWhileMentorshipSeen,
  async describe(reader, notification) {
    const name = await reader.userName(notification.actorId);
    return {
      text: `${name ?? 'Your mentorship partner'} proposed a mentorship agreement`,
      href: mentorshipPath(notification.data.mentorshipId),
    };
  },
});

export const agreementAccepted = defineNotificationKind({
  kind: 'MENTORSHIP_AGREEMENT_ACCEPTED',
  label: 'Mentorship agreements accepted',
  description: 'The other side accepted the terms you proposed',
  data: agreementData,
  defaults: { inApp: true, email: false, digest: true },
  visible: visibleWhileMentorshipSeen,
  async describe(reader, notification) {
    const name = await reader.userName(notification.actorId);
    return {
      text: `${name ?? 'Your mentorship partner'} accepted the mentorship agreement`,
      href: mentorshipPath(notification.data.mentorshipId),
    };
  },
});
