import type { Db, DbClient } from '../../db.js';
import type { FieldVisibility, IntroductionsThrough, OpenTo, SkillLevel } from '../../generated/prisma/enums.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ProfileField } from './people.policy.js';
import { slugOf } from './people.inputs.js';

// Profile writes. Every change of one updateProfile lands in one transaction, or none does.

export interface ProfileUpdate {
  name?: string | null;
  headline?: string | null;
  bio?: string | null;
  location?: string | null;
  timeZone?: string | null;
  skills?: ReadonlyArray<{ name: string; level: SkillLevel }> | null;
  openTo?: readonly OpenTo[] | null;
  introductionsThrough?: IntroductionsThrough | null;
  links?: ReadonlyArray<{ label: string; url: string }> | null;
  visibility?: Partial<Record<ProfileField, FieldVisibility | null | undefined>> | null;
}

/**
 * The catalogue ids of these skills, keyed by slug. New skills join the shared catalogue under
 * their slug; an existing one keeps its spelling. Also used by mentorship (expertise, skills to develop).
 */
export async function skillIdsBySlug(
  tx: DbClient,
  names: ReadonlyArray<{ name: string }>,
): Promise<Map<string, string>> {
  const wanted = names.map(({ name }) => ({ name, slug: slugOf(name) }));
  if (wanted.length === 0) return new Map();
  await tx.skill.createMany({ data: wanted.map(({ slug, name }) => ({ slug, name })), skipDuplicates: true });
  const skills = await tx.skill.findMany({
    where: { slug: { in: wanted.map((skill) => skill.slug) } },
    select: { id: true, slug: true },
  });
  return new Map(skills.map((skill) => [skill.slug, skill.id]));
}

/** Only the fields given change. null clears headline, bio and location; elsewhere it means "leave as is". */
export async function updateProfile(db: Db, userId: string, input: ProfileUpdate): Promise<void> {
  const data: Prisma.UserUpdateInput = {};
  if (input.name != null) data.name = input.name;
  if (input.headline !== undefined) data.headline = input.headline || null;
  if (input.bio !== undefined) data.bio = input.bio ?? '';
  if (input.location !== undefined) data.location = input.location || null;
  if (input.timeZone != null) data.timeZone = input.timeZone;
  if (input.openTo != null) data.openTo = { set: [...new Set(input.openTo)] };
  if (input.introductionsThrough != null) data.introductionsThrough = input.introductionsThrough;
  for (const [field, visibility] of Object.entries(input.visibility ?? {})) {
    if (visibility != null) (data as Record<string, unknown>)[`${field}Visibility`] = visibility;
  }

  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data, select: { id: true } });

    if (input.skills != null) {
      const wanted = input.skills.map((skill) => ({ ...skill, slug: slugOf(skill.name) }));
      const idOf = await skillIdsBySlug(tx, input.skills);
      await tx.userSkill.deleteMany({ where: { userId } });
      if (wanted.length > 0) {
        await tx.userSkill.createMany({
          data: wanted.map((skill) => ({ userId, skillId: idOf.get(skill.slug)!, level: skill.level })),
        });
      }
    }

    if (input.links != null) {
      await tx.profileLink.deleteMany({ where: { userId } });
      if (input.links.length > 0) {
        await tx.profileLink.createMany({
          data: input.links.map((link, position) => ({ userId, label: link.label, url: link.url, position })),
        });
      }
    }
  });
}

/**
 * Hides a member's own words (people.policy MODERATED_FIELDS) from everyone but them and the
 * instance's admins, or shows them again (null): modules/safety, in its transaction. Takes the
 * member's row. Hiding a hidden profile keeps the instant it was first hidden. Returns the state
 * before, or undefined when there is no such member.
 */
export async function setProfileHiddenInTransaction(
  tx: DbClient,
  userId: string,
  profileHiddenAt: Date | null,
): Promise<{ profileHiddenAt: Date | null } | undefined> {
  const rows = await tx.$queryRaw<Array<{ profileHiddenAt: Date | null }>>`
    SELECT "profileHiddenAt" FROM "User" WHERE "id" = ${userId}::uuid FOR UPDATE`;
  const before = rows[0];
  if (before) {
    const next = profileHiddenAt && (before.profileHiddenAt ?? profileHiddenAt);
    await tx.user.update({ where: { id: userId }, data: { profileHiddenAt: next }, select: { id: true } });
  }
  return before;
}
