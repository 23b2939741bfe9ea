import type { ChatAuthor } from '../chat/chat-types';
import { ConversationView } from '../chat/conversation-view';
import { PresenceProvider } from '../chat/presence';
import '../chat/chat.css';

// The pair's MENTORSHIP conversation, as the chat shows it (loaded only with the mentorship page).
export default function MentorshipConversation({
  conversationId,
  viewer,
}: {
  conversationId: string;
  viewer: ChatAuthor;
}) {
  return (
    <PresenceProvider>
      <div className="chat mentorship-page__chat">
        <div className="chat__pane">
          <ConversationView key={conversationId} conversationId={conversationId} viewer={viewer} />
        </div>
      </div>
    </PresenceProvider>
  );
}
