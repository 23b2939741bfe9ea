import { useRef, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { MentorCard } from './mentor-card';
import { REQUESTS_PATH } from './request-labels';
import { RequestFormQuery, RequestMentorshipMutation } from './requests.documents';
import './mentorship.css';

const MAX_LENGTH = 2000;

type State =
  | { status: 'idle' | 'sending' | 'sent' }
  | { status: 'error'; message: string; fields: Record<string, string> };

// /mentors/:personId/request — ask one mentor: their card beside a message and the goals you bring
// (prefilled from what you said you look for). Every refusal is shown where it belongs.
export function RequestMentorshipPage() {
  const { personId = '' } = useParams();
  // Found through a group's suggestions (a program's): the request is made in that group.
  const groupId = useSearchParams()[0].get('groupId');
  const [result] = useQuery({ query: RequestFormQuery, variables: { personId } });
  const node = result.data?.node;
  const person = node?.__typename === 'Person' ? node : null;
  usePageTitle(person ? `Ask ${person.name} to mentor you` : 'Request mentorship');

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!person?.mentorProfile) {
    return (
      <div className="page">
        <h1 className="page-header__title">No mentor here</h1>
        <p className="muted">This member doesn’t offer mentoring, or you can’t see their offer.</p>
        <p>
          <Link to="/mentors">Find a mentor</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page">
      <p className="eyebrow">
        <Link to={personPath(person.id)}>{person.name}</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Ask {person.name} to mentor you</h1>
          <p className="page-header__lead">
            Say who you are and what you want to reach. {person.name} can accept or decline; an unanswered request
            expires after two weeks.
          </p>
        </div>
      </header>
      <div className="mentorship-request-layout">
        <MentorCard profile={person.mentorProfile} name={person.name} />
        <RequestForm
          mentorId={person.id}
          mentorName={person.name}
          groupId={groupId}
          goals={result.data.viewer?.menteeNeeds?.goals ?? ''}
        />
      </div>
    </div>
  );
}

function RequestForm({
  mentorId,
  mentorName,
  groupId,
  goals: savedGoals,
}: {
  mentorId: string;
  mentorName: string;
  groupId: string | null;
  goals: string;
}) {
  const [message, setMessage] = useState('');
  const [goals, setGoals] = useState(savedGoals);
  const [state, setState] = useState<State>({ status: 'idle' });
  const [, send] = useMutation(RequestMentorshipMutation);
  const errorRef = useRef<HTMLDivElement>(null);
  const sentRef = useRef<HTMLDivElement>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ status: 'sending' });
    const response = await send({ input: { mentorId, message, goals, ...(groupId ? { groupId } : {}) } });
    const outcome = outcomeOf(response.data?.requestMentorship, response.error, 'MentorshipRequestPayload');
    if (outcome.ok) {
      setState({ status: 'sent' });
      requestAnimationFrame(() => sentRef.current?.focus());
    } else {
      setState({ status: 'error', message: outcome.message, fields: outcome.fieldErrors });
      requestAnimationFrame(() => errorRef.current?.focus());
    }
  }

  if (state.status === 'sent') {
    return (
      <div className="card stack" ref={sentRef} tabIndex={-1} role="status">
        <h2 className="section-title">Request sent</h2>
        <p>{mentorName} has been told. You’ll hear back here and in your notifications.</p>
        <p>
          <ButtonLink to={`${REQUESTS_PATH}?tab=sent`}>See your requests</ButtonLink>
        </p>
      </div>
    );
  }
  const fields = state.status === 'error' ? state.fields : {};
  return (
    <form className="card editor" aria-labelledby="request-title" noValidate onSubmit={(event) => void onSubmit(event)}>
      <h2 className="section-title" id="request-title">
        Your request
      </h2>
      {state.status === 'error' && (
        <div ref={errorRef} tabIndex={-1}>
          <Alert tone="error">{state.message}</Alert>
        </div>
      )}
      <TextAreaField
        label="Message"
        hint={`To ${mentorName}: who you are and why them.`}
        value={message}
        maxLength={MAX_LENGTH}
        rows={5}
        required
        onChange={(event) => setMessage(event.target.value)}
        error={fields.message}
      />
      <TextAreaField
        label="Your goals"
        hint="What you want to reach together. Filled in from what you’re looking for; change it freely."
        value={goals}
        maxLength={MAX_LENGTH}
        rows={4}
        required
        onChange={(event) => setGoals(event.target.value)}
        error={fields.goals}
      />
      {(fields.mentorId || fields.groupId) && <Alert tone="error">{fields.mentorId ?? fields.groupId}</Alert>}
      <div>
        <Button type="submit" busy={state.status === 'sending'}>
          Send request
        </Button>
      </div>
    </form>
  );
}
