import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { readFragment } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { Button, ButtonLink } from '../../ui/button';
import { Pager, useCursorStack } from '../../ui/pager';
import { TextField } from '../../ui/text-field';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { usePageTitle } from '../../ui/use-page-title';
import { GroupChannelsCard } from '../chat/group-channels';
import { GroupOfficeHours } from '../office-hours/profile-office-hours';
import { personPath } from '../people/person-link';
import { ReportDialog } from '../safety/report-dialog';
import {
  AcceptInviteMutation,
  GroupChaptersQuery,
  GroupEventsQuery,
  GroupInviteQuery,
  GroupMembersQuery,
  GroupPermissionsFields,
  GroupQuery,
} from './documents';
import { EventRow } from './event-list';
import { JoinControls } from './join-controls';
import { GroupJoinRequests, WaitingJoinRequestsLink } from './join-requests';
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
  const [result] = useQuery({
    query: GroupMembersQuery,
    variables: { slug, search: debounced.trim() || null, first: 20, after: cursors.after },
  });
  const members = result.data?.group?.members;
  return (
    <section className="card" aria-labelledby="members-title">
      <div className="card__header">
        <h2 className="card__title" id="members-title">
          Members
        </h2>
        {members && <span className="muted small">{members.totalCount} total</span>}
      </div>
      <TextField
        label="Search members"
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
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

/**
 * A SECRET group is invisible by its slug to everyone outside it, its direct invitee included; the
 * invitee arrives from the GROUP_INVITE notification with ?invite=<id> and sees the group through
 * the invite: name, description and Accept.
 */
function InvitedToHiddenGroup({ slug, inviteId, onAccepted }: { slug: string; inviteId: string; onAccepted(): void }) {
  // The same query (and cache entry) as GroupPage's, which names the tab after the group.
  const [result] = useQuery({
    query: GroupInviteQuery,
    variables: { id: inviteId },
    requestPolicy: 'cache-and-network',
  });
  const [, accept] = useMutation(AcceptInviteMutation);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const node = result.data?.node;
  const invite = node?.__typename === 'GroupInvite' ? node : null;

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  const live =
    invite &&
    invite.group.slug === slug &&
    !invite.revokedAt &&
    (!invite.expiresAt || new Date(invite.expiresAt) > new Date());
  if (!invite || !live) return <GroupNotFound lapsedInvite={Boolean(invite && invite.group.slug === slug)} />;

  async function onAccept() {
    setBusy(true);
    setError(null);
    const response = await accept({ input: { inviteId } });
    setBusy(false);
    const outcome = outcomeOf(response.data?.acceptInvite, response.error, 'GroupPayload');
    if (outcome.ok) onAccepted();
    else setError(outcome.message);
  }

  const group = invite.group;
  return (
    <div className="page">
      <header className="group-hero">
        <div className="group-card__top">
          <span className={`group-kind group-kind--${group.kind.toLowerCase()}`}>{kindLabel(group.kind)}</span>
          <span className="tag">{visibilityLabel(group.visibility)}</span>
        </div>
        <h1 className="group-hero__title">{group.name}</h1>
        <p className="group-hero__meta">
          {invite.createdBy ? `${invite.createdBy.name} invited you to this group.` : 'You were invited to this group.'}{' '}
          Only its members can see it.
        </p>
        <div className="group-hero__actions">
          <div className="stack stack--tight">
            {error && <Alert tone="error">{error}</Alert>}
            <div className="row">
              <span className="tag tag--primary">You’re invited</span>
              <Button busy={busy} onClick={() => void onAccept()}>
                Accept invite
              </Button>
            </div>
          </div>
        </div>
      </header>
      <section className="card" aria-labelledby="about-title">
        <h2 className="card__title" id="about-title">
          About
        </h2>
        {group.description ? (
          <p className="group-about">{group.description}</p>
        ) : (
          <p className="muted">No description yet.</p>
        )}
      </section>
    </div>
  );
}

function GroupNotFound({ lapsedInvite = false }: { lapsedInvite?: boolean }) {
  return (
    <div className="page">
      <h1 className="page-header__title">{lapsedInvite ? 'This invite has lapsed' : 'Group not found'}</h1>
      <p className="muted">
        {lapsedInvite
          ? 'The invite was withdrawn or has expired. Ask an admin of the group for a new one.'
          : 'This group doesn’t exist, or you can’t see it.'}
      </p>
      <p>
        <Link to="/groups">Browse groups</Link>
      </p>
    </div>
  );
}

export function GroupPage() {
  const { slug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const inviteParam = searchParams.get('invite');
  const [result, refetch] = useQuery({ query: GroupQuery, variables: { slug } });
  const [chaptersResult, refetchChapters] = useQuery({ query: GroupChaptersQuery, variables: { slug } });
  const [eventsResult, refetchEvents] = useQuery({ query: GroupEventsQuery, variables: { slug } });
  const group = result.data?.group;
  const [inviteResult] = useQuery({
    query: GroupInviteQuery,
    variables: { id: inviteParam ?? '' },
    requestPolicy: 'cache-and-network',
    pause: !inviteParam || !result.data || Boolean(group),
  });
  const invited = inviteResult.data?.node?.__typename === 'GroupInvite' ? inviteResult.data.node.group.name : null;
  usePageTitle(group?.name ?? invited ?? 'Group');

  // A decision on a pending request arrives live (notification → cache invalidation → refetch);
  // say so when it does, so the change on screen is not silent.
  const previousStatus = useRef<string | null>(null);
  const [welcome, setWelcome] = useState(false);
  const [reporting, setReporting] = useState(false);
  useEffect(() => {
    const status = group?.viewerStatus ?? null;
    if (previousStatus.current === 'PENDING' && status === 'MEMBER') setWelcome(true);
    if (status !== 'MEMBER') setWelcome(false);
    previousStatus.current = status;
  }, [group?.viewerStatus]);

  if (result.error && !group) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!group) {
    if (inviteParam) {
      return (
        <InvitedToHiddenGroup
          slug={slug}
          inviteId={inviteParam}
          onAccepted={() => {
            setSearchParams({}, { replace: true });
            // group(slug) was null for a non-member: ask again now that the viewer is in.
            refetch({ requestPolicy: 'network-only' });
            refetchChapters({ requestPolicy: 'network-only' });
            refetchEvents({ requestPolicy: 'network-only' });
          }}
        />
      );
    }
    return <GroupNotFound />;
  }

  const permissions = readFragment(GroupPermissionsFields, group.viewerPermissions);
  const isMember = group.viewerStatus === 'MEMBER';
  const canAdmin =
    permissions.approveRequests || permissions.invite || permissions.changeRoles || permissions.ban || permissions.edit;
  const detail = [
    group.institution,
    group.graduationYear ? `Class of ${group.graduationYear}` : null,
    group.cohort,
    group.allowedEmailDomain ? `for @${group.allowedEmailDomain}` : null,
  ]
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
            inviteId={group.viewerInvite?.id ?? null}
            joinRequestId={group.viewerJoinRequest?.id ?? null}
            onChanged={() => refetch({ requestPolicy: 'network-only' })}
          />
          {canAdmin && (
            <ButtonLink to={`${groupPath(group.slug)}/admin`} variant="secondary" size="sm">
              Manage group
            </ButtonLink>
          )}
          {permissions.approveRequests && <WaitingJoinRequestsLink slug={group.slug} />}
          {/* Owners and admins (who may edit) run a program: the server's rule for its metrics. */}
          {group.kind === 'PROGRAM' && permissions.edit && (
            <ButtonLink to={`${groupPath(group.slug)}/mentoring`} variant="secondary" size="sm">
              Mentoring dashboard
            </ButtonLink>
          )}
          {group.kind === 'PROGRAM' && permissions.edit && (
            <ButtonLink to={`${groupPath(group.slug)}/pairings`} variant="secondary" size="sm">
              Pair members
            </ButtonLink>
          )}
          {!permissions.edit && (
            <Button variant="ghost" size="sm" onClick={() => setReporting(true)}>
              Report group
            </Button>
          )}
        </div>
      </header>
      {reporting && (
        <ReportDialog
          onClose={() => setReporting(false)}
          subjectId={group.id}
          title={`Report ${group.name}`}
          lead="Reports about a group go to this Guildhall’s admins, not to the group’s own moderators."
        />
      )}

      {group.hiddenByAdmins && (
        <Alert tone="info" title="Hidden by this Guildhall’s admins">
          Only the members of {group.name} can see it: it doesn’t appear in search, lists or links for anyone else.
        </Alert>
      )}

      {welcome && (
        <Alert tone="success" title="You’re in!">
          Your request to join {group.name} was approved. Welcome.
        </Alert>
      )}

      <div className="split">
        <div className="stack">
          {permissions.approveRequests && (
            <GroupJoinRequests slug={group.slug} onDecided={() => refetch({ requestPolicy: 'network-only' })} />
          )}
          <section className="card" aria-labelledby="about-title">
            <h2 className="card__title" id="about-title">
              About
            </h2>
            {group.description ? (
              <p className="group-about">{group.description}</p>
            ) : (
              <p className="muted">No description yet.</p>
            )}
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

          <GroupOfficeHours slug={group.slug} />

          <GroupChannelsCard slug={group.slug} isMember={isMember} />
        </div>

        <aside className="stack">
          {(chapters.length > 0 || permissions.createChapters) && (
            <section className="card" aria-labelledby="chapters-title">
              <div className="card__header">
                <h2 className="card__title" id="chapters-title">
                  Chapters
                </h2>
                {permissions.createChapters && (
                  <Link
                    to={`/groups/new?parent=${encodeURIComponent(group.id)}&parentName=${encodeURIComponent(group.name)}`}
                  >
                    Add a chapter
                  </Link>
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
