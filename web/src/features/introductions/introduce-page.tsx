import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment, type ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { Button, ButtonLink } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { IntroductionBrokersQuery, IntroductionPersonFields, RequestIntroductionMutation } from './documents';
import { describeIntroductionError } from './errors';
import { firstName, introductionPath, INTRODUCTIONS_PATH } from './labels';
import './introductions.css';

const MAX_LENGTH = 1000;

type Person = ResultOf<typeof IntroductionPersonFields>;
interface Broker {
  person: Person;
  reasons: readonly string[];
}

// /people/:id/introduce — ask someone you both know to introduce you: the suggested brokers (best first,
// each with why in words), the reason and what you hope for. When nobody can, the server's words say why.
export function IntroducePage() {
  const { id = '' } = useParams();
  const [result] = useQuery({
    query: IntroductionBrokersQuery,
    variables: { targetId: id },
    requestPolicy: 'cache-and-network',
  });
  const answer = result.data?.introductionBrokers;
  const target = answer?.target ? readFragment(IntroductionPersonFields, answer.target) : null;
  usePageTitle(target ? `Ask for an introduction to ${target.name}` : 'Ask for an introduction');

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!answer) return <p className="loading">Loading…</p>;
  if (!target) {
    return (
      <div className="page">
        <h1 className="page-header__title">Member not found</h1>
        <p className="muted">This member doesn’t exist or isn’t visible to you.</p>
        <p>
          <Link to="/people">Back to people</Link>
        </p>
      </div>
    );
  }
  const brokers: Broker[] = answer.brokers.map((broker) => ({
    person: readFragment(IntroductionPersonFields, broker.person),
    reasons: broker.reasons,
  }));
  return (
    <div className="page">
      <p className="eyebrow">
        <Link to={personPath(target.id)}>{target.name}</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Ask for an introduction to {target.name}</h1>
          <p className="page-header__lead">
            Someone you both know passes your request on, and {firstName(target.name)} decides whether to meet. Nobody
            is put in a conversation they didn’t agree to.
          </p>
        </div>
      </header>
      {answer.canAsk && brokers.length > 0 ? (
        <RequestForm target={target} brokers={brokers} />
      ) : (
        <section className="card introduction-nobody" aria-labelledby="nobody">
          <h2 className="introduction-section-title" id="nobody">
            Nobody can introduce you right now
          </h2>
          {/* The server's words: they say why without revealing anything private. */}
          <p>{answer.reason ?? `Nobody you know is connected to ${target.name} yet.`}</p>
          <p>
            <ButtonLink to={personPath(target.id)} variant="secondary">
              Back to {firstName(target.name)}’s profile
            </ButtonLink>
          </p>
        </section>
      )}
    </div>
  );
}

type State =
  | { status: 'idle' | 'sending' }
  | { status: 'error'; message: string; fields: Record<string, string>; code?: string | undefined };

function RequestForm({ target, brokers }: { target: Person; brokers: Broker[] }) {
  const navigate = useNavigate();
  const [brokerId, setBrokerId] = useState(brokers[0]?.person.id ?? '');
  const [reason, setReason] = useState('');
  const [hopes, setHopes] = useState('');
  const [state, setState] = useState<State>({ status: 'idle' });
  const [, send] = useMutation(RequestIntroductionMutation);
  const errorRef = useRef<HTMLDivElement>(null);
  const broker = brokers.find((entry) => entry.person.id === brokerId)?.person;

  function fail(message: string, fields: Record<string, string> = {}, code?: string) {
    setState({ status: 'error', message, fields, code });
    requestAnimationFrame(() => errorRef.current?.focus());
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!broker) return fail('Choose who should introduce you.', { brokerId: 'Choose who should introduce you.' });
    if (!reason.trim())
      return fail('Check the highlighted field.', { reason: `Say why you want to meet ${firstName(target.name)}.` });
    setState({ status: 'sending' });
    const response = await send({
      input: { brokerId: broker.id, targetId: target.id, reason: reason.trim(), hopes: hopes.trim() },
    });
    const outcome = outcomeOf(response.data?.requestIntroduction, response.error, 'IntroductionPayload');
    if (outcome.ok) {
      await navigate(introductionPath(outcome.value.introduction.id));
      return;
    }
    fail(
      describeIntroductionError(outcome, { broker: broker.name, target: target.name }),
      outcome.fieldErrors,
      outcome.code,
    );
  }

  const fields = state.status === 'error' ? state.fields : {};
  return (
    <form
      className="introduce-layout"
      aria-labelledby="introduce-form-title"
      noValidate
      onSubmit={(event) => void onSubmit(event)}
    >
      <h2 className="visually-hidden" id="introduce-form-title">
        Your request
      </h2>
      {state.status === 'error' && (
        <div ref={errorRef} tabIndex={-1} className="introduce-layout__error">
          <Alert tone="error">
            {state.message}
            {(state.code === 'ALREADY_REQUESTED' || state.code === 'TOO_MANY_PENDING') && (
              <>
                {' '}
                <Link to={INTRODUCTIONS_PATH}>Your introductions</Link>
              </>
            )}
          </Alert>
        </div>
      )}
      <fieldset className="card broker-choice" aria-describedby={fields.brokerId ? 'broker-error' : undefined}>
        <legend className="introduction-section-title">Who should introduce you?</legend>
        <p className="small muted">Best placed first. They see your reason and decide whether to pass it on.</p>
        <ul className="plain-list broker-choice__list">
          {brokers.map(({ person, reasons }) => (
            <li key={person.id}>
              <label className={person.id === brokerId ? 'broker-option broker-option--chosen' : 'broker-option'}>
                <input
                  type="radio"
                  name="broker"
                  value={person.id}
                  checked={person.id === brokerId}
                  onChange={() => setBrokerId(person.id)}
                />
                <Avatar name={person.name} initials={person.initials} size="sm" />
                <span className="broker-option__text">
                  <span className="broker-option__name">{person.name}</span>
                  {person.headline && <span className="broker-option__headline">{person.headline}</span>}
                  <span className="broker-option__reasons">
                    {reasons.map((reason) => (
                      // One reason a line; the hidden full stop keeps them apart when read aloud.
                      <span key={reason}>
                        {reason}
                        <span className="visually-hidden">.</span>
                      </span>
                    ))}
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        {fields.brokerId && (
          <p className="text-field__error" id="broker-error">
            {fields.brokerId}
          </p>
        )}
      </fieldset>
      <div className="card stack">
        <TextAreaField
          label={`Why you want to meet ${firstName(target.name)}`}
          hint={`${broker ? firstName(broker.name) : 'Your introducer'} reads this first, and may pass it on as it is or in their own words.`}
          value={reason}
          maxLength={MAX_LENGTH}
          rows={5}
          required
          onChange={(event) => setReason(event.target.value)}
          error={fields.reason}
        />
        <TextAreaField
          label="What you hope for (optional)"
          hint="A conversation, advice on a move, a look at your work… Only your introducer reads it."
          value={hopes}
          maxLength={MAX_LENGTH}
          rows={3}
          onChange={(event) => setHopes(event.target.value)}
          error={fields.hopes}
        />
        <div>
          <Button type="submit" busy={state.status === 'sending'}>
            {broker ? `Ask ${firstName(broker.name)} to introduce you` : 'Send request'}
          </Button>
        </div>
      </div>
    </form>
  );
}
