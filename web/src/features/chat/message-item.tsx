import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Avatar } from '../../ui/avatar';
import { personPath } from '../people/person-link';
import type { ChatMessage } from './chat-types';
import { useConversationContext } from './conversation-context';
import { MarkdownView, type MarkdownRenderOptions } from './markdown-view';
import { MessageCard } from './message-card';
import { mentionedIds, toEditorText } from './mentions';
import { Composer } from './composer';
import type { PendingMessage } from './message-store';
import { PresenceDot } from './presence';
import { formatFullDateTime, formatTime } from '../../lib/time';
import { ReportDialog } from '../safety/report-dialog';

export const REACTION_CHOICES = [
  { emoji: '👍', name: 'thumbs up' },
  { emoji: '❤️', name: 'heart' },
  { emoji: '😂', name: 'laughing' },
  { emoji: '🎉', name: 'celebrate' },
  { emoji: '😮', name: 'surprised' },
  { emoji: '😢', name: 'sad' },
  { emoji: '🙏', name: 'thanks' },
  { emoji: '👀', name: 'looking' },
] as const;

export function useMarkdownOptions(viewerPersonId: string): MarkdownRenderOptions {
  return {
    mention: (personId, name, key) => (
      <Link
        key={key}
        to={personPath(personId)}
        className={personId === viewerPersonId ? 'mention mention--me' : 'mention'}
      >
        @{name}
      </Link>
    ),
  };
}

function Icon({ name }: { name: 'react' | 'reply' | 'edit' | 'delete' | 'report' }) {
  const paths: Record<typeof name, ReactNode> = {
    react: (
      <>
        <circle cx="10" cy="10" r="7" />
        <path d="M7 12c.8 1 1.8 1.5 3 1.5s2.2-.5 3-1.5M7.5 8h.01M12.5 8h.01" />
      </>
    ),
    reply: <path d="M4 5h12v8H9l-4 3v-3H4z" />,
    edit: <path d="M4 16l1-4 8-8 3 3-8 8-4 1zM11 6l3 3" />,
    delete: <path d="M5 6h10M8 6V4h4v2M6 6l1 10h6l1-10" />,
    report: <path d="M5 17V3M5 4h9l-2 3.5L14 11H5" />,
  };
  return (
    <svg
      viewBox="0 0 20 20"
      aria-hidden="true"
      className="message-actions__icon"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {paths[name]}
    </svg>
  );
}

function ReactionPicker({ onPick, onClose }: { onPick(emoji: string): void; onClose(restoreFocus: boolean): void }) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    root.current?.querySelector('button')?.focus();
    function onPointerDown(event: PointerEvent) {
      if (!root.current?.contains(event.target as Node)) onClose(false);
    }
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [onClose]);
  return (
    <div
      ref={root}
      className="reaction-picker"
      role="toolbar"
      aria-label="Pick a reaction"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          onClose(true);
        }
        if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
          const buttons = [...(root.current?.querySelectorAll('button') ?? [])];
          const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
          const next = buttons[(index + (event.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length];
          next?.focus();
        }
      }}
    >
      {REACTION_CHOICES.map((choice) => (
        <button
          key={choice.emoji}
          type="button"
          className="reaction-picker__choice"
          aria-label={`React with ${choice.name}`}
          title={choice.name}
          onClick={() => onPick(choice.emoji)}
        >
          {choice.emoji}
        </button>
      ))}
    </div>
  );
}

function Reactions({ message, onToggle }: { message: ChatMessage; onToggle(emoji: string): void }) {
  const { viewerPersonId } = useConversationContext();
  if (message.reactions.length === 0) return null;
  return (
    <ul className="reactions" aria-label="Reactions">
      {message.reactions.map((reaction) => {
        const mine = reaction.reactors.some((reactor) => reactor.id === viewerPersonId);
        const names = reaction.reactors.map((reactor) => (reactor.id === viewerPersonId ? 'you' : reactor.name));
        const who =
          names.length > 0 ? names.join(', ') : `${reaction.count} ${reaction.count === 1 ? 'person' : 'people'}`;
        return (
          <li key={reaction.emoji}>
            <button
              type="button"
              className={mine ? 'reaction reaction--mine' : 'reaction'}
              aria-pressed={mine}
              aria-label={`${reaction.emoji} ${reaction.count}: ${who}`}
              title={`Reacted with ${reaction.emoji}: ${who}`}
              onClick={() => onToggle(reaction.emoji)}
            >
              <span aria-hidden="true">{reaction.emoji}</span>
              <span className="reaction__count" aria-hidden="true">
                {reaction.count}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function MessageTime({ iso }: { iso: string }) {
  return (
    <time className="message__time" dateTime={iso} title={formatFullDateTime(iso)}>
      {formatTime(iso)}
    </time>
  );
}

interface MessageItemProps {
  message: ChatMessage;
  // Same author as the message above, a moment later: no avatar and name.
  compact: boolean;
  inThread?: boolean;
}

export function MessageItem({ message, compact, inThread = false }: MessageItemProps) {
  const { conversation, viewerPersonId, controller, openThread, highlightedId } = useConversationContext();
  const markdown = useMarkdownOptions(viewerPersonId);
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [picker, setPicker] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reactButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  const own = message.author !== null && message.author.id === viewerPersonId;
  const deleted = message.deletedAt !== null;
  // A card's words come from what it reports: it is deleted, never edited (as on the server).
  const canEdit = own && !deleted && !message.card;
  const canDelete = !deleted && (own || conversation.viewerCanModerate);
  const canReport = !deleted && !own;
  const authorName = message.author?.name ?? 'Former member';
  const mentionsViewer = !deleted && mentionedIds(message.body).includes(viewerPersonId);

  useEffect(() => {
    if (mode === 'confirm-delete') confirmButton.current?.focus();
  }, [mode]);

  async function toggle(emoji: string) {
    setPicker(false);
    const failure = await controller.toggleReaction(message, emoji);
    setError(failure);
  }

  const classes = [
    'message',
    compact ? 'message--compact' : null,
    own ? 'message--own' : null,
    mentionsViewer ? 'message--mentions-me' : null,
    highlightedId === message.id ? 'message--highlighted' : null,
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <article
      className={classes}
      data-message-id={message.id}
      data-seq={message.seq}
      aria-label={compact ? `${authorName}, ${formatTime(message.createdAt)}` : undefined}
    >
      <div className="message__gutter">
        {compact ? (
          <MessageTime iso={message.createdAt} />
        ) : (
          <span className="message__avatar">
            <Avatar name={authorName} initials={message.author?.initials ?? '?'} size="sm" />
            {message.author && <PresenceDot personId={message.author.id} className="message__presence" />}
          </span>
        )}
      </div>
      <div className="message__main">
        {!compact && (
          <p className="message__header">
            {message.author ? (
              <Link className="message__author" to={personPath(message.author.id)}>
                {authorName}
              </Link>
            ) : (
              <span className="message__author">{authorName}</span>
            )}
            <MessageTime iso={message.createdAt} />
          </p>
        )}
        {deleted ? (
          <p className="message__tombstone">This message was deleted.</p>
        ) : mode === 'edit' ? (
          <EditMessage message={message} onDone={() => setMode('view')} />
        ) : (
          <div className="message__body">
            {message.card ? (
              <MessageCard card={message.card} />
            ) : (
              <MarkdownView source={message.body} options={markdown} />
            )}
            {message.editedAt && (
              <span className="message__edited" title={`Edited ${formatFullDateTime(message.editedAt)}`}>
                (edited)
              </span>
            )}
          </div>
        )}
        {!deleted && <Reactions message={message} onToggle={(emoji) => void toggle(emoji)} />}
        {!inThread && message.replyCount > 0 && (
          <button type="button" className="message__thread-link" onClick={() => openThread(message.id)}>
            {message.replyCount} {message.replyCount === 1 ? 'reply' : 'replies'}
            {message.lastReplyAt && <span className="muted"> · last {formatTime(message.lastReplyAt)}</span>}
          </button>
        )}
        {mode === 'confirm-delete' && (
          <fieldset className="message__confirm" aria-label="Confirm delete">
            <span>Delete this message for everyone?</span>
            <button
              ref={confirmButton}
              type="button"
              className="chip-button chip-button--danger"
              onClick={async () => {
                const failure = await controller.remove(message);
                setError(failure);
                setMode('view');
              }}
            >
              Delete
            </button>
            <button type="button" className="chip-button" onClick={() => setMode('view')}>
              Cancel
            </button>
          </fieldset>
        )}
        {error && (
          <p className="message__error" role="alert">
            {error}
          </p>
        )}
      </div>
      {!deleted && mode === 'view' && (
        <fieldset
          className={picker ? 'message-actions message-actions--open' : 'message-actions'}
          aria-label={`Actions for the message from ${authorName}`}
        >
          <button
            ref={reactButton}
            type="button"
            className="message-actions__button"
            aria-label="Add reaction"
            title="Add reaction"
            aria-expanded={picker}
            onClick={() => setPicker((open) => !open)}
          >
            <Icon name="react" />
          </button>
          {!inThread && (
            <button
              type="button"
              className="message-actions__button"
              aria-label="Reply in thread"
              title="Reply in thread"
              onClick={() => openThread(message.id)}
            >
              <Icon name="reply" />
            </button>
          )}
          {canEdit && (
            <button
              type="button"
              className="message-actions__button"
              aria-label="Edit message"
              title="Edit"
              onClick={() => setMode('edit')}
            >
              <Icon name="edit" />
            </button>
          )}
          {canDelete && (
            <button
              type="button"
              className="message-actions__button"
              aria-label="Delete message"
              title="Delete"
              onClick={() => setMode('confirm-delete')}
            >
              <Icon name="delete" />
            </button>
          )}
          {canReport && (
            <button
              type="button"
              className="message-actions__button"
              aria-label="Report message"
              title="Report"
              onClick={() => setReporting(true)}
            >
              <Icon name="report" />
            </button>
          )}
          {picker && (
            <ReactionPicker
              onPick={(emoji) => {
                void toggle(emoji);
                reactButton.current?.focus();
              }}
              onClose={(restoreFocus) => {
                setPicker(false);
                if (restoreFocus) reactButton.current?.focus();
              }}
            />
          )}
        </fieldset>
      )}
      {reporting && (
        <ReportDialog
          onClose={() => setReporting(false)}
          subjectId={message.id}
          title={`Report message from ${authorName}`}
          lead={
            conversation.kind === 'CHANNEL'
              ? 'Reports about a message in a channel go to the group’s moderators.'
              : 'Reports about a direct message go to this Guildhall’s admins, who will see the message.'
          }
        />
      )}
    </article>
  );
}

function EditMessage({ message, onDone }: { message: ChatMessage; onDone(): void }) {
  const { conversation, viewerPersonId, controller } = useConversationContext();
  const [error, setError] = useState<string | null>(null);
  const [initial] = useState(() => toEditorText(message.body));
  return (
    <div className="message__editor">
      <Composer
        variant="edit"
        label="Edit message"
        conversation={conversation}
        viewerPersonId={viewerPersonId}
        initialText={initial.text}
        initialMentions={initial.mentions}
        submitLabel="Save"
        autoFocus
        onCancel={onDone}
        onSubmit={async (body) => {
          if (body === message.body) {
            onDone();
            return;
          }
          const failure = await controller.edit(message, body);
          if (failure) {
            setError(failure);
            return false;
          }
          onDone();
        }}
      />
      {error && (
        <p className="message__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function useSecondsUntil(epochMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (epochMs === null || epochMs <= Date.now()) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [epochMs]);
  return epochMs === null ? 0 : Math.max(0, Math.ceil((epochMs - now) / 1000));
}

/** The member's own message before the server confirmed it: sending, or not sent with Retry. */
export function PendingItem({ pending, compact }: { pending: PendingMessage; compact: boolean }) {
  const { viewer, viewerPersonId, controller } = useConversationContext();
  const markdown = useMarkdownOptions(viewerPersonId);
  const wait = useSecondsUntil(
    pending.status === 'rate-limited' || pending.status === 'waiting' ? pending.retryAt : null,
  );
  const failed = pending.status === 'failed' || pending.status === 'rate-limited';
  return (
    <article
      className={[
        'message',
        'message--own',
        'message--pending',
        compact ? 'message--compact' : null,
        failed ? 'message--failed' : null,
      ]
        .filter(Boolean)
        .join(' ')}
      data-client-id={pending.clientId}
    >
      <div className="message__gutter">
        {!compact && (
          <span className="message__avatar">
            <Avatar name={viewer.name} initials={viewer.initials} size="sm" />
          </span>
        )}
      </div>
      <div className="message__main">
        {!compact && (
          <p className="message__header">
            <span className="message__author">{viewer.name}</span>
          </p>
        )}
        <div className="message__body">
          <MarkdownView source={pending.body} options={markdown} />
        </div>
        {pending.status === 'sending' ? (
          <p className="message__status">Sending…</p>
        ) : pending.status === 'waiting' ? (
          // Kept and sent again on its own, with the same clientId: never a copy.
          <p className="message__status" role="status">
            <span>
              {pending.error ?? 'Not sent yet'} — {wait > 0 ? `retrying in ${wait} s` : 'retrying…'}
            </span>{' '}
            <button type="button" className="chip-button" onClick={() => void controller.retry(pending.clientId)}>
              Retry now
            </button>
            <button type="button" className="chip-button" onClick={() => controller.discard(pending.clientId)}>
              Discard
            </button>
          </p>
        ) : (
          <p className="message__status message__status--failed" role="alert">
            <span>
              {pending.error ?? 'Not sent'}
              {wait > 0 ? ` (retry in ${wait} s)` : ' —'}
            </span>{' '}
            <button
              type="button"
              className="chip-button"
              disabled={wait > 0}
              onClick={() => void controller.retry(pending.clientId)}
            >
              Retry
            </button>
            <button type="button" className="chip-button" onClick={() => controller.discard(pending.clientId)}>
              Discard
            </button>
          </p>
        )}
      </div>
    </article>
  );
}
