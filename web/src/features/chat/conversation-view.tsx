import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { usePageTitle } from '../../ui/use-page-title';
import { groupPath } from '../groups/labels';
import { conversationLabel, type ChatAuthor, type ChatMessage } from './chat-types';
import { Composer } from './composer';
import { ConversationContext, type ConversationContextValue } from './conversation-context';
import { ConversationQuery } from './documents';
import { plainText } from '@guildhall/markup';
import { MessageList, type ReadMarker } from './message-list';
import { PresenceDot, presenceLabel, useOnlineCount, usePresence } from './presence';
import { ThreadPanel } from './thread-panel';
import { useConnectionState } from './use-connection-state';
import { useConversation } from './use-conversation';
import { typingText, useTypingIndicators, useTypingReporter } from './use-typing';

// Several messages arriving together are announced as one sentence, not a queue of interruptions.
function useAnnouncer() {
  const [text, setText] = useState('');
  const queue = useRef<ChatMessage[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const announce = useCallback((message: ChatMessage) => {
    queue.current.push(message);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const messages = queue.current.splice(0);
      const first = messages[0];
      if (!first) return;
      setText(
        messages.length === 1
          ? `${first.author?.name ?? 'Someone'}: ${plainText(first.body).slice(0, 200)}`
          : `${messages.length} new messages, the last from ${messages.at(-1)?.author?.name ?? 'someone'}`,
      );
    }, 400);
  }, []);
  return { text, announce };
}

// The header of a direct conversation: its title already names the people, so the line below it says how
// they are (one person: their presence; several: how many are online), never the names a second time.
function DirectPresence({ others }: { others: readonly { id: string; name: string }[] }) {
  const only = others.length === 1 ? others[0] : undefined;
  const status = usePresence(only?.id);
  const online = useOnlineCount(others.map((person) => person.id));
  if (others.length === 0) return null;
  if (only)
    return (
      <p className="conversation-header__meta conversation-header__presence" data-testid="conversation-presence">
        <PresenceDot personId={only.id} />
        <span>{capitalize(presenceLabel(status))}</span>
      </p>
    );
  return (
    <p className="conversation-header__meta conversation-header__presence" data-testid="conversation-presence">
      {others.length + 1} people · {online} online
    </p>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function ConversationView({ conversationId, viewer }: { conversationId: string; viewer: ChatAuthor }) {
  const viewerPersonId = viewer.id;
  const [searchParams, setSearchParams] = useSearchParams();
  const threadId = searchParams.get('thread');
  const focusId = searchParams.get('message');
  const seqParam = searchParams.get('seq');
  const focusSeq = seqParam === null ? Number.NaN : Number(seqParam);
  const focus = useMemo(
    () => (focusId && Number.isInteger(focusSeq) && focusSeq > 0 ? { id: focusId, seq: focusSeq } : null),
    [focusId, focusSeq],
  );

  const [result] = useQuery({
    query: ConversationQuery,
    variables: { id: conversationId },
    requestPolicy: 'cache-and-network',
  });
  const node = result.data?.node;
  const conversation = node?.__typename === 'Conversation' ? node : null;
  usePageTitle(conversation ? conversationLabel(conversation) : 'Chat');

  const announcer = useAnnouncer();
  const controller = useConversation(conversationId, viewerPersonId, announcer.announce);
  const { loadNewest } = controller;
  useEffect(() => {
    void loadNewest();
  }, [loadNewest]);

  // Where the member had read up to when they opened it: the "New messages" divider stays there while
  // they read, even though the read marker itself moves on.
  const [readMarker, setReadMarker] = useState<ReadMarker | null>(null);
  if (conversation && !readMarker) {
    setReadMarker({
      lastReadSeq: conversation.viewerLastReadSeq,
      unreadCount: conversation.unreadCount,
      lastSeq: conversation.lastSeq,
    });
  }

  const connection = useConnectionState();
  const typists = useTypingIndicators(conversationId, viewerPersonId);
  const typing = useTypingReporter(conversationId);

  const openThread = useCallback(
    (rootId: string) =>
      setSearchParams((params) => {
        const next = new URLSearchParams(params);
        next.set('thread', rootId);
        return next;
      }),
    [setSearchParams],
  );
  const closeThread = useCallback(() => {
    setSearchParams((params) => {
      const next = new URLSearchParams(params);
      next.delete('thread');
      return next;
    });
    document.querySelector<HTMLTextAreaElement>('.composer--main textarea')?.focus();
  }, [setSearchParams]);

  const context = useMemo<ConversationContextValue | null>(
    () =>
      conversation
        ? { conversation, viewerPersonId, viewer, controller, openThread, highlightedId: focus?.id ?? null }
        : null,
    [conversation, viewerPersonId, viewer, controller, openThread, focus],
  );

  if (!conversation || !context) {
    if (result.fetching || (!result.data && !result.error))
      return <p className="loading conversation__status">Loading…</p>;
    return (
      <div className="conversation__status">
        <h1 className="conversation__title">Conversation not found</h1>
        <p className="muted">
          {result.error ? describeRequestError(result.error) : 'It doesn’t exist any more, or you can’t see it.'}
        </p>
        <Link to="/chat">Back to your conversations</Link>
      </div>
    );
  }

  const others = conversation.participants.filter((person) => person.id !== viewerPersonId);
  const label = conversationLabel(conversation);

  return (
    <ConversationContext value={context}>
      <div className={threadId ? 'conversation conversation--with-thread' : 'conversation'}>
        <section className="conversation__main" aria-labelledby="conversation-title">
          <header className="conversation-header">
            <Link to="/chat" className="conversation-header__back">
              <span aria-hidden="true">←</span> Conversations
            </Link>
            <div className="conversation-header__text">
              <h1 id="conversation-title" className="conversation__title">
                {conversation.kind === 'CHANNEL' ? (
                  <>
                    <span className="conversation__hash" aria-hidden="true">
                      #
                    </span>
                    {conversation.name ?? conversation.title}
                    <span className="visually-hidden"> channel</span>
                  </>
                ) : (
                  conversation.title
                )}
              </h1>
              {conversation.kind === 'CHANNEL' ? (
                <p className="conversation-header__meta">
                  {conversation.group && <Link to={groupPath(conversation.group.slug)}>{conversation.group.name}</Link>}
                  {conversation.topic && <span> · {conversation.topic}</span>}
                </p>
              ) : (
                <DirectPresence others={others} />
              )}
            </div>
          </header>

          {connection === 'reconnecting' && (
            <div className="connection-banner" role="status" data-testid="reconnecting">
              <span className="connection-banner__spinner" aria-hidden="true" />
              Reconnecting… New messages will appear as soon as you’re back online.
            </div>
          )}
          {controller.live.state === 'ended' &&
            (controller.live.code === 'NOT_FOUND' || controller.live.code === 'FORBIDDEN' ? (
              <Alert tone="error">You no longer have access to this conversation.</Alert>
            ) : (
              <Alert
                tone="error"
                actions={
                  <button type="button" className="chip-button" onClick={controller.restartLive}>
                    Reconnect
                  </button>
                }
              >
                Live updates stopped.
              </Alert>
            ))}
          {controller.loadError ? (
            <Alert
              tone="error"
              actions={
                <button type="button" className="chip-button" onClick={() => void loadNewest()}>
                  Try again
                </button>
              }
            >
              {controller.loadError}
            </Alert>
          ) : (
            <MessageList
              readMarker={readMarker ?? { lastReadSeq: 0, unreadCount: 0, lastSeq: 0 }}
              focus={threadId ? null : focus}
            />
          )}

          <p className="typing-indicator" aria-live="off">
            {typingText(typists)}
          </p>
          <Composer
            key={conversationId}
            variant="main"
            label={`Message ${label}`}
            placeholder={`Message ${label}`}
            conversation={conversation}
            viewerPersonId={viewerPersonId}
            submitLabel="Send"
            onDraftChange={(text) => (text.trim() ? typing.typed() : typing.stopped())}
            onSubmit={(body) => {
              typing.stopped();
              controller.send(body, null);
            }}
          />
          {/* New messages from others, read out without moving focus. */}
          <div className="visually-hidden" aria-live="polite" data-testid="chat-announcer">
            {announcer.text}
          </div>
        </section>
        {threadId && <ThreadPanel key={threadId} rootId={threadId} onClose={closeThread} />}
      </div>
    </ConversationContext>
  );
}
