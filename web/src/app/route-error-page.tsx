import { isRouteErrorResponse, useRouteError } from 'react-router';
import { usePageTitle } from '../ui/use-page-title';
import '../ui/button.css';
import './status-page.css';

// Replaces React Router's developer-facing default, which would show a stack trace to members.
export function RouteErrorPage() {
  const error = useRouteError();
  usePageTitle('Something went wrong');
  if (import.meta.env.DEV) console.error(error);
  const status = isRouteErrorResponse(error) ? error.status : null;
  return (
    <main className="status-page status-page--standalone">
      {status && <p className="status-page__code">{status}</p>}
      <h1 className="status-page__title">Something went wrong</h1>
      <p className="status-page__body">This page hit an unexpected problem. Reloading usually helps.</p>
      {/* A plain link, not the router's: a full reload is the point. */}
      <a className="button button--primary button--md" href="/">
        Reload Guildhall
      </a>
    </main>
  );
}
