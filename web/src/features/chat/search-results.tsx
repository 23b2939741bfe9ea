import { Link } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { conversationLabel, conversationPath } from './chat-types';
import { SearchMessagesQuery } from './documents';
import { SEARCH_PAGE_SIZE } from './page-sizes';
import { formatFullDateTime, formatListTime } from '../../lib/time';

/** Where a hit opens: its conversation, scrolled to the message (or its thread, for a reply). */
function hitPath(conversationId: string, message: { id: string; seq: number; parentId: string | null }): string {
  const params = new URLSearchParams({ message: message.id, seq: String(message.seq) });
  if (message.parentId) params.set('thread', message.parentId);
  return `${conversationPath(conversationId)}?${params.toString()}`;
}

/** A snippet's segments, each known by where it starts in the snippet's text. */
function snippetParts(segments: readonly { text: string; highlighted: boolean }[]) {
  let start = 0;
  return segments.map((segment) => {
    const part = { ...segment, start };
    start += segment.text.length;
    return part;
  });
}

export function SearchResults({ query, onOpen }: { query: string; onOpen(): void }) {
  const [result] = useQuery({
    query: SearchMessagesQuery,
    variables: { query, first: SEARCH_PAGE_SIZE },
    requestPolicy: 'cache-and-network',
  });
  const hits = result.data?.searchMessages.edges.map((edge) => edge.node) ?? [];

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading chat-sidebar__note">Searching…</p>;
  return (
    <section aria-label="Search results" className="search-results">
      <p className="chat-sidebar__note" role="status">
        {hits.length === 0
          ? `No messages match “${query}”.`
          : `${hits.length}${result.data.searchMessages.pageInfo.hasNextPage ? '+' : ''} ${hits.length === 1 ? 'message' : 'messages'} found`}
      </p>
      <ul className="plain-list search-results__list">
        {hits.map((hit) => (
          <li key={hit.message.id}>
            <Link className="search-hit" to={hitPath(hit.conversation.id, hit.message)} onClick={onOpen}>
              <span className="search-hit__meta">
                <span className="search-hit__where">
                  <span className="search-hit__conversation">
                    {conversationLabel({
                      ...hit.conversation,
                      name: hit.conversation.kind === 'CHANNEL' ? hit.conversation.title : null,
                    })}
                  </span>
                  {hit.conversation.group && <span className="muted"> · {hit.conversation.group.name}</span>}
                </span>
                <time
                  className="search-hit__time"
                  dateTime={hit.message.createdAt}
                  title={formatFullDateTime(hit.message.createdAt)}
                >
                  {formatListTime(hit.message.createdAt)}
                </time>
              </span>
              {/* In a direct conversation with one person the label above is already their name. */}
              {!(hit.conversation.kind !== 'CHANNEL' && hit.message.author?.name === hit.conversation.title) && (
                <span className="search-hit__author">{hit.message.author?.name ?? 'Former member'}</span>
              )}
              <span className="search-hit__snippet">
                {snippetParts(hit.snippet).map(({ start, text, highlighted }) =>
                  highlighted ? <mark key={start}>{text}</mark> : <span key={start}>{text}</span>,
                )}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
