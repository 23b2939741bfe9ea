import { NavLink } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { NotificationEventsSubscription, UnreadCountQuery } from './documents';
import './notifications.css';

// The bell in the header. The subscription's results are merged into the cache by the graphcache
// updater for Subscription.notificationEvents, so the count below changes without a refetch.
export function NotificationBell() {
  useSubscription({ query: NotificationEventsSubscription });
  const [result] = useQuery({ query: UnreadCountQuery });
  const count = result.data?.viewer?.unreadNotificationCount ?? 0;
  const shown = count > 99 ? '99+' : String(count);
  const label = count === 0 ? 'Notifications' : `Notifications, ${count} unread`;
  return (
    <>
      <NavLink to="/notifications" className="bell" aria-label={label} title={label}>
        <svg viewBox="0 0 24 24" aria-hidden="true" className="bell__icon">
          <path
            d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15L6 16Zm4 4a2 2 0 0 0 4 0"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.75"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        {count > 0 && (
          <span className="bell__badge" data-testid="notification-badge" aria-hidden="true">
            {shown}
          </span>
        )}
      </NavLink>
      {/* Announced when the count changes, without moving focus. */}
      <span className="visually-hidden" role="status" aria-live="polite">
        {count === 0 ? '' : `${count} unread ${count === 1 ? 'notification' : 'notifications'}`}
      </span>
    </>
  );
}
