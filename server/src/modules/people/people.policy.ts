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

/** Users whose `field` every signed-in member sees (the Prisma form, e.g. skill autocomplete), standing included. */
export function fieldVisibleToEveryMemberWhere(field: ProfileField): Prisma.UserWhereInput {
  const visible = { [`${field}Visibility`]: { in: visibilitiesSeenBy('MEMBER') } } as Prisma.UserWhereInput;
  return isModeratedField(field) ? { AND: [visible, standingSeenWhere('words', null, false)] } : visible;
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
 * and what only members sharing a group see; and, for the member's own words, from STANDING_SIGHT.
 */
export function fieldVisibleSql(field: ProfileField, viewerId: string, isAdmin: boolean): Prisma.Sql {
  const byVisibility = fieldVisibilitySql(field, viewerId);
  return isModeratedField(field)
    ? Prisma.sql`(${byVisibility} AND ${standingSeenSql('words', viewerId, isAdmin)})`
    : byVisibility;
}

function fieldVisibilitySql(field: ProfileField, viewerId: string): Prisma.Sql {
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

// ── A member's standing, set by the instance's admins ───────────────────

/**
 * What the instance's admins (modules/safety) did to a member: nothing (ACTIVE), hid their profile
 * (HIDDEN), or suspended them (SUSPENDED, which also ends their sessions and refuses sign-in; the
 * accounts module holds that part). Suspension wins when both were done.
 */
export const PROFILE_STANDINGS = ['ACTIVE', 'HIDDEN', 'SUSPENDED'] as const;
export type ProfileStanding = (typeof PROFILE_STANDINGS)[number];

/** How a viewer stands to a profile for its standing: anyone else, the member, or an instance admin. */
export type StandingViewer = 'OTHER' | 'OWNER' | 'ADMIN';
const STANDING_VIEWERS = ['OTHER', 'OWNER', 'ADMIN'] as const satisfies readonly StandingViewer[];

/** The member's own words: what hiding a profile hides. Every other field follows FIELD_AUDIENCES alone. */
export const MODERATED_FIELDS = ['headline', 'bio', 'skills', 'links'] as const satisfies readonly ProfileField[];

/**
 * Who still sees what, by standing. `person`: the member at all (person(id), node(id), the
 * directory; their name on what they wrote stays). `words`: MODERATED_FIELDS, on top of each
 * field's own visibility. `told`: whether the standing itself is shown (Person.standing: the member
 * gets a note on their own profile, admins their controls). A suspended profile is hidden from
 * everyone, admins too (they reach the member through the report and the moderation log).
 */
export const STANDING_SIGHT = {
  person: { ACTIVE: ['OTHER', 'OWNER', 'ADMIN'], HIDDEN: ['OTHER', 'OWNER', 'ADMIN'], SUSPENDED: [] },
  words: { ACTIVE: ['OTHER', 'OWNER', 'ADMIN'], HIDDEN: ['OWNER', 'ADMIN'], SUSPENDED: ['ADMIN'] },
  told: { ACTIVE: ['OWNER', 'ADMIN'], HIDDEN: ['OWNER', 'ADMIN'], SUSPENDED: ['OWNER', 'ADMIN'] },
} as const satisfies Record<string, Record<ProfileStanding, readonly StandingViewer[]>>;

export type StandingSight = keyof typeof STANDING_SIGHT;

export function standingOf(user: { suspendedAt: Date | null; profileHiddenAt: Date | null }): ProfileStanding {
  if (user.suspendedAt !== null) return 'SUSPENDED';
  return isProfileHidden(user) ? 'HIDDEN' : 'ACTIVE';
}

/** Whether the admins hid the member's own words (suspension aside). */
export function isProfileHidden(user: { profileHiddenAt: Date | null }): boolean {
  return user.profileHiddenAt !== null;
}

/** Admins see what the member sees, and the member what anyone sees: the SQL and Prisma forms rely on it. */
export function standingViewerOf(
  viewerId: string | null | undefined,
  ownerId: string,
  isAdmin: boolean,
): StandingViewer {
  if (isAdmin) return 'ADMIN';
  return viewerId === ownerId ? 'OWNER' : 'OTHER';
}

/** The JS check. */
export function seesStanding(sight: StandingSight, standing: ProfileStanding, viewer: StandingViewer): boolean {
  return (STANDING_SIGHT[sight][standing] as readonly StandingViewer[]).includes(viewer);
}

for (const [sight, row] of Object.entries(STANDING_SIGHT) as Array<
  [StandingSight, Record<ProfileStanding, readonly StandingViewer[]>]
>) {
  for (const standing of PROFILE_STANDINGS) {
    for (const [index, viewer] of STANDING_VIEWERS.entries()) {
      const wider = STANDING_VIEWERS[index + 1];
      if (wider && row[standing].includes(viewer) && !row[standing].includes(wider)) {
        throw new Error(`STANDING_SIGHT.${sight}.${standing}: ${wider} must see what ${viewer} sees`);
      }
    }
  }
}
// node(id) decides with a Prisma filter made before anyone asks whether the viewer is an admin
// (findUnique is synchronous): exact only while admins see a person as any member does.
for (const standing of PROFILE_STANDINGS) {
  if (seesStanding('person', standing, 'ADMIN') !== seesStanding('person', standing, 'OTHER')) {
    throw new Error(`STANDING_SIGHT.person.${standing}: admins must see a person exactly as any member does`);
  }
}

/** Who may load the Person node (node(id), person(id)): standingSeenWhere('person', …) needs no admin check. */
export function personSeenWhere(viewerId: string): Prisma.UserWhereInput {
  return standingSeenWhere('person', viewerId, false);
}

/** The profile as this viewer may see it for its standing: the words it hides are null. */
export function maskStanding<T extends Record<ProfileField, unknown>>(
  profile: T,
  standing: ProfileStanding,
  viewer: StandingViewer,
): T {
  if (seesStanding('words', standing, viewer)) return profile;
  const masked = { ...profile };
  for (const field of MODERATED_FIELDS) masked[field] = null as T[typeof field];
  return masked;
}

const STANDING_WHERE: Record<ProfileStanding, Prisma.UserWhereInput> = {
  ACTIVE: { suspendedAt: null, profileHiddenAt: null },
  HIDDEN: { suspendedAt: null, profileHiddenAt: { not: null } },
  SUSPENDED: { suspendedAt: { not: null } },
};

const STANDING_SQL: Record<ProfileStanding, string> = {
  ACTIVE: 'u."suspendedAt" IS NULL AND u."profileHiddenAt" IS NULL',
  HIDDEN: 'u."suspendedAt" IS NULL AND u."profileHiddenAt" IS NOT NULL',
  SUSPENDED: 'u."suspendedAt" IS NOT NULL',
};

/**
 * The standings whose `sight` this viewer has, each with the condition it needs: none (every
 * viewer of this kind sees it) or "the row is the viewer's own". `viewerId` null: any member but
 * the owner (e.g. what every member sees).
 */
function standingBranches(
  sight: StandingSight,
  viewerId: string | null,
  isAdmin: boolean,
): Array<{ standing: ProfileStanding; ownOnly: boolean }> {
  return PROFILE_STANDINGS.flatMap((standing): Array<{ standing: ProfileStanding; ownOnly: boolean }> => {
    if (seesStanding(sight, standing, isAdmin ? 'ADMIN' : 'OTHER')) return [{ standing, ownOnly: false }];
    if (!isAdmin && viewerId && seesStanding(sight, standing, 'OWNER')) return [{ standing, ownOnly: true }];
    return [];
  });
}

/**
 * seesStanding as a Prisma filter on User. Whether the viewer is an admin is the caller's to know
 * (the safety module's rule); the member is known by id; `viewerId` null: what any other member sees.
 */
export function standingSeenWhere(
  sight: StandingSight,
  viewerId: string | null,
  isAdmin: boolean,
): Prisma.UserWhereInput {
  const branches = standingBranches(sight, viewerId, isAdmin).map(({ standing, ownOnly }) =>
    ownOnly && viewerId ? { ...STANDING_WHERE[standing], id: viewerId } : STANDING_WHERE[standing],
  );
  return branches.length > 0 ? { OR: branches } : { id: { in: [] } };
}

/** seesStanding for the User row aliased `u`, as a boolean SQL expression (the directory). */
export function standingSeenSql(sight: StandingSight, viewerId: string, isAdmin: boolean): Prisma.Sql {
  const branches = standingBranches(sight, viewerId, isAdmin).map(({ standing, ownOnly }) => {
    // Conditions from the closed table above, not input.
    const is = Prisma.raw(`(${STANDING_SQL[standing]})`);
    return ownOnly ? Prisma.sql`(${is} AND u.id = ${viewerId}::uuid)` : is;
  });
  return branches.length > 0 ? Prisma.sql`(${Prisma.join(branches, ' OR ')})` : Prisma.sql`false`;
}

/** Whether the member's own words are among the fields their standing may hide. */
export function isModeratedField(field: ProfileField): boolean {
  return (MODERATED_FIELDS as readonly ProfileField[]).includes(field);
}
