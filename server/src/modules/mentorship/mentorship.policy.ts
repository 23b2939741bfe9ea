import type { DbClient } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { FieldVisibility } from '../../generated/prisma/enums.js';
import { type Audience, audienceOf, canSeeField, sharesGroupWithWhere, standingSeenWhere } from '../people/index.js';

// Who sees what of mentorship, written once. The field-visibility rule itself is people's
// (people.policy FIELD_AUDIENCES through canSeeField); this file only says which mentor fields
// have a visibility and who sees a mentor profile or a mentee's needs at all.

export const MENTOR_FIELDS = [
  'expertise',
  'helpOffered',
  'capacity',
  'formats',
  'cadences',
  'weeklyHours',
  'languages',
  'askScope',
] as const;
export type MentorField = (typeof MENTOR_FIELDS)[number];
export type MentorVisibilities = Record<MentorField, FieldVisibility>;

export function mentorVisibilitiesOf(
  row: { [K in MentorField as `${K}Visibility`]: FieldVisibility },
): MentorVisibilities {
  const visibilities = {} as MentorVisibilities;
  for (const field of MENTOR_FIELDS) visibilities[field] = row[`${field}Visibility`];
  return visibilities;
}

/**
 * A mentor profile is the member's own words: it is seen by signed-in members who see the member's
 * words (people.policy STANDING_SIGHT.words; a hidden profile's mentor profile is the member's own
 * only). Signed out: no one. The Prisma form (node(id), Person.mentorProfile, Viewer.mentorProfile).
 */
export function mentorProfileSeenWhere(viewerId: string | null | undefined): Prisma.MentorProfileWhereInput {
  if (!viewerId) return { userId: { in: [] } };
  return { user: standingSeenWhere('words', viewerId, false) };
}

/** How the viewer stands to the mentor, for each field's visibility (people's audiences). */
export async function mentorAudience(
  db: DbClient,
  viewerId: string | null | undefined,
  mentorId: string,
): Promise<Audience> {
  if (!viewerId || viewerId === mentorId) return audienceOf(viewerId, mentorId, false);
  const shares = await db.user.count({ where: { id: mentorId, ...sharesGroupWithWhere(viewerId) } });
  return audienceOf(viewerId, mentorId, shares > 0);
}

export function canSeeMentorField(visibilities: MentorVisibilities, field: MentorField, audience: Audience): boolean {
  return canSeeField(visibilities[field], audience);
}

/** A mentee's needs: only the member, for now (later also the mentors they ask). */
export function seesMenteeNeeds(viewerId: string | null | undefined, menteeId: string): boolean {
  return viewerId != null && viewerId === menteeId;
}

/** Who may ask: a mentor may only choose groups they belong to. The ids among `groupIds` they do not. */
export async function groupsNotTheMentors(
  db: DbClient,
  mentorId: string,
  groupIds: readonly string[],
): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const mine = await db.membership.findMany({
    where: { userId: mentorId, groupId: { in: [...groupIds] } },
    select: { groupId: true },
  });
  const own = new Set(mine.map((membership) => membership.groupId));
  return groupIds.filter((id) => !own.has(id));
}
