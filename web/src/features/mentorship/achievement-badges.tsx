import { useQuery } from 'urql';
import { formatDate } from '../../lib/time';
import { PersonAchievementsQuery } from './goals.documents';
import './relationship.css';

const VISIBILITY: Record<string, string> = {
  MEMBERS: 'seen by all members',
  SHARED_GROUPS: 'seen by people in your groups',
  ONLY_ME: 'seen only by you',
};

// Celebrated mentorship goals as badges on a profile: each shown only to whom its own visibility
// allows (the server filters); the owner also sees who sees each one. Nothing when there are none.
export function AchievementBadges({ personId, isViewer }: { personId: string; isViewer: boolean }) {
  const [result] = useQuery({ query: PersonAchievementsQuery, variables: { id: personId } });
  const achievements = result.data?.person?.achievements ?? [];
  if (achievements.length === 0) return null;
  return (
    <section className="card stack achievements-panel" aria-labelledby="achievements-title">
      <h2 className="card__title" id="achievements-title">
        Achievements
      </h2>
      <ul className="achievement-badges">
        {achievements.map((achievement) => (
          <li
            key={achievement.id}
            className="achievement-badge"
            title={`Reached ${formatDate(achievement.createdAt, { withYear: true })}${
              isViewer && achievement.visibility ? ` · ${VISIBILITY[achievement.visibility]}` : ''
            }`}
          >
            🏅 {achievement.title}
          </li>
        ))}
      </ul>
      {isViewer && (
        <p className="small muted">Goals you celebrated in a mentorship. Hover a badge to see who sees it.</p>
      )}
    </section>
  );
}
