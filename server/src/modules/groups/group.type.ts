import { builder } from '../../schema/builder.js';
import { GROUP_ROLES, GROUP_VISIBILITIES, isHiddenByAdmins, visibleGroupsWhere } from './groups.policy.js';

// The group node. A SECRET group (or one the admins hid) does not exist for non-members: node(),
// search and every nested list go through visibleGroupsWhere. More fields live in group.fields.ts.

export const GroupKindEnum = builder.enumType('GroupKind', { values: ['COMMUNITY', 'ALUMNI', 'PROGRAM'] as const });
export const GroupVisibilityEnum = builder.enumType('GroupVisibility', {
  values: GROUP_VISIBILITIES,
});
export const GroupRoleEnum = builder.enumType('GroupRole', {
  values: GROUP_ROLES,
});

export const GroupRef = builder.prismaNode('Group', {
  id: { field: 'id' },
  // A group the viewer may not see loads as null (not an error), exactly like a missing one.
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [visibleGroupsWhere(ctx.viewer?.id)] }),
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    kind: t.expose('kind', { type: GroupKindEnum }),
    visibility: t.expose('visibility', { type: GroupVisibilityEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    hiddenByAdmins: t.boolean({
      description:
        "This Guildhall's admins hid the group: only its members still see it (it is gone from search, lists and node() for everyone else).",
      select: { hiddenAt: true },
      resolve: (group) => isHiddenByAdmins(group),
    }),
  }),
});
