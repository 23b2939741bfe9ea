import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { RadioGroup } from '../../ui/fields';
import { usePageTitle } from '../../ui/use-page-title';
import { EmailSettingsQuery, SetEmailDigestMutation } from './email-documents';
import { EmailVerificationCard } from './email-verification-card';

// /settings/email: the member's address (confirmed or not) and the digest choice. Which kinds of
// notification are emailed at once, or go into the digest, is chosen per kind on /notifications.

type Frequency = 'OFF' | 'DAILY' | 'WEEKLY';

const FREQUENCIES: ReadonlyArray<{ value: Frequency; label: string; hint?: string }> = [
  { value: 'OFF', label: 'No digest' },
  { value: 'DAILY', label: 'Daily', hint: 'every morning at 8:00' },
  { value: 'WEEKLY', label: 'Weekly', hint: 'Mondays at 8:00' },
];

export function EmailSettingsPage() {
  usePageTitle('Email settings');
  const [result] = useQuery({ query: EmailSettingsQuery });
  const [saving, setDigest] = useMutation(SetEmailDigestMutation);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const viewer = result.data?.viewer;

  async function choose(frequency: Frequency) {
    setNotice(null);
    const response = await setDigest({ input: { frequency } });
    const outcome = outcomeOf(response.data?.setEmailDigest, response.error, 'SetEmailDigestPayload');
    setNotice(
      outcome.ok
        ? { tone: 'success', text: frequency === 'OFF' ? 'No more digest emails.' : 'Saved.' }
        : { tone: 'error', text: outcome.message },
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Email settings</h1>
          <p className="page-header__lead">
            Which notifications are emailed at once is chosen per kind in your{' '}
            <Link to="/notifications">notification settings</Link>.
          </p>
        </div>
      </header>
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!viewer && !result.error && <p className="loading">Loading…</p>}
      {viewer && (
        <div className="stack">
          <EmailVerificationCard email={viewer.email} verified={viewer.emailVerifiedAt !== null} />
          <section className="card stack" aria-labelledby="digest-title">
            <h2 className="card__title" id="digest-title">
              Digest
            </h2>
            <p>
              One email with your unread notifications, at 8:00 in your time zone ({viewer.timeZone}). Nothing is sent
              when there is nothing new.
            </p>
            <RadioGroup
              legend="How often"
              name="email-digest"
              options={FREQUENCIES}
              value={viewer.emailDigest}
              onChange={(frequency) => void choose(frequency)}
            />
            {saving.fetching && <p className="muted">Saving…</p>}
            {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
          </section>
        </div>
      )}
    </div>
  );
}
