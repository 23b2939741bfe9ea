import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../logger.js';
import {
  createPresenceTracker,
  type PresenceChange,
  type PresenceTracker,
  type PresenceTrackerOptions,
} from './presence.js';

// Like tests/support/backend.ts: the Redis cases run in the scale-out run (REDIS_URL set) only.
const redisUrl = process.env.REDIS_URL || undefined;

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function recorder() {
  const changes: PresenceChange[] = [];
  return {
    changes,
    publish: (change: PresenceChange) => void changes.push(change),
    of: (userId: string) => changes.filter((change) => change.userId === userId).map((change) => change.status),
  };
}

const newUser = () => `user-${randomUUID()}`;

// Generous: the machine running the suite may be busy. Never an assertion about time.
const patiently = { timeout: 15_000, interval: 20 };

describe('presence on one instance (no Redis)', () => {
  it('is ONLINE while any socket is ONLINE, AWAY when every socket is away, OFFLINE after the last one closes', async () => {
    const log = recorder();
    const presence = await createPresenceTracker({ publish: log.publish, logger: silent });
    const ada = newUser();
    presence.connect(ada, 'laptop');
    presence.connect(ada, 'phone');
    presence.setStatus(ada, 'laptop', 'AWAY');
    expect((await presence.statusOf([ada])).get(ada)).toBe('ONLINE');
    presence.setStatus(ada, 'phone', 'AWAY');
    expect((await presence.statusOf([ada])).get(ada)).toBe('AWAY');
    presence.setStatus(ada, 'phone', 'ONLINE');
    presence.disconnect(ada, 'phone');
    expect((await presence.statusOf([ada])).get(ada)).toBe('AWAY');
    presence.disconnect(ada, 'laptop');
    expect((await presence.statusOf([ada])).get(ada)).toBe('OFFLINE');
    // One announcement per change of the aggregate, none for a second tab or one tab idling.
    expect(log.of(ada)).toEqual(['ONLINE', 'AWAY', 'ONLINE', 'AWAY', 'OFFLINE']);
    await presence.close();
  });

  it('keeps members apart and reads unknown members as OFFLINE', async () => {
    const log = recorder();
    const presence = await createPresenceTracker({ publish: log.publish, logger: silent });
    const [ada, grace, linus] = [newUser(), newUser(), newUser()];
    presence.connect(ada, 'a');
    presence.connect(grace, 'g');
    presence.setStatus(grace, 'g', 'AWAY');
    const statuses = await presence.statusOf([ada, grace, linus, ada]);
    expect(Object.fromEntries(statuses)).toEqual({ [ada]: 'ONLINE', [grace]: 'AWAY', [linus]: 'OFFLINE' });
    expect(log.changes).toEqual([
      { userId: ada, status: 'ONLINE' },
      { userId: grace, status: 'ONLINE' },
      { userId: grace, status: 'AWAY' },
    ]);
    await presence.close();
  });

  it('does not bring back a socket that already closed when its late status change arrives', async () => {
    const log = recorder();
    const presence = await createPresenceTracker({ publish: log.publish, logger: silent });
    const ada = newUser();
    presence.connect(ada, 'tab');
    presence.disconnect(ada, 'tab');
    presence.setStatus(ada, 'tab', 'ONLINE');
    expect((await presence.statusOf([ada])).get(ada)).toBe('OFFLINE');
    expect(log.of(ada)).toEqual(['ONLINE', 'OFFLINE']);
    await presence.close();
  });

  it('keeps working when a subscriber throws', async () => {
    const presence = await createPresenceTracker({
      publish: () => {
        throw new Error('subscriber broke');
      },
      logger: silent,
    });
    const ada = newUser();
    expect(() => presence.connect(ada, 'tab')).not.toThrow();
    expect((await presence.statusOf([ada])).get(ada)).toBe('ONLINE');
    await presence.close();
  });
});

describe.runIf(redisUrl)('presence across instances (Redis)', () => {
  // A prefix of our own, so neither running servers nor other test files see these keys.
  const keyPrefix = `guildhall-test:${randomUUID()}:presence`;
  let admin: Redis;
  let open: PresenceTracker[] = [];

  beforeAll(async () => {
    admin = new Redis(redisUrl!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(open.map((tracker) => tracker.close()));
    open = [];
  });

  afterAll(async () => {
    const leftovers = await keysWithPrefix();
    if (leftovers.length > 0) await admin.del(...leftovers);
    await admin.quit();
  });

  async function keysWithPrefix(): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  }

  async function tracker(name: string, options: Partial<PresenceTrackerOptions> = {}) {
    const log = recorder();
    const presence = await createPresenceTracker({
      redisUrl: redisUrl!,
      publish: log.publish,
      logger: silent,
      instanceId: `${name}-${randomUUID()}`,
      keyPrefix,
      ...options,
    });
    open.push(presence);
    return { presence, log };
  }

  // Each instance writes in order, so once a fresh member's ONLINE from this instance is
  // announced, every change it was given before has reached Redis (and was announced or not).
  async function settled({ presence, log }: Awaited<ReturnType<typeof tracker>>) {
    const marker = newUser();
    presence.connect(marker, 'marker');
    await vi.waitFor(() => expect(log.of(marker)).toEqual(['ONLINE']), patiently);
  }

  it('aggregates every instance’s sockets and announces each change of the aggregate once', async () => {
    const a = await tracker('a');
    const b = await tracker('b');
    const ada = newUser();
    const announced = () => [...a.log.of(ada), ...b.log.of(ada)];

    a.presence.connect(ada, 'laptop');
    await vi.waitFor(() => expect(a.log.of(ada)).toEqual(['ONLINE']), patiently);
    b.presence.connect(ada, 'phone');
    a.presence.setStatus(ada, 'laptop', 'AWAY');
    await Promise.all([settled(a), settled(b)]);
    expect(announced()).toEqual(['ONLINE']);
    expect((await b.presence.statusOf([ada])).get(ada)).toBe('ONLINE');

    b.presence.setStatus(ada, 'phone', 'AWAY');
    await vi.waitFor(() => expect(b.log.of(ada)).toEqual(['AWAY']), patiently);
    expect((await a.presence.statusOf([ada])).get(ada)).toBe('AWAY');

    // The instance that brings the member back announces it, although it saw no AWAY itself.
    a.presence.setStatus(ada, 'laptop', 'ONLINE');
    await vi.waitFor(() => expect(a.log.of(ada)).toEqual(['ONLINE', 'ONLINE']), patiently);
    expect((await b.presence.statusOf([ada])).get(ada)).toBe('ONLINE');

    a.presence.disconnect(ada, 'laptop');
    await settled(a);
    expect((await b.presence.statusOf([ada])).get(ada)).toBe('AWAY');
    b.presence.disconnect(ada, 'phone');
    await vi.waitFor(() => expect(b.log.of(ada)).toEqual(['AWAY', 'OFFLINE']), patiently);
    expect((await a.presence.statusOf([ada])).get(ada)).toBe('OFFLINE');
    expect(a.log.of(ada)).toEqual(['ONLINE', 'ONLINE', 'AWAY']);
  });

  it('lets a crashed instance’s sockets expire and has a survivor announce what changed', async () => {
    // "Crashed": its entries are never refreshed (the heartbeat is far beyond the ttl).
    const crashed = await tracker('crashed', { ttlMs: 300, heartbeatMs: 3_600_000 });
    const survivor = await tracker('survivor', { heartbeatMs: 50 });
    const [ada, grace, linus] = [newUser(), newUser(), newUser()];
    crashed.presence.connect(ada, 'tab');
    crashed.presence.connect(grace, 'tab');
    crashed.presence.connect(linus, 'tab');
    survivor.presence.connect(grace, 'tab');
    survivor.presence.setStatus(grace, 'tab', 'AWAY');
    survivor.presence.connect(linus, 'tab');
    await vi.waitFor(() => expect(crashed.log.changes).toHaveLength(3), patiently);
    await settled(survivor);
    expect(Object.fromEntries(await survivor.presence.statusOf([ada, grace, linus]))).toEqual({
      [ada]: 'ONLINE',
      [grace]: 'ONLINE',
      [linus]: 'ONLINE',
    });

    await vi.waitFor(async () => {
      expect(Object.fromEntries(await survivor.presence.statusOf([ada, grace, linus]))).toEqual({
        [ada]: 'OFFLINE',
        [grace]: 'AWAY',
        [linus]: 'ONLINE',
      });
    }, patiently);
    // Announced by the survivor: ada went OFFLINE, grace fell back to her AWAY socket; linus
    // stayed ONLINE, so nothing to say about him.
    await vi.waitFor(() => {
      expect(survivor.log.of(ada)).toEqual(['OFFLINE']);
      expect(survivor.log.of(grace)).toEqual(['AWAY']);
    }, patiently);
    expect(survivor.log.of(linus)).toEqual([]);
  });

  it('collapses a thousand sockets opening into one write and answers for a thousand members in one round trip', async () => {
    const a = await tracker('a', { heartbeatMs: 3_600_000 });
    const b = await tracker('b', { heartbeatMs: 3_600_000 });
    const members = Array.from({ length: 1_000 }, newUser);
    const redisPort = Number(new URL(redisUrl!).port || 6379);
    // Counts what goes over the wire to Redis, whoever sends it.
    const socketWrite = vi.spyOn(net.Socket.prototype, 'write');
    const writesToRedis = () =>
      socketWrite.mock.contexts.filter((socket) => (socket as net.Socket).remotePort === redisPort).length;
    try {
      for (const member of members) a.presence.connect(member, 'tab');
      await vi.waitFor(() => expect(a.log.changes).toHaveLength(1_000), patiently);
      expect(writesToRedis()).toBe(1);

      socketWrite.mockClear();
      const statuses = await b.presence.statusOf(members);
      expect(writesToRedis()).toBe(1);
      expect(statuses.size).toBe(1_000);
      expect([...statuses.values()].every((status) => status === 'ONLINE')).toBe(true);
    } finally {
      socketWrite.mockRestore();
    }
  });

  it('keeps answering while Redis is unreachable and rewrites its sockets when it is back', async () => {
    const proxy = await startProxy(new URL(redisUrl!));
    try {
      const a = await tracker('a', { redisUrl: proxy.url, heartbeatMs: 100 });
      const b = await tracker('b');
      const [ada, grace] = [newUser(), newUser()];
      a.presence.connect(ada, 'tab');
      await vi.waitFor(async () => expect((await b.presence.statusOf([ada])).get(ada)).toBe('ONLINE'), patiently);

      await proxy.cut();
      a.presence.connect(grace, 'tab');
      // From what this instance knows, without hanging or throwing.
      expect(Object.fromEntries(await a.presence.statusOf([ada, grace]))).toEqual({
        [ada]: 'ONLINE',
        [grace]: 'ONLINE',
      });
      // As if Redis restarted empty.
      await admin.del(`${keyPrefix}:${ada}`);

      await proxy.restore();
      await vi.waitFor(
        async () =>
          expect(Object.fromEntries(await b.presence.statusOf([ada, grace]))).toEqual({
            [ada]: 'ONLINE',
            [grace]: 'ONLINE',
          }),
        patiently,
      );
      await vi.waitFor(() => expect(a.log.of(grace)).toEqual(['ONLINE']), patiently);
    } finally {
      await Promise.all(open.map((tracker) => tracker.close()));
      open = [];
      await proxy.close();
    }
  }, 30_000);

  it('announces a change whose write ran in Redis although its reply was lost', async () => {
    const proxy = await startProxy(new URL(redisUrl!));
    try {
      const a = await tracker('a', { redisUrl: proxy.url, heartbeatMs: 100 });
      const b = await tracker('b');
      const grace = newUser();
      await settled(a);
      proxy.mute();
      a.presence.connect(grace, 'tab');
      // The write ran: grace is ONLINE for everyone, but a never heard back.
      await vi.waitFor(async () => expect((await b.presence.statusOf([grace])).get(grace)).toBe('ONLINE'), patiently);
      expect(a.log.of(grace)).toEqual([]);
      await proxy.cut();
      await proxy.restore();
      // Rewriting finds nothing to change; a still says so, since its first attempt failed.
      await vi.waitFor(() => expect(a.log.of(grace)).toEqual(['ONLINE']), patiently);
    } finally {
      await Promise.all(open.map((tracker) => tracker.close()));
      open = [];
      await proxy.close();
    }
  }, 30_000);

  it('leaves nothing behind in Redis once its instances close', async () => {
    const a = await tracker('a');
    const b = await tracker('b');
    const ada = newUser();
    a.presence.connect(ada, 'tab');
    b.presence.connect(ada, 'tab');
    b.presence.connect(newUser(), 'tab');
    await Promise.all([settled(a), settled(b)]);
    expect(await keysWithPrefix()).not.toEqual([]);
    await Promise.all(open.map((tracker) => tracker.close()));
    open = [];
    expect(await keysWithPrefix()).toEqual([]);
    // Closing took the member's last sockets away: somebody said so.
    expect([...a.log.of(ada), ...b.log.of(ada)].at(-1)).toBe('OFFLINE');
  });
});

/**
 * A TCP proxy to Redis that can go down (cut every connection, refuse new ones) and come back,
 * or swallow Redis's replies (commands still arrive and run).
 */
async function startProxy(target: URL) {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let muted = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) socket.on('error', drop).on('close', drop);
    client.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => muted || client.write(data));
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const cutAll = () => {
    for (const pair of pairs) for (const socket of pair) socket.destroy();
    pairs.clear();
  };
  await listen(0);
  const { port } = server.address() as net.AddressInfo;
  let listening = true;
  return {
    url: `redis://127.0.0.1:${port}`,
    mute: () => {
      muted = true;
    },
    cut: async () => {
      muted = false;
      listening = false;
      const stopped = stopListening();
      cutAll();
      await stopped;
    },
    restore: async () => {
      await listen(port);
      listening = true;
    },
    close: async () => {
      const stopped = listening ? stopListening() : Promise.resolve();
      cutAll();
      await stopped;
    },
  };
}
