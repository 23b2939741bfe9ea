import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment, type ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { Button } from '../../ui/button';
import { Pager, useCursorStack } from '../../ui/pager';
import { usePageTitle } from '../../ui/use-page-title';
import {
  MarkAllNotificationsReadMutation,
  MarkNotificationReadMutation,
  NotificationFields,
  NotificationsQuery,
} from './documents';
import { JoinRequestDecision } from '../groups/join-requests';
import { NotificationPreferences } from './notification-preferences';
import { formatRelative } from '../../lib/time';
import './notifications.css';

const ago = (iso: string) => formatRelative(iso);

// Only same-site paths from the server become links.
function safePath(href: string): string {
  return href.startsWith('/') && !href.startsWith('//') ? href : '/notifications';
}

type NotificationData = ResultOf<typeof NotificationFields>;

const DECIDED: Record<string, string> = { APPROVED: 'Approved', DECLINED: 'Declined', CANCELLED: 'Withdrawn' };

// Someone asked to join a group the viewer decides for: answer here, without leaving the list.
function JoinRequestInPlace({ notification, onDecided }: { notification: NotificationData; onDecided(): void }) {
  const request = notification.joinRequest;
  if (notification.kind !== 'JOIN_REQUEST_RECEIVED' || !request) return null;
  if (request.status !== 'PENDING') {
    return <p className="list-row__meta">{DECIDED[request.status] ?? 'Decided'}</p>;
  }
  return <JoinRequestDecision requestId={request.id} personName={request.person.name} onDecided={onDecided} />;
}

export function NotificationsPage() {
  usePageTitle('Notifications');
  const navigate = useNavigate();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const cursors = useCursorStack();
  const [result] = useQuery({
    query: NotificationsQuery,
    variables: { unreadOnly: unreadOnly || null, first: 20, after: cursors.after },
  });
  const [, markRead] = useMutation(MarkNotificationReadMutation);
  const [markingAll, markAll] = useMutation(MarkAllNotificationsReadMutation);
  const [error, setError] = useState<string | null>(null);
  const viewer = result.data?.viewer;
  const notifications = viewer?.notifications.edges.map((edge) => readFragment(NotificationFields, edge.node)) ?? [];
  const preferences = viewer?.notificationPreferences ?? [];

  async function open(id: string, href: string, read: boolean) {
    if (!read) void markRead({ input: { notificationId: id } });
    await navigate(safePath(href));
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Notifications</h1>
          <p className="page-header__lead">
            {viewer
              ? viewer.unreadNotificationCount === 0
                ? 'You’re all caught up.'
                : `${viewer.unreadNotificationCount} unread`
              : ''}
          </p>
        </div>
        <div className="page-header__actions">
          <Button
            variant="ghost"
            size="sm"
            aria-pressed={unreadOnly}
            onClick={() => {
              setUnreadOnly(!unreadOnly);
              cursors.reset();
            }}
          >
            {unreadOnly ? 'Show all' : 'Unread only'}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            busy={markingAll.fetching}
            disabled={!viewer || viewer.unreadNotificationCount === 0}
            onClick={() =>
              void markAll({ input: {} }).then((response) => {
                const outcome = outcomeOf(
                  response.data?.markAllNotificationsRead,
                  response.error,
                  'MarkNotificationsReadPayload',
                );
                setError(outcome.ok ? null : outcome.message);
              })
            }
          >
            Mark all read
          </Button>
        </div>
      </header>
      {(error || result.error) && <Alert tone="error">{error ?? describeRequestError(result.error)}</Alert>}

      <div className="split">
        <section className="card" aria-labelledby="list-title">
          <h2 className="visually-hidden" id="list-title">
            Latest
          </h2>
          {!viewer && !result.error && <p className="loading">Loading…</p>}
          {viewer && notifications.length === 0 && (
            <p className="muted">
              {unreadOnly ? 'No unread notifications.' : 'Nothing yet. Join a group to get going.'}
            </p>
          )}
          <ul className="plain-list divided-list notification-list">
            {notifications.map((notification) => (
              <li
                key={notification.id}
                className={notification.read ? 'notification' : 'notification notification--unread'}
              >
                {notification.actor ? (
                  <Avatar name={notification.actor.name} initials={notification.actor.initials} size="sm" />
                ) : (
                  <span className="notification__dot" aria-hidden="true">
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                      <path
                        d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15L6 16Zm4 4a2 2 0 0 0 4 0"
                        fill="none"
                        stroke="currentColor"
                        strokeWidth="1.75"
                        strokeLinejoin="round"
                      />
                    </svg>
                  </span>
                )}
                <div className="list-row__main">
                  <p className="notification__text">
                    <Link
                      to={safePath(notification.href)}
                      onClick={(event) => {
                        event.preventDefault();
                        void open(notification.id, notification.href, notification.read);
                      }}
                    >
                      {notification.text}
                    </Link>
                    {!notification.read && <span className="visually-hidden"> (unread)</span>}
                  </p>
                  <p className="list-row__meta">
                    <time dateTime={notification.createdAt}>{ago(notification.createdAt)}</time>
                  </p>
                  <JoinRequestInPlace
                    notification={notification}
                    onDecided={() => {
                      if (!notification.read) void markRead({ input: { notificationId: notification.id } });
                    }}
                  />
                </div>
                {!notification.read && (
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() => void markRead({ input: { notificationId: notification.id } })}
                    aria-label={`Mark read: ${notification.text}`}
                  >
                    Mark read
                  </Button>
                )}
              </li>
            ))}
          </ul>
          <Pager
            hasPrevious={cursors.hasPrevious}
            hasNext={viewer?.notifications.pageInfo.hasNextPage ?? false}
            onPrevious={cursors.previous}
            onNext={() => cursors.next(viewer?.notifications.pageInfo.endCursor)}
            busy={result.fetching}
          />
        </section>
        <aside className="card" aria-labelledby="prefs-title">
          <h2 className="card__title" id="prefs-title">
            What to notify me about
          </h2>
          <NotificationPreferences preferences={preferences} />
        </aside>
      </div>
    </div>
  );
}
