import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import type { ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { formatDateTime } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { RadioGroup, TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import {
  type CheckInFields,
  GiveCheckInFeedbackMutation,
  RecordCheckInMutation,
  UpdateCheckInMutation,
} from './goals.documents';

// Check-ins of one mentorship: record a session (shared notes, next steps, and a private note only
// its author ever sees), feedback both ways after each, and — when the latest feedback of either
// side says the pairing is not working — a way out: end it, or look for a new mentor.

type CheckIn = ResultOf<typeof CheckInFields>;

function localNow(): string {
  // <input type="datetime-local"> wants the viewer's wall clock, without a zone.
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

export function CheckInsPanel({
  mentorshipId,
  active,
  checkIns,
  mayEndForFit,
  onEnd,
  onChanged,
}: {
  mentorshipId: string;
  active: boolean;
  checkIns: readonly CheckIn[];
  mayEndForFit: boolean;
  onEnd: () => void;
  onChanged: () => void;
}) {
  const [recording, setRecording] = useState(false);
  return (
    <section className="card stack check-ins-panel" aria-labelledby="check-ins-title">
      <div className="card__header">
        <h2 className="card__title" id="check-ins-title">
          Check-ins
        </h2>
        {checkIns.length > 0 && <span className="tag">{checkIns.length}</span>}
      </div>
      {mayEndForFit && (
        <Alert
          tone="info"
          title="This pairing may not be working"
          actions={
            <div className="button-row">
              <Button size="sm" variant="secondary" onClick={onEnd}>
                End the mentorship
              </Button>
              <Link className="button button--ghost button--sm" to="/mentors">
                Find a new mentor
              </Link>
            </div>
          }
        >
          Recent feedback says the pairing isn’t working. That’s fine: either of you may end it with a short review, and
          the mentee can look for someone who fits better.
        </Alert>
      )}
      {checkIns.length === 0 && (
        <p className="muted">No check-ins yet. After each session, note what you discussed and what comes next.</p>
      )}
      {checkIns.length > 0 && (
        <ol className="check-in-list">
          {checkIns.map((checkIn) => (
            <CheckInItem key={checkIn.id} checkIn={checkIn} active={active} onChanged={onChanged} />
          ))}
        </ol>
      )}
      {active && !recording && (
        <div className="button-row">
          <Button variant="secondary" onClick={() => setRecording(true)}>
            Record a check-in
          </Button>
        </div>
      )}
      {active && recording && (
        <RecordCheckInForm
          mentorshipId={mentorshipId}
          onCancel={() => setRecording(false)}
          onDone={() => {
            setRecording(false);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

function PrivateNoteLabel() {
  return (
    <>
      Private note <span className="private-badge">Only you see this</span>
    </>
  );
}

function RecordCheckInForm({
  mentorshipId,
  onCancel,
  onDone,
}: {
  mentorshipId: string;
  onCancel: () => void;
  onDone: () => void;
}) {
  const [heldAt, setHeldAt] = useState(localNow);
  const [sharedNotes, setSharedNotes] = useState('');
  const [nextSteps, setNextSteps] = useState('');
  const [privateNote, setPrivateNote] = useState('');
  const [state, setState] = useState<{ busy: boolean; message: string | null; fields: Record<string, string> }>({
    busy: false,
    message: null,
    fields: {},
  });
  const [, record] = useMutation(RecordCheckInMutation);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const when = new Date(heldAt);
    if (Number.isNaN(when.getTime())) {
      setState({ busy: false, message: null, fields: { heldAt: 'Say when it was held.' } });
      return;
    }
    setState({ busy: true, message: null, fields: {} });
    const response = await record({
      input: { mentorshipId, heldAt: when.toISOString(), sharedNotes, nextSteps, privateNote: privateNote || null },
    });
    const outcome = outcomeOf(response.data?.recordCheckIn, response.error, 'CheckInPayload');
    if (outcome.ok) onDone();
    else setState({ busy: false, message: outcome.message, fields: outcome.fieldErrors });
  }

  return (
    <form className="editor" aria-label="Record a check-in" noValidate onSubmit={(event) => void onSubmit(event)}>
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <TextField
        label="Held at"
        type="datetime-local"
        value={heldAt}
        onChange={(e) => setHeldAt(e.target.value)}
        error={state.fields.heldAt}
      />
      <TextAreaField
        label="Shared notes"
        hint="Both of you see these."
        value={sharedNotes}
        rows={3}
        maxLength={5000}
        onChange={(e) => setSharedNotes(e.target.value)}
        error={state.fields.sharedNotes}
      />
      <TextAreaField
        label="Next steps"
        value={nextSteps}
        rows={2}
        maxLength={2000}
        onChange={(e) => setNextSteps(e.target.value)}
        error={state.fields.nextSteps}
      />
      <div className="private-note">
        <TextAreaField
          label="Private note — only you see this"
          hint="Never shown to the other side, to admins, in notifications or in search."
          value={privateNote}
          rows={2}
          maxLength={5000}
          onChange={(e) => setPrivateNote(e.target.value)}
          error={state.fields.privateNote}
        />
      </div>
      <div className="button-row">
        <Button type="submit" busy={state.busy}>
          Save check-in
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={state.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function CheckInItem({ checkIn, active, onChanged }: { checkIn: CheckIn; active: boolean; onChanged: () => void }) {
  const [editingNote, setEditingNote] = useState(false);
  const [giving, setGiving] = useState(false);
  return (
    <li className="check-in" data-check-in-id={checkIn.id}>
      <p className="check-in__when">
        <strong>{formatDateTime(checkIn.heldAt, { withYear: true })}</strong>
        <span className="muted small"> · recorded by {checkIn.createdBy?.name ?? 'a former member'}</span>
      </p>
      {checkIn.sharedNotes && <p className="prewrap">{checkIn.sharedNotes}</p>}
      {checkIn.nextSteps && (
        <p className="prewrap">
          <strong>Next steps:</strong> {checkIn.nextSteps}
        </p>
      )}
      <div className="private-note">
        <p className="small">
          <PrivateNoteLabel />
        </p>
        {editingNote ? (
          <PrivateNoteForm
            checkIn={checkIn}
            onDone={() => {
              setEditingNote(false);
              onChanged();
            }}
            onCancel={() => setEditingNote(false)}
          />
        ) : (
          <p className="prewrap small">
            {checkIn.privateNote ?? <span className="muted">No private note.</span>}{' '}
            {/* Notes are written while the mentorship runs; after the end they are kept as they were. */}
            {active && (
              <button type="button" className="text-button" onClick={() => setEditingNote(true)}>
                {checkIn.privateNote ? 'Edit' : 'Add one'}
              </button>
            )}
          </p>
        )}
      </div>
      {checkIn.feedback.length > 0 && (
        <ul className="feedback-list">
          {checkIn.feedback.map((feedback) => (
            <li key={`${feedback.author?.id ?? 'gone'}-${feedback.createdAt}`} className="feedback">
              <strong>
                {feedback.byViewer ? 'Your feedback' : `${feedback.author?.name ?? 'A former member'}’s feedback`}
              </strong>
              :{' '}
              <span aria-hidden="true">
                {'★'.repeat(feedback.rating)}
                {'☆'.repeat(5 - feedback.rating)}
              </span>
              <span className="visually-hidden">{feedback.rating} out of 5</span>
              {' · '}
              {feedback.pairingWorking ? 'the pairing is working' : 'the pairing is not working'}
              {feedback.words && <span className="prewrap"> — {feedback.words}</span>}
            </li>
          ))}
        </ul>
      )}
      {checkIn.viewerMayGiveFeedback &&
        (giving ? (
          <FeedbackForm
            checkInId={checkIn.id}
            onCancel={() => setGiving(false)}
            onDone={() => {
              setGiving(false);
              onChanged();
            }}
          />
        ) : (
          <div className="button-row">
            <Button size="sm" variant="secondary" onClick={() => setGiving(true)}>
              Give feedback
            </Button>
          </div>
        ))}
    </li>
  );
}

function PrivateNoteForm({
  checkIn,
  onDone,
  onCancel,
}: {
  checkIn: CheckIn;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [note, setNote] = useState(checkIn.privateNote ?? '');
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const [, update] = useMutation(UpdateCheckInMutation);
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, message: null });
    const response = await update({ input: { checkInId: checkIn.id, privateNote: note } });
    const outcome = outcomeOf(response.data?.updateCheckIn, response.error, 'CheckInPayload');
    if (outcome.ok) onDone();
    else setState({ busy: false, message: outcome.message });
  }
  return (
    <form
      className="stack stack--tight"
      aria-label="Your private note"
      noValidate
      onSubmit={(event) => void onSubmit(event)}
    >
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <TextAreaField
        label="Private note — only you see this"
        hint="Leave it empty to remove it."
        value={note}
        rows={2}
        maxLength={5000}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="button-row">
        <Button size="sm" type="submit" busy={state.busy}>
          Save note
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={state.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function FeedbackForm({
  checkInId,
  onCancel,
  onDone,
}: {
  checkInId: string;
  onCancel: () => void;
  onDone: () => void;
}) {
  const [rating, setRating] = useState<'1' | '2' | '3' | '4' | '5'>('4');
  const [words, setWords] = useState('');
  const [working, setWorking] = useState<'yes' | 'no'>('yes');
  const [state, setState] = useState<{ busy: boolean; message: string | null; fields: Record<string, string> }>({
    busy: false,
    message: null,
    fields: {},
  });
  const [, give] = useMutation(GiveCheckInFeedbackMutation);
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, message: null, fields: {} });
    const response = await give({
      input: { checkInId, rating: Number(rating), words, pairingWorking: working === 'yes' },
    });
    const outcome = outcomeOf(response.data?.giveCheckInFeedback, response.error, 'CheckInPayload');
    if (outcome.ok) onDone();
    else setState({ busy: false, message: outcome.message, fields: outcome.fieldErrors });
  }
  return (
    <form
      className="editor"
      aria-label="Feedback on this check-in"
      noValidate
      onSubmit={(event) => void onSubmit(event)}
    >
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <p className="small muted">The other side sees your feedback. You give it once per check-in.</p>
      <RadioGroup<'1' | '2' | '3' | '4' | '5'>
        legend="How was it? (1–5)"
        name={`rating-${checkInId}`}
        value={rating}
        options={(['1', '2', '3', '4', '5'] as const).map((value) => ({ value, label: value }))}
        onChange={setRating}
      />
      <RadioGroup<'yes' | 'no'>
        legend="Is this pairing working?"
        name={`working-${checkInId}`}
        value={working}
        options={[
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'Not really' },
        ]}
        onChange={setWorking}
      />
      <TextAreaField
        label="In your words (optional)"
        value={words}
        rows={2}
        maxLength={2000}
        onChange={(e) => setWords(e.target.value)}
        error={state.fields.words}
      />
      <div className="button-row">
        <Button type="submit" busy={state.busy}>
          Send feedback
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={state.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
