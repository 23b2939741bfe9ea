import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { GroupRole, GroupVisibility } from '../../generated/prisma/enums.js';

// Every permission rule of the groups module (events included), each written once. A rule that
// a database filter needs too is a table here, and its JS check, Prisma filter and SQL fragment
// are all made from that table; tests/api/policy-twins.test.ts runs the three against every
// combination of visibility and viewer on a real database. Queries, mutations, node(), lists,
// live events and other modules (through index.ts) call these functions; nothing else in the
// module compares a visibility or lists roles (server/src/modules/policy-files.test.ts).

export const GROUP_VISIBILITIES = ['PUBLIC', 'PRIVATE', 'SECRET'] as const satisfies readonly GroupVisibility[];
export const GROUP_ROLES = ['OWNER', 'ADMIN', 'MODERATOR', 'MEMBER'] as const satisfies readonly GroupRole[];

// ── What of a group a viewer sees ────────────────────────────────────────

/** `signedIn`: every signed-in member; `members`: the group's own members (any role). */
type Audience = 'signedIn' | 'members';

/**
 * Who sees what, by the group's visibility. Invites, bans and pending requests change nothing
 * here (a direct invitee learns the group's name from the invite itself, GroupInvite.group).
 */
export const GROUP_SIGHT = {
  /** The group itself: node(), group(slug), search, chapters, and that its events exist. */
  group: { PUBLIC: 'signedIn', PRIVATE: 'signedIn', SECRET: 'members' },
  /** Its insides: the member list, who is coming to an event, an event's place and link. */
  insides: { PUBLIC: 'signedIn', PRIVATE: 'members', SECRET: 'members' },
} as const satisfies Record<string, Record<GroupVisibility, Audience>>;

export type GroupSight = keyof typeof GROUP_SIGHT;

/**
 * A group the instance's admins hid (modules/safety) is seen by this audience instead, whatever
 * its visibility: it leaves search, the directory's group filter, node() and every list for
 * everyone but its members, who still see it (with a banner, Group.hiddenByAdmins). Hiding only
 * ever narrows who sees a group: the narrower of the two tables applies (audienceFor).
 */
export const HIDDEN_GROUP_SIGHT = { group: 'members', insides: 'members' } as const satisfies Record<
  GroupSight,
  Audience
>;

/** What decides who sees a group: its visibility, and whether the admins hid it. */
export interface GroupFacts {
  visibility: GroupVisibility;
  hiddenAt: Date | null;
}

export interface GroupViewer {
  signedIn: boolean;
  /** The viewer's role in the group; null when not a member. */
  role: GroupRole | null | undefined;
}

function audienceFor(what: GroupSight, visibility: GroupVisibility, hidden: boolean): Audience {
  return hidden && HIDDEN_GROUP_SIGHT[what] === 'members' ? 'members' : GROUP_SIGHT[what][visibility];
}

/** The visibilities whose `what` every signed-in member sees, for a listed or a hidden group. */
function openVisibilities(what: GroupSight, hidden: boolean): GroupVisibility[] {
  return GROUP_VISIBILITIES.filter((visibility) => audienceFor(what, visibility, hidden) === 'signedIn');
}

/** The JS check, over facts already loaded. */
export function maySee(what: GroupSight, group: GroupFacts, viewer: GroupViewer): boolean {
  if (!viewer.signedIn) return false;
  return audienceFor(what, group.visibility, group.hiddenAt !== null) === 'signedIn' || viewer.role != null;
}

/** The same rule as a Prisma filter on Group. */
export function seenGroupsWhere(what: GroupSight, viewerId: string | null | undefined): Prisma.GroupWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { hiddenAt: null, visibility: { in: openVisibilities(what, false) } },
      { hiddenAt: { not: null }, visibility: { in: openVisibilities(what, true) } },
      { memberships: { some: { userId: viewerId } } },
    ],
  };
}

/** `<alias>."visibility" IN (…)`: enum literals from the closed list above, not user input. */
function visibilityInSql(group: string, visibilities: readonly GroupVisibility[]): Prisma.Sql {
  if (visibilities.length === 0) return Prisma.sql`false`;
  return Prisma.raw(`${group}."visibility" IN (${visibilities.map((visibility) => `'${visibility}'`).join(', ')})`);
}

/** The same rule in SQL: a boolean expression over the "Group" row aliased `group` (e.g. `g`). */
export function seenGroupSql(what: GroupSight, group: string, viewerId: string | null | undefined): Prisma.Sql {
  if (!viewerId) return Prisma.sql`false`;
  if (!/^[a-z_]+$/.test(group)) throw new Error(`not an SQL alias: ${group}`);
  const alias = Prisma.raw(group);
  return Prisma.sql`((${alias}."hiddenAt" IS NULL AND ${visibilityInSql(group, openVisibilities(what, false))})
    OR (${alias}."hiddenAt" IS NOT NULL AND ${visibilityInSql(group, openVisibilities(what, true))})
    OR EXISTS (SELECT 1 FROM "Membership" policy_m
      WHERE policy_m."groupId" = ${alias}."id" AND policy_m."userId" = ${viewerId}::uuid))`;
}

/** Whether the admins hid this group (the banner its members see). */
export function isHiddenByAdmins(group: { hiddenAt: Date | null }): boolean {
  return group.hiddenAt !== null;
}

/** SECRET (and hidden) groups exist only for their members; PUBLIC and PRIVATE are visible to signed-in members. */
export function canViewGroup(group: GroupFacts, viewer: GroupViewer): boolean {
  return maySee('group', group, viewer);
}

/** canViewGroup as a Prisma filter, for lists, search and node(). Events: `{ group: visibleGroupsWhere(id) }`. */
export function visibleGroupsWhere(viewerId: string | null | undefined): Prisma.GroupWhereInput {
  return seenGroupsWhere('group', viewerId);
}

/** Members, attendees and where an event happens: PUBLIC groups' for everyone signed in, else members'. */
export function canSeeGroupInsides(group: GroupFacts, viewer: GroupViewer): boolean {
  return maySee('insides', group, viewer);
}

export function groupInsidesWhere(viewerId: string | null | undefined): Prisma.GroupWhereInput {
  return seenGroupsWhere('insides', viewerId);
}

/** canSeeGroupInsides for one group by id, as an SQL boolean (the directory's group filter). */
export function groupInsidesVisibleSql(groupId: string, viewerId: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Group" policy_g WHERE policy_g."id" = ${groupId}::uuid
    AND ${seenGroupSql('insides', 'policy_g', viewerId)})`;
}

/** canSeeGroupInsides, loading the facts (one statement). Used by the Event fields and the .ics download. */
export async function groupInsidesVisible(db: DbClient, groupId: string, viewerId: string | null): Promise<boolean> {
  if (!viewerId) return false;
  const group = await db.group.findUnique({
    where: { id: groupId },
    select: {
      visibility: true,
      hiddenAt: true,
      memberships: { where: { userId: viewerId }, select: { role: true } },
    },
  });
  return group !== null && canSeeGroupInsides(group, { signedIn: true, role: group.memberships[0]?.role ?? null });
}

// ── How one joins, and what a chapter inherits ───────────────────────────

/** PUBLIC: join at once; PRIVATE: ask, a moderator decides; SECRET: only with an invite. */
export const JOIN_PATH = {
  PUBLIC: 'join',
  PRIVATE: 'request',
  SECRET: 'invite',
} as const satisfies Record<GroupVisibility, 'join' | 'request' | 'invite'>;

export function joinPathOf(group: { visibility: GroupVisibility }): (typeof JOIN_PATH)[GroupVisibility] {
  return JOIN_PATH[group.visibility];
}

/** A group only its members know of (SECRET): it takes no requests, and its chapters are hidden too. */
export function hiddenFromOutsiders(visibility: GroupVisibility): boolean {
  return GROUP_SIGHT.group[visibility] === 'members';
}

/** A chapter would give a hidden parent away: it takes the parent's visibility, whatever was asked. */
export function chapterVisibility(parent: GroupVisibility, wanted: GroupVisibility): GroupVisibility {
  return hiddenFromOutsiders(parent) ? parent : wanted;
}

// ── Roles ───────────────────────────────────────────────────────────────

export type GroupAction =
  | 'edit'
  | 'approveRequests'
  | 'invite'
  | 'changeRoles'
  | 'removeMembers'
  | 'ban'
  | 'createEvents'
  | 'rsvp'
  | 'createChapters'
  | 'transferOwnership'
  | 'delete'
  // In the group's chat channels (the chat module asks these through groups/index.ts):
  | 'createChannels'
  | 'moderateChannels';

/** The written permission matrix (also in the README, "Groups: who may do what"). */
export const PERMISSIONS: Record<GroupRole, ReadonlySet<GroupAction>> = {
  OWNER: new Set([
    'edit',
    'approveRequests',
    'invite',
    'changeRoles',
    'removeMembers',
    'ban',
    'createEvents',
    'rsvp',
    'createChapters',
    'transferOwnership',
    'delete',
    'createChannels',
    'moderateChannels',
  ]),
  ADMIN: new Set([
    'edit',
    'approveRequests',
    'invite',
    'changeRoles',
    'removeMembers',
    'ban',
    'createEvents',
    'rsvp',
    'createChapters',
    'createChannels',
    'moderateChannels',
  ]),
  MODERATOR: new Set(['approveRequests', 'invite', 'removeMembers', 'ban', 'createEvents', 'rsvp', 'moderateChannels']),
  MEMBER: new Set(['rsvp']),
};

const RANK: Record<GroupRole, number> = { OWNER: 3, ADMIN: 2, MODERATOR: 1, MEMBER: 0 };

export function can(role: GroupRole | null | undefined, action: GroupAction): boolean {
  return role ? PERMISSIONS[role].has(action) : false;
}

/** The roles that may do an action, for Prisma filters ("a moderator or above of this group"). */
export function rolesWith(action: GroupAction): GroupRole[] {
  return GROUP_ROLES.filter((role) => PERMISSIONS[role].has(action));
}

/** `can` as a Prisma filter on Group: the viewer holds a role allowed `action` in it. */
export function groupsWhereViewerCan(action: GroupAction, viewerId: string | null | undefined): Prisma.GroupWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return { memberships: { some: { userId: viewerId, role: { in: rolesWith(action) } } } };
}

/** The role that must hand over before leaving (there is always exactly one). */
export function holdsOwnership(role: GroupRole | null | undefined): boolean {
  return can(role, 'transferOwnership');
}

/** Roles act only on members strictly below them (an admin cannot remove another admin). */
export function outranks(actor: GroupRole | null | undefined, target: GroupRole): boolean {
  return actor ? RANK[actor] > RANK[target] : false;
}

/** Every action of Group.viewerPermissions as booleans. Chapters cannot have chapters. */
export function permissionsOf(role: GroupRole | null | undefined, group: { parentId: string | null }) {
  return {
    edit: can(role, 'edit'),
    approveRequests: can(role, 'approveRequests'),
    invite: can(role, 'invite'),
    changeRoles: can(role, 'changeRoles'),
    removeMembers: can(role, 'removeMembers'),
    ban: can(role, 'ban'),
    createEvents: can(role, 'createEvents'),
    createChapters: can(role, 'createChapters') && group.parentId === null,
  };
}

/**
 * Which role an actor may give a member: only roles strictly below their own, and never OWNER
 * (ownership moves only through transferOwnership).
 */
export function mayAssignRole(actor: GroupRole | null | undefined, target: GroupRole, newRole: GroupRole): boolean {
  return can(actor, 'changeRoles') && newRole !== 'OWNER' && outranks(actor, target) && outranks(actor, newRole);
}

export async function viewerRole(db: DbClient, groupId: string, viewerId: string | null | undefined) {
  if (!viewerId) return null;
  const membership = await db.membership.findUnique({
    where: { groupId_userId: { groupId, userId: viewerId } },
    select: { role: true },
  });
  return membership?.role ?? null;
}

// ── Invites, requests, domains ───────────────────────────────────────────

/** A direct or link invite that can still be used: not revoked, not accepted, not expired. */
export function isInviteLive(
  invite: { revokedAt: Date | null; acceptedAt: Date | null; expiresAt: Date | null },
  now: Date,
): boolean {
  return (
    invite.revokedAt === null && invite.acceptedAt === null && (invite.expiresAt === null || invite.expiresAt > now)
  );
}

export function liveInviteWhere(now: Date): Prisma.GroupInviteWhereInput {
  return { revokedAt: null, acceptedAt: null, AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }] };
}

/**
 * Who sees an invite: whoever may invite in its group; the member it is addressed to while it is
 * live and they are not banned (through it they learn the group's name, even a secret one); and
 * that invitee once they are a member.
 */
export function visibleInvitesWhere(viewerId: string | null | undefined, now: Date): Prisma.GroupInviteWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { inviteeId: viewerId, ...liveInviteWhere(now), group: { bans: { none: { userId: viewerId } } } },
      { inviteeId: viewerId, group: { memberships: { some: { userId: viewerId } } } },
      { group: groupsWhereViewerCan('invite', viewerId) },
    ],
  };
}

/** Who sees a join request: its requester while they may see the group, and the group's approvers. */
export function visibleJoinRequestsWhere(viewerId: string | null | undefined): Prisma.JoinRequestWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { userId: viewerId, group: visibleGroupsWhere(viewerId) },
      { group: groupsWhereViewerCan('approveRequests', viewerId) },
    ],
  };
}

/** PROGRAM groups with an allowedEmailDomain admit only members whose verified address is on it. */
export function emailDomainAllowed(
  allowedEmailDomain: string | null | undefined,
  user: { email: string; emailVerifiedAt: Date | null },
): boolean {
  if (!allowedEmailDomain) return true;
  if (!user.emailVerifiedAt) return false;
  const domain = user.email.slice(user.email.lastIndexOf('@') + 1).toLowerCase();
  return domain === allowedEmailDomain.toLowerCase();
}
