import type { Group, Prisma } from '../../generated/prisma/client.js';
import { decodeId } from '../../lib/global-id.js';
import { NIL_UUID } from '../../lib/ids.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/index.js';
import { PersonRef, sharesGroupWithWhere } from '../people/index.js';
import { GroupKindEnum, GroupRef, GroupRoleEnum } from './group.type.js';
import {
  canViewGroup,
  groupInsidesWhere,
  groupsWhereViewerCan,
  permissionsOf,
  visibleGroupsWhere,
  visibleInvitesWhere,
  visibleJoinRequestsWhere,
  type GroupAction,
} from './groups.policy.js';
import { SLUG, searchInput } from './groups.inputs.js';
import { memberCount, viewerGroupState } from './viewer-state.js';

// Everything a group shows beyond its node: chapters, members, requests, invites, bans, what the
// viewer may do; plus the groups/group queries, Viewer.groups and Person.sharedGroups.
// Deny by default: lists an actor may not see come back empty, things they may not see are null.

const viewerKey = (ctx: { viewer: { id: string } | null }) => ctx.viewer?.id ?? NIL_UUID;

/** Rows of a group-owned list that only the roles allowed `action` may read. */
function staffOnly(ctx: { viewer: { id: string } | null }, action: GroupAction) {
  return { group: groupsWhereViewerCan(action, ctx.viewer?.id) };
}

export const GroupConnection = builder.connectionObject(
  {
    type: GroupRef,
    name: 'GroupConnection',
    fields: (t) => ({
      totalCount: t.int({
        resolve: (connection) => {
          const { totalCount } = connection as { totalCount?: number | (() => number | Promise<number>) };
          return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
        },
      }),
    }),
  },
  { name: 'GroupEdge' },
);

export const GroupViewerStatusEnum = builder.enumType('GroupViewerStatus', {
  values: ['NONE', 'MEMBER', 'PENDING', 'BANNED', 'INVITED'] as const,
});
export const JoinRequestStatusEnum = builder.enumType('JoinRequestStatus', {
  values: ['PENDING', 'APPROVED', 'DECLINED', 'CANCELLED'] as const,
});

type Permissions = ReturnType<typeof permissionsOf>;
const GroupPermissionsRef = builder.objectRef<Permissions>('GroupPermissions').implement({
  description: 'What the viewer may do in this group (the matrix in groups.policy.ts).',
  fields: (t) => ({
    edit: t.exposeBoolean('edit'),
    approveRequests: t.exposeBoolean('approveRequests'),
    invite: t.exposeBoolean('invite'),
    changeRoles: t.exposeBoolean('changeRoles'),
    removeMembers: t.exposeBoolean('removeMembers'),
    ban: t.exposeBoolean('ban'),
    createEvents: t.exposeBoolean('createEvents'),
    createChapters: t.exposeBoolean('createChapters'),
  }),
});

export const GroupMemberRef = builder.prismaObject('Membership', {
  name: 'GroupMember',
  fields: (t) => ({
    person: t.relation('user', { type: PersonRef }),
    role: t.expose('role', { type: GroupRoleEnum }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
  }),
});

export const JoinRequestRef = builder.prismaNode('JoinRequest', {
  id: { field: 'id' },
  nullable: true,
  // Visible to the requester (while they may still see the group) and to the group's approvers.
  findUnique: (id, ctx) => ({ id, AND: [visibleJoinRequestsWhere(ctx.viewer?.id)] }),
  fields: (t) => ({
    group: t.relation('group'),
    person: t.relation('user', { type: PersonRef }),
    message: t.exposeString('message', { nullable: true }),
    status: t.expose('status', { type: JoinRequestStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const GroupInviteRef = builder.prismaNode('GroupInvite', {
  id: { field: 'id' },
  nullable: true,
  // Visible to whoever may invite in the group; to the member a direct invite is for while it is
  // live (not revoked, accepted or expired, and they are not banned): through it they learn the
  // group's name even when it is secret; and to that invitee once they are a member.
  findUnique: (id, ctx) => ({ id, AND: [visibleInvitesWhere(ctx.viewer?.id, new Date())] }),
  fields: (t) => ({
    // The invitee of a direct invite learns the group's name and description from it: that is the invite.
    group: t.relation('group'),
    invitee: t.relation('invitee', { type: PersonRef, nullable: true }),
    createdBy: t.relation('createdBy', { type: PersonRef, nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    maxUses: t.exposeInt('maxUses', { nullable: true }),
    uses: t.exposeInt('uses'),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const GroupBanRef = builder.prismaObject('GroupBan', {
  fields: (t) => ({
    person: t.relation('user', { type: PersonRef }),
    reason: t.exposeString('reason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(GroupRef, (t) => ({
  institution: t.exposeString('institution', { nullable: true }),
  graduationYear: t.exposeInt('graduationYear', { nullable: true }),
  cohort: t.exposeString('cohort', { nullable: true }),
  allowedEmailDomain: t.exposeString('allowedEmailDomain', { nullable: true }),
  parent: t.field({
    type: GroupRef,
    nullable: true,
    description: 'The group this chapter belongs to; null for top-level groups (or a parent you may not see).',
    // Loaded with the chapter itself (no query per chapter); id, visibility and hiddenAt for the check below.
    select: (_args, _ctx, nestedSelection) => {
      const planned = nestedSelection(true) as { select?: Record<string, unknown> } | true;
      if (planned === true || !planned.select) return { parent: planned };
      return { parent: { ...planned, select: { ...planned.select, id: true, visibility: true, hiddenAt: true } } };
    },
    resolve: async (group, _args, ctx) => {
      const parent = group.parent as Pick<Group, 'id' | 'visibility' | 'hiddenAt'> | null;
      if (!parent) return null;
      // A chapter member who is not in the (secret) parent must not learn it exists.
      const role = (await viewerGroupState(ctx)).roles.get(parent.id);
      if (!canViewGroup(parent, { signedIn: ctx.viewer !== null, role })) return null;
      // The planned selection covers every field the query asks of the parent.
      return group.parent as unknown as Group;
    },
  }),
  chapters: t.relatedConnection(
    'chapters',
    {
      cursor: 'id',
      totalCount: true,
      maxSize: 100,
      defaultSize: 20,
      query: (_args, ctx) => ({ where: visibleGroupsWhere(ctx.viewer?.id), orderBy: { name: 'asc' } }),
    },
    GroupConnection,
  ),
  memberCount: t.int({ resolve: (group, _args, ctx) => memberCount(ctx, group.id) }),
  viewerRole: t.field({
    type: GroupRoleEnum,
    nullable: true,
    description: 'null when the viewer is not a member',
    resolve: async (group, _args, ctx) => (await viewerGroupState(ctx)).roles.get(group.id) ?? null,
  }),
  viewerPermissions: t.field({
    type: GroupPermissionsRef,
    description: 'what the viewer may do here',
    select: { parentId: true },
    resolve: async (group, _args, ctx) => permissionsOf((await viewerGroupState(ctx)).roles.get(group.id), group),
  }),
  viewerStatus: t.field({
    type: GroupViewerStatusEnum,
    description: 'NONE | MEMBER | PENDING | BANNED | INVITED',
    resolve: async (group, _args, ctx) => {
      const state = await viewerGroupState(ctx);
      if (state.roles.has(group.id)) return 'MEMBER';
      if (state.banned.has(group.id)) return 'BANNED';
      if (state.pending.has(group.id)) return 'PENDING';
      if (state.invited.has(group.id)) return 'INVITED';
      return 'NONE';
    },
  }),
  viewerInvite: t.field({
    type: GroupInviteRef,
    nullable: true,
    description:
      'Your own live direct invite to this group (not revoked, expired or accepted); null otherwise. Accept it with acceptInvite(inviteId).',
    // From the per-request viewer state: no statement per group.
    resolve: async (group, _args, ctx) => {
      const state = await viewerGroupState(ctx);
      if (state.roles.has(group.id)) return null;
      return state.invites.get(group.id) ?? null;
    },
  }),
  viewerJoinRequest: t.field({
    type: JoinRequestRef,
    nullable: true,
    description: 'Your own PENDING request to join this group (cancel it with cancelJoinRequest); null otherwise.',
    resolve: async (group, _args, ctx) => (await viewerGroupState(ctx)).requests.get(group.id) ?? null,
  }),
  members: t.relatedConnection(
    'memberships',
    {
      cursor: 'groupId_userId',
      totalCount: true,
      maxSize: 100,
      defaultSize: 20,
      description:
        'Members, owner first. Everyone signed in sees the members of a public group; only members see those of a private or secret one.',
      args: {
        search: t.arg.string({ required: false, validate: searchInput }),
        role: t.arg({ type: GroupRoleEnum, required: false }),
      },
      query: (args, ctx) => {
        const where: Prisma.MembershipWhereInput = { group: groupInsidesWhere(ctx.viewer?.id) };
        if (args.role) where.role = args.role;
        const search = args.search?.trim();
        if (search) where.user = { name: { contains: search, mode: 'insensitive' } };
        return { where, orderBy: [{ role: 'asc' }, { joinedAt: 'asc' }, { userId: 'asc' }] };
      },
    },
    { name: 'GroupMemberConnection' },
    { name: 'GroupMemberEdge' },
  ),
  joinRequests: t.relatedConnection(
    'joinRequests',
    {
      cursor: 'id',
      totalCount: true,
      maxSize: 100,
      defaultSize: 20,
      type: JoinRequestRef,
      description: 'Admins and moderators only (empty otherwise). Oldest first.',
      args: { status: t.arg({ type: JoinRequestStatusEnum, required: false, defaultValue: 'PENDING' }) },
      query: (args, ctx) => ({
        where: { ...(args.status ? { status: args.status } : {}), ...staffOnly(ctx, 'approveRequests') },
        orderBy: { createdAt: 'asc' },
      }),
    },
    { name: 'JoinRequestConnection' },
    { name: 'JoinRequestEdge' },
  ),
  invites: t.relatedConnection(
    'invites',
    {
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      type: GroupInviteRef,
      description: 'Admins and moderators only (empty otherwise). Newest first.',
      query: (_args, ctx) => ({ where: staffOnly(ctx, 'invite'), orderBy: { id: 'desc' } }),
    },
    { name: 'GroupInviteConnection' },
    { name: 'GroupInviteEdge' },
  ),
  bans: t.relatedConnection(
    'bans',
    {
      cursor: 'groupId_userId',
      maxSize: 100,
      defaultSize: 20,
      description: 'Admins and moderators only (empty otherwise). Newest first.',
      query: (_args, ctx) => ({ where: staffOnly(ctx, 'ban'), orderBy: [{ createdAt: 'desc' }, { userId: 'asc' }] }),
    },
    { name: 'GroupBanConnection' },
    { name: 'GroupBanEdge' },
  ),
}));

const GroupsFilter = builder.inputType('GroupsFilter', {
  fields: (t) => ({
    text: t.string({ required: false, validate: searchInput }),
    kind: t.field({ type: GroupKindEnum, required: false }),
    mine: t.boolean({ required: false, description: 'only groups the viewer is in' }),
    connections: t.boolean({
      required: false,
      description: 'groups that people who share a group with the viewer are in',
    }),
    parentId: t.id({ required: false, description: 'chapters of this group' }),
  }),
});

type GroupsFilterValue = {
  text?: string | null;
  kind?: 'COMMUNITY' | 'ALUMNI' | 'PROGRAM' | null;
  mine?: boolean | null;
  connections?: boolean | null;
  parentId?: string | number | null;
};

function groupsWhere(
  filter: GroupsFilterValue | null | undefined,
  viewerId: string | undefined,
): Prisma.GroupWhereInput {
  if (!viewerId) return { id: NIL_UUID };
  const and: Prisma.GroupWhereInput[] = [visibleGroupsWhere(viewerId)];
  const text = filter?.text?.trim();
  if (text) {
    and.push({
      OR: [
        { name: { contains: text, mode: 'insensitive' } },
        { description: { contains: text, mode: 'insensitive' } },
        { institution: { contains: text, mode: 'insensitive' } },
        { cohort: { contains: text, mode: 'insensitive' } },
      ],
    });
  }
  if (filter?.kind) and.push({ kind: filter.kind });
  if (filter?.mine) and.push({ memberships: { some: { userId: viewerId } } });
  if (filter?.connections) {
    // Someone else who shares a group with the viewer is in it. Only memberships the viewer may
    // see count: member lists of private (and secret) groups are for their members.
    and.push(groupInsidesWhere(viewerId));
    and.push({
      memberships: {
        some: {
          userId: { not: viewerId },
          user: sharesGroupWithWhere(viewerId),
        },
      },
    });
  }
  if (filter?.parentId != null) and.push({ parentId: decodeId(String(filter.parentId), 'Group') ?? NIL_UUID });
  return { AND: and };
}

const BY_NAME = [{ name: 'asc' }, { id: 'asc' }] satisfies Prisma.GroupOrderByWithRelationInput[];

builder.queryFields((t) => ({
  groups: t.prismaConnection(
    {
      type: GroupRef,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Groups the viewer may see, by name. Empty when signed out.',
      args: { filter: t.arg({ type: GroupsFilter, required: false }) },
      totalCount: (_root, args, ctx) => ctx.db.group.count({ where: groupsWhere(args.filter, ctx.viewer?.id) }),
      resolve: (query, _root, args, ctx) =>
        ctx.db.group.findMany({ ...query, where: groupsWhere(args.filter, ctx.viewer?.id), orderBy: BY_NAME }),
    },
    GroupConnection,
  ),
  group: t.prismaField({
    type: GroupRef,
    nullable: true,
    description: 'A group by its slug; null when it does not exist or you may not see it.',
    args: { slug: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      const slug = args.slug.trim().toLowerCase();
      // No group has a slug that is not one (a NUL, say, must not reach the database).
      if (!ctx.viewer || slug.length > 200 || !SLUG.test(slug)) return null;
      return ctx.db.group.findFirst({ ...query, where: { slug, AND: [visibleGroupsWhere(ctx.viewer.id)] } });
    },
  }),
}));

builder.prismaObjectField(ViewerRef, 'groups', (t) =>
  t.prismaConnection(
    {
      type: GroupRef,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Groups you are in, by name.',
      totalCount: (user, _args, ctx) => ctx.db.group.count({ where: { memberships: { some: { userId: user.id } } } }),
      resolve: (query, user, _args, ctx) =>
        ctx.db.group.findMany({ ...query, where: { memberships: { some: { userId: user.id } } }, orderBy: BY_NAME }),
    },
    GroupConnection,
  ),
);

builder.prismaObjectField(PersonRef, 'sharedGroups', (t) =>
  t.prismaConnection(
    {
      type: GroupRef,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      description: 'Groups both you and this person are in (so never a secret group you are not in).',
      totalCount: (person, _args, ctx) => ctx.db.group.count({ where: sharedWhere(person.id, ctx) }),
      resolve: (query, person, _args, ctx) =>
        ctx.db.group.findMany({ ...query, where: sharedWhere(person.id, ctx), orderBy: BY_NAME }),
    },
    GroupConnection,
  ),
);

function sharedWhere(personId: string, ctx: { viewer: { id: string } | null }): Prisma.GroupWhereInput {
  return {
    AND: [{ memberships: { some: { userId: personId } } }, { memberships: { some: { userId: viewerKey(ctx) } } }],
  };
}
