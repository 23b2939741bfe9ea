import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert } from '../../ui/alert';
import { Composer } from './composer';
import { useConversationContext } from './conversation-context';
import { MessageItem, PendingItem } from './message-item';
import { isAtBottom, scrollWithin } from './message-list';
import { findMessage, pendingMessages, threadReplies } from './message-store';

export function ThreadPanel({ rootId, onClose }: { rootId: string; onClose(): void }) {
  const { conversation, viewerPersonId, controller, highlightedId } = useConversationContext();
  const { state, loadThread, send } = controller;
  const [error, setError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(false);
  // Whether the opening position is set: once the root and the first replies have rendered.
  const positioned = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const root = findMessage(state, rootId);
  const replies = useMemo(() => threadReplies(state, rootId), [state, rootId]);
  const pending = useMemo(() => pendingMessages(state, rootId), [state, rootId]);
  const loaded = state.threads.get(rootId);

  useEffect(() => {
    void loadThread(rootId, false).then(setError);
  }, [loadThread, rootId]);

  // Opening a thread moves focus into it, so keyboard and screen-reader users land where the replies are
  // (the panel is keyed by its thread: each thread opened mounts it anew).
  useEffect(() => {
    heading.current?.focus();
  }, []);

  // A thread opens at its root message's top (or at the reply a search hit points to), not scrolled to
  // the end, which for a long root and a few replies lands in the middle of the root. After that, a reader
  // at the bottom stays there as replies arrive.
  // biome-ignore lint/correctness/useExhaustiveDependencies(replies): scrolls after the replies render.
  // biome-ignore lint/correctness/useExhaustiveDependencies(pending): scrolls after the pending replies render.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    if (!positioned.current) {
      if (!root || !loaded) return;
      positioned.current = true;
      const reply =
        highlightedId && highlightedId !== rootId
          ? element.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(highlightedId)}"]`)
          : null;
      if (reply) scrollWithin(element, reply, 'center');
      else element.scrollTop = 0;
      atBottom.current = isAtBottom(element);
      return;
    }
    if (atBottom.current) element.scrollTop = element.scrollHeight;
  }, [replies, pending, root, loaded, highlightedId, rootId]);

  return (
    <aside
      className="thread-panel"
      aria-labelledby="thread-title"
      onKeyDown={(event) => event.key === 'Escape' && !event.defaultPrevented && onClose()}
    >
      <header className="thread-panel__header">
        <h2 id="thread-title" ref={heading} tabIndex={-1} className="thread-panel__title">
          Thread
        </h2>
        <button type="button" className="icon-button" aria-label="Close thread" title="Close thread" onClick={onClose}>
          <svg viewBox="0 0 20 20" aria-hidden="true" width="20" height="20">
            <path d="M5 5l10 10M15 5 5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </header>
      <div
        ref={scroller}
        className="thread-panel__scroller"
        onScroll={(event) => {
          const element = event.currentTarget;
          atBottom.current = isAtBottom(element);
        }}
      >
        {error && <Alert tone="error">{error}</Alert>}
        {root ? (
          <div className="thread-panel__root">
            <MessageItem message={root} compact={false} inThread />
          </div>
        ) : (
          !error && <p className="loading">Loading…</p>
        )}
        {loaded && (
          <>
            <p className="thread-panel__count">
              {root?.replyCount ?? replies.length} {(root?.replyCount ?? replies.length) === 1 ? 'reply' : 'replies'}
            </p>
            {loaded.hasOlder && (
              <button
                type="button"
                className="chip-button thread-panel__older"
                disabled={loadingOlder}
                onClick={async () => {
                  setLoadingOlder(true);
                  setError(await loadThread(rootId, true));
                  setLoadingOlder(false);
                }}
              >
                {loadingOlder ? 'Loading…' : 'Show earlier replies'}
              </button>
            )}
            <ol className="message-list__items">
              {replies.map((reply, index) => (
                <li key={reply.id} className="message-list__item">
                  <MessageItem
                    message={reply}
                    compact={
                      replies[index - 1]?.author?.id === reply.author?.id &&
                      !replies[index - 1]?.deletedAt &&
                      highlightedId !== reply.id
                    }
                    inThread
                  />
                </li>
              ))}
              {pending.map((item) => (
                <li key={item.clientId} className="message-list__item">
                  <PendingItem pending={item} compact={false} />
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
      {root && !root.deletedAt && (
        <Composer
          variant="thread"
          label="Reply in thread"
          placeholder="Reply…"
          conversation={conversation}
          viewerPersonId={viewerPersonId}
          submitLabel="Send reply"
          onSubmit={(body) => {
            atBottom.current = true;
            send(body, rootId);
          }}
        />
      )}
    </aside>
  );
}
