import { z } from 'zod';
import { defineNotificationKind, type NotificationReader } from '../notifications/index.js';
import { can } from '../groups/index.js';
import { REPORT_OUTCOMES, type ReportOutcome, REVIEW_ACTION } from './safety.policy.js';

// The safety module's notification kinds. None names a moderator or a reporter (actor is null):
// a reporter is not exposed to the member they reported, and a warning or an outcome is the
// moderators' as a body, so no block of one moderator can stop it.

const OUTCOME_WORDS = {
  HIDE: 'the content was hidden',
  WARN: 'the member was warned',
  REMOVE: 'the member was removed from the group',
  BAN: 'the member was banned from the group',
  SUSPEND: 'the member was suspended',
  DISMISS: 'the moderators found nothing to act on',
} as const satisfies Record<ReportOutcome, string>;

const SUBJECT_WORDS = { MESSAGE: 'a message', PROFILE: 'a profile', GROUP: 'a group' } as const;

/** A relative path in the web app, never anything a browser could take elsewhere. */
const appPath = z.string().regex(/^\/(?!\/)[^\s\\]*$/, 'a path in the app');

interface ReportSeen {
  id: string;
  reporterId: string | null;
  groupId: string | null;
  groupName: string | null;
  groupSlug: string | null;
  status: string;
}

function reportsSeen(reader: NotificationReader, reportIds: readonly string[]) {
  return reader.load('safety.report', reportIds, async (ids) => {
    const rows = await reader.db.report.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        reporterId: true,
        groupId: true,
        status: true,
        group: { select: { name: true, slug: true } },
      },
    });
    return new Map(
      rows.map((row): [string, ReportSeen] => [
        row.id,
        { ...row, groupName: row.group?.name ?? null, groupSlug: row.group?.slug ?? null },
      ]),
    );
  });
}

/** The recipient's role in these groups (one statement per reader). */
function rolesOf(reader: NotificationReader, groupIds: readonly string[]) {
  return reader.load('safety.role', groupIds, async (ids) => {
    const rows = await reader.db.membership.findMany({
      where: { userId: reader.recipientId, groupId: { in: ids } },
      select: { groupId: true, role: true },
    });
    return new Map(rows.map((row) => [row.groupId, row.role]));
  });
}

function queuePath(report: Pick<ReportSeen, 'groupSlug'>): string {
  return report.groupSlug ? `/groups/${encodeURIComponent(report.groupSlug)}/moderation` : '/moderation';
}

/** To the reviewers of a new report: a group's moderators, or the instance's admins. */
export const reportReceived = defineNotificationKind({
  kind: 'REPORT_RECEIVED',
  label: 'Reports to review',
  description: 'A member reports something you moderate',
  data: z.object({ reportId: z.uuid() }),
  defaults: { inApp: true, email: false, digest: true },
  async visible(reader, notifications) {
    const reports = await reportsSeen(
      reader,
      notifications.map((n) => n.data.reportId),
    );
    const groupIds = [...reports.values()].flatMap((report) => (report?.groupId ? [report.groupId] : []));
    const roles = await rolesOf(reader, groupIds);
    return notifications.map((n) => {
      const report = reports.get(n.data.reportId);
      if (!report) return false;
      // A group's report while the recipient still moderates it; the instance queue checks admins itself.
      return report.groupId ? can(roles.get(report.groupId) ?? null, REVIEW_ACTION) : true;
    });
  },
  hidden: { text: 'A report you can no longer review', href: '/notifications' },
  async describe(reader, notification) {
    const report = (await reportsSeen(reader, [notification.data.reportId])).get(notification.data.reportId);
    const where = report?.groupName ? `${report.groupName}’s moderation queue` : 'the moderation queue';
    return { text: `A new report awaits review in ${where}`, href: report ? queuePath(report) : '/moderation' };
  },
});

/** To the reporter: what the moderators did about their report. */
export const reportResolved = defineNotificationKind({
  kind: 'REPORT_RESOLVED',
  label: 'Your reports',
  description: 'The moderators have reviewed something you reported',
  data: z.object({
    reportId: z.uuid(),
    subject: z.enum(['MESSAGE', 'PROFILE', 'GROUP']),
    outcome: z.enum(REPORT_OUTCOMES),
    href: appPath,
  }),
  defaults: { inApp: true, email: false, digest: true },
  async visible(reader, notifications) {
    const reports = await reportsSeen(
      reader,
      notifications.map((n) => n.data.reportId),
    );
    return notifications.map((n) => reports.get(n.data.reportId)?.reporterId === reader.recipientId);
  },
  hidden: { text: 'A report of yours was reviewed', href: '/notifications' },
  async describe(_reader, notification) {
    const { subject, outcome, href } = notification.data;
    return {
      text: `Your report about ${SUBJECT_WORDS[subject]} was reviewed: ${OUTCOME_WORDS[outcome]}.`,
      href,
    };
  },
});

/** To a member a moderator warned, in the moderator's words. */
export const moderationWarning = defineNotificationKind({
  kind: 'MODERATION_WARNING',
  label: 'Warnings from moderators',
  description: 'The moderators warn you about something you posted or did',
  data: z.object({ groupId: z.uuid().nullable(), note: z.string().min(1).max(1000) }),
  defaults: { inApp: true, email: true, digest: false },
  inDigest: false,
  async visible(_reader, notifications) {
    return notifications.map(() => true);
  },
  async describe(reader, notification) {
    const { groupId, note } = notification.data;
    const group = groupId
      ? await reader.db.group.findUnique({ where: { id: groupId }, select: { name: true, slug: true } })
      : null;
    const who = group ? `The moderators of ${group.name}` : 'The moderators';
    return {
      text: `${who} warned you: “${note}”`,
      href: group ? `/groups/${encodeURIComponent(group.slug)}` : '/notifications',
    };
  },
});
