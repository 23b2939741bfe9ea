import { useCallback, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { formatDateTime, viewerTimeZone } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { mentorshipPath, REQUEST_STATUS } from './request-labels';
import {
  AcceptMentorshipRequestMutation,
  CancelMyPendingRequestsMutation,
  DeclineMentorshipRequestMutation,
  MentorshipRequestFields,
  MentorshipRequestsQuery,
  WithdrawMentorshipRequestMutation,
} from './requests.documents';
import { useMentorshipActivity } from './use-mentorship-activity';
import './mentorship.css';

type Tab = 'received' | 'sent';

// /mentorship/requests — what you were asked (and program pairings of you) and what you asked, each
// with its state, its expiry in your zone, and what you may do with it now. Live: mentorshipActivity.
export function MentorshipRequestsPage() {
  usePageTitle('Mentorship requests');
  const [params] = useSearchParams();
  const tab: Tab = params.get('tab') === 'sent' ? 'sent' : 'received';
  const [result, refetch] = useQuery({ query: MentorshipRequestsQuery, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useMentorshipActivity(reload);
  const viewer = result.data?.viewer;
  const list = viewer ? viewer[tab] : [];

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Mentorship requests</h1>
          <p className="page-header__lead">
            Requests wait two weeks for an answer, then expire. Times are in your zone ({viewerTimeZone()}).
          </p>
        </div>
        <div className="page-header__actions">
          <ButtonLink to="/mentorships" variant="secondary">
            My mentorships
          </ButtonLink>
        </div>
      </header>
      <nav className="tabs" aria-label="Which requests">
        {(['received', 'sent'] as const).map((name) => (
          <Link key={name} to={name === 'sent' ? '?tab=sent' : '?'} aria-current={tab === name ? 'page' : undefined}>
            {name === 'received' ? 'Received' : 'Sent'}
            {viewer && ` (${viewer[name].length})`}
          </Link>
        ))}
      </nav>
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!viewer && !result.error && <p className="loading">Loading…</p>}
      {viewer && tab === 'sent' && <CloseOthers requests={viewer.sent} onDone={reload} />}
      {viewer && list.length === 0 && (
        <div className="empty">
          {tab === 'received' ? (
            <p>Nobody has asked you yet. Members find you through your mentor profile.</p>
          ) : (
            <p>
              You haven’t asked anyone yet. <Link to="/mentors">Find a mentor</Link> and ask from their profile.
            </p>
          )}
          {tab === 'received' && (
            <p>
              <Link to="/settings/mentoring">Your mentoring settings</Link>
            </p>
          )}
        </div>
      )}
      {viewer && list.length > 0 && (
        <ul
          className="mentorship-requests plain-list stack"
          aria-label={tab === 'received' ? 'Requests you received' : 'Requests you sent'}
        >
          {list.map((request) => (
            <RequestItem key={readFragment(MentorshipRequestFields, request).id} request={request} onChanged={reload} />
          ))}
        </ul>
      )}
    </div>
  );
}

function CloseOthers({
  requests,
  onDone,
}: {
  requests: readonly FragmentOf<typeof MentorshipRequestFields>[];
  onDone: () => void;
}) {
  const read = requests.map((request) => readFragment(MentorshipRequestFields, request));
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const [, cancel] = useMutation(CancelMyPendingRequestsMutation);
  const waiting = read.filter((request) => request.status === 'PENDING').length;
  if (waiting === 0 || !read.some((request) => request.status === 'ACCEPTED')) return null;
  return (
    <Alert
      tone="info"
      title="You have a mentor now"
      actions={
        <Button
          variant="secondary"
          size="sm"
          busy={state.busy}
          onClick={async () => {
            setState({ busy: true, error: null });
            const response = await cancel({});
            const outcome = outcomeOf(
              response.data?.cancelMyPendingRequests,
              response.error,
              'CancelMyPendingRequestsPayload',
            );
            setState({ busy: false, error: outcome.ok ? null : outcome.message });
            if (outcome.ok) onDone();
          }}
        >
          Close my other requests
        </Button>
      }
    >
      {waiting === 1 ? 'One other request still waits.' : `${waiting} other requests still wait.`} Accepting never
      closes them by itself: close them if you no longer need them.
      {state.error && <span role="alert"> {state.error}</span>}
    </Alert>
  );
}

function RequestItem({
  request: masked,
  onChanged,
}: {
  request: FragmentOf<typeof MentorshipRequestFields>;
  onChanged: () => void;
}) {
  const request = readFragment(MentorshipRequestFields, masked);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<null | 'accept' | 'decline' | 'withdraw'>(null);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [, accept] = useMutation(AcceptMentorshipRequestMutation);
  const [, decline] = useMutation(DeclineMentorshipRequestMutation);
  const [, withdraw] = useMutation(WithdrawMentorshipRequestMutation);
  const other = request.viewerRole === 'MENTOR' ? request.mentee : request.mentor;
  const status = REQUEST_STATUS[request.status];
  const pairing = request.origin === 'PROGRAM_ADMIN';
  const answering = request.viewerCanAccept || request.viewerCanDecline;
  const titleId = `request-${request.id}`;

  async function act(kind: 'accept' | 'decline' | 'withdraw') {
    setBusy(kind);
    setError(null);
    const input = { requestId: request.id, ...(kind === 'withdraw' ? {} : { note }) };
    const response =
      kind === 'accept'
        ? await accept({ input })
        : kind === 'decline'
          ? await decline({ input })
          : await withdraw({ input });
    const data = response.data as Record<string, { __typename: string } | undefined> | undefined;
    const field = `${kind}MentorshipRequest`;
    const outcome = outcomeOf(data?.[field], response.error, 'MentorshipRequestPayload');
    setBusy(null);
    if (outcome.ok) onChanged();
    else setError({ message: outcome.message, fields: outcome.fieldErrors });
  }

  return (
    <li className="card mentorship-request" aria-labelledby={titleId}>
      <div className="card__header">
        <h2 className="card__title" id={titleId}>
          {request.viewerRole === 'MENTOR' && pairing && 'Pairing: mentor '}
          {request.viewerRole === 'MENTEE' && pairing && 'Pairing: mentee of '}
          {request.viewerRole === 'MENTOR' && !pairing && 'From '}
          {request.viewerRole === 'MENTEE' && !pairing && 'To '}
          <Link to={personPath(other.id)}>{other.name}</Link>
        </h2>
        <span className={`tag ${status.tone}`}>{status.label}</span>
      </div>
      {pairing && (
        <p className="muted small">
          Proposed by {request.proposedBy?.name ?? 'a program admin'}
          {request.group && <> in {request.group.name}</>}. The mentorship starts once both of you accept.
          {request.mentorAgreedAt && ' The mentor has agreed.'}
          {request.menteeAgreedAt && ' The mentee has agreed.'}
        </p>
      )}
      <dl className="facts">
        <dt>{pairing ? 'Note' : 'Message'}</dt>
        <dd className="prewrap">{request.message}</dd>
        {request.goals && (
          <>
            <dt>Goals</dt>
            <dd className="prewrap">{request.goals}</dd>
          </>
        )}
        <dt>Sent</dt>
        <dd>{formatDateTime(request.createdAt, { withYear: true })}</dd>
        {request.status === 'PENDING' ? (
          <>
            <dt>Expires</dt>
            <dd>{formatDateTime(request.expiresAt, { withYear: true })}</dd>
          </>
        ) : (
          request.respondedAt && (
            <>
              <dt>{request.status === 'ACCEPTED' || request.status === 'DECLINED' ? 'Answered' : 'Closed'}</dt>
              <dd>{formatDateTime(request.respondedAt, { withYear: true })}</dd>
            </>
          )
        )}
        {request.responseNote && (
          <>
            <dt>{request.viewerRole === 'MENTOR' ? 'Your note' : 'Their note'}</dt>
            <dd className="prewrap">{request.responseNote}</dd>
          </>
        )}
      </dl>
      {error && <Alert tone="error">{error.message}</Alert>}
      {answering && (
        <div className="stack stack--tight">
          {request.viewerRole === 'MENTOR' && (
            <TextAreaField
              label="Note (optional)"
              hint="They read it with your answer."
              value={note}
              maxLength={1000}
              rows={2}
              onChange={(event) => setNote(event.target.value)}
              error={error?.fields.note}
            />
          )}
          <div className="button-row">
            {request.viewerCanAccept && (
              <Button busy={busy === 'accept'} disabled={busy !== null} onClick={() => void act('accept')}>
                {pairing ? 'Agree' : 'Accept'}
              </Button>
            )}
            {request.viewerCanDecline && (
              <Button
                variant="secondary"
                busy={busy === 'decline'}
                disabled={busy !== null}
                onClick={() => void act('decline')}
              >
                Decline
              </Button>
            )}
          </div>
        </div>
      )}
      {request.viewerCanWithdraw && (
        <div className="button-row">
          <Button
            variant="secondary"
            busy={busy === 'withdraw'}
            disabled={busy !== null}
            onClick={() => void act('withdraw')}
          >
            Withdraw
          </Button>
        </div>
      )}
      {request.mentorship && (
        <p>
          <Link to={mentorshipPath(request.mentorship.id)}>Open the mentorship</Link>
        </p>
      )}
    </li>
  );
}
