import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { readFragment } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { ButtonLink } from '../../ui/button';
import { Pager, useCursorStack } from '../../ui/pager';
import { TextField } from '../../ui/text-field';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import { GroupChaptersQuery, GroupEventsQuery, GroupMembersQuery, GroupPermissionsFields, GroupQuery } from './documents';
import { EventRow } from './event-list';
import { JoinControls } from './join-controls';
import { groupPath, kindLabel, roleLabel, visibilityLabel } from './labels';
import './groups.css';

function Members({ slug }: { slug: string }) {
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search);
  const cursors = useCursorStack();
  const [lastSearch, setLastSearch] = useState(debounced);
  if (lastSearch !== debounced) {
    setLastSearch(debounced);
    cursors.reset();
  }
  const [result] = useQuery({ query: GroupMembersQuery, variables: { slug, search: debounced.trim() || null, first: 20, after: cursors.after } });
  const members = result.data?.group?.members;
  return (
    <section className="card" aria-labelledby="members-title">
      <div className="card__header">
        <h2 className="card__title" id="members-title">
          Members
        </h2>
        {members && <span className="muted small">{members.totalCount} total</span>}
      </div>
      <TextField label="Search members" type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {members && members.edges.length === 0 && <p className="muted">No members match.</p>}
      <ul className="plain-list divided-list">
        {members?.edges.map(({ node }) => (
          <li key={node.person.id} className="list-row">
            <Avatar name={node.person.name} initials={node.person.initials} size="sm" />
            <div className="list-row__main">
              <p className="list-row__title">
                <Link to={personPath(node.person.id)}>{node.person.name}</Link>
                {node.person.isViewer && <span className="muted"> (you)</span>}
              </p>
              {node.person.headline && <p className="list-row__meta">{node.person.headline}</p>}
            </div>
            {node.role !== 'MEMBER' && <span className="tag tag--primary member-role">{roleLabel(node.role)}</span>}
          </li>
        ))}
      </ul>
      <Pager
        hasPrevious={cursors.hasPrevious}
        hasNext={members?.pageInfo.hasNextPage ?? false}
        onPrevious={cursors.previous}
        onNext={() => cursors.next(members?.pageInfo.endCursor)}
        busy={result.fetching}
      />
    </section>
  );
}

export function GroupPage() {
  const { slug = '' } = useParams();
  const [result, refetch] = useQuery({ query: GroupQuery, variables: { slug } });
  const [chaptersResult] = useQuery({ query: GroupChaptersQuery, variables: { slug } });
  const [eventsResult] = useQuery({ query: GroupEventsQuery, variables: { slug } });
  const group = result.data?.group;
  usePageTitle(group?.name ?? 'Group');

  // A decision on a pending request arrives live (notification → cache invalidation → refetch);
  // say so when it does, so the change on screen is not silent.
  const previousStatus = useRef<string | null>(null);
  const [welcome, setWelcome] = useState(false);
  useEffect(() => {
    const status = group?.viewerStatus ?? null;
    if (previousStatus.current === 'PENDING' && status === 'MEMBER') setWelcome(true);
    if (status !== 'MEMBER') setWelcome(false);
    previousStatus.current = status;
  }, [group?.viewerStatus]);

  if (result.error && !group) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!group) {
    return (
      <div className="page">
        <h1 className="page-header__title">Group not found</h1>
        <p className="muted">This group doesn’t exist, or you can’t see it.</p>
        <p>
          <Link to="/groups">Browse groups</Link>
        </p>
      </div>
    );
  }

  const permissions = readFragment(GroupPermissionsFields, group.viewerPermissions);
  const isMember = group.viewerStatus === 'MEMBER';
  const canAdmin = permissions.approveRequests || permissions.invite || permissions.changeRoles || permissions.ban || permissions.edit;
  const detail = [group.institution, group.graduationYear ? `Class of ${group.graduationYear}` : null, group.cohort, group.allowedEmailDomain ? `for @${group.allowedEmailDomain}` : null]
    .filter(Boolean)
    .join(' · ');
  const chapters = chaptersResult.data?.group?.chapters.edges.map((edge) => edge.node) ?? [];
  const events = eventsResult.data?.group?.events.edges.map((edge) => edge.node) ?? [];

  return (
    <div className="page">
      <header className="group-hero">
        <div className="group-card__top">
          <span className={`group-kind group-kind--${group.kind.toLowerCase()}`}>{kindLabel(group.kind)}</span>
          <span className="tag">{visibilityLabel(group.visibility)}</span>
          {group.viewerRole && <span className="tag tag--success">{roleLabel(group.viewerRole)}</span>}
        </div>
        {group.parent && (
          <p className="eyebrow">
            Chapter of <Link to={groupPath(group.parent.slug)}>{group.parent.name}</Link>
          </p>
        )}
        <h1 className="group-hero__title">{group.name}</h1>
        <p className="group-hero__meta">
          {group.memberCount} {group.memberCount === 1 ? 'member' : 'members'}
          {detail && ` · ${detail}`}
        </p>
        <div className="group-hero__actions">
          <JoinControls
            groupId={group.id}
            groupName={group.name}
            visibility={group.visibility}
            status={group.viewerStatus}
            role={group.viewerRole ?? null}
            onChanged={() => refetch({ requestPolicy: 'network-only' })}
          />
          {canAdmin && (
            <ButtonLink to={`${groupPath(group.slug)}/admin`} variant="secondary" size="sm">
              Manage group
            </ButtonLink>
          )}
        </div>
      </header>

      {welcome && (
        <Alert tone="success" title="You’re in!">
          Your request to join {group.name} was approved. Welcome.
        </Alert>
      )}

      <div className="split">
        <div className="stack">
          <section className="card" aria-labelledby="about-title">
            <h2 className="card__title" id="about-title">
              About
            </h2>
            {group.description ? <p className="group-about">{group.description}</p> : <p className="muted">No description yet.</p>}
          </section>

          <section className="card" aria-labelledby="events-title">
            <div className="card__header">
              <h2 className="card__title" id="events-title">
                Upcoming events
              </h2>
              {permissions.createEvents && (
                <ButtonLink to={`${groupPath(group.slug)}/events/new`} size="sm" variant="secondary">
                  Create event
                </ButtonLink>
              )}
            </div>
            {events.length > 0 ? (
              <ul className="plain-list event-list">
                {events.map((event) => (
                  <EventRow key={event.id} event={event} />
                ))}
              </ul>
            ) : (
              <p className="muted">No upcoming events.</p>
            )}
          </section>

          <section className="card channels-placeholder" aria-labelledby="channels-title">
            <h2 className="card__title" id="channels-title">
              Channels
            </h2>
            <p className="muted">Group chat is coming soon: channels for this group will appear here.</p>
          </section>
        </div>

        <aside className="stack">
          {(chapters.length > 0 || permissions.createChapters) && (
            <section className="card" aria-labelledby="chapters-title">
              <div className="card__header">
                <h2 className="card__title" id="chapters-title">
                  Chapters
                </h2>
                {permissions.createChapters && (
                  <Link to={`/groups/new?parent=${encodeURIComponent(group.id)}&parentName=${encodeURIComponent(group.name)}`}>Add a chapter</Link>
                )}
              </div>
              {chapters.length > 0 ? (
                <ul className="plain-list divided-list">
                  {chapters.map((chapter) => (
                    <li key={chapter.id} className="list-row">
                      <div className="list-row__main">
                        <p className="list-row__title">
                          <Link to={groupPath(chapter.slug)}>{chapter.name}</Link>
                        </p>
                        <p className="list-row__meta">
                          {chapter.memberCount} {chapter.memberCount === 1 ? 'member' : 'members'}
                        </p>
                      </div>
                      {chapter.viewerStatus === 'MEMBER' && <span className="tag tag--success">Member</span>}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">No chapters yet.</p>
              )}
            </section>
          )}
          {isMember || group.visibility === 'PUBLIC' ? (
            <Members slug={group.slug} />
          ) : (
            <section className="card">
              <h2 className="card__title">Members</h2>
              <p className="muted">Join this group to see who’s here.</p>
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
