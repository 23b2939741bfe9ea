import { NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { hitRateLimit } from '../../lib/rate-limit.js';
import { builder } from '../../schema/builder.js';
import { DEFAULT_PAGE_SIZE } from '../../schema/validation.js';
import { presenceAudience, visibleConversationsWhere } from './chat.policy.js';
import type { ChatPerson, MessageSnapshot, PresenceStatus } from './chat.events.js';
import { searchQueryInput } from './chat.inputs.js';
import { PresenceStatusEnum } from './chat.mutations.js';
import { ConversationRef, viewerUnreadStats } from './conversation.type.js';
import { loadMessages } from './message.loader.js';
import { ChatAuthorRef, MessageRef } from './message.type.js';
import { PersonRef } from '../people/index.js';
import { searchMessages, type SnippetSegment } from './search.js';
import { totalUnread } from './unread.js';

// Reads of the chat module: the viewer's conversations, unread total, message search, presence.

const SEARCH_LIMIT = { name: 'chat-search', limit: 120, windowMs: 60_000 };

export const PresenceEventRef = builder
  .objectRef<{ person: ChatPerson; status: PresenceStatus }>('PresenceEvent')
  .implement({
    fields: (t) => ({
      person: t.field({ type: ChatAuthorRef, resolve: (event) => event.person }),
      status: t.field({ type: PresenceStatusEnum, resolve: (event) => event.status }),
    }),
  });

const TextSegmentRef = builder.objectRef<SnippetSegment>('TextSegment').implement({
  fields: (t) => ({ text: t.exposeString('text'), highlighted: t.exposeBoolean('highlighted') }),
});

type SearchHitData = { message: MessageSnapshot; snippet: SnippetSegment[] };

const MessageSearchHitRef = builder.objectRef<SearchHitData>('MessageSearchHit').implement({
  fields: (t) => ({
    message: t.field({ type: MessageRef, resolve: (hit) => hit.message }),
    conversation: t.prismaField({
      type: ConversationRef,
      resolve: (query, hit, _args, ctx) =>
        ctx.db.conversation.findUniqueOrThrow({ ...query, where: { id: hit.message.conversationId } }),
    }),
    snippet: t.field({
      type: [TextSegmentRef],
      description: 'The matching part of the message, matches highlighted. Plain text: render it as text.',
      resolve: (hit) => hit.snippet,
    }),
  }),
});

builder.queryFields((t) => ({
  conversations: t.prismaConnection(
    {
      type: ConversationRef,
      cursor: 'id',
      authScopes: { member: true },
      description: "Your groups' channels and your direct conversations, most recent activity first.",
      resolve: (query, _root, _args, ctx) =>
        ctx.db.conversation.findMany({
          ...query,
          where: visibleConversationsWhere(ctx.viewer!.id),
          orderBy: [{ lastMessageAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
        }),
    },
    { name: 'ConversationConnection' },
    { name: 'ConversationEdge' },
  ),
  totalUnread: t.int({
    authScopes: { member: true },
    description: 'Unread messages in all your conversations.',
    resolve: async (_root, _args, ctx) => totalUnread(await viewerUnreadStats(ctx)),
  }),
  searchMessages: t.connection(
    {
      type: MessageSearchHitRef,
      authScopes: { member: true },
      description: 'Full-text search over the messages you may see, newest first. Quotes, OR and -word work.',
      args: {
        query: t.arg.string({ validate: searchQueryInput }),
        conversationId: t.arg.id({ required: false }),
      },
      resolve: async (_root, args, ctx) => {
        if (args.last != null || args.before != null) {
          throw new ValidationError([{ path: 'last', message: 'Search pages forward only (first/after).' }]);
        }
        const verdict = await hitRateLimit(ctx.db, SEARCH_LIMIT, ctx.viewer!.id);
        if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
        const conversationId =
          args.conversationId != null ? decodeId(String(args.conversationId), 'Conversation') : null;
        if (args.conversationId != null && !conversationId) throw new NotFoundError('That conversation');
        const page = await searchMessages(ctx.db, ctx.viewer!.id, {
          query: args.query,
          conversationId,
          first: args.first ?? DEFAULT_PAGE_SIZE,
          after: args.after ?? null,
        });
        const messages = await loadMessages(
          ctx.db,
          page.hits.map((hit) => hit.messageId),
        );
        const edges = page.hits
          .filter((hit) => messages.has(hit.messageId))
          .map((hit) => ({
            cursor: hit.cursor,
            node: { message: messages.get(hit.messageId)!, snippet: hit.snippet },
          }));
        return {
          edges,
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: args.after != null,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: page.endCursor,
          },
        };
      },
    },
    { name: 'MessageSearchConnection' },
    { name: 'MessageSearchEdge' },
  ),
  presence: t.field({
    type: [PresenceEventRef],
    authScopes: { member: true },
    description: 'Presence of people who share a group or a conversation with you; anyone else reads as OFFLINE.',
    args: { personIds: t.arg.idList() },
    resolve: async (_root, { personIds }, ctx) => {
      if (personIds.length > 200)
        throw new ValidationError([{ path: 'personIds', message: 'Ask for at most 200 people.' }]);
      const ids = [
        ...new Set(personIds.map((id) => decodeId(String(id), 'Person')).filter((id): id is string => id !== null)),
      ];
      const [audience, users] = await Promise.all([
        presenceAudience(ctx.db, ctx.viewer!.id, ids),
        ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
      ]);
      const statuses = await ctx.chat.presence.statusOf([...audience]);
      return users.map((user) => ({
        person: user,
        status: audience.has(user.id) ? (statuses.get(user.id) ?? 'OFFLINE') : 'OFFLINE',
      }));
    },
  }),
}));

builder.prismaObjectFields(PersonRef, (t) => ({
  presence: t.field({
    type: PresenceStatusEnum,
    description: 'ONLINE / AWAY / OFFLINE for people who share a group or a conversation with you; OFFLINE otherwise.',
    resolve: async (person, _args, ctx): Promise<PresenceStatus> => {
      const viewerId = ctx.viewer?.id;
      if (!viewerId || !(await presenceAudience(ctx.db, viewerId, [person.id])).has(person.id)) return 'OFFLINE';
      return (await ctx.chat.presence.statusOf([person.id])).get(person.id) ?? 'OFFLINE';
    },
  }),
}));
