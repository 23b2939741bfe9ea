import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { readFragment } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { usePageTitle } from '../../ui/use-page-title';
import { IntroductionFields, IntroductionQuery } from './documents';
import { IntroductionCard } from './introduction-card';
import { INTRODUCTIONS_PATH, ROLE_TABS } from './labels';
import './introductions.css';

// /introductions/:id — one introduction (where notifications and the conversation's opening card link).
// Someone who may not see it gets "not found", whatever the reason.
export function IntroductionPage() {
  const { id = '' } = useParams();
  const [result] = useQuery({ query: IntroductionQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const node = result.data?.node;
  const introduction = node?.__typename === 'Introduction' ? node : null;
  usePageTitle(introduction ? 'Introduction' : 'Introduction not found');

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!introduction) {
    return (
      <div className="page">
        <h1 className="page-header__title">Introduction not found</h1>
        <p className="muted">It doesn’t exist, or it isn’t yours to see.</p>
        <p>
          <Link to={INTRODUCTIONS_PATH}>Your introductions</Link>
        </p>
      </div>
    );
  }
  const { viewerRole } = readFragment(IntroductionFields, introduction);
  const tab = ROLE_TABS.find((entry) => entry.role === viewerRole) ?? ROLE_TABS[0]!;
  return (
    <div className="page introduction-page">
      <p className="eyebrow">
        <Link to={`${INTRODUCTIONS_PATH}${tab === ROLE_TABS[0] ? '' : `?tab=${tab.slug}`}`}>
          Introductions · {tab.label}
        </Link>
      </p>
      <h1 className="page-header__title">Introduction</h1>
      <IntroductionCard introduction={introduction} as="article" linkToDetails={false} />
    </div>
  );
}
