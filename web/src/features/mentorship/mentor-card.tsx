import { readFragment, type FragmentOf } from '../../app/graphql';
import { ButtonLink } from '../../ui/button';
import { viewerTimeZone } from '../../lib/time';
import { labelOf, SKILL_LEVELS } from '../people/labels';
import { MentorCardFields } from './documents';
import { showRange } from './hours';
import { CADENCES, FORMATS, HELP_KINDS, languageName } from './labels';
import './mentorship.css';

// What a member offers as a mentor, as the viewer may see it; with `requestTo` (another member's card),
// a "Request mentorship" link to the request form while they accept mentees.
export function MentorCard({
  profile: masked,
  name,
  requestTo,
}: {
  profile: FragmentOf<typeof MentorCardFields>;
  name: string;
  requestTo?: string | undefined;
}) {
  const profile = readFragment(MentorCardFields, masked);
  const viewerZone = viewerTimeZone();
  const zone = profile.timeZone;
  const hours = profile.weeklyHours ?? [];
  return (
    <section className="card mentor-card" aria-labelledby="mentoring">
      <div className="card__header">
        <h2 className="card__title" id="mentoring">
          Mentoring
        </h2>
        {profile.accepting ? (
          <span className="tag tag--success">Accepting mentees</span>
        ) : (
          <span className="tag tag--warning">Paused</span>
        )}
      </div>
      <dl className="facts">
        {profile.helpOffered && profile.helpOffered.length > 0 && (
          <>
            <dt>Offers</dt>
            <dd>{profile.helpOffered.map((kind) => labelOf(HELP_KINDS, kind)).join(', ')}</dd>
          </>
        )}
        {profile.expertise && profile.expertise.length > 0 && (
          <>
            <dt>Expertise</dt>
            <dd>
              <ul className="tag-list">
                {profile.expertise.map(({ skill, level }) => (
                  <li key={skill.id} className={level === 'EXPERT' ? 'tag tag--primary' : 'tag'}>
                    {skill.name} · {labelOf(SKILL_LEVELS, level)}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {profile.capacity != null && (
          <>
            <dt>Capacity</dt>
            <dd>
              {profile.capacity === 1 ? '1 mentee at a time' : `${profile.capacity} mentees at a time`}
              {!profile.accepting && ' · not taking new mentees for now'}
            </dd>
          </>
        )}
        {profile.formats && profile.formats.length > 0 && (
          <>
            <dt>Formats</dt>
            <dd>{profile.formats.map((format) => labelOf(FORMATS, format)).join(', ')}</dd>
          </>
        )}
        {profile.cadences && profile.cadences.length > 0 && (
          <>
            <dt>How often</dt>
            <dd>{profile.cadences.map((cadence) => labelOf(CADENCES, cadence)).join(', ')}</dd>
          </>
        )}
        {profile.languages && profile.languages.length > 0 && (
          <>
            <dt>Languages</dt>
            <dd>{profile.languages.map(languageName).join(', ')}</dd>
          </>
        )}
      </dl>
      {zone && hours.length > 0 && (
        <div className="mentor-card__hours">
          <h3 className="mentor-card__subtitle">Weekly hours</h3>
          <table className="hours-table">
            <thead>
              <tr>
                <th scope="col">Your time ({viewerZone})</th>
                {zone !== viewerZone && (
                  <th scope="col">
                    {name}’s time ({zone})
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {hours.map((range) => {
                const yours = showRange(range, zone, viewerZone);
                const theirs = showRange(range, zone, zone);
                return (
                  <tr key={`${range.weekday}-${range.start}`}>
                    <td>
                      {yours.day} {yours.text}
                    </td>
                    {zone !== viewerZone && (
                      <td>
                        {theirs.day} {theirs.text}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {requestTo && profile.accepting && (
        <p>
          <ButtonLink to={requestTo}>Request mentorship</ButtonLink>
        </p>
      )}
    </section>
  );
}
