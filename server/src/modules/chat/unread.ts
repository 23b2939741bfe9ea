import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db.js';
import { visiblePairsSql } from './chat.policy.js';

// Unread counts, always computed on the server from read markers (docs/ARCHITECTURE.md, "Realtime protocol"): messages by
// others after the member's lastReadSeq, not deleted. Without a marker, messages since the
// member joined (a new member of a big group does not start with thousands unread).

/** Counts stop here; the web shows "999+". Keeps one count cheap on channels of any size. */
export const UNREAD_CAP = 1000;

export interface UnreadStats {
  conversationId: string;
  lastReadSeq: number;
  unread: number;
  mentions: number;
}

/**
 * Unread stats of these members for every conversation they may see (or only `conversationId`).
 * One statement for any number of members.
 */
export async function unreadStats(
  db: DbClient,
  userIds: readonly string[],
  conversationId: string | null = null,
): Promise<Map<string, Map<string, UnreadStats>>> {
  const result = new Map<string, Map<string, UnreadStats>>();
  if (userIds.length === 0) return result;
  const users = [...userIds];
  const only = conversationId ? Prisma.sql`AND c."id" = ${conversationId}::uuid` : Prisma.empty;
  const rows = await db.$queryRaw<Array<UnreadStats & { userId: string }>>`
    WITH visible AS (${visiblePairsSql(Prisma.sql`${users}::uuid[]`, only)})
    SELECT v."userId", v."id" AS "conversationId", COALESCE(rm."lastReadSeq", 0) AS "lastReadSeq",
           CASE WHEN v."lastSeq" <= COALESCE(rm."lastReadSeq", 0) THEN 0 ELSE (
             SELECT count(*)::int FROM (
               SELECT 1 FROM "Message" m
                WHERE m."conversationId" = v."id" AND m."seq" > COALESCE(rm."lastReadSeq", 0)
                  AND m."deletedAt" IS NULL AND m."senderId" IS DISTINCT FROM v."userId"
                  AND (rm."lastReadSeq" IS NOT NULL OR m."createdAt" >= v."joinedAt")
                LIMIT ${UNREAD_CAP}) x) END AS "unread",
           CASE WHEN v."lastSeq" <= COALESCE(rm."lastReadSeq", 0) THEN 0 ELSE (
             SELECT count(*)::int FROM "MessageMention" mm JOIN "Message" m ON m."id" = mm."messageId"
              WHERE mm."userId" = v."userId" AND m."conversationId" = v."id"
                AND m."seq" > COALESCE(rm."lastReadSeq", 0) AND m."deletedAt" IS NULL) END AS "mentions"
      FROM visible v
      LEFT JOIN "ReadMarker" rm ON rm."conversationId" = v."id" AND rm."userId" = v."userId"`;
  for (const row of rows) {
    let perUser = result.get(row.userId);
    if (!perUser) result.set(row.userId, (perUser = new Map()));
    perUser.set(row.conversationId, {
      conversationId: row.conversationId,
      lastReadSeq: row.lastReadSeq,
      unread: row.unread,
      mentions: row.mentions,
    });
  }
  return result;
}

export function totalUnread(stats: ReadonlyMap<string, UnreadStats> | undefined): number {
  let total = 0;
  for (const entry of stats?.values() ?? []) total += entry.unread;
  return total;
}
