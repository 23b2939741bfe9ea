import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { ModerationAction, ReportSubject } from '../../generated/prisma/enums.js';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { hitRateLimit } from '../../lib/rate-limit.js';
import {
  conversationAccess,
  type HiddenMessage,
  hideMessageInTransaction,
  publishHiddenMessage,
} from '../chat/index.js';
import { isSuspended, publishRevokedSessions, setSuspendedInTransaction } from '../accounts/index.js';
import {
  afterMembershipEnded,
  banMemberInTransaction,
  isHiddenByAdmins,
  lockGroup,
  removeMemberInTransaction,
  setGroupHiddenInTransaction,
  visibleGroupsWhere,
} from '../groups/index.js';
import { isProfileHidden, setProfileHiddenInTransaction } from '../people/index.js';
import { type CreatedNotification, notify, publishNotifications } from '../notifications/index.js';
import { moderationWarning, reportReceived, reportResolved } from './safety.notifications.js';
import {
  actionsFor,
  canReverse,
  canReview,
  isInstanceAdmin,
  loadReviewer,
  loadReviewerIn,
  maySuspend,
  ownerRoles,
  type Reversal,
  reviewerRoles,
  reviewGroupOf,
  reviewGroupOfMessage,
  viewerAsReviewer,
} from './safety.policy.js';

// Every write of reports and moderation: one transaction each, notifications stored inside it and
// published after it commits. A moderation action, its report's new state, the reporters' outcome
// notifications and the log entry commit together or not at all.
//
// Lock order of a moderation action: the group row (the report's group, whatever the action, as
// every membership change — and so every change of a moderator's role — takes it first; HIDE of a
// group: the group reported), then the open reports the action settles in id order, then (HIDE)
// the conversation row or the member's row (HIDE of a profile, SUSPEND).

type Ctx = Pick<Context, 'db' | 'pubsub' | 'viewer' | 'env' | 'sessionCache'>;

/** Reports one member may file per hour: plenty for a person, a wall for a script. */
export const REPORT_RATE_LIMIT = { name: 'report', limit: 20, windowMs: 60 * 60_000 };

export interface ReportInput {
  subject: ReportSubject;
  /** The row id of the message, member or group. */
  id: string;
  reason: string;
}

function viewerIdOf(ctx: Ctx): string {
  if (!ctx.viewer) throw new ForbiddenError('Sign in to do this.');
  return ctx.viewer.id;
}

interface Target {
  messageId: string | null;
  subjectUserId: string | null;
  subjectGroupId: string | null;
  groupId: string | null;
  excerpt: string | null;
}

/** What the report is about, if the reporter may see it; NotFoundError otherwise. */
async function targetOf(db: DbClient, viewerId: string, input: ReportInput): Promise<Target> {
  if (input.subject === 'MESSAGE') {
    const message = await db.message.findUnique({
      where: { id: input.id },
      select: { id: true, conversationId: true, senderId: true, body: true, deletedAt: true },
    });
    const access = message && (await conversationAccess(db, message.conversationId, viewerId));
    if (!message || !access || message.deletedAt) throw new NotFoundError('That message');
    if (message.senderId === viewerId)
      throw new ValidationError([{ path: 'subjectId', message: 'You cannot report your own message.' }]);
    return {
      messageId: message.id,
      subjectUserId: message.senderId,
      subjectGroupId: null,
      groupId: reviewGroupOfMessage(access),
      excerpt: message.body,
    };
  }
  if (input.subject === 'PROFILE') {
    const user = await db.user.findUnique({ where: { id: input.id }, select: { id: true } });
    if (!user) throw new NotFoundError('That member');
    if (user.id === viewerId)
      throw new ValidationError([{ path: 'subjectId', message: 'You cannot report yourself.' }]);
    return {
      messageId: null,
      subjectUserId: user.id,
      subjectGroupId: null,
      groupId: reviewGroupOf('PROFILE'),
      excerpt: null,
    };
  }
  const group = await db.group.findFirst({
    where: { id: input.id, AND: [visibleGroupsWhere(viewerId)] },
    select: { id: true },
  });
  if (!group) throw new NotFoundError('That group');
  return {
    messageId: null,
    subjectUserId: null,
    subjectGroupId: group.id,
    groupId: reviewGroupOf('GROUP'),
    excerpt: null,
  };
}

/** Who reviews a report of this scope now: the group's moderators, or the verified admins. */
async function reviewerIds(tx: DbClient, env: Ctx['env'], groupId: string | null): Promise<string[]> {
  if (groupId) {
    const rows = await tx.membership.findMany({
      where: { groupId, role: { in: reviewerRoles() } },
      select: { userId: true },
    });
    return rows.map((row) => row.userId);
  }
  if (env.ADMIN_EMAILS.length === 0) return [];
  const admins = await tx.user.findMany({
    where: { email: { in: [...env.ADMIN_EMAILS] } },
    select: { id: true, email: true, emailVerifiedAt: true },
  });
  return admins.filter((user) => isInstanceAdmin(env.ADMIN_EMAILS, user)).map((user) => user.id);
}

export async function fileReport(ctx: Ctx, input: ReportInput): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const verdict = await hitRateLimit(ctx.db, REPORT_RATE_LIMIT, viewerId);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
  const notes: CreatedNotification[] = [];
  const reportId = await ctx.db.$transaction(async (tx) => {
    const target = await targetOf(tx, viewerId, input);
    const open = await tx.report.findFirst({
      where: {
        reporterId: viewerId,
        status: 'OPEN',
        subject: input.subject,
        messageId: target.messageId,
        subjectUserId: input.subject === 'PROFILE' ? target.subjectUserId : undefined,
        subjectGroupId: target.subjectGroupId,
      },
      select: { id: true },
    });
    if (open) throw alreadyReported();
    // Two of the same report filed at once both pass that read: the partial unique index (one
    // open report per reporter and subject) has the last word.
    const report = await tx.report
      .create({
        data: { reporterId: viewerId, subject: input.subject, reason: input.reason, ...target },
        select: { id: true },
      })
      .catch((error: unknown) => {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw alreadyReported();
        throw error;
      });
    notes.push(
      ...(await notify(tx, {
        kind: reportReceived,
        // Nobody is named: the reviewers see the reporter in the queue, the notification says nothing.
        actorId: null,
        recipientIds: (await reviewerIds(tx, ctx.env, target.groupId)).filter((id) => id !== viewerId),
        subjectId: encodeGlobalId('Report', report.id),
        data: { reportId: report.id },
      })),
    );
    return report.id;
  });
  publishNotifications(ctx.pubsub, notes);
  return reportId;
}

function alreadyReported(): ConflictError {
  return new ConflictError('ALREADY_REPORTED', 'You already reported this; the moderators will look at it.');
}

/** The column that names what a report is about. */
const SUBJECT_COLUMN = {
  MESSAGE: Prisma.raw('"messageId"'),
  PROFILE: Prisma.raw('"subjectUserId"'),
  GROUP: Prisma.raw('"subjectGroupId"'),
} as const satisfies Record<ReportSubject, Prisma.Sql>;

interface ReportKey {
  id: string;
  subject: ReportSubject;
  groupId: string | null;
  messageId: string | null;
  subjectUserId: string | null;
  subjectGroupId: string | null;
}

/**
 * Locks the reports an action settles, in id order, and returns those still open: the report
 * itself and (unless only it) every open report of the same content in the same queue. A report
 * whose content row is gone (its reference set to null) settles only itself: null never matches.
 */
async function lockOpenReports(
  tx: DbClient,
  report: ReportKey,
  onlyItself: boolean,
): Promise<Array<{ id: string; reporterId: string | null }>> {
  const key =
    report.subject === 'MESSAGE'
      ? report.messageId
      : report.subject === 'PROFILE'
        ? report.subjectUserId
        : report.subjectGroupId;
  const sameContent =
    onlyItself || key === null
      ? Prisma.empty
      : Prisma.sql`OR ("subject" = ${report.subject}::"ReportSubject"
          AND ${SUBJECT_COLUMN[report.subject]} = ${key}::uuid
          AND ${report.groupId === null ? Prisma.sql`"groupId" IS NULL` : Prisma.sql`"groupId" = ${report.groupId}::uuid`})`;
  return tx.$queryRaw<Array<{ id: string; reporterId: string | null }>>`
    SELECT "id"::text AS "id", "reporterId"::text AS "reporterId" FROM "Report"
    WHERE "status" = 'OPEN' AND ("id" = ${report.id}::uuid ${sameContent})
    ORDER BY "id" FOR UPDATE`;
}

export interface ResolveInput {
  reportId: string;
  action: ModerationAction;
  note: string;
}

/** Where the reporter's outcome notification leads: what they reported, as they could see it. */
function reportedPath(report: {
  subject: ReportSubject;
  messageId: string | null;
  subjectUserId: string | null;
  conversationId: string | null;
  subjectGroupSlug: string | null;
}): string {
  if (report.subject === 'PROFILE' && report.subjectUserId)
    return `/people/${encodeURIComponent(encodeGlobalId('Person', report.subjectUserId))}`;
  if (report.subject === 'GROUP' && report.subjectGroupSlug)
    return `/groups/${encodeURIComponent(report.subjectGroupSlug)}`;
  if (report.subject === 'MESSAGE' && report.conversationId && report.messageId) {
    const conversation = encodeURIComponent(encodeGlobalId('Conversation', report.conversationId));
    return `/chat/${conversation}?message=${encodeURIComponent(encodeGlobalId('Message', report.messageId))}`;
  }
  return '/notifications';
}

export async function resolveReport(ctx: Ctx, input: ResolveInput): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const first = await ctx.db.report.findUnique({
    where: { id: input.reportId },
    select: { id: true, groupId: true, subject: true, messageId: true, subjectUserId: true, subjectGroupId: true },
  });
  const reviewer = first && (await loadReviewer(ctx, [first.groupId]));
  if (!first || !reviewer || !canReview(first, reviewer)) throw new NotFoundError('That report');
  if (!actionsFor(first).includes(input.action)) {
    throw new ConflictError('ACTION_NOT_AVAILABLE', `That action is not available for this report.`);
  }
  if (input.action === 'WARN' && input.note === '') {
    throw new ValidationError([{ path: 'note', message: 'Write the warning the member will receive.' }]);
  }
  const notes: CreatedNotification[] = [];
  let hidden: HiddenMessage | null = null;
  let ended: { userId: string; groupId: string } | null = null;
  let suspended: { userId: string; sessionIds: string[] } | null = null;
  await ctx.db.$transaction(async (tx) => {
    // The group first, as every membership change does (a moderator's role changes under it); a
    // report's scope and subject never change.
    if (first.groupId) await lockGroup(tx, first.groupId);
    else if (input.action === 'HIDE' && first.subject === 'GROUP' && first.subjectGroupId) {
      await lockGroup(tx, first.subjectGroupId);
    }
    // Then every report this settles, in id order: two reviewers acting on two reports of one
    // message wait for each other instead of deadlocking, and each report is settled once.
    // An action on the content settles every open report of it in this queue; a dismissal only this one.
    const settled = await lockOpenReports(tx, first, input.action === 'DISMISS');
    // The rights again, now that whatever changes them waits for this: a moderator demoted
    // since the check above acts on nothing.
    const reviewerNow = await loadReviewerIn(tx, ctx, [first.groupId]);
    if (!reviewerNow || !canReview(first, reviewerNow)) throw new NotFoundError('That report');
    if (!settled.some((row) => row.id === first.id))
      throw new ConflictError('ALREADY_RESOLVED', 'Someone already acted on this report.');
    const report = await tx.report.findUniqueOrThrow({
      where: { id: input.reportId },
      select: {
        id: true,
        subject: true,
        groupId: true,
        messageId: true,
        subjectUserId: true,
        subjectGroupId: true,
        message: { select: { conversationId: true } },
        subjectGroup: { select: { slug: true } },
      },
    });
    const target = report.subjectUserId;
    // One instant for the action, the report and the log entry: the log entry that hid a profile or
    // a group, or suspended a member, is the one whose time the row holds (ModerationLogEntry.undoAction).
    const resolvedAt = new Date();
    switch (input.action) {
      case 'HIDE':
        if (report.subject === 'MESSAGE' && report.messageId) {
          hidden = await hideMessageInTransaction(tx, report.messageId, viewerId);
        } else if (report.subject === 'PROFILE' && target) {
          await hideProfile(tx, target, resolvedAt);
        } else if (report.subject === 'GROUP' && report.subjectGroupId) {
          await hideGroup(tx, report.subjectGroupId, resolvedAt);
        }
        break;
      case 'SUSPEND':
        if (!target) throw new NotFoundError('That member');
        suspended = { userId: target, sessionIds: await suspend(tx, ctx.env, target, resolvedAt) };
        break;
      case 'WARN': {
        const warned = target
          ? [target]
          : report.subjectGroupId
            ? (
                await tx.membership.findMany({
                  where: { groupId: report.subjectGroupId, role: { in: ownerRoles() } },
                  select: { userId: true },
                })
              ).map((row) => row.userId)
            : [];
        notes.push(
          ...(await notify(tx, {
            kind: moderationWarning,
            actorId: null,
            recipientIds: warned,
            subjectId: encodeGlobalId('Report', report.id),
            data: { groupId: report.groupId, note: input.note },
          })),
        );
        break;
      }
      case 'REMOVE':
      case 'BAN':
        if (!target || !report.groupId) throw new NotFoundError('That member');
        if (input.action === 'REMOVE') await removeMemberInTransaction(tx, notes, viewerId, report.groupId, target);
        else
          await banMemberInTransaction(tx, notes, viewerId, report.groupId, target, input.note || 'Reported content');
        ended = { userId: target, groupId: report.groupId };
        break;
      case 'DISMISS':
        break;
      case 'UNHIDE':
      case 'UNSUSPEND':
        // Not report outcomes (actionsFor never offers them): liftModeration.
        throw new ConflictError('ACTION_NOT_AVAILABLE', 'That action is not available for this report.');
    }
    await tx.report.updateMany({
      where: { id: { in: settled.map((row) => row.id) }, status: 'OPEN' },
      data: { status: 'RESOLVED', outcome: input.action, resolvedById: viewerId, resolvedAt },
    });
    await tx.moderationLogEntry.create({
      data: {
        actorId: viewerId,
        action: input.action,
        reportId: report.id,
        groupId: report.groupId,
        subject: report.subject,
        subjectId: subjectGlobalId(report),
        targetUserId: report.subject === 'GROUP' ? null : target,
        note: input.note,
        createdAt: resolvedAt,
      },
    });
    const href = reportedPath({
      ...report,
      conversationId: report.message?.conversationId ?? null,
      subjectGroupSlug: report.subjectGroup?.slug ?? null,
    });
    for (const row of settled) {
      if (!row.reporterId) continue;
      notes.push(
        ...(await notify(tx, {
          kind: reportResolved,
          actorId: null,
          recipientIds: [row.reporterId],
          subjectId: encodeGlobalId('Report', row.id),
          data: { reportId: row.id, subject: report.subject, outcome: input.action, href },
        })),
      );
    }
  });
  publishNotifications(ctx.pubsub, notes);
  // Every instance forgets the suspended member's sessions and closes their sockets.
  if (suspended) {
    const { userId, sessionIds } = suspended as { userId: string; sessionIds: string[] };
    await publishRevokedSessions(ctx, userId, sessionIds);
  }
  if (ended) afterMembershipEnded(ctx, [], ended);
  if (hidden) await publishHiddenMessage(ctx, hidden);
  return input.reportId;
}

// ── The admins' instance-wide actions: hide a profile or a group, suspend; and lift each ──────
//
// Lock order: the group row (hiding a group) first, then the open report rows, then the member's row.
// Hiding what is hidden, or suspending the suspended, keeps the first instant (its log entry stays
// the one to undo).

async function hideProfile(tx: DbClient, userId: string, at: Date): Promise<void> {
  if (!(await setProfileHiddenInTransaction(tx, userId, at))) throw new NotFoundError('That member');
}

async function hideGroup(tx: DbClient, groupId: string, at: Date): Promise<void> {
  if (!(await setGroupHiddenInTransaction(tx, groupId, at))) throw new NotFoundError('That group');
}

/** Suspends a member, ending their sessions; returns the sessions to close after commit. */
async function suspend(tx: DbClient, env: Ctx['env'], userId: string, at: Date): Promise<string[]> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, emailVerifiedAt: true } });
  if (!user) throw new NotFoundError('That member');
  if (!maySuspend(env.ADMIN_EMAILS, user)) {
    throw new ConflictError('ACTION_NOT_AVAILABLE', 'An admin of this Guildhall cannot be suspended.');
  }
  const done = await setSuspendedInTransaction(tx, userId, at);
  if (!done) throw new NotFoundError('That member');
  return done.revokedSessionIds;
}

export interface LiftInput {
  reversal: Reversal;
  subject: 'PROFILE' | 'GROUP';
  /** The row id of the member or group. */
  id: string;
  note: string;
}

/**
 * Lifts an admin's hiding of a profile or a group, or a suspension (admins only; anyone else is
 * told it does not exist). One transaction: the row, then its log entry. Returns the entry's id.
 */
export async function liftModeration(ctx: Ctx, input: LiftInput): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const what = input.subject === 'PROFILE' ? 'That member' : 'That group';
  if (!canReverse(await viewerAsReviewer(ctx), input.reversal, input.subject)) throw new NotFoundError(what);
  return ctx.db.$transaction(async (tx) => {
    let wasInForce: boolean;
    if (input.subject === 'GROUP') {
      const before = await setGroupHiddenInTransaction(tx, input.id, null);
      if (!before) throw new NotFoundError(what);
      wasInForce = isHiddenByAdmins(before);
    } else if (input.reversal === 'UNHIDE') {
      const before = await setProfileHiddenInTransaction(tx, input.id, null);
      if (!before) throw new NotFoundError(what);
      wasInForce = isProfileHidden(before);
    } else {
      const done = await setSuspendedInTransaction(tx, input.id, null);
      if (!done) throw new NotFoundError(what);
      wasInForce = isSuspended(done.before);
    }
    if (!wasInForce) {
      throw new ConflictError(
        'NOT_IN_FORCE',
        input.reversal === 'UNSUSPEND' ? 'This member is not suspended.' : 'This is not hidden.',
      );
    }
    const entry = await tx.moderationLogEntry.create({
      data: {
        actorId: viewerId,
        action: input.reversal,
        reportId: null,
        groupId: null,
        subject: input.subject,
        subjectId: encodeGlobalId(input.subject === 'PROFILE' ? 'Person' : 'Group', input.id),
        targetUserId: input.subject === 'PROFILE' ? input.id : null,
        note: input.note,
      },
      select: { id: true },
    });
    return entry.id;
  });
}

function subjectGlobalId(report: {
  subject: ReportSubject;
  messageId: string | null;
  subjectUserId: string | null;
  subjectGroupId: string | null;
}): string {
  if (report.subject === 'MESSAGE') return encodeGlobalId('Message', report.messageId ?? '');
  if (report.subject === 'PROFILE') return encodeGlobalId('Person', report.subjectUserId ?? '');
  return encodeGlobalId('Group', report.subjectGroupId ?? '');
}
