import { Prisma } from '../../generated/prisma/client.js';
import type { DbClient } from '../../db.js';
import type { ConversationKind, GroupRole } from '../../generated/prisma/enums.js';

// Who may see and do what in a conversation. A CHANNEL belongs to its group's members; every
// other kind to its participants. Used by queries, mutations, at subscribe time and for every
// delivered event; "forbidden" always looks like "not found".

/** The same rule as a Prisma filter, for lists and node(). */
export function visibleConversationsWhere(viewerId: string | null | undefined): Prisma.ConversationWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { kind: 'CHANNEL', group: { memberships: { some: { userId: viewerId } } } },
      { kind: { not: 'CHANNEL' }, participants: { some: { userId: viewerId } } },
    ],
  };
}

/** The same rule in SQL, for raw statements: `c` must be the "Conversation" alias. */
export function conversationVisibleSql(viewerId: string): Prisma.Sql {
  return Prisma.sql`(
    (c."kind" = 'CHANNEL' AND EXISTS (SELECT 1 FROM "Membership" ms WHERE ms."groupId" = c."groupId" AND ms."userId" = ${viewerId}::uuid))
    OR (c."kind" <> 'CHANNEL' AND EXISTS (SELECT 1 FROM "ConversationParticipant" cp WHERE cp."conversationId" = c."id" AND cp."userId" = ${viewerId}::uuid)))`;
}

export interface ConversationAccess {
  id: string;
  kind: ConversationKind;
  groupId: string | null;
  /** CHANNEL: the viewer's role in the group. */
  role: GroupRole | null;
}

/** The conversation if the viewer may see it, with their group role; null otherwise. One statement. */
export async function conversationAccess(
  db: DbClient,
  conversationId: string,
  viewerId: string,
): Promise<ConversationAccess | null> {
  const rows = await db.$queryRaw<ConversationAccess[]>`
    SELECT c."id", c."kind"::text AS "kind", c."groupId",
           (SELECT ms."role"::text FROM "Membership" ms WHERE ms."groupId" = c."groupId" AND ms."userId" = ${viewerId}::uuid) AS "role"
      FROM "Conversation" c
     WHERE c."id" = ${conversationId}::uuid AND ${conversationVisibleSql(viewerId)}`;
  return rows[0] ?? null;
}

/** Of `userIds`, those who may still see the conversation. One statement, for any number of people. */
export async function usersWithAccess(
  db: DbClient,
  conversation: { id: string; kind: ConversationKind; groupId: string | null },
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const ids = [...userIds];
  const rows =
    conversation.kind === 'CHANNEL'
      ? await db.$queryRaw<Array<{ userId: string }>>`
          SELECT "userId" FROM "Membership" WHERE "groupId" = ${conversation.groupId}::uuid AND "userId" = ANY(${ids}::uuid[])`
      : await db.$queryRaw<Array<{ userId: string }>>`
          SELECT "userId" FROM "ConversationParticipant" WHERE "conversationId" = ${conversation.id}::uuid AND "userId" = ANY(${ids}::uuid[])`;
  return new Set(rows.map((row) => row.userId));
}

/** Moderators and up delete anyone's messages in their group's channels; nobody else's elsewhere. */
export function canModerate(access: Pick<ConversationAccess, 'kind' | 'role'>): boolean {
  return (
    access.kind === 'CHANNEL' && (access.role === 'OWNER' || access.role === 'ADMIN' || access.role === 'MODERATOR')
  );
}

/** Owners and admins add channels to their group. */
export function canCreateChannels(role: GroupRole | null | undefined): boolean {
  return role === 'OWNER' || role === 'ADMIN';
}

export function canEditMessage(
  message: { senderId: string | null; deletedAt: Date | null },
  viewerId: string,
): boolean {
  return message.deletedAt === null && message.senderId === viewerId;
}

export function canDeleteMessage(
  message: { senderId: string | null; deletedAt: Date | null },
  viewerId: string,
  access: Pick<ConversationAccess, 'kind' | 'role'>,
): boolean {
  return message.deletedAt === null && (message.senderId === viewerId || canModerate(access));
}
