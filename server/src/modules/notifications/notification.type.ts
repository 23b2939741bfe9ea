import type { Context } from '../../context.js';
import { builder } from '../../schema/builder.js';
import { type NotificationRow, viewNotification } from './notifications.read.js';
import { createNotificationReader, type NotificationReader } from './reader.js';
import { type NOTIFICATION_CHANNELS, sealNotificationKinds } from './registry.js';

// A notification is visible to its recipient only. Modules that own a kind add their own fields
// (e.g. groups adds group, event, joinRequest, invite) with builder.prismaObjectFields(NotificationRef).

// The values come from the registry. Every module declares its kinds at import time, and
// onPrepare runs when builder.toSchema() starts, after every import: the enum has them all (and
// the registry refuses a kind declared after that).
export const NotificationKindEnum = builder.enumType('NotificationKind', {
  description: 'A kind from the notification registry, declared by the module it belongs to.',
  values: [] as string[],
});
builder.configStore.onPrepare(() => {
  const kinds = sealNotificationKinds('the GraphQL NotificationKind enum was built');
  NotificationKindEnum.updateConfig((config) => ({
    ...config,
    values: Object.fromEntries(kinds.map((kind) => [kind, { value: kind, pothosOptions: {} }])),
  }));
});

export const NotificationChannelEnum = builder.enumType('NotificationChannel', {
  values: {
    IN_APP: { value: 'inApp', description: 'The list and the bell in the web app.' },
    EMAIL: { value: 'email', description: 'An email at once.' },
    DIGEST: { value: 'digest', description: 'The daily or weekly digest email.' },
  } as const,
});
// The enum's internal values are the stored channel names.
const _channelsCovered: Record<(typeof NOTIFICATION_CHANNELS)[number], true> = {
  inApp: true,
  email: true,
  digest: true,
};
void _channelsCovered;

const readers = new WeakMap<object, NotificationReader>();

/** The reader of the signed-in member for this request (one live event gets a fresh one). */
export function notificationReader(ctx: Context): NotificationReader | null {
  if (!ctx.viewer) return null;
  let reader = readers.get(ctx);
  if (!reader || reader.recipientId !== ctx.viewer.id) {
    reader = createNotificationReader(ctx.db, ctx.viewer.id);
    readers.set(ctx, reader);
  }
  return reader;
}

/** A subscription keeps one context for its lifetime: each delivered event starts afresh. */
export function forgetNotificationReader(ctx: object): void {
  readers.delete(ctx);
}

/** Whether the viewer may see this notification now (its kind's rule, re-checked per request). */
export async function viewerSeesNotification(ctx: Context, notification: NotificationRow): Promise<boolean> {
  const reader = notificationReader(ctx);
  return reader ? (await viewNotification(reader, notification)).visible : false;
}

export const NotificationRef = builder.prismaNode('Notification', {
  // Only the recipient loads it; one they may no longer see still loads by id, redacted to the
  // kind's neutral words (its list, count and live stream leave it out).
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, recipientId: ctx.viewer?.id ?? '00000000-0000-0000-0000-000000000000' }),
  fields: (t) => ({
    kind: t.field({ type: NotificationKindEnum, resolve: (notification) => notification.kind }),
    subjectId: t.id({
      nullable: true,
      description:
        'The global ID of what it is about (e.g. a Group, an Event, a Message); null once you may no longer see it.',
      resolve: async (notification, _args, ctx) =>
        (await viewerSeesNotification(ctx, notification)) ? notification.subjectId : null,
    }),
    read: t.boolean({ resolve: (notification) => notification.readAt !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
