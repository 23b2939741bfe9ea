import { randomUUID } from 'node:crypto';
import { Redis, type ChainableCommander } from 'ioredis';
import type { Logger } from '../../logger.js';

// Who is online. Ephemeral: never stored in the database. One instance keeps it in memory; with
// Redis every instance writes its own sockets into a hash per member and anyone can aggregate.
//
// Redis layout (prefix `guildhall:presence` by default):
//   <prefix>:<userId>            hash  <instanceId>:<connectionId> → <ONLINE|AWAY>:<expiresAtMs>
//   <prefix>-instances           zset  instanceId, scored by when its newest entry expires
//   <prefix>-instance:<id>       set   members with a socket on that instance (for the sweep)
// Every instance rewrites its live sockets each heartbeat, so a crashed instance's entries simply
// expire; a surviving instance notices the crashed instance's expired score and announces the new
// status of that instance's members (the crashed one can't push anything).

export type PresenceStatus = 'ONLINE' | 'AWAY' | 'OFFLINE';
type SocketStatus = Exclude<PresenceStatus, 'OFFLINE'>;

export interface PresenceChange {
  userId: string;
  status: PresenceStatus;
}

export interface PresenceTracker {
  /** A signed-in socket opened. The member is ONLINE while any socket of theirs (on any instance) is ONLINE. */
  connect(userId: string, connectionId: string): void;
  /** The client says it is idle/hidden (AWAY) or back (ONLINE). Ignored for a socket that is not open. */
  setStatus(userId: string, connectionId: string, status: SocketStatus): void;
  disconnect(userId: string, connectionId: string): void;
  /** Aggregate status across all instances: ONLINE if any connection ONLINE, else AWAY if any AWAY, else OFFLINE. */
  statusOf(userIds: readonly string[]): Promise<Map<string, PresenceStatus>>;
  /** Drops this instance's sockets (announcing who went OFFLINE, in Redis mode) and lets go of Redis. */
  close(): Promise<void>;
}

export interface PresenceTrackerOptions {
  /** Unset: in-process only (one instance). */
  redisUrl?: string;
  /** Called when a member's aggregate status may have changed; may repeat a status already announced. */
  publish: (change: PresenceChange) => void;
  logger: Logger;
  /** Unique per running server; defaults to a random UUID. */
  instanceId?: string;
  /** How often this instance rewrites its live sockets into Redis (and sweeps crashed instances). */
  heartbeatMs?: number;
  /** How long an entry counts without being rewritten; must comfortably exceed heartbeatMs. */
  ttlMs?: number;
  /** Redis key prefix (tests use a random one). */
  keyPrefix?: string;
}

const RANK = { OFFLINE: 0, AWAY: 1, ONLINE: 2 } as const satisfies Record<PresenceStatus, number>;
const STATUS_BY_RANK: readonly PresenceStatus[] = ['OFFLINE', 'AWAY', 'ONLINE'];

function statusOfRank(rank: number): PresenceStatus {
  return STATUS_BY_RANK[rank] ?? 'OFFLINE';
}

export async function createPresenceTracker(options: PresenceTrackerOptions): Promise<PresenceTracker> {
  const { logger } = options;
  // A throwing subscriber must not break a socket's connect/disconnect path.
  const publish = (userId: string, status: PresenceStatus) => {
    try {
      options.publish({ userId, status });
    } catch (error) {
      logger.warn('presence: publishing a change failed', { userId, status, error: errorMessage(error) });
    }
  };
  if (!options.redisUrl) return createMemoryTracker(publish);
  return createRedisTracker({ ...options, redisUrl: options.redisUrl }, publish);
}

/** This instance's open sockets and their statuses, by member. */
class LocalSockets {
  private readonly byUser = new Map<string, Map<string, SocketStatus>>();

  get(userId: string, connectionId: string): SocketStatus | undefined {
    return this.byUser.get(userId)?.get(connectionId);
  }

  hasUser(userId: string): boolean {
    return this.byUser.has(userId);
  }

  set(userId: string, connectionId: string, status: SocketStatus): void {
    let sockets = this.byUser.get(userId);
    if (!sockets) this.byUser.set(userId, (sockets = new Map()));
    sockets.set(connectionId, status);
  }

  delete(userId: string, connectionId: string): void {
    const sockets = this.byUser.get(userId);
    if (!sockets?.delete(connectionId)) return;
    if (sockets.size === 0) this.byUser.delete(userId);
  }

  rank(userId: string): number {
    let best: number = RANK.OFFLINE;
    for (const status of this.byUser.get(userId)?.values() ?? []) best = Math.max(best, RANK[status]);
    return best;
  }

  *sockets(): Generator<[userId: string, connectionId: string]> {
    for (const [userId, sockets] of this.byUser)
      for (const connectionId of sockets.keys()) yield [userId, connectionId];
  }

  get size(): number {
    return this.byUser.size;
  }

  clear(): void {
    this.byUser.clear();
  }
}

function createMemoryTracker(publish: (userId: string, status: PresenceStatus) => void): PresenceTracker {
  const local = new LocalSockets();
  let closed = false;
  const change = (userId: string, apply: () => void) => {
    if (closed) return;
    const before = local.rank(userId);
    apply();
    const after = local.rank(userId);
    if (before !== after) publish(userId, statusOfRank(after));
  };
  return {
    connect: (userId, connectionId) => change(userId, () => local.set(userId, connectionId, 'ONLINE')),
    setStatus: (userId, connectionId, status) => {
      // A late setPresence for a socket that already closed must not bring it back.
      if (local.get(userId, connectionId)) change(userId, () => local.set(userId, connectionId, status));
    },
    disconnect: (userId, connectionId) => change(userId, () => local.delete(userId, connectionId)),
    statusOf: async (userIds) => new Map(userIds.map((id) => [id, statusOfRank(local.rank(id))])),
    // Everyone who could be told is on this instance and going away too: nothing to announce.
    close: async () => {
      closed = true;
      local.clear();
    },
  };
}

// Applies one instance's changes to one member's hash and returns the member's aggregate rank
// before and after, atomically: every change of the aggregate caused by a write is seen by
// exactly the instance that made it, which then publishes it. Expired entries are dropped on the
// way, and the key lives exactly as long as its longest-lived entry.
// KEYS[1]: the member's hash. ARGV[1]: now (ms); then field, value pairs ('' deletes the field).
const APPLY_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local rank = { ONLINE = 2, AWAY = 1 }
local function scan()
  local entries = redis.call('HGETALL', key)
  local best, latest, expired = 0, 0, {}
  for i = 1, #entries, 2 do
    local value = entries[i + 1]
    local sep = string.find(value, ':', 1, true)
    local expires = sep and tonumber(string.sub(value, sep + 1))
    if expires and expires > now then
      best = math.max(best, rank[string.sub(value, 1, sep - 1)] or 0)
      latest = math.max(latest, expires)
    else
      expired[#expired + 1] = entries[i]
    end
  end
  return best, latest, expired
end
local before, _, expired = scan()
for _, field in ipairs(expired) do redis.call('HDEL', key, field) end
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', key, ARGV[i]) else redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
end
local after, latest = scan()
if latest > now then redis.call('PEXPIRE', key, string.format('%d', latest - now)) else redis.call('DEL', key) end
return { before, after }
`;

// defineCommand adds the method at run time; ioredis's types cannot know about it.
type ScriptedPipeline = ChainableCommander & {
  presenceApply(key: string, now: number, ...fieldsAndValues: string[]): ScriptedPipeline;
};

const DEFAULT_HEARTBEAT_MS = 15_000;
const DEFAULT_TTL_MS = 45_000;
// A dead instance's member list must outlive its score long enough for a survivor's sweep to read it.
const MEMBER_LIST_TTL_FACTOR = 3;
// Bounds the size of one sweep's pipeline; the rest waits for the next heartbeat.
const SWEEP_INSTANCES_PER_HEARTBEAT = 20;
const SWEEP_CHUNK = 1_000;

async function createRedisTracker(
  options: PresenceTrackerOptions & { redisUrl: string },
  publish: (userId: string, status: PresenceStatus) => void,
): Promise<PresenceTracker> {
  const { logger } = options;
  const instanceId = options.instanceId ?? randomUUID();
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const prefix = options.keyPrefix ?? 'guildhall:presence';
  // Own entries are recognised by this prefix, so an instance id must not contain the separator.
  if (!instanceId || instanceId.includes(':'))
    throw new Error('presence: instanceId must be non-empty and contain no ":"');
  if (!(heartbeatMs > 0 && ttlMs > 0)) throw new Error('presence: heartbeatMs and ttlMs must be positive');
  if (heartbeatMs >= ttlMs)
    logger.warn('presence: heartbeat is not shorter than the ttl; live sockets will flicker OFFLINE', {
      heartbeatMs,
      ttlMs,
    });

  const ownFieldPrefix = `${instanceId}:`;
  const memberKey = (userId: string) => `${prefix}:${userId}`;
  const instancesKey = `${prefix}-instances`;
  const instanceMembersKey = (id: string) => `${prefix}-instance:${id}`;
  const ownMembersKey = instanceMembersKey(instanceId);

  // While Redis is unreachable every command fails at once (no offline queue) or after the
  // timeout (no reply): writes are retried at the next heartbeat or on reconnect, reads answer
  // from what this instance knows. Nothing is replayed behind our back after a reconnect: a
  // command that failed for us must not quietly succeed later (see `unsure`).
  const redis = new Redis(options.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5_000,
  });
  redis.defineCommand('presenceApply', { numberOfKeys: 1, lua: APPLY_SCRIPT });
  const scripted = () => redis.pipeline() as ScriptedPipeline;

  const local = new LocalSockets();
  // Sockets whose current local state still has to reach Redis. Writing the current state (not
  // a log of operations) makes retries idempotent and lets a burst collapse into one write.
  let dirty = new Map<string, Set<string>>();
  let sweepDue = false;
  // Members whose last write failed: it may still have been applied (only the reply was lost),
  // so the next successful write announces their status even when it sees no change.
  const unsure = new Set<string>();
  let draining: Promise<void> | undefined;
  let closed = false;
  let failing = false;
  let connectedOnce = false;

  const reportFailure = (what: string, error: unknown) => {
    // One warning per outage; the retries after it are noise.
    if (failing) return logger.debug(`presence: ${what} failed`, { error: errorMessage(error) });
    failing = true;
    logger.warn(`presence: ${what} failed; retrying at the next heartbeat`, { error: errorMessage(error) });
  };
  const reportSuccess = () => {
    if (!failing) return;
    failing = false;
    logger.info('presence: redis writes work again');
  };

  redis.on('error', (error: Error) => reportFailure('redis connection', error));
  redis.on('ready', () => {
    if (!connectedOnce) {
      connectedOnce = true;
      return;
    }
    if (closed) return;
    // Redis may have restarted empty, or our entries expired while it was unreachable.
    logger.info('presence: redis connection restored; rewriting live sockets', { members: local.size });
    markAllDirty();
    sweepDue = true;
    void kick();
  });

  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw error;
  }

  const heartbeat = setInterval(() => {
    markAllDirty();
    sweepDue = true;
    void kick();
  }, heartbeatMs);
  heartbeat.unref();

  function touch(userId: string, connectionId: string) {
    let connections = dirty.get(userId);
    if (!connections) dirty.set(userId, (connections = new Set()));
    connections.add(connectionId);
  }

  function markAllDirty() {
    for (const [userId, connectionId] of local.sockets()) touch(userId, connectionId);
  }

  // At most one write in flight: changes made meanwhile queue up and go out together next, so
  // a thousand sockets opening cost a handful of round trips, not a thousand.
  function kick(): Promise<void> {
    if (draining) return draining;
    draining = drain();
    return draining;
  }

  async function drain(): Promise<void> {
    // Let the rest of this turn's changes join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      // Checked and cleared in one synchronous step, so a change made after this can't be left behind.
      if (dirty.size === 0 && !sweepDue) {
        draining = undefined;
        return;
      }
      const batch = dirty;
      const sweep = sweepDue;
      dirty = new Map();
      sweepDue = false;
      const written = await write(batch);
      if (!written) {
        for (const [userId, connectionIds] of batch) {
          unsure.add(userId);
          for (const connectionId of connectionIds) touch(userId, connectionId);
        }
        draining = undefined;
        return;
      }
      if (sweep) await sweepCrashedInstances();
    }
  }

  /** One pipeline for the whole batch; publishes every aggregate the batch changed. */
  async function write(batch: Map<string, Set<string>>): Promise<boolean> {
    const now = Date.now();
    const expiresAt = now + ttlMs;
    const pipeline = scripted();
    const userIds = [...batch.keys()];
    for (const userId of userIds) {
      const fieldsAndValues: string[] = [];
      for (const connectionId of batch.get(userId) ?? []) {
        const status = local.get(userId, connectionId);
        fieldsAndValues.push(ownFieldPrefix + connectionId, status ? `${status}:${expiresAt}` : '');
      }
      pipeline.presenceApply(memberKey(userId), now, ...fieldsAndValues);
      if (local.hasUser(userId)) pipeline.sadd(ownMembersKey, userId);
      else pipeline.srem(ownMembersKey, userId);
    }
    // GT: the score stays the latest expiry of anything this instance wrote, so once it has
    // passed, every entry of this instance has expired too.
    pipeline.zadd(instancesKey, 'GT', expiresAt, instanceId);
    pipeline.pexpire(ownMembersKey, ttlMs * MEMBER_LIST_TTL_FACTOR);
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      reportFailure('writing presence', error);
      return false;
    }
    let firstError: Error | null = null;
    userIds.forEach((userId, index) => {
      const [error, reply] = replies?.[index * 2] ?? [new Error('no reply')];
      const ranks = error ? null : parseRanks(reply);
      if (!ranks) {
        // The whole batch is written again; members that did get through were announced
        // already, and their rewrite changes nothing.
        firstError ??= error ?? new Error(`unexpected reply ${JSON.stringify(reply)}`);
        return;
      }
      if (ranks.before !== ranks.after || unsure.has(userId)) publish(userId, statusOfRank(ranks.after));
      unsure.delete(userId);
    });
    if (firstError) {
      reportFailure('writing presence', firstError);
      return false;
    }
    reportSuccess();
    return true;
  }

  // An instance that stopped heartbeating can't say its members left. The first survivor to
  // claim its expired score (ZREM is atomic: one winner) announces each of those members'
  // status as it is now.
  async function sweepCrashedInstances(): Promise<void> {
    const now = Date.now();
    try {
      const expired = await redis.zrangebyscore(instancesKey, '-inf', now, 'LIMIT', 0, SWEEP_INSTANCES_PER_HEARTBEAT);
      const dead = expired.filter((id) => id !== instanceId);
      if (dead.length === 0) return;
      const claim = redis.multi();
      for (const id of dead) claim.zrem(instancesKey, id).smembers(instanceMembersKey(id)).del(instanceMembersKey(id));
      const replies = (await claim.exec()) ?? [];
      const orphans = new Set<string>();
      dead.forEach((id, index) => {
        const [, removed] = replies[index * 3] ?? [];
        const [, members] = replies[index * 3 + 1] ?? [];
        if (removed !== 1 || !Array.isArray(members)) return;
        logger.info('presence: an instance stopped without saying goodbye; announcing its members', {
          instanceId: id,
          members: members.length,
        });
        for (const member of members) if (typeof member === 'string') orphans.add(member);
      });
      const userIds = [...orphans];
      for (let start = 0; start < userIds.length; start += SWEEP_CHUNK) {
        const chunk = userIds.slice(start, start + SWEEP_CHUNK);
        const pipeline = scripted();
        for (const userId of chunk) pipeline.presenceApply(memberKey(userId), now);
        const results = (await pipeline.exec()) ?? [];
        chunk.forEach((userId, index) => {
          const [error, reply] = results[index] ?? [];
          const ranks = error ? null : parseRanks(reply);
          // Still ONLINE elsewhere: the dead instance's sockets couldn't have made it any higher.
          if (ranks && ranks.after !== RANK.ONLINE) publish(userId, statusOfRank(ranks.after));
        });
      }
    } catch (error) {
      reportFailure('sweeping crashed instances', error);
    }
  }

  // Readers only skip expired entries; the script drops them atomically, so a racing refresh by
  // their owner is never deleted.
  async function cleanUp(userIds: string[], now: number): Promise<void> {
    const pipeline = scripted();
    for (const userId of userIds) pipeline.presenceApply(memberKey(userId), now);
    await pipeline
      .exec()
      .catch((error: unknown) =>
        logger.debug('presence: cleaning expired entries failed', { error: errorMessage(error) }),
      );
  }

  function change(userId: string, connectionId: string, apply: () => void) {
    if (closed) return;
    apply();
    touch(userId, connectionId);
    void kick();
  }

  return {
    connect: (userId, connectionId) => change(userId, connectionId, () => local.set(userId, connectionId, 'ONLINE')),
    setStatus: (userId, connectionId, status) => {
      // A late setPresence for a socket that already closed must not bring it back (the
      // heartbeat would then keep a ghost alive).
      if (local.get(userId, connectionId)) change(userId, connectionId, () => local.set(userId, connectionId, status));
    },
    disconnect: (userId, connectionId) => change(userId, connectionId, () => local.delete(userId, connectionId)),

    async statusOf(userIds) {
      const ids = [...new Set(userIds)];
      // This instance's own sockets come from memory (a write may still be on its way); other
      // instances' from Redis, in one pipeline for all ids.
      const ranks = new Map(ids.map((id) => [id, local.rank(id)]));
      const result = () => new Map(userIds.map((id) => [id, statusOfRank(ranks.get(id) ?? RANK.OFFLINE)]));
      if (closed || ids.length === 0) return result();
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(memberKey(id));
      let replies: [Error | null, unknown][] | null;
      try {
        replies = await pipeline.exec();
      } catch (error) {
        reportFailure('reading presence (answering from this instance only)', error);
        return result();
      }
      const now = Date.now();
      const stale: string[] = [];
      let firstError: unknown = null;
      ids.forEach((id, index) => {
        const [error, fields] = replies?.[index] ?? [];
        if (error || !isStringRecord(fields)) {
          firstError ??= error ?? new Error('unexpected reply');
          return;
        }
        let best = ranks.get(id) ?? RANK.OFFLINE;
        let hasExpired = false;
        for (const [field, value] of Object.entries(fields)) {
          if (field.startsWith(ownFieldPrefix)) continue;
          const entry = parseEntry(value);
          if (!entry || entry.expiresAt <= now) hasExpired = true;
          else best = Math.max(best, RANK[entry.status]);
        }
        ranks.set(id, best);
        if (hasExpired) stale.push(id);
      });
      if (firstError) reportFailure('reading presence (answering from this instance only)', firstError);
      if (stale.length > 0) void cleanUp(stale, now);
      return result();
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      // This instance's sockets are gone with it: remove them now (announcing who went OFFLINE)
      // rather than leaving them to expire.
      markAllDirty();
      local.clear();
      await kick();
      // A write already in flight may have failed and taken the loop down with it: one more try.
      if (dirty.size > 0) await kick();
      try {
        await redis.multi().zrem(instancesKey, instanceId).del(ownMembersKey).exec();
      } catch (error) {
        logger.debug('presence: unregistering the instance failed', { error: errorMessage(error) });
      }
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function parseEntry(value: string): { status: SocketStatus; expiresAt: number } | null {
  const separator = value.indexOf(':');
  const status = value.slice(0, separator);
  const expiresAt = Number(value.slice(separator + 1));
  if (separator < 0 || (status !== 'ONLINE' && status !== 'AWAY') || !Number.isFinite(expiresAt)) return null;
  return { status, expiresAt };
}

function parseRanks(reply: unknown): { before: number; after: number } | null {
  if (!Array.isArray(reply) || reply.length !== 2) return null;
  const [before, after] = reply as unknown[];
  return typeof before === 'number' && typeof after === 'number' ? { before, after } : null;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
