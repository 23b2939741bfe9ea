import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { now } from '../../lib/clock.js';
import type { PubSub } from '../../pubsub.js';
import { keptApartFrom } from '../people/index.js';
import { channelSettings } from './preferences.js';
import type { ChannelSettings, NotificationKindDefinition, StoredNotification } from './registry.js';

// Notifications are written inside the transaction of the change they report, and pushed to the
// recipients' live subscription only after that transaction commits.

declare module '../../pubsub.js' {
  interface PubSubTopics {
    /** A member's notifications changed: a new one (notificationId) or read state (null). */
    'notifications:changed': [recipientId: string, payload: { recipientId: string; notificationId: string | null }];
  }
}

export interface NotifyInput<D> {
  /** The kind, as declared by its module with defineNotificationKind. */
  kind: NotificationKindDefinition<D>;
  recipientIds: readonly string[];
  actorId?: string | null;
  /** What it is about, as a relay global ID (encodeGlobalId('Group', id)). */
  subjectId: string;
  data: D;
}

export interface CreatedNotification {
  id: string;
  recipientId: string;
  /** Whether it shows in the recipient's in-app list (and so is pushed live). */
  inApp: boolean;
}

export interface NotificationCreatedEvent {
  /** The transaction notify() runs in: write follow-ups (queueEmail) with it. */
  tx: DbClient;
  notification: StoredNotification;
  /** The recipient's effective settings for this kind. */
  channels: ChannelSettings;
}

type NotificationCreatedListener = (event: NotificationCreatedEvent) => Promise<void>;
const createdListeners: NotificationCreatedListener[] = [];

/**
 * Called for every stored notification inside notify()'s transaction (awaited; a throw rolls the
 * change back). The email module subscribes here at import time, so this module imports no email code.
 */
export function onNotificationCreated(listener: NotificationCreatedListener): () => void {
  createdListeners.push(listener);
  return () => {
    const index = createdListeners.indexOf(listener);
    if (index >= 0) createdListeners.splice(index, 1);
  };
}

/**
 * Stores one notification per recipient who has any channel of this kind on. Never to the actor,
 * nor to a recipient who blocked the actor.
 * One with in-app off is still stored (for email and the digest) but not listed.
 */
export async function notify<D>(tx: DbClient, input: NotifyInput<D>): Promise<CreatedNotification[]> {
  const { kind: definition } = input;
  // A wrong shape is a bug in the caller: refuse it here, not when it is read.
  const data = definition.data.parse(input.data) as Prisma.InputJsonValue;
  let candidates = [...new Set(input.recipientIds)].filter((id) => id !== input.actorId);
  // Nothing a member does reaches those who blocked them (people/blocking.policy.ts).
  if (input.actorId && candidates.length > 0) {
    const blocked = await keptApartFrom(tx, 'notify', input.actorId, candidates);
    candidates = candidates.filter((id) => !blocked.has(id));
  }
  if (candidates.length === 0) return [];
  const settings = await channelSettings(tx, candidates, definition);
  const recipients = candidates.filter((id) => {
    const channels = settings.get(id)!;
    return channels.inApp || channels.email || channels.digest;
  });
  if (recipients.length === 0) return [];
  const createdAt = now();
  const rows = await tx.notification.createManyAndReturn({
    data: recipients.map((recipientId) => ({
      recipientId,
      kind: definition.kind,
      subjectId: input.subjectId,
      actorId: input.actorId ?? null,
      data,
      inApp: settings.get(recipientId)!.inApp,
      createdAt,
    })),
  });
  for (const row of rows) {
    for (const listener of createdListeners) {
      await listener({
        tx,
        notification: {
          id: row.id,
          recipientId: row.recipientId,
          kind: row.kind,
          subjectId: row.subjectId,
          actorId: row.actorId,
          data: row.data,
          createdAt: row.createdAt,
          readAt: row.readAt,
        },
        channels: settings.get(row.recipientId)!,
      });
    }
  }
  return rows.map((row) => ({ id: row.id, recipientId: row.recipientId, inApp: row.inApp }));
}

/** Call after commit with what notify() returned. */
export function publishNotifications(pubsub: PubSub, created: readonly CreatedNotification[]): void {
  for (const notification of created) {
    if (!notification.inApp) continue;
    pubsub.publish('notifications:changed', notification.recipientId, {
      recipientId: notification.recipientId,
      notificationId: notification.id,
    });
  }
}

/** Other devices of the member learn the new unread count at once. */
export function publishReadStateChange(pubsub: PubSub, recipientId: string): void {
  pubsub.publish('notifications:changed', recipientId, { recipientId, notificationId: null });
}

/**
 * Removes the notifications of one kind about one subject (e.g. the mentions of a deleted
 * message), in the caller's transaction. Returns the recipients whose unread count may change.
 */
export async function withdrawNotifications(
  tx: DbClient,
  kind: NotificationKindDefinition<unknown> | { kind: string },
  subjectId: string,
  recipientIds?: readonly string[],
): Promise<string[]> {
  const where = {
    kind: kind.kind,
    subjectId,
    ...(recipientIds ? { recipientId: { in: [...recipientIds] } } : {}),
  };
  const rows = await tx.notification.findMany({ where, select: { recipientId: true } });
  if (rows.length > 0) await tx.notification.deleteMany({ where });
  return [...new Set(rows.map((row) => row.recipientId))];
}
