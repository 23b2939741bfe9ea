import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import { ReportContentMutation } from './documents';
import './safety.css';

const MAX_REASON = 1000;

const CODE_WORDS: Record<string, string> = {
  ALREADY_REPORTED: 'You already reported this. The moderators will look at it.',
};

/**
 * "Report …": the member says what is wrong, and it goes to the moderators who review it. A modal
 * <dialog>, open while mounted: the browser keeps focus inside, Escape closes it, and closing it
 * (dialog.close()) returns focus to the opener before onClose unmounts it.
 */
export function ReportDialog({
  onClose,
  subjectId,
  title,
  lead,
}: {
  onClose(): void;
  /** The global id of the message, person or group. */
  subjectId: string;
  /** e.g. "Report message", "Report Ben Okonkwo". */
  title: string;
  lead: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const pressedBackdrop = useRef(false);
  const titleId = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const [state, report] = useMutation(ReportContentMutation);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const close = () => dialog.current?.close();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = reason.trim();
    if (trimmed.length < 3) {
      setError('Say in a few words what is wrong.');
      return;
    }
    const response = await report({ input: { subjectId, reason: trimmed } });
    const outcome = outcomeOf(response.data?.reportContent, response.error, 'ReportPayload');
    if (outcome.ok) {
      setSent(true);
      return;
    }
    const result = response.data?.reportContent;
    const code = result && 'code' in result ? result.code : undefined;
    setError((code && CODE_WORDS[code]) || outcome.fieldErrors.reason || outcome.message);
  }

  return (
    <dialog
      ref={dialog}
      className="safety-dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      // A press that starts and ends on the backdrop (the dialog itself, outside its panel) closes it.
      onPointerDown={(event) => {
        pressedBackdrop.current = event.target === event.currentTarget;
      }}
      onPointerUp={(event) => {
        if (pressedBackdrop.current && event.target === event.currentTarget) close();
        pressedBackdrop.current = false;
      }}
    >
      <div className="safety-dialog__panel">
        <h2 id={titleId} className="safety-dialog__title">
          {title}
        </h2>
        {sent ? (
          <div className="stack">
            <Alert tone="success" title="Report sent">
              Thank you. The moderators will review it, and you will get a notification of the outcome. Nobody is told
              who reported it.
            </Alert>
            <div className="safety-dialog__actions">
              <Button autoFocus onClick={close}>
                Close
              </Button>
            </div>
          </div>
        ) : (
          <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
            <p className="muted">{lead}</p>
            <TextAreaField
              label="What’s wrong?"
              hint={`What the moderators should know (up to ${MAX_REASON} characters).`}
              value={reason}
              maxLength={MAX_REASON}
              required
              autoFocus
              error={error}
              onChange={(event) => setReason(event.target.value)}
            />
            <div className="safety-dialog__actions">
              <Button variant="secondary" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" busy={state.fetching}>
                Send report
              </Button>
            </div>
          </form>
        )}
      </div>
    </dialog>
  );
}
