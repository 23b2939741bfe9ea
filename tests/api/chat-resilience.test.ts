import type { Client } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { decodeId } from '../../server/src/lib/global-id.js';
import {
  chatMembers,
  codesOf,
  conversation,
  conversationEvents,
  deleteMessage,
  directConversation,
  editMessage,
  eventually,
  fullHistory,
  groupWithMembers,
  inboxEvents,
  newClientId,
  openStream,
  range,
  send,
  sendMessage,
  seqsOf,
  totalUnread,
  typingIndicators,
  warmUp,
  type ChatMember,
  type ChatMessage,
  type InboxEvent,
  useChatServer,
} from '../support/chat.js';
import { mutate, userIdOf } from '../support/groups.js';
import type { TestServer } from '../support/server.js';

// The chat protocol when something goes wrong (docs/ARCHITECTURE.md "Realtime protocol"): nudges lost while
// Redis is away, a failing database statement in a shared feed or between commit and publish, a
// member's first inbox stream racing a send, clients leaving at awkward moments. A test breaks one
// piece of the server on purpose (patched in place, put back in `finally`) and checks that clients
// still end up with the truth.

let server: TestServer;
let url: string;
const { socketOf } = useChatServer((started) => {
  server = started;
  url = started.graphqlUrl;
});

async function lastSeqOf(who: ChatMember, conversationId: string): Promise<number> {
  return (await conversation(url, who, conversationId))!.lastSeq;
}

/** Sets `target[key]` until the returned function puts the original back. */
function replace<T extends object, K extends keyof T>(target: T, key: K, replacement: T[K]): () => void {
  const original = target[key];
  target[key] = replacement;
  return () => {
    // Dropping the override uncovers an inherited method (Prisma's client is a proxy whose
    // property descriptors cannot be trusted); an own property is simply set back.
    Reflect.deleteProperty(target, key);
    if (target[key] !== original) target[key] = original;
  };
}

type RawQuery = (this: unknown, ...args: unknown[]) => Promise<unknown>;

/** The server's Prisma client, seen only as the `$queryRaw` the chat module's reads go through. */
function rawQueries(): { $queryRaw: RawQuery } {
  return server.app.services.db as unknown as { $queryRaw: RawQuery };
}

/** The SQL text of a `$queryRaw` call (a tagged template or a Prisma.sql object), values as `?`. */
function sqlOf(args: readonly unknown[]): string {
  const first = args[0];
  if (Array.isArray(first)) return first.join('?');
  if (first && typeof first === 'object' && 'strings' in first && Array.isArray(first.strings))
    return first.strings.join('?');
  return '';
}

/**
 * The inbox also re-reads every connected member's counts every 30 s, a safety net for lost
 * nudges. Restarting its period here keeps that net from doing, during the test's waits (anti-hang
 * bounds of WAIT_MS, 20 s), the work the test expects of the code path under test.
 */
function postponeInboxSafetyNet(): void {
  (server.app.services.chat.inbox as unknown as { timer?: NodeJS.Timeout }).timer?.refresh();
}

/** The inbox stream with the mention count too. */
interface InboxMentionEvent {
  conversation: { id: string; unreadCount: number; unreadMentionCount: number };
  totalUnread: number;
}

function inboxWithMentions(client: Client) {
  return openStream<InboxMentionEvent>(
    client,
    'subscription { inboxEvents { totalUnread conversation { id unreadCount unreadMentionCount } } }',
    {},
    'inboxEvents',
  );
}

/** An inbox event of this conversation received after the first `skip` items. */
function pushedAfter<T extends { conversation: { id: string } }>(
  skip: number,
  conversationId: string,
  accept: (item: T) => boolean,
) {
  return (items: readonly T[]) =>
    items.slice(skip).some((item) => item.conversation.id === conversationId && accept(item));
}

describe('live conversation streams', () => {
  it('checks access for events that only the periodic resync found: a member removed while nudges were lost gets NOT_FOUND, never the later messages', async () => {
    const [owner, leaver] = await chatMembers(url, ['Olga Owner', 'Lee Leaver']);
    const group = await groupWithMembers(url, owner!, [leaver!]);
    const base = await lastSeqOf(owner!, group.general);
    const leaverSees = conversationEvents(socketOf(leaver!), group.general, base);
    const ownerSees = conversationEvents(socketOf(owner!), group.general, base);
    const before = await send(url, owner!, group.general, 'while you are here');
    await leaverSees.waitFor(
      (items) => items.some((event) => event.message.id === before.id),
      'the message before removal',
    );
    await ownerSees.waitFor((items) => items.some((event) => event.message.id === before.id), 'the owner sees it too');

    // Redis is away: every PUBLISH of this server is lost, the removal's access nudge included.
    const pubsub = server.app.services.pubsub;
    const restore = replace(pubsub, 'publish', (() => undefined) as typeof pubsub.publish);
    try {
      const removed = await mutate(url, owner!, 'removeMember', { groupId: group.id, personId: leaver!.personId });
      expect(removed.__typename, JSON.stringify(removed)).toBe('GroupMemberPayload');
      const secret = await send(url, owner!, group.general, 'said after Lee was removed');
      // No nudge announces it: only the feed's periodic check of lastSeq finds it, for everyone.
      await ownerSees.waitFor(
        (items) => items.some((event) => event.message.id === secret.id),
        'the resync delivers it to the owner',
      );
      const end = await leaverSees.waitForEnd();
      expect(codesOf(end.errors), JSON.stringify(end)).toContain('NOT_FOUND');
      expect(leaverSees.received.map((event) => event.message.id)).not.toContain(secret.id);
    } finally {
      restore();
    }
  });

  it('ends live streams with UNAVAILABLE (not a silent complete) when the shared feed hits a database error, so clients resume from their last seq and lose nothing', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const base = await lastSeqOf(ada!, group.general);
    const live = conversationEvents(socketOf(ben!), group.general, base);
    const first = await send(url, ada!, group.general, 'one');
    await live.waitFor((items) => items.some((event) => event.message.id === first.id), 'the first message');

    // The nudge of 'two' is lost, so the shared feed must read it from the database (when the
    // nudge of 'three' shows the gap, or at its periodic check), and that read fails once: a
    // database blip.
    const db = rawQueries();
    const realQuery = db.$queryRaw;
    let failures = 0;
    const restoreQueries = replace(db, '$queryRaw', function (this: unknown, ...args: unknown[]) {
      if (this === db && failures === 0 && sqlOf(args).includes('FROM "ConversationEvent" e')) {
        failures += 1;
        return Promise.reject(new Error('connection reset (injected by the test)'));
      }
      return realQuery.apply(this, args);
    });
    let second: ChatMessage;
    let third: ChatMessage;
    try {
      const pubsub = server.app.services.pubsub;
      const restorePublish = replace(pubsub, 'publish', (() => undefined) as typeof pubsub.publish);
      try {
        second = await send(url, ada!, group.general, 'two');
      } finally {
        restorePublish();
      }
      third = await send(url, ada!, group.general, 'three');
      const end = await live.waitForEnd();
      expect(failures).toBe(1);
      expect(codesOf(end.errors), JSON.stringify(end)).toEqual(['UNAVAILABLE']);
      expect(seqsOf(live.received)).toEqual([first.seq]);
    } finally {
      restoreQueries();
    }

    // Resuming from the last seq it has gives the client exactly what it missed.
    const resumed = conversationEvents(socketOf(ben!), group.general, first.seq);
    const events = await resumed.waitFor(
      (items) => items.some((event) => event.seq >= third.seq),
      'the missed messages',
    );
    expect(seqsOf(events)).toEqual(range(first.seq + 1, third.seq));
    expect(events.map((event) => event.message.id)).toEqual([second.id, third.id]);
  });
});

describe('live unread counts', () => {
  it("counts a message sent while a member's first inbox stream is still reading their counts (the inbox listens before it reads)", async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada', 'Ben', 'Cat']);
    const withAda = await directConversation(url, ada!, [ben!]);
    const withCat = await directConversation(url, cat!, [ben!]);
    const withAdaId = decodeId(withAda.id, 'Conversation')!;
    postponeInboxSafetyNet();

    // Our own listener tells when this server has heard of Ada's message.
    const activity = server.app.services.pubsub.subscribe('chat:activity')[Symbol.asyncIterator]();
    const heard = (async () => {
      for (;;) {
        const next = await activity.next();
        if (next.done) return;
        if (next.value.conversationId === withAdaId) return;
      }
    })();

    // Ada's message commits (and is announced) just after Ben's counts were read, and the read
    // answers only once the announcement has reached the inbox: the gap between the two.
    const db = rawQueries();
    const realQuery = db.$queryRaw;
    let gapMessage: Promise<unknown> | undefined;
    let gapDone = false;
    const restore = replace(db, '$queryRaw', async function (this: unknown, ...args: unknown[]) {
      const result = await realQuery.apply(this, args);
      if (this === db && !gapMessage && sqlOf(args).includes('WITH visible AS')) {
        gapMessage = send(url, ada!, withAda.id, 'in the gap');
        await gapMessage;
        await heard;
        // Every listener of the announcement has run its reaction by the next turn of the loop.
        await new Promise((resolve) => setImmediate(resolve));
        gapDone = true;
      }
      return result;
    });
    const inbox = inboxEvents(socketOf(ben!));
    try {
      await eventually(async () => (gapDone ? true : undefined), "the inbox read Ben's counts while Ada sent");
    } finally {
      restore();
      await activity.return?.();
    }

    await send(url, cat!, withCat.id, 'later');
    const events = await inbox.waitFor(
      pushedAfter(0, withCat.id, () => true),
      "the inbox event of Cat's message",
    );
    const pushed = events.find((event) => event.conversation.id === withCat.id)!;
    expect(await totalUnread(url, ben!)).toBe(2);
    expect(pushed.totalUnread, JSON.stringify(events)).toBe(2);
  });

  it('pushes the lower unread count to the inbox when an unread message is deleted', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const dm = await directConversation(url, ada!, [ben!]);
    const inbox = inboxEvents(socketOf(ben!));
    let sent = 0;
    const sendOne = async (body: string) => {
      const message = await send(url, ada!, dm.id, body);
      sent += 1;
      return message;
    };
    await warmUp(
      inbox,
      () => sendOne('hello'),
      (event) => event.conversation.id === dm.id,
      'the inbox is live',
    );
    const doomed = await sendOne('soon deleted');
    await inbox.waitFor(
      pushedAfter<InboxEvent>(0, dm.id, (event) => event.conversation.unreadCount === sent),
      `${sent} unread`,
    );

    postponeInboxSafetyNet();
    const mark = inbox.received.length;
    const deleted = await deleteMessage(url, ada!, doomed.id);
    expect(deleted.message?.deletedAt, JSON.stringify(deleted)).toEqual(expect.any(String));
    await inbox.waitFor(
      pushedAfter<InboxEvent>(
        mark,
        dm.id,
        (event) => event.conversation.unreadCount === sent - 1 && event.totalUnread === sent - 1,
      ),
      `${sent - 1} unread after the delete`,
    );
    expect((await conversation(url, ben!, dm.id))!.unreadCount).toBe(sent - 1);
    expect(await totalUnread(url, ben!)).toBe(sent - 1);
  });

  it('pushes the new mention count to the inbox when an edit adds or removes a mention of the reader', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const dm = await directConversation(url, ada!, [ben!]);
    const inbox = inboxWithMentions(socketOf(ben!));
    let last = await send(url, ada!, dm.id, 'hello');
    await warmUp(
      inbox,
      async () => (last = await send(url, ada!, dm.id, 'hello')),
      (event) => event.conversation.id === dm.id,
      'the inbox is live',
    );

    postponeInboxSafetyNet();
    let mark = inbox.received.length;
    const mentioned = await editMessage(url, ada!, last.id, `hello @[Ben](${ben!.personId})`);
    expect(
      mentioned.message?.mentions.map((person) => person.id),
      JSON.stringify(mentioned),
    ).toEqual([ben!.personId]);
    await inbox.waitFor(
      pushedAfter<InboxMentionEvent>(mark, dm.id, (event) => event.conversation.unreadMentionCount === 1),
      'one mention',
    );
    expect((await conversation(url, ben!, dm.id))!.unreadMentionCount).toBe(1);

    mark = inbox.received.length;
    const unmentioned = await editMessage(url, ada!, last.id, 'hello again');
    expect(unmentioned.message?.mentions, JSON.stringify(unmentioned)).toEqual([]);
    await inbox.waitFor(
      pushedAfter<InboxMentionEvent>(mark, dm.id, (event) => event.conversation.unreadMentionCount === 0),
      'no mention',
    );
    expect((await conversation(url, ben!, dm.id))!.unreadMentionCount).toBe(0);
  });
});

describe('sends that fail after commit', () => {
  it('tells inboxes of a message whose read-back failed after commit, and answers the retry with that message, stored and streamed once', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const dm = await directConversation(url, ada!, [ben!]);
    const base = await lastSeqOf(ben!, dm.id);
    const client = socketOf(ben!);
    const live = conversationEvents(client, dm.id, base);
    const inbox = inboxEvents(client);
    await warmUp(
      inbox,
      () => send(url, ada!, dm.id, 'hi'),
      (event) => event.conversation.id === dm.id,
      'the inbox is live',
    );

    postponeInboxSafetyNet();
    const mark = inbox.received.length;
    // The send commits, then reading the stored message back (to answer and announce it) fails.
    const db = rawQueries();
    const realQuery = db.$queryRaw;
    let failures = 0;
    const restore = replace(db, '$queryRaw', function (this: unknown, ...args: unknown[]) {
      if (this === db && failures === 0 && sqlOf(args).includes('m."id" = ANY(')) {
        failures += 1;
        return Promise.reject(new Error('connection reset (injected by the test)'));
      }
      return realQuery.apply(this, args);
    });
    const clientId = newClientId();
    // A mention takes the send through the path that reads the stored message back.
    const body = `stored, then the read-back failed, @[Ben](${ben!.personId})`;
    try {
      await expect(sendMessage(url, ada!, dm.id, body, { clientId })).rejects.toThrow();
      expect(failures).toBe(1);
    } finally {
      restore();
    }

    // Before any retry, Ben's inbox already counts it (his only conversation: unread = total).
    const unread = (await conversation(url, ben!, dm.id))!.unreadCount;
    expect(await totalUnread(url, ben!)).toBe(unread);
    await inbox.waitFor(
      pushedAfter<InboxEvent>(
        mark,
        dm.id,
        (event) => event.conversation.unreadCount === unread && event.totalUnread === unread,
      ),
      `the inbox counts ${unread} unread`,
    );

    const retry = await sendMessage(url, ada!, dm.id, body, { clientId });
    expect(retry.message, JSON.stringify(retry)).toMatchObject({ clientId, body });
    const history = await fullHistory(url, ben!, dm.id);
    expect(history.filter((message) => message.clientId === clientId).map((message) => message.id)).toEqual([
      retry.message!.id,
    ]);

    const after = await send(url, ada!, dm.id, 'and after');
    const events = await live.waitFor(
      (items) => items.some((event) => event.seq >= after.seq),
      'the live stream catches up',
    );
    expect(seqsOf(events)).toEqual(range(base + 1, after.seq));
    expect(events.filter((event) => event.message.id === retry.message!.id).map((event) => event.kind)).toEqual([
      'MESSAGE_ADDED',
    ]);
  });

  it('announces a message again when its send is retried, so inboxes hear of a first attempt whose announcements were lost', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const dm = await directConversation(url, ada!, [ben!]);
    const inbox = inboxEvents(socketOf(ben!));
    await warmUp(
      inbox,
      () => send(url, ada!, dm.id, 'hi'),
      (event) => event.conversation.id === dm.id,
      'the inbox is live',
    );

    postponeInboxSafetyNet();
    const mark = inbox.received.length;
    const clientId = newClientId();
    // The first attempt commits and answers, but everything it publishes is lost (Redis away);
    // the client, which never saw the answer, retries.
    const pubsub = server.app.services.pubsub;
    const restore = replace(pubsub, 'publish', (() => undefined) as typeof pubsub.publish);
    let first: ChatMessage;
    try {
      first = await send(url, ada!, dm.id, 'told nobody the first time', { clientId });
    } finally {
      restore();
    }
    const retried = await send(url, ada!, dm.id, 'told nobody the first time', { clientId });
    expect(retried.id).toBe(first.id);

    const unread = (await conversation(url, ben!, dm.id))!.unreadCount;
    await inbox.waitFor(
      pushedAfter<InboxEvent>(
        mark,
        dm.id,
        (event) => event.conversation.unreadCount === unread && event.totalUnread === unread,
      ),
      `the inbox counts ${unread} unread`,
    );
    expect(await totalUnread(url, ben!)).toBe(unread);
  });
});

describe('cleanup', () => {
  it('retires shared feeds and inbox members however the client leaves: completing, closing the socket, or completing while the server still sets the subscription up', async () => {
    const { feeds, inbox } = server.app.services.chat;
    const feedsById = (feeds as unknown as { feeds: Map<string, unknown> }).feeds;
    const members = (inbox as unknown as { members: Map<string, unknown> }).members;
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const base = await lastSeqOf(ada!, group.general);
    // Only this test's conversation and reader are looked at: other tests' leftovers are theirs.
    const generalId = decodeId(group.general, 'Conversation')!;
    const benId = userIdOf(ben!.id);
    const held = () => ({ feed: feedsById.has(generalId), inboxMember: members.has(benId) });
    const allRetired = (what: string) =>
      eventually(async () => (!feedsById.has(generalId) && !members.has(benId) ? true : undefined), what).catch(
        (error: unknown) => {
          throw new Error(`${what}: still held ${JSON.stringify(held())} (${String(error)})`);
        },
      );

    // 1. The client completes its subscriptions; the socket stays open (a typing stream keeps it).
    let client = socketOf(ben!);
    let keeper = typingIndicators(client, group.general);
    let stream = conversationEvents(client, group.general, base);
    let unread = inboxEvents(client);
    await warmUp(
      unread,
      () => send(url, ada!, group.general, 'x'),
      (event) => event.conversation.id === group.general,
      'the inbox is live',
    );
    await stream.waitFor((items) => items.length > 0, 'the stream is live');
    expect(held()).toEqual({ feed: true, inboxMember: true });
    stream.dispose();
    unread.dispose();
    await allRetired('completed');
    expect(keeper.hasEnded()).toBe(false);
    await client.dispose();

    // 2. The socket goes away with both subscriptions live.
    client = socketOf(ben!);
    stream = conversationEvents(client, group.general, base);
    unread = inboxEvents(client);
    await stream.waitFor((items) => items.length > 0, 'the replay');
    await warmUp(
      unread,
      () => send(url, ada!, group.general, 'y'),
      (event) => event.conversation.id === group.general,
      'the inbox is live',
    );
    expect(held()).toEqual({ feed: true, inboxMember: true });
    await client.dispose();
    await allRetired('socket closed');

    // 3. Subscriptions completed right after they were sent, while the server is still setting
    // them up. A last stream, sent after them and live, shows the server has taken them all in.
    client = socketOf(ben!);
    keeper = typingIndicators(client, group.general);
    const warm = conversationEvents(client, group.general, base);
    await warm.waitFor((items) => items.length > 0, 'the socket is connected');
    warm.dispose();
    for (let index = 0; index < 20; index += 1) {
      const early = conversationEvents(client, group.general, base);
      const earlyInbox = inboxEvents(client);
      early.dispose();
      earlyInbox.dispose();
    }
    const sentinel = conversationEvents(client, group.general, base);
    await sentinel.waitFor((items) => items.length > 0, 'the last stream is live');
    expect(held().feed).toBe(true);
    sentinel.dispose();
    await allRetired('completed during setup');
    expect(keeper.hasEnded()).toBe(false);
    await client.dispose();
    await allRetired('completed during setup, then socket closed');
  });
});
