import { useState } from 'react';
import { useMutation } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { BlockMemberMutation, UnblockMemberMutation } from './documents';
import { ReportDialog } from './report-dialog';

/** Block or unblock, and report, from a member's profile. Only you ever see that you blocked someone. */
export function PersonSafetyActions({ person }: { person: { id: string; name: string; viewerHasBlocked: boolean } }) {
  const [blockState, block] = useMutation(BlockMemberMutation);
  const [unblockState, unblock] = useMutation(UnblockMemberMutation);
  const [confirming, setConfirming] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  async function doBlock() {
    const response = await block({ input: { personId: person.id } });
    const outcome = outcomeOf(response.data?.blockMember, response.error, 'BlockPayload');
    setConfirming(false);
    setMessage(
      outcome.ok
        ? { tone: 'success', text: `You blocked ${person.name}. They are not told.` }
        : { tone: 'error', text: outcome.message },
    );
  }

  async function doUnblock() {
    const response = await unblock({ input: { personId: person.id } });
    const outcome = outcomeOf(response.data?.unblockMember, response.error, 'BlockPayload');
    setMessage(
      outcome.ok
        ? { tone: 'success', text: `You unblocked ${person.name}.` }
        : { tone: 'error', text: outcome.message },
    );
  }

  return (
    <section className="card safety-card" aria-labelledby="safety-title">
      <h2 className="card__title" id="safety-title">
        Safety
      </h2>
      {person.viewerHasBlocked ? (
        <p className="muted small">
          You blocked {person.name}: no direct messages between you, their mentions and notifications don’t reach you,
          and neither of you is suggested to the other.
        </p>
      ) : (
        <p className="muted small">
          Blocking stops their direct messages, mentions and notifications reaching you. They are not told.
        </p>
      )}
      {confirming ? (
        <fieldset className="safety-confirm" aria-label={`Confirm blocking ${person.name}`}>
          <p>Block {person.name}?</p>
          <div className="safety-dialog__actions">
            <Button variant="secondary" size="sm" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button size="sm" autoFocus busy={blockState.fetching} onClick={() => void doBlock()}>
              Block
            </Button>
          </div>
        </fieldset>
      ) : (
        <div className="safety-card__actions">
          {person.viewerHasBlocked ? (
            <Button variant="secondary" size="sm" busy={unblockState.fetching} onClick={() => void doUnblock()}>
              Unblock {person.name}
            </Button>
          ) : (
            <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
              Block {person.name}
            </Button>
          )}
          <Button variant="ghost" size="sm" onClick={() => setReporting(true)}>
            Report profile
          </Button>
        </div>
      )}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      {reporting && (
        <ReportDialog
          onClose={() => setReporting(false)}
          subjectId={person.id}
          title={`Report ${person.name}`}
          lead="Reports about a profile go to this Guildhall’s admins."
        />
      )}
    </section>
  );
}
