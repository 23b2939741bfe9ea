import { cacheExchange, type Cache, type CacheExchangeOpts } from '@urql/exchange-graphcache';
import { createClient as createWsClient } from 'graphql-ws';
import schema from 'virtual:graphql-schema';
import { Client, fetchExchange, subscriptionExchange } from 'urql';
import { graphql } from './graphql';

export interface ApiClient {
  client: Client;
  // Closes the WebSocket for good; the client must not be used afterwards.
  dispose(): void;
}

// Payloads and typed errors carry no id: keep them embedded in their parent instead of warning about them.
const unkeyed = () => null;
const keys: CacheExchangeOpts['keys'] = {
  AuthPayload: unkeyed,
  SignOutPayload: unkeyed,
  SessionRevoked: unkeyed,
  FieldError: unkeyed,
  ValidationError: unkeyed,
  EmailTakenError: unkeyed,
  InvalidCredentialsError: unkeyed,
  RateLimitedError: unkeyed,
  // Community (issue 3): payloads, typed errors and value objects without an id of their own.
  ConflictError: unkeyed,
  ForbiddenError: unkeyed,
  NotFoundError: unkeyed,
  UpdateProfilePayload: unkeyed,
  GroupPayload: unkeyed,
  JoinRequestPayload: unkeyed,
  InviteLinkPayload: unkeyed,
  GroupInvitePayload: unkeyed,
  GroupMemberPayload: unkeyed,
  EventPayload: unkeyed,
  MarkNotificationsReadPayload: unkeyed,
  NotificationPreferencePayload: unkeyed,
  NotificationEvent: unkeyed,
  NotificationPreferenceSetting: unkeyed,
  PersonSkill: unkeyed,
  ProfileLink: unkeyed,
  ProfileFieldVisibility: unkeyed,
  GroupPermissions: unkeyed,
  GroupMember: unkeyed,
  GroupBan: unkeyed,
  EventAttendee: unkeyed,
};

const UnreadCountFields = graphql(`
  fragment UnreadCountFields on Viewer {
    id
    unreadNotificationCount
  }
`);

interface NotificationEventData {
  unreadCount: number;
  notification: { id: string; kind: string; group?: { id: string } | null; event?: { id: string } | null } | null;
}

// cache.invalidate(entity, field) only hits the call without arguments; this hits every variant cached.
function invalidateField(cache: Cache, entity: string | { __typename: string; id: string }, fieldName: string) {
  for (const field of cache.inspectFields(entity)) {
    if (field.fieldName === fieldName) cache.invalidate(entity, field.fieldName, field.arguments ?? undefined);
  }
}

// A live notification changes more than the bell: it is also the signal that something the member may be
// looking at changed (a request arrived, a request was decided, a seat freed up). Invalidating those
// entities makes every screen that shows them ask the server again, without each page subscribing itself.
const updates: CacheExchangeOpts['updates'] = {
  Subscription: {
    notificationEvents(result, _args, cache) {
      const event = result['notificationEvents'] as NotificationEventData | undefined;
      if (!event) return;
      const viewerKey = cache.resolve('Query', 'viewer');
      if (typeof viewerKey === 'string') {
        cache.writeFragment(
          UnreadCountFields,
          { id: cache.resolve(viewerKey, 'id'), unreadNotificationCount: event.unreadCount },
        );
        if (event.notification) invalidateField(cache, viewerKey, 'notifications');
      }
      const notification = event.notification;
      if (!notification) return;
      const group = notification.group ? { __typename: 'Group', id: notification.group.id } : null;
      switch (notification.kind) {
        case 'JOIN_REQUEST_RECEIVED':
          if (group) invalidateField(cache, group, 'joinRequests');
          break;
        case 'JOIN_REQUEST_APPROVED':
        case 'JOIN_REQUEST_DECLINED':
        case 'GROUP_INVITE':
        case 'ROLE_CHANGED':
          if (group) cache.invalidate(group);
          if (typeof viewerKey === 'string') invalidateField(cache, viewerKey, 'groups');
          invalidateField(cache, 'Query', 'groups');
          break;
        case 'EVENT_CREATED':
          if (group) invalidateField(cache, group, 'events');
          break;
        case 'WAITLIST_PROMOTED':
          if (notification.event) cache.invalidate({ __typename: 'Event', id: notification.event.id });
          break;
        default:
          break;
      }
    },
  },
};

function webSocketUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}/graphql`;
}

// graphql-ws's default back-off doubles without a ceiling; cap it so a long outage still reconnects promptly.
function retryWait(retries: number): Promise<void> {
  const delay = Math.min(30_000, 1_000 * 2 ** retries) + Math.random() * 1_000;
  return new Promise((resolve) => setTimeout(resolve, delay));
}

// One client per session: the WebSocket's identity is fixed by the cookie at upgrade, and the cache holds
// what that member may see. ApiProvider builds a new one whenever the session changes.
export function createApiClient(): ApiClient {
  const wsClient = createWsClient({
    url: webSocketUrl(),
    // Connect only while something is subscribed, so signed-out visitors never open a socket.
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait,
  });

  const client = new Client({
    url: '/graphql',
    // POST for everything: one code path, and member-specific responses never sit in an HTTP cache.
    preferGetMethod: false,
    fetchOptions: {
      credentials: 'include',
      // Yoga's CSRF prevention rejects requests without it (a cross-site form cannot set headers).
      headers: { 'x-graphql-yoga-csrf': '1' },
    },
    exchanges: [
      cacheExchange({ schema, keys, updates }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const operation = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = wsClient.subscribe(operation, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    dispose() {
      void wsClient.dispose();
    },
  };
}
