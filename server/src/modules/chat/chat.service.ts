import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { ConversationEventKind, ConversationKind } from '../../generated/prisma/enums.js';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { hitRateLimit } from '../../lib/rate-limit.js';
import {
  type CreatedNotification,
  notify,
  publishNotifications,
  withdrawNotifications,
} from '../notifications/index.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { keptApartFrom } from '../people/index.js';
import { mentioned as mentionedKind } from './chat.notifications.js';
import {
  canCreateChannels,
  canDeleteMessage,
  canEditMessage,
  conversationAccess,
  conversationVisibleSql,
  directMessageRefusedWith,
  usersWithAccess,
  writableSql,
} from './chat.policy.js';
import type { ConversationEventData, MessageSnapshot } from './chat.events.js';
import { MAX_DIRECT_OTHERS, mentionedUserIds } from './chat.inputs.js';
import { cardBody, type MessageCardInput, messageCardSchema } from './chat.cards.js';
import { loadMessages } from './message.loader.js';

// Every write of the chat module. The realtime protocol (docs/ARCHITECTURE.md, "Realtime protocol") lives here: each storing
// transaction first locks the conversation row (UPDATE … lastSeq + n; the plain send does SELECT …
// FOR UPDATE in its single statement), which hands out the next seq numbers and orders concurrent
// writers, so seqs commit in order and without gaps.
// Events are published only after commit; the mutation answers only after commit.

type Ctx = Pick<Context, 'db' | 'pubsub' | 'viewer' | 'env'>;

function viewerIdOf(ctx: Ctx): string {
  if (!ctx.viewer) throw new ForbiddenError('Sign in to do this.');
  return ctx.viewer.id;
}

interface StoredEvent {
  seq: number;
  kind: ConversationEventKind;
  messageId: string;
}

interface Written {
  conversation: { id: string; kind: ConversationKind; groupId: string | null };
  events: StoredEvent[];
  notes: CreatedNotification[];
  /** Others' unread counts may change (a message added, deleted, or its mentions edited). */
  affectsUnread: boolean;
}

/**
 * Takes the conversation's row lock and reserves `count` seq numbers, if the viewer may see it
 * (and, for new words, write in it: a block closes a conversation of just the two). `viewerId`
 * null: the caller already authorized the change (a moderation action of modules/safety).
 * Returns the first reserved seq.
 */
async function reserveSeqs(
  tx: DbClient,
  conversationId: string,
  viewerId: string | null,
  count: number,
  now: Date | null,
  writes = false,
): Promise<{ firstSeq: number; kind: ConversationKind; groupId: string | null }> {
  const allowed =
    viewerId === null
      ? Prisma.empty
      : Prisma.sql`AND ${conversationVisibleSql(viewerId)}${writes ? Prisma.sql` AND ${writableSql(viewerId)}` : Prisma.empty}`;
  const rows = await tx.$queryRaw<Array<{ lastSeq: number; kind: ConversationKind; groupId: string | null }>>`
    UPDATE "Conversation" c
       SET "lastSeq" = c."lastSeq" + ${count}${now ? Prisma.sql`, "lastMessageAt" = ${now}` : Prisma.empty}
     WHERE c."id" = ${conversationId}::uuid ${allowed}
     RETURNING c."lastSeq", c."kind"::text AS "kind", c."groupId"`;
  const row = rows[0];
  if (!row) throw new NotFoundError('That conversation');
  return { firstSeq: row.lastSeq - count + 1, kind: row.kind, groupId: row.groupId };
}

async function storeEvents(tx: DbClient, conversationId: string, events: StoredEvent[]): Promise<void> {
  await tx.conversationEvent.createMany({ data: events.map((event) => ({ conversationId, ...event })) });
}

/** What publishing needs: the back-ends, and whose change it was (their own unread count stays). */
type PublishCtx = Pick<Context, 'db' | 'pubsub'> & { viewer: { id: string } | null };

function publishActivity(ctx: PublishCtx, conversation: Written['conversation']): void {
  ctx.pubsub.publish('chat:activity', {
    conversationId: conversation.id,
    groupId: conversation.kind === 'CHANNEL' ? conversation.groupId : null,
    senderId: ctx.viewer?.id ?? null,
  });
}

/**
 * After commit: unread counts and notifications first (they need nothing read back), then the
 * events with their messages read once. If that read fails, a nudge without events still tells
 * the feeds how far to read from the database.
 */
async function publishWritten(ctx: PublishCtx, written: Written): Promise<Map<string, MessageSnapshot>> {
  const conversationId = written.conversation.id;
  const upToSeq = Math.max(...written.events.map((event) => event.seq));
  if (written.affectsUnread) publishActivity(ctx, written.conversation);
  publishNotifications(ctx.pubsub, written.notes);
  let snapshots: Map<string, MessageSnapshot>;
  try {
    snapshots = await loadMessages(ctx.db, [...new Set(written.events.map((event) => event.messageId))]);
  } catch (error) {
    ctx.pubsub.publish('chat:events', conversationId, { conversationId, events: [], upToSeq });
    throw error;
  }
  const events: ConversationEventData[] = written.events.map((event) => ({
    conversationId,
    seq: event.seq,
    kind: event.kind,
    message: snapshots.get(event.messageId)!,
  }));
  ctx.pubsub.publish('chat:events', conversationId, { conversationId, events, upToSeq });
  return snapshots;
}

/** Edits, deletes and reactions. (Sends have their own rule: see sendMessage.) */
async function limitActions(ctx: Ctx, viewerId: string): Promise<void> {
  const rule = { name: 'chat-action', limit: ctx.env.CHAT_ACTIONS_MAX_PER_MINUTE, windowMs: 60_000 };
  const verdict = await hitRateLimit(ctx.db, rule, viewerId);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds);
}

/** Stores mentions of people who can see the conversation and notifies them. */
async function recordMentions(
  tx: DbClient,
  conversation: { id: string; kind: ConversationKind; groupId: string | null },
  messageId: string,
  body: string,
  actorId: string,
  alreadyMentioned: ReadonlySet<string> = new Set(),
): Promise<CreatedNotification[]> {
  const named = mentionedUserIds(body).filter((id) => id !== actorId);
  const [allowed, blocked] = await Promise.all([
    usersWithAccess(tx, conversation, named),
    // A mention never reaches someone who blocked its author (people/blocking.policy.ts).
    keptApartFrom(tx, 'mention', actorId, named),
  ]);
  const mentioned = named.filter((id) => allowed.has(id) && !blocked.has(id));
  await tx.messageMention.deleteMany({ where: { messageId, userId: { notIn: mentioned } } });
  await tx.messageMention.createMany({
    data: mentioned.map((userId) => ({ messageId, userId })),
    skipDuplicates: true,
  });
  const fresh = mentioned.filter((id) => !alreadyMentioned.has(id));
  return notify(tx, {
    recipientIds: fresh,
    kind: mentionedKind,
    actorId,
    subjectId: encodeGlobalId('Message', messageId),
    data: { conversationId: conversation.id, messageId },
  });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** A retried send found its first attempt: the transaction rolls back and answers with the original. */
class AlreadySent extends Error {
  constructor(readonly messageId: string) {
    super('already sent');
  }
}

export interface SendMessageData {
  conversationId: string;
  clientId: string;
  body: string;
  parentId: string | null;
}

export async function sendMessage(ctx: Ctx, input: SendMessageData): Promise<MessageSnapshot> {
  const viewerId = viewerIdOf(ctx);
  const original = () =>
    ctx.db.message.findUnique({
      where: {
        conversationId_senderId_clientId: {
          conversationId: input.conversationId,
          senderId: viewerId,
          clientId: input.clientId,
        },
      },
      select: { id: true },
    });
  const answerWith = async (messageId: string) => {
    // The retry of a send answers with the original, as long as the sender may still see it.
    const access = await conversationAccess(ctx.db, input.conversationId, viewerId);
    if (!access) throw new NotFoundError('That conversation');
    const message = (await loadMessages(ctx.db, [messageId])).get(messageId)!;
    // The first attempt may have failed after commit, before it told anyone: tell them again
    // (feeds drop what they already have; a recount is harmless).
    publishActivity(ctx, access);
    ctx.pubsub.publish('chat:events', input.conversationId, {
      conversationId: input.conversationId,
      events: [],
      upToSeq: message.seq,
    });
    return message;
  };
  const refuse = async (retryAfterSeconds: number): Promise<MessageSnapshot> => {
    // A retry of a message that was stored is answered even past the limit.
    const earlier = await original();
    if (earlier) return answerWith(earlier.id);
    throw new RateLimitedError(retryAfterSeconds);
  };
  if (input.parentId === null && mentionedUserIds(input.body).length === 0) {
    const outcome = await storePlainMessage(ctx, viewerId, input);
    if (outcome.kind === 'stored') return outcome.message;
    if (outcome.kind === 'limited') return refuse(outcome.retryAfterSeconds);
    const first = await original();
    if (!first) throw new Error('a send conflicted on its clientId, but no original was found');
    return answerWith(first.id);
  }
  const verdict = await hitRateLimit(ctx.db, sendRule(ctx), viewerId);
  if (!verdict.allowed) return refuse(verdict.retryAfterSeconds);

  let written: Written & { messageId: string };
  try {
    written = await ctx.db.$transaction(async (tx) => {
      const now = new Date();
      const reserved = await reserveSeqs(tx, input.conversationId, viewerId, input.parentId ? 2 : 1, now, true);
      const conversation = { id: input.conversationId, kind: reserved.kind, groupId: reserved.groupId };
      // Behind the row lock, a concurrent first attempt has committed or rolled back.
      const duplicate = await tx.message.findUnique({
        where: {
          conversationId_senderId_clientId: {
            conversationId: input.conversationId,
            senderId: viewerId,
            clientId: input.clientId,
          },
        },
        select: { id: true },
      });
      if (duplicate) throw new AlreadySent(duplicate.id);
      if (input.parentId) {
        const root = await tx.message.findFirst({
          where: { id: input.parentId, conversationId: input.conversationId, parentId: null },
          select: { id: true },
        });
        if (!root) throw new NotFoundError('That thread');
      }
      const message = await tx.message.create({
        data: {
          conversationId: input.conversationId,
          seq: reserved.firstSeq,
          senderId: viewerId,
          clientId: input.clientId,
          parentId: input.parentId,
          body: input.body,
          createdAt: now,
        },
        select: { id: true },
      });
      const events: StoredEvent[] = [{ seq: reserved.firstSeq, kind: 'MESSAGE_ADDED', messageId: message.id }];
      if (input.parentId) {
        await tx.message.update({
          where: { id: input.parentId },
          data: { replyCount: { increment: 1 }, lastReplyAt: now },
        });
        events.push({ seq: reserved.firstSeq + 1, kind: 'THREAD_UPDATED', messageId: input.parentId });
      }
      await storeEvents(tx, input.conversationId, events);
      const notes = await recordMentions(tx, conversation, message.id, input.body, viewerId);
      return { conversation, events, notes, affectsUnread: true, messageId: message.id };
    });
  } catch (error) {
    if (error instanceof AlreadySent) return answerWith(error.messageId);
    // The unique constraint is the last word on idempotency (e.g. a writer outside this code).
    if (isUniqueViolation(error)) {
      const first = await original();
      if (first) return answerWith(first.id);
    }
    throw error;
  }
  const snapshots = await publishWritten(ctx, written);
  return snapshots.get(written.messageId)!;
}

function sendRule(ctx: Ctx) {
  return { name: 'chat-send', limit: ctx.env.CHAT_SEND_MAX_PER_MINUTE, windowMs: 60_000 };
}

/**
 * The common send — no thread, no mentions — in ONE statement (its own transaction): count the
 * send against the member's rate limit, lock the conversation row if the viewer may see it and the
 * limit allows, insert the message with the next seq unless its clientId was used (ON CONFLICT:
 * then nothing else happens and no seq is spent), move lastSeq, insert the event, read the sender's
 * name. Fan-out pays this per message, so it stays small.
 */
async function storePlainMessage(
  ctx: Ctx,
  viewerId: string,
  input: SendMessageData,
): Promise<
  { kind: 'stored'; message: MessageSnapshot } | { kind: 'duplicate' } | { kind: 'limited'; retryAfterSeconds: number }
> {
  const now = new Date();
  const id = uuidv7(now.getTime());
  const rule = sendRule(ctx);
  const windowSeconds = rule.windowMs / 1000;
  type Row = {
    count: number;
    windowStart: Date;
    kind: ConversationKind | null;
    groupId: string | null;
    seq: number | null;
    messageId: string | null;
    senderName: string;
  };
  // The send rate limit (the same fixed window as lib/rate-limit.ts, counted first) and the send
  // itself. FOR UPDATE waits for a concurrent writer and then reads the row as it committed it, so
  // the seq computed here is always the next one (READ COMMITTED re-reads a locked row).
  const rows = await ctx.db.$queryRaw<Row[]>`
    WITH rl AS (
      INSERT INTO "RateLimitBucket" ("key", "windowStart", "count")
      VALUES (${`${rule.name}:${viewerId}`}, now() AT TIME ZONE 'UTC', 1)
      ON CONFLICT ("key") DO UPDATE SET
        "count" = CASE WHEN "RateLimitBucket"."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds})
                       THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
        "windowStart" = CASE WHEN "RateLimitBucket"."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${windowSeconds})
                       THEN now() AT TIME ZONE 'UTC' ELSE "RateLimitBucket"."windowStart" END
      RETURNING "count", "windowStart"
    ), conv AS (
      SELECT c."id", c."lastSeq", c."kind", c."groupId" FROM "Conversation" c, rl
       WHERE c."id" = ${input.conversationId}::uuid AND ${conversationVisibleSql(viewerId)} AND ${writableSql(viewerId)}
         AND rl."count" <= ${rule.limit}
         FOR UPDATE OF c
    ), msg AS (
      INSERT INTO "Message" ("id", "conversationId", "seq", "senderId", "clientId", "body", "createdAt")
      SELECT ${id}::uuid, conv."id", conv."lastSeq" + 1, ${viewerId}::uuid, ${input.clientId}, ${input.body}, ${now} FROM conv
      ON CONFLICT ("conversationId", "senderId", "clientId") DO NOTHING
      RETURNING "id", "seq"
    ), moved AS (
      UPDATE "Conversation" c SET "lastSeq" = msg."seq", "lastMessageAt" = ${now} FROM msg WHERE c."id" = ${input.conversationId}::uuid
    ), event AS (
      INSERT INTO "ConversationEvent" ("conversationId", "seq", "kind", "messageId", "createdAt")
      SELECT ${input.conversationId}::uuid, msg."seq", 'MESSAGE_ADDED'::"ConversationEventKind", msg."id", ${now} FROM msg
    )
    SELECT rl."count", rl."windowStart", conv."kind"::text AS "kind", conv."groupId", msg."seq", msg."id" AS "messageId",
           (SELECT u."name" FROM "User" u WHERE u."id" = ${viewerId}::uuid) AS "senderName"
      FROM rl LEFT JOIN conv ON true LEFT JOIN msg ON true`;
  const found = rows[0]!;
  if (found.count > rule.limit) {
    const retryAfterMs = found.windowStart.getTime() + rule.windowMs - Date.now();
    return { kind: 'limited', retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
  }
  if (!found.kind) throw new NotFoundError('That conversation');
  if (!found.messageId || found.seq === null) return { kind: 'duplicate' };
  const row = { kind: found.kind, groupId: found.groupId, seq: found.seq, senderName: found.senderName };
  const message: MessageSnapshot = {
    id,
    conversationId: input.conversationId,
    seq: row.seq,
    clientId: input.clientId,
    author: { id: viewerId, name: row.senderName },
    body: input.body,
    createdAt: now.toISOString(),
    editedAt: null,
    deletedAt: null,
    parentId: null,
    replyCount: 0,
    lastReplyAt: null,
    reactions: [],
    mentions: [],
    card: null,
  };
  // Published after commit, with the message as stored: nothing to read back.
  publishActivity(ctx, { id: input.conversationId, kind: row.kind, groupId: row.groupId });
  ctx.pubsub.publish('chat:events', input.conversationId, {
    conversationId: input.conversationId,
    events: [{ conversationId: input.conversationId, seq: row.seq, kind: 'MESSAGE_ADDED', message }],
    upToSeq: row.seq,
  });
  return { kind: 'stored', message };
}

/** The message with its conversation, if the viewer may see it. */
async function messageForViewer(tx: DbClient, messageId: string, viewerId: string) {
  const message = await tx.message.findUnique({
    where: { id: messageId },
    select: { id: true, conversationId: true, senderId: true, deletedAt: true, body: true, card: true },
  });
  if (!message) throw new NotFoundError('That message');
  const access = await conversationAccess(tx, message.conversationId, viewerId);
  if (!access) throw new NotFoundError('That message');
  return { message, access };
}

export async function editMessage(ctx: Ctx, messageId: string, body: string): Promise<MessageSnapshot> {
  const viewerId = viewerIdOf(ctx);
  await limitActions(ctx, viewerId);
  const written = await ctx.db.$transaction(async (tx): Promise<Written | null> => {
    const { message, access } = await messageForViewer(tx, messageId, viewerId);
    if (!canEditMessage(message, viewerId)) throw new ForbiddenError('You can only edit your own messages.');
    // A card's words come from what it reports (a goal's progress): editing them would tell another story.
    if (message.card !== null) throw new ForbiddenError('A card cannot be edited; delete it instead.');
    if (message.body === body) return null;
    const reserved = await reserveSeqs(tx, message.conversationId, viewerId, 1, null, true);
    // Re-checked behind the lock: a delete may have won the race.
    const updated = await tx.message.updateMany({
      where: { id: messageId, deletedAt: null },
      data: { body, editedAt: new Date() },
    });
    if (updated.count === 0) throw new NotFoundError('That message');
    const before = await tx.messageMention.findMany({ where: { messageId }, select: { userId: true } });
    const notes = await recordMentions(tx, access, messageId, body, viewerId, new Set(before.map((row) => row.userId)));
    const events: StoredEvent[] = [{ seq: reserved.firstSeq, kind: 'MESSAGE_EDITED', messageId }];
    await storeEvents(tx, message.conversationId, events);
    return { conversation: access, events, notes, affectsUnread: true };
  });
  if (!written) return (await loadMessages(ctx.db, [messageId])).get(messageId)!;
  return (await publishWritten(ctx, written)).get(messageId)!;
}

export async function deleteMessage(ctx: Ctx, messageId: string): Promise<MessageSnapshot> {
  const viewerId = viewerIdOf(ctx);
  await limitActions(ctx, viewerId);
  const written = await ctx.db.$transaction(async (tx): Promise<Written> => {
    const { message, access } = await messageForViewer(tx, messageId, viewerId);
    if (message.deletedAt) throw new NotFoundError('That message');
    if (!canDeleteMessage(message, viewerId, access))
      throw new ForbiddenError('You can only delete your own messages.');
    const events = await tombstone(tx, message.conversationId, messageId, viewerId, viewerId);
    return { conversation: access, events, notes: [], affectsUnread: true };
  });
  return (await publishWritten(ctx, written)).get(messageId)!;
}

/**
 * Leaves a tombstone where the message was: the words, its mentions and the notifications pointing
 * at them are gone. `viewerId` null: the caller authorized it (moderation).
 */
async function tombstone(
  tx: DbClient,
  conversationId: string,
  messageId: string,
  viewerId: string | null,
  deletedById: string,
): Promise<StoredEvent[]> {
  const reserved = await reserveSeqs(tx, conversationId, viewerId, 1, null);
  const updated = await tx.message.updateMany({
    where: { id: messageId, deletedAt: null },
    data: { body: '', deletedAt: new Date(), deletedById },
  });
  if (updated.count === 0) throw new NotFoundError('That message');
  await tx.messageMention.deleteMany({ where: { messageId } });
  await withdrawNotifications(tx, mentionedKind, encodeGlobalId('Message', messageId));
  const events: StoredEvent[] = [{ seq: reserved.firstSeq, kind: 'MESSAGE_DELETED', messageId }];
  await storeEvents(tx, conversationId, events);
  return events;
}

/** A message hidden by a moderation action, to publish after its transaction commits. */
export interface HiddenMessage {
  written: Written;
  moderatorId: string;
}

/**
 * Hides a message for a moderation action (modules/safety), in the caller's transaction: a
 * tombstone exactly like a moderator's delete. The caller has decided the moderator may; null when
 * the message is already gone. Call publishHiddenMessage after commit.
 */
export async function hideMessageInTransaction(
  tx: DbClient,
  messageId: string,
  moderatorId: string,
): Promise<HiddenMessage | null> {
  const message = await tx.message.findUnique({
    where: { id: messageId },
    select: { conversationId: true, deletedAt: true, conversation: { select: { kind: true, groupId: true } } },
  });
  if (!message || message.deletedAt) return null;
  const events = await tombstone(tx, message.conversationId, messageId, null, moderatorId);
  const conversation = { id: message.conversationId, ...message.conversation };
  return { written: { conversation, events, notes: [], affectsUnread: true }, moderatorId };
}

export async function publishHiddenMessage(ctx: Pick<Context, 'db' | 'pubsub'>, hidden: HiddenMessage): Promise<void> {
  await publishWritten({ db: ctx.db, pubsub: ctx.pubsub, viewer: { id: hidden.moderatorId } }, hidden.written);
}

export async function toggleReaction(ctx: Ctx, messageId: string, emoji: string): Promise<MessageSnapshot> {
  const viewerId = viewerIdOf(ctx);
  await limitActions(ctx, viewerId);
  const written = await ctx.db.$transaction(async (tx): Promise<Written> => {
    const { message, access } = await messageForViewer(tx, messageId, viewerId);
    if (message.deletedAt) throw new NotFoundError('That message');
    const reserved = await reserveSeqs(tx, message.conversationId, viewerId, 1, null, true);
    const removed = await tx.messageReaction.deleteMany({ where: { messageId, userId: viewerId, emoji } });
    if (removed.count === 0) await tx.messageReaction.create({ data: { messageId, userId: viewerId, emoji } });
    const events: StoredEvent[] = [{ seq: reserved.firstSeq, kind: 'REACTION_CHANGED', messageId }];
    await storeEvents(tx, message.conversationId, events);
    return { conversation: access, events, notes: [], affectsUnread: false };
  });
  return (await publishWritten(ctx, written)).get(messageId)!;
}

/** Moves the viewer's read marker forward (never back, never past the last seq). */
export async function markRead(ctx: Ctx, conversationId: string, seq: number): Promise<number> {
  const viewerId = viewerIdOf(ctx);
  const now = new Date();
  const rows = await ctx.db.$queryRaw<Array<{ lastReadSeq: number }>>`
    INSERT INTO "ReadMarker" ("conversationId", "userId", "lastReadSeq", "updatedAt")
    SELECT c."id", ${viewerId}::uuid, LEAST(GREATEST(${seq}, 0), c."lastSeq"), ${now}
      FROM "Conversation" c
     WHERE c."id" = ${conversationId}::uuid AND ${conversationVisibleSql(viewerId)}
    ON CONFLICT ("conversationId", "userId") DO UPDATE
       SET "lastReadSeq" = GREATEST("ReadMarker"."lastReadSeq", EXCLUDED."lastReadSeq"),
           "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "lastReadSeq"`;
  const row = rows[0];
  if (!row) throw new NotFoundError('That conversation');
  ctx.pubsub.publish('chat:read', viewerId, { userId: viewerId, conversationId });
  return row.lastReadSeq;
}

/** The direct conversation of exactly these people (the viewer and 1–8 others), made once. */
export async function startDirectConversation(ctx: Ctx, personIds: readonly string[]): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const others = [...new Set(personIds)].filter((id) => id !== viewerId);
  if (others.length === 0)
    throw new ValidationError([{ path: 'personIds', message: 'Pick at least one other person.' }]);
  if (others.length > MAX_DIRECT_OTHERS) {
    throw new ValidationError([
      {
        path: 'personIds',
        message: `A direct conversation has at most ${MAX_DIRECT_OTHERS + 1} people (you and ${MAX_DIRECT_OTHERS} others).`,
      },
    ]);
  }
  const found = await ctx.db.user.count({ where: { id: { in: others } } });
  if (found !== others.length) throw new NotFoundError('That member');
  // A block either way answers exactly as a member who does not exist (people/blocking.policy.ts).
  if ((await directMessageRefusedWith(ctx.db, viewerId, others)).size > 0) throw new NotFoundError('That member');
  const everyone = [viewerId, ...others].sort();
  const directKey = everyone.join(',');
  const existing = await ctx.db.conversation.findUnique({ where: { directKey }, select: { id: true } });
  if (existing) return existing.id;
  try {
    const created = await ctx.db.conversation.create({
      data: {
        kind: 'DIRECT',
        directKey,
        createdById: viewerId,
        participants: { createMany: { data: everyone.map((userId) => ({ userId })) } },
      },
      select: { id: true },
    });
    return created.id;
  } catch (error) {
    // Two people opened the same conversation at once: both get the one that was made.
    if (!isUniqueViolation(error)) throw error;
    return (await ctx.db.conversation.findUniqueOrThrow({ where: { directKey }, select: { id: true } })).id;
  }
}

/** Every group has #general; called in the transaction that makes the group. */
export async function ensureGeneralChannel(
  tx: DbClient,
  groupId: string,
  createdById: string | null = null,
): Promise<void> {
  await tx.conversation.createMany({
    data: [{ id: randomUUID(), kind: 'CHANNEL', groupId, name: 'general', isDefault: true, createdById }],
    skipDuplicates: true,
  });
}

export async function createChannel(ctx: Ctx, groupId: string, name: string, topic: string): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const membership = await ctx.db.membership.findUnique({
    where: { groupId_userId: { groupId, userId: viewerId } },
    select: { role: true },
  });
  if (!membership) throw new NotFoundError('That group');
  if (!canCreateChannels(membership.role)) throw new ForbiddenError('Only owners and admins add channels.');
  try {
    const created = await ctx.db.conversation.create({
      data: { kind: 'CHANNEL', groupId, name, topic, createdById: viewerId },
      select: { id: true },
    });
    return created.id;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError('CHANNEL_NAME_TAKEN', `#${name} already exists in this group.`);
    throw error;
  }
}

/** Call after a membership ends: live streams of that member re-check their access at once. */
export function publishAccessChange(
  ctx: Pick<Context, 'pubsub'>,
  change: { userId: string; groupId?: string; conversationId?: string },
): void {
  ctx.pubsub.publish('chat:access', {
    userId: change.userId,
    groupId: change.groupId ?? null,
    conversationId: change.conversationId ?? null,
  });
}

// ── Cards posted by other modules ────────────────────────────────────────

/** A card message stored in the caller's transaction; publish it with publishCardMessage after commit. */
export interface PostedCard {
  messageId: string;
  written: Written;
  authorId: string;
}

/**
 * Posts a card (chat.cards.ts) on a member's behalf inside the caller's transaction, exactly as a
 * send stores a message: the conversation row lock reserves the next seq (NotFound unless the author
 * may see and write in it), the message carries the card's words as its body, and a MESSAGE_ADDED
 * event is stored. `clientId` makes it idempotent per author and conversation (the caller's own
 * key, e.g. "goal-update:<id>"). The caller has decided the author may post it here.
 */
export async function postCardInTransaction(
  tx: DbClient,
  post: { conversationId: string; authorId: string; clientId: string; card: MessageCardInput },
): Promise<PostedCard> {
  const card = messageCardSchema.parse(post.card);
  const now = new Date();
  const reserved = await reserveSeqs(tx, post.conversationId, post.authorId, 1, now, true);
  const message = await tx.message.create({
    data: {
      conversationId: post.conversationId,
      seq: reserved.firstSeq,
      senderId: post.authorId,
      clientId: post.clientId,
      body: cardBody(card),
      card,
      createdAt: now,
    },
    select: { id: true },
  });
  const events: StoredEvent[] = [{ seq: reserved.firstSeq, kind: 'MESSAGE_ADDED', messageId: message.id }];
  await storeEvents(tx, post.conversationId, events);
  const conversation = { id: post.conversationId, kind: reserved.kind, groupId: reserved.groupId };
  return {
    messageId: message.id,
    written: { conversation, events, notes: [], affectsUnread: true },
    authorId: post.authorId,
  };
}

/** After the transaction of postCardInTransaction commits: live events, unread counts. */
export async function publishCardMessage(ctx: Pick<Context, 'db' | 'pubsub'>, posted: PostedCard): Promise<void> {
  await publishWritten({ db: ctx.db, pubsub: ctx.pubsub, viewer: { id: posted.authorId } }, posted.written);
}
