import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useMutation } from 'urql';
import type { ChatMessage } from './chat-types';
import { conversationLabel } from './chat-types';
import { useConversationContext } from './conversation-context';
import { MarkConversationReadMutation } from './documents';
import { MessageItem, PendingItem } from './message-item';
import { highestSeq, pendingMessages, topLevelMessages, type PendingMessage } from './message-store';
import { formatDayHeading, localDayKey } from '../../lib/time';

// Consecutive messages by one author within this window are drawn as one group.
const GROUP_WINDOW_MS = 5 * 60_000;
// Within this distance of the bottom counts as "at the bottom" (new messages keep it pinned there).
const BOTTOM_SLACK_PX = 48;
// Start loading the previous page this far before the top is reached, so scrolling rarely waits.
const LOAD_OLDER_AT_PX = 400;

export interface ReadMarker {
  // The viewer's read position when the conversation was opened.
  lastReadSeq: number;
  // Unread messages then (0: no "New messages" divider).
  unreadCount: number;
  // The conversation's last seq then: everything up to it counts as seen once the list is read.
  lastSeq: number;
}

function groupedWithPrevious(message: ChatMessage, previous: ChatMessage | undefined): boolean {
  if (!previous || !message.author || previous.author?.id !== message.author.id) return false;
  if (previous.deletedAt || message.deletedAt) return false;
  if (localDayKey(previous.createdAt) !== localDayKey(message.createdAt)) return false;
  return Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_WINDOW_MS;
}

// Scrolls only the list (scrollIntoView would also scroll the page and any other scrollable ancestor).
export function scrollWithin(scroller: HTMLElement, target: HTMLElement, position: 'start' | 'center'): void {
  const offset = target.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
  const extra = position === 'center' ? (scroller.clientHeight - target.offsetHeight) / 2 : 8;
  scroller.scrollTop += offset - Math.max(0, extra);
}

export function isAtBottom(element: HTMLElement): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight < BOTTOM_SLACK_PX;
}

// Marks the conversation read up to the highest seq seen, but only while the member can actually see the
// newest messages: the window has focus, the tab is visible and the list is scrolled to the bottom.
function useMarkRead(atBottom: () => boolean, floorSeq: number) {
  const { conversation, controller } = useConversationContext();
  const [, markRead] = useMutation(MarkConversationReadMutation);
  const marked = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const check = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const state = controller.store.getState();
      if (!state.main || document.visibilityState !== 'visible' || !document.hasFocus() || !atBottom()) return;
      const seq = Math.max(highestSeq(state), floorSeq);
      if (seq <= marked.current || (seq <= conversation.viewerLastReadSeq && conversation.unreadCount === 0)) return;
      marked.current = seq;
      void markRead({ input: { conversationId: conversation.id, seq } });
    }, 250);
  }, [
    atBottom,
    controller.store,
    conversation.id,
    conversation.unreadCount,
    conversation.viewerLastReadSeq,
    floorSeq,
    markRead,
  ]);

  useEffect(() => {
    const unsubscribe = controller.store.subscribe(check);
    window.addEventListener('focus', check);
    document.addEventListener('visibilitychange', check);
    check();
    return () => {
      unsubscribe();
      clearTimeout(timer.current);
      window.removeEventListener('focus', check);
      document.removeEventListener('visibilitychange', check);
    };
  }, [check, controller.store]);
  return check;
}

interface MessageListProps {
  readMarker: ReadMarker;
  // A message to scroll to and highlight once loaded (from a search hit).
  focus: { id: string; seq: number } | null;
}

export function MessageList({ readMarker, focus }: MessageListProps) {
  const { conversation, viewerPersonId, controller } = useConversationContext();
  const { state, loadingOlder, loadOlder, loadUntil } = controller;
  const scroller = useRef<HTMLElement>(null);
  const divider = useRef<HTMLLIElement>(null);
  const atBottom = useRef(true);
  const anchor = useRef<{ id: string; top: number } | null>(null);
  const scrollTarget = useRef<'initial' | 'divider' | 'focus' | null>('initial');
  const previousLast = useRef<{ id: string | null; pending: number }>({ id: null, pending: 0 });
  const [unseen, setUnseen] = useState(0);
  const [dividerAbove, setDividerAbove] = useState(false);
  const [jumpDismissed, setJumpDismissed] = useState(false);

  const messages = useMemo(() => topLevelMessages(state), [state]);
  const pending = useMemo(() => pendingMessages(state, null), [state]);
  const loaded = state.main;

  // The first unread message (by someone else) of the moment the conversation was opened.
  const firstUnread =
    readMarker.unreadCount > 0
      ? messages.find((message) => message.seq > readMarker.lastReadSeq && message.author?.id !== viewerPersonId)
      : undefined;
  // Only when pages above the loaded ones may hold it (the unread may also be thread replies only).
  const unreadNotLoaded =
    readMarker.unreadCount > 0 &&
    !firstUnread &&
    Boolean(loaded?.hasOlder) &&
    (loaded?.oldestSeq ?? 0) > readMarker.lastReadSeq + 1;
  const showJump = !jumpDismissed && readMarker.unreadCount > 0 && (unreadNotLoaded || dividerAbove);

  const checkAtBottom = useCallback(() => (scroller.current ? isAtBottom(scroller.current) : false), []);
  const checkRead = useMarkRead(checkAtBottom, readMarker.lastSeq);

  const recordAnchor = useCallback(() => {
    const element = scroller.current;
    const first = element?.querySelector<HTMLElement>('[data-message-id]');
    anchor.current = first ? { id: first.dataset.messageId ?? '', top: first.getBoundingClientRect().top } : null;
  }, []);

  const maybeLoadOlder = useCallback(() => {
    const element = scroller.current;
    if (element && element.scrollTop < LOAD_OLDER_AT_PX) void loadOlder();
  }, [loadOlder]);

  const onScroll = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    atBottom.current = isAtBottom(element);
    if (atBottom.current) setUnseen(0);
    const dividerElement = divider.current;
    setDividerAbove(
      dividerElement ? dividerElement.getBoundingClientRect().bottom < element.getBoundingClientRect().top : false,
    );
    recordAnchor();
    maybeLoadOlder();
    checkRead();
  }, [checkRead, maybeLoadOlder, recordAnchor]);

  const scrollToBottom = useCallback(() => {
    const element = scroller.current;
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
  }, []);

  // After every change of the list: keep the reading position when older messages were put on top,
  // follow new messages when at the bottom, otherwise count them for the "new messages" button.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || !loaded) return;
    const last = messages.at(-1)?.id ?? null;
    const lastPending = pending.at(-1);
    const appendedOwn = pending.length > previousLast.current.pending;
    const appendedOthers =
      last !== previousLast.current.id &&
      previousLast.current.id !== null &&
      messages.at(-1)?.author?.id !== viewerPersonId;

    const previousAnchor = anchor.current;
    const focused = focus ? element.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(focus.id)}"]`) : null;
    if (scrollTarget.current === 'initial') {
      // The first page: open at the search hit, else at the first unread, else at the newest.
      scrollTarget.current = null;
      if (focused) scrollWithin(element, focused, 'center');
      else if (divider.current) scrollWithin(element, divider.current, 'start');
      else scrollToBottom();
    } else if (scrollTarget.current === 'divider' && divider.current) {
      scrollTarget.current = null;
      scrollWithin(element, divider.current, 'start');
    } else if (scrollTarget.current === 'focus' && focused) {
      scrollTarget.current = null;
      scrollWithin(element, focused, 'center');
    } else if (previousAnchor && messages[0]?.id !== previousAnchor.id) {
      const same = element.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(previousAnchor.id)}"]`);
      if (same) element.scrollTop += same.getBoundingClientRect().top - previousAnchor.top;
    } else if ((appendedOwn && lastPending) || atBottom.current) {
      scrollToBottom();
    } else if (appendedOthers) {
      setUnseen((count) => count + 1);
    }
    previousLast.current = { id: last, pending: pending.length };
    atBottom.current = isAtBottom(element);
    recordAnchor();
    // A first page shorter than the screen cannot be scrolled up: load more until it can.
    if (element.scrollHeight <= element.clientHeight && loaded.hasOlder) void loadOlder();
  }, [messages, pending, loaded, focus, viewerPersonId, loadOlder, recordAnchor, scrollToBottom]);

  // A search hit outside the loaded pages: load back to it, then scroll to it.
  const ready = loaded !== null;
  const focusSeq = focus?.seq ?? null;
  const focusId = focus?.id ?? null;
  useEffect(() => {
    if (focusSeq === null || focusId === null || !ready) return;
    const present = () => scroller.current?.querySelector(`[data-message-id="${CSS.escape(focusId)}"]`) ?? null;
    if (present()) return;
    scrollTarget.current = 'focus';
    void loadUntil(focusSeq).then(() => {
      // Everything up to it is loaded and it is still not there (deleted since): stop waiting for it.
      requestAnimationFrame(() => {
        if (scrollTarget.current === 'focus' && !present()) scrollTarget.current = null;
      });
    });
  }, [focusId, focusSeq, loadUntil, ready]);

  async function jumpToUnread() {
    await loadUntil(readMarker.lastReadSeq + 1);
    scrollTarget.current = 'divider';
    // Already loaded: the layout effect will not run again, so scroll now.
    if (divider.current && scroller.current) {
      scrollTarget.current = null;
      scrollWithin(scroller.current, divider.current, 'start');
    }
    setJumpDismissed(true);
  }

  if (!loaded)
    return (
      <div className="message-list message-list--loading">
        <p className="loading">Loading messages…</p>
      </div>
    );

  const startText =
    conversation.kind === 'CHANNEL'
      ? `This is the very beginning of ${conversationLabel(conversation)}${conversation.group ? ` in ${conversation.group.name}` : ''}.`
      : `This is the beginning of your conversation with ${conversation.title}.`;

  return (
    <div className="message-list-frame">
      {showJump && (
        <div className="jump-banner">
          <span>
            {readMarker.unreadCount} new {readMarker.unreadCount === 1 ? 'message' : 'messages'}
          </span>
          <button type="button" className="chip-button" onClick={() => void jumpToUnread()}>
            Jump to first unread
          </button>
          <button
            type="button"
            className="jump-banner__close"
            aria-label="Dismiss"
            onClick={() => setJumpDismissed(true)}
          >
            ×
          </button>
        </div>
      )}
      {/* Scrollable from the keyboard too: it takes focus, then arrows and Page Up/Down scroll it. */}
      <section
        ref={scroller}
        className="message-list"
        onScroll={onScroll}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
        tabIndex={0}
        aria-label={`Messages in ${conversationLabel(conversation)}`}
      >
        <ol className="message-list__items">
          <li className="message-list__start">
            {loaded.hasOlder ? (
              <p className="muted small">{loadingOlder ? 'Loading earlier messages…' : ' '}</p>
            ) : (
              <>
                <p className="message-list__start-title">{conversationLabel(conversation)}</p>
                <p className="muted">{startText}</p>
                {conversation.topic && <p className="muted small">Topic: {conversation.topic}</p>}
              </>
            )}
          </li>
          {messages.map((message, index) => {
            const previous = messages[index - 1];
            const newDay = !previous || localDayKey(previous.createdAt) !== localDayKey(message.createdAt);
            const isFirstUnread = message === firstUnread;
            return (
              <Fragment key={message.id}>
                {newDay && (
                  <li className="day-separator">
                    <h2 className="day-separator__label">{formatDayHeading(message.createdAt)}</h2>
                  </li>
                )}
                {isFirstUnread && (
                  <li ref={divider} className="unread-divider" data-testid="unread-divider">
                    <span>New messages</span>
                  </li>
                )}
                <li className="message-list__item">
                  <MessageItem
                    message={message}
                    compact={!newDay && !isFirstUnread && groupedWithPrevious(message, previous)}
                  />
                </li>
              </Fragment>
            );
          })}
          {pending.map((item: PendingMessage, index) => (
            <li key={item.clientId} className="message-list__item">
              <PendingItem pending={item} compact={index > 0 || messages.at(-1)?.author?.id === viewerPersonId} />
            </li>
          ))}
        </ol>
        {messages.length === 0 && pending.length === 0 && (
          <p className="message-list__empty">No messages yet. Say hello 👋</p>
        )}
      </section>
      {unseen > 0 && (
        <button type="button" className="new-below" onClick={scrollToBottom}>
          {unseen} new {unseen === 1 ? 'message' : 'messages'} ↓
        </button>
      )}
    </div>
  );
}
