import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { type FragmentOf, type ResultOf, readFragment } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { formatDateTime } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { RadioGroup, TextAreaField } from '../../ui/fields';
import { Pager, useCursorStack } from '../../ui/pager';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { groupPath } from '../groups/labels';
import { ModerationQueueQuery, ReportFields, ResolveReportMutation } from './documents';
import {
  ACTION_DONE,
  actionLabel,
  type ModerationAction as Action,
  refusalOf,
  useModerationScope,
} from './moderation-scope';
import './safety.css';

type Status = 'OPEN' | 'RESOLVED';

/**
 * What an admin's action does beyond this report, said before it is done; null when it needs no
 * confirmation. Suspending and hiding a profile or a group reach far (and are undone from the log).
 */
function consequences(action: Action, report: ResultOf<typeof ReportFields>): { ask: string; confirm: string } | null {
  const name = report.person?.name ?? 'this member';
  if (action === 'SUSPEND') {
    return {
      ask: `Suspend ${name} from this Guildhall? Every session of theirs ends now, they can’t sign in, and their profile is hidden from everyone. You can lift it from the moderation log.`,
      confirm: `Suspend ${name}`,
    };
  }
  if (action === 'HIDE' && report.subject === 'PROFILE') {
    return {
      ask: `Hide ${name}’s profile? Their headline, bio, skills and links are hidden from everyone but them and the admins, and they see a note saying so. You can show it again from the moderation log.`,
      confirm: 'Hide the profile',
    };
  }
  if (action === 'HIDE' && report.subject === 'GROUP') {
    const group = report.group?.name ?? 'this group';
    return {
      ask: `Hide ${group}? It disappears from search, lists and links for everyone but its members, who see it marked as hidden. You can show it again from the moderation log.`,
      confirm: 'Hide the group',
    };
  }
  return null;
}

// Only same-site paths from the server become links.
function safePath(href: string | null | undefined): string | null {
  return href?.startsWith('/') && !href.startsWith('//') ? href : null;
}

function ReportHeading({ report }: { report: ResultOf<typeof ReportFields> }) {
  const person = report.person ? (
    <Link to={personPath(report.person.id)}>{report.person.name}</Link>
  ) : (
    'a former member'
  );
  if (report.subject === 'MESSAGE') {
    return (
      <>
        Message by {person}
        {report.place ? ` in ${report.place}` : ''}
      </>
    );
  }
  if (report.subject === 'PROFILE') return <>Profile of {person}</>;
  return <>Group {report.group ? <Link to={groupPath(report.group.slug)}>{report.group.name}</Link> : '(gone)'}</>;
}

function ReportCard({ data, onResolved }: { data: FragmentOf<typeof ReportFields>; onResolved(): void }) {
  const report = readFragment(ReportFields, data);
  const actions = report.availableActions as readonly Action[];
  const [action, setAction] = useState<Action | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [state, resolve] = useMutation(ResolveReportMutation);
  const titleId = `report-${report.id}`;
  const href = safePath(report.messageHref);
  const confirmation = action ? consequences(action, report) : null;

  async function apply(chosen: Action) {
    const response = await resolve({ input: { reportId: report.id, action: chosen, note: note.trim() || null } });
    setConfirming(false);
    const outcome = outcomeOf(response.data?.resolveReport, response.error, 'ReportPayload');
    if (!outcome.ok) {
      setError(outcome.fieldErrors.note ?? outcome.message);
      return;
    }
    onResolved();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!action) {
      setError('Choose what to do.');
      return;
    }
    if (action === 'WARN' && !note.trim()) {
      setError('Write the warning the member will receive.');
      return;
    }
    // Far-reaching actions are asked once more, saying what they do.
    if (confirmation) {
      setConfirming(true);
      return;
    }
    await apply(action);
  }

  return (
    <li>
      <article className="card report-card" aria-labelledby={titleId}>
        <h2 className="card__title" id={titleId}>
          <ReportHeading report={report} />
        </h2>
        <p className="list-row__meta">
          Reported by {report.reporter?.name ?? 'a former member'} · {formatDateTime(report.createdAt)}
        </p>
        <p className="report-card__reason">
          <strong>Why: </strong>
          {report.reason}
        </p>
        {report.excerpt !== null && (
          <blockquote className="report-card__excerpt" aria-label="The reported message as it read">
            {report.excerpt}
          </blockquote>
        )}
        {href && (
          <p>
            <Link to={href}>Open in chat</Link>
          </p>
        )}
        {report.status === 'RESOLVED' && report.outcome && (
          <p className="tag tag--success">
            {ACTION_DONE[report.outcome as Action]}
            {report.resolvedBy ? ` by ${report.resolvedBy.name}` : ''}
            {report.resolvedAt ? ` · ${formatDateTime(report.resolvedAt)}` : ''}
          </p>
        )}
        {actions.length > 0 && (
          <form className="report-card__form" onSubmit={(event) => void submit(event)} noValidate>
            <RadioGroup<Action>
              legend="Action"
              name={`action-${report.id}`}
              options={actions.map((value) => ({ value, label: actionLabel(value, report.subject) }))}
              value={action ?? ('' as Action)}
              onChange={(value) => {
                setAction(value);
                setConfirming(false);
                setError(null);
              }}
            />
            <TextAreaField
              label={action === 'WARN' ? 'Warning to send' : 'Note for the log (optional)'}
              hint={
                action === 'WARN'
                  ? 'The member receives these words from “the moderators”; your name is not shown.'
                  : 'Kept in the moderation log with the action.'
              }
              rows={2}
              maxLength={1000}
              value={note}
              error={error}
              onChange={(event) => setNote(event.target.value)}
            />
            {confirming && confirmation && action ? (
              <fieldset className="safety-confirm" aria-label={`Confirm: ${confirmation.confirm}`}>
                <p>{confirmation.ask}</p>
                <div className="safety-dialog__actions">
                  <Button variant="secondary" size="sm" onClick={() => setConfirming(false)}>
                    Cancel
                  </Button>
                  <Button size="sm" autoFocus busy={state.fetching} onClick={() => void apply(action)}>
                    {confirmation.confirm}
                  </Button>
                </div>
              </fieldset>
            ) : (
              <div>
                <Button type="submit" busy={state.fetching}>
                  Apply
                </Button>
              </div>
            )}
          </form>
        )}
      </article>
    </li>
  );
}

export function ModerationQueuePage() {
  const { slug } = useParams();
  const scope = useModerationScope(slug);
  const ready = !('pending' in scope);
  const [status, setStatus] = useState<Status>('OPEN');
  const cursors = useCursorStack();
  const [result, refetch] = useQuery({
    query: ModerationQueueQuery,
    variables: { groupId: ready ? scope.groupId : undefined, status, first: 20, after: cursors.after },
    pause: !ready,
    requestPolicy: 'cache-and-network',
  });
  usePageTitle(ready ? `Moderation · ${scope.name}` : 'Moderation');
  if (!ready) return <div className="page">{scope.pending}</div>;

  const refusal = refusalOf(result.error);
  const page = result.data?.moderationQueue;
  const reports = page?.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="page">
      <header className="page-header">
        <div>
          {scope.back && <p className="eyebrow">{scope.back}</p>}
          <h1 className="page-header__title">Moderation queue</h1>
          <p className="page-header__lead">
            {scope.groupId
              ? `Reports about messages in ${scope.name}’s channels.`
              : 'Reports about direct messages, profiles and groups, for this Guildhall’s admins.'}
          </p>
        </div>
        <div className="page-header__actions">
          <ButtonLink to={`${scope.base}/log`} variant="secondary">
            Moderation log
          </ButtonLink>
        </div>
      </header>
      {refusal ? (
        <Alert tone="error">{refusal}</Alert>
      ) : result.error && !page ? (
        <Alert tone="error">{describeRequestError(result.error)}</Alert>
      ) : (
        <>
          <fieldset className="moderation-tabs" aria-label="Which reports">
            {(['OPEN', 'RESOLVED'] as const).map((value) => (
              <Button
                key={value}
                size="sm"
                variant={status === value ? 'primary' : 'secondary'}
                aria-pressed={status === value}
                onClick={() => {
                  setStatus(value);
                  cursors.reset();
                }}
              >
                {value === 'OPEN' ? 'Open' : 'Resolved'}
              </Button>
            ))}
          </fieldset>
          {!page ? (
            <p className="loading">Loading…</p>
          ) : reports.length === 0 ? (
            <p className="muted">
              {status === 'OPEN' ? 'Nothing to review. New reports appear here.' : 'No resolved reports yet.'}
            </p>
          ) : (
            <ul className="plain-list stack" aria-label={status === 'OPEN' ? 'Open reports' : 'Resolved reports'}>
              {reports.map((report) => (
                <ReportCard
                  key={report.id}
                  data={report}
                  onResolved={() => refetch({ requestPolicy: 'network-only' })}
                />
              ))}
            </ul>
          )}
          <Pager
            hasPrevious={cursors.hasPrevious}
            hasNext={page?.pageInfo.hasNextPage ?? false}
            onPrevious={cursors.previous}
            onNext={() => cursors.next(page?.pageInfo.endCursor)}
            busy={result.fetching}
          />
        </>
      )}
    </div>
  );
}
