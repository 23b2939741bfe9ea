import { describe, expect, it } from 'vitest';
import {
  addPending,
  applyEvent,
  applyIfUnchanged,
  applyNewestPage,
  applyOlderPage,
  applyThreadPage,
  confirmSent,
  highestSeq,
  initialConversationState,
  pendingMessages,
  threadReplies,
  topLevelMessages,
  updatePending,
  versionOf,
  type ConversationState,
  type PendingMessage,
} from '../../web/src/features/chat/message-store.js';

// The rules that keep the web client's live message list right (web/src/features/chat/message-store.ts):
// exactly once, in seq order, never overwritten by something older, and no optimistic copy left behind.

interface TestMessage {
  id: string;
  seq: number;
  clientId: string;
  parentId: string | null;
  author: { id: string } | null;
  body: string;
}

const ME = 'person-me';
const OTHER = 'person-other';

function message(seq: number, body: string, overrides: Partial<TestMessage> = {}): TestMessage {
  return { id: `m${seq}`, seq, clientId: `c${seq}`, parentId: null, author: { id: OTHER }, body, ...overrides };
}

function pending(clientId: string, body: string, parentId: string | null = null): PendingMessage {
  return { clientId, body, parentId, createdAt: '2026-01-01T00:00:00Z', status: 'sending', retryAt: null, error: null };
}

function bodies(state: ConversationState<TestMessage>): string[] {
  return topLevelMessages(state).map((entry) => entry.body);
}

const empty = () => initialConversationState<TestMessage>(ME);

describe('the chat message store', () => {
  it('applies events as upserts by id in seq order, so replays and duplicates change nothing', () => {
    let state = applyNewestPage(empty(), [message(1, 'one'), message(2, 'two')], false);
    const three = { seq: 3, kind: 'MESSAGE_ADDED', message: message(3, 'three') };
    const four = { seq: 4, kind: 'MESSAGE_ADDED', message: message(4, 'four') };
    state = applyEvent(state, four);
    state = applyEvent(state, three);
    state = applyEvent(state, three);
    state = applyEvent(state, { seq: 2, kind: 'MESSAGE_ADDED', message: message(2, 'two') });
    expect(bodies(state)).toEqual(['one', 'two', 'three', 'four']);
    expect(state.streamSeq).toBe(4);
  });

  it('lets the newest event win over older ones and over pages', () => {
    let state = applyNewestPage(empty(), [message(1, 'draft')], false);
    state = applyEvent(state, { seq: 5, kind: 'MESSAGE_EDITED', message: message(1, 'edited twice') });
    state = applyEvent(state, { seq: 3, kind: 'MESSAGE_EDITED', message: message(1, 'edited once') });
    expect(bodies(state)).toEqual(['edited twice']);
    // A page read before the edit arrives late: it fills in nothing it already has.
    state = applyOlderPage(state, [message(1, 'draft')], false);
    expect(bodies(state)).toEqual(['edited twice']);
  });

  it('resumes the stream from what the stream delivered, never from a page read later', () => {
    let state = applyNewestPage(empty(), [message(8, 'eight'), message(9, 'nine')], true);
    expect(state.streamSeq).toBe(9);
    state = applyEvent(state, { seq: 10, kind: 'MESSAGE_ADDED', message: message(10, 'ten') });
    // A thread page may hold replies the stream has not delivered yet (seq 14): resuming after 14
    // would skip whatever else happened at 11–13.
    state = applyThreadPage(state, 'm9', [message(14, 'reply', { id: 'r14', parentId: 'm9' })], false, false);
    state = applyOlderPage(state, [message(5, 'five')], false);
    expect(state.streamSeq).toBe(10);
    expect(highestSeq(state)).toBe(14);
  });

  it('shows only the loaded window, so an edit of an old message does not appear out of place', () => {
    let state = applyNewestPage(empty(), [message(20, 'twenty'), message(21, 'twenty-one')], true);
    state = applyEvent(state, { seq: 22, kind: 'MESSAGE_EDITED', message: message(3, 'an old one, edited') });
    expect(bodies(state)).toEqual(['twenty', 'twenty-one']);
    state = applyOlderPage(state, [message(3, 'an old one'), message(19, 'nineteen')], false);
    expect(bodies(state)).toEqual(['an old one, edited', 'nineteen', 'twenty', 'twenty-one']);
  });

  it('replaces an optimistic message by the stored one whichever arrives first, and never shows both', () => {
    const mine = (seq: number, clientId: string) =>
      message(seq, 'hello', { id: `m${seq}`, clientId, author: { id: ME } });

    // The live event first, then the acknowledgement.
    let state = addPending(applyNewestPage(empty(), [], false), pending('client-a', 'hello'));
    expect(pendingMessages(state, null)).toHaveLength(1);
    state = applyEvent(state, { seq: 1, kind: 'MESSAGE_ADDED', message: mine(1, 'client-a') });
    expect(pendingMessages(state, null)).toHaveLength(0);
    state = confirmSent(state, mine(1, 'client-a'));
    expect(bodies(state)).toEqual(['hello']);

    // The acknowledgement first, then the live event.
    state = addPending(state, pending('client-b', 'hello'));
    state = confirmSent(state, mine(2, 'client-b'));
    state = applyEvent(state, { seq: 2, kind: 'MESSAGE_ADDED', message: mine(2, 'client-b') });
    expect(bodies(state)).toEqual(['hello', 'hello']);
    expect(pendingMessages(state, null)).toHaveLength(0);

    // Someone else's message with the same clientId settles nothing of ours.
    state = addPending(state, pending('client-c', 'mine'));
    state = applyEvent(state, {
      seq: 3,
      kind: 'MESSAGE_ADDED',
      message: message(3, 'theirs', { clientId: 'client-c' }),
    });
    expect(pendingMessages(state, null).map((item) => item.clientId)).toEqual(['client-c']);
  });

  it('keeps a failed send with its clientId until it is stored, and settles it if it was stored after all', () => {
    let state = addPending(applyNewestPage(empty(), [], false), pending('client-x', 'did it arrive?'));
    state = updatePending(state, 'client-x', { status: 'failed', error: 'Not sent' });
    expect(pendingMessages(state, null)).toEqual([expect.objectContaining({ clientId: 'client-x', status: 'failed' })]);
    // The send had reached the server: its replayed event settles the failed copy.
    state = applyEvent(state, {
      seq: 1,
      kind: 'MESSAGE_ADDED',
      message: message(1, 'did it arrive?', { clientId: 'client-x', author: { id: ME } }),
    });
    expect(pendingMessages(state, null)).toEqual([]);
    expect(bodies(state)).toEqual(['did it arrive?']);
    // A late status change for a settled message is ignored.
    expect(updatePending(state, 'client-x', { status: 'failed' })).toBe(state);
  });

  it('applies a mutation answer only when no event for the message came in meanwhile', () => {
    let state = applyNewestPage(empty(), [message(1, 'hi')], false);
    const before = versionOf(state, 'm1');
    state = applyIfUnchanged(state, message(1, 'hi, edited'), before);
    expect(bodies(state)).toEqual(['hi, edited']);
    const sentAt = versionOf(state, 'm1');
    state = applyEvent(state, { seq: 4, kind: 'REACTION_CHANGED', message: message(1, 'hi, edited, with a reaction') });
    state = applyIfUnchanged(state, message(1, 'hi, edited'), sentAt);
    expect(bodies(state)).toEqual(['hi, edited, with a reaction']);
  });

  it('keeps thread replies out of the main list and in their thread, in order', () => {
    let state = applyNewestPage(empty(), [message(1, 'root')], false);
    state = applyEvent(state, {
      seq: 3,
      kind: 'MESSAGE_ADDED',
      message: message(3, 'second reply', { id: 'r3', parentId: 'm1' }),
    });
    state = applyThreadPage(
      state,
      'm1',
      [
        message(2, 'first reply', { id: 'r2', parentId: 'm1' }),
        message(3, 'second reply', { id: 'r3', parentId: 'm1' }),
      ],
      false,
      false,
    );
    expect(bodies(state)).toEqual(['root']);
    expect(threadReplies(state, 'm1').map((reply) => reply.body)).toEqual(['first reply', 'second reply']);
  });
});
