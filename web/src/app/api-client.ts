import { cacheExchange, type CacheExchangeOpts } from '@urql/exchange-graphcache';
import { createClient as createWsClient } from 'graphql-ws';
import schema from 'virtual:graphql-schema';
import { Client, fetchExchange, subscriptionExchange } from 'urql';

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
      cacheExchange({ schema, keys }),
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
