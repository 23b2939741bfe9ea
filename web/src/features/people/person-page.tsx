import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { ButtonLink } from '../../ui/button';
import { usePageTitle } from '../../ui/use-page-title';
import { AchievementBadges } from '../mentorship/achievement-badges';
import { PersonOfficeHours } from '../office-hours/profile-office-hours';
import { MentorCard } from '../mentorship/mentor-card';
import { mentorRequestPath } from '../mentorship/request-labels';
import { PersonSafetyActions } from '../safety/person-safety';
import { ProfileStandingNotice } from '../safety/standing-notice';
import { readFragment } from '../../app/graphql';
import { PersonActionsFields, PersonQuery } from './documents';
import { PersonActions } from './person-actions';
import { labelOf, OPEN_TO, SKILL_LEVELS } from './labels';
import './people.css';

// Links are member-supplied: only http(s) ever becomes a clickable href.
function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function PersonPage() {
  const { id = '' } = useParams();
  // What the viewer can do changes with what they do elsewhere (a request sent, a block): asked again on each visit.
  const [result, refetch] = useQuery({ query: PersonQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const person = result.data?.person;
  usePageTitle(person?.name ?? 'Member');

  if (result.error) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!person) {
    return (
      <div className="page">
        <h1 className="page-header__title">Member not found</h1>
        <p className="muted">This member doesn’t exist or isn’t visible to you.</p>
        <p>
          <Link to="/people">Back to people</Link>
        </p>
      </div>
    );
  }

  const shared = person.sharedGroups.edges.map((edge) => edge.node);
  return (
    <div className="page">
      <p className="eyebrow">
        <Link to="/people">People</Link>
      </p>
      <ProfileStandingNotice person={person} onChanged={() => refetch({ requestPolicy: 'network-only' })} />
      <header className="profile-hero card">
        <Avatar name={person.name} initials={person.initials} size="lg" />
        <div style={{ flex: '1 1 16rem' }}>
          <h1 className="profile-hero__name">{person.name}</h1>
          {person.headline && <p className="profile-hero__headline">{person.headline}</p>}
        </div>
        {person.isViewer && (
          <div className="page-header__actions">
            <ButtonLink to="/profile" variant="secondary">
              Edit your profile
            </ButtonLink>
            <ButtonLink to="/settings/mentoring" variant="secondary">
              Mentoring settings
            </ButtonLink>
          </div>
        )}
      </header>
      {!person.isViewer && (
        <section className="card person-actions-card" aria-labelledby="actions-title">
          <h2 className="card__title" id="actions-title">
            What you can do
          </h2>
          <PersonActions person={person} layout="profile" />
        </section>
      )}

      <div className="split">
        <div className="stack">
          <section className="card" aria-labelledby="about">
            <h2 className="card__title" id="about">
              About
            </h2>
            {person.bio ? <p className="profile-bio">{person.bio}</p> : <p className="muted">No bio to show.</p>}
          </section>
          <section className="card" aria-labelledby="skills">
            <h2 className="card__title" id="skills">
              Skills
            </h2>
            {person.skills && person.skills.length > 0 ? (
              <ul className="tag-list">
                {person.skills.map(({ skill, level }) => (
                  <li key={skill.id} className={level === 'EXPERT' ? 'tag tag--primary' : 'tag'}>
                    {skill.name} · {labelOf(SKILL_LEVELS, level)}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No skills to show.</p>
            )}
          </section>
          {person.mentorProfile && (
            <MentorCard
              profile={person.mentorProfile}
              name={person.name}
              requestTo={
                readFragment(PersonActionsFields, person).viewerActions.requestMentorship.available
                  ? mentorRequestPath(person.id)
                  : undefined
              }
            />
          )}
          <PersonOfficeHours personId={person.id} />
          <AchievementBadges personId={person.id} isViewer={person.isViewer} />
        </div>
        <aside className="stack">
          <section className="card" aria-labelledby="details">
            <h2 className="card__title" id="details">
              Details
            </h2>
            <dl className="facts">
              {person.location && (
                <>
                  <dt>Location</dt>
                  <dd>{person.location}</dd>
                </>
              )}
              {person.timeZone && (
                <>
                  <dt>Time zone</dt>
                  <dd>{person.timeZone}</dd>
                </>
              )}
              {person.openTo && person.openTo.length > 0 && (
                <>
                  <dt>Open to</dt>
                  <dd>{person.openTo.map((value) => labelOf(OPEN_TO, value)).join(', ')}</dd>
                </>
              )}
              {person.links?.map((link) => {
                const href = safeHref(link.url);
                return (
                  <div key={`${link.label}-${link.url}`} style={{ display: 'contents' }}>
                    <dt>{link.label}</dt>
                    <dd>
                      {href ? (
                        <a href={href} rel="noopener noreferrer nofollow" target="_blank">
                          {link.url}
                        </a>
                      ) : (
                        link.url
                      )}
                    </dd>
                  </div>
                );
              })}
            </dl>
            {!person.location && !person.timeZone && !person.openTo?.length && !person.links?.length && (
              <p className="muted">Nothing else is shared with you.</p>
            )}
          </section>
          {!person.isViewer && (
            <section className="card" aria-labelledby="shared">
              <h2 className="card__title" id="shared">
                Groups you share
              </h2>
              {shared.length > 0 ? (
                <ul className="plain-list stack stack--tight">
                  {shared.map((group) => (
                    <li key={group.id}>
                      <Link to={`/groups/${group.slug}`}>{group.name}</Link>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">You don’t share a group yet.</p>
              )}
            </section>
          )}
          {!person.isViewer && <PersonSafetyActions person={person} />}
        </aside>
      </div>
    </div>
  );
}
