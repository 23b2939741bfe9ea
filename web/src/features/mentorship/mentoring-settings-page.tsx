import { useQuery } from 'urql';
import { Link } from 'react-router';
import { describeRequestError } from '../../app/request-error';
import { browserTimeZone } from '../people/labels';
import { personPath } from '../people/person-link';
import { Alert } from '../../ui/alert';
import { usePageTitle } from '../../ui/use-page-title';
import { MentoringSettingsQuery } from './documents';
import { MenteeNeedsForm } from './mentee-needs-form';
import { MentorOfferForm } from './mentor-offer-form';
import '../people/people.css';
import './mentorship.css';

export function MentoringSettingsPage() {
  usePageTitle('Mentoring');
  const [result] = useQuery({ query: MentoringSettingsQuery });
  const viewer = result.data?.viewer;
  // Accounts start at UTC (the column's default) until the member picks a zone on their profile; until
  // then the browser's zone is the better guess for hours typed here (and the one the app shows times in).
  const zone = viewer?.timeZone && viewer.timeZone !== 'UTC' ? viewer.timeZone : browserTimeZone();
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Mentoring</h1>
          <p className="page-header__lead">
            Offer what you know, and say what you’re looking for. Choose for each part of your offer who can see it.
          </p>
        </div>
      </header>
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!viewer && !result.error && <p className="loading">Loading…</p>}
      {viewer && (
        <>
          <MentorOfferForm
            profile={viewer.mentorProfile}
            skills={viewer.skills.map((entry) => ({ name: entry.skill.name, level: entry.level }))}
            groups={viewer.groups.edges.map((edge) => edge.node)}
            zone={zone}
          />
          {viewer.mentorProfile && (
            <p>
              <Link to={personPath(viewer.person.id)}>See your profile as others do</Link>
            </p>
          )}
          <MenteeNeedsForm needs={viewer.menteeNeeds} zone={zone} />
        </>
      )}
    </div>
  );
}
