import { useState } from 'react';
import { useMutation } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { UnhideContentMutation } from './documents';
import './safety.css';

/**
 * A profile the admins hid (Person.standing, told only to the member and the admins): the member
 * reads why their words are gone; an admin can show it again, after a confirmation.
 */
export function ProfileStandingNotice({
  person,
  onChanged,
}: {
  person: { id: string; name: string; isViewer: boolean; standing: string | null };
  onChanged(): void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [state, unhide] = useMutation(UnhideContentMutation);
  if (person.standing !== 'HIDDEN') return null;
  if (person.isViewer) {
    return (
      <Alert tone="info" title="Your profile is hidden" className="safety-notice">
        This Guildhall’s admins hid your profile after a report: your headline, bio, skills and links are seen only by
        you and the admins, and nobody finds you by them. Your name and everything else stay as before.
      </Alert>
    );
  }

  async function show() {
    const response = await unhide({ input: { subjectId: person.id } });
    setConfirming(false);
    const outcome = outcomeOf(response.data?.unhideContent, response.error, 'ModerationPayload');
    if (!outcome.ok) {
      setError(outcome.message);
      return;
    }
    onChanged();
  }

  return (
    <Alert tone="info" title="Hidden by the admins" className="safety-notice">
      <p>Only {person.name} and this Guildhall’s admins see their headline, bio, skills and links.</p>
      {confirming ? (
        <fieldset className="safety-confirm" aria-label="Confirm: Show the profile again">
          <p>Show {person.name}’s profile again? Everyone sees it as they chose once more.</p>
          <div className="safety-dialog__actions">
            <Button variant="secondary" size="sm" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button size="sm" autoFocus busy={state.fetching} onClick={() => void show()}>
              Show the profile again
            </Button>
          </div>
        </fieldset>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
          Show the profile again
        </Button>
      )}
      {error && <p role="alert">{error}</p>}
    </Alert>
  );
}
