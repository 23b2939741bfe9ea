import { z } from 'zod';
import { builder } from '../../../schema/builder.js';
import {
  defineNotificationKind,
  NotificationRef,
  type NotificationReader,
  notificationReader,
} from '../../notifications/index.js';
import { groupsNotificationData, groupsSeen, visibleWhileGroupSeen } from '../group.notifications.js';
import { EventRef } from './event.type.js';

// The events' notification kinds: visible while the recipient may see the event's group.

const eventData = z.object({ groupId: z.uuid(), eventId: z.uuid() });

function eventsByIds(reader: NotificationReader, eventIds: readonly string[]) {
  return reader.load('groups.event', eventIds, async (ids) => {
    const events = await reader.db.event.findMany({ where: { id: { in: ids } }, select: { id: true, title: true } });
    return new Map(events.map((event) => [event.id, event]));
  });
}

async function names(reader: NotificationReader, data: z.infer<typeof eventData>, actorId: string | null) {
  const [groups, events, actorName] = await Promise.all([
    groupsSeen(reader, [data.groupId]),
    eventsByIds(reader, [data.eventId]),
    reader.userName(actorId),
  ]);
  return { group: groups.get(data.groupId) ?? null, event: events.get(data.eventId) ?? null, actorName };
}

const eventPath = (eventId: string) => `/events/${eventId}`;

export const eventCreated = defineNotificationKind({
  kind: 'EVENT_CREATED',
  label: 'New events',
  description: 'A new event in one of your groups',
  data: eventData,
  defaults: { inApp: true, email: false, digest: true },
  visible: visibleWhileGroupSeen,
  async describe(reader, notification) {
    const { group, event, actorName } = await names(reader, notification.data, notification.actorId);
    const groupName = group?.name ?? 'a group';
    if (!event)
      return { text: `An event in ${groupName} was removed`, href: group ? `/groups/${group.slug}` : '/notifications' };
    return {
      text: actorName
        ? `${actorName} scheduled ${event.title} in ${groupName}`
        : `New event in ${groupName}: ${event.title}`,
      href: eventPath(event.id),
    };
  },
});

export const waitlistPromoted = defineNotificationKind({
  kind: 'WAITLIST_PROMOTED',
  label: 'Seats from a waitlist',
  description: 'A seat opened up and you got it',
  data: eventData,
  defaults: { inApp: true, email: true, digest: false },
  visible: visibleWhileGroupSeen,
  async describe(reader, notification) {
    const { group, event } = await names(reader, notification.data, null);
    if (!event) {
      return {
        text: `An event in ${group?.name ?? 'a group'} was removed`,
        href: group ? `/groups/${group.slug}` : '/notifications',
      };
    }
    return { text: `A seat opened up: you are going to ${event.title}`, href: eventPath(event.id) };
  },
});

builder.prismaObjectFields(NotificationRef, (t) => ({
  event: t.prismaField({
    type: EventRef,
    nullable: true,
    description: 'The event it is about, while you may see it.',
    resolve: async (query, notification, _args, ctx) => {
      const data = groupsNotificationData(notification);
      const reader = notificationReader(ctx);
      if (!data?.eventId || !reader || notification.recipientId !== reader.recipientId) return null;
      const groups = await groupsSeen(reader, [data.groupId]);
      if (groups.get(data.groupId)?.visible !== true) return null;
      return ctx.db.event.findUnique({ ...query, where: { id: data.eventId } });
    },
  }),
}));
