import type { GroupRole, NotificationKind } from '../../generated/prisma/enums.js';

// The sentence and the web path of a notification, from its kind and the names it may show.
// Pure, so every wording is unit-tested; the resolver decides which names the recipient may see.

export interface NotificationNames {
  actorName: string | null;
  /** null when the recipient may no longer see the group (its name must not leak). */
  group: { name: string; slug: string } | null;
  event: { id: string; title: string } | null;
  /** ROLE_CHANGED: the recipient's current role in the group. */
  role?: GroupRole | null;
  /** MENTIONED: the conversation ("#general in Rust Berlin", "a direct message"); null when no longer visible. */
  conversation?: { name: string; href: string } | null;
}

const ROLE_NAMES: Record<GroupRole, string> = {
  OWNER: 'the owner',
  ADMIN: 'an admin',
  MODERATOR: 'a moderator',
  MEMBER: 'a member',
};

export function describeNotification(kind: NotificationKind, names: NotificationNames): { text: string; href: string } {
  const { actorName, group, event } = names;
  if (kind === 'MENTIONED') {
    const place = names.conversation;
    if (!place) return { text: 'A mention in a conversation you can no longer see.', href: '/chat' };
    return { text: `${actorName ?? 'Someone'} mentioned you in ${place.name}`, href: place.href };
  }
  if (!group) return { text: 'An update about a group you can no longer see.', href: '/notifications' };
  const groupHref = `/groups/${group.slug}`;
  const someone = actorName ?? 'Someone';
  switch (kind) {
    case 'JOIN_REQUEST_RECEIVED':
      return { text: `${someone} asked to join ${group.name}`, href: `${groupHref}/admin` };
    case 'JOIN_REQUEST_APPROVED':
      return {
        text: actorName
          ? `${actorName} approved your request to join ${group.name}`
          : `Your request to join ${group.name} was approved`,
        href: groupHref,
      };
    case 'JOIN_REQUEST_DECLINED':
      return { text: `Your request to join ${group.name} was declined`, href: groupHref };
    case 'GROUP_INVITE':
      return {
        text: actorName ? `${actorName} invited you to join ${group.name}` : `You were invited to join ${group.name}`,
        href: groupHref,
      };
    case 'EVENT_CREATED':
      if (!event) return { text: `An event in ${group.name} was removed`, href: groupHref };
      return {
        text: actorName
          ? `${actorName} scheduled ${event.title} in ${group.name}`
          : `New event in ${group.name}: ${event.title}`,
        href: `/events/${event.id}`,
      };
    case 'WAITLIST_PROMOTED':
      if (!event) return { text: `An event in ${group.name} was removed`, href: groupHref };
      return { text: `A seat opened up: you are going to ${event.title}`, href: `/events/${event.id}` };
    case 'ROLE_CHANGED':
      return {
        text: names.role
          ? `${actorName ? `${actorName} made you` : 'You are now'} ${ROLE_NAMES[names.role]} of ${group.name}`
          : `Your role in ${group.name} changed`,
        href: groupHref,
      };
  }
}
