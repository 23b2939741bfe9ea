import type { ResultOf } from '../../app/graphql';
import type { ChatAuthorFields, ConversationSummaryFields, MessageFields } from './documents';

export type ChatMessage = ResultOf<typeof MessageFields>;
export type ConversationSummary = ResultOf<typeof ConversationSummaryFields>;
export type ChatAuthor = ResultOf<typeof ChatAuthorFields>;

export const MAX_MESSAGE_LENGTH = 4_000;

/** Where a conversation lives in the app. */
export function conversationPath(conversationId: string): string {
  return `/chat/${encodeURIComponent(conversationId)}`;
}

/** "#general" for channels, the other people's names for direct messages. */
export function conversationLabel(conversation: Pick<ConversationSummary, 'kind' | 'title' | 'name'>): string {
  return conversation.kind === 'CHANNEL' ? `#${conversation.name ?? conversation.title}` : conversation.title;
}

// A clientId the server accepts ([A-Za-z0-9_-], 1–64). randomUUID needs a secure context; a self-hosted
// instance on plain http over a LAN address is not one, so fall back to getRandomValues there.
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
