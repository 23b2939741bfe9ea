import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { Button, ButtonLink } from '../../ui/button';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { CopyButton } from '../../ui/copy-button';
import { SelectField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { usePageTitle } from '../../ui/use-page-title';
import { personPath } from '../people/person-link';
import {
  ApproveJoinRequestMutation,
  BanMemberMutation,
  ChangeMemberRoleMutation,
  CreateInviteLinkMutation,
  DeclineJoinRequestMutation,
  GroupAdminQuery,
  GroupBansQuery,
  GroupInvitesQuery,
  GroupMembersQuery,
  GroupPermissionsFields,
  InviteMemberMutation,
  JoinRequestsQuery,
  PeopleSearchQuery,
  RemoveMemberMutation,
  RevokeInviteMutation,
  TransferOwnershipMutation,
  UnbanMemberMutation,
} from './documents';
import { formatDateTime } from '../../lib/time';
import { groupPath, ROLES, roleLabel, type GroupRole } from './labels';
import './groups.css';

type Outcome = { ok: true } | { ok: false; message: string };
type Runner = (key: string, action: () => Promise<Outcome>) => Promise<boolean>;

const when = (iso: string) => formatDateTime(iso);

function useRunner(onDone: () => void) {
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const run: Runner = async (key, action) => {
    setBusyKey(key);
    setMessage(null);
    const outcome = await action();
    setBusyKey(null);
    if (!outcome.ok) setMessage({ tone: 'error', text: outcome.message });
    else onDone();
    return outcome.ok;
  };
  return { busyKey, message, setMessage, run };
}

function JoinRequests({
  requests,
  run,
  busyKey,
}: {
  requests: {
    id: string;
    message?: string | null;
    createdAt: string;
    person: { id: string; name: string; initials: string; headline?: string | null };
  }[];
  run: Runner;
  busyKey: string | null;
}) {
  const [, approve] = useMutation(ApproveJoinRequestMutation);
  const [, decline] = useMutation(DeclineJoinRequestMutation);
  return (
    <section className="card" aria-labelledby="requests-title">
      <div className="card__header">
        <h2 className="card__title" id="requests-title">
          Join requests
        </h2>
        <span className="tag tag--warning" aria-live="polite">
          {requests.length} pending
        </span>
      </div>
      {requests.length === 0 ? (
        <p className="muted">No pending requests. New ones appear here as they arrive.</p>
      ) : (
        <ul className="plain-list divided-list" aria-label="Pending join requests">
          {requests.map((request) => (
            <li key={request.id} className="list-row">
              <Avatar name={request.person.name} initials={request.person.initials} size="sm" />
              <div className="list-row__main">
                <p className="list-row__title">
                  <Link to={personPath(request.person.id)}>{request.person.name}</Link>
                </p>
                {request.person.headline && <p className="list-row__meta">{request.person.headline}</p>}
                {request.message && <p className="join-message">“{request.message}”</p>}
                <p className="list-row__meta">Asked {when(request.createdAt)}</p>
              </div>
              <div className="list-row__actions">
                <Button
                  size="sm"
                  busy={busyKey === `approve-${request.id}`}
                  aria-label={`Approve ${request.person.name}`}
                  onClick={() =>
                    void run(`approve-${request.id}`, async () => {
                      const response = await approve({ input: { requestId: request.id } });
                      return outcomeOf(response.data?.approveJoinRequest, response.error, 'JoinRequestPayload');
                    })
                  }
                >
                  Approve
                </Button>
                <Button
                  size="sm"
                  variant="secondary"
                  busy={busyKey === `decline-${request.id}`}
                  aria-label={`Decline ${request.person.name}`}
                  onClick={() =>
                    void run(`decline-${request.id}`, async () => {
                      const response = await decline({ input: { requestId: request.id } });
                      return outcomeOf(response.data?.declineJoinRequest, response.error, 'JoinRequestPayload');
                    })
                  }
                >
                  Decline
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface InviteRow {
  id: string;
  expiresAt?: string | null;
  maxUses?: number | null;
  uses: number;
  revokedAt?: string | null;
  createdAt: string;
  invitee?: { id: string; name: string } | null;
  createdBy?: { id: string; name: string } | null;
}

function Invites({
  groupId,
  invites,
  run,
  busyKey,
}: {
  groupId: string;
  invites: InviteRow[];
  run: Runner;
  busyKey: string | null;
}) {
  const [, createLink] = useMutation(CreateInviteLinkMutation);
  const [, invite] = useMutation(InviteMemberMutation);
  const [, revoke] = useMutation(RevokeInviteMutation);
  const [expires, setExpires] = useState('168');
  const [maxUses, setMaxUses] = useState('');
  const [link, setLink] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search);
  const [people] = useQuery({
    query: PeopleSearchQuery,
    variables: { text: debounced.trim() },
    pause: debounced.trim().length < 2,
  });

  async function onCreateLink(event: FormEvent) {
    event.preventDefault();
    await run('create-link', async () => {
      const uses = maxUses.trim() ? Number(maxUses) : null;
      const response = await createLink({
        input: { groupId, expiresInHours: expires ? Number(expires) : null, maxUses: uses },
      });
      const outcome = outcomeOf(response.data?.createInviteLink, response.error, 'InviteLinkPayload');
      if (outcome.ok) setLink(new URL(outcome.value.url, window.location.origin).href);
      return outcome;
    });
  }

  const active = invites.filter((row) => !row.revokedAt);
  return (
    <section className="card stack" aria-labelledby="invites-title">
      <h2 className="card__title" id="invites-title">
        Invites
      </h2>
      <form className="inline-form" onSubmit={(event) => void onCreateLink(event)} aria-label="Create an invite link">
        <SelectField
          label="Link expires"
          value={expires}
          onChange={(event) => setExpires(event.target.value)}
          options={[
            { value: '24', label: 'In 1 day' },
            { value: '168', label: 'In 7 days' },
            { value: '720', label: 'In 30 days' },
            { value: '', label: 'Never' },
          ]}
        />
        <TextField
          label="Use limit (optional)"
          inputMode="numeric"
          value={maxUses}
          onChange={(event) => setMaxUses(event.target.value.replace(/\D/gu, '').slice(0, 5))}
        />
        <div>
          <Button type="submit" variant="secondary" busy={busyKey === 'create-link'}>
            Create invite link
          </Button>
        </div>
      </form>
      {link && (
        <div className="invite-link" role="status">
          <code>{link}</code>
          <CopyButton text={link} label="Copy link" />
          <span className="small muted">Shown once: copy it now.</span>
        </div>
      )}

      <div>
        <TextField
          label="Invite a member directly"
          hint="Search by name"
          type="search"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        {debounced.trim().length >= 2 && (
          <ul className="plain-list divided-list search-results" aria-label="People to invite">
            {(people.data?.people.edges ?? []).map(({ node }) => (
              <li key={node.id} className="list-row">
                <Avatar name={node.name} initials={node.initials} size="sm" />
                <div className="list-row__main">
                  <p className="list-row__title">{node.name}</p>
                  {node.headline && <p className="list-row__meta">{node.headline}</p>}
                </div>
                <Button
                  size="sm"
                  variant="secondary"
                  busy={busyKey === `invite-${node.id}`}
                  aria-label={`Invite ${node.name}`}
                  onClick={() =>
                    void run(`invite-${node.id}`, async () => {
                      const response = await invite({ input: { groupId, personId: node.id } });
                      const outcome = outcomeOf(response.data?.inviteMember, response.error, 'GroupInvitePayload');
                      if (outcome.ok) setSearch('');
                      return outcome;
                    })
                  }
                >
                  Invite
                </Button>
              </li>
            ))}
            {people.data && people.data.people.edges.length === 0 && <li className="muted list-row">Nobody found.</li>}
          </ul>
        )}
      </div>

      <div>
        <h3 className="small muted">Active invites</h3>
        {active.length === 0 ? (
          <p className="muted">No active invites.</p>
        ) : (
          <ul className="plain-list divided-list">
            {active.map((row) => (
              <li key={row.id} className="list-row">
                <div className="list-row__main">
                  <p className="list-row__title">
                    {row.invitee ? `Direct invite to ${row.invitee.name}` : 'Invite link'}
                  </p>
                  <p className="list-row__meta">
                    {row.uses} used{row.maxUses != null ? ` of ${row.maxUses}` : ''} ·{' '}
                    {row.expiresAt ? `expires ${when(row.expiresAt)}` : 'no expiry'}
                    {row.createdBy ? ` · by ${row.createdBy.name}` : ''}
                  </p>
                </div>
                <Button
                  size="sm"
                  variant="ghost"
                  busy={busyKey === `revoke-${row.id}`}
                  onClick={() =>
                    void run(`revoke-${row.id}`, async () => {
                      const response = await revoke({ input: { inviteId: row.id } });
                      return outcomeOf(response.data?.revokeInvite, response.error, 'GroupInvitePayload');
                    })
                  }
                >
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

function MemberAdmin({
  slug,
  groupId,
  groupName,
  viewerRole,
  canChangeRoles,
  canRemove,
  canBan,
  run,
  busyKey,
  version,
  onDone,
}: {
  slug: string;
  groupId: string;
  groupName: string;
  viewerRole: GroupRole | null;
  canChangeRoles: boolean;
  canRemove: boolean;
  canBan: boolean;
  run: Runner;
  busyKey: string | null;
  version: number;
  /** Says what was done, once it is. */
  onDone(text: string): void;
}) {
  const [search, setSearch] = useState('');
  const debounced = useDebouncedValue(search);
  const [result] = useQuery({
    query: GroupMembersQuery,
    variables: { slug, search: debounced.trim() || null, first: 50 },
    requestPolicy: version > 0 ? 'cache-and-network' : 'cache-first',
  });
  const [, changeRole] = useMutation(ChangeMemberRoleMutation);
  const [, transfer] = useMutation(TransferOwnershipMutation);
  const [, remove] = useMutation(RemoveMemberMutation);
  const [, ban] = useMutation(BanMemberMutation);
  const [confirm, setConfirm] = useState<{
    kind: 'remove' | 'ban' | 'transfer';
    personId: string;
    name: string;
  } | null>(null);
  const members = result.data?.group?.members.edges.map((edge) => edge.node) ?? [];
  const assignable = ROLES.filter(
    (role) => role.value !== 'OWNER' && (viewerRole === 'OWNER' || role.value !== 'ADMIN'),
  );

  async function onConfirm() {
    if (!confirm) return;
    const { kind, personId, name } = confirm;
    const ok = await run(`${kind}-${personId}`, async () => {
      if (kind === 'remove') {
        const response = await remove({ input: { groupId, personId } });
        return outcomeOf(response.data?.removeMember, response.error, 'GroupMemberPayload');
      }
      if (kind === 'ban') {
        const response = await ban({ input: { groupId, personId } });
        return outcomeOf(response.data?.banMember, response.error, 'GroupMemberPayload');
      }
      const response = await transfer({ input: { groupId, personId } });
      return outcomeOf(response.data?.transferOwnership, response.error, 'GroupMemberPayload');
    });
    setConfirm(null);
    if (ok) {
      onDone(
        kind === 'remove'
          ? `${name} is no longer a member.`
          : kind === 'ban'
            ? `${name} is banned.`
            : `${name} is now the owner; you are an admin.`,
      );
    }
  }

  return (
    <section className="card stack" aria-labelledby="manage-members-title">
      <h2 className="card__title" id="manage-members-title">
        Members and roles
      </h2>
      <TextField
        label="Find a member"
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {confirm && (
        <ConfirmDialog
          title={
            confirm.kind === 'remove'
              ? `Remove ${confirm.name}?`
              : confirm.kind === 'ban'
                ? `Ban ${confirm.name}?`
                : `Make ${confirm.name} the owner?`
          }
          confirmLabel={
            confirm.kind === 'remove'
              ? `Remove ${confirm.name}`
              : confirm.kind === 'ban'
                ? `Ban ${confirm.name}`
                : `Make ${confirm.name} owner`
          }
          busy={busyKey === `${confirm.kind}-${confirm.personId}`}
          onConfirm={() => void onConfirm()}
          onCancel={() => setConfirm(null)}
        >
          {confirm.kind === 'remove' && (
            <p>
              {confirm.name} leaves {groupName} and loses its channels and events at once. They can join again (or ask
              to, if the group is private).
            </p>
          )}
          {confirm.kind === 'ban' && (
            <p>
              {confirm.name} is removed from {groupName} and can’t join, ask to join or accept an invite until someone
              unbans them.
            </p>
          )}
          {confirm.kind === 'transfer' && (
            <>
              <p>
                {confirm.name} becomes the owner of {groupName}. You become an admin: only they can make someone else
                the owner after this, including you.
              </p>
            </>
          )}
        </ConfirmDialog>
      )}
      <ul className="plain-list divided-list">
        {members.map((member) => {
          const self = member.person.isViewer;
          const editable = !self && member.role !== 'OWNER';
          return (
            <li key={member.person.id} className="list-row">
              <Avatar name={member.person.name} initials={member.person.initials} size="sm" />
              <div className="list-row__main">
                <p className="list-row__title">
                  {member.person.name}
                  {self && <span className="muted"> (you)</span>}
                </p>
                <p className="list-row__meta">{roleLabel(member.role)}</p>
              </div>
              {editable && (
                <div className="list-row__actions">
                  {canChangeRoles && (
                    <label className="small">
                      <span className="visually-hidden">Role of {member.person.name}</span>
                      <select
                        className="text-field__input"
                        value={member.role}
                        disabled={busyKey === `role-${member.person.id}`}
                        onChange={(event) => {
                          const role = event.target.value as GroupRole;
                          void run(`role-${member.person.id}`, async () => {
                            const response = await changeRole({ input: { groupId, personId: member.person.id, role } });
                            return outcomeOf(response.data?.changeMemberRole, response.error, 'GroupMemberPayload');
                          });
                        }}
                      >
                        {assignable.map((role) => (
                          <option key={role.value} value={role.value}>
                            {role.label}
                          </option>
                        ))}
                        {!assignable.some((role) => role.value === member.role) && (
                          <option value={member.role}>{roleLabel(member.role)}</option>
                        )}
                      </select>
                    </label>
                  )}
                  {viewerRole === 'OWNER' && (
                    <Button
                      size="sm"
                      variant="danger-secondary"
                      onClick={() =>
                        setConfirm({ kind: 'transfer', personId: member.person.id, name: member.person.name })
                      }
                      // The visible words first: a voice user says what they see ("Make owner").
                      aria-label={`Make owner: ${member.person.name}`}
                    >
                      Make owner
                    </Button>
                  )}
                  {canRemove && (
                    <Button
                      size="sm"
                      variant="danger-secondary"
                      onClick={() =>
                        setConfirm({ kind: 'remove', personId: member.person.id, name: member.person.name })
                      }
                      aria-label={`Remove ${member.person.name}`}
                    >
                      Remove
                    </Button>
                  )}
                  {canBan && (
                    <Button
                      size="sm"
                      variant="danger-secondary"
                      onClick={() => setConfirm({ kind: 'ban', personId: member.person.id, name: member.person.name })}
                      aria-label={`Ban ${member.person.name}`}
                    >
                      Ban
                    </Button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function GroupAdminPage() {
  const { slug = '' } = useParams();
  const [result, refetch] = useQuery({ query: GroupAdminQuery, variables: { slug } });
  const [requestsResult, refetchRequests] = useQuery({ query: JoinRequestsQuery, variables: { slug } });
  const [invitesResult, refetchInvites] = useQuery({ query: GroupInvitesQuery, variables: { slug } });
  const [bansResult, refetchBans] = useQuery({ query: GroupBansQuery, variables: { slug } });
  const [version, setVersion] = useState(0);
  const [searchParams] = useSearchParams();
  const { busyKey, message, setMessage, run } = useRunner(() => {
    const again = { requestPolicy: 'network-only' } as const;
    refetch(again);
    refetchRequests(again);
    refetchInvites(again);
    refetchBans(again);
    setVersion((v) => v + 1);
  });
  const [, unban] = useMutation(UnbanMemberMutation);
  const group = result.data?.group;
  usePageTitle(group ? `Manage ${group.name}` : 'Manage group');

  if (result.error && !group) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!group) return <p>This group doesn’t exist, or you can’t see it.</p>;
  const permissions = readFragment(GroupPermissionsFields, group.viewerPermissions);
  if (!permissions.approveRequests && !permissions.invite && !permissions.changeRoles && !permissions.ban) {
    return (
      <div className="page">
        <h1 className="page-header__title">Manage {group.name}</h1>
        <p className="muted">Only the group’s admins and moderators can manage it.</p>
        <Link to={groupPath(group.slug)}>Back to the group</Link>
      </div>
    );
  }

  // The list is asked for PENDING only; a request decided a moment ago may still be in the cache.
  const requests = (requestsResult.data?.group?.joinRequests.edges ?? [])
    .map((edge) => edge.node)
    .filter((request) => request.status === 'PENDING');
  const bans = (bansResult.data?.group?.bans.edges ?? []).map((edge) => edge.node);
  const invites = (invitesResult.data?.group?.invites.edges ?? []).map((edge) => edge.node);

  const canManageMembers = permissions.changeRoles || permissions.removeMembers || permissions.ban;
  const sections = (
    [
      canManageMembers && { id: 'members', label: 'Members' },
      permissions.approveRequests && { id: 'requests', label: 'Join requests', waiting: requests.length },
      permissions.invite && { id: 'invites', label: 'Invitations' },
      permissions.ban && { id: 'banned', label: 'Banned' },
    ] as const
  ).filter((section) => section !== false);
  // One part at a time (it was one long page); the address says which, so it can be linked and goes Back.
  // Without one: join requests when some wait, else the first part.
  const asked = sections.find((section) => section.id === searchParams.get('section'));
  const current =
    asked?.id ?? (permissions.approveRequests && requests.length > 0 ? 'requests' : (sections[0]?.id ?? 'members'));

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={groupPath(group.slug)}>{group.name}</Link>
          </p>
          <h1 className="page-header__title">Manage the group</h1>
        </div>
        <div className="page-header__actions">
          <ButtonLink to={`${groupPath(group.slug)}/moderation`} variant="secondary">
            Moderation queue
          </ButtonLink>
        </div>
      </header>
      <nav className="section-nav" aria-label="Manage the group">
        <ul className="section-nav__list">
          {sections.map((section) => (
            <li key={section.id}>
              <Link
                className="section-nav__link"
                to={`?section=${section.id}`}
                aria-current={section.id === current ? 'page' : undefined}
                onClick={() => setMessage(null)}
              >
                {section.label}
                {'waiting' in section && section.waiting > 0 && (
                  <span className="section-nav__count">
                    {section.waiting}
                    <span className="visually-hidden"> waiting</span>
                  </span>
                )}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      {current === 'requests' && permissions.approveRequests && (
        <JoinRequests requests={requests} run={run} busyKey={busyKey} />
      )}
      {current === 'members' && canManageMembers && (
        <MemberAdmin
          slug={group.slug}
          groupId={group.id}
          groupName={group.name}
          viewerRole={group.viewerRole ?? null}
          canChangeRoles={permissions.changeRoles}
          canRemove={permissions.removeMembers}
          canBan={permissions.ban}
          run={run}
          busyKey={busyKey}
          version={version}
          onDone={(text) => setMessage({ tone: 'success', text })}
        />
      )}
      {current === 'invites' && permissions.invite && (
        <Invites groupId={group.id} invites={invites} run={run} busyKey={busyKey} />
      )}
      {current === 'banned' && permissions.ban && (
        <section className="card" aria-labelledby="bans-title">
          <h2 className="card__title" id="bans-title">
            Banned
          </h2>
          {bans.length === 0 ? (
            <p className="muted">Nobody is banned.</p>
          ) : (
            <ul className="plain-list divided-list">
              {bans.map((entry) => (
                <li key={entry.person.id} className="list-row">
                  <div className="list-row__main">
                    <p className="list-row__title">{entry.person.name}</p>
                    <p className="list-row__meta">
                      Since {when(entry.createdAt)}
                      {entry.reason ? ` · ${entry.reason}` : ''}
                    </p>
                  </div>
                  <Button
                    size="sm"
                    variant="secondary"
                    busy={busyKey === `unban-${entry.person.id}`}
                    aria-label={`Unban ${entry.person.name}`}
                    onClick={() =>
                      void run(`unban-${entry.person.id}`, async () => {
                        const response = await unban({ input: { groupId: group.id, personId: entry.person.id } });
                        return outcomeOf(response.data?.unbanMember, response.error, 'GroupMemberPayload');
                      })
                    }
                  >
                    Unban
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
