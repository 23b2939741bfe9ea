import { Prisma } from '../../generated/prisma/client.js';
import type { FieldVisibility } from '../../generated/prisma/enums.js';

// Who may see which profile field. Plain functions, unit-tested in people.auth.test.ts; the
// same rule also exists as SQL fragments (below) so directory search never matches on a field
// the viewer may not see. Name and initials are always visible to signed-in members; the email
// address is never part of a profile at all.

export const PROFILE_FIELDS = ['headline', 'bio', 'location', 'timeZone', 'skills', 'openTo', 'links'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** How the viewer stands to the owner of a profile. */
export type Audience = 'SIGNED_OUT' | 'MEMBER' | 'SHARES_GROUP' | 'OWNER';

export function audienceOf(viewerId: string | null | undefined, ownerId: string, sharesGroup: boolean): Audience {
  if (!viewerId) return 'SIGNED_OUT';
  if (viewerId === ownerId) return 'OWNER';
  return sharesGroup ? 'SHARES_GROUP' : 'MEMBER';
}

export function canSeeField(visibility: FieldVisibility, audience: Audience): boolean {
  switch (audience) {
    case 'OWNER':
      return true;
    case 'SIGNED_OUT':
      return false;
    case 'SHARES_GROUP':
      return visibility === 'MEMBERS' || visibility === 'SHARED_GROUPS';
    case 'MEMBER':
      return visibility === 'MEMBERS';
  }
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

// ── The same rule in SQL, for search ─────────────────────────────────────

const VISIBILITY_COLUMN: Record<ProfileField, Prisma.Sql> = {
  headline: Prisma.raw('"headlineVisibility"'),
  bio: Prisma.raw('"bioVisibility"'),
  location: Prisma.raw('"locationVisibility"'),
  timeZone: Prisma.raw('"timeZoneVisibility"'),
  skills: Prisma.raw('"skillsVisibility"'),
  openTo: Prisma.raw('"openToVisibility"'),
  links: Prisma.raw('"linksVisibility"'),
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

/** canSeeField for the User row aliased `u`, as a boolean SQL expression (needs the `shared` CTE). */
export function fieldVisibleSql(field: ProfileField, viewerId: string): Prisma.Sql {
  const column = VISIBILITY_COLUMN[field];
  return Prisma.sql`(u.id = ${viewerId}::uuid OR u.${column} = 'MEMBERS'
    OR (u.${column} = 'SHARED_GROUPS' AND u.id IN (SELECT id FROM shared)))`;
}
