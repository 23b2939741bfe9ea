import { lazy, Suspense, useCallback } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { formatDate } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { AgreementPanel } from './agreement-panel';
import { RelationshipPanels } from './relationship-panels';
import { SessionsPanel } from './sessions-panel';
import { MentorshipQuery } from './requests.documents';
import { useMentorshipActivity } from './use-mentorship-activity';
import './mentorship.css';

// The conversation is the chat's own view, loaded with this page only (the chat is the largest feature).
const MentorshipConversation = lazy(() => import('./mentorship-conversation'));

// /mentorships/:id — one mentorship: the agreement (and the goals and check-ins panels) beside the
// pair's conversation. Only its two members see it. Live through mentorshipActivity.
export function MentorshipPage() {
  const { id = '' } = useParams();
  const [result, refetch] = useQuery({ query: MentorshipQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useMentorshipActivity(reload);
  const node = result.data?.node;
  const mentorship = node?.__typename === 'Mentorship' ? node : null;
  const partnerName = mentorship?.partner?.name ?? 'a former member';
  usePageTitle(mentorship ? `Mentorship with ${partnerName}` : 'Mentorship');

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!mentorship) {
    return (
      <div className="page">
        <h1 className="page-header__title">Mentorship not found</h1>
        <p className="muted">It doesn’t exist, or it isn’t yours: only the mentor and the mentee see a mentorship.</p>
        <p>
          <Link to="/mentorships">Back to my mentorships</Link>
        </p>
      </div>
    );
  }
  const viewer = result.data.viewer?.person;
  const active = mentorship.status === 'ACTIVE';
  return (
    <div className="page page--wide mentorship-page">
      <p className="eyebrow">
        <Link to="/mentorships">My mentorships</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="page-header__title">
            {mentorship.viewerRole === 'MENTOR' ? 'Mentoring ' : 'Mentored by '}
            {mentorship.partner ? <Link to={personPath(mentorship.partner.id)}>{partnerName}</Link> : partnerName}
          </h1>
          <p className="page-header__lead">
            Since {formatDate(mentorship.startedAt, { withYear: true })}
            {mentorship.group && ` · in ${mentorship.group.name}`}
            {mentorship.endedAt && ` · ended ${formatDate(mentorship.endedAt, { withYear: true })}`}
          </p>
        </div>
        <span className={active ? 'tag tag--success' : 'tag'}>{active ? 'Active' : 'Ended'}</span>
      </header>
      <div className="mentorship-page__columns">
        <div className="mentorship-page__panels stack">
          <AgreementPanel
            key={`${mentorship.agreement ? 'a' : ''}${mentorship.pendingAgreement ? 'p' : ''}${mentorship.agreements.length}`}
            mentorshipId={mentorship.id}
            active={active}
            partnerName={partnerName}
            agreement={mentorship.agreement}
            pending={mentorship.pendingAgreement}
            history={mentorship.agreements}
            onChanged={reload}
          />
          <SessionsPanel mentorshipId={mentorship.id} onChanged={reload} />
          <RelationshipPanels mentorshipId={mentorship.id} onChanged={reload} />
        </div>
        <section className="mentorship-page__conversation" aria-label="Conversation">
          {mentorship.conversation && viewer ? (
            <Suspense fallback={<p className="loading">Loading the conversation…</p>}>
              <MentorshipConversation conversationId={mentorship.conversation.id} viewer={viewer} />
            </Suspense>
          ) : (
            <p className="muted">The conversation is not available.</p>
          )}
        </section>
      </div>
    </div>
  );
}
