import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { usePageTitle } from '../../ui/use-page-title';
import { ChatSidebar } from './chat-sidebar';
import { ConversationView } from './conversation-view';
import { ChatViewerQuery } from './documents';
import { PresenceProvider } from './presence';
import './chat.css';

function NothingSelected() {
  usePageTitle('Chat');
  return (
    <div className="chat-empty">
      <svg viewBox="0 0 64 64" aria-hidden="true" className="chat-empty__art">
        <rect
          x="6"
          y="10"
          width="38"
          height="28"
          rx="8"
          fill="var(--color-primary-soft)"
          stroke="var(--color-primary)"
          strokeWidth="2"
        />
        <path
          d="M14 38v9l9-9"
          fill="var(--color-primary-soft)"
          stroke="var(--color-primary)"
          strokeWidth="2"
          strokeLinejoin="round"
        />
        <rect
          x="24"
          y="26"
          width="34"
          height="24"
          rx="7"
          fill="var(--color-surface)"
          stroke="var(--color-text-muted)"
          strokeWidth="2"
        />
        <path
          d="M50 50v8l-8-8"
          fill="var(--color-surface)"
          stroke="var(--color-text-muted)"
          strokeWidth="2"
          strokeLinejoin="round"
        />
      </svg>
      <h1 className="chat-empty__title">Your conversations</h1>
      <p className="muted">Pick a channel or a direct message, or start a new one with “New message”.</p>
    </div>
  );
}

// /chat and /chat/:conversationId: the conversation list beside the open conversation (on a phone, one
// at a time: the list at /chat, the conversation with a way back at /chat/:id).
export function ChatPage() {
  const { conversationId } = useParams();
  const [viewerResult] = useQuery({ query: ChatViewerQuery });
  const person = viewerResult.data?.viewer?.person;

  if (viewerResult.error && !viewerResult.data)
    return <Alert tone="error">{describeRequestError(viewerResult.error)}</Alert>;
  if (!person) return <p className="loading">Loading…</p>;

  return (
    <PresenceProvider>
      <div className={conversationId ? 'chat chat--conversation-open' : 'chat'}>
        <ChatSidebar viewerPersonId={person.id} />
        <div className="chat__pane">
          {conversationId ? (
            <ConversationView key={conversationId} conversationId={conversationId} viewer={person} />
          ) : (
            <NothingSelected />
          )}
        </div>
      </div>
    </PresenceProvider>
  );
}
