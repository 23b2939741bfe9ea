import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { formatDateTime } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { Button } from '../../ui/button';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { BlockedPeopleQuery, UnblockMemberMutation } from './documents';
import './safety.css';

/** The people you blocked, each with Unblock. Nobody else sees this list. */
export function BlockedPeoplePage() {
  usePageTitle('Blocked members');
  const [result, refetch] = useQuery({ query: BlockedPeopleQuery, requestPolicy: 'cache-and-network' });
  const [state, unblock] = useMutation(UnblockMemberMutation);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const people = result.data?.viewer?.blockedPeople.edges.map((edge) => edge.node) ?? [];

  async function doUnblock(person: { id: string; name: string }) {
    setBusy(person.id);
    const response = await unblock({ input: { personId: person.id } });
    setBusy(null);
    const outcome = outcomeOf(response.data?.unblockMember, response.error, 'BlockPayload');
    setMessage(
      outcome.ok
        ? { tone: 'success', text: `You unblocked ${person.name}.` }
        : { tone: 'error', text: outcome.message },
    );
    if (outcome.ok) refetch({ requestPolicy: 'network-only' });
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Blocked members</h1>
          <p className="page-header__lead">
            No direct messages between you, their mentions and notifications don’t reach you, and neither of you is
            suggested to the other. They are not told.
          </p>
        </div>
      </header>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      {result.error && !result.data ? (
        <Alert tone="error">{describeRequestError(result.error)}</Alert>
      ) : !result.data ? (
        <p className="loading">Loading…</p>
      ) : people.length === 0 ? (
        <p className="muted">You haven’t blocked anyone. You can block a member from their profile.</p>
      ) : (
        <section className="card" aria-label="People you blocked">
          <ul className="plain-list divided-list">
            {people.map(({ person, blockedAt }) => (
              <li key={person.id} className="list-row">
                <Avatar name={person.name} initials={person.initials} size="sm" />
                <div className="list-row__main">
                  <p className="list-row__title">
                    <Link to={personPath(person.id)}>{person.name}</Link>
                  </p>
                  <p className="list-row__meta">Blocked {formatDateTime(blockedAt)}</p>
                </div>
                <div className="list-row__actions">
                  <Button
                    size="sm"
                    variant="secondary"
                    busy={state.fetching && busy === person.id}
                    onClick={() => void doUnblock(person)}
                  >
                    Unblock {person.name}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
