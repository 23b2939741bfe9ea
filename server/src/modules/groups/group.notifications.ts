import { z } from 'zod';
import { encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import {
  defineNotificationKind,
  NotificationRef,
  type NotificationReader,
  notificationReader,
} from '../notifications/index.js';
import { GroupInviteRef, JoinRequestRef } from './group.fields.js';
import { GroupRef } from './group.type.js';
import { canViewGroup, isInviteLive, visibleJoinRequestsWhere } from './groups.policy.js';

// The groups module's notification kinds (events declare theirs in events/event.notifications.ts).
// Each is visible to its recipient while they may see the group now; a join request's while they
// may see the request; a direct invite's while the invite is theirs to accept, even in a secret group.

export interface GroupSeen {
  id: string;
  name: string;
  slug: string;
  /** canViewGroup for the reader's recipient, now. */
  visible: boolean;
  /** The recipient's role; null when not a member. */
  role: 'OWNER' | 'ADMIN' | 'MODERATOR' | 'MEMBER' | null;
}

/** The groups a reader's notifications name, loaded once per reader (one statement per batch). */
export async function groupsSeen(
  reader: NotificationReader,
  groupIds: readonly string[],
): Promise<Map<string, GroupSeen | null>> {
  return reader.load('groups.group', groupIds, async (ids) => {
    const groups = await reader.db.group.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        name: true,
        slug: true,
        visibility: true,
        hiddenAt: true,
        memberships: { where: { userId: reader.recipientId }, select: { role: true } },
      },
    });
    return new Map(
      groups.map((group) => {
        const role = group.memberships[0]?.role ?? null;
        return [
          group.id,
          {
            id: group.id,
            name: group.name,
            slug: group.slug,
            role,
            visible: canViewGroup(group, { signedIn: true, role }),
          },
        ];
      }),
    );
  });
}

async function groupVisibility(reader: NotificationReader, groupIds: readonly string[]): Promise<boolean[]> {
  const groups = await groupsSeen(reader, groupIds);
  return groupIds.map((id) => groups.get(id)?.visible === true);
}

/** The `visible` of a kind that may be seen while its group may be (events' kinds use it too). */
export function visibleWhileGroupSeen<D extends { groupId: string }>(
  reader: NotificationReader,
  notifications: readonly { data: D }[],
): Promise<boolean[]> {
  return groupVisibility(
    reader,
    notifications.map((n) => n.data.groupId),
  );
}

/** The recipient's live direct invites by id (the invite of a GROUP_INVITE may be used up since). */
function liveInvites(reader: NotificationReader, inviteIds: readonly string[]) {
  return reader.load('groups.invite', inviteIds, async (ids) => {
    const invites = await reader.db.groupInvite.findMany({
      where: {
        id: { in: ids },
        inviteeId: reader.recipientId,
        group: { bans: { none: { userId: reader.recipientId } } },
      },
      select: { id: true, revokedAt: true, acceptedAt: true, expiresAt: true },
    });
    return new Map(invites.filter((invite) => isInviteLive(invite, reader.now)).map((invite) => [invite.id, true]));
  });
}

const groupData = z.object({ groupId: z.uuid() });
const joinRequestData = z.object({ groupId: z.uuid(), joinRequestId: z.uuid() });
const inviteData = z.object({ groupId: z.uuid(), inviteId: z.uuid() });

const groupPath = (group: { slug: string }) => `/groups/${encodeURIComponent(group.slug)}`;
const UNSEEN = 'a group you can no longer see';

async function groupAndActor(reader: NotificationReader, groupId: string, actorId: string | null) {
  const [groups, actorName] = await Promise.all([groupsSeen(reader, [groupId]), reader.userName(actorId)]);
  return { group: groups.get(groupId) ?? null, actorName };
}

async function joinRequestsSeen(reader: NotificationReader, requestIds: readonly string[]): Promise<boolean[]> {
  const seen = await reader.load('groups.joinRequest', requestIds, async (ids) => {
    const requests = await reader.db.joinRequest.findMany({
      where: { id: { in: ids }, AND: [visibleJoinRequestsWhere(reader.recipientId)] },
      select: { id: true },
    });
    return new Map(requests.map((request) => [request.id, true]));
  });
  return requestIds.map((id) => seen.get(id) === true);
}

export const joinRequestReceived = defineNotificationKind({
  kind: 'JOIN_REQUEST_RECEIVED',
  label: 'Join requests',
  description: 'Someone asks to join a group you moderate',
  data: joinRequestData,
  defaults: { inApp: true, email: false, digest: true },
  visible: (reader, notifications) =>
    joinRequestsSeen(
      reader,
      notifications.map((n) => n.data.joinRequestId),
    ),
  async describe(reader, notification) {
    const { group, actorName } = await groupAndActor(reader, notification.data.groupId, notification.actorId);
    return {
      text: `${actorName ?? 'Someone'} asked to join ${group?.name ?? UNSEEN}`,
      href: group ? `${groupPath(group)}/admin` : '/notifications',
    };
  },
});

export const joinRequestApproved = defineNotificationKind({
  kind: 'JOIN_REQUEST_APPROVED',
  label: 'Requests approved',
  description: 'Your request to join a group was approved',
  data: joinRequestData,
  defaults: { inApp: true, email: true, digest: false },
  visible: visibleWhileGroupSeen,
  async describe(reader, notification) {
    const { group, actorName } = await groupAndActor(reader, notification.data.groupId, notification.actorId);
    const name = group?.name ?? UNSEEN;
    return {
      text: actorName
        ? `${actorName} approved your request to join ${name}`
        : `Your request to join ${name} was approved`,
      href: group ? groupPath(group) : '/notifications',
    };
  },
});

export const joinRequestDeclined = defineNotificationKind({
  kind: 'JOIN_REQUEST_DECLINED',
  label: 'Requests declined',
  description: 'Your request to join a group was declined',
  data: joinRequestData,
  defaults: { inApp: true, email: false, digest: true },
  visible: visibleWhileGroupSeen,
  async describe(reader, notification) {
    const { group } = await groupAndActor(reader, notification.data.groupId, null);
    return {
      text: `Your request to join ${group?.name ?? UNSEEN} was declined`,
      href: group ? groupPath(group) : '/notifications',
    };
  },
});

export const groupInvited = defineNotificationKind({
  kind: 'GROUP_INVITE',
  label: 'Invitations',
  description: 'You are invited to a group',
  data: inviteData,
  defaults: { inApp: true, email: true, digest: false },
  // A live invite shows its group, even a secret one: the invitee must learn who invited them.
  async visible(reader, notifications) {
    const [groups, invites] = await Promise.all([
      groupVisibility(
        reader,
        notifications.map((n) => n.data.groupId),
      ),
      liveInvites(
        reader,
        notifications.map((n) => n.data.inviteId),
      ),
    ]);
    return notifications.map((n, index) => groups[index] === true || invites.get(n.data.inviteId) === true);
  },
  async describe(reader, notification) {
    const { groupId, inviteId } = notification.data;
    const [{ group, actorName }, invites] = await Promise.all([
      groupAndActor(reader, groupId, notification.actorId),
      liveInvites(reader, [inviteId]),
    ]);
    const name = group?.name ?? UNSEEN;
    const text = actorName ? `${actorName} invited you to join ${name}` : `You were invited to join ${name}`;
    if (!group) return { text, href: '/notifications' };
    // While it can be accepted, the group page offers Accept (and loads a secret group through it).
    const open = invites.get(inviteId) === true && group.role === null;
    return {
      text,
      href: open
        ? `${groupPath(group)}?invite=${encodeURIComponent(encodeGlobalId('GroupInvite', inviteId))}`
        : groupPath(group),
    };
  },
});

const ROLE_NAMES = { OWNER: 'the owner', ADMIN: 'an admin', MODERATOR: 'a moderator', MEMBER: 'a member' } as const;

export const roleChanged = defineNotificationKind({
  kind: 'ROLE_CHANGED',
  label: 'Your role',
  description: 'Your role in a group changed',
  data: groupData,
  defaults: { inApp: true, email: false, digest: true },
  visible: visibleWhileGroupSeen,
  async describe(reader, notification) {
    const { group, actorName } = await groupAndActor(reader, notification.data.groupId, notification.actorId);
    if (!group) return { text: `Your role in ${UNSEEN} changed`, href: '/notifications' };
    return {
      text: group.role
        ? `${actorName ? `${actorName} made you` : 'You are now'} ${ROLE_NAMES[group.role]} of ${group.name}`
        : `Your role in ${group.name} changed`,
      href: groupPath(group),
    };
  },
});

/** The ids a groups (or events) notification points at, if it is one of this module's kinds. */
export function groupsNotificationData(notification: { kind: string; data: unknown }) {
  const parsed = z
    .object({
      groupId: z.uuid(),
      eventId: z.uuid().optional(),
      joinRequestId: z.uuid().optional(),
      inviteId: z.uuid().optional(),
    })
    .safeParse(notification.data);
  return GROUPS_KINDS.has(notification.kind) && parsed.success ? parsed.data : null;
}

const GROUPS_KINDS = new Set<string>([
  joinRequestReceived.kind,
  joinRequestApproved.kind,
  joinRequestDeclined.kind,
  groupInvited.kind,
  roleChanged.kind,
  'EVENT_CREATED',
  'WAITLIST_PROMOTED',
]);

// What a group notification points at, for clients that refresh what it is about. Each is null
// unless the recipient may see the notification now (and the thing itself, by its own rule).
builder.prismaObjectFields(NotificationRef, (t) => ({
  group: t.prismaField({
    type: GroupRef,
    nullable: true,
    resolve: async (query, notification, _args, ctx) => {
      const data = groupsNotificationData(notification);
      const reader = notificationReader(ctx);
      if (!data || !reader || notification.recipientId !== reader.recipientId) return null;
      const [group] = await groupsSeen(reader, [data.groupId]).then((groups) => [groups.get(data.groupId)]);
      if (!group) return null;
      // A live invite names its group even when the invitee cannot see it otherwise.
      const invited = data.inviteId ? (await liveInvites(reader, [data.inviteId])).get(data.inviteId) === true : false;
      if (!group.visible && !invited) return null;
      return ctx.db.group.findUnique({ ...query, where: { id: group.id } });
    },
  }),
  joinRequest: t.prismaField({
    type: JoinRequestRef,
    nullable: true,
    description: 'The request, while you may still see it: your own, or one in a group you moderate.',
    resolve: async (query, notification, _args, ctx) => {
      const data = groupsNotificationData(notification);
      if (!data?.joinRequestId || !ctx.viewer || notification.recipientId !== ctx.viewer.id) return null;
      return ctx.db.joinRequest.findFirst({
        ...query,
        where: { id: data.joinRequestId, AND: [visibleJoinRequestsWhere(ctx.viewer.id)] },
      });
    },
  }),
  invite: t.prismaField({
    type: GroupInviteRef,
    nullable: true,
    description: 'For GROUP_INVITE: the direct invite while it is still yours to accept; null otherwise.',
    resolve: async (query, notification, _args, ctx) => {
      const data = groupsNotificationData(notification);
      const reader = notificationReader(ctx);
      if (!data?.inviteId || !reader || notification.recipientId !== reader.recipientId) return null;
      const [live, groups] = await Promise.all([
        liveInvites(reader, [data.inviteId]),
        groupsSeen(reader, [data.groupId]),
      ]);
      if (live.get(data.inviteId) !== true || groups.get(data.groupId)?.role) return null;
      return ctx.db.groupInvite.findUnique({ ...query, where: { id: data.inviteId } });
    },
  }),
}));
