import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import type { ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { formatDate } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { RadioGroup, TextAreaField } from '../../ui/fields';
import { EndMentorshipMutation, type RelationshipQuery, ReviewMentorshipMutation } from './goals.documents';
import { RelationshipDialog } from './relationship-dialog';

// The end of a mentorship: either side ends it with an exit review (what went well, the outcome,
// would you recommend it); the other side is told and adds theirs; both see both reviews.

type Relationship = Extract<NonNullable<ResultOf<typeof RelationshipQuery>['node']>, { __typename: 'Mentorship' }>;
type Review = Relationship['reviews'][number];
type Outcome = 'GOALS_MET' | 'PARTLY_MET' | 'NOT_MET' | 'ENDED_EARLY';

const OUTCOMES: ReadonlyArray<{ value: Outcome; label: string }> = [
  { value: 'GOALS_MET', label: 'Goals met' },
  { value: 'PARTLY_MET', label: 'Partly met' },
  { value: 'NOT_MET', label: 'Not met' },
  { value: 'ENDED_EARLY', label: 'Ended early' },
];
const outcomeLabel = (value: string) => OUTCOMES.find((outcome) => outcome.value === value)?.label ?? value;

export function EndingPanel({
  mentorship,
  ending,
  onEnding,
  onChanged,
}: {
  mentorship: Relationship;
  /** The end dialog is open (also opened from the check-ins' "not working" offer). */
  ending: boolean;
  onEnding: (open: boolean) => void;
  onChanged: () => void;
}) {
  const active = mentorship.status === 'ACTIVE';
  return (
    <section className="card stack ending-panel" aria-labelledby="ending-title">
      <h2 className="card__title" id="ending-title">
        {active ? 'Ending' : 'How it ended'}
      </h2>
      {active ? (
        <>
          <p className="muted">
            When it has run its course (or isn’t working), either of you may end it with a short review. The
            conversation stays readable afterwards.
          </p>
          <div className="button-row">
            <Button variant="secondary" onClick={() => onEnding(true)}>
              End the mentorship…
            </Button>
          </div>
        </>
      ) : (
        <>
          <p>
            Ended {mentorship.endedAt && formatDate(mentorship.endedAt, { withYear: true })} by{' '}
            {mentorship.endedBy?.name ?? 'a former member'}.
          </p>
          {mentorship.reviews.length === 0 && <p className="muted">No reviews yet.</p>}
          <ul className="review-list">
            {mentorship.reviews.map((review) => (
              <ReviewItem key={`${review.author?.id ?? 'gone'}-${review.createdAt}`} review={review} />
            ))}
          </ul>
          {mentorship.viewerMayReview && <ReviewForm mentorshipId={mentorship.id} mode="review" onDone={onChanged} />}
          {mentorship.viewerRole === 'MENTEE' && (
            <p>
              <Link to="/mentors">Find a new mentor</Link>
            </p>
          )}
        </>
      )}
      {active && ending && (
        <RelationshipDialog title="End this mentorship" onClose={() => onEnding(false)}>
          <ReviewForm
            mentorshipId={mentorship.id}
            mode="end"
            onCancel={() => onEnding(false)}
            onDone={() => {
              onEnding(false);
              onChanged();
            }}
          />
        </RelationshipDialog>
      )}
    </section>
  );
}

function ReviewItem({ review }: { review: Review }) {
  return (
    <li className="review">
      <p className="review__who">
        <strong>{review.byViewer ? 'Your review' : `${review.author?.name ?? 'A former member'}’s review`}</strong>
        <span className="muted small">
          {' '}
          · {outcomeLabel(review.outcome)} · {review.wouldRecommend ? 'would recommend' : 'would not recommend'}
        </span>
      </p>
      <p className="prewrap">{review.wentWell}</p>
    </li>
  );
}

function ReviewForm({
  mentorshipId,
  mode,
  onCancel,
  onDone,
}: {
  mentorshipId: string;
  mode: 'end' | 'review';
  onCancel?: () => void;
  onDone: () => void;
}) {
  const [wentWell, setWentWell] = useState('');
  const [outcome, setOutcome] = useState<Outcome>('GOALS_MET');
  const [recommend, setRecommend] = useState<'yes' | 'no'>('yes');
  const [state, setState] = useState<{ busy: boolean; message: string | null; fields: Record<string, string> }>({
    busy: false,
    message: null,
    fields: {},
  });
  const [, end] = useMutation(EndMentorshipMutation);
  const [, review] = useMutation(ReviewMentorshipMutation);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, message: null, fields: {} });
    const input = { mentorshipId, review: { wentWell, outcome, wouldRecommend: recommend === 'yes' } };
    const result =
      mode === 'end'
        ? await end({ input }).then((r) => outcomeOf(r.data?.endMentorship, r.error, 'EndedMentorshipPayload'))
        : await review({ input }).then((r) => outcomeOf(r.data?.reviewMentorship, r.error, 'EndedMentorshipPayload'));
    if (result.ok) onDone();
    else setState({ busy: false, message: result.message, fields: result.fieldErrors });
  }

  return (
    <form
      className="stack"
      aria-label={mode === 'end' ? 'Exit review' : 'Your review'}
      noValidate
      onSubmit={(event) => void onSubmit(event)}
    >
      {mode === 'end' && (
        <p className="muted">
          Your review is shown to the other side, who is told and can add theirs. This cannot be undone.
        </p>
      )}
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <TextAreaField
        label="What went well"
        value={wentWell}
        rows={3}
        maxLength={2000}
        onChange={(e) => setWentWell(e.target.value)}
        error={state.fields.wentWell}
      />
      <RadioGroup<Outcome>
        legend="Outcome"
        name={`outcome-${mode}`}
        value={outcome}
        options={OUTCOMES}
        onChange={setOutcome}
      />
      <RadioGroup<'yes' | 'no'>
        legend="Would you recommend this mentorship?"
        name={`recommend-${mode}`}
        value={recommend}
        options={[
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ]}
        onChange={setRecommend}
      />
      <div className="button-row">
        <Button type="submit" busy={state.busy}>
          {mode === 'end' ? 'End mentorship' : 'Add my review'}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel} disabled={state.busy}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
