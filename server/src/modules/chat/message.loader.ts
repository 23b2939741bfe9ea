import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db.js';
import type { ConversationEventKind } from '../../generated/prisma/enums.js';
import { storedCard } from './chat.cards.js';
import type { ChatPerson, ConversationEventData, MessageSnapshot, ReactionState } from './chat.events.js';

// Messages as subscribers and history pages see them, each read in ONE SQL statement with
// authors, reactions (who reacted) and mentions, whatever the number of messages.

type Row = {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  senderId: string | null;
  senderName: string | null;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  parentId: string | null;
  replyCount: number;
  lastReplyAt: Date | null;
  reactions: ReactionState[] | null;
  mentions: ChatPerson[] | null;
  card: unknown;
};

const SNAPSHOT_COLUMNS = Prisma.sql`
  m."id", m."conversationId", m."seq", m."clientId", m."senderId", u."name" AS "senderName", m."body",
  m."createdAt", m."editedAt", m."deletedAt", m."parentId", m."replyCount", m."lastReplyAt", m."card",
  (SELECT json_agg(json_build_object('emoji', r."emoji", 'reactors', r."reactors") ORDER BY r."firstAt", r."emoji")
     FROM (SELECT mr."emoji", min(mr."createdAt") AS "firstAt",
                  json_agg(json_build_object('id', ru."id", 'name', ru."name") ORDER BY mr."createdAt", ru."id") AS "reactors"
             FROM "MessageReaction" mr JOIN "User" ru ON ru."id" = mr."userId"
            WHERE mr."messageId" = m."id"
            GROUP BY mr."emoji") r) AS "reactions",
  (SELECT json_agg(json_build_object('id', mu."id", 'name', mu."name") ORDER BY mu."name", mu."id")
     FROM "MessageMention" mm JOIN "User" mu ON mu."id" = mm."userId"
    WHERE mm."messageId" = m."id") AS "mentions"`;

function toSnapshot(row: Row): MessageSnapshot {
  const deleted = row.deletedAt !== null;
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    clientId: row.clientId,
    author: row.senderId && row.senderName !== null ? { id: row.senderId, name: row.senderName } : null,
    // A tombstone keeps its place, not its words or who it named.
    body: deleted ? '' : row.body,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
    parentId: row.parentId,
    replyCount: row.replyCount,
    lastReplyAt: row.lastReplyAt?.toISOString() ?? null,
    reactions: deleted ? [] : (row.reactions ?? []),
    mentions: deleted ? [] : (row.mentions ?? []),
    card: deleted ? null : storedCard(row.card),
  };
}

export async function loadMessages(db: DbClient, ids: readonly string[]): Promise<Map<string, MessageSnapshot>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<Row[]>`
    SELECT ${SNAPSHOT_COLUMNS}
      FROM "Message" m LEFT JOIN "User" u ON u."id" = m."senderId"
     WHERE m."id" = ANY(${[...ids]}::uuid[])`;
  return new Map(rows.map((row) => [row.id, toSnapshot(row)]));
}

export interface MessagePage {
  /** Chronological. */
  messages: MessageSnapshot[];
  /** There are older messages before the first one. */
  hasOlder: boolean;
  /** There are newer messages after the last one. */
  hasNewer: boolean;
}

export type PageRequest =
  | { direction: 'backward'; limit: number; beforeSeq: number | null }
  | { direction: 'forward'; limit: number; afterSeq: number };

/**
 * One page of a conversation's top-level messages (threadRootId null) or of one thread's replies,
 * by seq. One statement: the page, its authors, reactions and mentions. hasOlder/hasNewer of the
 * far side are answered by the caller from the cursor (a cursor means something lies beyond it).
 */
export async function loadMessagePage(
  db: DbClient,
  conversationId: string,
  threadRootId: string | null,
  request: PageRequest,
): Promise<MessagePage> {
  const scope = threadRootId
    ? Prisma.sql`m."conversationId" = ${conversationId}::uuid AND m."parentId" = ${threadRootId}::uuid`
    : Prisma.sql`m."conversationId" = ${conversationId}::uuid AND m."parentId" IS NULL`;
  const take = request.limit + 1;
  const rows =
    request.direction === 'backward'
      ? await db.$queryRaw<Row[]>`
          SELECT ${SNAPSHOT_COLUMNS}
            FROM "Message" m LEFT JOIN "User" u ON u."id" = m."senderId"
           WHERE ${scope} ${request.beforeSeq !== null ? Prisma.sql`AND m."seq" < ${request.beforeSeq}` : Prisma.empty}
           ORDER BY m."seq" DESC
           LIMIT ${take}`
      : await db.$queryRaw<Row[]>`
          SELECT ${SNAPSHOT_COLUMNS}
            FROM "Message" m LEFT JOIN "User" u ON u."id" = m."senderId"
           WHERE ${scope} AND m."seq" > ${request.afterSeq}
           ORDER BY m."seq" ASC
           LIMIT ${take}`;
  const more = rows.length > request.limit;
  const page = rows.slice(0, request.limit).map(toSnapshot);
  if (request.direction === 'backward') {
    page.reverse();
    return { messages: page, hasOlder: more, hasNewer: request.beforeSeq !== null };
  }
  return { messages: page, hasOlder: request.afterSeq > 0, hasNewer: more };
}

/** Stored events after `afterSeq` (at most `limit`), each with its message as it is now. One statement. */
export async function loadEventsAfter(
  db: DbClient,
  conversationId: string,
  afterSeq: number,
  limit: number,
  untilSeq: number | null = null,
): Promise<ConversationEventData[]> {
  const rows = await db.$queryRaw<Array<Row & { eventSeq: number; eventKind: ConversationEventKind }>>`
    SELECT e."seq" AS "eventSeq", e."kind"::text AS "eventKind", ${SNAPSHOT_COLUMNS}
      FROM "ConversationEvent" e
      JOIN "Message" m ON m."id" = e."messageId"
      LEFT JOIN "User" u ON u."id" = m."senderId"
     WHERE e."conversationId" = ${conversationId}::uuid AND e."seq" > ${afterSeq}
           ${untilSeq !== null ? Prisma.sql`AND e."seq" <= ${untilSeq}` : Prisma.empty}
     ORDER BY e."seq" ASC
     LIMIT ${limit}`;
  return rows.map((row) => ({ conversationId, seq: row.eventSeq, kind: row.eventKind, message: toSnapshot(row) }));
}
