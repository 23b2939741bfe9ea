import { useCallback } from 'react';
import { useQuery, useSubscription } from 'urql';
import { InboxEventsSubscription, TotalUnreadQuery } from './documents';
import { usePresenceReporter } from './presence';
import { useOnReconnected } from './use-connection-state';

// Lives in the header's "Chat" link for as long as a member is signed in: it keeps the inbox subscription
// (unread counts, merged into the cache by app/api-client.ts) and the presence report running everywhere,
// not only on the chat page.
export function ChatUnreadBadge() {
  useSubscription({ query: InboxEventsSubscription });
  const [result, reexecute] = useQuery({ query: TotalUnreadQuery });
  useOnReconnected(useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]));
  usePresenceReporter(true);
  const count = result.data?.totalUnread ?? 0;
  if (count === 0) return null;
  return (
    <>
      <span className="nav-badge" data-testid="chat-unread-total" aria-hidden="true">
        {count > 99 ? '99+' : count}
      </span>
      <span className="visually-hidden">, {count} unread</span>
    </>
  );
}
