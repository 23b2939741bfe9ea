import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import { decodeId, encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/index.js';
import { conversationAccess } from '../chat/index.js';
import { GroupRef, groupsWhereViewerCan } from '../groups/index.js';
import { PersonRef } from '../people/index.js';
import {
  actionsFor,
  canReverse,
  canReview,
  loadReviewer,
  readableLogWhere,
  REPORT_SUBJECTS,
  type Reversal,
  reversalOf,
  REVIEW_ACTION,
  reviewableReportsWhere,
  viewerAsReviewer,
} from './safety.policy.js';
import type { ReportSubject } from '../../generated/prisma/enums.js';

// Reports and the moderation log in the schema. A report is seen by its reviewers and its reporter;
// the queue and the log only by reviewers (safety.policy.ts). Neither is a node: a reviewer reaches
// them through the queue and the log, whose access is checked as a whole.

export const ReportSubjectEnum = builder.enumType('ReportSubject', { values: REPORT_SUBJECTS });
export const ReportStatusEnum = builder.enumType('ReportStatus', { values: ['OPEN', 'RESOLVED'] as const });
export const ModerationActionEnum = builder.enumType('ModerationAction', {
  values: {
    HIDE: {
      description:
        "Hide the content: a message becomes a tombstone (as a moderator delete does); a profile's headline, bio, skills and links are seen only by the member and the admins; a group only by its members.",
    },
    WARN: { description: 'Warn the member (a group: its owner) in your words.' },
    REMOVE: { description: 'Remove the author from the group.' },
    BAN: { description: 'Ban the author from the group.' },
    SUSPEND: {
      description:
        'Suspend the member from this Guildhall (admins): every session ends at once, sign-in is refused, and the profile is hidden from everyone. Lifted with unsuspendMember.',
    },
    DISMISS: { description: 'Nothing to act on.' },
    UNHIDE: { description: 'A hidden profile or group was shown again (unhideContent; never a report outcome).' },
    UNSUSPEND: { description: 'A suspension was lifted (unsuspendMember; never a report outcome).' },
  } as const,
});

/** A reported group as its reviewers see it, whatever its visibility (admins are not its members). */
const ReportedGroupRef = builder.objectRef<{ id: string; name: string; slug: string }>('ReportedGroup').implement({
  fields: (t) => ({
    id: t.id({ description: "The Group's global id.", resolve: (group) => encodeGlobalId('Group', group.id) }),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
  }),
});

export const ReportRef = builder.prismaObject('Report', {
  fields: (t) => ({
    id: t.id({ resolve: (report) => encodeGlobalId('Report', report.id) }),
    subject: t.expose('subject', { type: ReportSubjectEnum }),
    status: t.expose('status', { type: ReportStatusEnum }),
    outcome: t.expose('outcome', { type: ModerationActionEnum, nullable: true }),
    reason: t.exposeString('reason', { description: 'The reporter’s words.' }),
    excerpt: t.exposeString('excerpt', {
      nullable: true,
      description: 'A reported message as it read when reported (it may have changed or been hidden since).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    reporter: t.relation('reporter', { type: PersonRef, nullable: true }),
    person: t.relation('subjectUser', {
      type: PersonRef,
      nullable: true,
      description: 'The member reported, or the author of the message reported.',
    }),
    group: t.field({
      type: ReportedGroupRef,
      nullable: true,
      description: 'The group reported.',
      select: { subjectGroup: { select: { id: true, name: true, slug: true } } },
      resolve: (report) => report.subjectGroup,
    }),
    reviewGroup: t.relation('group', {
      type: GroupRef,
      nullable: true,
      description: 'Whose moderators review it; null: the instance’s admins.',
    }),
    place: t.string({
      nullable: true,
      description: 'Where a reported message was: "#general in Rust Berlin", or "a direct message".',
      select: {
        message: { select: { conversation: { select: { name: true, group: { select: { name: true } } } } } },
      },
      resolve: (report) => {
        const conversation = report.message?.conversation;
        if (!conversation) return null;
        return conversation.name
          ? `#${conversation.name}${conversation.group ? ` in ${conversation.group.name}` : ''}`
          : 'a direct message';
      },
    }),
    messageHref: t.string({
      nullable: true,
      description: 'The reported message in chat, when you may see its conversation.',
      select: { messageId: true, message: { select: { conversationId: true } } },
      resolve: async (report, _args, ctx) => {
        const conversationId = report.message?.conversationId;
        if (!conversationId || !report.messageId || !ctx.viewer) return null;
        if (!(await conversationAccess(ctx.db, conversationId, ctx.viewer.id))) return null;
        const conversation = encodeURIComponent(encodeGlobalId('Conversation', conversationId));
        return `/chat/${conversation}?message=${encodeURIComponent(encodeGlobalId('Message', report.messageId))}`;
      },
    }),
    resolvedBy: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Who acted (reviewers only).',
      select: { groupId: true, resolvedBy: true },
      resolve: async (report, _args, ctx) => {
        const reviewer = await loadReviewer(ctx, [report.groupId]);
        return reviewer && canReview(report, reviewer) ? report.resolvedBy : null;
      },
    }),
    availableActions: t.field({
      type: [ModerationActionEnum],
      description: 'What you may do with it now (empty once resolved, or when you do not review it).',
      select: { groupId: true, subject: true, status: true },
      resolve: async (report, _args, ctx) => {
        if (report.status !== 'OPEN') return [];
        const reviewer = await loadReviewer(ctx, [report.groupId]);
        return reviewer && canReview(report, reviewer) ? [...actionsFor(report)] : [];
      },
    }),
  }),
});

export const ModerationLogEntryRef = builder.prismaObject('ModerationLogEntry', {
  fields: (t) => ({
    id: t.id({ resolve: (entry) => encodeGlobalId('ModerationLogEntry', entry.id) }),
    action: t.expose('action', { type: ModerationActionEnum }),
    actor: t.relation('actor', { type: PersonRef, nullable: true, description: 'The moderator or admin who acted.' }),
    subject: t.expose('subject', { type: ReportSubjectEnum }),
    subjectId: t.exposeID('subjectId', { description: 'What it acted on: a Message, Person or Group global id.' }),
    target: t.relation('targetUser', { type: PersonRef, nullable: true, description: 'The member acted on.' }),
    report: t.relation('report', { type: ReportRef, nullable: true }),
    group: t.relation('group', { type: GroupRef, nullable: true, description: 'The group it happened in.' }),
    note: t.exposeString('note'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    subjectGroup: t.field({
      type: ReportedGroupRef,
      nullable: true,
      description: 'The group acted on (GROUP entries), whatever its visibility: the log is for its readers.',
      select: { subject: true, subjectId: true },
      resolve: (entry, _args, ctx) => {
        const groupId = entry.subject === 'GROUP' ? decodeId(entry.subjectId, 'Group') : null;
        return groupId
          ? ctx.db.group.findUnique({ where: { id: groupId }, select: { id: true, name: true, slug: true } })
          : null;
      },
    }),
    undoAction: t.field({
      type: ModerationActionEnum,
      nullable: true,
      description:
        'UNHIDE or UNSUSPEND when this entry hid a profile or a group, or suspended a member, that is still so, and you may lift it (admins); else null.',
      select: { action: true, subject: true, subjectId: true, createdAt: true },
      resolve: async (entry, _args, ctx) => {
        const reversal = reversalOf(entry.action, entry.subject);
        if (!reversal || !canReverse(await viewerAsReviewer(ctx), reversal, entry.subject)) return null;
        // In force, and imposed by this entry: the row keeps the instant of the action that imposed it.
        const since = await imposedAt(ctx, reversal, entry.subject, entry.subjectId);
        return since?.getTime() === entry.createdAt.getTime() ? reversal : null;
      },
    }),
  }),
});

/** When the hiding or suspension a reversal would lift was imposed; null when it is not in force. */
async function imposedAt(
  ctx: Parameters<typeof viewerAsReviewer>[0],
  reversal: Reversal,
  subject: ReportSubject,
  subjectId: string,
): Promise<Date | null> {
  if (subject === 'GROUP') {
    const groupId = decodeId(subjectId, 'Group');
    const group = groupId && (await ctx.db.group.findUnique({ where: { id: groupId }, select: { hiddenAt: true } }));
    return group ? group.hiddenAt : null;
  }
  const userId = decodeId(subjectId, 'Person');
  const user =
    userId &&
    (await ctx.db.user.findUnique({ where: { id: userId }, select: { suspendedAt: true, profileHiddenAt: true } }));
  if (!user) return null;
  return reversal === 'UNSUSPEND' ? user.suspendedAt : user.profileHiddenAt;
}

const ModerationAccessRef = builder.objectRef<{ userId: string; isAdmin: boolean }>('ModerationAccess').implement({
  description: 'What you review: the instance’s reports (admins) and the groups you moderate.',
  fields: (t) => ({
    isInstanceAdmin: t.exposeBoolean('isAdmin'),
    groups: t.prismaField({
      type: [GroupRef],
      description: 'The groups whose reports you review, by name.',
      resolve: (query, access, _args, ctx) =>
        ctx.db.group.findMany({
          ...query,
          where: groupsWhereViewerCan(REVIEW_ACTION, access.userId),
          orderBy: { name: 'asc' },
        }),
    }),
    openReportCount: t.int({
      description: 'Open reports in every queue you review.',
      resolve: (access, _args, ctx) =>
        ctx.db.report.count({
          where: { status: 'OPEN', AND: [reviewableReportsWhere({ id: access.userId, isAdmin: access.isAdmin })] },
        }),
    }),
  }),
});

builder.prismaObjectFields(ViewerRef, (t) => ({
  moderation: t.field({
    type: ModerationAccessRef,
    resolve: async (user, _args, ctx) => {
      const reviewer = await viewerAsReviewer(ctx);
      return { userId: user.id, isAdmin: reviewer?.isAdmin ?? false };
    },
  }),
}));

/**
 * Whose queue or log a request asks for: a group's (its moderators; admins too, for the log), or
 * the instance's (admins). A group the viewer does not moderate looks like a missing one.
 */
async function scopeFor(
  ctx: Parameters<typeof loadReviewer>[0],
  groupArg: string | number | null | undefined,
  adminsReadGroups: boolean,
) {
  if (groupArg == null) {
    const reviewer = await viewerAsReviewer(ctx);
    if (!reviewer?.isAdmin) throw new ForbiddenError('Only the instance’s admins see this.');
    return { reviewer, groupId: null };
  }
  const groupId = decodeId(String(groupArg), 'Group');
  const reviewer = groupId ? await loadReviewer(ctx, [groupId]) : null;
  const allowed = reviewer && groupId && (canReview({ groupId }, reviewer) || (adminsReadGroups && reviewer.isAdmin));
  if (!allowed) throw new NotFoundError('That group');
  return { reviewer, groupId };
}

builder.queryFields((t) => ({
  moderationQueue: t.prismaConnection(
    {
      type: ReportRef,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      authScopes: { member: true },
      description:
        "Reports to review: a group's (its moderators) or, without groupId, the instance's (admins). Open ones oldest first; resolved ones newest first.",
      args: {
        groupId: t.arg.id({ required: false }),
        status: t.arg({ type: ReportStatusEnum, required: false, defaultValue: 'OPEN' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const { reviewer, groupId } = await scopeFor(ctx, args.groupId, false);
        const status = args.status ?? 'OPEN';
        return ctx.db.report.findMany({
          ...query,
          where: { groupId, status, AND: [reviewableReportsWhere(reviewer)] },
          orderBy: { id: status === 'OPEN' ? 'asc' : 'desc' },
        });
      },
    },
    { name: 'ReportConnection' },
    { name: 'ReportEdge' },
  ),
  moderationLog: t.prismaConnection(
    {
      type: ModerationLogEntryRef,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      authScopes: { member: true },
      description:
        "Every moderation action, newest first: a group's (its moderators and the admins) or, without groupId, all of them (admins).",
      args: { groupId: t.arg.id({ required: false }) },
      resolve: async (query, _root, args, ctx) => {
        const { reviewer, groupId } = await scopeFor(ctx, args.groupId, true);
        return ctx.db.moderationLogEntry.findMany({
          ...query,
          where: { ...(groupId ? { groupId } : {}), AND: [readableLogWhere(reviewer)] },
          orderBy: { id: 'desc' },
        });
      },
    },
    { name: 'ModerationLogEntryConnection' },
    { name: 'ModerationLogEntryEdge' },
  ),
}));
