import { useQuery } from 'urql';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import type { ConversationSummary } from './chat-types';
import { MentionCandidatesQuery } from './documents';
import { matchCandidates, type MentionCandidate } from './mentions';

/**
 * Who "@query" can mention here: the server's list for this conversation (a channel's group members,
 * a direct message's participants, never someone a block keeps apart from the viewer), matched here.
 */
export function useMentionCandidates(
  conversation: ConversationSummary,
  viewerPersonId: string,
  query: string | null,
): MentionCandidate[] {
  const debounced = useDebouncedValue(query, 150);
  const [result] = useQuery({
    query: MentionCandidatesQuery,
    variables: { id: conversation.id, search: debounced?.trim() || null },
    pause: debounced === null,
  });
  if (query === null) return [];
  const node = result.data?.node;
  const pool: readonly MentionCandidate[] = node && 'mentionCandidates' in node ? node.mentionCandidates : [];
  return matchCandidates(
    pool.filter((person) => person.id !== viewerPersonId),
    query,
  );
}
