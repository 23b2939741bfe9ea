import { useQuery } from 'urql';
import { ModerationAccessQuery } from './documents';

/** Whether the viewer reviews any queue (the instance's, or a group's), for the account menu's link. */
export function useModerationAccess(): { isInstanceAdmin: boolean; groups: readonly { slug: string; name: string }[] } {
  const [result] = useQuery({ query: ModerationAccessQuery });
  const moderation = result.data?.viewer?.moderation;
  return { isInstanceAdmin: moderation?.isInstanceAdmin ?? false, groups: moderation?.groups ?? [] };
}
