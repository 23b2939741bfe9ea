import { createContext, use } from 'react';
import type { ChatAuthor, ConversationSummary } from './chat-types';
import type { ConversationController } from './use-conversation';

export interface ConversationContextValue {
  conversation: ConversationSummary;
  viewerPersonId: string;
  // The viewer as an author (their own pending messages show with it).
  viewer: ChatAuthor;
  controller: ConversationController;
  openThread(rootId: string): void;
  // The message to draw attention to (opened from a search hit).
  highlightedId: string | null;
}

export const ConversationContext = createContext<ConversationContextValue | null>(null);

export function useConversationContext(): ConversationContextValue {
  const value = use(ConversationContext);
  if (!value) throw new Error('useConversationContext must be used inside <ConversationContext>');
  return value;
}
