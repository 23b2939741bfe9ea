import type { DbClient } from '../../db.js';
import {
  type ChannelSettings,
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type NotificationKindDefinition,
  notificationKind,
} from './registry.js';

// A member's choice per kind and channel (in-app, email now, digest). Without a stored row the
// kind's default applies, so a new kind needs no rows and changing a default reaches everyone who
// did not choose.

/** The effective settings of these members for one kind. */
export async function channelSettings(
  db: DbClient,
  userIds: readonly string[],
  definition: NotificationKindDefinition,
): Promise<Map<string, ChannelSettings>> {
  const result = new Map<string, ChannelSettings>(userIds.map((id) => [id, { ...definition.defaults }]));
  if (userIds.length === 0) return result;
  const rows = await db.notificationPreference.findMany({
    where: { userId: { in: [...userIds] }, kind: definition.kind },
    select: { userId: true, channel: true, enabled: true },
  });
  for (const row of rows) {
    const settings = result.get(row.userId);
    if (settings && isChannel(row.channel)) settings[row.channel] = row.enabled;
  }
  // A kind that never goes into the digest has no digest channel to switch on.
  if (!definition.inDigest) for (const settings of result.values()) settings.digest = false;
  return result;
}

export function isChannel(value: string): value is NotificationChannel {
  return (NOTIFICATION_CHANNELS as readonly string[]).includes(value);
}

/** Whether this member gets this kind on this channel (false for a kind no module declares). */
export async function channelEnabled(
  db: DbClient,
  userId: string,
  kind: string,
  channel: NotificationChannel,
): Promise<boolean> {
  const definition = notificationKind(kind);
  if (!definition) return false;
  return (await channelSettings(db, [userId], definition)).get(userId)![channel];
}

/** Every kind's settings for one member. */
export async function allChannelSettings(
  db: DbClient,
  userId: string,
  definitions: readonly NotificationKindDefinition[],
): Promise<Map<string, ChannelSettings>> {
  const rows = await db.notificationPreference.findMany({
    where: { userId },
    select: { kind: true, channel: true, enabled: true },
  });
  const result = new Map(definitions.map((definition) => [definition.kind, { ...definition.defaults }]));
  for (const row of rows) {
    const settings = result.get(row.kind);
    if (settings && isChannel(row.channel)) settings[row.channel] = row.enabled;
  }
  for (const definition of definitions) if (!definition.inDigest) result.get(definition.kind)!.digest = false;
  return result;
}

export async function setChannel(
  db: DbClient,
  userId: string,
  kind: string,
  channel: NotificationChannel,
  enabled: boolean,
): Promise<void> {
  await db.notificationPreference.upsert({
    where: { userId_kind_channel: { userId, kind, channel } },
    create: { userId, kind, channel, enabled },
    update: { enabled },
  });
}
