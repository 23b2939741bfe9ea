import { Prisma } from '../../generated/prisma/client.js';
import type { FieldVisibility, GroupKind, GroupRole } from '../../generated/prisma/enums.js';
import { canSeeField, notKeptApartSql, standingSeenSql } from '../people/index.js';
import { type MentorField, mayProposePairing } from './mentorship.policy.js';

// Who may be suggested to whom (mentorSuggestions), written once as SQL over the candidate
// statement's aliases: `mp` (MentorProfile), `u` (the mentor's User row), `shared` (a CTE of the
// members who share a group with the mentee, people's sharedWithViewerSql). Each rule of
// "never suggested" is one fragment here; tests/api/mentor-suggestions.test.ts shows each one.

const VISIBILITIES = ['MEMBERS', 'SHARED_GROUPS', 'ONLY_ME'] as const satisfies readonly FieldVisibility[];

/** `mp."<field>Visibility" IN (…)`: enum literals from the closed list above, not input. */
function visibilityIn(field: MentorField, visibilities: readonly FieldVisibility[]): Prisma.Sql {
  if (visibilities.length === 0) return Prisma.sql`false`;
  return Prisma.raw(`mp."${field}Visibility" IN (${visibilities.map((v) => `'${v}'`).join(', ')})`);
}

/**
 * canSeeMentorField for the mentee (never the mentor: the mentor is excluded), as SQL: made from
 * people's canSeeField, so a filter or an order never uses a field the mentee may not see.
 */
export function mentorFieldSeenSql(field: MentorField, shares: Prisma.Sql = SHARES): Prisma.Sql {
  const byAnyMember = VISIBILITIES.filter((v) => canSeeField(v, 'MEMBER'));
  const bySharing = VISIBILITIES.filter((v) => canSeeField(v, 'SHARES_GROUP') && !byAnyMember.includes(v));
  return Prisma.sql`(${visibilityIn(field, byAnyMember)} OR (${visibilityIn(field, bySharing)} AND ${shares}))`;
}

/** The mentor (`u`) shares a group with the mentee; a statement may compute it once and pass the column instead. */
export const SHARES = Prisma.sql`u.id IN (SELECT id FROM shared)`;

/**
 * The mentors who may be suggested to the mentee at all (the issue's "never suggested"):
 * - not the mentee themself; accepting (not paused); with room (ACTIVE mentorships < capacity);
 * - their profile's words seen by the mentee (not hidden or suspended: mentorProfileSeenWhere's rule);
 * - no block either way (blocking.policy requestMentorship);
 * - no PENDING, DECLINED or EXPIRED request from the mentee, and no mentorship (ACTIVE or ENDED)
 *   of the pair: asking again is the mentee's choice from the profile, not a suggestion;
 * - askScope EVERYONE, or the mentee belongs to one of the mentor's chosen groups.
 * `active` is the mentor's count of ACTIVE mentorships (a column of the statement).
 */
export function suggestibleMentorSql(menteeId: string, active: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`mp."userId" <> ${menteeId}::uuid
    AND mp.accepting
    AND ${active} < mp.capacity
    AND ${standingSeenSql('words', menteeId, false)}
    AND ${notKeptApartSql('requestMentorship', menteeId, Prisma.raw('u.id'))}
    AND NOT EXISTS (SELECT 1 FROM "MentorshipRequest" policy_r
      WHERE policy_r."menteeId" = ${menteeId}::uuid AND policy_r."mentorId" = mp."userId"
        AND policy_r.status IN ('PENDING', 'DECLINED', 'EXPIRED'))
    AND NOT EXISTS (SELECT 1 FROM "Mentorship" policy_ms
      WHERE policy_ms."menteeId" = ${menteeId}::uuid AND policy_ms."mentorId" = mp."userId")
    AND (mp."askScope" = 'EVERYONE' OR EXISTS (SELECT 1 FROM "MentorAskGroup" policy_ag
      JOIN "Membership" policy_m ON policy_m."groupId" = policy_ag."groupId" AND policy_m."userId" = ${menteeId}::uuid
      WHERE policy_ag."mentorId" = mp."userId"))`;
}

/** The mentor belongs to the group (matching within one group, e.g. a PROGRAM). */
export function mentorInGroupSql(groupId: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Membership" policy_gm
    WHERE policy_gm."groupId" = ${groupId}::uuid AND policy_gm."userId" = mp."userId")`;
}

/** A CTE body: the mentee's groups (id, name, kind). Name it `mentee_groups`; sharedGroupsJsonSql reads it. */
export function menteeGroupsSql(menteeId: string): Prisma.Sql {
  return Prisma.sql`SELECT g.id, g.name, g.kind FROM "Membership" mine JOIN "Group" g ON g.id = mine."groupId"
    WHERE mine."userId" = ${menteeId}::uuid`;
}

/** The groups both the mentee and the mentor (`mp`) are in, as a JSON array [{ id, name, kind }] by name. */
export function sharedGroupsJsonSql(): Prisma.Sql {
  return Prisma.sql`COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name, 'kind', g.kind)
      ORDER BY g.name, g.id)
    FROM "Membership" theirs JOIN mentee_groups g ON g.id = theirs."groupId"
    WHERE theirs."userId" = mp."userId"), '[]'::json)`;
}

/**
 * Who may see a member's suggestions within a group (Group.mentorSuggestionsFor): the same people
 * who may pair members by hand there, a PROGRAM group's owners and admins. They see, never change:
 * their looking records nothing (no top-suggestion hold).
 */
export function maySeeMemberSuggestions(group: { kind: GroupKind }, role: GroupRole | null | undefined): boolean {
  return mayProposePairing(group, role);
}
