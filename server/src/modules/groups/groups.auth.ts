import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { GroupRole, GroupVisibility } from '../../generated/prisma/enums.js';

// Who may do what in a group. Plain functions, so they are unit-tested without a server,
// and used by queries, mutations, subscriptions and node() alike.

export type GroupAction =
  | 'edit'
  | 'approveRequests'
  | 'invite'
  | 'changeRoles'
  | 'removeMembers'
  | 'ban'
  | 'createEvents'
  | 'createChapters'
  | 'delete';

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
    'createChapters',
    'delete',
  ]),
  ADMIN: new Set([
    'edit',
    'approveRequests',
    'invite',
    'changeRoles',
    'removeMembers',
    'ban',
    'createEvents',
    'createChapters',
  ]),
  MODERATOR: new Set(['approveRequests', 'invite', 'removeMembers', 'ban', 'createEvents']),
  MEMBER: new Set([]),
};

const RANK: Record<GroupRole, number> = { OWNER: 3, ADMIN: 2, MODERATOR: 1, MEMBER: 0 };

export function can(role: GroupRole | null | undefined, action: GroupAction): boolean {
  return role ? PERMISSIONS[role].has(action) : false;
}

/** Roles act only on members strictly below them (an admin cannot remove another admin). */
export function outranks(actor: GroupRole | null | undefined, target: GroupRole): boolean {
  return actor ? RANK[actor] > RANK[target] : false;
}

/** SECRET groups exist only for their members; PUBLIC and PRIVATE are visible to signed-in members. */
export function canViewGroup(
  group: { visibility: GroupVisibility },
  viewer: { signedIn: boolean; role: GroupRole | null | undefined },
): boolean {
  if (!viewer.signedIn) return false;
  return group.visibility !== 'SECRET' || viewer.role != null;
}

/** The same rule as a Prisma filter, for lists, search and node(). */
export function visibleGroupsWhere(viewerId: string | null | undefined): Prisma.GroupWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return { OR: [{ visibility: { in: ['PUBLIC', 'PRIVATE'] } }, { memberships: { some: { userId: viewerId } } }] };
}

export async function viewerRole(db: DbClient, groupId: string, viewerId: string | null | undefined) {
  if (!viewerId) return null;
  const membership = await db.membership.findUnique({
    where: { groupId_userId: { groupId, userId: viewerId } },
    select: { role: true },
  });
  return membership?.role ?? null;
}

/** The roles that may do an action, for Prisma filters ("a moderator or above of this group"). */
export function rolesWith(action: GroupAction): GroupRole[] {
  return (Object.keys(PERMISSIONS) as GroupRole[]).filter((role) => PERMISSIONS[role].has(action));
}

/** Every action of the matrix as booleans, for Group.viewerPermissions. Chapters cannot have chapters. */
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
