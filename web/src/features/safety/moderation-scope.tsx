import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { groupPath } from '../groups/labels';
import { ModeratedGroupQuery } from './documents';

export interface ModerationScope {
  /** The group whose queue and log this is; undefined: the instance's (admins). */
  groupId: string | undefined;
  /** "Rust Berlin" or "Guildhall". */
  name: string;
  /** Where the queue lives: /groups/<slug>/moderation or /moderation. */
  base: string;
  /** A link back to where moderators came from. */
  back: ReactNode;
}

/** The scope of a moderation page: a group's (by the :slug in its path) or the instance's. */
export function useModerationScope(slug: string | undefined): ModerationScope | { pending: ReactNode } {
  const [result] = useQuery({ query: ModeratedGroupQuery, variables: { slug: slug ?? '' }, pause: !slug });
  if (!slug) return { groupId: undefined, name: 'Guildhall', base: '/moderation', back: null };
  if (result.error && !result.data)
    return { pending: <Alert tone="error">{describeRequestError(result.error)}</Alert> };
  if (!result.data) return { pending: <p className="loading">Loading…</p> };
  const group = result.data.group;
  if (!group) return { pending: <p>This group doesn’t exist, or you can’t see it.</p> };
  return {
    groupId: group.id,
    name: group.name,
    base: `${groupPath(group.slug)}/moderation`,
    back: <Link to={`${groupPath(group.slug)}/admin`}>{group.name}</Link>,
  };
}

/** The words for a refused queue or log: FORBIDDEN (not an admin) and NOT_FOUND (not a moderator here). */
export function refusalOf(
  error: { graphQLErrors: ReadonlyArray<{ extensions: Record<string, unknown> }> } | undefined,
) {
  const code = error?.graphQLErrors[0]?.extensions.code;
  if (code === 'FORBIDDEN' || code === 'NOT_FOUND') {
    return 'Only this queue’s moderators can see it: a group’s moderators and admins, or this Guildhall’s admins.';
  }
  return null;
}

export type ModerationAction = 'HIDE' | 'WARN' | 'REMOVE' | 'BAN' | 'SUSPEND' | 'DISMISS' | 'UNHIDE' | 'UNSUSPEND';
export type ReportSubject = 'MESSAGE' | 'PROFILE' | 'GROUP';

/** What a reviewer chooses in the queue, by what the report is about. */
export function actionLabel(action: ModerationAction, subject: ReportSubject): string {
  switch (action) {
    case 'HIDE':
      return subject === 'PROFILE' ? 'Hide the profile' : subject === 'GROUP' ? 'Hide the group' : 'Hide the content';
    case 'WARN':
      return subject === 'GROUP' ? 'Warn the owner' : 'Warn the member';
    case 'REMOVE':
      return 'Remove from the group';
    case 'BAN':
      return 'Ban from the group';
    case 'SUSPEND':
      return 'Suspend from this Guildhall';
    case 'DISMISS':
      return 'Dismiss';
    case 'UNHIDE':
      return subject === 'GROUP' ? 'Show the group again' : 'Show the profile again';
    case 'UNSUSPEND':
      return 'Lift the suspension';
  }
}

export const ACTION_DONE = {
  HIDE: 'Hidden',
  WARN: 'Warned',
  REMOVE: 'Removed from the group',
  BAN: 'Banned from the group',
  SUSPEND: 'Suspended',
  DISMISS: 'Dismissed',
  UNHIDE: 'Shown again',
  UNSUSPEND: 'Suspension lifted',
} as const satisfies Record<ModerationAction, string>;
