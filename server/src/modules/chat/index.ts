// Registers the chat module's types and fields with the schema builder.
import './message.type.js';
import './conversation.type.js';
import './mention-candidates.js';
import './chat.mutations.js';
import './chat.queries.js';
import './chat.subscriptions.js';
import './chat.notifications.js';
import './group-hooks.js';

// What chat offers app.ts (the composition root).
export { type ChatRuntime, createChatRuntime } from './chat.runtime.js';
// The chat permission rules other modules ask (chat.policy.ts).
export {
  canModerate,
  canViewConversation,
  conversationAccess,
  directMessageRefusedWith,
  usersWithAccess,
} from './chat.policy.js';
// Moderation (modules/safety) hides a message as a moderator's delete does, inside its own transaction.
export { type HiddenMessage, hideMessageInTransaction, publishHiddenMessage } from './chat.service.js';
// Cards (chat.cards.ts): other modules post structured messages on a member's behalf, in their own transaction.
export { type MessageCard, type MessageCardInput, messageCardSchema } from './chat.cards.js';
export { type PostedCard, postCardInTransaction, publishCardMessage } from './chat.service.js';
export { MessageCardRef } from './message.type.js';
// Mentorship makes the pair's MENTORSHIP conversation inside its own transaction; its node type for Mentorship.conversation.
export { createMentorshipConversation } from './mentorship-conversation.js';
// Introductions make the three's INTRODUCTION conversation inside their own transaction; the broker may leave it.
export {
  createIntroductionConversation,
  leaveIntroductionConversation,
  publishIntroductionConversationLeft,
} from './introduction-conversation.js';
export { ConversationRef } from './conversation.type.js';
export { visibleConversationsWhere } from './chat.policy.js';
