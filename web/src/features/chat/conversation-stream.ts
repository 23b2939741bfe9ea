import type { Client, ExecutionResult } from 'graphql-ws';
import { graphqlWsReconnects, isPassingEnd, isRecoverableClose } from '../../app/live-connection.js';

// The live events of one conversation on the session's graphql-ws client, without React (the hook
// useConversationEvents runs it; the API tests run it as the web app does).
//
// Run on graphql-ws directly rather than through urql: after a reconnect graphql-ws would resend the
// *original* subscribe message, whose afterSeq is as old as the subscription. Instead, when the socket
// drops this ends the subscription and starts a new one with the highest seq applied so far; graphql-ws
// holds it until the socket is back, and the server then replays exactly what was missed, in order.
// (Events are upserts by id, so even a replayed duplicate would change nothing.) A stream the server
// ends for a passing reason (UNAVAILABLE, or a close graphql-ws gives up on that is no refusal) is
// started again a little later, from the last seq.

export interface ConversationStreamOptions<Event> {
  /** The conversationEvents subscription document, with $conversationId and $afterSeq. */
  query: string;
  conversationId: string;
  /** The seq to continue after, read at (re)subscribe time: the highest the client has applied. */
  afterSeq(): number;
  onEvent(event: Event): void;
  /** The server ended the stream for good (e.g. NOT_FOUND: the viewer lost access). */
  onEnded(code: string | null): void;
}

type Data<Event> = { conversationEvents?: Event | null };

function codeOf(error: unknown): string | null {
  const first = Array.isArray(error) ? (error[0] as { extensions?: Record<string, unknown> } | undefined) : undefined;
  const code = first?.extensions?.code;
  return typeof code === 'string' ? code : null;
}

/** Follows the conversation until the returned function is called or the server ends it for good. */
export function followConversation<Event>(wsClient: Client, options: ConversationStreamOptions<Event>): () => void {
  const { query, conversationId } = options;
  let generation = 0;
  let dispose: (() => void) | null = null;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;

  let retries = 0;
  const restartSoon = () => {
    clearTimeout(restartTimer);
    retries += 1;
    restartTimer = setTimeout(start, Math.min(30_000, 500 * 2 ** Math.min(retries, 6)));
  };

  function start() {
    const mine = ++generation;
    dispose = wsClient.subscribe<Data<Event>>(
      { query, variables: { conversationId, afterSeq: options.afterSeq() } },
      {
        next(result: ExecutionResult<Data<Event>>) {
          if (mine !== generation) return;
          const event = result.data?.conversationEvents;
          if (event) {
            retries = 0;
            options.onEvent(event);
          }
          const code = result.errors?.[0]?.extensions?.code;
          if (result.errors && !event) {
            generation += 1;
            // UNAVAILABLE: a passing failure on the server; resume from the last seq, a little later.
            if (code === 'UNAVAILABLE') restartSoon();
            else options.onEnded(typeof code === 'string' ? code : null);
          }
        },
        error(error: unknown) {
          if (mine !== generation) return;
          generation += 1;
          // UNAVAILABLE before the stream started, or a close graphql-ws gave up on that is no refusal.
          if (isPassingEnd(error)) restartSoon();
          else options.onEnded(codeOf(error));
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
  }

  const offClosed = wsClient.on('closed', (event) => {
    if (!isRecoverableClose(event)) return;
    // No event can arrive on a closed socket, so afterSeq is final now. Let graphql-ws finish its own
    // close handling first (the other listeners of this event), then swap subscriptions.
    dispose?.();
    dispose = null;
    generation += 1;
    clearTimeout(restartTimer);
    // graphql-ws holds the new subscription until it has reconnected (after its own wait); after a
    // close it gives up on, the new subscription opens the next socket, so wait here instead.
    if (graphqlWsReconnects(event)) restartTimer = setTimeout(start, 0);
    else restartSoon();
  });

  start();
  return () => {
    offClosed();
    clearTimeout(restartTimer);
    generation += 1;
    dispose?.();
  };
}
