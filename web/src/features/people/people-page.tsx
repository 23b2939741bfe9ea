import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { CheckboxGroup, SelectField } from '../../ui/fields';
import { Pager, useCursorStack } from '../../ui/pager';
import { TextField } from '../../ui/text-field';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { usePageTitle } from '../../ui/use-page-title';
import { PeopleFilterOptionsQuery, PeopleQuery, PersonCardFields, SkillsQuery } from './documents';
import { labelOf, OPEN_TO, SKILL_LEVELS, timeZones, type OpenTo } from './labels';
import { PersonActions } from './person-actions';
import { personPath } from './person-link';
import './people.css';

const PAGE_SIZE = 20;

// Filters start open where there is room beside the results, folded on a phone.
function wideScreen(): boolean {
  return typeof window === 'undefined' || window.matchMedia('(min-width: 52.01rem)').matches;
}

function splitSkills(value: string): string[] {
  return value
    .split(',')
    .map((skill) => skill.trim())
    .filter(Boolean);
}

export function PersonCard({ person: data }: { person: FragmentOf<typeof PersonCardFields> }) {
  const person = readFragment(PersonCardFields, data);
  const place = [person.location, person.timeZone].filter(Boolean).join(' · ');
  return (
    <li className="person-card card">
      <Avatar name={person.name} initials={person.initials} />
      <div className="person-card__body">
        <h2 className="person-card__name">
          <Link to={personPath(person.id)}>{person.name}</Link>
          {person.isViewer && <span className="tag tag--primary">You</span>}
        </h2>
        {person.headline && <p className="person-card__headline">{person.headline}</p>}
        {place && <p className="person-card__meta">{place}</p>}
        {person.skills && person.skills.length > 0 && (
          <ul className="tag-list" aria-label="Skills">
            {person.skills.slice(0, 6).map(({ skill, level }) => (
              <li
                key={skill.id}
                className={level === 'EXPERT' ? 'tag tag--primary' : 'tag'}
                title={labelOf(SKILL_LEVELS, level)}
              >
                {skill.name}
                {level === 'EXPERT' && <span className="visually-hidden"> (expert)</span>}
              </li>
            ))}
          </ul>
        )}
        {person.openTo && person.openTo.length > 0 && (
          <p className="person-card__open small">
            Open to: {person.openTo.map((value) => labelOf(OPEN_TO, value)).join(', ')}
          </p>
        )}
        {!person.isViewer && <PersonActions person={person} layout="card" />}
      </div>
    </li>
  );
}

export function PeoplePage() {
  usePageTitle('People');
  const [text, setText] = useState('');
  const [skillsText, setSkillsText] = useState('');
  const [groupId, setGroupId] = useState('');
  const [openTo, setOpenTo] = useState<OpenTo[]>([]);
  const [timeZone, setTimeZone] = useState('');
  const cursors = useCursorStack();

  const debouncedText = useDebouncedValue(text);
  const debouncedSkills = useDebouncedValue(skillsText);
  const filter = useMemo(() => {
    const skills = splitSkills(debouncedSkills);
    return {
      text: debouncedText.trim() || null,
      skills: skills.length > 0 ? skills : null,
      groupId: groupId || null,
      openTo: openTo.length > 0 ? openTo : null,
      timeZones: timeZone ? [timeZone] : null,
    };
  }, [debouncedText, debouncedSkills, groupId, openTo, timeZone]);
  const filterKey = JSON.stringify(filter);
  const [lastKey, setLastKey] = useState(filterKey);
  if (lastKey !== filterKey) {
    // A new filter starts again from the first page.
    setLastKey(filterKey);
    cursors.reset();
  }

  const [result] = useQuery({ query: PeopleQuery, variables: { filter, first: PAGE_SIZE, after: cursors.after } });
  const [options] = useQuery({ query: PeopleFilterOptionsQuery });
  const lastSkill = splitSkills(skillsText).at(-1) ?? '';
  const [suggestions] = useQuery({ query: SkillsQuery, variables: { prefix: lastSkill }, pause: lastSkill.length < 1 });
  const zones = useMemo(() => timeZones(), []);

  const groups = options.data?.viewer?.groups.edges.map((edge) => edge.node) ?? [];
  const activeFilters = [text.trim(), skillsText.trim(), groupId, timeZone].filter(Boolean).length + openTo.length;
  const people = result.data?.people;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">People</h1>
          <p className="page-header__lead">Find members by what they know, where they are and what they’re open to.</p>
        </div>
      </header>

      <div className="directory">
        <details className="filters-disclosure" open={wideScreen()}>
          <summary>Filters{activeFilters > 0 ? ` (${activeFilters})` : ''}</summary>
          <search aria-label="Filter people">
            <form className="filters card" onSubmit={(event) => event.preventDefault()}>
              <TextField
                label="Search"
                type="search"
                placeholder="Name, headline or skill"
                value={text}
                onChange={(event) => setText(event.target.value)}
              />
              <TextField
                label="Skills"
                hint="Separate several with commas"
                list="skill-suggestions"
                value={skillsText}
                onChange={(event) => setSkillsText(event.target.value)}
                autoComplete="off"
              />
              <datalist id="skill-suggestions">
                {(suggestions.data?.skills ?? []).map((skill) => (
                  <option key={skill.id} value={[...splitSkills(skillsText).slice(0, -1), skill.name].join(', ')} />
                ))}
              </datalist>
              <SelectField
                label="Group"
                value={groupId}
                onChange={(event) => setGroupId(event.target.value)}
                options={[
                  { value: '', label: 'Any group' },
                  ...groups.map((group) => ({ value: group.id, label: group.name })),
                ]}
              />
              <CheckboxGroup legend="Open to" options={OPEN_TO} value={openTo} onChange={setOpenTo} />
              <SelectField
                label="Time zone"
                value={timeZone}
                onChange={(event) => setTimeZone(event.target.value)}
                options={[
                  { value: '', label: 'Any time zone' },
                  ...zones.map((zone) => ({ value: zone, label: zone })),
                ]}
              />
            </form>
          </search>
        </details>

        <section aria-labelledby="people-results" className="stack">
          <h2 id="people-results" className="visually-hidden">
            Results
          </h2>
          <p className="muted" role="status">
            {people
              ? `${people.totalCount} ${people.totalCount === 1 ? 'member' : 'members'}`
              : result.fetching
                ? 'Searching…'
                : ''}
          </p>
          {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
          {people && people.edges.length === 0 && (
            <p className="empty">Nobody matches these filters yet. Try fewer filters.</p>
          )}
          {people && people.edges.length > 0 && (
            <ul className="person-grid plain-list">
              {people.edges.map((edge) => (
                <PersonCard key={edge.node.id} person={edge.node} />
              ))}
            </ul>
          )}
          <Pager
            hasPrevious={cursors.hasPrevious}
            hasNext={people?.pageInfo.hasNextPage ?? false}
            onPrevious={cursors.previous}
            onNext={() => cursors.next(people?.pageInfo.endCursor)}
            busy={result.fetching}
          />
        </section>
      </div>
    </div>
  );
}
