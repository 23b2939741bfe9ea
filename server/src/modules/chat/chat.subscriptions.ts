import type { Context } from '../../context.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId, encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { offerSharedStream } from '../../graphql/shared-stream.js';
import { conversationAccess, presenceAudience, visibleConversationsWhere } from './chat.policy.js';
import type { ChatPerson, ConversationEventData, PresenceStatus, TypingNudge } from './chat.events.js';
import { PresenceEventRef } from './chat.queries.js';
import { StreamEnded, type FeedItem } from './conversation-feeds.js';
import { ConversationRef, primeViewerUnreadStats } from './conversation.type.js';
import type { InboxUpdate } from './inbox.js';
import { ChatAuthorRef, ConversationEventRef } from './message.type.js';

// Live chat. conversationEvents is the realtime protocol of docs/ARCHITECTURE.md: replay after `afterSeq`
// from the database, then live events, in seq order, no gap, no duplicate; authorization at
// subscribe time, at once on an access change, and at least every second while events flow (the
// stream ends with NOT_FOUND when access goes).

const InboxEventRef = builder.objectRef<InboxUpdate>('InboxEvent').implement({
  description: 'Your unread counts changed in one conversation (new message, read on another device, access lost).',
  fields: (t) => ({
    conversationId: t.id({ resolve: (event) => encodeConversationId(event.conversationId) }),
    conversation: t.prismaField({
      type: ConversationRef,
      nullable: true,
      description: 'null when you can no longer see it (then drop it from your list).',
      // Whether the recipient may see it now, not when the event was made (they may just have lost it).
      resolve: (query, event, _args, ctx) =>
        ctx.db.conversation.findUnique({
          ...query,
          where: { id: event.conversationId, AND: [visibleConversationsWhere(ctx.viewer?.id)] },
        }),
    }),
    totalUnread: t.exposeInt('totalUnread'),
  }),
});

const TypingEventRef = builder.objectRef<TypingNudge>('TypingEvent').implement({
  fields: (t) => ({
    conversationId: t.id({ resolve: (event) => encodeConversationId(event.conversationId) }),
    person: t.field({ type: ChatAuthorRef, resolve: (event) => event.person }),
    typing: t.exposeBoolean('typing', { description: 'false: stopped.' }),
    expiresAt: t.field({
      type: 'DateTime',
      description: 'Hide it after this unless renewed.',
      resolve: (event) => new Date(event.expiresAt),
    }),
  }),
});

const encodeConversationId = (id: string) => encodeGlobalId('Conversation', id);

async function accessibleConversation(ctx: Context, rawId: unknown) {
  const conversationId = decodeId(rawId == null ? null : String(rawId), 'Conversation');
  const access = conversationId ? await conversationAccess(ctx.db, conversationId, ctx.viewer!.id) : null;
  if (!access) throw new NotFoundError('That conversation');
  return access;
}

/**
 * Re-checked for every typing event: a verdict is kept for a few seconds, and only while the
 * access of the people it is about has not changed since the check began (chat.runtime's access).
 */
function accessCheck(ctx: Context, userIds: string[], check: () => Promise<boolean>, ttlMs = 5_000) {
  let verdict: { allowed: boolean; since: number } | null = null;
  return async () => {
    if (!verdict || Date.now() - verdict.since > ttlMs || !ctx.chat.access.unchangedSince(verdict.since, ...userIds)) {
      const since = Date.now();
      verdict = { allowed: await check(), since };
    }
    return verdict.allowed;
  };
}

async function* filtered<T>(
  source: AsyncIterable<T>,
  keep: (value: T) => Promise<boolean> | boolean,
): AsyncGenerator<T> {
  for await (const value of source) if (await keep(value)) yield value;
}

builder.subscriptionFields((t) => ({
  conversationEvents: t.field({
    type: ConversationEventRef,
    description:
      'Stored events with seq > afterSeq, then live ones: in seq order, no gap, no duplicate. Omit afterSeq to start from now. Ends with an error: NOT_FOUND when you lose access, UNAVAILABLE after a passing failure (resubscribe with the last seq you have).',
    args: {
      conversationId: t.arg.id(),
      afterSeq: t.arg.int({ required: false }),
    },
    subscribe: async (_root, args, ctx) => {
      if (args.afterSeq != null && args.afterSeq < 0)
        throw new ValidationError([{ path: 'afterSeq', message: 'afterSeq is 0 or more.' }]);
      const access = await accessibleConversation(ctx, args.conversationId);
      const stream = await ctx.chat.feeds.subscribe(access, ctx.viewer!.id, args.afterSeq ?? null);
      // Over graphql-ws the socket layer takes this stream and sends shared frames.
      offerSharedStream(ctx, stream);
      return stream;
    },
    resolve: (item: FeedItem): ConversationEventData => {
      if (item instanceof StreamEnded) throw item.error;
      return item;
    },
  }),
  inboxEvents: t.field({
    type: InboxEventRef,
    description:
      'Your unread counts, live: on every new message in your conversations and whenever you read on any device.',
    subscribe: (_root, _args, ctx) => ctx.chat.inbox.subscribe(ctx.viewer!.id),
    resolve: (update, _args, ctx) => {
      // Counts come with the event; resolving the conversation must not count again.
      primeViewerUnreadStats(ctx, new Map([[update.conversationId, update.stats]]));
      return update;
    },
  }),
  typingIndicators: t.field({
    type: TypingEventRef,
    description: 'Who is typing in this conversation (never yourself).',
    args: { conversationId: t.arg.id() },
    subscribe: async (_root, args, ctx) => {
      const access = await accessibleConversation(ctx, args.conversationId);
      const viewerId = ctx.viewer!.id;
      const stillAllowed = accessCheck(
        ctx,
        [viewerId],
        async () => (await conversationAccess(ctx.db, access.id, viewerId)) !== null,
      );
      return filtered(
        ctx.pubsub.subscribe('chat:typing', access.id),
        async (event) => event.person.id !== viewerId && (await stillAllowed()),
      );
    },
    resolve: (event) => event,
  }),
  presenceChanges: t.field({
    type: PresenceEventRef,
    description: 'Presence of people who share a group or a conversation with you.',
    subscribe: (_root, _args, ctx) => {
      const viewerId = ctx.viewer!.id;
      // A verdict per person, kept for a minute while neither side's access changed since it was made
      // (leaving the only group two people shared ends it at once).
      const seen = new Map<string, { allowed: boolean; since: number }>();
      return filtered(ctx.pubsub.subscribe('chat:presence'), async (change) => {
        if (change.userId === viewerId) return false;
        const known = seen.get(change.userId);
        if (
          known &&
          Date.now() - known.since < 60_000 &&
          ctx.chat.access.unchangedSince(known.since, viewerId, change.userId)
        ) {
          return known.allowed;
        }
        const since = Date.now();
        const allowed = (await presenceAudience(ctx.db, viewerId, [change.userId])).has(change.userId);
        seen.set(change.userId, { allowed, since });
        return allowed;
      });
    },
    resolve: async (change, _args, ctx): Promise<{ person: ChatPerson; status: PresenceStatus }> => {
      const user = await ctx.db.user.findUnique({ where: { id: change.userId }, select: { id: true, name: true } });
      return { person: user ?? { id: change.userId, name: 'Someone' }, status: change.status };
    },
  }),
}));
