import { z } from 'zod';
import {
  channelEnabled,
  notificationKind,
  onNotificationCreated,
  renderNotificationForEmail,
} from '../notifications/index.js';
import { defineEmailTemplate } from './email-templates.js';
import { queueEmail } from './outbox.js';

// "Email now" for a notification: when a notification is stored for a member whose email channel
// for its kind is on, an email is queued in the same transaction. What it says is decided when it
// is sent: rendered with the recipient's access then (nothing is sent for what they can no longer
// see), and only while their email channel for the kind is still on.

/** The web app's page where a member chooses, per kind, what reaches them where. */
export const NOTIFICATION_SETTINGS_PATH = '/notifications';

export const notificationEmailTemplate = defineEmailTemplate({
  name: 'notification',
  category: 'NOTIFICATION',
  data: z.object({ notificationId: z.uuid() }),
  render: async ({ notificationId }, { db, env, recipient }) => {
    if (!recipient) return null;
    const rendered = await renderNotificationForEmail(db, recipient.id, notificationId, {
      webOrigin: env.PUBLIC_ORIGIN,
    });
    if (!rendered) return null; // gone, or no longer theirs to see
    if (!(await channelEnabled(db, recipient.id, rendered.kind, 'email'))) return null; // switched off since
    const label = notificationKind(rendered.kind)?.label ?? 'this kind of notification';
    const link = new URL(rendered.href, env.PUBLIC_ORIGIN).toString();
    return {
      content: {
        subject: rendered.email.subject,
        greeting: `Hello ${recipient.name},`,
        paragraphs: paragraphsOf(rendered.email.text, link),
        action: { label: 'Open in Guildhall', url: link },
      },
      unsubscribe: { kind: 'notification', notificationKind: rendered.kind },
      reason: `You get this email because email is on for “${label}” in your notification settings.`,
      settingsPath: NOTIFICATION_SETTINGS_PATH,
    };
  },
});

/** The kind's email text as paragraphs, without the bare link (the layout's button carries it). */
function paragraphsOf(text: string, link: string): string[] {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '' && paragraph !== link);
}

onNotificationCreated(async ({ tx, notification, channels }) => {
  if (!channels.email) return;
  await queueEmail(tx, {
    toUserId: notification.recipientId,
    template: notificationEmailTemplate,
    data: { notificationId: notification.id },
  });
});
