import { useCallback, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { formatDateTime } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { SelectField, TextAreaField } from '../../ui/fields';
import { usePageTitle } from '../../ui/use-page-title';
import { groupPath } from '../groups/labels';
import { REQUEST_STATUS } from './request-labels';
import { MentorshipRequestFields, ProgramPairingsQuery, ProposeMentorshipPairingMutation } from './requests.documents';
import { useMentorshipActivity } from './use-mentorship-activity';
import './mentorship.css';

// /groups/:slug/pairings — a program's owners and admins pair two members by hand. The pairing is a
// request both must accept; the admins see where it stands, never the mentorship it starts.
export function ProgramPairingsPage() {
  const { slug = '' } = useParams();
  const [result, refetch] = useQuery({
    query: ProgramPairingsQuery,
    variables: { slug },
    requestPolicy: 'cache-and-network',
  });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useMentorshipActivity(reload);
  const group = result.data?.group;
  usePageTitle(group ? `Pairings · ${group.name}` : 'Pairings');

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  const runs = group?.kind === 'PROGRAM' && (group.viewerRole === 'OWNER' || group.viewerRole === 'ADMIN');
  if (!group || !runs) {
    return (
      <div className="page">
        <h1 className="page-header__title">Pairings</h1>
        <p className="muted">Only the owners and admins of a program group pair its members.</p>
        {group && (
          <p>
            <Link to={groupPath(group.slug)}>Back to {group.name}</Link>
          </p>
        )}
      </div>
    );
  }
  const people = group.members.edges.map((edge) => edge.node.person);
  const mentors = people.filter((person) => person.mentorProfile);
  const pairings = group.mentorshipPairings.map((masked) => readFragment(MentorshipRequestFields, masked));
  return (
    <div className="page">
      <p className="eyebrow">
        <Link to={groupPath(group.slug)}>{group.name}</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Pair mentors and mentees</h1>
          <p className="page-header__lead">
            Propose a pairing between two members of {group.name}. Both are told; the mentorship starts once both
            accept. You see where each pairing stands, not the mentorship itself.
          </p>
        </div>
      </header>
      {mentors.length === 0 ? (
        <div className="empty">
          <p>No member of this program offers mentoring yet (or you can’t see their offer).</p>
        </div>
      ) : (
        <PairingForm groupId={group.id} mentors={mentors} people={people} onDone={reload} />
      )}
      <section className="stack" aria-labelledby="pairings-title">
        <h2 className="section-title" id="pairings-title">
          Pairings so far
        </h2>
        {pairings.length === 0 ? (
          <div className="empty">
            <p>No pairings proposed yet.</p>
          </div>
        ) : (
          <ul className="plain-list stack" aria-label="Pairings">
            {pairings.map((pairing) => (
              <li key={pairing.id} className="card mentorship-request">
                <div className="card__header">
                  <h3 className="card__title">
                    {pairing.mentor.name} mentoring {pairing.mentee.name}
                  </h3>
                  <span className={`tag ${REQUEST_STATUS[pairing.status].tone}`}>
                    {REQUEST_STATUS[pairing.status].label}
                  </span>
                </div>
                <p className="muted small">
                  Proposed by {pairing.proposedBy?.name ?? 'a former admin'} on{' '}
                  {formatDateTime(pairing.createdAt, { withYear: true })}
                  {pairing.status === 'PENDING' &&
                    ` · ${pairing.mentorAgreedAt ? 'the mentor agreed' : 'the mentor has not answered'}, ${
                      pairing.menteeAgreedAt ? 'the mentee agreed' : 'the mentee has not answered'
                    } · expires ${formatDateTime(pairing.expiresAt, { withYear: true })}`}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

interface Choice {
  id: string;
  name: string;
  isViewer: boolean;
}

function PairingForm({
  groupId,
  mentors,
  people,
  onDone,
}: {
  groupId: string;
  mentors: readonly Choice[];
  people: readonly Choice[];
  onDone: () => void;
}) {
  const [mentorId, setMentorId] = useState('');
  const [menteeId, setMenteeId] = useState('');
  const [note, setNote] = useState('');
  const [state, setState] = useState<{
    busy: boolean;
    message: string | null;
    fields: Record<string, string>;
    done: boolean;
  }>({
    busy: false,
    message: null,
    fields: {},
    done: false,
  });
  const [, propose] = useMutation(ProposeMentorshipPairingMutation);
  const resultRef = useRef<HTMLDivElement>(null);
  const option = (person: Choice) => ({
    value: person.id,
    label: person.isViewer ? `${person.name} (you)` : person.name,
  });

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const fields: Record<string, string> = {};
    if (!mentorId) fields.mentorId = 'Choose the mentor.';
    if (!menteeId) fields.menteeId = 'Choose the mentee.';
    if (Object.keys(fields).length > 0) {
      setState({ busy: false, message: 'Choose both members.', fields, done: false });
      return;
    }
    setState({ busy: true, message: null, fields: {}, done: false });
    const response = await propose({ input: { groupId, mentorId, menteeId, note } });
    const outcome = outcomeOf(response.data?.proposeMentorshipPairing, response.error, 'MentorshipRequestPayload');
    setState({
      busy: false,
      message: outcome.ok ? null : outcome.message,
      fields: outcome.ok ? {} : outcome.fieldErrors,
      done: outcome.ok,
    });
    if (outcome.ok) {
      setMentorId('');
      setMenteeId('');
      setNote('');
      onDone();
    }
    requestAnimationFrame(() => resultRef.current?.focus());
  }

  return (
    <form className="card editor" aria-labelledby="pair-title" noValidate onSubmit={(event) => void onSubmit(event)}>
      <h2 className="section-title" id="pair-title">
        Propose a pairing
      </h2>
      <div ref={resultRef} tabIndex={-1}>
        {state.message && <Alert tone="error">{state.message}</Alert>}
        {state.done && <Alert tone="success">Proposed. Both members were told.</Alert>}
      </div>
      <div className="agreement-form__row">
        <SelectField
          label="Mentor"
          value={mentorId}
          options={[{ value: '', label: 'Choose a mentor' }, ...mentors.map(option)]}
          onChange={(event) => setMentorId(event.target.value)}
          error={state.fields.mentorId}
        />
        <SelectField
          label="Mentee"
          value={menteeId}
          options={[
            { value: '', label: 'Choose a mentee' },
            ...people.filter((person) => person.id !== mentorId).map(option),
          ]}
          onChange={(event) => setMenteeId(event.target.value)}
          error={state.fields.menteeId}
        />
      </div>
      <TextAreaField
        label="Why these two"
        hint="Both read it with the proposal."
        value={note}
        maxLength={2000}
        rows={3}
        onChange={(event) => setNote(event.target.value)}
        error={state.fields.note}
      />
      <div>
        <Button type="submit" busy={state.busy}>
          Propose pairing
        </Button>
      </div>
    </form>
  );
}
