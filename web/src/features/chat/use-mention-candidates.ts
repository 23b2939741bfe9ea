import { useQuery } from 'urql';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import type { ConversationSummary } from './chat-types';
import { GroupMentionCandidatesQuery } from './documents';
import { matchCandidates, type MentionCandidate } from './mentions';

/** Who "@query" can mention here: a channel's group members, a direct message's participants. */
export function useMentionCandidates(
  conversation: ConversationSummary,
  viewerPersonId: string,
  query: string | null,
): MentionCandidate[] {
  const debounced = useDebouncedValue(query, 150);
  const slug = conversation.kind === 'CHANNEL' ? (conversation.group?.slug ?? null) : null;
  const [result] = useQuery({
    query: GroupMentionCandidatesQuery,
    variables: { slug: slug ?? '', search: debounced?.trim() || null },
    pause: slug === null || debounced === null,
  });
  if (query === null) return [];
  const pool: readonly MentionCandidate[] = slug
    ? (result.data?.group?.members.edges.map((edge) => edge.node.person) ?? [])
    : conversation.participants;
  return matchCandidates(
    pool.filter((person) => person.id !== viewerPersonId),
    query,
  );
}
