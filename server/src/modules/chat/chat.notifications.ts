import { z } from 'zod';
import { encodeGlobalId } from '../../lib/global-id.js';
import { defineNotificationKind, type NotificationReader } from '../notifications/index.js';
import { conversationVisibleSql } from './chat.policy.js';

// The chat's notification kind: a mention, visible while its recipient may see the conversation.

interface ConversationSeen {
  id: string;
  name: string | null;
  groupName: string | null;
}

/** The conversations of these ids that the reader's recipient may see now, in one statement. */
function conversationsSeen(reader: NotificationReader, conversationIds: readonly string[]) {
  return reader.load('chat.conversation', conversationIds, async (ids) => {
    const rows = await reader.db.$queryRaw<ConversationSeen[]>`
      SELECT c."id"::text AS "id", c."name", g."name" AS "groupName"
        FROM "Conversation" c LEFT JOIN "Group" g ON g."id" = c."groupId"
       WHERE c."id" = ANY(${ids}::uuid[]) AND ${conversationVisibleSql(reader.recipientId)}`;
    return new Map(rows.map((row) => [row.id, row]));
  });
}

export const mentioned = defineNotificationKind({
  kind: 'MENTIONED',
  label: 'Mentions',
  description: 'Someone mentions you in a chat',
  data: z.object({ conversationId: z.uuid(), messageId: z.uuid() }),
  defaults: { inApp: true, email: false, digest: true },
  async visible(reader, notifications) {
    const seen = await conversationsSeen(
      reader,
      notifications.map((n) => n.data.conversationId),
    );
    return notifications.map((n) => seen.get(n.data.conversationId) != null);
  },
  hidden: { text: 'A mention in a conversation you can no longer see', href: '/chat' },
  async describe(reader, notification) {
    const { conversationId, messageId } = notification.data;
    const [seen, actorName] = await Promise.all([
      conversationsSeen(reader, [conversationId]),
      reader.userName(notification.actorId),
    ]);
    const conversation = seen.get(conversationId);
    const place = conversation?.name
      ? `#${conversation.name}${conversation.groupName ? ` in ${conversation.groupName}` : ''}`
      : 'a direct message';
    const conversationPath = `/chat/${encodeURIComponent(encodeGlobalId('Conversation', conversationId))}`;
    return {
      text: `${actorName ?? 'Someone'} mentioned you in ${place}`,
      href: `${conversationPath}?message=${encodeURIComponent(encodeGlobalId('Message', messageId))}`,
    };
  },
});
