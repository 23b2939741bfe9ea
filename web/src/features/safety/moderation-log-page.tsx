import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import type { ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { formatDateTime } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { Pager, useCursorStack } from '../../ui/pager';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { ModerationLogQuery, UnhideContentMutation, UnsuspendMemberMutation } from './documents';
import { ACTION_DONE, actionLabel, refusalOf, useModerationScope } from './moderation-scope';
import './safety.css';

type Entry = NonNullable<ResultOf<typeof ModerationLogQuery>['moderationLog']>['edges'][number]['node'];

const SUBJECT = { MESSAGE: 'a message', PROFILE: 'a profile', GROUP: 'a group' } as const;

/** "Hidden: a message by Ben", "Suspended: the profile of Ben", "Hidden: the group Spam Town". */
function EntryTitle({ entry, showGroup }: { entry: Entry; showGroup: boolean }) {
  const person = entry.target && <Link to={personPath(entry.target.id)}>{entry.target.name}</Link>;
  let what: ReactNode = SUBJECT[entry.subject];
  if (entry.subject === 'MESSAGE' && person) what = <>a message by {person}</>;
  if (entry.subject === 'PROFILE' && person) what = <>the profile of {person}</>;
  if (entry.subject === 'GROUP' && entry.subjectGroup) what = `the group ${entry.subjectGroup.name}`;
  return (
    <>
      {ACTION_DONE[entry.action]}: {what}
      {showGroup && entry.group ? ` in ${entry.group.name}` : ''}
    </>
  );
}

/**
 * Lifting a suspension or a hiding from the entry that imposed it (admins, while it is in force):
 * asked once more, saying what it does.
 */
function UndoControl({ entry, onDone }: { entry: Entry; onDone(): void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [unsuspendState, unsuspend] = useMutation(UnsuspendMemberMutation);
  const [unhideState, unhide] = useMutation(UnhideContentMutation);
  const undo = entry.undoAction;
  if (undo !== 'UNSUSPEND' && undo !== 'UNHIDE') return null;
  const label = actionLabel(undo, entry.subject);
  const who = entry.target?.name ?? 'this member';
  const ask =
    undo === 'UNSUSPEND'
      ? `Lift ${who}’s suspension? They can sign in again, and their profile is seen again.`
      : entry.subject === 'GROUP'
        ? `Show ${entry.subjectGroup?.name ?? 'this group'} again? Everyone who could see it before finds it again.`
        : `Show ${who}’s profile again? Their headline, bio, skills and links are seen as they chose.`;

  async function lift() {
    const response =
      undo === 'UNSUSPEND'
        ? await unsuspend({ input: { personId: entry.subjectId } })
        : await unhide({ input: { subjectId: entry.subjectId } });
    const result =
      response.data &&
      ('unsuspendMember' in response.data ? response.data.unsuspendMember : response.data.unhideContent);
    const outcome = outcomeOf(result, response.error, 'ModerationPayload');
    setConfirming(false);
    if (!outcome.ok) {
      setError(outcome.message);
      return;
    }
    onDone();
  }

  return (
    <div className="log-entry__undo">
      {confirming ? (
        <fieldset className="safety-confirm" aria-label={`Confirm: ${label}`}>
          <p>{ask}</p>
          <div className="safety-dialog__actions">
            <Button variant="secondary" size="sm" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              size="sm"
              autoFocus
              busy={unsuspendState.fetching || unhideState.fetching}
              onClick={() => void lift()}
            >
              {label}
            </Button>
          </div>
        </fieldset>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
          {label}
        </Button>
      )}
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}

/** Every moderation action kept: who, what, on what, when, for which report, and the note. */
export function ModerationLogPage() {
  const { slug } = useParams();
  const scope = useModerationScope(slug);
  const ready = !('pending' in scope);
  const cursors = useCursorStack();
  const [result, refetch] = useQuery({
    query: ModerationLogQuery,
    variables: { groupId: ready ? scope.groupId : undefined, first: 30, after: cursors.after },
    pause: !ready,
    requestPolicy: 'cache-and-network',
  });
  usePageTitle(ready ? `Moderation log · ${scope.name}` : 'Moderation log');
  if (!ready) return <div className="page">{scope.pending}</div>;

  const refusal = refusalOf(result.error);
  const page = result.data?.moderationLog;
  const entries = page?.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="page">
      <header className="page-header">
        <div>
          {scope.back && <p className="eyebrow">{scope.back}</p>}
          <h1 className="page-header__title">Moderation log</h1>
          <p className="page-header__lead">
            {scope.groupId ? `Every action taken in ${scope.name}.` : 'Every moderation action on this Guildhall.'}
          </p>
        </div>
        <div className="page-header__actions">
          <ButtonLink to={scope.base} variant="secondary">
            Moderation queue
          </ButtonLink>
        </div>
      </header>
      {refusal ? (
        <Alert tone="error">{refusal}</Alert>
      ) : result.error && !page ? (
        <Alert tone="error">{describeRequestError(result.error)}</Alert>
      ) : !page ? (
        <p className="loading">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">No actions yet.</p>
      ) : (
        <section className="card" aria-label="Actions, newest first">
          <ol className="plain-list divided-list">
            {entries.map((entry) => (
              <li key={entry.id} className="list-row">
                <div className="list-row__main">
                  <p className="list-row__title">
                    <EntryTitle entry={entry} showGroup={!scope.groupId} />
                  </p>
                  <p className="list-row__meta">
                    {entry.actor ? entry.actor.name : 'A former moderator'} · {formatDateTime(entry.createdAt)}
                    {entry.report ? ` · report: “${entry.report.reason}”` : ''}
                  </p>
                  {entry.note && <p className="log-entry__note">Note: {entry.note}</p>}
                  <UndoControl entry={entry} onDone={() => refetch({ requestPolicy: 'network-only' })} />
                </div>
              </li>
            ))}
          </ol>
        </section>
      )}
      <Pager
        hasPrevious={cursors.hasPrevious}
        hasNext={page?.pageInfo.hasNextPage ?? false}
        onPrevious={cursors.previous}
        onNext={() => cursors.next(page?.pageInfo.endCursor)}
        busy={result.fetching}
      />
    </div>
  );
}
