import { useLocation } from 'react-router';
import { ButtonLink } from '../ui/button';
import { usePageTitle } from '../ui/use-page-title';
import './status-page.css';

export function NotFoundPage() {
  usePageTitle('Page not found');
  const location = useLocation();
  return (
    <div className="status-page">
      <p className="status-page__code">404</p>
      <h1 className="status-page__title">Page not found</h1>
      <p className="status-page__body">
        There is no page at <code>{location.pathname}</code>. It may have moved, or the link may be mistyped.
      </p>
      <ButtonLink to="/">Go to the home page</ButtonLink>
    </div>
  );
}
