import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId } from '../../server/src/lib/global-id.js';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { startServer, type TestServer } from '../support/server.js';

// The demo chat: stored exactly as the realtime protocol stores live traffic (contiguous seqs,
// counters in step with their events), so replay, unread counts and threads work on it, and the
// demo login has something unread to look at.

let server: TestServer;
beforeAll(async () => {
  // No job runner: the office-hours seed leaves reminders due at some times of day, and a job run
  // between the two seedings would change what the idempotence check counts.
  server = await startServer({ env: { JOBS_ENABLED: 'false' } });
  await seedDemoData(server.app.services.db);
});
afterAll(async () => {
  await server?.stop();
});

const MENTION = /@\[[^\]]+\]\(([^)]+)\)/g;

describe('demo chat', () => {
  it('is idempotent: a second seed adds and changes nothing', async () => {
    const db = server.app.services.db;
    const snapshot = async () => ({
      conversations: await db.conversation.findMany({
        orderBy: { id: 'asc' },
        select: { id: true, lastSeq: true, lastMessageAt: true },
      }),
      messages: await db.message.count(),
      events: await db.conversationEvent.count(),
      reactions: await db.messageReaction.count(),
      mentions: await db.messageMention.count(),
      participants: await db.conversationParticipant.count(),
      markers: await db.readMarker.findMany({
        orderBy: [{ conversationId: 'asc' }, { userId: 'asc' }],
        select: { conversationId: true, userId: true, lastReadSeq: true },
      }),
    });
    const first = await snapshot();
    expect(first.messages).toBeGreaterThan(50);
    await seedDemoData(db);
    expect(await snapshot()).toEqual(first);
  });

  it('gives every group exactly one #general and a few groups more channels', async () => {
    const db = server.app.services.db;
    const groups = await db.group.findMany({
      select: { slug: true, channels: { select: { kind: true, name: true, isDefault: true } } },
    });
    expect(groups.length).toBeGreaterThanOrEqual(8);
    for (const group of groups) {
      const defaults = group.channels.filter((c) => c.isDefault);
      expect(defaults, group.slug).toEqual([{ kind: 'CHANNEL', name: 'general', isDefault: true }]);
      expect(
        group.channels.every((c) => c.kind === 'CHANNEL'),
        group.slug,
      ).toBe(true);
    }
    expect(groups.filter((g) => g.channels.length > 1).length).toBeGreaterThanOrEqual(2);
  });

  it('stores every conversation as the realtime protocol does: contiguous seqs, counters in step, time moving forward', async () => {
    const db = server.app.services.db;
    const now = new Date();
    const conversations = await db.conversation.findMany({
      select: {
        id: true,
        kind: true,
        lastSeq: true,
        lastMessageAt: true,
        directKey: true,
        createdAt: true,
        group: { select: { memberships: { select: { userId: true } } } },
        participants: { select: { userId: true } },
        events: { orderBy: { seq: 'asc' }, select: { seq: true, kind: true, messageId: true, createdAt: true } },
        messages: {
          orderBy: { seq: 'asc' },
          select: {
            id: true,
            seq: true,
            senderId: true,
            clientId: true,
            parentId: true,
            body: true,
            replyCount: true,
            lastReplyAt: true,
            editedAt: true,
            deletedAt: true,
            deletedById: true,
            createdAt: true,
            reactions: { select: { userId: true } },
            mentions: { select: { userId: true } },
          },
        },
      },
    });
    let checked = 0;
    for (const conversation of conversations) {
      const { events, messages } = conversation;
      if (conversation.lastSeq === 0) {
        expect(events).toEqual([]);
        continue;
      }
      checked += 1;
      // seq 1..lastSeq over all events, no gap; time never goes backwards and stays in the past.
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: conversation.lastSeq }, (_, i) => i + 1));
      for (let i = 1; i < events.length; i += 1) expect(events[i]!.createdAt >= events[i - 1]!.createdAt).toBe(true);
      expect(events.at(-1)!.createdAt < now).toBe(true);
      expect(conversation.createdAt <= messages[0]!.createdAt).toBe(true);
      expect(conversation.lastMessageAt).toEqual(new Date(Math.max(...messages.map((m) => m.createdAt.getTime()))));

      const eventsOf = (messageId: string, kind: string) =>
        events.filter((e) => e.messageId === messageId && e.kind === kind);
      const byId = new Map(messages.map((m) => [m.id, m]));
      expect(new Set(messages.map((m) => `${m.senderId}:${m.clientId}`)).size).toBe(messages.length);
      // Who may speak: a channel's group members, a DM's participants.
      const allowed = new Set(
        conversation.kind === 'CHANNEL'
          ? conversation.group!.memberships.map((m) => m.userId)
          : conversation.participants.map((p) => p.userId),
      );
      for (const message of messages) {
        expect(allowed.has(message.senderId!)).toBe(true);
        for (const r of message.reactions) expect(allowed.has(r.userId)).toBe(true);
        for (const m of message.mentions) expect(allowed.has(m.userId)).toBe(true);
        // Each message has the seq of its MESSAGE_ADDED event, at its creation time.
        const added = eventsOf(message.id, 'MESSAGE_ADDED');
        expect(added.map((e) => e.seq)).toEqual([message.seq]);
        expect(added[0]!.createdAt).toEqual(message.createdAt);
        if (message.parentId) {
          const root = byId.get(message.parentId)!;
          expect(root.parentId).toBeNull();
          expect(eventsOf(root.id, 'THREAD_UPDATED').some((e) => e.seq > message.seq)).toBe(true);
        }
        const replies = messages.filter((m) => m.parentId === message.id);
        expect(message.replyCount).toBe(replies.length);
        expect(message.lastReplyAt).toEqual(replies.length ? replies.at(-1)!.createdAt : null);
        expect(eventsOf(message.id, 'THREAD_UPDATED').length).toBe(replies.length);
        if (message.editedAt) expect(eventsOf(message.id, 'MESSAGE_EDITED').length).toBeGreaterThanOrEqual(1);
        if (message.reactions.length)
          expect(eventsOf(message.id, 'REACTION_CHANGED').some((e) => e.seq > message.seq)).toBe(true);
        if (message.deletedAt) {
          expect(message).toMatchObject({ body: '', deletedById: message.senderId });
          expect(eventsOf(message.id, 'MESSAGE_DELETED').length).toBe(1);
        } else {
          // Every mention in the text has its row, and every row its mention, by Person global id.
          const named = [...message.body.matchAll(MENTION)].map((match) => decodeId(match[1], 'Person'));
          expect(new Set(named)).toEqual(new Set(message.mentions.map((m) => m.userId)));
        }
      }

      if (conversation.kind === 'DIRECT') {
        const ids = conversation.participants.map((p) => p.userId);
        expect(ids.length).toBeGreaterThanOrEqual(2);
        expect(ids.length).toBeLessThanOrEqual(9);
        expect(conversation.directKey).toBe([...ids].sort().join(','));
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);

    // The demo shows each feature: threads of 2–5 replies, an edit, a tombstone, reactions, code.
    const all = conversations.flatMap((c) => c.messages);
    const threads = all.filter((m) => m.replyCount > 0);
    expect(threads.length).toBeGreaterThanOrEqual(2);
    for (const root of threads) {
      expect(root.replyCount).toBeGreaterThanOrEqual(2);
      expect(root.replyCount).toBeLessThanOrEqual(5);
    }
    expect(all.some((m) => m.editedAt)).toBe(true);
    expect(all.some((m) => m.deletedAt)).toBe(true);
    expect(all.filter((m) => m.reactions.length > 0).length).toBeGreaterThanOrEqual(10);
    expect(all.some((m) => m.body.includes('```'))).toBe(true);
  });

  it('gives Ada DMs with three people and a group DM, unread messages in two channels and a DM, and an unread mention', async () => {
    const db = server.app.services.db;
    const ada = await db.user.findUniqueOrThrow({ where: { email: DEMO_LOGIN.email }, select: { id: true } });

    const directs = await db.conversation.findMany({
      where: { kind: 'DIRECT', participants: { some: { userId: ada.id } } },
      select: { _count: { select: { participants: true } } },
    });
    expect(directs.filter((d) => d._count.participants === 2).length).toBeGreaterThanOrEqual(3);
    expect(directs.some((d) => d._count.participants === 3)).toBe(true);

    // Unread as the server defines it: messages by others after her marker (0 without one), not deleted.
    const unread = await db.$queryRaw<Array<{ kind: string; unread: number; mentions: number }>>`
      SELECT c."kind"::text AS "kind",
             count(m."id")::int AS "unread",
             count(mm."messageId")::int AS "mentions"
        FROM "Conversation" c
        JOIN "Message" m ON m."conversationId" = c."id"
        LEFT JOIN "ReadMarker" r ON r."conversationId" = c."id" AND r."userId" = ${ada.id}::uuid
        LEFT JOIN "MessageMention" mm ON mm."messageId" = m."id" AND mm."userId" = ${ada.id}::uuid
       WHERE (c."kind" = 'CHANNEL' AND EXISTS (SELECT 1 FROM "Membership" g WHERE g."groupId" = c."groupId" AND g."userId" = ${ada.id}::uuid)
              OR EXISTS (SELECT 1 FROM "ConversationParticipant" p WHERE p."conversationId" = c."id" AND p."userId" = ${ada.id}::uuid))
         AND m."seq" > COALESCE(r."lastReadSeq", 0)
         AND m."senderId" IS DISTINCT FROM ${ada.id}::uuid
         AND m."deletedAt" IS NULL
       GROUP BY c."id", c."kind"`;
    expect(unread.filter((c) => c.kind === 'CHANNEL').length).toBe(2);
    expect(unread.filter((c) => c.kind === 'DIRECT')).toEqual([{ kind: 'DIRECT', unread: 2, mentions: 0 }]);
    expect(unread.reduce((sum, c) => sum + c.mentions, 0)).toBe(1);
    // Just some: the rest of her conversations are read to the end.
    expect(unread.reduce((sum, c) => sum + c.unread, 0)).toBeLessThanOrEqual(12);
  });
});
