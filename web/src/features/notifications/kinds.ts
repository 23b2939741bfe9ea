export type NotificationKind =
  | 'JOIN_REQUEST_RECEIVED'
  | 'JOIN_REQUEST_APPROVED'
  | 'JOIN_REQUEST_DECLINED'
  | 'GROUP_INVITE'
  | 'EVENT_CREATED'
  | 'WAITLIST_PROMOTED'
  | 'ROLE_CHANGED'
  | 'MENTIONED';

export const KIND_LABELS: Record<NotificationKind, string> = {
  JOIN_REQUEST_RECEIVED: 'Someone asks to join a group you moderate',
  JOIN_REQUEST_APPROVED: 'Your request to join was approved',
  JOIN_REQUEST_DECLINED: 'Your request to join was declined',
  GROUP_INVITE: 'You’re invited to a group',
  EVENT_CREATED: 'A new event in one of your groups',
  WAITLIST_PROMOTED: 'You got a seat from a waitlist',
  ROLE_CHANGED: 'Your role in a group changed',
  MENTIONED: 'Someone mentions you in a chat',
};
