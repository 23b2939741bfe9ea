import { builder } from '../../schema/builder.js';

// A notification is visible to its recipient only. More fields live in notification.fields.ts.

export const NotificationKindEnum = builder.enumType('NotificationKind', {
  values: [
    'JOIN_REQUEST_RECEIVED',
    'JOIN_REQUEST_APPROVED',
    'JOIN_REQUEST_DECLINED',
    'GROUP_INVITE',
    'EVENT_CREATED',
    'WAITLIST_PROMOTED',
    'ROLE_CHANGED',
    'MENTIONED',
  ] as const,
});

export const NotificationRef = builder.prismaNode('Notification', {
  // Hidden loads as null, exactly like missing.
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, recipientId: ctx.viewer?.id ?? '00000000-0000-0000-0000-000000000000' }),
  fields: (t) => ({
    kind: t.expose('kind', { type: NotificationKindEnum }),
    read: t.boolean({ select: { readAt: true }, resolve: (notification) => notification.readAt !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
