import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMutation } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { usePageTitle } from '../../ui/use-page-title';
import { AcceptInviteMutation } from './documents';
import { groupPath } from './labels';
import './groups.css';

export function AcceptInvitePage() {
  usePageTitle('Group invite');
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [, accept] = useMutation(AcceptInviteMutation);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onAccept() {
    setBusy(true);
    setError(null);
    const response = await accept({ input: { token } });
    setBusy(false);
    const outcome = outcomeOf(response.data?.acceptInvite, response.error, 'GroupPayload');
    if (outcome.ok) await navigate(groupPath(outcome.value.group.slug), { replace: true });
    else setError(outcome.message);
  }

  return (
    <div className="auth-page" style={{ display: 'flex', justifyContent: 'center' }}>
      <div className="card stack" style={{ maxWidth: '30rem', width: '100%' }}>
        <h1 className="page-header__title">You’ve been invited to a group</h1>
        <p className="muted">Accept to join it now. You can leave at any time.</p>
        {error && <Alert tone="error">{error}</Alert>}
        <div className="row">
          <Button busy={busy} onClick={() => void onAccept()}>
            Accept invite
          </Button>
          <ButtonLink to="/groups" variant="ghost">
            Not now
          </ButtonLink>
        </div>
      </div>
    </div>
  );
}
