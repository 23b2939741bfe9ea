import { describe, expect, it } from 'vitest';
import {
  chatMembers,
  codesOf,
  conversation,
  conversationEvents,
  deleteMessage,
  editMessage,
  groupWithMembers,
  messagesPage,
  range,
  send,
  seqsOf,
  toggleReaction,
  type ChatMember,
  type ConversationEvent,
  useChatServer,
} from '../support/chat.js';
import { mutate } from '../support/groups.js';

// The conversationEvents protocol (docs/ARCHITECTURE.md "Realtime protocol"): replay after a seq, then live
// events with no gap and no duplicate at the seam; a lost member's stream ends at once; every kind
// of change is an event with its own seq, replayed like messages.

let url: string;
const { socketOf } = useChatServer((started) => {
  url = started.graphqlUrl;
});

async function lastSeqOf(who: ChatMember, conversationId: string): Promise<number> {
  return (await conversation(url, who, conversationId))!.lastSeq;
}

describe('seq numbers', () => {
  it('hands out contiguous seqs to concurrent senders, and a concurrent retry of the same clientId spends none', async () => {
    const [owner, ...others] = await chatMembers(url, ['Sam Seq', 'Ola One', 'Tim Two', 'Uma Three']);
    const group = await groupWithMembers(url, owner!, others);
    const senders = [owner!, ...others];
    // 24 sends at once: every sender sends 3 messages, and each of those twice (same clientId).
    const sends = senders.flatMap((who, s) =>
      [0, 1, 2].flatMap((n) => {
        const clientId = `seq-${s}-${n}`;
        return [
          send(url, who, group.general, `m ${s}.${n}`, { clientId }),
          send(url, who, group.general, `m ${s}.${n}`, { clientId }),
        ];
      }),
    );
    const answers = await Promise.all(sends);
    for (let i = 0; i < answers.length; i += 2) expect(answers[i]!.id).toBe(answers[i + 1]!.id);
    const page = await messagesPage(url, owner!, group.general, { first: 100 });
    const seqs = page.edges.map((edge) => edge.node.seq);
    expect(seqs).toEqual(range(1, senders.length * 3));
    expect(await lastSeqOf(owner!, group.general)).toBe(senders.length * 3);
  });
});

describe('replay then live', () => {
  it('replays after afterSeq and goes live with no gap and no duplicate at the seam, while others keep sending', async () => {
    const [ada, ben, cat] = await chatMembers(url, ['Ada Sender', 'Ben Sender', 'Cat Reader']);
    const group = await groupWithMembers(url, ada!, [ben!, cat!]);
    const base = await lastSeqOf(ada!, group.general);
    for (let index = 1; index <= 20; index += 1) await send(url, ada!, group.general, `before ${index}`);

    // Ben keeps sending while three readers subscribe from seq base+10 at different moments, so
    // the seam between replay and live falls in the middle of the traffic.
    let sending = true;
    const sender = (async () => {
      let sent = 0;
      while (sending || sent < 20) {
        await send(url, ben!, group.general, `during ${sent}`);
        sent += 1;
      }
    })();
    const readers = [];
    for (let reader = 0; reader < 3; reader += 1) {
      readers.push(conversationEvents(socketOf(cat!), group.general, base + 10));
      await send(url, ada!, group.general, `seam ${reader}`);
    }
    sending = false;
    await sender;
    // A last message after everything: a late duplicate would arrive before it.
    const last = (await send(url, ada!, group.general, 'the end')).seq;
    expect(last).toBeGreaterThanOrEqual(base + 44);

    for (const reader of readers) {
      const events = await reader.waitFor(
        (items) => items.some((event) => event.seq >= last),
        `events up to seq ${last}`,
      );
      expect(seqsOf(events)).toEqual(range(base + 11, last));
      expect(events.every((event) => event.kind === 'MESSAGE_ADDED' && event.conversationId === group.general)).toBe(
        true,
      );
    }
  });

  it('starts from now when afterSeq is omitted', async () => {
    const [ada] = await chatMembers(url, ['Ada']);
    const group = await groupWithMembers(url, ada!, []);
    await send(url, ada!, group.general, 'old news');
    const live = conversationEvents(socketOf(ada!), group.general);
    // Without a replay there is no way to know when the stream listens: send until one arrives.
    let fresh = await send(url, ada!, group.general, 'fresh');
    while (
      !(await live
        .waitFor((items) => items.length > 0, 'a live event', 300)
        .then(
          () => true,
          () => false,
        ))
    ) {
      fresh = await send(url, ada!, group.general, 'fresh again');
    }
    expect(live.received.every((event) => event.message.body !== 'old news')).toBe(true);
    expect(live.received[0]!.seq).toBeLessThanOrEqual(fresh.seq);
  });
});

describe('losing access', () => {
  type Removal = 'removeMember' | 'banMember' | 'leaveGroup';
  const removals: Removal[] = ['removeMember', 'banMember', 'leaveGroup'];

  it.each(removals)(
    'ends the stream of a member who is gone (%s) with NOT_FOUND, delivering nothing after',
    async (removal) => {
      const [owner, leaver, witness] = await chatMembers(url, ['Olga Owner', 'Lee Leaving', 'Wil Witness']);
      const group = await groupWithMembers(url, owner!, [leaver!, witness!]);
      const base = await lastSeqOf(owner!, group.general);
      const leaverSees = conversationEvents(socketOf(leaver!), group.general, base);
      const witnessSees = conversationEvents(socketOf(witness!), group.general, base);
      const before = await send(url, owner!, group.general, 'while you are here');
      await leaverSees.waitFor(
        (items) => items.some((event) => event.message.id === before.id),
        'the message before removal',
      );

      const result =
        removal === 'leaveGroup'
          ? await mutate(url, leaver!, 'leaveGroup', { groupId: group.id })
          : await mutate(url, owner!, removal, { groupId: group.id, personId: leaver!.personId });
      expect(['GroupPayload', 'GroupMemberPayload'], JSON.stringify(result)).toContain(result.__typename);

      const after = await send(url, owner!, group.general, 'after you left');
      await witnessSees.waitFor(
        (items) => items.some((event) => event.message.id === after.id),
        'the witness gets the later message',
      );
      const end = await leaverSees.waitForEnd();
      expect(codesOf(end.errors), JSON.stringify(end)).toContain('NOT_FOUND');
      expect(leaverSees.received.map((event) => event.message.id)).not.toContain(after.id);

      // Coming back through another socket does not work either.
      const again = conversationEvents(socketOf(leaver!), group.general, base);
      expect(codesOf((await again.waitForEnd()).errors)).toContain('NOT_FOUND');
      expect(again.received).toEqual([]);
    },
  );
});

describe('every change is an event', () => {
  it('delivers edits, reactions, thread updates and deletes with their own seqs, live and again on replay', async () => {
    const [ada, ben] = await chatMembers(url, ['Ada', 'Ben']);
    const group = await groupWithMembers(url, ada!, [ben!]);
    const base = await lastSeqOf(ada!, group.general);
    const live = conversationEvents(socketOf(ben!), group.general, base);

    // Each live event carries its message as it is when delivered: every step waits for its event
    // before the next, so what each one shows is pinned (a busy machine delivered the edit after the
    // delete, with the deleted body).
    const delivered = (kind: ConversationEvent['kind']) =>
      live.waitFor((items) => items.some((event) => event.kind === kind), `the live ${kind}`);
    const message = await send(url, ada!, group.general, 'original');
    await editMessage(url, ada!, message.id, 'edited');
    await delivered('MESSAGE_EDITED');
    await toggleReaction(url, ben!, message.id, '👍');
    await delivered('REACTION_CHANGED');
    const reply = await send(url, ben!, group.general, 'a reply', { parentId: message.id });
    await delivered('THREAD_UPDATED');
    await deleteMessage(url, ada!, message.id);
    const last = await lastSeqOf(ada!, group.general);

    const events = await live.waitFor((items) => items.some((event) => event.seq >= last), `live events up to ${last}`);
    expect(seqsOf(events)).toEqual(range(base + 1, last));
    const kinds = events.map((event) => event.kind);
    expect(kinds.slice(0, 3)).toEqual(['MESSAGE_ADDED', 'MESSAGE_EDITED', 'REACTION_CHANGED']);
    expect([...kinds.slice(3, -1)].sort()).toEqual(['MESSAGE_ADDED', 'THREAD_UPDATED']);
    expect(kinds.at(-1)).toBe('MESSAGE_DELETED');
    const byKind = (list: ConversationEvent[], kind: ConversationEvent['kind']) =>
      list.find((event) => event.kind === kind)!;
    expect(byKind(events, 'MESSAGE_EDITED').message).toMatchObject({
      id: message.id,
      body: 'edited',
      editedAt: expect.any(String),
    });
    expect(byKind(events, 'REACTION_CHANGED').message.reactions).toEqual([
      expect.objectContaining({ emoji: '👍', count: 1 }),
    ]);
    expect(byKind(events, 'THREAD_UPDATED').message).toMatchObject({ id: message.id, replyCount: 1 });
    expect(events.find((event) => event.message.id === reply.id)).toMatchObject({
      kind: 'MESSAGE_ADDED',
      message: { parentId: message.id },
    });
    expect(byKind(events, 'MESSAGE_DELETED').message).toMatchObject({
      id: message.id,
      body: '',
      deletedAt: expect.any(String),
    });

    // Replay: the same seqs and kinds; each event carries its message as it is now.
    const replay = conversationEvents(socketOf(ben!), group.general, base);
    const replayed = await replay.waitFor((items) => items.some((event) => event.seq >= last), 'replayed events');
    expect(replayed.map((event) => [event.seq, event.kind, event.message.id])).toEqual(
      events.map((event) => [event.seq, event.kind, event.message.id]),
    );
    expect(replayed.find((event) => event.message.id === message.id)!.message).toMatchObject({
      body: '',
      deletedAt: expect.any(String),
    });

    // Resuming in the middle replays only what came after.
    const middle = events[1]!.seq;
    const resumed = conversationEvents(socketOf(ben!), group.general, middle);
    expect(
      seqsOf(await resumed.waitFor((items) => items.some((event) => event.seq >= last), 'resumed events')),
    ).toEqual(range(middle + 1, last));
  });
});
