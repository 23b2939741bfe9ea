import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useClient } from 'urql';
import { passingFailureDelayMs } from '../../app/live-connection';
import { describeRequestError } from '../../app/request-error';
import { newClientId, type ChatMessage } from './chat-types';
import {
  DeleteMessageMutation,
  EditMessageMutation,
  MessageQuery,
  MessagesPageQuery,
  SendMessageMutation,
  ThreadPageQuery,
  ToggleReactionMutation,
} from './documents';
import {
  addPending,
  applyEvent,
  applyIfUnchanged,
  applyNewestPage,
  applyOlderPage,
  applyThreadPage,
  confirmSent,
  createStore,
  discardPending,
  findMessage,
  initialConversationState,
  rememberMessages,
  updatePending,
  versionOf,
  type ConversationState,
  type Store,
} from './message-store';
import { MESSAGE_PAGE_SIZE } from './page-sizes';
import { useConversationEvents, type ConversationEvent } from './use-conversation-events';

export const PAGE_SIZE = MESSAGE_PAGE_SIZE;

export type ConversationStore = Store<ConversationState<ChatMessage>>;

export type LiveStatus = { state: 'live' } | { state: 'ended'; code: string | null };

function sendErrorText(typename: string, code: string | undefined): string {
  if (typename === 'ValidationError') return 'Not sent — the message is empty or too long';
  if (typename === 'NotFoundError' || code === 'NOT_FOUND') return 'Not sent — you can no longer post here';
  return 'Not sent';
}

/**
 * The state and actions of one open conversation: its message store, paging, the live event stream and
 * the member's own writes (optimistic sends, edits, deletes, reactions).
 */
export function useConversation(
  conversationId: string,
  viewerPersonId: string,
  onLiveMessage: (message: ChatMessage) => void,
) {
  const client = useClient();
  const store: ConversationStore = useMemo(
    () => createStore(initialConversationState<ChatMessage>(viewerPersonId)),
    [viewerPersonId],
  );
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [live, setLive] = useState<LiveStatus>({ state: 'live' });
  const loadingOlderRef = useRef(false);

  const loadNewest = useCallback(async () => {
    setLoadError(null);
    const result = await client
      .query(MessagesPageQuery, { id: conversationId, last: PAGE_SIZE }, { requestPolicy: 'network-only' })
      .toPromise();
    const node = result.data?.node;
    if (node?.__typename !== 'Conversation') {
      setLoadError(
        result.error ? describeRequestError(result.error) : 'This conversation doesn’t exist, or you can’t see it.',
      );
      return;
    }
    const page = node.messages;
    store.update((current) =>
      applyNewestPage(
        current,
        page.edges.map((edge) => edge.node),
        page.pageInfo.hasPreviousPage,
      ),
    );
  }, [client, conversationId, store]);

  /** Loads the page before the oldest loaded message; resolves to false when there was nothing to load. */
  const loadOlder = useCallback(async (): Promise<boolean> => {
    const window = store.getState().main;
    if (!window?.hasOlder || window.oldestSeq === null || loadingOlderRef.current) return false;
    loadingOlderRef.current = true;
    setLoadingOlder(true);
    try {
      const result = await client
        .query(
          MessagesPageQuery,
          { id: conversationId, last: PAGE_SIZE, before: String(window.oldestSeq) },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      const node = result.data?.node;
      if (node?.__typename !== 'Conversation') return false;
      const page = node.messages;
      store.update((current) =>
        applyOlderPage(
          current,
          page.edges.map((edge) => edge.node),
          page.pageInfo.hasPreviousPage,
        ),
      );
      return true;
    } finally {
      loadingOlderRef.current = false;
      setLoadingOlder(false);
    }
  }, [client, conversationId, store]);

  /** Loads older pages until `seq` is inside the loaded window (or nothing older is left). */
  const loadUntil = useCallback(
    async (seq: number) => {
      for (let pages = 0; pages < 40; pages += 1) {
        const window = store.getState().main;
        if (!window?.hasOlder || (window.oldestSeq !== null && window.oldestSeq <= seq)) return;
        if (!(await loadOlder())) return;
      }
    },
    [loadOlder, store],
  );

  const loadThread = useCallback(
    async (rootId: string, older: boolean) => {
      if (!findMessage(store.getState(), rootId)) {
        const rootResult = await client
          .query(MessageQuery, { id: rootId }, { requestPolicy: 'network-only' })
          .toPromise();
        const root = rootResult.data?.node;
        if (root?.__typename !== 'Message') return 'This thread doesn’t exist any more.';
        store.update((current) => rememberMessages(current, [root]));
      }
      const window = store.getState().threads.get(rootId);
      const before = older && window?.oldestSeq != null ? String(window.oldestSeq) : null;
      const result = await client
        .query(
          ThreadPageQuery,
          { id: conversationId, rootId, last: PAGE_SIZE, before },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      const node = result.data?.node;
      if (node?.__typename !== 'Conversation') return describeRequestError(result.error);
      const page = node.thread;
      store.update((current) =>
        applyThreadPage(
          current,
          rootId,
          page.edges.map((edge) => edge.node),
          page.pageInfo.hasPreviousPage,
          older,
        ),
      );
      return null;
    },
    [client, conversationId, store],
  );

  const onEvent = useCallback(
    (event: ConversationEvent) => {
      const known = findMessage(store.getState(), event.message.id) !== null;
      store.update((current) => applyEvent(current, event));
      if (event.kind === 'MESSAGE_ADDED' && !known && event.message.author?.id !== viewerPersonId)
        onLiveMessage(event.message);
    },
    [store, viewerPersonId, onLiveMessage],
  );

  useConversationEvents({
    conversationId,
    enabled: state.main !== null && live.state === 'live',
    afterSeq: () => store.getState().streamSeq,
    onEvent,
    onEnded: (code) => setLive({ state: 'ended', code }),
  });

  const restartLive = useCallback(() => setLive({ state: 'live' }), []);

  /**
   * One try at storing a pending message. Resolves to the wait before trying again when it failed for a
   * passing reason (the message stays, as "waiting"), else null (sent, or failed for good).
   */
  const attemptSend = useCallback(
    async (clientId: string, attempt = 0): Promise<number | null> => {
      const pending = store.getState().pending.find((item) => item.clientId === clientId);
      if (!pending) return null;
      store.update((current) => updatePending(current, clientId, { status: 'sending', error: null, retryAt: null }));
      const result = await client
        .mutation(SendMessageMutation, {
          input: { conversationId, clientId, body: pending.body, parentId: pending.parentId },
        })
        .toPromise();
      const payload = result.data?.sendMessage;
      if (payload?.__typename === 'MessagePayload') {
        store.update((current) => confirmSent(current, payload.message));
      } else if (payload?.__typename === 'RateLimitedError') {
        const retryAt = Date.now() + payload.retryAfterSeconds * 1000;
        store.update((current) =>
          updatePending(current, clientId, {
            status: 'rate-limited',
            retryAt,
            error: 'Not sent — you’re sending messages too fast',
          }),
        );
      } else if (payload) {
        const code = 'code' in payload ? payload.code : undefined;
        store.update((current) =>
          updatePending(current, clientId, { status: 'failed', error: sendErrorText(payload.__typename, code) }),
        );
      } else {
        // No answer, or UNAVAILABLE: the message may or may not be stored. A retry with the same clientId is
        // safe either way, and if it was stored its live event confirms it on its own. A passing failure
        // is retried on its own with a growing wait; anything else waits for the member's Retry.
        const delay = result.error ? passingFailureDelayMs(result.error, attempt) : null;
        store.update((current) =>
          updatePending(
            current,
            clientId,
            delay === null
              ? { status: 'failed', error: 'Not sent' }
              : {
                  status: 'waiting',
                  retryAt: Date.now() + delay,
                  error: result.error?.networkError
                    ? 'Not sent yet — no connection to Guildhall'
                    : 'Not sent yet — Guildhall is briefly unavailable',
                },
          ),
        );
        return delay;
      }
      return null;
    },
    [client, conversationId, store],
  );

  // Waiting sends, each with the function that ends its wait early (Retry, Discard, leaving the page).
  const wakers = useRef(new Map<string, () => void>());
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    const waiting = wakers.current;
    return () => {
      mounted.current = false;
      for (const wake of waiting.values()) wake();
    };
  }, []);

  /** Sends until the message is stored or fails for good, waiting out passing failures. */
  const sendUntilSettled = useCallback(
    async (clientId: string) => {
      for (let attempt = 0; mounted.current; attempt += 1) {
        const delay = await attemptSend(clientId, attempt);
        if (delay === null || !mounted.current) return;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            wakers.current.delete(clientId);
            resolve();
          };
          const timer = setTimeout(wake, delay);
          wakers.current.set(clientId, wake);
        });
        if (!store.getState().pending.some((item) => item.clientId === clientId)) return;
      }
    },
    [attemptSend, store],
  );

  /** Retry now: ends the wait of a waiting send, or sends a failed one again. */
  const retry = useCallback(
    async (clientId: string) => {
      const wake = wakers.current.get(clientId);
      if (wake) wake();
      else await sendUntilSettled(clientId);
    },
    [sendUntilSettled],
  );

  // One send at a time, in the order they were written: the server orders messages by arrival, and two
  // quick Enters must not swap places (a waiting send holds the ones behind it).
  const sendQueue = useRef<Promise<void>>(Promise.resolve());
  const send = useCallback(
    (body: string, parentId: string | null) => {
      const clientId = newClientId();
      store.update((current) =>
        addPending(current, {
          clientId,
          body,
          parentId,
          createdAt: new Date().toISOString(),
          status: 'sending',
          retryAt: null,
          error: null,
        }),
      );
      // attemptSend reports failures on the pending message; a throw must not stall the messages behind it.
      sendQueue.current = sendQueue.current.then(() => sendUntilSettled(clientId)).catch(() => undefined);
    },
    [sendUntilSettled, store],
  );

  const discard = useCallback(
    (clientId: string) => {
      store.update((current) => discardPending(current, clientId));
      wakers.current.get(clientId)?.();
    },
    [store],
  );

  /** Resolves to an error sentence, or null when it worked. */
  const edit = useCallback(
    async (message: ChatMessage, body: string): Promise<string | null> => {
      const versionAtSend = versionOf(store.getState(), message.id);
      const result = await client.mutation(EditMessageMutation, { input: { messageId: message.id, body } }).toPromise();
      const payload = result.data?.editMessage;
      if (payload?.__typename === 'MessagePayload') {
        store.update((current) => applyIfUnchanged(current, payload.message, versionAtSend));
        return null;
      }
      if (!payload) return describeRequestError(result.error);
      if (payload.__typename === 'ForbiddenError') return 'You can only edit your own messages.';
      if (payload.__typename === 'ValidationError') return 'A message needs 1 to 4,000 characters.';
      return 'This message no longer exists.';
    },
    [client, store],
  );

  const remove = useCallback(
    async (message: ChatMessage): Promise<string | null> => {
      const versionAtSend = versionOf(store.getState(), message.id);
      const result = await client.mutation(DeleteMessageMutation, { input: { messageId: message.id } }).toPromise();
      const payload = result.data?.deleteMessage;
      if (payload?.__typename === 'MessagePayload') {
        store.update((current) => applyIfUnchanged(current, payload.message, versionAtSend));
        return null;
      }
      if (!payload) return describeRequestError(result.error);
      if (payload.__typename === 'ForbiddenError') return 'You can’t delete this message.';
      return 'This message no longer exists.';
    },
    [client, store],
  );

  const toggleReaction = useCallback(
    async (message: ChatMessage, emoji: string): Promise<string | null> => {
      const versionAtSend = versionOf(store.getState(), message.id);
      const result = await client
        .mutation(ToggleReactionMutation, { input: { messageId: message.id, emoji } })
        .toPromise();
      const payload = result.data?.toggleReaction;
      if (payload?.__typename === 'MessagePayload') {
        store.update((current) => applyIfUnchanged(current, payload.message, versionAtSend));
        return null;
      }
      if (!payload) return describeRequestError(result.error);
      if (payload.__typename === 'RateLimitedError')
        return `Slow down a little: try again in ${payload.retryAfterSeconds} s.`;
      return 'That reaction didn’t work.';
    },
    [client, store],
  );

  return {
    store,
    state,
    loadError,
    loadingOlder,
    live,
    loadNewest,
    loadOlder,
    loadUntil,
    loadThread,
    restartLive,
    send,
    retry,
    discard,
    edit,
    remove,
    toggleReaction,
  };
}

export type ConversationController = ReturnType<typeof useConversation>;
