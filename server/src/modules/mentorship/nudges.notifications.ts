import { z } from 'zod';
import { encodeGlobalId } from '../../lib/global-id.js';
import { defineNotificationKind, type NotificationReader } from '../notifications/index.js';

// Notification kinds of the running relationship: nudges (an overdue goal, a goal with no progress,
// a missed check-in), feedback given on a check-in, and the end of a mentorship. Each is visible
// while its recipient is one of the mentorship's two members. None ever carries a private note:
// the data holds ids only, and the words are made from a goal's title or a person's name.

interface MentorshipSeen {
  id: string;
  mentorId: string;
  menteeId: string;
}

interface GoalSeen {
  id: string;
  title: string;
  mentorshipId: string;
}

/**
 * The mentorships of these ids that the reader's recipient is a member of, in one statement. Its
 * own namespace: request.notifications caches booleans under 'mentorship.mentorship' in the same
 * read, and one kind's cached values would answer the other's lookups (the loads of one read share
 * a batch per namespace).
 */
function mentorshipsSeen(reader: NotificationReader, ids: readonly string[]) {
  return reader.load('mentorship.mentorship-pair', ids, async (missing) => {
    const rows = await reader.db.mentorship.findMany({
      where: {
        id: { in: missing },
        OR: [{ mentorId: reader.recipientId }, { menteeId: reader.recipientId }],
      },
      select: { id: true, mentorId: true, menteeId: true },
    });
    return new Map<string, MentorshipSeen>(rows.map((row) => [row.id, row]));
  });
}

function goalsSeen(reader: NotificationReader, ids: readonly string[]) {
  return reader.load('mentorship.goal', ids, async (missing) => {
    const rows = await reader.db.goal.findMany({
      where: { id: { in: missing } },
      select: { id: true, title: true, mentorshipId: true },
    });
    return new Map<string, GoalSeen>(rows.map((row) => [row.id, row]));
  });
}

export function mentorshipPath(mentorshipId: string): string {
  return `/mentorships/${encodeURIComponent(encodeGlobalId('Mentorship', mentorshipId))}`;
}

async function visibleToMembers(
  reader: NotificationReader,
  notifications: ReadonlyArray<{ data: { mentorshipId: string } }>,
): Promise<boolean[]> {
  const seen = await mentorshipsSeen(
    reader,
    notifications.map((n) => n.data.mentorshipId),
  );
  return notifications.map((n) => seen.get(n.data.mentorshipId) != null);
}

const HIDDEN = { text: 'A mentorship update you can no longer see', href: '/mentorships' };
const goalData = z.object({ mentorshipId: z.uuid(), goalId: z.uuid() });

async function goalTitle(reader: NotificationReader, goalId: string): Promise<string> {
  const goal = (await goalsSeen(reader, [goalId])).get(goalId);
  return goal ? `“${goal.title}”` : 'A goal';
}

export const goalOverdueKind = defineNotificationKind({
  kind: 'MENTORSHIP_GOAL_OVERDUE',
  label: 'Overdue goals',
  description: 'A goal of your mentorship is past its due date',
  data: goalData,
  defaults: { inApp: true, email: true, digest: true },
  visible: (reader, notifications) => visibleToMembers(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    return {
      text: `${await goalTitle(reader, notification.data.goalId)} is past its due date`,
      href: mentorshipPath(notification.data.mentorshipId),
    };
  },
});

export const goalStaleKind = defineNotificationKind({
  kind: 'MENTORSHIP_GOAL_STALE',
  label: 'Goals without progress',
  description: 'A goal of your mentorship has had no progress for a while',
  data: goalData.extend({ days: z.number().int() }),
  defaults: { inApp: true, email: false, digest: true },
  visible: (reader, notifications) => visibleToMembers(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    return {
      text: `No progress on ${await goalTitle(reader, notification.data.goalId)} for ${notification.data.days} days`,
      href: mentorshipPath(notification.data.mentorshipId),
    };
  },
});

export const checkInMissedKind = defineNotificationKind({
  kind: 'MENTORSHIP_CHECK_IN_MISSED',
  label: 'Missed check-ins',
  description: 'Your mentorship has gone longer without a check-in than you agreed',
  data: z.object({ mentorshipId: z.uuid(), cadence: z.enum(['WEEKLY', 'BIWEEKLY', 'MONTHLY']) }),
  defaults: { inApp: true, email: true, digest: true },
  visible: (reader, notifications) => visibleToMembers(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const mentorship = (await mentorshipsSeen(reader, [notification.data.mentorshipId])).get(
      notification.data.mentorshipId,
    );
    const otherId = mentorship
      ? mentorship.mentorId === reader.recipientId
        ? mentorship.menteeId
        : mentorship.mentorId
      : null;
    const other = (await reader.userName(otherId)) ?? 'your mentorship partner';
    const cadence = { WEEKLY: 'weekly', BIWEEKLY: 'every two weeks', MONTHLY: 'monthly' }[notification.data.cadence];
    return {
      text: `Time for a check-in with ${other}: you agreed to meet ${cadence}`,
      href: mentorshipPath(notification.data.mentorshipId),
    };
  },
});

export const checkInFeedbackKind = defineNotificationKind({
  kind: 'MENTORSHIP_CHECK_IN_FEEDBACK',
  label: 'Check-in feedback',
  description: 'Your mentorship partner gave feedback on a check-in',
  data: z.object({ mentorshipId: z.uuid(), checkInId: z.uuid() }),
  defaults: { inApp: true, email: false, digest: true },
  visible: (reader, notifications) => visibleToMembers(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const actor = (await reader.userName(notification.actorId)) ?? 'Your mentorship partner';
    return {
      text: `${actor} gave feedback on your check-in`,
      href: mentorshipPath(notification.data.mentorshipId),
    };
  },
});

export const mentorshipEndedKind = defineNotificationKind({
  kind: 'MENTORSHIP_ENDED',
  label: 'Mentorship ended',
  description: 'Your mentorship partner ended the mentorship',
  data: z.object({ mentorshipId: z.uuid() }),
  defaults: { inApp: true, email: true, digest: true },
  visible: (reader, notifications) => visibleToMembers(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const actor = (await reader.userName(notification.actorId)) ?? 'Your mentorship partner';
    return {
      text: `${actor} ended your mentorship — add your review`,
      href: mentorshipPath(notification.data.mentorshipId),
    };
  },
});
