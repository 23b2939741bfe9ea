import type { Context } from '../../context.js';
import { NotFoundError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { DEFAULT_PAGE_SIZE } from '../../schema/validation.js';
import { GroupRef } from '../groups/index.js';
import { canCreateChannels, canModerate, visibleConversationsWhere } from './chat.policy.js';
import type { MessageSnapshot } from './chat.events.js';
import { loadMessagePage, type PageRequest } from './message.loader.js';
import { ChatAuthorRef, MessageRef, messageIdOf } from './message.type.js';
import { unreadStats, type UnreadStats } from './unread.js';

// Conversations: group channels, direct messages (and, later, mentorship and introduction
// conversations). Who may see one is chat.policy.ts; a hidden one loads as null, like a missing one.

export const ConversationKindEnum = builder.enumType('ConversationKind', {
  values: ['CHANNEL', 'DIRECT', 'MENTORSHIP', 'INTRODUCTION'] as const,
});

const viewerStats = new WeakMap<object, Promise<Map<string, UnreadStats>>>();

/** The viewer's unread stats for every conversation: one statement per request. */
export function viewerUnreadStats(ctx: Context): Promise<Map<string, UnreadStats>> {
  let stats = viewerStats.get(ctx);
  if (!stats) {
    const viewerId = ctx.viewer?.id;
    stats = viewerId
      ? unreadStats(ctx.db, [viewerId]).then((all) => all.get(viewerId) ?? new Map())
      : Promise.resolve(new Map());
    viewerStats.set(ctx, stats);
  }
  return stats;
}

/** A live inbox event already knows the numbers: answer from them, not from a new count. */
export function primeViewerUnreadStats(ctx: Context, stats: Map<string, UnreadStats>): void {
  viewerStats.set(ctx, Promise.resolve(stats));
}

const NO_STATS = { lastReadSeq: 0, unread: 0, mentions: 0 };

export const MessageConnectionRef = builder.connectionObject(
  { type: MessageRef, name: 'MessageConnection' },
  { name: 'MessageEdge' },
);

type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };

function seqCursor(value: string | null | undefined): number | null {
  if (value == null) return null;
  if (!/^\d{1,10}$/.test(value)) throw new NotFoundError('That position');
  return Number(value);
}

/** first/after reads forward from a seq; otherwise last/before reads backward from the newest. */
function pageRequest(args: PageArgs): PageRequest {
  const after = seqCursor(args.after);
  if (args.first != null || after !== null)
    return { direction: 'forward', limit: args.first ?? DEFAULT_PAGE_SIZE, afterSeq: after ?? 0 };
  return { direction: 'backward', limit: args.last ?? DEFAULT_PAGE_SIZE, beforeSeq: seqCursor(args.before) };
}

function toConnection(page: { messages: MessageSnapshot[]; hasOlder: boolean; hasNewer: boolean }) {
  const edges = page.messages.map((message) => ({ cursor: String(message.seq), node: message }));
  return {
    edges,
    pageInfo: {
      hasPreviousPage: page.hasOlder,
      hasNextPage: page.hasNewer,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export const ConversationRef = builder.prismaNode('Conversation', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [visibleConversationsWhere(ctx.viewer?.id)] }),
  fields: (t) => ({
    kind: t.expose('kind', { type: ConversationKindEnum }),
    name: t.exposeString('name', { nullable: true, description: 'A channel\'s name without "#"; null otherwise.' }),
    topic: t.exposeString('topic'),
    isDefault: t.exposeBoolean('isDefault', { description: "The group's #general." }),
    lastSeq: t.exposeInt('lastSeq', { description: "The newest event's seq: subscribe with afterSeq to resume." }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    group: t.relation('group', { nullable: true, description: 'The group of a channel.' }),
    participants: t.field({
      type: [ChatAuthorRef],
      description: 'Everyone in a direct conversation, you included; empty for channels.',
      select: {
        participants: { select: { user: { select: { id: true, name: true } } }, orderBy: { joinedAt: 'asc' } },
      },
      resolve: (conversation) => conversation.participants.map((p) => p.user),
    }),
    title: t.string({
      description: 'What to call it: "general" for #general, the other people\'s names for a direct conversation.',
      select: { participants: { select: { user: { select: { id: true, name: true } } } } },
      resolve: (conversation, _args, ctx) => {
        if (conversation.name) return conversation.name;
        const others = conversation.participants.filter((p) => p.user.id !== ctx.viewer?.id).map((p) => p.user.name);
        return others.length > 0 ? others.sort().join(', ') : 'Just you';
      },
    }),
    viewerLastReadSeq: t.int({
      resolve: async (conversation, _args, ctx) =>
        ((await viewerUnreadStats(ctx)).get(conversation.id) ?? NO_STATS).lastReadSeq,
    }),
    unreadCount: t.int({
      description: 'Messages by others after your read marker, not deleted (thread replies included); at most 1000.',
      resolve: async (conversation, _args, ctx) =>
        ((await viewerUnreadStats(ctx)).get(conversation.id) ?? NO_STATS).unread,
    }),
    unreadMentionCount: t.int({
      resolve: async (conversation, _args, ctx) =>
        ((await viewerUnreadStats(ctx)).get(conversation.id) ?? NO_STATS).mentions,
    }),
    viewerCanModerate: t.boolean({
      description: "Delete others' messages (moderators and up of a channel's group).",
      select: { groupId: true },
      resolve: async (conversation, _args, ctx) => {
        // Only a channel has a group; canModerate decides by kind and role.
        if (!conversation.groupId || !ctx.viewer) return false;
        const membership = await ctx.db.membership.findUnique({
          where: { groupId_userId: { groupId: conversation.groupId, userId: ctx.viewer.id } },
          select: { role: true },
        });
        return canModerate({ kind: conversation.kind, role: membership?.role ?? null });
      },
    }),
    messages: t.connection(
      {
        type: MessageRef,
        description:
          'Top-level messages in order. `last` (newest page) and `before` read older pages; `first`/`after` read forward from a seq (after: viewerLastReadSeq jumps to the first unread). Cursors are seqs.',
        resolve: async (conversation, args, ctx) =>
          toConnection(await loadMessagePage(ctx.db, conversation.id, null, pageRequest(args))),
      },
      MessageConnectionRef,
    ),
    thread: t.connection(
      {
        type: MessageRef,
        description: "One thread's replies in order (same paging as messages).",
        args: { rootId: t.arg.id() },
        resolve: async (conversation, args, ctx) => {
          const rootId = messageIdOf(args.rootId);
          if (!rootId) throw new NotFoundError('That thread');
          return toConnection(await loadMessagePage(ctx.db, conversation.id, rootId, pageRequest(args)));
        },
      },
      MessageConnectionRef,
    ),
  }),
});

builder.prismaObjectFields(GroupRef, (t) => ({
  channels: t.prismaField({
    type: [ConversationRef],
    description: "The group's channels, #general first; only its members see them.",
    resolve: (query, group, _args, ctx) =>
      ctx.viewer
        ? ctx.db.conversation.findMany({
            ...query,
            where: { groupId: group.id, kind: 'CHANNEL', AND: [visibleConversationsWhere(ctx.viewer.id)] },
            orderBy: [{ isDefault: 'desc' }, { name: 'asc' }],
          })
        : [],
  }),
  viewerCanCreateChannels: t.boolean({
    resolve: async (group, _args, ctx) => {
      if (!ctx.viewer) return false;
      const membership = await ctx.db.membership.findUnique({
        where: { groupId_userId: { groupId: group.id, userId: ctx.viewer.id } },
        select: { role: true },
      });
      return canCreateChannels(membership?.role);
    },
  }),
}));

export function conversationGlobalId(id: string): string {
  return encodeGlobalId('Conversation', id);
}
