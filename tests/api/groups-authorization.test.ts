import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUpMember, type Member } from '../support/graphql.js';
import { call, mutate, personId, userIdOf } from '../support/groups.js';
import { startServer, type TestServer } from '../support/server.js';

// Who may see and do what in a group, as a table: every actor against every query, nested
// connection, node(id) and mutation of the groups module, on a PUBLIC, a PRIVATE and a SECRET
// group. "Forbidden" looks like "not found" for what the actor may not see; ForbiddenError only
// when they can see the group but lack the role.

type Actor = 'signedOut' | 'stranger' | 'member' | 'moderator' | 'admin' | 'owner' | 'banned';
type Visibility = 'PUBLIC' | 'PRIVATE' | 'SECRET';
const ACTORS: Actor[] = ['signedOut', 'stranger', 'member', 'moderator', 'admin', 'owner', 'banned'];
const VISIBILITIES: Visibility[] = ['PUBLIC', 'PRIVATE', 'SECRET'];
const ROLE_OF = { owner: 'OWNER', admin: 'ADMIN', moderator: 'MODERATOR', member: 'MEMBER' } as const;
const MEMBERS: Actor[] = ['member', 'moderator', 'admin', 'owner'];
const STAFF: Actor[] = ['moderator', 'admin', 'owner'];
const ADMINS: Actor[] = ['admin', 'owner'];

let server: TestServer;
let url: string;
const people = {} as Record<Exclude<Actor, 'signedOut'> | 'target' | 'requester' | 'outsider', Member>;
const db = () => server.app.services.db;
const encode = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
let counter = 0;

interface Fixture {
  id: string;
  uuid: string;
  slug: string;
  chapterSlug: string;
  requestId: string;
  inviteId: string;
  token: string;
}

/** A group with the full cast, a chapter (made by the owner alone), a pending request, a ban and a link invite. */
async function fixture(visibility: Visibility): Promise<Fixture> {
  counter += 1;
  const tag = `${visibility.toLowerCase()}-${process.pid}-${Date.now().toString(36)}-${counter}`;
  const uid = (who: keyof typeof people) => userIdOf(people[who].id);
  const group = await db().group.create({
    data: {
      slug: `authz-${tag}`,
      name: `Authz ${tag}`,
      kind: 'COMMUNITY',
      visibility,
      memberships: {
        create: [
          ...(Object.entries(ROLE_OF) as Array<[keyof typeof ROLE_OF, 'OWNER']>).map(([who, role]) => ({
            userId: uid(who),
            role,
          })),
          { userId: uid('target'), role: 'MEMBER' as const },
        ],
      },
      bans: { create: { userId: uid('banned'), reason: 'spam' } },
      joinRequests: { create: { userId: uid('requester'), message: 'let me in' } },
    },
  });
  await db().group.create({
    data: {
      slug: `authz-${tag}-chapter`,
      name: `Authz ${tag} chapter`,
      kind: 'COMMUNITY',
      visibility,
      parentId: group.id,
      memberships: { create: { userId: uid('owner'), role: 'OWNER' } },
    },
  });
  const token = randomBytes(32).toString('base64url');
  const invite = await db().groupInvite.create({
    data: {
      groupId: group.id,
      createdById: uid('owner'),
      tokenHash: new Uint8Array(createHash('sha256').update(token).digest()),
    },
  });
  const request = await db().joinRequest.findFirstOrThrow({ where: { groupId: group.id } });
  return {
    id: encode('Group', group.id),
    uuid: group.id,
    slug: group.slug,
    chapterSlug: `authz-${tag}-chapter`,
    requestId: encode('JoinRequest', request.id),
    inviteId: encode('GroupInvite', invite.id),
    token,
  };
}

const who = (actor: Actor) => (actor === 'signedOut' ? null : people[actor]);
const canSee = (visibility: Visibility, actor: Actor) =>
  actor !== 'signedOut' && (visibility !== 'SECRET' || MEMBERS.includes(actor));

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
  for (const name of [
    'stranger',
    'member',
    'moderator',
    'admin',
    'owner',
    'banned',
    'target',
    'requester',
    'outsider',
  ] as const) {
    people[name] = await signUpMember(url, { name: `Authz ${name}` });
  }
});
afterAll(async () => {
  await server?.stop();
});

// ── what each actor may see ─────────────────────────────────────────────

const READ = /* GraphQL */ `
  query Read($slug: String!, $id: ID!, $requestId: ID!, $inviteId: ID!, $text: String!, $ownerId: ID!) {
    bySlug: group(slug: $slug) {
      id viewerRole viewerStatus
      viewerPermissions { edit approveRequests invite changeRoles removeMembers ban createEvents createChapters }
      members { totalCount }
      chapters { totalCount edges { node { id } } }
      joinRequests { totalCount edges { node { id } } }
      invites { edges { node { id } } }
      bans { edges { node { reason } } }
    }
    byNode: node(id: $id) { id }
    request: node(id: $requestId) { id }
    invite: node(id: $inviteId) { id }
    search: groups(filter: { text: $text }) { totalCount edges { node { id } } }
    owner: node(id: $ownerId) { ... on Person { sharedGroups { edges { node { id } } } } }
  }
`;

const CHAPTER = /* GraphQL */ `query($slug: String!) { group(slug: $slug) { id parent { id } } }`;

describe.each(VISIBILITIES)('seeing a %s group', (visibility) => {
  let group: Fixture;
  beforeAll(async () => {
    group = await fixture(visibility);
  });

  it.each(ACTORS)('%s sees exactly what the rules allow', async (actor) => {
    const response = await gql(
      url,
      READ,
      {
        slug: group.slug,
        id: group.id,
        requestId: group.requestId,
        inviteId: group.inviteId,
        text: group.slug.replace('authz-', ''),
        ownerId: personId(people.owner),
      },
      actor === 'signedOut' ? {} : { token: people[actor].token },
    );
    // Nothing of the groups module may fail; a hidden node is plain null. (A signed-out Person
    // lookup belongs to the people module and may answer with an error instead of null.)
    const errors = (response.body.errors ?? []).filter(
      (e) => !(actor === 'signedOut' && (e as { path?: string[] }).path?.[0] === 'owner'),
    );
    expect(errors).toEqual([]);
    const data = response.body.data!;
    const visible = canSee(visibility, actor);
    const staff = STAFF.includes(actor);
    const member = MEMBERS.includes(actor);

    // group(slug), node(id) and search agree: a SECRET group does not exist for non-members.
    expect(data.bySlug?.id ?? null).toBe(visible ? group.id : null);
    expect(data.byNode?.id ?? null).toBe(visible ? group.id : null);
    expect((data.search.edges as Array<{ node: { id: string } }>).some((e) => e.node.id === group.id)).toBe(visible);
    // Another member's group list shows only groups the viewer is in too.
    const shared = (data.owner?.sharedGroups.edges ?? []) as Array<{ node: { id: string } }>;
    expect(shared.some((e) => e.node.id === group.id)).toBe(member);
    // Join requests and invites: the group's staff only, through node() too.
    expect(data.request?.id ?? null).toBe(staff ? group.requestId : null);
    expect(data.invite?.id ?? null).toBe(staff ? group.inviteId : null);
    if (!visible) return;

    const seen = data.bySlug;
    expect(seen.viewerRole).toBe(member ? ROLE_OF[actor as keyof typeof ROLE_OF] : null);
    expect(seen.viewerStatus).toBe(member ? 'MEMBER' : actor === 'banned' ? 'BANNED' : 'NONE');
    expect(seen.viewerPermissions).toEqual({
      edit: ADMINS.includes(actor),
      approveRequests: staff,
      invite: staff,
      changeRoles: ADMINS.includes(actor),
      removeMembers: staff,
      ban: staff,
      createEvents: staff,
      createChapters: ADMINS.includes(actor),
    });
    // Members of a public group are visible to all signed in; of private/secret groups to members only.
    expect(seen.members.totalCount).toBe(visibility === 'PUBLIC' || member ? 5 : 0);
    expect(seen.joinRequests.totalCount).toBe(staff ? 1 : 0);
    expect(seen.joinRequests.edges).toHaveLength(staff ? 1 : 0);
    expect(seen.invites.edges).toHaveLength(staff ? 1 : 0);
    expect(seen.bans.edges).toHaveLength(staff ? 1 : 0);
    // The chapter's only member is the owner: a SECRET chapter is theirs alone.
    const chapterVisible = visibility !== 'SECRET' || actor === 'owner';
    expect(seen.chapters.totalCount).toBe(chapterVisible ? 1 : 0);
    const chapter = (await call(url, who(actor), CHAPTER, { slug: group.chapterSlug })).group;
    expect(chapter === null).toBe(!chapterVisible);
  });
});

describe('Viewer.groups', () => {
  it('lists only your own groups, secret ones included', async () => {
    const group = await fixture('SECRET');
    const mine = async (actor: Actor) =>
      (
        (await call(url, who(actor), '{ viewer { groups(first: 100) { edges { node { id } } } } }')).viewer?.groups
          .edges ?? []
      ).some((e: { node: { id: string } }) => e.node.id === group.id);
    for (const actor of ACTORS) expect(await mine(actor), actor).toBe(MEMBERS.includes(actor));
  });
});

// ── what each actor may do ──────────────────────────────────────────────

type Outcome = 'OK' | 'UNAUTHENTICATED' | 'NOT_FOUND' | 'FORBIDDEN' | string;

/** The usual gate: allowed roles succeed, other members get FORBIDDEN, non-members `outsider` (NOT_FOUND on a secret group). */
function gate(allowed: Actor[], outsider: Outcome = 'FORBIDDEN', memberDenied: Outcome = 'FORBIDDEN') {
  return (visibility: Visibility, actor: Actor): Outcome => {
    if (actor === 'signedOut') return 'UNAUTHENTICATED';
    if (allowed.includes(actor)) return 'OK';
    if (MEMBERS.includes(actor)) return memberDenied;
    return visibility === 'SECRET' ? 'NOT_FOUND' : outsider;
  };
}

interface Row {
  name: string;
  mutation: string;
  input: (group: Fixture) => Record<string, unknown>;
  expected: (visibility: Visibility, actor: Actor) => Outcome;
}

const target = () => personId(people.target);

const ROWS: Row[] = [
  {
    name: 'updateGroup',
    mutation: 'updateGroup',
    input: (g) => ({ groupId: g.id, description: 'changed' }),
    expected: gate(ADMINS),
  },
  {
    name: 'joinGroup',
    mutation: 'joinGroup',
    input: (g) => ({ groupId: g.id }),
    expected: (visibility, actor) => {
      if (actor === 'signedOut') return 'UNAUTHENTICATED';
      if (MEMBERS.includes(actor)) return 'OK'; // already in: nothing changes
      if (visibility === 'SECRET') return 'NOT_FOUND';
      if (actor === 'banned') return 'BANNED';
      return visibility === 'PUBLIC' ? 'OK' : 'REQUEST_REQUIRED';
    },
  },
  {
    name: 'requestToJoinGroup',
    mutation: 'requestToJoinGroup',
    input: (g) => ({ groupId: g.id, message: 'hello' }),
    expected: (visibility, actor) => {
      if (actor === 'signedOut') return 'UNAUTHENTICATED';
      if (visibility === 'SECRET' && !MEMBERS.includes(actor)) return 'NOT_FOUND';
      if (MEMBERS.includes(actor)) return 'ALREADY_MEMBER';
      if (actor === 'banned') return 'BANNED';
      return visibility === 'PUBLIC' ? 'JOIN_DIRECTLY' : 'OK';
    },
  },
  {
    name: 'approveJoinRequest (someone else’s request)',
    mutation: 'approveJoinRequest',
    input: (g) => ({ requestId: g.requestId }),
    expected: (_v, actor) => (actor === 'signedOut' ? 'UNAUTHENTICATED' : STAFF.includes(actor) ? 'OK' : 'NOT_FOUND'),
  },
  {
    name: 'declineJoinRequest (someone else’s request)',
    mutation: 'declineJoinRequest',
    input: (g) => ({ requestId: g.requestId }),
    expected: (_v, actor) => (actor === 'signedOut' ? 'UNAUTHENTICATED' : STAFF.includes(actor) ? 'OK' : 'NOT_FOUND'),
  },
  {
    name: 'cancelJoinRequest (someone else’s request)',
    mutation: 'cancelJoinRequest',
    input: (g) => ({ requestId: g.requestId }),
    expected: (_v, actor) => (actor === 'signedOut' ? 'UNAUTHENTICATED' : 'NOT_FOUND'),
  },
  {
    name: 'createInviteLink',
    mutation: 'createInviteLink',
    input: (g) => ({ groupId: g.id, maxUses: 3 }),
    expected: gate(STAFF),
  },
  {
    name: 'inviteMember',
    mutation: 'inviteMember',
    input: (g) => ({ groupId: g.id, personId: personId(people.outsider) }),
    expected: gate(STAFF),
  },
  {
    name: 'revokeInvite',
    mutation: 'revokeInvite',
    input: (g) => ({ inviteId: g.inviteId }),
    expected: (_v, actor) => (actor === 'signedOut' ? 'UNAUTHENTICATED' : STAFF.includes(actor) ? 'OK' : 'NOT_FOUND'),
  },
  {
    name: 'acceptInvite (link)',
    mutation: 'acceptInvite',
    input: (g) => ({ token: g.token }),
    expected: (_v, actor) => (actor === 'signedOut' ? 'UNAUTHENTICATED' : actor === 'banned' ? 'BANNED' : 'OK'),
  },
  {
    name: 'changeMemberRole',
    mutation: 'changeMemberRole',
    input: (g) => ({ groupId: g.id, personId: target(), role: 'MODERATOR' }),
    expected: gate(ADMINS),
  },
  {
    name: 'transferOwnership',
    mutation: 'transferOwnership',
    input: (g) => ({ groupId: g.id, personId: target() }),
    expected: gate(['owner']),
  },
  {
    name: 'removeMember',
    mutation: 'removeMember',
    input: (g) => ({ groupId: g.id, personId: target() }),
    expected: gate(STAFF),
  },
  {
    name: 'banMember',
    mutation: 'banMember',
    input: (g) => ({ groupId: g.id, personId: target(), reason: 'rude' }),
    expected: gate(STAFF),
  },
  {
    name: 'unbanMember',
    mutation: 'unbanMember',
    input: (g) => ({ groupId: g.id, personId: personId(people.banned) }),
    expected: gate(STAFF),
  },
  {
    name: 'leaveGroup',
    mutation: 'leaveGroup',
    input: (g) => ({ groupId: g.id }),
    expected: (visibility, actor) => {
      if (actor === 'signedOut') return 'UNAUTHENTICATED';
      if (actor === 'owner') return 'OWNER_MUST_TRANSFER';
      if (MEMBERS.includes(actor)) return 'OK';
      return visibility === 'SECRET' ? 'NOT_FOUND' : 'NOT_MEMBER';
    },
  },
  {
    name: 'createGroup (a chapter)',
    mutation: 'createGroup',
    input: (g) => ({ name: `Chapter of ${g.slug}`, kind: 'COMMUNITY', visibility: 'PUBLIC', parentId: g.id }),
    expected: gate(ADMINS),
  },
];

describe.each(ROWS)('$name', (row) => {
  describe.each(VISIBILITIES)('on a %s group', (visibility) => {
    it.each(ACTORS)('as %s', async (actor) => {
      const group = await fixture(visibility);
      const result = await mutate(url, who(actor), row.mutation, row.input(group));
      const outcome = /Payload$/.test(String(result.__typename)) ? 'OK' : result.code;
      expect(outcome, JSON.stringify(result)).toBe(row.expected(visibility, actor));
    });
  });
});
