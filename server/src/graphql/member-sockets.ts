import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

// How many WebSockets each member has open, so that no member holds more than WS_MAX_SOCKETS_PER_MEMBER.
// One instance counts in memory. With Redis (several instances behind one address) the count is
// shared, or a member could open the cap's worth on every instance:
//
//   <prefix>:<userId>   zset   <instanceId>:<connectionId>, scored by when the entry expires (Redis time, ms)
//
// Each instance rewrites the expiry of its own entries every heartbeat, so the places of a crashed
// instance come free after ENTRY_TTL_MS; a stopping one removes its entries as its sockets close.
// While Redis is unreachable sockets are let in: a cap against abuse is not worth refusing members
// over a passing outage. Their entries are written at the next heartbeat.

export interface MemberSocketLimit {
  /** Takes one of the member's places for this socket; false when they are all taken. */
  acquire(userId: string, connectionId: string): Promise<boolean>;
  /** Gives the place back (the socket closed); nothing if it held none. */
  release(userId: string, connectionId: string): void;
  /** Gives back every place of this instance and lets go of Redis. */
  close(): Promise<void>;
}

export interface MemberSocketLimitOptions {
  max: number;
  /** Unset: counted in this process only (one instance). */
  redisUrl?: string;
  logger: Logger;
  /** Redis key prefix (tests may use their own). */
  keyPrefix?: string;
}

const ENTRY_TTL_MS = 60_000;
const HEARTBEAT_MS = 20_000;

/** This instance's sockets that hold a place, by member. */
class LocalPlaces {
  private readonly byUser = new Map<string, Set<string>>();

  count(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  add(userId: string, connectionId: string): void {
    let connections = this.byUser.get(userId);
    if (!connections) this.byUser.set(userId, (connections = new Set()));
    connections.add(connectionId);
  }

  /** true if it held a place. */
  delete(userId: string, connectionId: string): boolean {
    const connections = this.byUser.get(userId);
    if (!connections?.delete(connectionId)) return false;
    if (connections.size === 0) this.byUser.delete(userId);
    return true;
  }

  entries(): IterableIterator<[string, Set<string>]> {
    return this.byUser.entries();
  }

  clear(): void {
    this.byUser.clear();
  }
}

export async function createMemberSocketLimit(options: MemberSocketLimitOptions): Promise<MemberSocketLimit> {
  if (!options.redisUrl) return createMemoryLimit(options.max);
  return createRedisLimit({ ...options, redisUrl: options.redisUrl });
}

function createMemoryLimit(max: number): MemberSocketLimit {
  const places = new LocalPlaces();
  return {
    acquire: async (userId, connectionId) => {
      if (places.count(userId) >= max) return false;
      places.add(userId, connectionId);
      return true;
    },
    release: (userId, connectionId) => void places.delete(userId, connectionId),
    close: async () => places.clear(),
  };
}

// KEYS[1] the member's zset; ARGV: ttlMs, max, entry. Expired entries (a crashed instance's) go first.
const ACQUIRE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

// KEYS[1] the member's zset; ARGV: ttlMs, entry… (this instance's live sockets of that member).
const REFRESH_SCRIPT = `
local time = redis.call('TIME')
local expires = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + tonumber(ARGV[1])
for index = 2, #ARGV do redis.call('ZADD', KEYS[1], expires, ARGV[index]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

// defineCommand adds the methods at run time; ioredis's types cannot know about them.
type ScriptedRedis = Redis & {
  socketsAcquire(key: string, ttlMs: number, max: number, entry: string): Promise<number>;
};
type ScriptedPipeline = ReturnType<Redis['pipeline']> & {
  socketsRefresh(key: string, ttlMs: number, ...entries: string[]): ScriptedPipeline;
};

async function createRedisLimit(options: MemberSocketLimitOptions & { redisUrl: string }): Promise<MemberSocketLimit> {
  const { max, logger } = options;
  const prefix = options.keyPrefix ?? 'guildhall:ws-sockets';
  const instanceId = randomUUID();
  const keyOf = (userId: string) => `${prefix}:${userId}`;
  const entryOf = (connectionId: string) => `${instanceId}:${connectionId}`;
  // Fail at once while Redis is unreachable (the socket is let in), never replay later.
  const redis = new Redis(options.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 2_000,
  }) as ScriptedRedis;
  redis.defineCommand('socketsAcquire', { numberOfKeys: 1, lua: ACQUIRE_SCRIPT });
  redis.defineCommand('socketsRefresh', { numberOfKeys: 1, lua: REFRESH_SCRIPT });
  const places = new LocalPlaces();
  let failing = false;
  const reportFailure = (what: string, error: unknown) => {
    // One warning per outage; the retries after it are noise.
    const message = error instanceof Error ? error.message : String(error);
    if (failing) return logger.debug(`member sockets: ${what} failed`, { error: message });
    failing = true;
    logger.warn(`member sockets: ${what} failed; sockets are let in until Redis answers`, { error: message });
  };
  redis.on('error', (error: Error) => reportFailure('redis connection', error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw error;
  }

  const refresh = async () => {
    const pipeline = redis.pipeline() as ScriptedPipeline;
    let members = 0;
    for (const [userId, connections] of places.entries()) {
      pipeline.socketsRefresh(keyOf(userId), ENTRY_TTL_MS, ...[...connections].map(entryOf));
      members += 1;
    }
    if (members === 0) return;
    try {
      await pipeline.exec();
      failing = false;
    } catch (error) {
      reportFailure('heartbeat', error);
    }
  };
  const heartbeat = setInterval(() => void refresh(), HEARTBEAT_MS);
  heartbeat.unref();
  // Redis may have restarted empty, or our entries expired while it was unreachable.
  redis.on('ready', () => void refresh());

  return {
    acquire: async (userId, connectionId) => {
      try {
        const granted = (await redis.socketsAcquire(keyOf(userId), ENTRY_TTL_MS, max, entryOf(connectionId))) === 1;
        failing = false;
        if (!granted) return false;
      } catch (error) {
        reportFailure('counting a socket', error);
      }
      places.add(userId, connectionId);
      return true;
    },
    release: (userId, connectionId) => {
      if (!places.delete(userId, connectionId)) return;
      // If this fails, the entry expires: nobody rewrites it any more.
      redis.zrem(keyOf(userId), entryOf(connectionId)).catch((error: unknown) => reportFailure('releasing', error));
    },
    close: async () => {
      clearInterval(heartbeat);
      const pipeline = redis.pipeline();
      for (const [userId, connections] of places.entries()) {
        pipeline.zrem(keyOf(userId), ...[...connections].map(entryOf));
      }
      places.clear();
      await pipeline.exec().catch((error: unknown) => reportFailure('giving places back', error));
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
