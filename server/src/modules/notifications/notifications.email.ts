import type { DbClient } from '../../db.js';
import { loadNotificationsById, viewNotification } from './notifications.read.js';
import { createNotificationReader } from './reader.js';
import { type NotificationEmail, notificationKind } from './registry.js';

// What the email module needs: a notification rendered with its recipient's access at send time
// (an email for something the recipient may no longer see is not sent), and its kind's template.

export interface RenderedNotification {
  id: string;
  kind: string;
  recipientId: string;
  createdAt: Date;
  readAt: Date | null;
  text: string;
  /** A relative path in the web app. */
  href: string;
  email: NotificationEmail;
  /** Whether its kind goes into the digest at all. */
  inDigest: boolean;
}

export interface RenderOptions {
  /** The web app's origin (e.g. https://guildhall.example): links in the email become absolute. */
  webOrigin?: string;
}

/** Those of `ids` the recipient may still see, rendered, in the order given; the others are left out. */
export async function renderNotificationsForRecipient(
  db: DbClient,
  recipientId: string,
  ids: readonly string[],
  options: RenderOptions = {},
): Promise<RenderedNotification[]> {
  const reader = createNotificationReader(db, recipientId);
  const rows = await loadNotificationsById(db, recipientId, ids);
  const rendered = await Promise.all(
    rows.map(async (row): Promise<RenderedNotification | null> => {
      const definition = notificationKind(row.kind);
      const view = await viewNotification(reader, row);
      if (!definition || !view.visible) return null;
      const link = options.webOrigin ? new URL(view.href, options.webOrigin).toString() : view.href;
      const parsed = definition.data.parse(row.data);
      return {
        id: row.id,
        kind: row.kind,
        recipientId: row.recipientId,
        createdAt: row.createdAt,
        readAt: row.readAt,
        text: view.text,
        href: view.href,
        email: definition.email({ text: view.text, href: view.href, link }, { ...row, data: parsed }),
        inDigest: definition.inDigest,
      };
    }),
  );
  return rendered.filter((item): item is RenderedNotification => item !== null);
}

/** One notification for "email now"; null when it is gone or its recipient may no longer see it. */
export async function renderNotificationForEmail(
  db: DbClient,
  recipientId: string,
  id: string,
  options: RenderOptions = {},
): Promise<RenderedNotification | null> {
  return (await renderNotificationsForRecipient(db, recipientId, [id], options))[0] ?? null;
}

export function notificationKindInDigest(kind: string): boolean {
  return notificationKind(kind)?.inDigest ?? false;
}
