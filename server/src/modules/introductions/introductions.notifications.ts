import { z } from 'zod';
import type { IntroductionStatus } from '../../generated/prisma/enums.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { defineNotificationKind, type NotificationReader, type StoredNotification } from '../notifications/index.js';
import { type IntroductionRole, introductionRoleOf, visibleIntroductionsWhere } from './introductions.policy.js';

// The notification kinds of introductions. Each is visible while its recipient may still see the
// introduction (introductions.policy: the target sees nothing before it was forwarded), re-checked
// on every read; the words are chosen by the recipient's role. What needs an answer (a request to
// broker, an introduction to accept, "did you connect?") and what starts something (accepted) is
// emailed; the rest goes into the digest. The requester is told a target's decline and a target's
// expiry with one kind and the same words, and its data is only the introduction: nothing says which.

const introductionData = z.object({ introductionId: z.uuid() });
type IntroductionData = z.output<typeof introductionData>;

export const introductionPath = (introductionId: string) =>
  `/introductions/${encodeURIComponent(encodeGlobalId('Introduction', introductionId))}`;

interface Row {
  requesterId: string;
  brokerId: string;
  targetId: string;
  forwardedAt: Date | null;
  status: IntroductionStatus;
  brokerMessage: string | null;
  targetNote: string | null;
  conversationId: string | null;
}

/** The introductions the recipient sees, each loaded once per read. */
async function rowsSeen(reader: NotificationReader, ids: readonly string[]): Promise<Map<string, Row | null>> {
  return reader.load('introductions.introduction', ids, async (missing) => {
    const rows = await reader.db.introduction.findMany({
      where: { id: { in: missing }, AND: [visibleIntroductionsWhere(reader.recipientId)] },
      select: {
        id: true,
        requesterId: true,
        brokerId: true,
        targetId: true,
        forwardedAt: true,
        status: true,
        brokerMessage: true,
        targetNote: true,
        conversationId: true,
      },
    });
    return new Map(rows.map(({ id, ...row }) => [id, row]));
  });
}

async function visible<D extends IntroductionData>(
  reader: NotificationReader,
  notifications: readonly StoredNotification<D>[],
): Promise<boolean[]> {
  const ids = notifications.map((n) => n.data.introductionId);
  const rows = await rowsSeen(reader, ids);
  return ids.map((id) => Boolean(rows.get(id)));
}

/** The row, the recipient's role and the three names, for the words. */
async function facts<D extends IntroductionData>(reader: NotificationReader, notification: StoredNotification<D>) {
  const id = notification.data.introductionId;
  const row = (await rowsSeen(reader, [id])).get(id) ?? null;
  const role: IntroductionRole | null = row ? introductionRoleOf(row, reader.recipientId) : null;
  const [requester, broker, target] = await Promise.all([
    reader.userName(row?.requesterId ?? null),
    reader.userName(row?.brokerId ?? null),
    reader.userName(row?.targetId ?? null),
  ]);
  return {
    row,
    role,
    requester: requester ?? 'Someone',
    broker: broker ?? 'Someone',
    target: target ?? 'someone',
    href: introductionPath(id),
  };
}

const quoted = (words: string | null | undefined) => (words ? `: “${words}”` : '');

const actionEmail =
  (subject: string, ask: string) =>
  (view: { text: string; link: string }): { subject: string; text: string } => ({
    subject,
    text: `${view.text}.\n\n${ask}: ${view.link}\n`,
  });

export const introductionRequested = defineNotificationKind({
  kind: 'INTRODUCTION_REQUESTED',
  label: 'Introductions to make',
  description: 'Someone asks you to introduce them to a person you know',
  data: introductionData,
  defaults: { inApp: true, email: true, digest: false },
  visible,
  async describe(reader, notification) {
    const { requester, target, href } = await facts(reader, notification);
    return { text: `${requester} asked you to introduce them to ${target}`, href };
  },
  email: actionEmail('Someone asks you for an introduction', 'Forward it with a note, or decline'),
});

/** Forwarded: the target is asked to answer; the requester only learns it moved on (its own email words). */
const forwardedData = introductionData.extend({ to: z.enum(['TARGET', 'REQUESTER']).optional() });

export const introductionForwarded = defineNotificationKind({
  kind: 'INTRODUCTION_FORWARDED',
  label: 'Introductions forwarded',
  description: 'Someone would like to introduce you to a member, or forwarded your request',
  data: forwardedData,
  defaults: { inApp: true, email: true, digest: false },
  visible,
  async describe(reader, notification) {
    const { role, requester, broker, target, href } = await facts(reader, notification);
    if (role === 'REQUESTER') return { text: `${broker} forwarded your request to meet ${target}`, href };
    return { text: `${broker} would like to introduce you to ${requester}`, href };
  },
  email: (view, notification) =>
    notification.data.to === 'REQUESTER'
      ? { subject: 'Your introduction request was passed on', text: `${view.text}.\n\nSee it here: ${view.link}\n` }
      : actionEmail('An introduction for you', 'Accept or decline it')(view),
});

export const introductionNotNow = defineNotificationKind({
  kind: 'INTRODUCTION_NOT_NOW',
  label: 'Introductions not made now',
  description: 'Someone you asked cannot introduce you now',
  data: introductionData,
  defaults: { inApp: true, email: false, digest: true },
  visible,
  async describe(reader, notification) {
    const { row, broker, target, href } = await facts(reader, notification);
    return { text: `${broker} cannot introduce you to ${target} now${quoted(row?.brokerMessage)}`, href };
  },
});

export const introductionDidNotHappen = defineNotificationKind({
  kind: 'INTRODUCTION_DID_NOT_HAPPEN',
  label: 'Introductions that did not happen',
  description: 'An introduction you asked for did not happen',
  data: introductionData,
  defaults: { inApp: true, email: false, digest: true },
  visible,
  async describe(reader, notification) {
    const { target, href } = await facts(reader, notification);
    return { text: `Your introduction to ${target} did not happen`, href };
  },
});

export const introductionExpired = defineNotificationKind({
  kind: 'INTRODUCTION_EXPIRED',
  label: 'Introductions expired',
  description: 'An introduction step ran out of time',
  data: introductionData,
  defaults: { inApp: true, email: false, digest: true },
  visible,
  async describe(reader, notification) {
    const { role, requester, broker, target, href } = await facts(reader, notification);
    if (role === 'REQUESTER') return { text: `${broker} did not get to your request to meet ${target}`, href };
    if (role === 'TARGET') return { text: `${broker}'s introduction to ${requester} expired`, href };
    return { text: `The introduction of ${requester} to ${target} expired`, href };
  },
});

export const introductionDeclined = defineNotificationKind({
  kind: 'INTRODUCTION_DECLINED',
  label: 'Introductions declined',
  description: 'The person you forwarded an introduction to declined it',
  data: introductionData,
  defaults: { inApp: true, email: false, digest: true },
  visible,
  async describe(reader, notification) {
    const { row, requester, target, href } = await facts(reader, notification);
    return { text: `${target} declined the introduction to ${requester}${quoted(row?.targetNote)}`, href };
  },
});

export const introductionAccepted = defineNotificationKind({
  kind: 'INTRODUCTION_ACCEPTED',
  label: 'Introductions made',
  description: 'An introduction you are part of was accepted: the conversation is open',
  data: introductionData,
  defaults: { inApp: true, email: true, digest: false },
  visible,
  async describe(reader, notification) {
    const { role, requester, broker, target, href } = await facts(reader, notification);
    if (role === 'REQUESTER') return { text: `${target} accepted: ${broker} introduced you`, href };
    if (role === 'TARGET') return { text: `${broker} introduced you to ${requester}`, href };
    return { text: `${target} accepted your introduction of ${requester}`, href };
  },
});

export const introductionWithdrawn = defineNotificationKind({
  kind: 'INTRODUCTION_WITHDRAWN',
  label: 'Introductions withdrawn',
  description: 'Someone withdrew an introduction request',
  data: introductionData,
  defaults: { inApp: true, email: false, digest: true },
  visible,
  async describe(reader, notification) {
    const { role, requester, target, href } = await facts(reader, notification);
    if (role === 'TARGET') return { text: `${requester} withdrew their request to meet you`, href };
    return { text: `${requester} withdrew their request to meet ${target}`, href };
  },
});

export const introductionFollowUp = defineNotificationKind({
  kind: 'INTRODUCTION_FOLLOW_UP',
  label: 'Introduction follow-ups',
  description: 'Did you connect with someone you were introduced to?',
  data: introductionData,
  defaults: { inApp: true, email: true, digest: false },
  visible,
  async describe(reader, notification) {
    const { role, requester, target, href } = await facts(reader, notification);
    return { text: `Did you connect with ${role === 'TARGET' ? requester : target}?`, href };
  },
  email: actionEmail('Did you connect?', 'Tell us (yes, not yet or no)'),
});
