import { decodeId, encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { initialsOf } from '../people/index.js';
import { conversationAccess } from './chat.policy.js';
import { CARD_TONES, type MessageCard } from './chat.cards.js';
import type { ChatPerson, ConversationEventData, MessageSnapshot, ReactionState } from './chat.events.js';
import { loadMessages } from './message.loader.js';

// The message as every viewer of its conversation sees it. Nothing under Message or
// ConversationEvent may depend on the viewer: a live event is executed once and the same bytes
// go to every subscriber (see graphql/shared-stream.ts). Viewer-specific facts (is it mine, did
// I react) are for the client to work out from ids.

export const ChatAuthorRef = builder.objectRef<ChatPerson>('ChatAuthor').implement({
  description: 'A person as chat shows them: the same for every viewer (names are visible to all members).',
  fields: (t) => ({
    id: t.id({ description: "The Person's global id.", resolve: (person) => encodeGlobalId('Person', person.id) }),
    name: t.exposeString('name'),
    initials: t.string({ resolve: (person) => initialsOf(person.name) }),
  }),
});

export const ReactionSummaryRef = builder.objectRef<ReactionState>('ReactionSummary').implement({
  fields: (t) => ({
    emoji: t.exposeString('emoji'),
    count: t.int({ resolve: (reaction) => reaction.reactors.length }),
    reactors: t.field({
      type: [ChatAuthorRef],
      description: 'In the order they reacted.',
      resolve: (reaction) => reaction.reactors,
    }),
  }),
});

export const CardToneEnum = builder.enumType('CardTone', { values: CARD_TONES });

export const CardProgressRef = builder.objectRef<NonNullable<MessageCard['progress']>>('CardProgress').implement({
  fields: (t) => ({
    value: t.exposeFloat('value'),
    target: t.exposeFloat('target'),
    unit: t.exposeString('unit', { description: 'In words, e.g. "talks"; may be "".' }),
  }),
});

export const MessageCardRef = builder.objectRef<MessageCard>('MessageCard').implement({
  description:
    "Structured content a module posted as a message; the message's body holds the same words as plain text.",
  fields: (t) => ({
    title: t.exposeString('title'),
    lines: t.exposeStringList('lines'),
    progress: t.field({ type: CardProgressRef, nullable: true, resolve: (card) => card.progress }),
    href: t.exposeString('href', { nullable: true, description: 'A relative path in the web app.' }),
    tone: t.expose('tone', { type: CardToneEnum }),
  }),
});

const asDate = (value: string | null) => (value === null ? null : new Date(value));

export const MessageRef = builder.objectRef<MessageSnapshot>('Message');

builder.node(MessageRef, {
  id: { resolve: (message) => message.id },
  loadOne: async (id, ctx) => {
    if (!ctx.viewer) return null;
    const message = (await loadMessages(ctx.db, [id])).get(id);
    if (!message || !(await conversationAccess(ctx.db, message.conversationId, ctx.viewer.id))) return null;
    return message;
  },
  fields: (t) => ({
    conversationId: t.id({ resolve: (message) => encodeGlobalId('Conversation', message.conversationId) }),
    seq: t.exposeInt('seq', { description: "Its place in the conversation's order." }),
    clientId: t.exposeString('clientId', {
      description: "The sender's idempotency key: a retried send returns this message.",
    }),
    author: t.field({
      type: ChatAuthorRef,
      nullable: true,
      description: "null when the author's account is gone.",
      resolve: (message) => message.author,
    }),
    body: t.exposeString('body', {
      description: 'Markdown source (a safe subset: the client renders it, never as HTML). "" when deleted.',
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (message) => new Date(message.createdAt) }),
    editedAt: t.field({ type: 'DateTime', nullable: true, resolve: (message) => asDate(message.editedAt) }),
    deletedAt: t.field({ type: 'DateTime', nullable: true, resolve: (message) => asDate(message.deletedAt) }),
    parentId: t.id({
      nullable: true,
      description: "A thread reply: its root message's id.",
      resolve: (message) => (message.parentId ? encodeGlobalId('Message', message.parentId) : null),
    }),
    replyCount: t.exposeInt('replyCount'),
    lastReplyAt: t.field({ type: 'DateTime', nullable: true, resolve: (message) => asDate(message.lastReplyAt) }),
    reactions: t.field({ type: [ReactionSummaryRef], resolve: (message) => message.reactions }),
    mentions: t.field({
      type: [ChatAuthorRef],
      description: 'Members the message mentions who can see it.',
      resolve: (message) => message.mentions,
    }),
    card: t.field({
      type: MessageCardRef,
      nullable: true,
      description: 'Render as a card when present (posted by a module, e.g. goal progress); null for typed messages.',
      resolve: (message) => message.card,
    }),
  }),
});

export const ConversationEventKindEnum = builder.enumType('ConversationEventKind', {
  values: ['MESSAGE_ADDED', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'REACTION_CHANGED', 'THREAD_UPDATED'] as const,
});

export const ConversationEventRef = builder.objectRef<ConversationEventData>('ConversationEvent').implement({
  description: 'One stored event. Apply it as an upsert of `message` (events carry state, not diffs), in seq order.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    kind: t.expose('kind', { type: ConversationEventKindEnum }),
    conversationId: t.id({ resolve: (event) => encodeGlobalId('Conversation', event.conversationId) }),
    message: t.field({
      type: MessageRef,
      description: 'The message as it is now (THREAD_UPDATED: the thread root with its new reply count).',
      resolve: (event) => event.message,
    }),
  }),
});

export function messageIdOf(value: unknown): string | null {
  return decodeId(value == null ? null : String(value), 'Message');
}
