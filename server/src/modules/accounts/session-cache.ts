import { LRUCache } from 'lru-cache';
import type { Logger } from '../../logger.js';
import { listenTo, type PubSub } from '../../pubsub.js';

// Every authenticated HTTP request needs its session. Reading it from the database each time was a
// third of an authenticated request's cost (issue 13), so a live session found in the database is
// kept here briefly, and forgotten the moment it is revoked, on every instance:
// - the instance that revokes forgets at once, publishes 'sessions:forget' and waits until Redis has
//   handed the message to every instance (PubSub.flush) before it answers, so no client learns of
//   a sign-out before every instance has it;
// - every instance forgets on that message, by session and by member (a suspension, or a password
//   change, forgets all of a member's sessions, even one signed in while the suspension committed);
// - a database read that a revocation overtook is not kept (the revocation counter moved);
// - while Redis is unreachable a message could be missed: nothing is kept or trusted, and
//   everything is forgotten when a connection is lost or comes back;
// - an entry lives SESSION_CACHE_TTL_MS at most, and the expiry is checked on every use.

declare module '../../pubsub.js' {
  interface PubSubTopics {
    /** Sessions were revoked: every instance drops them (and all of userId's) from its session cache. */
    'sessions:forget': [payload: { userId: string; sessionIds: string[] }];
  }
}

declare module '../../context.js' {
  interface AppServices {
    sessionCache: SessionCache;
  }
}

/** How long a session read from the database is trusted without reading it again. */
export const SESSION_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 20_000;

export interface CachedSession {
  sessionId: string;
  userId: string;
  expiresAt: Date;
  lastUsedAt: Date;
}

export interface SessionCache {
  /** The live session behind a token hash (hex) at `now`, when one is kept and may be trusted. */
  get(tokenHash: string, now: Date): CachedSession | undefined;
  /**
   * Call before reading a session from the database; the function returned keeps what was read,
   * unless a revocation arrived in between (it may concern that very session).
   */
  beginRead(): (tokenHash: string, session: CachedSession) => void;
  /** Forgets these sessions and every session of `userId`, on this instance. */
  forget(userId: string, sessionIds: readonly string[]): void;
  /** Stops listening for revocations. */
  close(): void;
}

export function createSessionCache(pubsub: PubSub, logger: Logger): SessionCache {
  const entries = new LRUCache<string, CachedSession>({ max: MAX_ENTRIES, ttl: SESSION_CACHE_TTL_MS });
  // Bumped by every revocation and connection loss: a read that started before one is not kept.
  let revocations = 0;
  const clear = () => {
    revocations += 1;
    entries.clear();
  };
  const forget = (userId: string, sessionIds: readonly string[]) => {
    revocations += 1;
    const ids = new Set(sessionIds);
    const gone: string[] = [];
    for (const [key, session] of entries.entries()) {
      if (session.userId === userId || ids.has(session.sessionId)) gone.push(key);
    }
    for (const key of gone) entries.delete(key);
  };
  const stop = listenTo(
    pubsub.subscribe('sessions:forget'),
    ({ userId, sessionIds }) => forget(userId, sessionIds),
    logger,
    'session cache',
  );
  pubsub.onDisconnect(clear);
  pubsub.onReconnect(clear);

  return {
    get: (tokenHash, now) => {
      if (!pubsub.connected()) {
        if (entries.size > 0) clear();
        return undefined;
      }
      const session = entries.get(tokenHash);
      if (!session) return undefined;
      if (session.expiresAt <= now) {
        entries.delete(tokenHash);
        return undefined;
      }
      return session;
    },
    beginRead: () => {
      const at = revocations;
      return (tokenHash, session) => {
        if (revocations === at && pubsub.connected()) entries.set(tokenHash, session);
      };
    },
    forget,
    close: () => {
      stop();
      entries.clear();
    },
  };
}
