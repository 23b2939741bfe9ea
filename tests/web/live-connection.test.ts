import type { Client, Sink } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  graphqlWsReconnects,
  isRecoverableClose,
  isRefusal,
  passingFailureDelayMs,
  subscribeWithRetry,
} from '../../web/src/app/live-connection.js';
import { followConversation } from '../../web/src/features/chat/conversation-stream.js';

// The web app's policy for passing failures: which socket closes end a client (only refusals), how a
// subscription or the chat stream starts again after UNAVAILABLE or a close graphql-ws gives up on,
// and how long a send waits before it is sent again with the same clientId.

const close = (code: number) => ({ code, reason: '', wasClean: true });
const UNAVAILABLE = { message: 'briefly unavailable', extensions: { code: 'UNAVAILABLE', retryAfterSeconds: 3 } };

describe('close codes', () => {
  it.each([
    [1001, 'going away (a restart)'],
    [1006, 'abnormal closure (network)'],
    [1011, 'server error'],
    [1012, 'service restart'],
    [1013, 'try again later (the database is away)'],
    [4408, 'connection_init timeout'],
    [4499, 'terminated (missing pong)'],
    [4500, 'internal server error'],
  ])('reconnects after %i (%s)', (code) => {
    expect(isRefusal(close(code))).toBe(false);
    expect(isRecoverableClose(close(code))).toBe(true);
  });

  it.each([
    [4400, 'bad request'],
    [4401, 'unauthorized (signed out)'],
    [4403, 'forbidden (a refused token)'],
    [4406, 'subprotocol not acceptable'],
    [4409, 'duplicate operation id'],
    [4429, 'repeated connection_init'],
    [1002, 'protocol error'],
    [1008, 'policy violation'],
    [1009, 'message too big'],
  ])('does not reconnect after %i (%s)', (code) => {
    expect(isRefusal(close(code))).toBe(true);
    expect(isRecoverableClose(close(code))).toBe(false);
  });

  it('knows which closes graphql-ws gives up on itself', () => {
    expect(graphqlWsReconnects(close(1013))).toBe(true);
    expect(graphqlWsReconnects(close(4499))).toBe(true);
    expect(graphqlWsReconnects(close(4500))).toBe(false);
    expect(graphqlWsReconnects(close(1011))).toBe(false);
  });
});

describe('passingFailureDelayMs (sends retried with the same clientId)', () => {
  it('waits at least retryAfterSeconds after UNAVAILABLE, longer on later attempts, at most 10 s', () => {
    expect(passingFailureDelayMs({ graphQLErrors: [UNAVAILABLE] }, 0)).toBe(3_000);
    expect(passingFailureDelayMs({ graphQLErrors: [UNAVAILABLE] }, 2)).toBe(4_000);
    expect(passingFailureDelayMs({ graphQLErrors: [UNAVAILABLE] }, 9)).toBe(10_000);
  });

  it('retries when there was no answer at all', () => {
    expect(passingFailureDelayMs({ networkError: new TypeError('fetch failed') }, 0)).toBe(1_000);
  });

  it('does not retry other failures on its own', () => {
    const internal = { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    expect(passingFailureDelayMs({ graphQLErrors: [internal] }, 0)).toBeNull();
    expect(
      passingFailureDelayMs({ graphQLErrors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] }, 0),
    ).toBeNull();
  });
});

// A graphql-ws client that records subscriptions and lets the test end them.
interface FakeSubscription {
  variables: Record<string, unknown> | undefined;
  sink: Sink<{ data?: unknown; errors?: unknown[] }>;
  disposed: boolean;
}

function fakeClient() {
  const subscriptions: FakeSubscription[] = [];
  const closedListeners: Array<(event: unknown) => void> = [];
  const client = {
    subscribe(payload: { variables?: Record<string, unknown> | null }, sink: FakeSubscription['sink']) {
      const subscription: FakeSubscription = { variables: payload.variables ?? undefined, sink, disposed: false };
      subscriptions.push(subscription);
      return () => void (subscription.disposed = true);
    },
    on(event: string, listener: (event: unknown) => void) {
      if (event === 'closed') closedListeners.push(listener);
      return () => {};
    },
  } as unknown as Client;
  return {
    client,
    subscriptions,
    close: (code: number) => {
      for (const listener of closedListeners) listener(close(code));
    },
  };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('subscribeWithRetry (the urql subscriptions: inbox, notifications)', () => {
  function sink() {
    return { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
  }

  it('starts again after UNAVAILABLE instead of ending', async () => {
    const fake = fakeClient();
    const out = sink();
    subscribeWithRetry(fake.client, { query: 'subscription { inboxEvents { totalUnread } }' }, out);
    fake.subscriptions[0]!.sink.next({ errors: [UNAVAILABLE] });
    fake.subscriptions[0]!.sink.complete();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(fake.subscriptions).toHaveLength(2);
    fake.subscriptions[1]!.sink.next({ data: { inboxEvents: { totalUnread: 1 } } });
    expect(out.next).toHaveBeenCalledWith({ data: { inboxEvents: { totalUnread: 1 } } });
    expect(out.error).not.toHaveBeenCalled();
    expect(out.complete).not.toHaveBeenCalled();
  });

  it('starts again after UNAVAILABLE refused at subscribe, and after a close graphql-ws gave up on', async () => {
    const fake = fakeClient();
    const out = sink();
    subscribeWithRetry(fake.client, { query: 'subscription { inboxEvents { totalUnread } }' }, out);
    fake.subscriptions[0]!.sink.error([UNAVAILABLE]);
    await vi.advanceTimersByTimeAsync(2_500);
    fake.subscriptions[1]!.sink.error(close(4500));
    await vi.advanceTimersByTimeAsync(3_500);
    expect(fake.subscriptions).toHaveLength(3);
    expect(out.error).not.toHaveBeenCalled();
  });

  it('passes a refusal on and stops', async () => {
    const fake = fakeClient();
    const out = sink();
    subscribeWithRetry(fake.client, { query: 'subscription { inboxEvents { totalUnread } }' }, out);
    fake.subscriptions[0]!.sink.error(close(4401));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.subscriptions).toHaveLength(1);
    expect(out.error).toHaveBeenCalledWith(close(4401));
  });
});

describe('followConversation (the chat stream)', () => {
  function follow(fake: ReturnType<typeof fakeClient>) {
    const events: Array<{ seq: number }> = [];
    const ended: Array<string | null> = [];
    const stop = followConversation<{ seq: number }>(fake.client, {
      query: 'subscription …',
      conversationId: 'c1',
      afterSeq: () => events.at(-1)?.seq ?? 0,
      onEvent: (event) => events.push(event),
      onEnded: (code) => ended.push(code),
    });
    return { events, ended, stop };
  }

  it('resubscribes from the last seq after UNAVAILABLE, whether at subscribe or mid-stream', async () => {
    const fake = fakeClient();
    const stream = follow(fake);
    fake.subscriptions[0]!.sink.next({ data: { conversationEvents: { seq: 7 } } });
    fake.subscriptions[0]!.sink.error([UNAVAILABLE]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.subscriptions[1]!.variables).toEqual({ conversationId: 'c1', afterSeq: 7 });
    fake.subscriptions[1]!.sink.next({ errors: [UNAVAILABLE] });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.subscriptions).toHaveLength(3);
    expect(stream.ended).toEqual([]);
  });

  it('resubscribes at once after a drop graphql-ws reconnects from (1013), after a wait when it gave up (4500)', async () => {
    const fake = fakeClient();
    const stream = follow(fake);
    fake.close(1013);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.subscriptions).toHaveLength(2);
    expect(fake.subscriptions[0]!.disposed).toBe(true);
    fake.close(4500);
    fake.subscriptions[1]!.sink.error(close(4500));
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.subscriptions).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.subscriptions).toHaveLength(3);
    expect(stream.ended).toEqual([]);
  });

  it('ends for good on NOT_FOUND or a refusal', () => {
    const fake = fakeClient();
    const lost = follow(fake);
    fake.subscriptions[0]!.sink.next({ errors: [{ message: 'gone', extensions: { code: 'NOT_FOUND' } }] });
    expect(lost.ended).toEqual(['NOT_FOUND']);
    const refused = follow(fake);
    fake.subscriptions[1]!.sink.error(close(4401));
    expect(refused.ended).toEqual([null]);
  });
});
