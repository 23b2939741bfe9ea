import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ModerationAction, ReportSubject } from '../../generated/prisma/enums.js';
import { can, groupsWhereViewerCan, rolesWith } from '../groups/index.js';

// Every permission rule of reports and moderation, each written once: who reviews a report (the
// routing table), what a reviewer may do with it (the action table), what an admin may undo (the
// reversal table), who sees a report and who reads the moderation log. (A reporter sees their own report only in what reportContent answers,
// and learns its outcome from a notification.) The JS checks and the Prisma filters are made from the same tables;
// tests/api/safety-reports.test.ts checks them against each other over every reviewer and scope.
// (What a block stops is the people module's: people/blocking.policy.ts.)

export const REPORT_SUBJECTS = ['MESSAGE', 'PROFILE', 'GROUP'] as const satisfies readonly ReportSubject[];
export const MODERATION_ACTIONS = [
  'HIDE',
  'WARN',
  'REMOVE',
  'BAN',
  'SUSPEND',
  'DISMISS',
  'UNHIDE',
  'UNSUSPEND',
] as const satisfies readonly ModerationAction[];

/** Who reviews a report: the moderators of the group it happened in, or the instance's admins. */
export type ReviewScope = 'group' | 'instance';

/**
 * Where a report goes, by what it is about: a message in a group's channel to that group's
 * moderators; a message anywhere else (a direct message), a profile or a group to the instance's
 * admins (ADMIN_EMAILS). A report about a group goes to the admins, not to that group's own staff.
 */
export const REPORT_ROUTES = {
  channelMessage: 'group',
  otherMessage: 'instance',
  profile: 'instance',
  group: 'instance',
} as const satisfies Record<string, ReviewScope>;

/** The group action that makes a member one of a group's moderators (the groups matrix). */
export const REVIEW_ACTION = 'moderateChannels' as const;

/**
 * What a reviewer may do, by subject and scope. REMOVE and BAN need a group to remove from; the
 * instance's admins remove a member from the whole instance by suspending them (SUSPEND: every
 * session ends, sign-in is refused, the profile is hidden from everyone). HIDE hides a message
 * (a tombstone), a profile's own words, or a group (people.policy STANDING_SIGHT, groups.policy
 * HIDDEN_GROUP_SIGHT).
 */
export const REPORT_ACTIONS = {
  MESSAGE: { group: ['HIDE', 'WARN', 'REMOVE', 'BAN', 'DISMISS'], instance: ['HIDE', 'WARN', 'DISMISS'] },
  PROFILE: { group: [], instance: ['HIDE', 'WARN', 'SUSPEND', 'DISMISS'] },
  GROUP: { group: [], instance: ['HIDE', 'WARN', 'DISMISS'] },
} as const satisfies Record<ReportSubject, Record<ReviewScope, readonly ModerationAction[]>>;

export type ReportOutcome = (typeof REPORT_ACTIONS)[ReportSubject][ReviewScope][number];

/** Every outcome a report can have (what its reporter is told). */
export const REPORT_OUTCOMES: readonly ReportOutcome[] = [
  ...new Set<ReportOutcome>(Object.values(REPORT_ACTIONS).flatMap((scopes) => [...scopes.group, ...scopes.instance])),
];

/**
 * What lifts what, and on which subjects: an admin's hiding of a profile or a group and a
 * suspension can be undone (a hidden message stays a tombstone). Only the instance's admins may,
 * with no report: each is kept in the moderation log.
 */
export const REVERSALS = {
  UNHIDE: { undoes: 'HIDE', subjects: ['PROFILE', 'GROUP'] },
  UNSUSPEND: { undoes: 'SUSPEND', subjects: ['PROFILE'] },
} as const satisfies Record<string, { undoes: ModerationAction; subjects: readonly ReportSubject[] }>;

export type Reversal = keyof typeof REVERSALS;

/** May this viewer lift a hiding or a suspension? The instance's admins, who alone impose them. */
export function canReverse(reviewer: { isAdmin: boolean } | null, reversal: Reversal, subject: ReportSubject): boolean {
  return reviewer?.isAdmin === true && (REVERSALS[reversal].subjects as readonly ReportSubject[]).includes(subject);
}

/** The reversal that undoes an action on a subject, if there is one. */
export function reversalOf(action: ModerationAction, subject: ReportSubject): Reversal | null {
  for (const [reversal, rule] of Object.entries(REVERSALS) as Array<[Reversal, (typeof REVERSALS)[Reversal]]>) {
    if (rule.undoes === action && (rule.subjects as readonly ReportSubject[]).includes(subject)) return reversal;
  }
  return null;
}

/** An instance admin cannot be suspended: admins are whom ADMIN_EMAILS names, and one must not lock another out. */
export function maySuspend(
  adminEmails: readonly string[],
  target: { email: string; emailVerifiedAt: Date | null },
): boolean {
  return !isInstanceAdmin(adminEmails, target);
}

/** The group whose moderators review a report about a message; null: the instance's admins. */
export function reviewGroupOfMessage(conversation: { groupId: string | null }): string | null {
  // Only a group channel has a group; every other conversation is its participants'.
  const route = conversation.groupId ? REPORT_ROUTES.channelMessage : REPORT_ROUTES.otherMessage;
  return route === 'group' ? conversation.groupId : null;
}

export function reviewGroupOf(subject: 'PROFILE' | 'GROUP'): null {
  const route = subject === 'PROFILE' ? REPORT_ROUTES.profile : REPORT_ROUTES.group;
  if (route !== 'instance') throw new Error(`REPORT_ROUTES: ${subject} must go to the instance's admins`);
  return null;
}

export function scopeOf(report: { groupId: string | null }): ReviewScope {
  return report.groupId ? 'group' : 'instance';
}

export function actionsFor(report: { subject: ReportSubject; groupId: string | null }): readonly ModerationAction[] {
  return REPORT_ACTIONS[report.subject][scopeOf(report)];
}

// ── Who reviews ─────────────────────────────────────────────────────────

/** An instance admin: a member whose address is in ADMIN_EMAILS and proven (verified). */
export function isInstanceAdmin(
  adminEmails: readonly string[],
  user: { email: string; emailVerifiedAt: Date | null } | null,
): boolean {
  // Unverified, anyone could sign up with an admin's address before they do.
  return user !== null && user.emailVerifiedAt !== null && adminEmails.includes(user.email.toLowerCase());
}

/** What a viewer reviews: the instance's reports (admins) and the groups they moderate. */
export interface Reviewer {
  id: string;
  isAdmin: boolean;
  /** The viewer's role by group id, for the groups a check asks about. */
  roleIn(groupId: string): Parameters<typeof can>[0];
}

/** The JS check: may this viewer review (see in the queue, act on) this report? */
export function canReview(report: { groupId: string | null }, reviewer: Reviewer): boolean {
  return report.groupId ? can(reviewer.roleIn(report.groupId), REVIEW_ACTION) : reviewer.isAdmin;
}

/** The same rule as a Prisma filter on Report. */
export function reviewableReportsWhere(reviewer: { id: string; isAdmin: boolean }): Prisma.ReportWhereInput {
  const inGroups: Prisma.ReportWhereInput = { group: groupsWhereViewerCan(REVIEW_ACTION, reviewer.id) };
  return reviewer.isAdmin ? { OR: [{ groupId: null }, inGroups] } : inGroups;
}

/** The moderation log: admins read all of it; a group's moderators read their group's entries. */
export function canReadLog(entry: { groupId: string | null }, reviewer: Reviewer): boolean {
  return reviewer.isAdmin || (entry.groupId !== null && can(reviewer.roleIn(entry.groupId), REVIEW_ACTION));
}

export function readableLogWhere(reviewer: { id: string; isAdmin: boolean }): Prisma.ModerationLogEntryWhereInput {
  if (reviewer.isAdmin) return {};
  return { group: groupsWhereViewerCan(REVIEW_ACTION, reviewer.id) };
}

/** The roles whose holders review a group's reports, for finding whom to tell of a new one. */
export function reviewerRoles() {
  return rolesWith(REVIEW_ACTION);
}

/** A group's owner: warned about a report of the group. */
export function ownerRoles() {
  return rolesWith('transferOwnership');
}

// ── Loading the facts ───────────────────────────────────────────────────

const reviewers = new WeakMap<object, Promise<{ id: string; isAdmin: boolean } | null>>();

/** What the loaders read through: a request's context, or (a re-check) the same with a transaction as db. */
export type ReviewerFacts = Pick<Context, 'env' | 'viewer'> & { db: DbClient };

/** The signed-in viewer as a reviewer (whether they are an admin), once per request (per `ctx` object). */
export function viewerAsReviewer(ctx: ReviewerFacts): Promise<{ id: string; isAdmin: boolean } | null> {
  let found = reviewers.get(ctx);
  if (!found) {
    const viewerId = ctx.viewer?.id;
    found = viewerId
      ? ctx.db.user
          .findUnique({ where: { id: viewerId }, select: { email: true, emailVerifiedAt: true } })
          .then((user) => ({ id: viewerId, isAdmin: isInstanceAdmin(ctx.env.ADMIN_EMAILS, user) }))
      : Promise.resolve(null);
    reviewers.set(ctx, found);
  }
  return found;
}

/** A Reviewer for the JS checks, with the viewer's roles in the groups asked about. */
export async function loadReviewer(ctx: ReviewerFacts, groupIds: readonly (string | null)[]): Promise<Reviewer | null> {
  const viewer = await viewerAsReviewer(ctx);
  if (!viewer) return null;
  const ids = [...new Set(groupIds.filter((id): id is string => id !== null))];
  const memberships =
    ids.length === 0
      ? []
      : await ctx.db.membership.findMany({
          where: { userId: viewer.id, groupId: { in: ids } },
          select: { groupId: true, role: true },
        });
  const roles = new Map(memberships.map((membership) => [membership.groupId, membership.role]));
  return { ...viewer, roleIn: (groupId) => roles.get(groupId) ?? null };
}

/**
 * The Reviewer as the transaction `tx` sees it now, never cached: an action re-checks its rights
 * once its locks are held (a moderator's role changes only under the group row's lock).
 */
export function loadReviewerIn(
  tx: DbClient,
  ctx: Pick<Context, 'env' | 'viewer'>,
  groupIds: readonly (string | null)[],
): Promise<Reviewer | null> {
  return loadReviewer({ db: tx, env: ctx.env, viewer: ctx.viewer }, groupIds);
}
