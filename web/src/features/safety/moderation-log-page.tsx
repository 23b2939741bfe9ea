import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { formatDateTime } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { ButtonLink } from '../../ui/button';
import { Pager, useCursorStack } from '../../ui/pager';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { ModerationLogQuery } from './documents';
import { ACTION_DONE, refusalOf, useModerationScope } from './moderation-scope';
import './safety.css';

type Action = keyof typeof ACTION_DONE;

const SUBJECT = { MESSAGE: 'a message', PROFILE: 'a profile', GROUP: 'a group' } as const;

/** Every moderation action kept: who, what, on what, when, for which report, and the note. */
export function ModerationLogPage() {
  const { slug } = useParams();
  const scope = useModerationScope(slug);
  const ready = !('pending' in scope);
  const cursors = useCursorStack();
  const [result] = useQuery({
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
                    {ACTION_DONE[entry.action as Action]}: {SUBJECT[entry.subject]}
                    {entry.target && (
                      <>
                        {' '}
                        by <Link to={personPath(entry.target.id)}>{entry.target.name}</Link>
                      </>
                    )}
                    {!scope.groupId && entry.group ? ` in ${entry.group.name}` : ''}
                  </p>
                  <p className="list-row__meta">
                    {entry.actor ? entry.actor.name : 'A former moderator'} · {formatDateTime(entry.createdAt)}
                    {entry.report ? ` · report: “${entry.report.reason}”` : ''}
                  </p>
                  {entry.note && <p className="log-entry__note">Note: {entry.note}</p>}
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
