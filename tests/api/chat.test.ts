import { describe, expect, it } from 'vitest';
import {
  anotherDevice,
  channelsOf,
  chatMembers,
  codesOf,
  conversation,
  conversationEvents,
  createChannel,
  deleteMessage,
  directConversation,
  editMessage,
  eventually,
  fullHistory,
  groupWithMembers,
  inboxEvents,
  markConversationRead,
  messageById,
  messagesPage,
  newClientId,
  notificationKinds,
  presenceChanges,
  presenceOf,
  query,
  send,
  sendMessage,
  setPresenceOnSocket,
  setTyping,
  startDirectConversation,
  threadPage,
  toggleReaction,
  totalUnread,
  typingIndicators,
  warmUp,
  type ChatMember,
  type ChatMessage,
  type Page,
  useChatServer,
} from '../support/chat.js';
import { startServer } from '../support/server.js';

// Chat as members use it, against a real server over HTTP and graphql-ws, on whichever back-end
// this run uses: channels and DMs and who sees them, messages and their rules, threads,
// mentions, reactions, edits, deletes, history paging, read markers and unread counts, rate
// limits, search, typing and presence.

let url: string;
const { socketOf } = useChatServer((started) => {
  url = started.graphqlUrl;
});

async function lastSeqOf(who: ChatMember, conversationId: string): Promise<number> {
  const seen = await conversation(url, who, conversationId);
  if (!seen) throw new Error(`${who.name} cannot see ${conversationId}`);
  return seen.lastSeq;
}

const ids = (page: Page<ChatMessage>) => page.edges.map((edge) => edge.node.id);

describe('channels', () => {
  it('gives every group a #general that only its members see, read, post to or subscribe to', async () => {
    const [owner, member, outsider] = await chatMembers(url, ['Ada Owner', 'Ben Member', 'Cat Outsider']);
    const group = await groupWithMembers(url, owner!, [member!]);

    const channels = await channelsOf(url, member!, group.slug);
    expect(channels![0]).toMatchObject({
      id: group.general,
      kind: 'CHANNEL',
      name: 'general',
      title: 'general',
      isDefault: true,
      group: { id: group.id },
      participants: [],
    });
    expect((await conversation(url, member!, group.general))?.id).toBe(group.general);
    await send(url, owner!, group.general, 'Welcome, everyone');

    // The group is public, its channels are not.
    expect(await channelsOf(url, outsider!, group.slug)).toEqual([]);
    expect(await conversation(url, outsider!, group.general)).toBeNull();
    expect(await sendMessage(url, outsider!, group.general, 'let me in')).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    expect(await setTyping(url, outsider!, group.general, true)).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    const listed = await query<{ conversations: { edges: Array<{ node: { id: string } }> } }>(
      url,
      outsider!,
      '{ conversations(first: 50) { edges { node { id } } } }',
    );
    expect(listed.conversations.edges.map((edge) => edge.node.id)).not.toContain(group.general);

    const events = conversationEvents(socketOf(outsider!), group.general, 0);
    const end = await events.waitForEnd();
    expect(codesOf(end.errors)).toContain('NOT_FOUND');
    expect(events.received).toEqual([]);
    const typing = typingIndicators(socketOf(outsider!), group.general);
    expect(codesOf((await typing.waitForEnd()).errors)).toContain('NOT_FOUND');
  });

  it('lets owners and admins add channels, refuses members (FORBIDDEN), taken names (CHANNEL_NAME_TAKEN) and bad names', async () => {
    const [owner, admin, member] = await chatMembers(url, ['Ada Owner', 'Al Admin', 'Ben Member']);
    const group = await groupWithMembers(url, owner!, [admin!, member!], { roles: [[admin!, 'ADMIN']] });

    const created = await createChannel(url, admin!, { groupId: group.id, name: 'deploys', topic: 'Ship it' });
    expect(created.conversation).toMatchObject({
      kind: 'CHANNEL',
      name: 'deploys',
      title: 'deploys',
      topic: 'Ship it',
      isDefault: false,
    });
    expect((await createChannel(url, owner!, { groupId: group.id, name: 'random' })).conversation?.name).toBe('random');

    expect(await createChannel(url, member!, { groupId: group.id, name: 'mine' })).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect(await createChannel(url, owner!, { groupId: group.id, name: 'deploys' })).toMatchObject({
      code: 'CHANNEL_NAME_TAKEN',
    });
    expect(await createChannel(url, owner!, { groupId: group.id, name: 'general' })).toMatchObject({
      code: 'CHANNEL_NAME_TAKEN',
    });
    for (const name of ['Not a name!', '', 'x'.repeat(41), '#hash']) {
      expect((await createChannel(url, owner!, { groupId: group.id, name })).__typename, name).toBe('ValidationError');
    }

    const names = (await channelsOf(url, member!, group.slug))!.map((channel) => channel.name);
    expect(names[0]).toBe('general');
    expect([...names].sort()).toEqual(['deploys', 'general', 'random']);
    // A member of the group reads and writes the new channel.
    await send(url, member!, created.conversation!.id, 'first deploy note');
  });
});

describe('direct conversations', () => {
  it('has one DM per set of people, whoever starts it, titled with the other people, private to them', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada Lovelace', 'Ben Bright', 'Cat Stranger']);
    const dm = await directConversation(url, ada!, [ben!]);
    expect(dm).toMatchObject({ kind: 'DIRECT', name: null, group: null, title: 'Ben Bright', isDefault: false });
    expect(dm.participants.map((person) => person.id).sort()).toEqual([ada!.personId, ben!.personId].sort());

    expect((await directConversation(url, ada!, [ben!])).id).toBe(dm.id);
    const fromBen = await directConversation(url, ben!, [ada!]);
    expect(fromBen.id).toBe(dm.id);
    expect(fromBen.title).toBe('Ada Lovelace');

    const hello = await send(url, ada!, dm.id, 'Hi Ben');
    expect(ids(await messagesPage(url, ben!, dm.id, { last: 10 }))).toEqual([hello.id]);
    expect(await conversation(url, cat!, dm.id)).toBeNull();
    expect(await sendMessage(url, cat!, dm.id, 'hello?')).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    expect(codesOf((await conversationEvents(socketOf(cat!), dm.id, 0).waitForEnd()).errors)).toContain('NOT_FOUND');
  });

  it('holds up to 9 people and refuses a 10th, or nobody, with a ValidationError', async () => {
    const people = await chatMembers(
      url,
      Array.from({ length: 10 }, (_, index) => `Crowd ${index + 1}`),
    );
    const [starter, ...others] = people as [ChatMember, ...ChatMember[]];
    const eight = others.slice(0, 8);
    const dm = await directConversation(url, starter, eight);
    expect(dm.participants).toHaveLength(9);
    expect(dm.title.split(', ').sort()).toEqual(eight.map((person) => person.name).sort());
    // Same people in another order, started by someone else: the same conversation.
    expect(
      (await directConversation(url, eight[3]!, [...eight.slice(0, 3), starter, ...eight.slice(4)].reverse())).id,
    ).toBe(dm.id);

    expect(
      (
        await startDirectConversation(
          url,
          starter,
          others.map((person) => person.personId),
        )
      ).__typename,
    ).toBe('ValidationError');
    expect((await startDirectConversation(url, starter, [])).__typename).toBe('ValidationError');
  });
});

describe('messages', () => {
  it('accepts 1–4000 characters and refuses empty, blank or longer bodies and bad clientIds with a ValidationError, storing nothing', async () => {
    const [owner] = await chatMembers(url, ['Ada Owner']);
    const group = await groupWithMembers(url, owner!, []);
    const longest = await send(url, owner!, group.general, 'x'.repeat(4000));
    expect(longest.body).toHaveLength(4000);
    expect((await send(url, owner!, group.general, 'y')).body).toBe('y');
    const before = await lastSeqOf(owner!, group.general);

    for (const body of ['x'.repeat(4001), '', '   \n\t  ']) {
      const refused = await sendMessage(url, owner!, group.general, body);
      expect(refused.__typename, `body of length ${body.length}`).toBe('ValidationError');
      expect(refused.code).toBe('VALIDATION');
    }
    for (const clientId of ['', 'has space', 'x'.repeat(65), 'naïve']) {
      expect((await sendMessage(url, owner!, group.general, 'fine body', { clientId })).__typename, clientId).toBe(
        'ValidationError',
      );
    }
    expect(await lastSeqOf(owner!, group.general)).toBe(before);
  });

  it('stores a retried send once: the same clientId returns the original message and seq', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const clientId = newClientId();
    const original = await send(url, ada!, group.general, 'first try', { clientId });
    const seq = await lastSeqOf(ada!, group.general);

    const retried = await send(url, ada!, group.general, 'first try', { clientId });
    expect(retried).toMatchObject({ id: original.id, seq: original.seq, body: 'first try', clientId });
    // A retry never rewrites what was stored.
    expect(await send(url, ada!, group.general, 'something else', { clientId })).toMatchObject({
      id: original.id,
      body: 'first try',
    });
    expect(await lastSeqOf(ada!, group.general)).toBe(seq);
    expect(
      (await fullHistory(url, ada!, group.general)).filter((message) => message.clientId === clientId),
    ).toHaveLength(1);

    // clientIds belong to their sender: Ben's message with the same clientId is his own.
    const bens = await send(url, ben!, group.general, 'mine', { clientId });
    expect(bens.id).not.toBe(original.id);
    expect(bens.seq).toBeGreaterThan(seq);
  });

  it('numbers messages with strictly increasing seq, even when sent at once, and lists the history in that order', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const start = await lastSeqOf(ada!, group.general);
    const sent = await Promise.all(
      Array.from({ length: 20 }, (_, index) => send(url, index % 2 ? ben! : ada!, group.general, `message ${index}`)),
    );
    const seqs = sent.map((message) => message.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(20);
    expect(seqs[0]).toBeGreaterThan(start);

    const history = await messagesPage(url, ben!, group.general, { last: 50 });
    const listed = history.edges.map((edge) => edge.node.seq);
    expect(listed).toEqual([...listed].sort((a, b) => a - b));
    expect(history.edges.map((edge) => edge.node.id)).toEqual(
      [...sent].sort((a, b) => a.seq - b.seq).map((message) => message.id),
    );
    expect(history.edges.map((edge) => edge.cursor)).toEqual(listed.map(String));
    expect(history.edges.at(-1)!.node.author).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
      initials: expect.any(String),
    });
  });

  it('pages the history: the newest page with last, older ones with before, forward from a seq with first/after', async () => {
    const [ada] = await chatMembers(url, ['Ada']);
    const group = await groupWithMembers(url, ada!, []);
    const m: ChatMessage[] = [];
    for (let index = 1; index <= 7; index += 1) m.push(await send(url, ada!, group.general, `m${index}`));
    const cursor = (message: ChatMessage) => String(message.seq);

    const newest = await messagesPage(url, ada!, group.general, { last: 3 });
    expect(ids(newest)).toEqual([m[4]!.id, m[5]!.id, m[6]!.id]);
    expect(newest.pageInfo).toMatchObject({
      hasPreviousPage: true,
      hasNextPage: false,
      startCursor: cursor(m[4]!),
      endCursor: cursor(m[6]!),
    });
    const older = await messagesPage(url, ada!, group.general, { last: 3, before: newest.pageInfo.startCursor! });
    expect(ids(older)).toEqual([m[1]!.id, m[2]!.id, m[3]!.id]);
    expect(older.pageInfo.hasPreviousPage).toBe(true);
    const oldest = await messagesPage(url, ada!, group.general, { last: 3, before: older.pageInfo.startCursor! });
    expect(ids(oldest)).toEqual([m[0]!.id]);
    expect(oldest.pageInfo.hasPreviousPage).toBe(false);

    const forward = await messagesPage(url, ada!, group.general, { first: 3, after: cursor(m[1]!) });
    expect(ids(forward)).toEqual([m[2]!.id, m[3]!.id, m[4]!.id]);
    expect(forward.pageInfo.hasNextPage).toBe(true);
    const rest = await messagesPage(url, ada!, group.general, { first: 3, after: forward.pageInfo.endCursor! });
    expect(ids(rest)).toEqual([m[5]!.id, m[6]!.id]);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    // Thread replies live in their thread, not in the channel's list.
    await send(url, ada!, group.general, 'a reply', { parentId: m[6]!.id });
    expect(ids(await messagesPage(url, ada!, group.general, { last: 3 }))).toEqual([m[4]!.id, m[5]!.id, m[6]!.id]);
  });
});

describe('threads', () => {
  it('keeps replies under their root: replyCount and lastReplyAt on the root, thread(rootId) lists them, THREAD_UPDATED is pushed', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const events = conversationEvents(socketOf(ben!), group.general, await lastSeqOf(ben!, group.general));

    const root = await send(url, ada!, group.general, 'Root of a thread');
    const first = await send(url, ben!, group.general, 'first reply', { parentId: root.id });
    const second = await send(url, ada!, group.general, 'second reply', { parentId: root.id });
    expect(first.parentId).toBe(root.id);
    expect(root).toMatchObject({ parentId: null, replyCount: 0, lastReplyAt: null });

    const now = await messageById(url, ben!, root.id);
    expect(now!.replyCount).toBe(2);
    expect(Date.parse(now!.lastReplyAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first.createdAt));
    const thread = await threadPage(url, ben!, group.general, root.id, { first: 10 });
    expect(ids(thread)).toEqual([first.id, second.id]);
    expect(ids(await threadPage(url, ben!, group.general, root.id, { last: 1 }))).toEqual([second.id]);

    const received = await events.waitFor(
      (items) => items.some((event) => event.kind === 'THREAD_UPDATED' && event.message.replyCount === 2),
      'THREAD_UPDATED with two replies',
    );
    const updates = received.filter((event) => event.kind === 'THREAD_UPDATED');
    expect(updates.every((event) => event.message.id === root.id)).toBe(true);
    expect(received.find((event) => event.message.id === first.id)).toMatchObject({
      kind: 'MESSAGE_ADDED',
      message: { parentId: root.id },
    });
  });
});

describe('mentions', () => {
  it('notifies a mentioned member who can see the conversation, and nobody who cannot', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada Author', 'Ben Mentioned', 'Cat Outside']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const message = await send(
      url,
      ada!,
      group.general,
      `Ping @[Ben Mentioned](${ben!.personId}) and @[Cat Outside](${cat!.personId})`,
    );
    expect(message.mentions.map((person) => person.id)).toContain(ben!.personId);

    await eventually(
      async () => ((await notificationKinds(url, ben!)).includes('MENTIONED') ? true : undefined),
      'Ben is notified',
    );
    expect(await notificationKinds(url, cat!)).not.toContain('MENTIONED');
    expect(await conversation(url, ben!, group.general)).toMatchObject({ unreadCount: 1, unreadMentionCount: 1 });
    expect(await conversation(url, ada!, group.general)).toMatchObject({ unreadMentionCount: 0 });
  });

  it('does not notify for a mention written in a code span or code block, but does for one beside it', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada Coder', 'Ben Quoted', 'Cat Pinged']);
    const group = await groupWithMembers(url, ada!, [ben!, cat!]);
    const quoted = `@[Ben Quoted](${ben!.personId})`;
    const message = await send(
      url,
      ada!,
      group.general,
      `The syntax is \`${quoted}\`, e.g.\n\n\`\`\`\n${quoted}\n\`\`\`\n\nthanks @[Cat Pinged](${cat!.personId})`,
    );
    expect(message.mentions.map((person) => person.id)).toEqual([cat!.personId]);
    await eventually(
      async () => ((await notificationKinds(url, cat!)).includes('MENTIONED') ? true : undefined),
      'Cat is notified',
    );
    expect(await notificationKinds(url, ben!)).not.toContain('MENTIONED');
    expect(await conversation(url, ben!, group.general)).toMatchObject({ unreadCount: 1, unreadMentionCount: 0 });
    expect(await conversation(url, cat!, group.general)).toMatchObject({ unreadMentionCount: 1 });
  });
});

describe('reactions, edits and deletes', () => {
  it('toggles reactions per member and emoji, counting and naming the reactors', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const message = await send(url, ada!, group.general, 'React to me');

    expect((await toggleReaction(url, ada!, message.id, '👍')).message!.reactions).toEqual([
      { emoji: '👍', count: 1, reactors: [expect.objectContaining({ id: ada!.personId })] },
    ]);
    const both = (await toggleReaction(url, ben!, message.id, '👍')).message!.reactions;
    expect(both).toHaveLength(1);
    expect(both[0]!.count).toBe(2);
    expect(both[0]!.reactors.map((person) => person.id).sort()).toEqual([ada!.personId, ben!.personId].sort());
    const party = (await toggleReaction(url, ben!, message.id, '🎉')).message!.reactions;
    expect(party.map((reaction) => [reaction.emoji, reaction.count]).sort()).toEqual(
      [
        ['🎉', 1],
        ['👍', 2],
      ].sort(),
    );

    expect(
      (await toggleReaction(url, ada!, message.id, '👍')).message!.reactions.find(
        (reaction) => reaction.emoji === '👍',
      ),
    ).toEqual({
      emoji: '👍',
      count: 1,
      reactors: [expect.objectContaining({ id: ben!.personId })],
    });
    await toggleReaction(url, ben!, message.id, '👍');
    expect((await toggleReaction(url, ben!, message.id, '🎉')).message!.reactions).toEqual([]);
    expect((await toggleReaction(url, ben!, message.id, 'not an emoji')).__typename).toBe('ValidationError');
  });

  it('lets authors edit their own messages (editedAt set) and refuses anyone else with FORBIDDEN', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!], { roles: [[ben!, 'MODERATOR']] });
    const message = await send(url, ada!, group.general, 'Tpyo here');
    expect(message.editedAt).toBeNull();
    const events = conversationEvents(socketOf(ben!), group.general, message.seq);

    const edited = await editMessage(url, ada!, message.id, 'Typo fixed');
    expect(edited.message).toMatchObject({
      id: message.id,
      seq: message.seq,
      body: 'Typo fixed',
      editedAt: expect.any(String),
    });
    expect(await editMessage(url, ben!, message.id, 'Moderators cannot put words in mouths')).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect((await editMessage(url, ada!, message.id, '   ')).__typename).toBe('ValidationError');
    expect((await editMessage(url, ada!, message.id, 'x'.repeat(4001))).__typename).toBe('ValidationError');
    expect((await messageById(url, ben!, message.id))!.body).toBe('Typo fixed');

    const [event] = await events.waitFor((items) => items.length >= 1, 'the edit event');
    expect(event).toMatchObject({ kind: 'MESSAGE_EDITED', message: { id: message.id, body: 'Typo fixed' } });
    expect(event!.seq).toBeGreaterThan(message.seq);
  });

  it('deletes own messages, lets moderators delete anyone’s, and keeps a tombstone in the history', async () => {
    const [ada, ben, mod] = await chatMembers(url, ['Ada', 'Ben', 'Mo Derator']);
    const group = await groupWithMembers(url, ada!, [ben!, mod!], { roles: [[mod!, 'MODERATOR']] });
    const first = await send(url, ben!, group.general, 'I regret this');
    const second = await send(url, ben!, group.general, 'Spam spam spam');
    const third = await send(url, ada!, group.general, 'Still here');

    const own = await deleteMessage(url, ben!, first.id);
    expect(own.message).toMatchObject({ id: first.id, body: '', deletedAt: expect.any(String) });
    // The owner moderates too.
    expect((await deleteMessage(url, ada!, second.id)).message).toMatchObject({
      id: second.id,
      body: '',
      deletedAt: expect.any(String),
    });
    const ownerOnly = await send(url, ada!, group.general, 'Owner message');
    expect(await deleteMessage(url, ben!, ownerOnly.id)).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect((await deleteMessage(url, mod!, ownerOnly.id)).message).toMatchObject({
      body: '',
      deletedAt: expect.any(String),
    });

    const history = await fullHistory(url, ben!, group.general);
    expect(history.map((message) => message.id)).toEqual([first.id, second.id, third.id, ownerOnly.id]);
    expect(history.map((message) => [message.body, message.deletedAt === null])).toEqual([
      ['', false],
      ['', false],
      ['Still here', true],
      ['', false],
    ]);
  });
});

describe('read markers and unread counts', () => {
  it('counts messages by others after the read marker, thread replies included, never the viewer’s own', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada', 'Ben', 'Cat']);
    const group = await groupWithMembers(url, ada!, [ben!, cat!]);
    const m1 = await send(url, ada!, group.general, 'one');
    await send(url, ben!, group.general, 'two');
    expect((await conversation(url, ada!, group.general))!.unreadCount).toBe(1);
    expect((await conversation(url, cat!, group.general))!.unreadCount).toBe(2);
    await send(url, cat!, group.general, 'reply', { parentId: m1.id });
    expect((await conversation(url, ada!, group.general))!.unreadCount).toBe(2);

    // Someone who only ever talks to themselves has nothing unread.
    const [solo] = await chatMembers(url, ['Solo']);
    const alone = await groupWithMembers(url, solo!, []);
    for (const body of ['a', 'b', 'c']) await send(url, solo!, alone.general, body);
    expect((await conversation(url, solo!, alone.general))!.unreadCount).toBe(0);
    expect(await totalUnread(url, solo!)).toBe(0);
  });

  it('never moves a read marker backwards', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const sent = [];
    for (const body of ['a', 'b', 'c', 'd']) sent.push(await send(url, ada!, group.general, body));
    const read = await markConversationRead(url, ben!, group.general, sent[2]!.seq);
    expect(read.conversation).toMatchObject({ viewerLastReadSeq: sent[2]!.seq, unreadCount: 1 });
    const back = await markConversationRead(url, ben!, group.general, sent[0]!.seq);
    expect(back.conversation).toMatchObject({ viewerLastReadSeq: sent[2]!.seq, unreadCount: 1 });
    expect(await conversation(url, ben!, group.general)).toMatchObject({
      viewerLastReadSeq: sent[2]!.seq,
      unreadCount: 1,
    });
    expect(await totalUnread(url, ben!)).toBe(1);
  });

  it('pushes unread counts to every device: on a new message and when the member reads on another device', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const dm = await directConversation(url, ada!, [ben!]);
    const phone = await anotherDevice(url, ben!);
    const laptop = inboxEvents(socketOf(ben!));

    await warmUp(
      laptop,
      () => send(url, ada!, dm.id, 'are you there?'),
      (event) => event.conversation.id === dm.id,
      'inbox warm-up',
    );
    const dmSeq = await lastSeqOf(ben!, dm.id);
    expect((await markConversationRead(url, phone, dm.id, dmSeq)).conversation?.unreadCount).toBe(0);
    await laptop.waitFor(
      (items) =>
        items.some(
          (event) => event.conversation.id === dm.id && event.conversation.unreadCount === 0 && event.totalUnread === 0,
        ),
      'the DM read on the phone',
    );

    const m1 = await send(url, ada!, group.general, 'news in general');
    const pushed = await laptop.waitFor(
      (items) => items.some((event) => event.conversation.id === group.general),
      'the new message',
    );
    expect(pushed.find((event) => event.conversation.id === group.general)).toEqual({
      totalUnread: 1,
      conversation: { id: group.general, unreadCount: 1, lastSeq: m1.seq, viewerLastReadSeq: 0 },
    });
    expect(await totalUnread(url, ben!)).toBe(1);

    const count = laptop.received.length;
    await markConversationRead(url, phone, group.general, m1.seq);
    const afterRead = await laptop.waitFor(
      (items) => items.slice(count).some((event) => event.conversation.id === group.general),
      'the read on the phone',
    );
    expect(afterRead.slice(count).find((event) => event.conversation.id === group.general)).toEqual({
      totalUnread: 0,
      conversation: { id: group.general, unreadCount: 0, lastSeq: m1.seq, viewerLastReadSeq: m1.seq },
    });
  });

  it('lists the viewer’s channels and DMs, most recent activity first', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada', 'Ben', 'Cat']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const elsewhere = await groupWithMembers(url, cat!, []);
    const dm = await directConversation(url, ada!, [ben!]);
    const order = async () =>
      (
        await query<{ conversations: { edges: Array<{ node: { id: string } }> } }>(
          url,
          ben!,
          '{ conversations(first: 50) { edges { node { id } } } }',
        )
      ).conversations.edges.map((edge) => edge.node.id);
    await send(url, ada!, group.general, 'general first');
    await send(url, ada!, dm.id, 'then the DM');
    expect((await order()).slice(0, 2)).toEqual([dm.id, group.general]);
    await send(url, ada!, group.general, 'general again');
    expect((await order()).slice(0, 2)).toEqual([group.general, dm.id]);
    expect(await order()).not.toContain(elsewhere.general);
  });
});

describe('send rate limit', () => {
  it('refuses sends past CHAT_SEND_MAX_PER_MINUTE with RATE_LIMITED and when to retry, per member, storing nothing', async () => {
    const limited = await startServer({ env: { CHAT_SEND_MAX_PER_MINUTE: '5' } });
    try {
      const [ada, ben] = await chatMembers(limited.graphqlUrl, ['Ada', 'Ben']);
      const group = await groupWithMembers(limited.graphqlUrl, ada!, [ben!]);
      for (let index = 0; index < 5; index += 1) await send(limited.graphqlUrl, ada!, group.general, `ok ${index}`);
      const seq = (await conversation(limited.graphqlUrl, ada!, group.general))!.lastSeq;
      const refused = await sendMessage(limited.graphqlUrl, ada!, group.general, 'one too many');
      expect(refused).toMatchObject({ __typename: 'RateLimitedError', code: 'RATE_LIMITED' });
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect((await conversation(limited.graphqlUrl, ada!, group.general))!.lastSeq).toBe(seq);
      // Ben has his own allowance.
      await send(limited.graphqlUrl, ben!, group.general, 'my turn');
    } finally {
      await limited.stop();
    }
  });
});

describe('search', () => {
  interface Hit {
    message: { id: string; body: string };
    conversation: { id: string };
    snippet: Array<{ text: string; highlighted: boolean }>;
  }
  type SearchPage = {
    edges: Array<{ cursor: string; node: Hit }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
  async function search(
    who: ChatMember,
    text: string,
    options: { conversationId?: string; first?: number; after?: string } = {},
  ) {
    const data = await query<{ searchMessages: SearchPage }>(
      url,
      who,
      `query S($query: String!, $conversationId: ID, $first: Int, $after: String) {
        searchMessages(query: $query, conversationId: $conversationId, first: $first, after: $after) {
          edges { cursor node { message { id body } conversation { id } snippet { text highlighted } } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { query: text, ...options },
    );
    return data.searchMessages;
  }
  const hitIds = (page: SearchPage) => page.edges.map((edge) => edge.node.message.id);
  /** A word no other test uses, so searches across all conversations see only this test's messages. */
  const uniqueWord = () =>
    `zq${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;

  it('finds words by their stem, newest first, marks the matches and pages', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const bodies = [
      'We are deploying the payments service tonight',
      'Nothing to see here',
      'deploy went fine',
      'She deployed it again',
      'It deploys itself',
    ];
    const sent: ChatMessage[] = [];
    for (const body of bodies) sent.push(await send(url, ada!, group.general, body));
    const matching = sent.filter((message) => /deploy/i.test(message.body));

    const all = await search(ben!, 'deploy', { conversationId: group.general, first: 10 });
    expect(hitIds(all)).toEqual(matching.map((message) => message.id).reverse());
    const deploying = all.edges.find((edge) => edge.node.message.id === sent[0]!.id)!.node;
    expect(deploying.conversation.id).toBe(group.general);
    expect(
      deploying.snippet.filter((segment) => segment.highlighted).map((segment) => segment.text.toLowerCase()),
    ).toEqual(['deploying']);

    const page1 = await search(ben!, 'deploying', { conversationId: group.general, first: 2 });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = await search(ben!, 'deploying', {
      conversationId: group.general,
      first: 2,
      after: page1.pageInfo.endCursor!,
    });
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect([...hitIds(page1), ...hitIds(page2)]).toEqual(hitIds(all));
  });

  it('marks the matches in the body of a short message, leaving none of it out', async () => {
    const [ada] = await chatMembers(url, ['Ada']);
    const group = await groupWithMembers(url, ada!, []);
    const word = uniqueWord();
    const body = `We are shipping the ${word} service tonight`;
    await send(url, ada!, group.general, body);
    const [hit] = (await search(ada!, word, { conversationId: group.general, first: 10 })).edges;
    expect(hit!.node.snippet.map((segment) => segment.text).join('')).toBe(body);
    expect(hit!.node.snippet.filter((segment) => segment.highlighted).map((segment) => segment.text)).toEqual([word]);
  });

  it('never finds messages in conversations the viewer cannot see, nor deleted ones', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada', 'Ben', 'Cat']);
    const word = uniqueWord();
    const mine = await groupWithMembers(url, ada!, []);
    const theirs = await groupWithMembers(url, ben!, [cat!]);
    const dm = await directConversation(url, ben!, [cat!]);
    const visible = await send(url, ada!, mine.general, `our ${word} notes`);
    await send(url, ben!, theirs.general, `their ${word} notes`);
    await send(url, ben!, dm.id, `a private ${word}`);

    expect(hitIds(await search(ada!, word, { first: 20 }))).toEqual([visible.id]);
    expect(hitIds(await search(ada!, word, { conversationId: theirs.general, first: 20 }))).toEqual([]);
    expect(hitIds(await search(cat!, word, { first: 20 })).length).toBe(2);

    await deleteMessage(url, ada!, visible.id);
    expect(hitIds(await search(ada!, word, { first: 20 }))).toEqual([]);
  });
});

describe('typing', () => {
  it('shows a member typing to the others in the conversation, not to themselves, and when they stop', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada Typist', 'Ben Reader', 'Cat Outside']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const adaSees = typingIndicators(socketOf(ada!), group.general);
    const benSees = typingIndicators(socketOf(ben!), group.general);
    await warmUp(
      benSees,
      () => setTyping(url, ada!, group.general, true),
      (event) => event.person.id === ada!.personId,
      'Ben hears Ada',
    );
    await warmUp(
      adaSees,
      () => setTyping(url, ben!, group.general, true),
      (event) => event.person.id === ben!.personId,
      'Ada hears Ben',
    );
    expect(benSees.received[0]).toMatchObject({
      conversationId: group.general,
      typing: true,
      person: { id: ada!.personId, name: 'Ada Typist' },
    });
    expect(Number.isNaN(Date.parse(benSees.received[0]!.expiresAt))).toBe(false);

    expect(await setTyping(url, ada!, group.general, false)).toMatchObject({ ok: true });
    await benSees.waitFor(
      (items) => items.some((event) => event.person.id === ada!.personId && !event.typing),
      'Ada stopped',
    );

    // Ada's own typing never comes back to her: Ben's later event arrives, hers do not.
    const seen = adaSees.received.length;
    await setTyping(url, ben!, group.general, false);
    await adaSees.waitFor(
      (items) => items.slice(seen).some((event) => event.person.id === ben!.personId && !event.typing),
      'Ben stopped',
    );
    expect(adaSees.received.filter((event) => event.person.id === ada!.personId)).toEqual([]);

    expect(await setTyping(url, cat!, group.general, true)).toMatchObject({ __typename: 'NotFoundError' });
  });
});

describe('presence', () => {
  it('shows members ONLINE while a socket is open, AWAY when they say so, OFFLINE once it closes, only to people sharing a group', async () => {
    const [ada, ben, wes, cat, dan] = await chatMembers(url, [
      'Ada Watcher',
      'Ben Present',
      'Wes Warmup',
      'Cat Elsewhere',
      'Dan Elsewhere',
    ]);
    await groupWithMembers(url, ada!, [ben!, wes!]);
    await groupWithMembers(url, cat!, [dan!]);
    const adaSees = presenceChanges(socketOf(ada!));
    const catSees = presenceChanges(socketOf(cat!));
    const wesSocket = socketOf(wes!);
    const danSocket = socketOf(dan!);
    let away = false;
    await warmUp(
      adaSees,
      () => setPresenceOnSocket(wesSocket, (away = !away) ? 'AWAY' : 'ONLINE'),
      (event) => event.person.id === wes!.personId,
      'Ada sees Wes',
    );
    await warmUp(
      catSees,
      () => setPresenceOnSocket(danSocket, (away = !away) ? 'AWAY' : 'ONLINE'),
      (event) => event.person.id === dan!.personId,
      'Cat sees Dan',
    );

    const benSocket = socketOf(ben!);
    const benOwn = presenceChanges(benSocket);
    await adaSees.waitFor(
      (items) => items.some((event) => event.person.id === ben!.personId && event.status === 'ONLINE'),
      'Ben online',
    );
    expect((await presenceOf(url, ada!, [ben!]))[ben!.personId]).toBe('ONLINE');
    expect((await presenceOf(url, cat!, [ben!]))[ben!.personId]).toBe('OFFLINE');

    expect(await setPresenceOnSocket(benSocket, 'AWAY')).toMatchObject({ status: 'AWAY' });
    await adaSees.waitFor(
      (items) => items.some((event) => event.person.id === ben!.personId && event.status === 'AWAY'),
      'Ben away',
    );
    expect((await presenceOf(url, ada!, [ben!]))[ben!.personId]).toBe('AWAY');

    benOwn.dispose();
    await benSocket.dispose();
    await adaSees.waitFor(
      (items) => items.some((event) => event.person.id === ben!.personId && event.status === 'OFFLINE'),
      'Ben offline',
    );
    expect((await presenceOf(url, ada!, [ben!]))[ben!.personId]).toBe('OFFLINE');

    // Cat shares no group with Ben: Dan's later change reaches her, none of Ben's did.
    const seen = catSees.received.length;
    await setPresenceOnSocket(danSocket, (away = !away) ? 'AWAY' : 'ONLINE');
    await catSees.waitFor((items) => items.slice(seen).some((event) => event.person.id === dan!.personId), 'Dan again');
    expect(catSees.received.filter((event) => event.person.id === ben!.personId)).toEqual([]);
  });

  it('shows presence on a Person too: ONLINE to a co-member while their socket is open, OFFLINE to a stranger', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada Watcher', 'Ben Present', 'Cat Stranger']);
    await groupWithMembers(url, ada!, [ben!]);
    const adaSees = presenceChanges(socketOf(ada!));
    const benSocket = socketOf(ben!);
    let away = false;
    await warmUp(
      adaSees,
      () => setPresenceOnSocket(benSocket, (away = !away) ? 'AWAY' : 'ONLINE'),
      (event) => event.person.id === ben!.personId,
      'Ada sees Ben',
    );
    await setPresenceOnSocket(benSocket, 'ONLINE');
    await adaSees.waitFor((items) => items.at(-1)?.status === 'ONLINE', 'Ben online');
    const presenceAs = async (who: ChatMember) =>
      (
        await query<{ node: { presence: string } | null }>(
          url,
          who,
          'query($id: ID!) { node(id: $id) { ... on Person { presence } } }',
          { id: ben!.personId },
        )
      ).node?.presence;
    expect(await presenceAs(ada!)).toBe('ONLINE');
    expect(await presenceAs(cat!)).not.toBe('ONLINE');
  });
});
