import { useState } from 'react';
import { useMutation } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { RequestEmailVerificationMutation } from './email-documents';

// Whether the member's address is confirmed, and the button that emails a confirmation link.
// Groups for an organisation (PROGRAM groups with an email domain) admit only confirmed addresses.

export function EmailVerificationCard({ email, verified }: { email: string; verified: boolean }) {
  const [state, request] = useMutation(RequestEmailVerificationMutation);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  async function send() {
    setNotice(null);
    const response = await request({});
    const outcome = outcomeOf(
      response.data?.requestEmailVerification,
      response.error,
      'RequestEmailVerificationPayload',
    );
    if (!outcome.ok) return setNotice({ tone: 'error', text: outcome.message });
    setNotice(
      outcome.value.sent
        ? { tone: 'success', text: `We sent a link to ${email}. Open it within 48 hours to confirm your address.` }
        : { tone: 'success', text: `${email} is already confirmed.` },
    );
  }

  return (
    <section className="card stack" aria-labelledby="email-address-title">
      <h2 className="card__title" id="email-address-title">
        Your address
      </h2>
      {verified ? (
        <p>
          <strong>{email}</strong> is confirmed.
        </p>
      ) : (
        <>
          <p>
            <strong>{email}</strong> is not confirmed yet. Groups for an organisation admit only members whose address
            at that organisation is confirmed.
          </p>
          <div className="row">
            <Button onClick={() => void send()} busy={state.fetching}>
              Email me a confirmation link
            </Button>
          </div>
        </>
      )}
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
    </section>
  );
}
