import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';

// A notification points at a group (and maybe an event in it). When the recipient may no longer
// see that group — they left or were removed from a SECRET group — the notification is hidden
// from their list, unread count and live stream, and its details (names, links) are redacted
// wherever it is still reached by id. A pending direct invite keeps its GROUP_INVITE visible:
// the invitee must learn which group invited them.

/** Direct invites to this member that can still be accepted. */
async function liveInviteIds(db: DbClient, viewerId: string): Promise<string[]> {
  const now = new Date();
  const invites = await db.groupInvite.findMany({
    where: {
      inviteeId: viewerId,
      revokedAt: null,
      acceptedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    select: { id: true },
  });
  return invites.map((invite) => invite.id);
}

/** The viewer's notifications that name a SECRET group the viewer is not in. */
async function hiddenGroupIds(db: DbClient, viewerId: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ groupId: string }>>`
    SELECT DISTINCT n."groupId"::text AS "groupId"
    FROM "Notification" n
    JOIN "Group" g ON g."id" = n."groupId"
    WHERE n."recipientId" = ${viewerId}::uuid
      AND g."visibility" = 'SECRET'
      AND NOT EXISTS (SELECT 1 FROM "Membership" m WHERE m."groupId" = g."id" AND m."userId" = ${viewerId}::uuid)`;
  return rows.map((row) => row.groupId);
}

/** Where-clause for the notifications this member may see in lists and counts. */
export async function visibleNotificationsWhere(
  db: DbClient,
  viewerId: string,
  options: { unreadOnly?: boolean } = {},
): Promise<Prisma.NotificationWhereInput> {
  const base: Prisma.NotificationWhereInput = {
    recipientId: viewerId,
    ...(options.unreadOnly ? { readAt: null } : {}),
  };
  const hidden = await hiddenGroupIds(db, viewerId);
  if (hidden.length === 0) return base;
  const invites = await liveInviteIds(db, viewerId);
  return {
    ...base,
    OR: [
      { groupId: null },
      { groupId: { notIn: hidden } },
      ...(invites.length > 0 ? [{ kind: 'GROUP_INVITE' as const, inviteId: { in: invites } }] : []),
    ],
  };
}

export async function unreadCount(db: DbClient, viewerId: string): Promise<number> {
  return db.notification.count({ where: await visibleNotificationsWhere(db, viewerId, { unreadOnly: true }) });
}

export interface GroupForNotification {
  id: string;
  name: string;
  slug: string;
}

const groupCache = new WeakMap<object, Map<string, Promise<GroupForNotification | null>>>();

/** A subscription keeps one context for its lifetime: each delivered event starts afresh. */
export function forgetGroupLookups(ctx: Context): void {
  groupCache.delete(ctx);
}

/**
 * The group a notification names, if its recipient (the viewer) may see it now; null otherwise.
 * Cached per request, since a list shows the same group many times.
 */
export function groupSeenBy(
  ctx: Context,
  notification: { groupId: string | null; kind: string; inviteId: string | null },
): Promise<GroupForNotification | null> {
  const viewerId = ctx.viewer?.id;
  if (!notification.groupId || !viewerId) return Promise.resolve(null);
  const invite = notification.kind === 'GROUP_INVITE' ? notification.inviteId : null;
  const key = `${notification.groupId}:${invite ?? ''}`;
  let cache = groupCache.get(ctx);
  if (!cache) groupCache.set(ctx, (cache = new Map()));
  let found = cache.get(key);
  if (!found) {
    found = (async () => {
      const group = await ctx.db.group.findUnique({
        where: { id: notification.groupId! },
        select: {
          id: true,
          name: true,
          slug: true,
          visibility: true,
          memberships: { where: { userId: viewerId }, select: { role: true } },
        },
      });
      if (!group) return null;
      const visible = group.visibility !== 'SECRET' || group.memberships.length > 0;
      if (visible) return { id: group.id, name: group.name, slug: group.slug };
      if (invite && (await liveInviteIds(ctx.db, viewerId)).includes(invite)) {
        return { id: group.id, name: group.name, slug: group.slug };
      }
      return null;
    })();
    cache.set(key, found);
  }
  return found;
}
