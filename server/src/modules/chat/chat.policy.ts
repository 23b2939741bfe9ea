import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { ConversationKind, GroupRole } from '../../generated/prisma/enums.js';
import { can } from '../groups/index.js';
import { keptApartFrom, notKeptApartSql, notKeptApartWhere, sharedWithViewerSql } from '../people/index.js';

// Every permission rule of the chat module, each written once. Who may see a conversation is
// one table (CONVERSATION_AUDIENCE); the JS check, the Prisma filter and every SQL form of it are
// made from that table, and tests/api/policy-twins.test.ts runs them all against every kind and
// viewer on a real database. Used by queries, mutations, node(), at subscribe time and for every
// delivered event; "forbidden" always looks like "not found". Roles come from the groups matrix.

export const CONVERSATION_KINDS = [
  'CHANNEL',
  'DIRECT',
  'MENTORSHIP',
  'INTRODUCTION',
] as const satisfies readonly ConversationKind[];

/** Whose a conversation is, by kind: a channel its group's members', every other kind its participants'. */
export const CONVERSATION_AUDIENCE = {
  CHANNEL: 'groupMembers',
  DIRECT: 'participants',
  MENTORSHIP: 'participants',
  INTRODUCTION: 'participants',
} as const satisfies Record<ConversationKind, 'groupMembers' | 'participants'>;

type Audience = (typeof CONVERSATION_AUDIENCE)[ConversationKind];

function kindsFor(audience: Audience): ConversationKind[] {
  return CONVERSATION_KINDS.filter((kind) => CONVERSATION_AUDIENCE[kind] === audience);
}

/** `c."kind" IN ('DIRECT', …)`: enum literals from the closed list above, not user input. */
function kindInSql(alias: string, audience: Audience): Prisma.Sql {
  const kinds = kindsFor(audience);
  if (kinds.length === 0) return Prisma.sql`false`;
  return Prisma.raw(`${alias}."kind" IN (${kinds.map((kind) => `'${kind}'`).join(', ')})`);
}

/** The JS check, over facts already loaded. */
export function canViewConversation(
  conversation: { kind: ConversationKind },
  viewer: { signedIn: boolean; isGroupMember: boolean; isParticipant: boolean },
): boolean {
  if (!viewer.signedIn) return false;
  return CONVERSATION_AUDIENCE[conversation.kind] === 'groupMembers' ? viewer.isGroupMember : viewer.isParticipant;
}

/** The same rule as a Prisma filter, for lists and node(). */
export function visibleConversationsWhere(viewerId: string | null | undefined): Prisma.ConversationWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { kind: { in: kindsFor('groupMembers') }, group: { memberships: { some: { userId: viewerId } } } },
      { kind: { in: kindsFor('participants') }, participants: { some: { userId: viewerId } } },
    ],
  };
}

/** The same rule in SQL, for raw statements: `c` must be the "Conversation" alias. */
export function conversationVisibleSql(viewerId: string): Prisma.Sql {
  return Prisma.sql`(
    (${kindInSql('c', 'groupMembers')} AND EXISTS (SELECT 1 FROM "Membership" ms WHERE ms."groupId" = c."groupId" AND ms."userId" = ${viewerId}::uuid))
    OR (${kindInSql('c', 'participants')} AND EXISTS (SELECT 1 FROM "ConversationParticipant" cp WHERE cp."conversationId" = c."id" AND cp."userId" = ${viewerId}::uuid)))`;
}

/**
 * The same rule for many members at once: a SELECT of every (member, conversation) pair where the
 * member may see it, with columns "userId", "joinedAt" (since when: group membership or
 * participation), "id" and "lastSeq" of the conversation. `users` is a uuid[] expression; `only`
 * narrows the conversations (an `AND …` over the alias `c`, or Prisma.empty).
 */
export function visiblePairsSql(users: Prisma.Sql, only: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`SELECT ms."userId", ms."joinedAt", c."id", c."lastSeq"
        FROM "Conversation" c JOIN "Membership" ms ON ms."groupId" = c."groupId"
       WHERE ${kindInSql('c', 'groupMembers')} AND ms."userId" = ANY(${users}) ${only}
      UNION ALL
      SELECT cp."userId", cp."joinedAt", c."id", c."lastSeq"
        FROM "Conversation" c JOIN "ConversationParticipant" cp ON cp."conversationId" = c."id"
       WHERE ${kindInSql('c', 'participants')} AND cp."userId" = ANY(${users}) ${only}`;
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
    CONVERSATION_AUDIENCE[conversation.kind] === 'groupMembers'
      ? await db.$queryRaw<Array<{ userId: string }>>`
          SELECT "userId" FROM "Membership" WHERE "groupId" = ${conversation.groupId}::uuid AND "userId" = ANY(${ids}::uuid[])`
      : await db.$queryRaw<Array<{ userId: string }>>`
          SELECT "userId" FROM "ConversationParticipant" WHERE "conversationId" = ${conversation.id}::uuid AND "userId" = ANY(${ids}::uuid[])`;
  return new Set(rows.map((row) => row.userId));
}

/**
 * Of these members, who may see which of these conversations (an activity nudge's recipients).
 * One statement for any number of both. (The same rule as visiblePairsSql.)
 */
export async function audiencesOf(
  db: DbClient,
  conversationIds: readonly string[],
  userIds: readonly string[],
): Promise<Array<{ conversationId: string; userId: string }>> {
  if (conversationIds.length === 0 || userIds.length === 0) return [];
  return db.$queryRaw<Array<{ conversationId: string; userId: string }>>`
    SELECT v."id" AS "conversationId", v."userId"
      FROM (${visiblePairsSql(Prisma.sql`${[...userIds]}::uuid[]`, Prisma.sql`AND c."id" = ANY(${[...conversationIds]}::uuid[])`)}) v`;
}

/** Moderators and up delete anyone's messages in their group's channels; nobody else's elsewhere. */
export function canModerate(access: Pick<ConversationAccess, 'kind' | 'role'>): boolean {
  return CONVERSATION_AUDIENCE[access.kind] === 'groupMembers' && can(access.role, 'moderateChannels');
}

/** Owners and admins add channels to their group. */
export function canCreateChannels(role: GroupRole | null | undefined): boolean {
  return can(role, 'createChannels');
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

/**
 * Whose presence the viewer may see, of `userIds`: their own, and that of everyone who shares a
 * group or a conversation with them. One statement.
 */
export async function presenceAudience(db: DbClient, viewerId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return new Set<string>();
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT u."id" FROM "User" u
     WHERE u."id" = ANY(${[...userIds]}::uuid[])
       AND (u."id" = ${viewerId}::uuid
            OR u."id" IN (${sharedWithViewerSql(viewerId)})
            OR EXISTS (SELECT 1 FROM "ConversationParticipant" a JOIN "ConversationParticipant" b ON b."conversationId" = a."conversationId"
                        WHERE a."userId" = ${viewerId}::uuid AND b."userId" = u."id"))`;
  return new Set(rows.map((row) => row.id));
}

// ── Blocks in conversations ──────────────────────────────────────────────

/**
 * Of `otherIds`, those the viewer may not start a direct conversation with (a block either way:
 * people's BLOCK_RULES.startDirect). One statement for any number: startDirectConversation refuses
 * with it, and a profile's "Send a message" (Person.viewerActions) asks it ahead.
 */
export function directMessageRefusedWith(db: DbClient, viewerId: string, otherIds: readonly string[]) {
  return keptApartFrom(db, 'startDirect', viewerId, otherIds);
}

/**
 * Where a block between the two participants stops new words (sends, edits, reactions): a
 * conversation of just the two, of these kinds. A group direct message goes on (as a channel does):
 * a block there stops only mentions and notifications, and any member may leave it. Deleting one's
 * own messages is always allowed.
 */
export const CLOSED_BY_BLOCK = {
  CHANNEL: false,
  DIRECT: true,
  MENTORSHIP: true,
  INTRODUCTION: true,
} as const satisfies Record<ConversationKind, boolean>;

/** The JS check: may the viewer write in this conversation, given whether the other of two blocked or was blocked? */
export function mayWriteIn(
  conversation: { kind: ConversationKind; participantCount: number },
  keptApartFromOther: boolean,
): boolean {
  return !(CLOSED_BY_BLOCK[conversation.kind] && conversation.participantCount === 2 && keptApartFromOther);
}

/** The same rule in SQL over the "Conversation" alias `c` (the send statement, the seq reservation). */
export function writableSql(viewerId: string): Prisma.Sql {
  const kinds = CONVERSATION_KINDS.filter((kind) => CLOSED_BY_BLOCK[kind]);
  const closedKind =
    kinds.length === 0 ? Prisma.sql`false` : Prisma.raw(`c."kind" IN (${kinds.map((kind) => `'${kind}'`).join(', ')})`);
  return Prisma.sql`NOT (${closedKind}
    AND (SELECT count(*) FROM "ConversationParticipant" wp WHERE wp."conversationId" = c."id") = 2
    AND EXISTS (SELECT 1 FROM "ConversationParticipant" other
                 WHERE other."conversationId" = c."id" AND other."userId" <> ${viewerId}::uuid
                   AND NOT ${notKeptApartSql('sendDirect', viewerId, Prisma.raw('other."userId"'))}))`;
}

/**
 * Who the viewer is offered to mention here, as a Prisma filter on User: whoever may see the
 * conversation (its group's members, or its participants), less anyone a block keeps apart from
 * the viewer (people/blocking.policy.ts), less the viewer.
 */
export function mentionCandidatesWhere(
  conversation: { id: string; kind: ConversationKind; groupId: string | null },
  viewerId: string,
): Prisma.UserWhereInput {
  let audience: Prisma.UserWhereInput = { conversations: { some: { conversationId: conversation.id } } };
  if (CONVERSATION_AUDIENCE[conversation.kind] === 'groupMembers') {
    audience = conversation.groupId ? { memberships: { some: { groupId: conversation.groupId } } } : { id: { in: [] } };
  }
  return { AND: [audience, notKeptApartWhere('suggest', viewerId), { id: { not: viewerId } }] };
}
