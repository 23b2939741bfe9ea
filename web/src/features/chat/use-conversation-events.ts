import { useEffect, useRef } from 'react';
import { stringifyDocument } from 'urql';
import { useWsClient } from '../../app/api-provider';
import type { ResultOf } from '../../app/graphql';
import { followConversation } from './conversation-stream';
import { ConversationEventsSubscription } from './documents';

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

// Live events of one conversation: how they survive drops and outages is in conversation-stream.ts.
export function useConversationEvents({ conversationId, enabled, afterSeq, onEvent, onEnded }: Options): void {
  const wsClient = useWsClient();
  // The latest callbacks without restarting the subscription when they change identity.
  const handlers = useRef({ afterSeq, onEvent, onEnded });
  handlers.current = { afterSeq, onEvent, onEnded };

  useEffect(() => {
    if (!enabled) return;
    return followConversation<ConversationEvent>(wsClient, {
      query,
      conversationId,
      afterSeq: () => handlers.current.afterSeq(),
      onEvent: (event) => handlers.current.onEvent(event),
      onEnded: (code) => handlers.current.onEnded(code),
    });
  }, [wsClient, conversationId, enabled]);
}
