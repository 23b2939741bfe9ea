import { createContext, useCallback, useContext, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMutation, type CombinedError } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { formatDate, formatDateTime } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import { conversationPath } from '../chat/chat-types';
import { personPath } from '../people/person-link';
import {
  AcceptIntroductionMutation,
  AnswerIntroductionFollowUpMutation,
  DeclineIntroductionMutation,
  DeclineIntroductionRequestMutation,
  ForwardIntroductionMutation,
  IntroductionFields,
  LeaveIntroductionConversationMutation,
  WithdrawIntroductionMutation,
} from './documents';
import { describeIntroductionError, type Failure } from './errors';
import {
  FOLLOW_UP_ANSWERS,
  firstName,
  followUpWords,
  introductionPath,
  nextStep,
  stateWords,
  TONE_CLASS,
  type Introduction,
} from './labels';

const MAX_LENGTH = 1000;

type Feedback = { status: 'idle' } | { status: 'error'; failure: Failure };

// Any of the eight mutations: its payload is merged by graphcache, so the card re-renders from the cache
// (the state label, a live region, says what changed) and only a failure is kept here.
// Called after a step succeeds: the card puts focus back on its heading if the control that had it went away
// with the step (a submitted form, an answered question), so keyboard users are not dropped at the page's top.
const ActedContext = createContext<() => void>(() => {});

function useAct(introduction: Introduction) {
  const acted = useContext(ActedContext);
  const [feedback, setFeedback] = useState<Feedback>({ status: 'idle' });
  const [busy, setBusy] = useState<string | null>(null);
  async function act(
    name: string,
    field: string,
    run: () => Promise<{ data?: unknown; error?: CombinedError | undefined }>,
  ): Promise<boolean> {
    setBusy(name);
    setFeedback({ status: 'idle' });
    const response = await run();
    const data = response.data as Record<string, { __typename: string } | null | undefined> | undefined;
    const outcome = outcomeOf(data?.[field], response.error, 'IntroductionPayload');
    setBusy(null);
    if (outcome.ok) {
      acted();
      return true;
    }
    setFeedback({ status: 'error', failure: outcome });
    return false;
  }
  const message =
    feedback.status === 'error'
      ? describeIntroductionError(feedback.failure, {
          broker: introduction.broker.name,
          target: introduction.target.name,
        })
      : null;
  const fieldErrors = feedback.status === 'error' ? feedback.failure.fieldErrors : {};
  return { act, busy, message, fieldErrors };
}

function Title({ introduction, link }: { introduction: Introduction; link: boolean }) {
  const { requester, broker, target } = introduction;
  const name = (person: { id: string; name: string }) => <Link to={personPath(person.id)}>{person.name}</Link>;
  let words: ReactNode;
  switch (introduction.viewerRole) {
    case 'REQUESTER':
      words = (
        <>
          Meet {name(target)} through {name(broker)}
        </>
      );
      break;
    case 'BROKER':
      words = (
        <>
          {name(requester)} would like to meet {name(target)}
        </>
      );
      break;
    case 'TARGET':
      words = (
        <>
          {name(broker)} introduces {name(requester)}
        </>
      );
      break;
  }
  return (
    <>
      {words}
      {link && (
        <>
          {' '}
          <Link className="introduction-card__more" to={introductionPath(introduction.id)}>
            Details<span className="visually-hidden"> of this introduction</span>
          </Link>
        </>
      )}
    </>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd className="introduction-card__text">{children}</dd>
    </>
  );
}

function Facts({ introduction }: { introduction: Introduction }) {
  const role = introduction.viewerRole;
  const requester = firstName(introduction.requester.name);
  const broker = firstName(introduction.broker.name);
  const target = firstName(introduction.target.name);
  const presentationDiffers = introduction.presentation && introduction.presentation !== introduction.reason;
  return (
    <dl className="introduction-facts">
      {introduction.reason && <Fact term={role === 'REQUESTER' ? 'Your reason' : 'Why'}>{introduction.reason}</Fact>}
      {introduction.hopes && (
        <Fact term={role === 'REQUESTER' ? 'What you hope for' : `What ${requester} hopes for`}>
          {introduction.hopes}
        </Fact>
      )}
      {introduction.presentation && (role === 'TARGET' || presentationDiffers) && (
        <Fact
          term={role === 'TARGET' ? `About ${requester}` : role === 'BROKER' ? 'How you presented it' : 'As passed on'}
        >
          {introduction.presentation}
        </Fact>
      )}
      {introduction.brokerNote && (
        <Fact term={role === 'BROKER' ? 'Your note' : `${broker}’s note`}>{introduction.brokerNote}</Fact>
      )}
      {introduction.brokerMessage && (
        <Fact term={role === 'BROKER' ? `Your message to ${requester}` : `${broker}’s message`}>
          {introduction.brokerMessage}
        </Fact>
      )}
      {introduction.targetNote && (
        <Fact term={role === 'TARGET' ? 'Your note' : `${target}’s note`}>{introduction.targetNote}</Fact>
      )}
      <dt>Asked</dt>
      <dd>{formatDate(introduction.createdAt, { withYear: true })}</dd>
      {introduction.forwardedAt && (
        <>
          <dt>Passed on</dt>
          <dd>{formatDate(introduction.forwardedAt, { withYear: true })}</dd>
        </>
      )}
      {introduction.expiresAt && (introduction.state === 'REQUESTED' || introduction.state === 'FORWARDED') && (
        <>
          <dt>Expires</dt>
          <dd>{formatDateTime(introduction.expiresAt, { withYear: true })}</dd>
        </>
      )}
      {introduction.closedAt && (
        <>
          <dt>{introduction.state === 'ACCEPTED' ? 'Introduced' : 'Closed'}</dt>
          <dd>{formatDate(introduction.closedAt, { withYear: true })}</dd>
        </>
      )}
    </dl>
  );
}

// The broker's two answers: pass it on (a note for the target, and how the requester is presented,
// prefilled with their reason) or "not now" (an optional message for the requester).
function BrokerActions({ introduction }: { introduction: Introduction }) {
  const [mode, setMode] = useState<'forward' | 'decline' | null>(null);
  const [note, setNote] = useState('');
  const [presentation, setPresentation] = useState(introduction.presentation ?? introduction.reason ?? '');
  const [message, setMessage] = useState('');
  const [, forward] = useMutation(ForwardIntroductionMutation);
  const [, decline] = useMutation(DeclineIntroductionRequestMutation);
  const { act, busy, message: errorMessage, fieldErrors } = useAct(introduction);
  const formId = useId();
  const target = firstName(introduction.target.name);
  const requester = firstName(introduction.requester.name);

  async function onForward(event: FormEvent) {
    event.preventDefault();
    await act('forward', 'forwardIntroduction', () =>
      // Left empty, the server presents the requester in their own words.
      forward({
        input: {
          introductionId: introduction.id,
          note: note.trim(),
          ...(presentation.trim() ? { presentation: presentation.trim() } : {}),
        },
      }),
    );
  }
  async function onDecline(event: FormEvent) {
    event.preventDefault();
    const trimmed = message.trim();
    await act('decline', 'declineIntroductionRequest', () =>
      decline({ input: { introductionId: introduction.id, ...(trimmed ? { messageToRequester: trimmed } : {}) } }),
    );
  }

  return (
    <div className="introduction-actions">
      {errorMessage && <Alert tone="error">{errorMessage}</Alert>}
      {mode === null && (
        <div className="introduction-buttons">
          {introduction.viewerCanForward && <Button onClick={() => setMode('forward')}>Pass it on to {target}</Button>}
          {introduction.viewerCanDecline && (
            <Button variant="secondary" onClick={() => setMode('decline')}>
              Not now
            </Button>
          )}
        </div>
      )}
      {mode === 'forward' && (
        <form
          className="introduction-form"
          aria-labelledby={`${formId}-forward`}
          noValidate
          onSubmit={(event) => void onForward(event)}
        >
          <h3 className="introduction-form__title" id={`${formId}-forward`}>
            Pass it on to {target}
          </h3>
          <TextAreaField
            label={`Your note to ${target}`}
            hint={`Why you think they should meet. ${target} reads it first; it opens the conversation if they accept.`}
            value={note}
            maxLength={MAX_LENGTH}
            rows={3}
            required
            autoFocus
            onChange={(event) => setNote(event.target.value)}
            error={fieldErrors.note}
          />
          <TextAreaField
            label={`How ${requester} is presented`}
            hint={`${target} sees this instead of ${requester}’s own words. Edit it freely.`}
            value={presentation}
            maxLength={MAX_LENGTH}
            rows={3}
            onChange={(event) => setPresentation(event.target.value)}
            error={fieldErrors.presentation}
          />
          <div className="introduction-buttons">
            <Button type="submit" busy={busy === 'forward'}>
              Pass it on
            </Button>
            <Button variant="ghost" onClick={() => setMode(null)} disabled={busy !== null}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {mode === 'decline' && (
        <form
          className="introduction-form"
          aria-labelledby={`${formId}-decline`}
          noValidate
          onSubmit={(event) => void onDecline(event)}
        >
          <h3 className="introduction-form__title" id={`${formId}-decline`}>
            Not now
          </h3>
          <TextAreaField
            label={`Message to ${requester} (optional)`}
            hint={`${requester} is told “not now”. Add a word if you want to say why.`}
            value={message}
            maxLength={MAX_LENGTH}
            rows={3}
            autoFocus
            onChange={(event) => setMessage(event.target.value)}
            error={fieldErrors.messageToRequester}
          />
          <div className="introduction-buttons">
            <Button type="submit" busy={busy === 'decline'}>
              Send “not now”
            </Button>
            <Button variant="ghost" onClick={() => setMode(null)} disabled={busy !== null}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}

function TargetActions({ introduction }: { introduction: Introduction }) {
  const [note, setNote] = useState('');
  const [, accept] = useMutation(AcceptIntroductionMutation);
  const [, decline] = useMutation(DeclineIntroductionMutation);
  const { act, busy, message, fieldErrors } = useAct(introduction);
  const broker = firstName(introduction.broker.name);
  const requester = firstName(introduction.requester.name);
  const input = () => {
    const trimmed = note.trim();
    return { introductionId: introduction.id, ...(trimmed ? { note: trimmed } : {}) };
  };
  return (
    <div className="introduction-actions">
      {message && <Alert tone="error">{message}</Alert>}
      <TextAreaField
        label="Note (optional)"
        hint={`If you accept, ${requester} and ${broker} read it. If you decline, only ${broker} does.`}
        value={note}
        maxLength={MAX_LENGTH}
        rows={2}
        onChange={(event) => setNote(event.target.value)}
        error={fieldErrors.note}
      />
      <div className="introduction-buttons">
        {introduction.viewerCanAccept && (
          <Button
            busy={busy === 'accept'}
            disabled={busy !== null}
            onClick={() => void act('accept', 'acceptIntroduction', () => accept({ input: input() }))}
          >
            Accept the introduction
          </Button>
        )}
        {introduction.viewerCanDecline && (
          <Button
            variant="secondary"
            busy={busy === 'decline'}
            disabled={busy !== null}
            onClick={() => void act('decline', 'declineIntroduction', () => decline({ input: input() }))}
          >
            Decline
          </Button>
        )}
      </div>
    </div>
  );
}

function FollowUp({ introduction }: { introduction: Introduction }) {
  const [, answer] = useMutation(AnswerIntroductionFollowUpMutation);
  const { act, busy, message } = useAct(introduction);
  const other = introduction.viewerRole === 'REQUESTER' ? introduction.target.name : introduction.requester.name;
  const current =
    introduction.viewerRole === 'REQUESTER' ? introduction.requesterFollowUp : introduction.targetFollowUp;
  return (
    <div className="introduction-actions">
      <fieldset className="introduction-follow-up">
        <legend className="introduction-follow-up__question">Did you connect with {other}?</legend>
        {message && <Alert tone="error">{message}</Alert>}
        <div className="introduction-buttons">
          {FOLLOW_UP_ANSWERS.map((option) => (
            <Button
              key={option.value}
              size="sm"
              variant={current === option.value ? 'primary' : 'secondary'}
              aria-pressed={current === option.value}
              busy={busy === option.value}
              disabled={busy !== null}
              onClick={() =>
                void act(option.value, 'answerIntroductionFollowUp', () =>
                  answer({ input: { introductionId: introduction.id, answer: option.value } }),
                )
              }
            >
              {option.label}
            </Button>
          ))}
        </div>
        {introduction.viewerRole === 'REQUESTER' && (
          <p className="small muted">{firstName(introduction.broker.name)} sees your answer.</p>
        )}
      </fieldset>
    </div>
  );
}

function RequesterActions({ introduction }: { introduction: Introduction }) {
  const [, withdraw] = useMutation(WithdrawIntroductionMutation);
  const { act, busy, message } = useAct(introduction);
  return (
    <div className="introduction-actions">
      {message && <Alert tone="error">{message}</Alert>}
      <div className="introduction-buttons">
        <Button
          variant="secondary"
          busy={busy === 'withdraw'}
          onClick={() =>
            void act('withdraw', 'withdrawIntroduction', () => withdraw({ input: { introductionId: introduction.id } }))
          }
        >
          Withdraw request
        </Button>
      </div>
    </div>
  );
}

// Leaving cannot be undone, so it asks once more; the two keep talking without the broker.
function LeaveConversation({ introduction }: { introduction: Introduction }) {
  const [, leave] = useMutation(LeaveIntroductionConversationMutation);
  const { act, busy, message } = useAct(introduction);
  const [confirming, setConfirming] = useState(false);
  const requester = firstName(introduction.requester.name);
  const target = firstName(introduction.target.name);
  return (
    <div className="introduction-actions">
      {message && <Alert tone="error">{message}</Alert>}
      {confirming ? (
        <>
          <p className="introduction-card__confirm">
            Leave the conversation? {requester} and {target} keep talking; you can’t come back to it.
          </p>
          <div className="introduction-buttons">
            <Button
              size="sm"
              busy={busy === 'leave'}
              onClick={() =>
                void act('leave', 'leaveIntroductionConversation', () =>
                  leave({ input: { introductionId: introduction.id } }),
                )
              }
            >
              Leave it
            </Button>
            <Button variant="ghost" size="sm" disabled={busy !== null} onClick={() => setConfirming(false)}>
              Stay
            </Button>
          </div>
        </>
      ) : (
        <div>
          <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
            Leave the conversation
          </Button>
        </div>
      )}
    </div>
  );
}

export function IntroductionCard({
  introduction: masked,
  as = 'li',
  headingLevel = 2,
  linkToDetails = true,
}: {
  introduction: FragmentOf<typeof IntroductionFields>;
  as?: 'li' | 'article';
  headingLevel?: 2 | 3;
  linkToDetails?: boolean;
}) {
  const introduction = readFragment(IntroductionFields, masked);
  const titleId = useId();
  const words = stateWords(introduction);
  const next = nextStep(introduction);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingRef = useRef<HTMLHeadingElement>(null);
  const acted = useCallback(() => {
    // After the re-render the step causes: only when focus was lost with the removed control.
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      headingRef.current?.focus();
    });
  }, []);
  const Root = as;
  const role = introduction.viewerRole;
  const accepted = introduction.state === 'ACCEPTED';
  return (
    <ActedContext value={acted}>
      <Root className="card introduction-card" aria-labelledby={titleId}>
        <div className="introduction-card__header">
          <Heading className="introduction-card__title" id={titleId} ref={headingRef} tabIndex={-1}>
            <Title introduction={introduction} link={linkToDetails} />
          </Heading>
          {/* A live region: the label changing (live, or after an action here) is what tells the member. */}
          <span role="status" className={TONE_CLASS[words.tone]}>
            {words.label}
          </span>
        </div>
        {accepted && introduction.conversation && (
          <p className="introduction-card__conversation">
            <ButtonLink to={conversationPath(introduction.conversation.id)} size="sm">
              Open the conversation
            </ButtonLink>
          </p>
        )}
        {next && <p className="introduction-card__next">{next}</p>}
        <Facts introduction={introduction} />
        {role === 'BROKER' && accepted && (
          <p className="introduction-card__outcome">
            <strong>Did they connect?</strong> {firstName(introduction.requester.name)}:{' '}
            {followUpWords(introduction.requesterFollowUp)} · {firstName(introduction.target.name)}:{' '}
            {followUpWords(introduction.targetFollowUp)}
          </p>
        )}
        {role === 'BROKER' && (introduction.viewerCanForward || introduction.viewerCanDecline) && (
          <BrokerActions key={introduction.state} introduction={introduction} />
        )}
        {role === 'TARGET' && (introduction.viewerCanAccept || introduction.viewerCanDecline) && (
          <TargetActions introduction={introduction} />
        )}
        {role === 'REQUESTER' && introduction.viewerCanWithdraw && <RequesterActions introduction={introduction} />}
        {introduction.viewerCanAnswerFollowUp && <FollowUp introduction={introduction} />}
        {introduction.viewerCanLeaveConversation && <LeaveConversation introduction={introduction} />}
      </Root>
    </ActedContext>
  );
}
