import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { ButtonLink } from '../../ui/button';
import { SelectField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { FORMATS, HELP_KINDS, type HelpKind, type MentoringFormat } from './labels';
import { FindMentorQuery, MentorSuggestionFields } from './suggestions.documents';
import '../people/people.css';
import './suggestions.css';

const SHOWN = 20;

/** The request form for one mentor; asked from a group's suggestions, the request is made in that group. */
export function mentorRequestHref(personId: string, groupId?: string | null): string {
  const path = `/mentors/${encodeURIComponent(personId)}/request`;
  return groupId ? `${path}?groupId=${encodeURIComponent(groupId)}` : path;
}

function SuggestionCard({
  suggestion: data,
  rank,
  groupId,
}: {
  suggestion: FragmentOf<typeof MentorSuggestionFields>;
  rank: number;
  groupId: string | null;
}) {
  const suggestion = readFragment(MentorSuggestionFields, data);
  const { mentor } = suggestion;
  const titleId = `suggestion-${rank}`;
  return (
    <li className="card suggestion-card" aria-labelledby={titleId}>
      <div className="suggestion-card__head">
        <Avatar name={mentor.name} initials={mentor.initials} />
        <div>
          <h2 className="person-card__name" id={titleId}>
            <Link to={personPath(mentor.id)}>{mentor.name}</Link>
          </h2>
          {mentor.headline && <p className="person-card__headline">{mentor.headline}</p>}
        </div>
      </div>
      <div>
        <h3 className="suggestion-card__why">Why {mentor.name}</h3>
        {suggestion.reasons.length > 0 ? (
          <ul className="suggestion-card__reasons">
            {suggestion.reasons.map((reason) => (
              <li key={`${reason.kind}-${reason.text}`} data-kind={reason.kind}>
                {reason.text}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">Has room for a mentee, though little matches what you said you look for.</p>
        )}
      </div>
      <div className="suggestion-card__actions">
        <ButtonLink to={mentorRequestHref(mentor.id, groupId)} aria-label={`Request mentorship from ${mentor.name}`}>
          Request mentorship
        </ButtonLink>
        <Link to={personPath(mentor.id)} className="small">
          See {mentor.name}’s profile
        </Link>
        {mentor.officeHours.length > 0 && (
          // Office hours have no place in the header: a mentor who offers them is where members look for them.
          <Link to={`/office-hours/${encodeURIComponent(mentor.id)}`} className="small">
            Book {mentor.name}’s office hours
          </Link>
        )}
      </div>
    </li>
  );
}

// /mentors: the viewer's suggestions, best first, each with its reasons in words, and a way to ask.
export function FindMentorPage() {
  usePageTitle('Find a mentor');
  const [helpKind, setHelpKind] = useState<HelpKind | ''>('');
  const [format, setFormat] = useState<MentoringFormat | ''>('');
  const [language, setLanguage] = useState('');
  const [skill, setSkill] = useState('');
  const [groupId, setGroupId] = useState('');
  const debouncedLanguage = useDebouncedValue(language);
  const debouncedSkill = useDebouncedValue(skill);

  const filter = useMemo(
    () => ({
      helpKind: helpKind || null,
      format: format || null,
      language: debouncedLanguage.trim() || null,
      skill: debouncedSkill.trim() || null,
    }),
    [helpKind, format, debouncedLanguage, debouncedSkill],
  );
  const [result] = useQuery({
    query: FindMentorQuery,
    variables: { filter, first: SHOWN, groupId: groupId || null },
  });
  const viewer = result.data?.viewer;
  const suggestions = result.data?.mentorSuggestions;
  const groups = viewer?.groups.edges.map((edge) => edge.node) ?? [];
  const filtered = Object.values(filter).some(Boolean);
  const groupName = groups.find((group) => group.id === groupId)?.name;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Find a mentor</h1>
          <p className="page-header__lead">
            Mentors with room for you, best match first, and why: the skills you want to grow, the groups you share, the
            time you both have, how and how often you’d meet.
          </p>
        </div>
        <Link to="/settings/mentoring">What you’re looking for</Link>
      </header>

      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!result.data && !result.error && <p className="loading">Loading…</p>}

      {viewer && !viewer.menteeNeeds && (
        <section className="card stack" aria-labelledby="no-needs">
          <h2 className="section-title" id="no-needs">
            First, say what you’re looking for
          </h2>
          <p>
            Suggestions come from the skills you want to develop, the help you want, and when and how you can meet. Only
            you see what you write.
          </p>
          <p>
            <ButtonLink to="/settings/mentoring">Say what you’re looking for</ButtonLink>
          </p>
        </section>
      )}

      {viewer?.menteeNeeds && (
        <div className="directory">
          <details className="filters-disclosure" open>
            <summary>Filters</summary>
            <search aria-label="Filter mentors">
              <form className="filters card" onSubmit={(event) => event.preventDefault()}>
                <SelectField
                  label="Help"
                  value={helpKind}
                  onChange={(event) => setHelpKind(event.target.value as HelpKind | '')}
                  options={[{ value: '', label: 'Any kind of help' }, ...HELP_KINDS]}
                />
                <SelectField
                  label="Format"
                  value={format}
                  onChange={(event) => setFormat(event.target.value as MentoringFormat | '')}
                  options={[{ value: '', label: 'Any format' }, ...FORMATS]}
                />
                <TextField
                  label="Language"
                  hint="A language tag, such as en or pt"
                  value={language}
                  maxLength={35}
                  onChange={(event) => setLanguage(event.target.value)}
                />
                <TextField
                  label="Skill"
                  value={skill}
                  maxLength={40}
                  onChange={(event) => setSkill(event.target.value)}
                />
                <SelectField
                  label="Within a group"
                  value={groupId}
                  onChange={(event) => setGroupId(event.target.value)}
                  options={[
                    { value: '', label: 'Everyone' },
                    ...groups.map((group) => ({
                      value: group.id,
                      label: group.kind === 'PROGRAM' ? `${group.name} (program)` : group.name,
                    })),
                  ]}
                />
              </form>
            </search>
          </details>

          <section aria-labelledby="suggestions-title" className="stack">
            <h2 id="suggestions-title" className="visually-hidden">
              Suggested mentors
            </h2>
            <p className="muted" role="status">
              {suggestions
                ? suggestions.length === 0
                  ? ''
                  : `${suggestions.length} ${suggestions.length === 1 ? 'mentor' : 'mentors'}, best match first`
                : result.fetching
                  ? 'Looking…'
                  : ''}
            </p>
            {suggestions && suggestions.length === 0 && (
              <div className="empty stack stack--tight">
                {filtered ? (
                  <p>No mentor with room for you matches these filters. Try fewer filters.</p>
                ) : groupName ? (
                  <p>Nobody in {groupName} can take you on right now. Try everyone, or ask again later.</p>
                ) : (
                  <p>
                    No mentor can take you on right now. Mentors who are paused or full, whom you already asked or had
                    as a mentor, or who take only members of their own groups are left out.
                  </p>
                )}
                <p>
                  <Link to="/settings/mentoring">Change what you’re looking for</Link> or{' '}
                  <Link to="/people">browse people</Link>.
                </p>
              </div>
            )}
            {suggestions && suggestions.length > 0 && (
              <ol className="suggestion-list plain-list">
                {suggestions.map((suggestion, index) => (
                  <SuggestionCard
                    key={readFragment(MentorSuggestionFields, suggestion).mentor.id}
                    suggestion={suggestion}
                    rank={index + 1}
                    groupId={groupId || null}
                  />
                ))}
              </ol>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
