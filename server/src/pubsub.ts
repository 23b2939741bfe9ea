import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Env } from './env.js';

// Pub/sub only nudges subscribers; the database stays the record. In-process by default,
// Redis when REDIS_URL is set so that every server instance sees every event.

/** Every topic and its payload. Modules add their topics here. */
export type PubSubTopics = {
  /** A session was revoked (sign-out); sockets authenticated by it close at once. */
  'session:revoked': [sessionId: string, payload: { sessionId: string }];
  /** A member's notifications changed: a new one (notificationId) or read state (null). */
  'notifications:changed': [recipientId: string, payload: { recipientId: string; notificationId: string | null }];
};

export type PubSub = ReturnType<typeof createPubSub<PubSubTopics>> & {
  kind: 'memory' | 'redis';
  close(): Promise<void>;
};

export async function createPubSubBackend(env: Pick<Env, 'REDIS_URL'>): Promise<PubSub> {
  if (!env.REDIS_URL) {
    return Object.assign(createPubSub<PubSubTopics>(), { kind: 'memory' as const, close: async () => {} });
  }
  // Fail fast at start-up instead of queueing commands forever against a missing Redis.
  const options = { lazyConnect: true, maxRetriesPerRequest: 3 } as const;
  const publishClient = new Redis(env.REDIS_URL, options);
  const subscribeClient = new Redis(env.REDIS_URL, options);
  await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return Object.assign(createPubSub<PubSubTopics>({ eventTarget }), {
    kind: 'redis' as const,
    close: async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  });
}
