import { useEffect, useEffectEvent } from 'react';
import { useSubscription } from 'urql';
import { useSessionChanged } from '../../app/api-provider';
import { ViewerSessionRevokedSubscription } from './documents';

// While signed in, listen for the server revoking this session (signed out elsewhere, password changed…)
// and treat the member as signed out at once instead of at their next failing request.
export function useSessionRevocation(signedIn: boolean, onRevoked: () => void): void {
  const sessionChanged = useSessionChanged();
  const [result] = useSubscription({ query: ViewerSessionRevokedSubscription, pause: !signedIn });
  const revoked = result.data?.viewerSessionRevoked ?? null;

  // An effect event, so a new onRevoked identity on re-render does not count as a second revocation.
  const handleRevoked = useEffectEvent(() => {
    onRevoked();
    void sessionChanged();
  });

  useEffect(() => {
    if (revoked) handleRevoked();
  }, [revoked]);
}
