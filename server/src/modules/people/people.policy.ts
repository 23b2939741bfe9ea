import { Prisma } from '../../generated/prisma/client.js';
import type { FieldVisibility } from '../../generated/prisma/enums.js';

// Who may see which profile field: one table (FIELD_AUDIENCES). The JS check (canSeeField,
// maskProfile), the Prisma filter (fieldVisibleToEveryMemberWhere) and the SQL fragment of
// directory search (fieldVisibleSql) are all made from it, and tests/api/policy-twins.test.ts
// runs JS and SQL against every visibility and viewer on a real database. Name and initials are
// always visible to signed-in members; the email address is never part of a profile at all.

export const PROFILE_FIELDS = ['headline', 'bio', 'location', 'timeZone', 'skills', 'openTo', 'links'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export const FIELD_VISIBILITIES = ['MEMBERS', 'SHARED_GROUPS', 'ONLY_ME'] as const satisfies readonly FieldVisibility[];

/** How the viewer stands to the owner of a profile. */
export type Audience = 'SIGNED_OUT' | 'MEMBER' | 'SHARES_GROUP' | 'OWNER';

/** Who sees a field of each visibility. Each audience here also sees what the one before it sees. */
export const FIELD_AUDIENCES = {
  MEMBERS: ['MEMBER', 'SHARES_GROUP', 'OWNER'],
  SHARED_GROUPS: ['SHARES_GROUP', 'OWNER'],
  ONLY_ME: ['OWNER'],
} as const satisfies Record<FieldVisibility, readonly Audience[]>;

export function audienceOf(viewerId: string | null | undefined, ownerId: string, sharesGroup: boolean): Audience {
  if (!viewerId) return 'SIGNED_OUT';
  if (viewerId === ownerId) return 'OWNER';
  return sharesGroup ? 'SHARES_GROUP' : 'MEMBER';
}

export function canSeeField(visibility: FieldVisibility, audience: Audience): boolean {
  return (FIELD_AUDIENCES[visibility] as readonly Audience[]).includes(audience);
}

/** The visibilities a field may have for this audience to see it. */
export function visibilitiesSeenBy(audience: Audience): FieldVisibility[] {
  return FIELD_VISIBILITIES.filter((visibility) => canSeeField(visibility, audience));
}

export type FieldVisibilities = Record<ProfileField, FieldVisibility>;

/** The visibility columns of a User row, keyed by profile field. */
export function visibilitiesOf(user: { [K in ProfileField as `${K}Visibility`]: FieldVisibility }): FieldVisibilities {
  return {
    headline: user.headlineVisibility,
    bio: user.bioVisibility,
    location: user.locationVisibility,
    timeZone: user.timeZoneVisibility,
    skills: user.skillsVisibility,
    openTo: user.openToVisibility,
    links: user.linksVisibility,
  };
}

export type Masked<T extends Record<ProfileField, unknown>> = { [K in ProfileField]: T[K] | null };

/** The profile as this audience sees it: every field it may not see is null. */
export function maskProfile<T extends Record<ProfileField, unknown>>(
  profile: T,
  visibility: FieldVisibilities,
  audience: Audience,
): Masked<T> {
  const masked = {} as Masked<T>;
  for (const field of PROFILE_FIELDS) {
    masked[field] = canSeeField(visibility[field], audience) ? profile[field] : null;
  }
  return masked;
}

// ── The same rule for the database ──────────────────────────────────────

/** Users whose `field` every signed-in member sees (the Prisma form, e.g. skill autocomplete). */
export function fieldVisibleToEveryMemberWhere(field: ProfileField): Prisma.UserWhereInput {
  return { [`${field}Visibility`]: { in: visibilitiesSeenBy('MEMBER') } } as Prisma.UserWhereInput;
}

const VISIBILITY_COLUMN: Record<ProfileField, string> = {
  headline: '"headlineVisibility"',
  bio: '"bioVisibility"',
  location: '"locationVisibility"',
  timeZone: '"timeZoneVisibility"',
  skills: '"skillsVisibility"',
  openTo: '"openToVisibility"',
  links: '"linksVisibility"',
};

/**
 * A CTE body: the ids of members who share at least one group with the viewer (the viewer too).
 * Name it `shared`; fieldVisibleSql refers to it.
 */
export function sharedWithViewerSql(viewerId: string): Prisma.Sql {
  return Prisma.sql`SELECT DISTINCT theirs."userId" AS id
    FROM "Membership" mine JOIN "Membership" theirs ON theirs."groupId" = mine."groupId"
    WHERE mine."userId" = ${viewerId}::uuid`;
}

/** The same set as a Prisma filter on User: members who share at least one group with the viewer. */
export function sharesGroupWithWhere(viewerId: string): Prisma.UserWhereInput {
  return { memberships: { some: { group: { memberships: { some: { userId: viewerId } } } } } };
}

/** `u.<column> IN ('MEMBERS', …)`: enum literals from the closed table above, not user input. */
function columnIn(field: ProfileField, visibilities: readonly FieldVisibility[]): Prisma.Sql {
  if (visibilities.length === 0) return Prisma.sql`false`;
  return Prisma.raw(`u.${VISIBILITY_COLUMN[field]} IN (${visibilities.map((v) => `'${v}'`).join(', ')})`);
}

// The OR form of fieldVisibleSql is exact only while each audience sees everything the one
// before it sees (SIGNED_OUT ⊆ MEMBER ⊆ SHARES_GROUP ⊆ OWNER): refuse to start otherwise.
const ORDER: Audience[] = ['SIGNED_OUT', 'MEMBER', 'SHARES_GROUP', 'OWNER'];
for (const [index, audience] of ORDER.entries()) {
  const wider = ORDER[index + 1];
  if (wider && visibilitiesSeenBy(audience).some((v) => !canSeeField(v, wider))) {
    throw new Error(`FIELD_AUDIENCES: ${wider} must see every field ${audience} sees`);
  }
}

/**
 * canSeeField for the User row aliased `u` and a signed-in viewer, as a boolean SQL expression
 * (needs the `shared` CTE). Made from FIELD_AUDIENCES: the owner's fields, what any member sees,
 * and what only members sharing a group see.
 */
export function fieldVisibleSql(field: ProfileField, viewerId: string): Prisma.Sql {
  const owner = visibilitiesSeenBy('OWNER');
  const everyMember = visibilitiesSeenBy('MEMBER');
  const sharing = visibilitiesSeenBy('SHARES_GROUP').filter((v) => !everyMember.includes(v));
  const ownerSql =
    owner.length === FIELD_VISIBILITIES.length
      ? Prisma.sql`u.id = ${viewerId}::uuid`
      : Prisma.sql`(u.id = ${viewerId}::uuid AND ${columnIn(field, owner)})`;
  return Prisma.sql`(${ownerSql} OR ${columnIn(field, everyMember)}
    OR (${columnIn(field, sharing)} AND u.id IN (SELECT id FROM shared)))`;
}
