import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { nextParamFor } from '../features/accounts/safe-next';
import { useViewer } from '../features/accounts/use-viewer';

// Community pages are for signed-in members only: everyone else goes to sign in and comes back here.
export function RequireSignIn({ children }: { children: ReactNode }) {
  const viewer = useViewer();
  const location = useLocation();
  if (viewer.status === 'loading') return <p className="loading">Loading…</p>;
  if (viewer.status === 'signed-out')
    return <Navigate to={`/sign-in${nextParamFor(location.pathname, location.search)}`} replace />;
  return <>{children}</>;
}
