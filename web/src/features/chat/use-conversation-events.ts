import { useEffect, useRef } from 'react';
import type { ExecutionResult } from 'graphql-ws';
import { stringifyDocument } from 'urql';
import { useWsClient } from '../../app/api-provider';
import type { ResultOf } from '../../app/graphql';
import { ConversationEventsSubscription } from './documents';
import { isRecoverableClose } from './use-connection-state';

export type ConversationEvent = ResultOf<typeof ConversationEventsSubscription>['conversationEvents'];

interface Options {
  conversationId: string;
  // False until the newest page is loaded: the stream continues from that page.
  enabled: boolean;
  // The seq to continue after, read at (re)subscribe time: the highest the client has applied.
  afterSeq(): number;
  onEvent(event: ConversationEvent): void;
  // The server ended the stream (e.g. NOT_FOUND: the viewer lost access).
  onEnded(code: string | null): void;
}

const query = stringifyDocument(ConversationEventsSubscription);

// Live events of one conversation, run on the session's graphql-ws client directly rather than through
// urql: after a reconnect graphql-ws would resend the *original* subscribe message, whose afterSeq is as
// old as the subscription. Instead, when the socket drops this ends the subscription and starts a new one
// with the highest seq applied so far; graphql-ws holds it until the socket is back, and the server then
// replays exactly what was missed, in order. (Events are upserts by id, so even a replayed duplicate
// would change nothing.)
export function useConversationEvents({ conversationId, enabled, afterSeq, onEvent, onEnded }: Options): void {
  const wsClient = useWsClient();
  // The latest callbacks without restarting the subscription when they change identity.
  const handlers = useRef({ afterSeq, onEvent, onEnded });
  handlers.current = { afterSeq, onEvent, onEnded };

  useEffect(() => {
    if (!enabled) return;
    let generation = 0;
    let dispose: (() => void) | null = null;
    let restartTimer: ReturnType<typeof setTimeout> | undefined;

    let retries = 0;
    const restartSoon = () => {
      clearTimeout(restartTimer);
      retries += 1;
      restartTimer = setTimeout(start, Math.min(30_000, 500 * 2 ** Math.min(retries, 6)));
    };

    const start = () => {
      const mine = ++generation;
      dispose = wsClient.subscribe<ResultOf<typeof ConversationEventsSubscription>>(
        { query, variables: { conversationId, afterSeq: handlers.current.afterSeq() } },
        {
          next(result: ExecutionResult<ResultOf<typeof ConversationEventsSubscription>>) {
            if (mine !== generation) return;
            const event = result.data?.conversationEvents;
            if (event) {
              retries = 0;
              handlers.current.onEvent(event);
            }
            const code = result.errors?.[0]?.extensions?.code;
            if (result.errors && !event) {
              generation += 1;
              // UNAVAILABLE: a passing failure on the server; resume from the last seq, a little later.
              if (code === 'UNAVAILABLE') restartSoon();
              else handlers.current.onEnded(typeof code === 'string' ? code : null);
            }
          },
          error(error: unknown) {
            if (mine !== generation) return;
            // A socket close reaches here only when graphql-ws gave up; anything else is a GraphQL error.
            const first = Array.isArray(error)
              ? (error[0] as { extensions?: Record<string, unknown> } | undefined)
              : undefined;
            const code = first?.extensions?.code;
            handlers.current.onEnded(typeof code === 'string' ? code : null);
          },
          // Only we end this stream on purpose (and then `generation` has moved on): an end from
          // the server is resumed from the last seq.
          complete() {
            if (mine !== generation) return;
            generation += 1;
            restartSoon();
          },
        },
      );
    };

    const offClosed = wsClient.on('closed', (event) => {
      if (!isRecoverableClose(event)) return;
      // No event can arrive on a closed socket, so afterSeq is final now. Let graphql-ws finish its own
      // close handling first (the other listeners of this event), then swap subscriptions.
      dispose?.();
      dispose = null;
      generation += 1;
      clearTimeout(restartTimer);
      restartTimer = setTimeout(start, 0);
    });

    start();
    return () => {
      offClosed();
      clearTimeout(restartTimer);
      generation += 1;
      dispose?.();
    };
  }, [wsClient, conversationId, enabled]);
}
