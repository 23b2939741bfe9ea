import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { ButtonLink } from '../../ui/button';
import { CheckboxGroup, SelectField } from '../../ui/fields';
import { Pager, useCursorStack } from '../../ui/pager';
import { TextField } from '../../ui/text-field';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { usePageTitle } from '../../ui/use-page-title';
import { GroupCardFields, GroupsQuery } from './documents';
import { groupPath, KINDS, kindLabel, roleLabel, visibilityLabel, type GroupKind } from './labels';
import './groups.css';

const PAGE_SIZE = 24;

function GroupCard({ group: data }: { group: FragmentOf<typeof GroupCardFields> }) {
  const group = readFragment(GroupCardFields, data);
  const detail = [group.institution, group.graduationYear ? `Class of ${group.graduationYear}` : null, group.cohort]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className="group-card card">
      <div className="group-card__top">
        <span className={`group-kind group-kind--${group.kind.toLowerCase()}`}>{kindLabel(group.kind)}</span>
        <span className="tag">{visibilityLabel(group.visibility)}</span>
        {group.viewerRole && <span className="tag tag--success">{roleLabel(group.viewerRole)}</span>}
        {group.viewerStatus === 'PENDING' && <span className="tag tag--warning">Request pending</span>}
        {group.viewerStatus === 'INVITED' && <span className="tag tag--primary">Invited</span>}
      </div>
      <h2 className="group-card__name">
        <Link to={groupPath(group.slug)}>{group.name}</Link>
      </h2>
      {group.parent && <p className="small muted">Chapter of {group.parent.name}</p>}
      {detail && <p className="small muted">{detail}</p>}
      <p className="group-card__description">{group.description}</p>
      <p className="small muted group-card__count">
        {group.memberCount} {group.memberCount === 1 ? 'member' : 'members'}
      </p>
    </li>
  );
}

type Scope = 'mine' | 'connections';

export function GroupsPage() {
  usePageTitle('Groups');
  const [text, setText] = useState('');
  const [kind, setKind] = useState<GroupKind | ''>('');
  const [scope, setScope] = useState<Scope[]>([]);
  const cursors = useCursorStack();
  const debouncedText = useDebouncedValue(text);
  const filter = useMemo(
    () => ({
      text: debouncedText.trim() || null,
      kind: kind || null,
      mine: scope.includes('mine') || null,
      connections: scope.includes('connections') || null,
    }),
    [debouncedText, kind, scope],
  );
  const filterKey = JSON.stringify(filter);
  const [lastKey, setLastKey] = useState(filterKey);
  if (lastKey !== filterKey) {
    setLastKey(filterKey);
    cursors.reset();
  }
  const [result] = useQuery({ query: GroupsQuery, variables: { filter, first: PAGE_SIZE, after: cursors.after } });
  const groups = result.data?.groups;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Groups</h1>
          <p className="page-header__lead">Associations, alumni networks and company programs: find your people.</p>
        </div>
        <div className="page-header__actions">
          <ButtonLink to="/groups/new">Create a group</ButtonLink>
        </div>
      </header>

      <search aria-label="Filter groups">
        <form className="filters filters--bar card" onSubmit={(event) => event.preventDefault()}>
          <TextField
            label="Search groups"
            type="search"
            placeholder="Name or description"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <SelectField
            label="Kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as GroupKind | '')}
            options={[{ value: '', label: 'All kinds' }, ...KINDS.map((k) => ({ value: k.value, label: k.label }))]}
          />
          <CheckboxGroup
            legend="Show only"
            options={[
              { value: 'mine', label: 'My groups' },
              { value: 'connections', label: 'My connections’ groups' },
            ]}
            value={scope}
            onChange={setScope}
          />
        </form>
      </search>

      <p className="muted" role="status">
        {groups
          ? `${groups.totalCount} ${groups.totalCount === 1 ? 'group' : 'groups'}`
          : result.fetching
            ? 'Searching…'
            : ''}
      </p>
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {groups && groups.edges.length === 0 && (
        <p className="empty">No groups match. Try another search, or create one.</p>
      )}
      {groups && groups.edges.length > 0 && (
        <ul className="group-grid plain-list">
          {groups.edges.map((edge) => (
            <GroupCard key={edge.node.id} group={edge.node} />
          ))}
        </ul>
      )}
      <Pager
        hasPrevious={cursors.hasPrevious}
        hasNext={groups?.pageInfo.hasNextPage ?? false}
        onPrevious={cursors.previous}
        onNext={() => cursors.next(groups?.pageInfo.endCursor)}
        busy={result.fetching}
      />
    </div>
  );
}
