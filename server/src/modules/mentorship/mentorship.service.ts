import type { Db } from '../../db.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { FieldVisibility } from '../../generated/prisma/enums.js';
import { skillIdsBySlug, slugOf } from '../people/index.js';
import type { MenteeNeedsInput, MentorProfileInput } from './mentorship.inputs.js';
import type { MentorField } from './mentorship.policy.js';

// Mentor profile and mentee needs writes: each save is one transaction, all or nothing.

export type MentorVisibilityUpdate = Partial<Record<MentorField, FieldVisibility | null | undefined>>;

export async function saveMentorProfile(
  db: Db,
  userId: string,
  input: MentorProfileInput & { askGroupIds: string[] },
  visibility: MentorVisibilityUpdate,
): Promise<void> {
  const fields = {
    helpOffered: input.helpOffered,
    capacity: input.capacity,
    formats: input.formats,
    cadences: input.cadences,
    timeZone: input.timeZone,
    weeklyHours: input.weeklyHours as unknown as Prisma.InputJsonValue,
    languages: input.languages,
    askScope: input.askScope,
  };
  const visibilities: Record<string, FieldVisibility> = {};
  for (const [field, value] of Object.entries(visibility))
    if (value != null) visibilities[`${field}Visibility`] = value;

  await db.$transaction(async (tx) => {
    await tx.mentorProfile.upsert({
      where: { userId },
      create: { userId, ...fields, accepting: input.accepting ?? true, ...visibilities },
      update: { ...fields, ...(input.accepting != null ? { accepting: input.accepting } : {}), ...visibilities },
      select: { userId: true },
    });
    const idOf = await skillIdsBySlug(tx, input.expertise);
    await tx.mentorSkill.deleteMany({ where: { mentorId: userId } });
    if (input.expertise.length > 0) {
      await tx.mentorSkill.createMany({
        data: input.expertise.map((skill, position) => ({
          mentorId: userId,
          skillId: idOf.get(slugOf(skill.name))!,
          level: skill.level,
          position,
        })),
      });
    }
    await tx.mentorAskGroup.deleteMany({ where: { mentorId: userId } });
    const groups = input.askScope === 'CHOSEN_GROUPS' ? input.askGroupIds : [];
    if (groups.length > 0) {
      await tx.mentorAskGroup.createMany({ data: groups.map((groupId) => ({ mentorId: userId, groupId })) });
    }
  });
}

/** Pauses or resumes taking mentees; false when the member has no mentor profile. */
export async function setAccepting(db: Db, userId: string, accepting: boolean): Promise<boolean> {
  const { count } = await db.mentorProfile.updateMany({ where: { userId }, data: { accepting } });
  return count > 0;
}

export async function saveMenteeNeeds(db: Db, userId: string, input: MenteeNeedsInput): Promise<void> {
  const fields = {
    goals: input.goals,
    helpWanted: input.helpWanted,
    formats: input.formats,
    cadence: input.cadence ?? null,
    timeZone: input.timeZone,
    weeklyHours: input.weeklyHours as unknown as Prisma.InputJsonValue,
    ...(input.languages != null ? { languages: input.languages } : {}),
  };
  await db.$transaction(async (tx) => {
    await tx.menteeNeeds.upsert({
      where: { userId },
      create: { userId, ...fields },
      update: fields,
      select: { userId: true },
    });
    const idOf = await skillIdsBySlug(tx, input.skills);
    await tx.menteeSkill.deleteMany({ where: { userId } });
    if (input.skills.length > 0) {
      await tx.menteeSkill.createMany({
        data: input.skills.map((skill, position) => ({
          userId,
          skillId: idOf.get(slugOf(skill.name))!,
          currentLevel: skill.currentLevel ?? null,
          wantedLevel: skill.wantedLevel,
          position,
        })),
      });
    }
  });
}
