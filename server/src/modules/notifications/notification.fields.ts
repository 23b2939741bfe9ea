import { decodeId } from '../../lib/global-id.js';
import { now } from '../../lib/clock.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/index.js';
import { PersonRef } from '../people/index.js';
import {
  forgetNotificationReader,
  NotificationChannelEnum,
  NotificationKindEnum,
  NotificationRef,
  notificationReader,
  viewerSeesNotification,
} from './notification.type.js';
import {
  loadNotificationPage,
  loadNotificationsById,
  unreadNotificationCount,
  viewNotification,
} from './notifications.read.js';
import { publishReadStateChange } from './notifications.service.js';
import { allChannelSettings, setChannel } from './preferences.js';
import { notificationKind, notificationKinds } from './registry.js';

// What a notification says and links to (from its kind in the registry), the member's list,
// unread count and preferences, the read-state mutations and the live stream. Every read is for
// the signed-in recipient alone and re-checks each kind's visibility rule.

builder.prismaObjectFields(NotificationRef, (t) => ({
  text: t.string({
    description:
      "A human sentence, e.g. 'Ada Okafor asked to join Rust Berlin'; neutral once you may no longer see it.",
    resolve: async (notification, _args, ctx) => {
      const reader = notificationReader(ctx);
      return reader ? (await viewNotification(reader, notification)).text : '';
    },
  }),
  href: t.string({
    description: 'Relative web path to open, e.g. /groups/rust-berlin/admin.',
    resolve: async (notification, _args, ctx) => {
      const reader = notificationReader(ctx);
      return reader ? (await viewNotification(reader, notification)).href : '/notifications';
    },
  }),
  actor: t.prismaField({
    type: PersonRef,
    nullable: true,
    description: 'Who did it; null for the system (e.g. a waitlist promotion) or once you may no longer see it.',
    resolve: async (query, notification, _args, ctx) => {
      if (!notification.actorId || !(await viewerSeesNotification(ctx, notification))) return null;
      return ctx.db.user.findUnique({ ...query, where: { id: notification.actorId } });
    },
  }),
}));

interface PreferenceRow {
  kind: string;
  label: string;
  description: string;
  inApp: boolean;
  email: boolean;
  digest: boolean;
  digestAvailable: boolean;
}

const NotificationPreferenceRef = builder.objectRef<PreferenceRow>('NotificationPreference').implement({
  description: 'Your choice for one kind: each channel on or off (the kind’s default until you choose).',
  fields: (t) => ({
    kind: t.field({ type: NotificationKindEnum, resolve: (row) => row.kind }),
    label: t.exposeString('label', { description: 'e.g. "Join requests".' }),
    description: t.exposeString('description', { description: 'When it is sent, in words.' }),
    inApp: t.exposeBoolean('inApp', { description: 'In the list and the bell.' }),
    email: t.exposeBoolean('email', { description: 'An email at once.' }),
    digest: t.exposeBoolean('digest', { description: 'In the daily or weekly digest email.' }),
    digestAvailable: t.exposeBoolean('digestAvailable', { description: 'Whether this kind can go into the digest.' }),
  }),
});

builder.prismaObjectFields(ViewerRef, (t) => ({
  notifications: t.connection(
    {
      type: NotificationRef,
      description: 'Your notifications, newest first (only those you may still see).',
      args: { unreadOnly: t.arg.boolean({ required: false }) },
      resolve: async (viewer, args, ctx) => {
        const reader = notificationReader(ctx);
        if (!reader || reader.recipientId !== viewer.id) throw new NotFoundError('Those notifications');
        const backward = args.last != null && args.first == null;
        const size = Math.min(Math.max((backward ? args.last : args.first) ?? 20, 1), 100);
        const cursorId = (cursor: string | null | undefined) => (cursor ? decodeCursor(cursor) : null);
        const page = await loadNotificationPage(reader, {
          direction: backward ? 'backward' : 'forward',
          size,
          afterId: cursorId(args.after),
          beforeId: cursorId(args.before),
          unreadOnly: args.unreadOnly ?? false,
        });
        // Backward pages are read oldest first; a connection lists newest first either way.
        const rows = backward ? [...page.rows].reverse() : page.rows;
        const edges = rows.map((row) => ({ cursor: encodeCursor(row.id), node: row }));
        const endCursor = page.resumeAfterId ? encodeCursor(page.resumeAfterId) : (edges.at(-1)?.cursor ?? null);
        return {
          edges,
          pageInfo: {
            startCursor: edges[0]?.cursor ?? null,
            endCursor,
            hasNextPage: backward ? args.before != null : page.hasMore,
            hasPreviousPage: backward ? page.hasMore : args.after != null,
          },
        };
      },
    },
    { name: 'NotificationConnection' },
    { name: 'NotificationEdge' },
  ),
  unreadNotificationCount: t.int({
    description: 'Unread notifications you may still see (at most 1,000 are counted).',
    resolve: async (viewer, _args, ctx) => {
      const reader = notificationReader(ctx);
      return reader && reader.recipientId === viewer.id ? unreadNotificationCount(reader) : 0;
    },
  }),
  notificationPreferences: t.field({
    type: [NotificationPreferenceRef],
    description: 'Every kind, with your choice per channel.',
    resolve: async (viewer, _args, ctx) => {
      const definitions = notificationKinds();
      const settings = await allChannelSettings(ctx.db, viewer.id, definitions);
      return definitions.map((definition) => ({
        kind: definition.kind,
        label: definition.label,
        description: definition.description,
        ...settings.get(definition.kind)!,
        digestAvailable: definition.inDigest,
      }));
    },
  }),
}));

// Cursors are the notification's id (UUIDv7, so ordered by creation), opaque to clients.
function encodeCursor(id: string): string {
  return Buffer.from(`n:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  const id = decoded.startsWith('n:') ? decoded.slice(2) : '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new ValidationError([{ path: 'after', message: 'That cursor is not one this list handed out.' }]);
  }
  return id;
}

const MarkNotificationReadInput = builder.inputType('MarkNotificationReadInput', {
  fields: (t) => ({ notificationId: t.id() }),
});
const MarkAllNotificationsReadInput = builder.inputType('MarkAllNotificationsReadInput', {
  fields: (t) => ({
    upToId: t.id({ required: false, description: 'Mark only up to this one (inclusive); omitted: all.' }),
  }),
});
const SetNotificationPreferenceInput = builder.inputType('SetNotificationPreferenceInput', {
  fields: (t) => ({
    kind: t.field({ type: NotificationKindEnum }),
    channel: t.field({
      type: NotificationChannelEnum,
      required: false,
      description: 'Which channel; omitted: in-app (as before channels existed).',
    }),
    enabled: t.boolean(),
  }),
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
      notification: t.field({
        type: NotificationRef,
        nullable: true,
        resolve: async (payload, _args, ctx) =>
          payload.notificationId
            ? ((await loadNotificationsById(ctx.db, payload.viewerId, [payload.notificationId]))[0] ?? null)
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
          data: { readAt: now() },
        });
        if (changed.count > 0) publishReadStateChange(ctx.pubsub, viewerId);
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
        data: { readAt: now() },
      });
      if (changed.count > 0) publishReadStateChange(ctx.pubsub, viewerId);
      return { viewerId, notificationId: upTo };
    },
  }),
  setNotificationPreference: t.field({
    type: NotificationPreferencePayload,
    args: { input: t.arg({ type: SetNotificationPreferenceInput }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const viewerId = ctx.viewer!.id;
      const definition = notificationKind(input.kind);
      const channel = input.channel ?? 'inApp';
      if (!definition) throw new ValidationError([{ path: 'kind', message: 'There is no such kind of notification.' }]);
      if (channel === 'digest' && !definition.inDigest) {
        throw new ValidationError([{ path: 'channel', message: `${definition.label}: never in the digest.` }]);
      }
      await setChannel(ctx.db, viewerId, definition.kind, channel, input.enabled);
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
      notification: t.field({
        type: NotificationRef,
        nullable: true,
        resolve: async (event, _args, ctx) => {
          const reader = notificationReader(ctx);
          if (!event.notificationId || !reader) return null;
          // Only the subscriber's own, and only while they may see it (checked at delivery).
          const [row] = await loadNotificationsById(ctx.db, reader.recipientId, [event.notificationId]);
          return row?.inApp && (await viewerSeesNotification(ctx, row)) ? row : null;
        },
      }),
      unreadCount: t.int({
        resolve: async (_event, _args, ctx) => {
          const reader = notificationReader(ctx);
          return reader ? unreadNotificationCount(reader) : 0;
        },
      }),
    }),
  });

builder.subscriptionField('notificationEvents', (t) =>
  t.field({
    type: NotificationEventRef,
    description: 'Your new notifications and unread-count changes, live, from every server instance.',
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('notifications:changed', ctx.viewer!.id),
    resolve: (event, _args, ctx) => {
      // A subscription keeps one context: every event is read afresh, with access as it is now.
      forgetNotificationReader(ctx);
      return event;
    },
  }),
);
