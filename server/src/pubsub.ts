import { setMaxListeners } from 'node:events';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Env } from './env.js';
import type { Logger } from './logger.js';

// Pub/sub only nudges subscribers; the database stays the record. In-process by default,
// Redis when REDIS_URL is set so that every server instance sees every event.

/**
 * Every topic and its arguments ([key?, payload]). The modules declare their own topics by merging
 * into this interface, so this file knows none of them:
 *
 *   declare module '../../pubsub.js' {
 *     interface PubSubTopics { 'chat:read': [userId: string, payload: { userId: string }] }
 *   }
 */
export interface PubSubTopics {
  /** A member's notifications changed: a new one (notificationId) or read state (null). */
  'notifications:changed': [recipientId: string, payload: { recipientId: string; notificationId: string | null }];
}

// A mapped copy: Yoga's createPubSub wants an index-signature-compatible type, which an interface is not.
type Topics = { [Topic in keyof PubSubTopics]: PubSubTopics[Topic] };

export type PubSub = ReturnType<typeof createPubSub<Topics>> & {
  kind: 'memory' | 'redis';
  /** Called whenever the connection to Redis comes back after a loss: nudges may have been missed. */
  onReconnect(listener: () => void): void;
  /** Called whenever a connection to Redis is lost: nudges may go missing until it is back. */
  onDisconnect(listener: () => void): void;
  /** True while every nudge published anywhere reaches this instance (always, in process). */
  connected(): boolean;
  /**
   * Resolves once every nudge this instance published so far has reached Redis, which by then has
   * handed it to every instance's subscription (in process: at once, publishing is synchronous).
   */
  flush(): Promise<void>;
  close(): Promise<void>;
};

export async function createPubSubBackend(env: Pick<Env, 'REDIS_URL'>, logger?: Logger): Promise<PubSub> {
  if (!env.REDIS_URL) {
    // Many live streams listen to the same topic (every presence subscriber, for one): no
    // MaxListenersExceeded warning for what is normal here.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return Object.assign(createPubSub<Topics>({ eventTarget: eventTarget as EventTarget & PubSubEventTarget }), {
      kind: 'memory' as const,
      onReconnect: () => {},
      onDisconnect: () => {},
      connected: () => true,
      flush: async () => {},
      close: async () => {},
    });
  }
  // Fail fast at start-up instead of queueing commands forever against a missing Redis.
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 } as const;
  const publishClient = new Redis(env.REDIS_URL, options);
  const subscribeClient = new Redis(env.REDIS_URL, options);
  await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  // ioredis re-subscribes by itself after a reconnect; listeners catch up from the database.
  const reconnectListeners = new Set<() => void>();
  const disconnectListeners = new Set<() => void>();
  let lost = false;
  const onError = (error: Error) => logger?.warn('redis connection problem', { error: error.message });
  publishClient.on('error', onError);
  subscribeClient.on('error', onError);
  // Either connection lost means nudges may have been lost (unsent or unheard).
  const onReady = () => {
    if (!lost) return;
    lost = false;
    logger?.info('redis connection restored; live streams catch up from the database');
    for (const listener of reconnectListeners) listener();
  };
  for (const client of [publishClient, subscribeClient]) {
    client.on('close', () => {
      lost = true;
      for (const listener of disconnectListeners) listener();
    });
    client.on('ready', onReady);
  }
  const eventTarget = createRedisEventTarget(publishClient, subscribeClient, logger);
  return Object.assign(createPubSub<Topics>({ eventTarget }), {
    kind: 'redis' as const,
    onReconnect: (listener: () => void) => void reconnectListeners.add(listener),
    onDisconnect: (listener: () => void) => void disconnectListeners.add(listener),
    connected: () => !lost && publishClient.status === 'ready' && subscribeClient.status === 'ready',
    // One connection answers in order: PING's reply comes after every earlier PUBLISH's.
    flush: async () => {
      await publishClient.ping().catch((error: unknown) => {
        logger?.warn('redis flush failed', { error: error instanceof Error ? error.message : String(error) });
      });
    },
    close: async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  });
}

// Like @graphql-yoga/redis-event-target, but a failed PUBLISH or SUBSCRIBE (Redis down) is logged
// instead of becoming an unhandled rejection that would take the process down. A lost nudge
// costs nothing but latency: readers catch up from the database.
type PubSubEventTarget = NonNullable<NonNullable<Parameters<typeof createPubSub<Topics>>[0]>['eventTarget']>;

function createRedisEventTarget(
  publishClient: Redis,
  subscribeClient: Redis,
  logger: Logger | undefined,
): PubSubEventTarget {
  const callbacksForTopic = new Map<string, Set<(event: CustomEvent) => void>>();
  const report = (what: string) => (error: unknown) =>
    logger?.warn(`redis ${what} failed`, { error: error instanceof Error ? error.message : String(error) });
  // ioredis re-subscribes what it knows was subscribed; a SUBSCRIBE that failed while Redis was
  // away is repeated here (subscribing twice is harmless).
  subscribeClient.on('ready', () => {
    const topics = [...callbacksForTopic.keys()];
    if (topics.length > 0) subscribeClient.subscribe(...topics).catch(report('subscribe'));
  });
  subscribeClient.on('message', (channel: string, message: string) => {
    const callbacks = callbacksForTopic.get(channel);
    if (!callbacks) return;
    let detail: unknown;
    try {
      detail = message === '' ? null : JSON.parse(message);
    } catch {
      logger?.warn('ignored a malformed pub/sub message', { channel });
      return;
    }
    const event = new CustomEvent(channel, { detail });
    for (const callback of callbacks) callback(event);
  });
  const callbackOf = (listener: unknown) =>
    (typeof listener === 'function'
      ? listener
      : (listener as { handleEvent: (event: CustomEvent) => void }).handleEvent) as (event: CustomEvent) => void;
  return {
    addEventListener(topic, listener) {
      if (listener == null) return;
      let callbacks = callbacksForTopic.get(topic);
      if (!callbacks) {
        callbacksForTopic.set(topic, (callbacks = new Set()));
        subscribeClient.subscribe(topic).catch(report('subscribe'));
      }
      callbacks.add(callbackOf(listener));
    },
    dispatchEvent(event) {
      publishClient
        .publish(event.type, event.detail === undefined ? '' : JSON.stringify(event.detail))
        .catch(report('publish'));
      return true;
    },
    removeEventListener(topic, listener) {
      if (listener == null) return;
      const callbacks = callbacksForTopic.get(topic);
      if (!callbacks) return;
      callbacks.delete(callbackOf(listener));
      if (callbacks.size > 0) return;
      callbacksForTopic.delete(topic);
      subscribeClient.unsubscribe(topic).catch(report('unsubscribe'));
    },
  };
}

/**
 * Calls `handle` for every value of a pub/sub stream until the returned function is called. A value
 * that makes `handle` throw (a malformed nudge) is logged and skipped; the loop never rejects.
 */
export function listenTo<T>(
  stream: AsyncIterable<T>,
  handle: (value: T) => void,
  logger: Logger,
  label: string,
): () => void {
  const iterator = stream[Symbol.asyncIterator]();
  let stopped = false;
  void (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done || stopped) return;
      try {
        handle(next.value);
      } catch (error) {
        logger.warn(`${label}: ignored a message`, { error: String(error) });
      }
    }
  })().catch((error: unknown) => logger.error(`${label} stopped`, { error: String(error) }));
  return () => {
    stopped = true;
    void iterator.return?.();
  };
}
