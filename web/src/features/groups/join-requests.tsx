import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import type { ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { formatDateTime } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { Button } from '../../ui/button';
import { personPath } from '../people/person-link';
import { ApproveJoinRequestMutation, DeclineJoinRequestMutation, JoinRequestsQuery } from './documents';
import './join-requests.css';

// Deciding join requests in place: on the group page (its approvers see how many wait and answer
// each one there) and on the JOIN_REQUEST_RECEIVED notification. Both use the groups module's own
// approveJoinRequest / declineJoinRequest, which check the decider's role.

type Decision = 'approve' | 'decline';

/** Approve / Decline for one pending request; `onDecided` after the server took the answer. */
export function JoinRequestDecision({
  requestId,
  personName,
  onDecided,
}: {
  requestId: string;
  personName: string;
  onDecided?: (decision: Decision) => void;
}) {
  const [approving, approve] = useMutation(ApproveJoinRequestMutation);
  const [declining, decline] = useMutation(DeclineJoinRequestMutation);
  const [error, setError] = useState<string | null>(null);

  async function decide(decision: Decision) {
    setError(null);
    const input = { input: { requestId } };
    const outcome =
      decision === 'approve'
        ? await approve(input).then((response) =>
            outcomeOf(response.data?.approveJoinRequest, response.error, 'JoinRequestPayload'),
          )
        : await decline(input).then((response) =>
            outcomeOf(response.data?.declineJoinRequest, response.error, 'JoinRequestPayload'),
          );
    if (!outcome.ok) setError(outcome.message);
    else onDecided?.(decision);
  }

  return (
    <div className="join-decision">
      <div className="join-decision__buttons">
        <Button
          size="sm"
          busy={approving.fetching}
          disabled={declining.fetching}
          aria-label={`Approve ${personName}`}
          onClick={() => void decide('approve')}
        >
          Approve
        </Button>
        <Button
          size="sm"
          variant="secondary"
          busy={declining.fetching}
          disabled={approving.fetching}
          aria-label={`Decline ${personName}`}
          onClick={() => void decide('decline')}
        >
          Decline
        </Button>
      </div>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}

/**
 * The group page's card for those who approve requests: how many wait, and each one to answer.
 * Nothing while none wait. A new request arrives live (its notification invalidates Group.joinRequests).
 */
export function GroupJoinRequests({ slug, onDecided }: { slug: string; onDecided(): void }) {
  const [result, refetch] = useQuery({ query: JoinRequestsQuery, variables: { slug } });
  const [decided, setDecided] = useState<string | null>(null);
  const connection = result.data?.group?.joinRequests;
  // The list is asked for PENDING only; a request decided a moment ago may still be in the cache.
  const requests = (connection?.edges ?? []).map((edge) => edge.node).filter((request) => request.status === 'PENDING');
  if (!connection || (requests.length === 0 && !decided)) return null;
  const waiting = waitingOf(connection);
  return (
    <section className="card" id="join-requests" aria-labelledby="join-requests-title">
      <div className="card__header">
        <h2 className="card__title" id="join-requests-title">
          Join requests
        </h2>
        <span className={waiting > 0 ? 'tag tag--warning' : 'tag'}>{waiting} waiting</span>
      </div>
      {decided && (
        <p className="muted small" role="status">
          {decided}
        </p>
      )}
      {waiting > 0 && (
        <ul className="plain-list divided-list" aria-label="Waiting join requests">
          {requests.map((request) => (
            <li key={request.id} className="list-row">
              <Avatar name={request.person.name} initials={request.person.initials} size="sm" />
              <div className="list-row__main">
                <p className="list-row__title">
                  <Link to={personPath(request.person.id)}>{request.person.name}</Link>
                </p>
                {request.person.headline && <p className="list-row__meta">{request.person.headline}</p>}
                {request.message && <p className="join-message">“{request.message}”</p>}
                <p className="list-row__meta">Asked {formatDateTime(request.createdAt)}</p>
              </div>
              <div className="list-row__actions">
                <JoinRequestDecision
                  requestId={request.id}
                  personName={request.person.name}
                  onDecided={(decision) => {
                    setDecided(
                      decision === 'approve'
                        ? `${request.person.name} is now a member.`
                        : `You declined ${request.person.name}’s request.`,
                    );
                    refetch({ requestPolicy: 'network-only' });
                    onDecided();
                  }}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Waiting requests, as the group page's header says it: a link down to the card (nothing while none wait). */
export function WaitingJoinRequestsLink({ slug }: { slug: string }) {
  const [result] = useQuery({ query: JoinRequestsQuery, variables: { slug } });
  const waiting = waitingOf(result.data?.group?.joinRequests);
  if (!waiting) return null;
  return (
    <a className="tag tag--warning join-requests-link" href="#join-requests">
      {waiting === 1 ? '1 join request waiting' : `${waiting} join requests waiting`}
    </a>
  );
}

type Requests = NonNullable<NonNullable<ResultOf<typeof JoinRequestsQuery>['group']>['joinRequests']>;

/** How many wait: the server's total, less any decided a moment ago that the cache still lists. */
function waitingOf(connection: Requests | undefined): number {
  if (!connection) return 0;
  const decided = connection.edges.filter((edge) => edge.node.status !== 'PENDING').length;
  return Math.max(0, connection.totalCount - decided);
}
