import {
  type Client,
  type ClientOptions,
  createClient,
  type FormattedExecutionResult,
  type Sink,
  type SubscribePayload,
} from 'graphql-ws';

// How the web app's live connection (graphql-ws) and its requests get through passing failures: a
// server restarting, a database or Redis blip, a network drop. Only a refusal ends a client: the
// socket closed because of who is connecting (authentication) or what was sent (the protocol).
// Everything else is retried with a growing wait. Plain TypeScript (no React, no Vite), so the API
// tests drive their clients with exactly this policy.

/** Close codes that refuse this client; every other close is an outage to retry. */
const REFUSAL_CLOSE_CODES = new Set([
  // WebSocket: protocol error, unsupported data, invalid payload, policy violation, too big,
  // missing extension, TLS failure.
  1002, 1003, 1007, 1008, 1009, 1010, 1015,
  // graphql-ws: bad request, unauthorized, forbidden, subprotocol not acceptable, duplicate
  // operation id, repeated connection_init; and the client's own: bad response, internal error.
  4400, 4401, 4403, 4406, 4409, 4429, 4004, 4005,
]);

export function closeCodeOf(event: unknown): number | null {
  if (typeof event !== 'object' || event === null || !('code' in event)) return null;
  const { code } = event as { code: unknown };
  return typeof code === 'number' ? code : null;
}

/** A close that refuses this client (authentication or protocol): do not reconnect. */
export function isRefusal(event: unknown): boolean {
  const code = closeCodeOf(event);
  return code !== null && REFUSAL_CLOSE_CODES.has(code);
}

/**
 * A drop to recover from: anything but a refusal. 1000 is also the lazy close after the last
 * subscription ends, so there is nothing to recover then.
 */
export function isRecoverableClose(event: unknown): boolean {
  const code = closeCodeOf(event);
  if (code === 1000) return false;
  return code === null || !REFUSAL_CLOSE_CODES.has(code);
}

// graphql-ws itself gives up on some codes whatever the options say (4500, 1011, …): for a
// subscription ended by one that is no refusal, subscribeWithRetry and the chat stream start again.
function isClose(event: unknown): boolean {
  return closeCodeOf(event) !== null && typeof event === 'object' && event !== null && 'reason' in event;
}

const RECONNECTED_BY_GRAPHQL_WS = new Set([1000, 1001, 1005, 1006, 1012, 1013, 1014]);

/** Whether graphql-ws reconnects by itself after this close (with retryWait), or gives up on it. */
export function graphqlWsReconnects(event: unknown): boolean {
  const code = closeCodeOf(event);
  if (code === null) return true;
  if (code === 4500 || REFUSAL_CLOSE_CODES.has(code)) return false;
  return !(code >= 1000 && code <= 1999) || RECONNECTED_BY_GRAPHQL_WS.has(code);
}

const RETRY_MAX_MS = 30_000;

/** The wait before reconnect attempt `retries` (0, 1, …): doubling from 1 s, capped at 30 s, with jitter. */
export function retryDelayMs(retries: number): number {
  return Math.min(RETRY_MAX_MS, 1_000 * 2 ** retries) + Math.random() * 1_000;
}

/**
 * graphql-ws's default back-off doubles without a ceiling; this one is capped so a long outage still
 * reconnects promptly. When the browser reports the network back, try at once.
 */
export function retryWait(retries: number): Promise<void> {
  return new Promise((resolve) => {
    const online = typeof window === 'undefined' ? null : window;
    const done = () => {
      clearTimeout(timer);
      online?.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, retryDelayMs(retries));
    online?.addEventListener('online', done);
  });
}

export const KEEP_ALIVE_MS = 15_000;
export const PONG_TIMEOUT_MS = 5_000;

export interface LiveClient {
  client: Client;
  /** Closes the socket for good; the client must not be used afterwards. */
  dispose(): void;
}

/**
 * The graphql-ws client of a session: connects only while something is subscribed, reconnects after
 * every close that is no refusal, and treats a missing pong as a drop. `options` adds to or overrides
 * these (the tests pass a Node WebSocket and a bearer token).
 */
export function createLiveClient(url: string, options: Partial<ClientOptions> = {}): LiveClient {
  let pongTimeout: ReturnType<typeof setTimeout> | undefined;
  const client = createClient({
    url,
    // Connect only while something is subscribed, so signed-out visitors never open a socket.
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait,
    shouldRetry: (errorOrClose) => !isRefusal(errorOrClose),
    // A socket can die without a close (Wi-Fi drops, a laptop sleeps): ping it, and treat a missing pong
    // as an outage so graphql-ws reconnects and live screens catch up instead of silently going stale.
    keepAlive: KEEP_ALIVE_MS,
    on: {
      ping(received) {
        if (received) return;
        clearTimeout(pongTimeout);
        pongTimeout = setTimeout(() => client.terminate(), PONG_TIMEOUT_MS);
      },
      pong(received) {
        if (received) clearTimeout(pongTimeout);
      },
      closed() {
        clearTimeout(pongTimeout);
      },
    },
    ...options,
  });
  // The browser knows first when the network is gone; don't wait for the ping to notice.
  const browser = typeof window === 'undefined' ? null : window;
  const onOffline = () => client.terminate();
  browser?.addEventListener('offline', onOffline);
  return {
    client,
    dispose() {
      browser?.removeEventListener('offline', onOffline);
      clearTimeout(pongTimeout);
      void client.dispose();
    },
  };
}

interface ErrorLike {
  message?: string;
  extensions?: Readonly<Record<string, unknown>> | null;
}

/** The UNAVAILABLE error among `errors`: a passing failure on the server (e.g. its database did not answer). */
export function unavailableErrorOf(errors: readonly ErrorLike[] | null | undefined): ErrorLike | null {
  return errors?.find((error) => error.extensions?.code === 'UNAVAILABLE') ?? null;
}

/** How a subscription ended, when it should simply be started again (after a wait). */
export function isPassingEnd(error: unknown): boolean {
  if (Array.isArray(error)) return unavailableErrorOf(error as ErrorLike[]) !== null;
  return isClose(error) && isRecoverableClose(error);
}

/**
 * One subscription that outlives passing failures: started again, after a growing wait, when it ends
 * with UNAVAILABLE or when graphql-ws gave up on a close that is no refusal. Other ends reach `sink`.
 */
export function subscribeWithRetry<Data, Extensions = unknown>(
  client: Client,
  payload: SubscribePayload,
  sink: Sink<FormattedExecutionResult<Data, Extensions>>,
): () => void {
  let stopped = false;
  let retries = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe = () => {};
  const again = () => {
    unsubscribe();
    timer = setTimeout(start, retryDelayMs(retries));
    retries += 1;
  };
  function start() {
    if (stopped) return;
    let unavailable = false;
    unsubscribe = client.subscribe<Data, Extensions>(payload, {
      next(result) {
        if (!result.data && unavailableErrorOf(result.errors)) {
          unavailable = true;
          return;
        }
        retries = 0;
        sink.next(result);
      },
      error(error) {
        if (isPassingEnd(error)) again();
        else sink.error(error);
      },
      complete() {
        if (unavailable) again();
        else sink.complete();
      },
    });
  }
  start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}

/** What a failed request looked like: GraphQL errors in the answer, or no answer at all. */
export interface RequestFailure {
  graphQLErrors?: readonly ErrorLike[];
  networkError?: unknown;
}

const SEND_RETRY_MAX_MS = 10_000;

/**
 * How long to wait before sending the same request again (attempt 0, 1, …), or null when it failed
 * for good. UNAVAILABLE waits at least its retryAfterSeconds; no answer at all (the server is away)
 * is retried too. Only for requests that are safe to repeat (a send with the same clientId).
 */
export function passingFailureDelayMs(failure: RequestFailure, attempt: number): number | null {
  const backoff = Math.min(SEND_RETRY_MAX_MS, 1_000 * 2 ** attempt);
  const unavailable = unavailableErrorOf(failure.graphQLErrors);
  if (unavailable) {
    const seconds = Number(unavailable.extensions?.retryAfterSeconds);
    return Math.max(Number.isFinite(seconds) ? seconds * 1_000 : 0, backoff);
  }
  if (failure.networkError && !failure.graphQLErrors?.length) return backoff;
  return null;
}
