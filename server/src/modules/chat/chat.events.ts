import type { ConversationEventKind } from '../../generated/prisma/enums.js';
import type { MessageCard } from './chat.cards.js';

// What travels between server instances (pub/sub) and to subscribers. Everything here is
// plain JSON: Redis carries it as text, so times are ISO strings.

export interface ChatPerson {
  /** The user's row id (ChatAuthor.id encodes it as a Person global id). */
  id: string;
  name: string;
}

export interface ReactionState {
  emoji: string;
  reactors: ChatPerson[];
}

/** A message as every viewer of its conversation sees it: nothing in it depends on the viewer. */
export interface MessageSnapshot {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  author: ChatPerson | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  parentId: string | null;
  replyCount: number;
  lastReplyAt: string | null;
  reactions: ReactionState[];
  mentions: ChatPerson[];
  /** Structured content posted by a module (chat.cards.ts); null for typed messages and once deleted. */
  card: MessageCard | null;
}

/** One stored event of a conversation, with the message as it is now. */
export interface ConversationEventData {
  conversationId: string;
  seq: number;
  kind: ConversationEventKind;
  message: MessageSnapshot;
}

/** Published after a storing transaction commits: new events in seq order. */
export interface ChatEventsNudge {
  conversationId: string;
  events: ConversationEventData[];
  /** Events up to here were stored; a feed reads whatever `events` leaves out from the database. */
  upToSeq: number;
}

/** Published after a message is stored: whose unread counts may have changed. */
export interface ChatActivity {
  conversationId: string;
  /** CHANNEL: its group (every member is affected); otherwise null. */
  groupId: string | null;
  senderId: string | null;
}

export interface TypingNudge {
  conversationId: string;
  person: ChatPerson;
  typing: boolean;
  expiresAt: string;
}

export type PresenceStatus = 'ONLINE' | 'AWAY' | 'OFFLINE';

export interface PresenceNudge {
  userId: string;
  status: PresenceStatus;
}

/** Someone may have lost (or gained) access to conversations: re-check before delivering more. */
export interface AccessNudge {
  userId: string;
  groupId: string | null;
  conversationId: string | null;
}

// The chat module's pub/sub topics (pubsub.ts knows none of them).
declare module '../../pubsub.js' {
  interface PubSubTopics {
    /** Events a transaction stored in one conversation, after commit (a nudge; the database is the record). */
    'chat:events': [conversationId: string, payload: ChatEventsNudge];
    /** A message was stored somewhere; inboxes of the people it concerns recompute unread counts. */
    'chat:activity': [payload: ChatActivity];
    /** A member's read marker moved (on any device). */
    'chat:read': [userId: string, payload: { userId: string; conversationId: string }];
    'chat:typing': [conversationId: string, payload: TypingNudge];
    'chat:presence': [payload: PresenceNudge];
    /** A member left or was removed from a group (or a conversation); live streams re-check access. */
    'chat:access': [payload: AccessNudge];
    /** A session asked to be shown AWAY / ONLINE; the instance holding its sockets applies it. */
    'chat:session-presence': [payload: { sessionId: string; status: 'ONLINE' | 'AWAY' }];
  }
}
