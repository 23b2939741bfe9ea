import { useEffect, useRef, useState, type RefObject } from 'react';
import { Link, Outlet, ScrollRestoration, useLocation, useMatches, useNavigate } from 'react-router';
import { MemberMenu } from '../features/accounts/member-menu';
import { nextParamFor } from '../features/accounts/safe-next';
import { useSessionRevocation } from '../features/accounts/use-session-revocation';
import { useSignOut } from '../features/accounts/use-sign-out';
import { useViewer, type ViewerState } from '../features/accounts/use-viewer';
import { NotificationBell } from '../features/notifications/notification-bell';
import { Alert } from '../ui/alert';
import { Button, ButtonLink } from '../ui/button';
import { MainNav } from './main-nav';
import '../ui/surface.css';
import './app-layout.css';

// A route's `handle`: "fill" pages (chat) take the window's height below the header and scroll inside.
export interface RouteLayout {
  layout?: 'fill';
}

function useFillLayout(): boolean {
  return useMatches().some((match) => (match.handle as RouteLayout | undefined)?.layout === 'fill');
}

function Brand() {
  return (
    <Link to="/" className="brand">
      <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="currentColor" />
        <path d="M7 14 16 7l9 7v1H7zM9 16h3v8H9zM14.5 16h3v8h-3zM20 16h3v8h-3zM7 25h18v2H7z" fill="#fff" />
      </svg>
      <span className="brand__name">Guildhall</span>
    </Link>
  );
}

// After a client-side navigation, move focus to the new page's heading so keyboard and screen-reader users
// start at the content (a full page load would have reset focus; a SPA has to do it itself).
function useFocusHeadingOnNavigate(main: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  // The path whose heading has focus (or that the page loaded on): only a change of it moves focus.
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    const target = main.current?.querySelector<HTMLElement>('h1') ?? main.current;
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  }, [pathname, main]);
}

function AccountArea({
  viewer,
  signingOut,
  onSignOut,
}: {
  viewer: ViewerState;
  signingOut: boolean;
  onSignOut(): void;
}) {
  const location = useLocation();
  switch (viewer.status) {
    case 'loading':
      // Reserve the space so the header does not jump when the answer arrives.
      return <span className="account-placeholder" aria-hidden="true" />;
    case 'signed-in':
      return (
        <div className="account-links">
          <NotificationBell />
          <MemberMenu viewer={viewer.viewer} signingOut={signingOut} onSignOut={onSignOut} />
        </div>
      );
    case 'signed-out': {
      // The sign-in and sign-up pages link to each other themselves; repeating that here only adds noise.
      if (location.pathname === '/sign-in' || location.pathname === '/sign-up') return null;
      const next = nextParamFor(location.pathname, location.search);
      return (
        <div className="account-links">
          <ButtonLink to={`/sign-in${next}`} variant="ghost" size="sm">
            Sign in
          </ButtonLink>
          <ButtonLink to={`/sign-up${next}`} size="sm">
            Create account
          </ButtonLink>
        </div>
      );
    }
  }
}

export function AppLayout() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const main = useRef<HTMLElement>(null);
  const { signOut, signingOut, error: signOutError, dismissError } = useSignOut();
  const [revoked, setRevoked] = useState(false);
  const fill = useFillLayout();
  useFocusHeadingOnNavigate(main);
  // Paused while this tab signs out itself: the server revokes that session too, and telling the member
  // "you were signed out elsewhere" would be wrong.
  useSessionRevocation(viewer.status === 'signed-in' && !signingOut, () => setRevoked(true));

  // A new sign-in makes an earlier "you were signed out" notice stale.
  const signedIn = viewer.status === 'signed-in';
  useEffect(() => {
    if (signedIn) setRevoked(false);
  }, [signedIn]);

  async function handleSignOut() {
    if (await signOut()) await navigate('/');
  }

  return (
    <div className={fill ? 'app app--fill' : 'app'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Brand />
          <MainNav signedIn={viewer.status === 'signed-in'} />
          <div className="app-header__account">
            <AccountArea viewer={viewer} signingOut={signingOut} onSignOut={() => void handleSignOut()} />
          </div>
        </div>
      </header>

      <div className="app-notices">
        {viewer.status === 'signed-out' && viewer.unreachable && (
          <Alert
            tone="info"
            className="app-notice"
            actions={
              <Button variant="secondary" size="sm" busy={viewer.retrying} onClick={viewer.retry}>
                Try again
              </Button>
            }
          >
            Can’t reach Guildhall’s server right now, so you’re browsing signed out.
          </Alert>
        )}
        {revoked && viewer.status === 'signed-out' && (
          <Alert
            tone="info"
            className="app-notice"
            actions={
              <Button variant="secondary" size="sm" onClick={() => setRevoked(false)}>
                Dismiss
              </Button>
            }
          >
            You’ve been signed out because this session ended, for example after signing out on another device.
          </Alert>
        )}
        {signOutError && (
          <Alert
            tone="error"
            className="app-notice"
            actions={
              <Button variant="secondary" size="sm" onClick={dismissError}>
                Dismiss
              </Button>
            }
          >
            {signOutError}
          </Alert>
        )}
      </div>

      <main id="main" ref={main} className={fill ? 'app-main app-main--fill' : 'app-main'} tabIndex={-1}>
        <Outlet />
      </main>

      {!fill && (
        <footer className="app-footer">
          <p>Guildhall is an open, self-hostable community platform for IT careers.</p>
        </footer>
      )}
      <ScrollRestoration />
    </div>
  );
}
