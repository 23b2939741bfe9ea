import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Avatar } from '../../ui/avatar';
import { MAX_MESSAGE_LENGTH, type ConversationSummary } from './chat-types';
import { activeMentionQuery, mentionName, toMessageBody, type MentionCandidate } from './mentions';
import { useMentionCandidates } from './use-mention-candidates';

interface ComposerProps {
  // The accessible name of the text box ("Message #general", "Reply in thread", "Edit message").
  label: string;
  placeholder?: string;
  conversation: ConversationSummary;
  viewerPersonId: string;
  initialText?: string;
  initialMentions?: ReadonlyMap<string, string>;
  submitLabel: string;
  // Receives the body with mentions as @[Name](id); return (or resolve to) false to keep the text (the send
  // was refused). Anything else clears it, so a handler with nothing to say may return nothing.
  onSubmit(body: string): unknown;
  onCancel?(): void;
  onDraftChange?(text: string): void;
  autoFocus?: boolean;
  variant?: 'main' | 'thread' | 'edit';
}

// The counter shows from here on, so it only appears when it matters.
const COUNTER_FROM = MAX_MESSAGE_LENGTH - 400;
const MAX_HEIGHT_PX = 224;

export function Composer({
  label,
  placeholder,
  conversation,
  viewerPersonId,
  initialText = '',
  initialMentions,
  submitLabel,
  onSubmit,
  onCancel,
  onDraftChange,
  autoFocus = false,
  variant = 'main',
}: ComposerProps) {
  const id = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(initialText);
  const [caret, setCaret] = useState(initialText.length);
  const [busy, setBusy] = useState(false);
  // Names picked from the suggestions, so "@Ada Okafor" in the text becomes a mention on send.
  const mentions = useRef(new Map(initialMentions ?? []));
  const [activeIndex, setActiveIndex] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const nextCaret = useRef<number | null>(null);

  const mention = activeMentionQuery(text, caret);
  const query = mention && mention.start !== dismissedAt ? mention.query : null;
  const candidates = useMentionCandidates(conversation, viewerPersonId, query);
  const open = query !== null && candidates.length > 0;
  const active = open ? Math.min(activeIndex, candidates.length - 1) : -1;

  const body = useMemo(() => toMessageBody(text, mentions.current), [text]);
  const length = body.trim().length;
  const tooLong = length > MAX_MESSAGE_LENGTH;

  // Grow with the text up to a limit, then scroll.
  // biome-ignore lint/correctness/useExhaustiveDependencies(text): measures the box after each change of its text.
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
    if (nextCaret.current !== null) {
      element.setSelectionRange(nextCaret.current, nextCaret.current);
      nextCaret.current = null;
    }
  }, [text]);

  useLayoutEffect(() => {
    if (!autoFocus) return;
    const element = textarea.current;
    element?.focus();
    element?.setSelectionRange(element.value.length, element.value.length);
  }, [autoFocus]);

  function change(value: string, position: number) {
    setText(value);
    setCaret(position);
    setActiveIndex(0);
    onDraftChange?.(value);
  }

  function pick(candidate: MentionCandidate) {
    if (!mention) return;
    const name = mentionName(candidate.name);
    mentions.current.set(name, candidate.id);
    const before = text.slice(0, mention.start);
    const after = text.slice(caret);
    const inserted = `@${name} `;
    nextCaret.current = before.length + inserted.length;
    change(`${before}${inserted}${after.startsWith(' ') ? after.slice(1) : after}`, before.length + inserted.length);
    textarea.current?.focus();
  }

  async function submit() {
    const trimmed = body.trim();
    if (!trimmed || tooLong || busy) return;
    setBusy(true);
    try {
      const outcome = await onSubmit(trimmed);
      if (outcome !== false) {
        mentions.current.clear();
        change('', 0);
      }
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Keys that confirm an IME composition (Japanese, Chinese…) are not ours.
    if (event.nativeEvent.isComposing) return;
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActiveIndex((active + step + candidates.length) % candidates.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const candidate = candidates[active];
        if (candidate) pick(candidate);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissedAt(mention?.start ?? null);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      onCancel();
    }
  }

  const listId = `${id}-mentions`;
  const counterId = `${id}-counter`;
  const hintId = `${id}-hint`;
  const remaining = MAX_MESSAGE_LENGTH - length;
  const showCounter = length >= COUNTER_FROM;

  return (
    <form
      className={`composer composer--${variant}`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {open && (
        // The text box keeps focus and points at the active option (aria-activedescendant); its keys move and pick.
        <div className="composer__mentions" id={listId} role="listbox" aria-label="People to mention">
          {candidates.map((candidate, index) => (
            <div
              key={candidate.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              tabIndex={-1}
              className="composer__mention"
              // Keep focus (and the caret) in the text box.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(candidate)}
              // Should an option get focus anyway (a screen reader's virtual cursor), Enter or Space picks it.
              onKeyDown={(event) => {
                if (event.key !== 'Enter' && event.key !== ' ') return;
                event.preventDefault();
                pick(candidate);
              }}
            >
              <Avatar name={candidate.name} initials={candidate.initials} size="sm" />
              <span>{candidate.name}</span>
            </div>
          ))}
        </div>
      )}
      <label className="visually-hidden" htmlFor={`${id}-input`}>
        {label}
      </label>
      <div className="composer__box">
        <textarea
          ref={textarea}
          id={`${id}-input`}
          className="composer__input"
          rows={1}
          value={text}
          placeholder={placeholder}
          // A text box that suggests (GitHub's and Slack's mention pickers do the same): ARIA forbids any
          // role on <textarea>, so no combobox and no aria-expanded; the list and its active option are
          // announced through aria-controls and aria-activedescendant.
          aria-autocomplete="list"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          aria-describedby={[hintId, showCounter ? counterId : null].filter(Boolean).join(' ')}
          aria-invalid={tooLong || undefined}
          onChange={(event) => change(event.target.value, event.target.selectionStart)}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
        />
        <div className="composer__actions">
          {onCancel && (
            <button type="button" className="composer__button composer__button--ghost" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="composer__button" disabled={length === 0 || tooLong || busy}>
            {variant === 'edit' ? (
              submitLabel
            ) : (
              <>
                <svg viewBox="0 0 20 20" aria-hidden="true" className="composer__send-icon">
                  <path
                    d="M3 10 17 3l-4 14-3.5-5.5L3 10Zm6.5 1.5L17 3"
                    fill="none"
                    stroke="currentColor"
                    strokeWidth="1.6"
                    strokeLinejoin="round"
                  />
                </svg>
                <span className="visually-hidden">{submitLabel}</span>
              </>
            )}
          </button>
        </div>
      </div>
      <div className="composer__footer">
        <p className="composer__hint" id={hintId}>
          {variant === 'edit' ? 'Enter to save, Esc to cancel' : 'Enter to send, Shift+Enter for a new line'}
          <span className="composer__hint-extra"> · **bold**, _italic_, `code`, @ to mention</span>
        </p>
        {showCounter && (
          <p className={`composer__counter${tooLong ? ' composer__counter--over' : ''}`} id={counterId}>
            {tooLong
              ? `${(-remaining).toLocaleString()} characters over the limit`
              : `${remaining.toLocaleString()} characters left`}
          </p>
        )}
      </div>
    </form>
  );
}
