import { useCallback } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { formatDate } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { ButtonLink } from '../../ui/button';
import { usePageTitle } from '../../ui/use-page-title';
import { labelOf } from '../people/labels';
import { CADENCES, FORMATS } from './labels';
import { mentorshipPath, REQUESTS_PATH } from './request-labels';
import { MentorshipsQuery } from './requests.documents';
import { useMentorshipActivity } from './use-mentorship-activity';
import './mentorship.css';

// /mentorships — every mentorship of yours, as mentor or mentee, newest first.
export function MentorshipsPage() {
  usePageTitle('My mentorships');
  const [result, refetch] = useQuery({ query: MentorshipsQuery, requestPolicy: 'cache-and-network' });
  useMentorshipActivity(useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]));
  const mentorships = result.data?.viewer?.mentorships;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">My mentorships</h1>
          <p className="page-header__lead">The people you mentor and the mentors you learn from.</p>
        </div>
        <div className="page-header__actions">
          <ButtonLink to={REQUESTS_PATH} variant="secondary">
            Requests
          </ButtonLink>
        </div>
      </header>
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!mentorships && !result.error && <p className="loading">Loading…</p>}
      {mentorships && mentorships.length === 0 && (
        <div className="empty">
          <p>No mentorships yet.</p>
          <p>
            <Link to="/mentors">Find a mentor</Link> and ask them, or offer mentoring in{' '}
            <Link to="/settings/mentoring">your mentoring settings</Link>. Requests you sent or received are on the{' '}
            <Link to={REQUESTS_PATH}>requests page</Link>.
          </p>
        </div>
      )}
      {mentorships && mentorships.length > 0 && (
        <ul className="mentorship-list plain-list stack">
          {mentorships.map((mentorship) => (
            <li key={mentorship.id} className="card mentorship-list__item">
              <div className="card__header">
                <h2 className="card__title">
                  <Link to={mentorshipPath(mentorship.id)}>
                    {mentorship.viewerRole === 'MENTOR' ? 'Mentoring ' : 'Mentored by '}
                    {mentorship.partner?.name ?? 'a former member'}
                  </Link>
                </h2>
                <span className={mentorship.status === 'ACTIVE' ? 'tag tag--success' : 'tag'}>
                  {mentorship.status === 'ACTIVE' ? 'Active' : 'Ended'}
                </span>
              </div>
              <p className="muted small">
                Since {formatDate(mentorship.startedAt, { withYear: true })}
                {mentorship.endedAt && ` · ended ${formatDate(mentorship.endedAt, { withYear: true })}`}
                {' · '}
                {mentorship.agreement
                  ? `${labelOf(CADENCES, mentorship.agreement.cadence)}, ${labelOf(FORMATS, mentorship.agreement.format).toLowerCase()}`
                  : 'no agreement yet'}
                {mentorship.pendingAgreement?.viewerCanAccept && ' · new terms wait for you'}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
