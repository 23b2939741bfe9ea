import type { DbClient } from '../../db.js';
import { now } from '../../lib/clock.js';

// One read of notifications for one recipient (a GraphQL request, one live event, one email): the
// kinds' lookups are shared and batched through it, and nothing outlives it, so every read sees
// access as it is now.

export interface NotificationReader {
  db: DbClient;
  recipientId: string;
  /** Business time of this read (e.g. whether an invite has expired). */
  now: Date;
  /**
   * Rows by id, loaded at most once per reader and namespace: ids not yet asked for are fetched in
   * one call of `fetch`; ids it does not return are remembered as missing (null).
   */
  load<T>(
    namespace: string,
    ids: readonly string[],
    fetch: (missing: string[]) => Promise<Map<string, T>>,
  ): Promise<Map<string, T | null>>;
  /** One value per reader and key (e.g. the recipient's live invites). */
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Display name of a member (e.g. the actor), null when gone. */
  userName(userId: string | null): Promise<string | null>;
}

export function createNotificationReader(db: DbClient, recipientId: string): NotificationReader {
  const loaded = new Map<string, Map<string, Promise<unknown>>>();
  const onces = new Map<string, Promise<unknown>>();
  const waiting = new Map<string, { ids: string[]; rows: Promise<Map<string, unknown>> }>();
  const reader: NotificationReader = {
    db,
    recipientId,
    now: now(),
    async load<T>(
      namespace: string,
      ids: readonly string[],
      fetch: (missing: string[]) => Promise<Map<string, T>>,
    ): Promise<Map<string, T | null>> {
      let cache = loaded.get(namespace);
      if (!cache) loaded.set(namespace, (cache = new Map()));
      const missing = [...new Set(ids)].filter((id) => !cache.has(id));
      if (missing.length > 0) {
        // Sibling resolvers of one tick (text and href of every row on a page) share one fetch.
        let pending = waiting.get(namespace);
        if (!pending) {
          const batch: { ids: string[]; rows: Promise<Map<string, unknown>> } = {
            ids: [],
            rows: new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
              waiting.delete(namespace);
              return fetch(batch.ids) as Promise<Map<string, unknown>>;
            }),
          };
          waiting.set(namespace, (pending = batch));
        }
        const batch = pending;
        for (const id of missing) {
          batch.ids.push(id);
          cache.set(
            id,
            batch.rows.then((rows) => rows.get(id) ?? null),
          );
        }
      }
      const entries = await Promise.all(ids.map(async (id) => [id, (await cache.get(id)) as T | null] as const));
      return new Map(entries);
    },
    once<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let found = onces.get(key) as Promise<T> | undefined;
      if (!found) onces.set(key, (found = compute()));
      return found;
    },
    async userName(userId) {
      if (!userId) return null;
      const names = await reader.load('user.name', [userId], async (ids) => {
        const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
        return new Map(users.map((user) => [user.id, user.name]));
      });
      return names.get(userId) ?? null;
    },
  };
  return reader;
}
