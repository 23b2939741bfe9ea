// Temporary: notification.fields.ts still imports this path. The rules live in chat.policy.ts.
export { conversationAccess } from './chat.policy.js';
