import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { outcomeOf, type TypedError } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { ButtonLink } from '../../ui/button';
import { usePageTitle } from '../../ui/use-page-title';
import { EmailSettingsQuery, VerifyEmailMutation } from './email-documents';
import { EmailVerificationCard } from './email-verification-card';

// /verify-email?token=…: the link in the confirmation email. The token is checked for the signed-in
// member (RequireSignIn brings a signed-out visitor back here after signing in). Without a token the
// page shows the address and offers a new link.

type Phase = { status: 'verifying' } | { status: 'verified'; email: string } | { status: 'failed'; message: string };

// By the error's stable code, never its message text.
function failureMessage(error: TypedError): string {
  if (error.__typename === 'NotFoundError')
    return 'This link is not valid for the account you are signed in with. Check that you are signed in as the person the email was sent to.';
  switch (error.code) {
    case 'TOKEN_EXPIRED':
      return 'This link has expired. Ask for a new one below.';
    case 'TOKEN_USED':
      return 'This link was already used. Ask for a new one below if your address is still unconfirmed.';
    case 'EMAIL_CHANGED':
      return 'This link was sent to an address you no longer use. Ask for a new one below.';
    default:
      return error.message ?? 'That didn’t work. Try again.';
  }
}

export function VerifyEmailPage() {
  usePageTitle('Confirm your email address');
  const [params, setParams] = useSearchParams();
  const token = params.get('token');
  const [phase, setPhase] = useState<Phase | null>(token ? { status: 'verifying' } : null);
  const [, verify] = useMutation(VerifyEmailMutation);
  const [settings, refetch] = useQuery({ query: EmailSettingsQuery });
  // StrictMode runs effects twice in development: a token is sent once.
  const sent = useRef<string | null>(null);

  useEffect(() => {
    if (!token || sent.current === token) return;
    sent.current = token;
    setPhase({ status: 'verifying' });
    void verify({ input: { token } }).then((response) => {
      const outcome = outcomeOf(response.data?.verifyEmail, response.error, 'VerifyEmailPayload');
      if (outcome.ok) setPhase({ status: 'verified', email: outcome.value.viewer.email });
      else {
        const result = response.data?.verifyEmail;
        setPhase({
          status: 'failed',
          message: result ? failureMessage(result as TypedError) : outcome.message,
        });
      }
      refetch({ requestPolicy: 'network-only' });
      // The token has done its work; keep it out of the history and a reload.
      setParams({}, { replace: true });
    });
  }, [token, verify, refetch, setParams]);

  const viewer = settings.data?.viewer;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Confirm your email address</h1>
          <p className="page-header__lead">Your address stays private: other members never see it.</p>
        </div>
      </header>
      <div className="stack">
        {phase?.status === 'verifying' && <p className="loading">Confirming your address…</p>}
        {phase?.status === 'verified' && (
          <Alert
            tone="success"
            title="Your email address is confirmed"
            actions={
              <ButtonLink to="/groups" size="sm">
                Browse groups
              </ButtonLink>
            }
          >
            Thanks! {phase.email} is confirmed. Groups for your organisation can now admit you.
          </Alert>
        )}
        {phase?.status === 'failed' && (
          <Alert tone="error" title="We could not confirm your address">
            {phase.message}
          </Alert>
        )}
        {settings.error && <Alert tone="error">{describeRequestError(settings.error)}</Alert>}
        {viewer && phase?.status !== 'verifying' && phase?.status !== 'verified' && (
          <EmailVerificationCard email={viewer.email} verified={viewer.emailVerifiedAt !== null} />
        )}
        <p className="muted">
          Digest emails and other choices: <Link to="/settings/email">email settings</Link>.
        </p>
      </div>
    </div>
  );
}
