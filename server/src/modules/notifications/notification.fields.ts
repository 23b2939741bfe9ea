import { NotFoundError } from '../../lib/errors.js';
import { decodeId, encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/viewer.type.js';
import { GroupInviteRef, JoinRequestRef } from '../groups/group.fields.js';
import { GroupRef } from '../groups/group.type.js';
import { PERMISSIONS } from '../groups/groups.auth.js';
import { EventRef } from '../groups/events/event.type.js';
import { forgetViewerGroupState, viewerGroupState } from '../groups/viewer-state.js';
import { PersonRef } from '../people/person.type.js';
import type { Context } from '../../context.js';
import type { NotificationKind } from '../../generated/prisma/enums.js';
import { conversationAccess } from '../chat/chat.auth.js';
import { describeNotification } from './notification.text.js';
import { NotificationKindEnum, NotificationRef } from './notification.type.js';
import { forgetGroupLookups, groupSeenBy, unreadCount, visibleNotificationsWhere } from './notifications.visibility.js';

// What a notification says and links to, the member's list, unread count and preferences, the
// read-state mutations and the live stream. Every read is for the signed-in recipient alone.

type NotificationRow = {
  id: string;
  messageId: string | null;
  kind: NotificationKind;
  actorId: string | null;
  groupId: string | null;
  eventId: string | null;
  inviteId: string | null;
  recipientId: string;
};

const KINDS = [
  'JOIN_REQUEST_RECEIVED',
  'JOIN_REQUEST_APPROVED',
  'JOIN_REQUEST_DECLINED',
  'GROUP_INVITE',
  'EVENT_CREATED',
  'WAITLIST_PROMOTED',
  'ROLE_CHANGED',
  'MENTIONED',
] as const satisfies readonly NotificationKind[];

/** Null when the notification names a group its recipient may no longer see: nothing of it leaks. */
async function redacted(ctx: Context, notification: NotificationRow): Promise<boolean> {
  return notification.groupId !== null && (await groupSeenBy(ctx, notification)) === null;
}

const described = new WeakMap<object, Map<string, Promise<{ text: string; href: string }>>>();

/** text and href come from one lookup per notification and request. */
function describe(ctx: Context, notification: NotificationRow) {
  let cache = described.get(ctx);
  if (!cache) described.set(ctx, (cache = new Map()));
  let found = cache.get(notification.id);
  if (!found) cache.set(notification.id, (found = describeUncached(ctx, notification)));
  return found;
}

/** MENTIONED: where, if the recipient may still see that conversation. */
async function mentionPlace(ctx: Context, notification: NotificationRow) {
  if (notification.kind !== 'MENTIONED' || !notification.messageId || !ctx.viewer) return null;
  const message = await ctx.db.message.findUnique({
    where: { id: notification.messageId },
    select: { conversationId: true },
  });
  if (!message || !(await conversationAccess(ctx.db, message.conversationId, ctx.viewer.id))) return null;
  const conversation = await ctx.db.conversation.findUniqueOrThrow({
    where: { id: message.conversationId },
    select: { id: true, name: true, group: { select: { name: true } } },
  });
  return {
    name: conversation.name
      ? `#${conversation.name}${conversation.group ? ` in ${conversation.group.name}` : ''}`
      : 'a direct message',
    href: `/chat/${encodeURIComponent(encodeGlobalId('Conversation', conversation.id))}?message=${encodeURIComponent(encodeGlobalId('Message', notification.messageId))}`,
  };
}

async function describeUncached(ctx: Context, notification: NotificationRow) {
  if (notification.kind === 'MENTIONED') {
    const place = await mentionPlace(ctx, notification);
    const actor =
      place && notification.actorId
        ? await ctx.db.user.findUnique({ where: { id: notification.actorId }, select: { name: true } })
        : null;
    return describeNotification(notification.kind, {
      actorName: actor?.name ?? null,
      group: null,
      event: null,
      conversation: place,
    });
  }
  const group = await groupSeenBy(ctx, notification);
  const [actor, event, membership] = await Promise.all([
    group && notification.actorId
      ? ctx.db.user.findUnique({ where: { id: notification.actorId }, select: { name: true } })
      : null,
    group && notification.eventId
      ? ctx.db.event.findUnique({ where: { id: notification.eventId }, select: { id: true, title: true } })
      : null,
    group && notification.kind === 'ROLE_CHANGED'
      ? ctx.db.membership.findUnique({
          where: { groupId_userId: { groupId: group.id, userId: notification.recipientId } },
          select: { role: true },
        })
      : null,
  ]);
  const result = describeNotification(notification.kind, {
    actorName: actor?.name ?? null,
    group: group ? { name: group.name, slug: group.slug } : null,
    event,
    role: membership?.role ?? null,
  });
  // A live direct invite: the group page offers Accept; it loads the group through the invite
  // when the group itself is SECRET (group(slug) is null for a non-member).
  if (group && notification.kind === 'GROUP_INVITE' && notification.inviteId) {
    const state = await viewerGroupState(ctx);
    if (state.invitesById.has(notification.inviteId) && !state.roles.has(group.id)) {
      return {
        ...result,
        href: `${result.href}?invite=${encodeURIComponent(encodeGlobalId('GroupInvite', notification.inviteId))}`,
      };
    }
  }
  return result;
}

builder.prismaObjectFields(NotificationRef, (t) => ({
  actor: t.prismaField({
    type: PersonRef,
    nullable: true,
    description: 'Who did it; null for the system (e.g. a waitlist promotion) or when redacted.',
    resolve: async (query, notification, _args, ctx) => {
      if (!notification.actorId || (await redacted(ctx, notification))) return null;
      return ctx.db.user.findUnique({ ...query, where: { id: notification.actorId } });
    },
  }),
  group: t.prismaField({
    type: GroupRef,
    nullable: true,
    resolve: async (query, notification, _args, ctx) => {
      const group = await groupSeenBy(ctx, notification);
      return group ? ctx.db.group.findUnique({ ...query, where: { id: group.id } }) : null;
    },
  }),
  event: t.prismaField({
    type: EventRef,
    nullable: true,
    resolve: async (query, notification, _args, ctx) => {
      if (!notification.eventId || (await redacted(ctx, notification))) return null;
      return ctx.db.event.findUnique({ ...query, where: { id: notification.eventId } });
    },
  }),
  joinRequest: t.prismaField({
    type: JoinRequestRef,
    nullable: true,
    description: 'The request, while you may still see it: your own, or one in a group you moderate.',
    resolve: async (query, notification, _args, ctx) => {
      if (!notification.joinRequestId || !ctx.viewer || (await redacted(ctx, notification))) return null;
      const approvers = (Object.keys(PERMISSIONS) as Array<keyof typeof PERMISSIONS>).filter((role) =>
        PERMISSIONS[role].has('approveRequests'),
      );
      return ctx.db.joinRequest.findFirst({
        ...query,
        where: {
          id: notification.joinRequestId,
          OR: [
            { userId: ctx.viewer.id },
            { group: { memberships: { some: { userId: ctx.viewer.id, role: { in: approvers } } } } },
          ],
        },
      });
    },
  }),
  invite: t.field({
    type: GroupInviteRef,
    nullable: true,
    description:
      'For GROUP_INVITE: the direct invite, while it is still yours to accept (not revoked, expired or accepted); null otherwise.',
    // The viewer's live invites are loaded once per request (groups/viewer-state.ts).
    resolve: async (notification, _args, ctx) => {
      if (notification.kind !== 'GROUP_INVITE' || !notification.inviteId || !ctx.viewer) return null;
      if (notification.recipientId !== ctx.viewer.id) return null;
      const state = await viewerGroupState(ctx);
      const invite = state.invitesById.get(notification.inviteId);
      return invite && !state.roles.has(invite.groupId) ? invite : null;
    },
  }),
  text: t.string({
    description: "A human sentence, e.g. 'Ada Okafor asked to join Rust Berlin'.",
    resolve: async (notification, _args, ctx) => (await describe(ctx, notification)).text,
  }),
  href: t.string({
    description: 'Relative web path to open, e.g. /groups/rust-berlin/admin.',
    resolve: async (notification, _args, ctx) => (await describe(ctx, notification)).href,
  }),
}));

const NotificationPreferenceSetting = builder
  .objectRef<{ kind: NotificationKind; enabled: boolean }>('NotificationPreferenceSetting')
  .implement({
    fields: (t) => ({
      kind: t.expose('kind', { type: NotificationKindEnum }),
      enabled: t.exposeBoolean('enabled'),
    }),
  });

builder.prismaObjectFields(ViewerRef, (t) => ({
  notifications: t.prismaConnection(
    {
      type: NotificationRef,
      cursor: 'id',
      description: 'Your notifications, newest first.',
      args: { unreadOnly: t.arg.boolean({ required: false }) },
      resolve: async (query, viewer, args, ctx) =>
        ctx.db.notification.findMany({
          ...query,
          where: await visibleNotificationsWhere(ctx.db, viewer.id, { unreadOnly: args.unreadOnly ?? false }),
          orderBy: { id: 'desc' },
        }),
    },
    { name: 'NotificationConnection' },
    { name: 'NotificationEdge' },
  ),
  unreadNotificationCount: t.int({ resolve: (viewer, _args, ctx) => unreadCount(ctx.db, viewer.id) }),
  notificationPreferences: t.field({
    type: [NotificationPreferenceSetting],
    description: 'Every kind, on unless you switched it off.',
    resolve: async (viewer, _args, ctx) => {
      const rows = await ctx.db.notificationPreference.findMany({
        where: { userId: viewer.id },
        select: { kind: true, enabled: true },
      });
      const chosen = new Map(rows.map((row) => [row.kind, row.enabled]));
      return KINDS.map((kind) => ({ kind, enabled: chosen.get(kind) ?? true }));
    },
  }),
}));

const MarkNotificationReadInput = builder.inputType('MarkNotificationReadInput', {
  fields: (t) => ({ notificationId: t.id() }),
});
const MarkAllNotificationsReadInput = builder.inputType('MarkAllNotificationsReadInput', {
  fields: (t) => ({
    upToId: t.id({ required: false, description: 'Mark only up to this one (inclusive); omitted: all.' }),
  }),
});
const SetNotificationPreferenceInput = builder.inputType('SetNotificationPreferenceInput', {
  fields: (t) => ({ kind: t.field({ type: NotificationKindEnum }), enabled: t.boolean() }),
});

const MarkNotificationsReadPayload = builder
  .objectRef<{ viewerId: string; notificationId: string | null }>('MarkNotificationsReadPayload')
  .implement({
    fields: (t) => ({
      viewer: t.prismaField({
        type: ViewerRef,
        resolve: (query, payload, _args, ctx) =>
          ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.viewerId } }),
      }),
      notification: t.prismaField({
        type: NotificationRef,
        nullable: true,
        resolve: (query, payload, _args, ctx) =>
          payload.notificationId
            ? ctx.db.notification.findFirst({
                ...query,
                where: { id: payload.notificationId, recipientId: payload.viewerId },
              })
            : null,
      }),
    }),
  });

const NotificationPreferencePayload = builder
  .objectRef<{ viewerId: string }>('NotificationPreferencePayload')
  .implement({
    fields: (t) => ({
      viewer: t.prismaField({
        type: ViewerRef,
        resolve: (query, payload, _args, ctx) =>
          ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.viewerId } }),
      }),
    }),
  });

/** Other devices of the member learn the new unread count at once. */
function publishReadStateChange(ctx: Context, recipientId: string): void {
  ctx.pubsub.publish('notifications:changed', recipientId, { recipientId, notificationId: null });
}

builder.mutationFields((t) => ({
  markNotificationRead: t.field({
    type: MarkNotificationsReadPayload,
    args: { input: t.arg({ type: MarkNotificationReadInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const viewerId = ctx.viewer!.id;
      const id = decodeId(String(input.notificationId), 'Notification');
      const found = id
        ? await ctx.db.notification.findFirst({
            where: { id, recipientId: viewerId },
            select: { id: true, readAt: true },
          })
        : null;
      if (!found) throw new NotFoundError('That notification');
      if (!found.readAt) {
        const changed = await ctx.db.notification.updateMany({
          where: { id: found.id, recipientId: viewerId, readAt: null },
          data: { readAt: new Date() },
        });
        if (changed.count > 0) publishReadStateChange(ctx, viewerId);
      }
      return { viewerId, notificationId: found.id };
    },
  }),
  markAllNotificationsRead: t.field({
    type: MarkNotificationsReadPayload,
    args: { input: t.arg({ type: MarkAllNotificationsReadInput, required: false }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const viewerId = ctx.viewer!.id;
      let upTo: string | null = null;
      if (input?.upToId != null) {
        upTo = decodeId(String(input.upToId), 'Notification');
        const mine = upTo ? await ctx.db.notification.count({ where: { id: upTo, recipientId: viewerId } }) : 0;
        if (!upTo || mine === 0) throw new NotFoundError('That notification');
      }
      // Ids are UUIDv7, ordered by creation: "up to" is an id comparison.
      const changed = await ctx.db.notification.updateMany({
        where: { recipientId: viewerId, readAt: null, ...(upTo ? { id: { lte: upTo } } : {}) },
        data: { readAt: new Date() },
      });
      if (changed.count > 0) publishReadStateChange(ctx, viewerId);
      return { viewerId, notificationId: upTo };
    },
  }),
  setNotificationPreference: t.field({
    type: NotificationPreferencePayload,
    args: { input: t.arg({ type: SetNotificationPreferenceInput }) },
    resolve: async (_root, { input }, ctx) => {
      const viewerId = ctx.viewer!.id;
      await ctx.db.notificationPreference.upsert({
        where: { userId_kind: { userId: viewerId, kind: input.kind } },
        create: { userId: viewerId, kind: input.kind, enabled: input.enabled },
        update: { enabled: input.enabled },
      });
      return { viewerId };
    },
  }),
}));

const NotificationEventRef = builder
  .objectRef<{ recipientId: string; notificationId: string | null }>('NotificationEvent')
  .implement({
    description:
      'Pushed to the signed-in member: a new notification (notification set) or a read-state change (notification null); unreadCount is always current.',
    fields: (t) => ({
      notification: t.prismaField({
        type: NotificationRef,
        nullable: true,
        resolve: async (query, event, _args, ctx) => {
          if (!event.notificationId || !ctx.viewer) return null;
          // Resolved for the subscriber's own context: only their own, visible notifications.
          return ctx.db.notification.findFirst({
            ...query,
            where: {
              AND: [{ id: event.notificationId }, await visibleNotificationsWhere(ctx.db, ctx.viewer.id)],
            },
          });
        },
      }),
      unreadCount: t.int({ resolve: (_event, _args, ctx) => (ctx.viewer ? unreadCount(ctx.db, ctx.viewer.id) : 0) }),
    }),
  });

builder.subscriptionField('notificationEvents', (t) =>
  t.field({
    type: NotificationEventRef,
    description: 'Your new notifications and unread-count changes, live, from every server instance.',
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('notifications:changed', ctx.viewer!.id),
    resolve: (event, _args, ctx) => {
      // Visibility is decided anew for every event (the member may have left a group meanwhile).
      forgetGroupLookups(ctx);
      described.delete(ctx);
      forgetViewerGroupState(ctx);
      return event;
    },
  }),
);
