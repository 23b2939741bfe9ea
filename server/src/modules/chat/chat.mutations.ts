import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { conversationAccess } from './chat.policy.js';
import type { MessageSnapshot } from './chat.events.js';
import {
  channelNameInput,
  channelTopicInput,
  clientIdInput,
  emojiInput,
  MAX_DIRECT_OTHERS,
  messageBodyInput,
} from './chat.inputs.js';
import { TYPING_TTL_MS } from './chat.runtime.js';
import * as service from './chat.service.js';
import { ConversationRef } from './conversation.type.js';
import { MessageRef, messageIdOf } from './message.type.js';

// The chat module's mutations: decode ids (a wrong or foreign id is "not found"), call one
// service function, answer only after its transaction committed.

function idOf(value: unknown, typename: string, what: string): string {
  const id = decodeId(value == null ? null : String(value), typename);
  if (!id) throw new NotFoundError(what);
  return id;
}
const conversationIdOf = (value: unknown) => idOf(value, 'Conversation', 'That conversation');
const messageOf = (value: unknown) => {
  const id = messageIdOf(value);
  if (!id) throw new NotFoundError('That message');
  return id;
};

const MessagePayload = builder.objectRef<{ message: MessageSnapshot }>('MessagePayload').implement({
  fields: (t) => ({ message: t.field({ type: MessageRef, resolve: (payload) => payload.message }) }),
});

const ConversationPayload = builder.objectRef<{ conversationId: string }>('ConversationPayload').implement({
  fields: (t) => ({
    conversation: t.prismaField({
      type: ConversationRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.conversation.findUniqueOrThrow({ ...query, where: { id: payload.conversationId } }),
    }),
  }),
});

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    conversationId: t.id(),
    clientId: t.string({
      validate: clientIdInput,
      description: 'Your idempotency key (e.g. a UUID): sending again with it returns the first message, never a copy.',
    }),
    body: t.string({ validate: messageBodyInput, description: 'Markdown, 1–4000 characters after trimming.' }),
    parentId: t.id({ required: false, description: 'Reply in the thread of this top-level message.' }),
  }),
});

const EditMessageInput = builder.inputType('EditMessageInput', {
  fields: (t) => ({ messageId: t.id(), body: t.string({ validate: messageBodyInput }) }),
});
const DeleteMessageInput = builder.inputType('DeleteMessageInput', { fields: (t) => ({ messageId: t.id() }) });
const ToggleReactionInput = builder.inputType('ToggleReactionInput', {
  fields: (t) => ({ messageId: t.id(), emoji: t.string({ validate: emojiInput, description: 'One emoji.' }) }),
});
const MarkConversationReadInput = builder.inputType('MarkConversationReadInput', {
  fields: (t) => ({
    conversationId: t.id(),
    seq: t.int({ description: 'The highest seq you have seen; the marker never moves back.' }),
  }),
});
const StartDirectConversationInput = builder.inputType('StartDirectConversationInput', {
  fields: (t) => ({
    personIds: t.idList({ description: `The others (1–${MAX_DIRECT_OTHERS}); you are added.` }),
  }),
});
const CreateChannelInput = builder.inputType('CreateChannelInput', {
  fields: (t) => ({
    groupId: t.id(),
    name: t.string({ validate: channelNameInput, description: 'Lower-case letters, digits and "-", without "#".' }),
    topic: t.string({ required: false, validate: channelTopicInput.nullish() }),
  }),
});
const SetTypingInput = builder.inputType('SetTypingInput', {
  fields: (t) => ({ conversationId: t.id(), typing: t.boolean() }),
});

export const PresenceStatusEnum = builder.enumType('PresenceStatus', {
  values: ['ONLINE', 'AWAY', 'OFFLINE'] as const,
});
const SettablePresenceEnum = builder.enumType('SettablePresence', { values: ['ONLINE', 'AWAY'] as const });
const SetPresenceInput = builder.inputType('SetPresenceInput', {
  fields: (t) => ({ status: t.field({ type: SettablePresenceEnum }) }),
});

const TypingPayload = builder.objectRef<{ ok: boolean }>('SetTypingPayload').implement({
  fields: (t) => ({ ok: t.exposeBoolean('ok') }),
});
const PresencePayload = builder.objectRef<{ status: 'ONLINE' | 'AWAY' }>('SetPresencePayload').implement({
  fields: (t) => ({ status: t.expose('status', { type: SettablePresenceEnum }) }),
});

builder.mutationFields((t) => ({
  sendMessage: t.field({
    type: MessagePayload,
    description:
      'Answers after the message is stored. Retry with the same clientId after a failure: never a duplicate.',
    args: { input: t.arg({ type: SendMessageInput }) },
    errors: { types: [ValidationError, NotFoundError, RateLimitedError] },
    // Sends, edits, deletes and reactions have chat's own per-member limits instead of the general one.
    rateLimit: false,
    resolve: async (_root, { input }, ctx) => {
      const conversationId = conversationIdOf(input.conversationId);
      const parentId = input.parentId != null ? messageOf(input.parentId) : null;
      const message = await service.sendMessage(ctx, {
        conversationId,
        clientId: input.clientId,
        body: input.body,
        parentId,
      });
      return { message };
    },
  }),
  editMessage: t.field({
    type: MessagePayload,
    description: 'Your own messages only; marked edited.',
    args: { input: t.arg({ type: EditMessageInput }) },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError, RateLimitedError] },
    rateLimit: false,
    resolve: async (_root, { input }, ctx) => ({
      message: await service.editMessage(ctx, messageOf(input.messageId), input.body),
    }),
  }),
  deleteMessage: t.field({
    type: MessagePayload,
    description: "Your own, or anyone's as a moderator of the channel's group. A tombstone stays in place.",
    args: { input: t.arg({ type: DeleteMessageInput }) },
    errors: { types: [NotFoundError, ForbiddenError, RateLimitedError] },
    rateLimit: false,
    resolve: async (_root, { input }, ctx) => ({
      message: await service.deleteMessage(ctx, messageOf(input.messageId)),
    }),
  }),
  toggleReaction: t.field({
    type: MessagePayload,
    args: { input: t.arg({ type: ToggleReactionInput }) },
    errors: { types: [ValidationError, NotFoundError, RateLimitedError] },
    rateLimit: false,
    resolve: async (_root, { input }, ctx) => ({
      message: await service.toggleReaction(ctx, messageOf(input.messageId), input.emoji),
    }),
  }),
  markConversationRead: t.field({
    type: ConversationPayload,
    args: { input: t.arg({ type: MarkConversationReadInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const conversationId = conversationIdOf(input.conversationId);
      await service.markRead(ctx, conversationId, input.seq);
      return { conversationId };
    },
  }),
  startDirectConversation: t.field({
    type: ConversationPayload,
    description: 'The one direct conversation of exactly these people, made the first time.',
    args: { input: t.arg({ type: StartDirectConversationInput }) },
    errors: { types: [ValidationError, NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      if (input.personIds.length > 50) throw new ValidationError([{ path: 'personIds', message: 'Too many people.' }]);
      const ids = input.personIds.map((id) => idOf(id, 'Person', 'That member'));
      return { conversationId: await service.startDirectConversation(ctx, ids) };
    },
  }),
  createChannel: t.field({
    type: ConversationPayload,
    description: 'Owners and admins of the group.',
    args: { input: t.arg({ type: CreateChannelInput }) },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const groupId = idOf(input.groupId, 'Group', 'That group');
      return { conversationId: await service.createChannel(ctx, groupId, input.name, input.topic ?? '') };
    },
  }),
  setTyping: t.field({
    type: TypingPayload,
    description: `Shown to the others for ${TYPING_TTL_MS / 1000} s unless renewed; send at most every few seconds.`,
    args: { input: t.arg({ type: SetTypingInput }) },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const conversationId = conversationIdOf(input.conversationId);
      const viewer = ctx.viewer!;
      if (!ctx.chat.typingDue(viewer.id, conversationId, input.typing)) return { ok: true };
      const access = await conversationAccess(ctx.db, conversationId, viewer.id);
      if (!access) throw new NotFoundError('That conversation');
      const me = await ctx.db.user.findUniqueOrThrow({ where: { id: viewer.id }, select: { id: true, name: true } });
      ctx.pubsub.publish('chat:typing', conversationId, {
        conversationId,
        person: me,
        typing: input.typing,
        expiresAt: new Date(Date.now() + TYPING_TTL_MS).toISOString(),
      });
      return { ok: true };
    },
  }),
  setPresence: t.field({
    type: PresencePayload,
    description: 'Show yourself AWAY (e.g. the tab is hidden) or ONLINE again, on every socket of this session.',
    args: { input: t.arg({ type: SetPresenceInput }) },
    resolve: (_root, { input }, ctx) => {
      ctx.pubsub.publish('chat:session-presence', { sessionId: ctx.viewer!.sessionId, status: input.status });
      return { status: input.status };
    },
  }),
}));
