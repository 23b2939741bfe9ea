import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Pager, useCursorStack } from '../../ui/pager';
import { usePageTitle } from '../../ui/use-page-title';
import { IntroductionsQuery } from './documents';
import { IntroductionCard } from './introduction-card';
import { ROLE_TABS } from './labels';
import './introductions.css';

const EMPTY: Record<string, string> = {
  REQUESTER: 'You haven’t asked for an introduction yet. Open a member’s profile and choose “Ask for an introduction”.',
  BROKER: 'Nobody has asked you to introduce them yet.',
  TARGET: 'Nobody has been introduced to you yet.',
};

// /introductions — the three sides of introductions, one tab each, newest first, with each one's state in
// plain words and what the viewer may do about it in place. Live through the session's introductionEvents.
export function IntroductionsPage() {
  usePageTitle('Introductions');
  const [params] = useSearchParams();
  const tab = ROLE_TABS.find((entry) => entry.slug === params.get('tab')) ?? ROLE_TABS[0]!;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Introductions</h1>
          <p className="page-header__lead">
            Someone you both know vets each request, and nobody is introduced without saying yes.
          </p>
        </div>
      </header>
      <nav className="tabs" aria-label="Which introductions">
        {ROLE_TABS.map((entry) => (
          <Link
            key={entry.slug}
            to={entry.slug === ROLE_TABS[0]!.slug ? '?' : `?tab=${entry.slug}`}
            aria-current={entry.slug === tab.slug ? 'page' : undefined}
          >
            {entry.label}
          </Link>
        ))}
      </nav>
      {/* Keyed by the tab: each keeps its own cursors. */}
      <IntroductionList key={tab.role} role={tab.role} label={tab.label} />
    </div>
  );
}

function IntroductionList({ role, label }: { role: (typeof ROLE_TABS)[number]['role']; label: string }) {
  const cursors = useCursorStack();
  const [result] = useQuery({
    query: IntroductionsQuery,
    variables: { role, after: cursors.after },
    requestPolicy: 'cache-and-network',
  });
  const connection = result.data?.introductions;
  if (result.error && !connection) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!connection) return <p className="loading">Loading…</p>;
  if (connection.edges.length === 0) {
    return (
      <div className="empty">
        <p>{EMPTY[role]}</p>
      </div>
    );
  }
  return (
    <>
      <ul className="plain-list introduction-list" aria-label={label}>
        {connection.edges.map(({ node }) => (
          <IntroductionCard key={node.id} introduction={node} />
        ))}
      </ul>
      <Pager
        hasPrevious={cursors.hasPrevious}
        hasNext={connection.pageInfo.hasNextPage}
        onPrevious={cursors.previous}
        onNext={() => cursors.next(connection.pageInfo.endCursor)}
        busy={result.fetching}
      />
    </>
  );
}
