import type { DbClient } from '../../db.js';
import type { NotificationKind } from '../../generated/prisma/enums.js';
import type { PubSub } from '../../pubsub.js';

// Notifications are written inside the transaction of the change they report, and pushed to
// the recipients' live subscription only after that transaction commits.

export interface NotifyInput {
  recipientIds: readonly string[];
  kind: NotificationKind;
  actorId?: string | null;
  groupId?: string | null;
  eventId?: string | null;
  joinRequestId?: string | null;
  inviteId?: string | null;
  messageId?: string | null;
}

export interface CreatedNotification {
  id: string;
  recipientId: string;
}

/** Stores one notification per recipient who has not switched this kind off. Never to the actor. */
export async function notify(tx: DbClient, input: NotifyInput): Promise<CreatedNotification[]> {
  const candidates = [...new Set(input.recipientIds)].filter((id) => id !== input.actorId);
  if (candidates.length === 0) return [];
  const optedOut = await tx.notificationPreference.findMany({
    where: { userId: { in: candidates }, kind: input.kind, enabled: false },
    select: { userId: true },
  });
  const muted = new Set(optedOut.map((row) => row.userId));
  const recipients = candidates.filter((id) => !muted.has(id));
  if (recipients.length === 0) return [];
  return tx.notification.createManyAndReturn({
    data: recipients.map((recipientId) => ({
      recipientId,
      kind: input.kind,
      actorId: input.actorId ?? null,
      groupId: input.groupId ?? null,
      eventId: input.eventId ?? null,
      joinRequestId: input.joinRequestId ?? null,
      inviteId: input.inviteId ?? null,
      messageId: input.messageId ?? null,
    })),
    select: { id: true, recipientId: true },
  });
}

/** Call after commit with what notify() returned. */
export function publishNotifications(pubsub: PubSub, created: readonly CreatedNotification[]): void {
  for (const notification of created) {
    pubsub.publish('notifications:changed', notification.recipientId, {
      recipientId: notification.recipientId,
      notificationId: notification.id,
    });
  }
}
