import type { Context } from '../../context.js';
import type { MentorProfile } from '../../generated/prisma/client.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/index.js';
import { GroupRef, visibleGroupsWhere } from '../groups/index.js';
import { FieldVisibilityEnum, PersonRef, type SkillData, SkillLevelEnum, SkillRef } from '../people/index.js';
import { WEEKDAYS, type WorkingHours } from './mentorship.inputs.js';
import {
  canSeeMentorField,
  type MentorField,
  mentorAudience,
  mentorProfileSeenWhere,
  mentorVisibilitiesOf,
  seesMenteeNeeds,
} from './mentorship.policy.js';

// What a member offers as a mentor (MentorProfile) and looks for as a mentee (MenteeNeeds).
// Each MentorProfile field is null when the viewer may not see it (people's field visibility).

export const MentorHelpKindEnum = builder.enumType('MentorHelpKind', {
  values: [
    'TECHNICAL_SKILLS',
    'CAREER_GUIDANCE',
    'LEADERSHIP',
    'JOB_SEARCH',
    'WORK_LIFE_BALANCE',
    'NETWORKING',
  ] as const,
});
export const MentoringFormatEnum = builder.enumType('MentoringFormat', {
  values: ['VIDEO', 'CHAT', 'IN_PERSON', 'PHONE'] as const,
});
export const MentoringCadenceEnum = builder.enumType('MentoringCadence', {
  values: ['WEEKLY', 'BIWEEKLY', 'MONTHLY'] as const,
});
export const MentorAskScopeEnum = builder.enumType('MentorAskScope', {
  values: {
    EVERYONE: { description: 'Any member may ask.' },
    CHOSEN_GROUPS: { description: 'Only members of the chosen groups (groups the mentor belongs to).' },
  } as const,
});
export const WeekdayEnum = builder.enumType('Weekday', { values: WEEKDAYS });

export const WorkingHoursRef = builder.objectRef<WorkingHours>('WorkingHours').implement({
  description: 'A weekly range of local time in the zone of the profile it belongs to.',
  fields: (t) => ({
    weekday: t.expose('weekday', { type: WeekdayEnum }),
    start: t.exposeString('start', { description: 'Local time, HH:MM.' }),
    end: t.exposeString('end', { description: 'Local time, HH:MM, after start; 24:00 is the end of the day.' }),
  }),
});

interface ExpertiseData {
  skill: SkillData;
  level: 'LEARNING' | 'WORKING' | 'EXPERT';
}
export const MentorSkillRef = builder.objectRef<ExpertiseData>('MentorSkill').implement({
  fields: (t) => ({
    skill: t.field({ type: SkillRef, resolve: (row) => row.skill as never }),
    level: t.expose('level', { type: SkillLevelEnum }),
  }),
});

export const MentorFieldVisibilityRef = builder
  .objectRef<ReturnType<typeof mentorVisibilitiesOf>>('MentorFieldVisibility')
  .implement({
    fields: (t) => ({
      expertise: t.expose('expertise', { type: FieldVisibilityEnum }),
      helpOffered: t.expose('helpOffered', { type: FieldVisibilityEnum }),
      capacity: t.expose('capacity', { type: FieldVisibilityEnum }),
      formats: t.expose('formats', { type: FieldVisibilityEnum }),
      cadences: t.expose('cadences', { type: FieldVisibilityEnum }),
      weeklyHours: t.expose('weeklyHours', { type: FieldVisibilityEnum, description: 'Also the time zone.' }),
      languages: t.expose('languages', { type: FieldVisibilityEnum }),
      askScope: t.expose('askScope', { type: FieldVisibilityEnum, description: 'Also the chosen groups.' }),
    }),
  });

// One audience per mentor per request.
const audiences = new WeakMap<Context, Map<string, ReturnType<typeof mentorAudience>>>();
function audienceCache(ctx: Context): Map<string, ReturnType<typeof mentorAudience>> {
  let cache = audiences.get(ctx);
  if (!cache) audiences.set(ctx, (cache = new Map()));
  return cache;
}
/** A caller that already knows how the viewer stands to a mentor (mentorSuggestions' statement) saves the lookup. */
export function primeMentorAudience(
  ctx: Context,
  mentorId: string,
  audience: Awaited<ReturnType<typeof mentorAudience>>,
) {
  audienceCache(ctx).set(mentorId, Promise.resolve(audience));
}
function sees(profile: MentorProfile, field: MentorField, ctx: Context): Promise<boolean> {
  const cache = audienceCache(ctx);
  let audience = cache.get(profile.userId);
  if (!audience) cache.set(profile.userId, (audience = mentorAudience(ctx.db, ctx.viewer?.id, profile.userId)));
  return audience.then((seen) => canSeeMentorField(mentorVisibilitiesOf(profile), field, seen));
}

export const MentorProfileRef = builder.prismaNode('MentorProfile', {
  // Not seen loads as null, exactly like missing.
  nullable: true,
  id: { field: 'userId' },
  findUnique: (userId, ctx) => ({ userId, AND: [mentorProfileSeenWhere(ctx.viewer?.id)] }),
  fields: (t) => ({
    person: t.relation('user', { type: PersonRef, nullable: true }),
    accepting: t.exposeBoolean('accepting', { description: 'false: paused, taking no new mentees.' }),
    expertise: t.field({
      type: [MentorSkillRef],
      nullable: true,
      resolve: async (profile, _args, ctx) => {
        if (!(await sees(profile, 'expertise', ctx))) return null;
        const rows = await ctx.db.mentorSkill.findMany({
          where: { mentorId: profile.userId },
          orderBy: { position: 'asc' },
          select: { level: true, skill: { select: { id: true, name: true, slug: true } } },
        });
        return rows;
      },
    }),
    helpOffered: t.field({
      type: [MentorHelpKindEnum],
      nullable: true,
      resolve: async (profile, _args, ctx) => ((await sees(profile, 'helpOffered', ctx)) ? profile.helpOffered : null),
    }),
    capacity: t.int({
      nullable: true,
      description: 'Mentees at once, 1–20.',
      resolve: async (profile, _args, ctx) => ((await sees(profile, 'capacity', ctx)) ? profile.capacity : null),
    }),
    formats: t.field({
      type: [MentoringFormatEnum],
      nullable: true,
      resolve: async (profile, _args, ctx) => ((await sees(profile, 'formats', ctx)) ? profile.formats : null),
    }),
    cadences: t.field({
      type: [MentoringCadenceEnum],
      nullable: true,
      resolve: async (profile, _args, ctx) => ((await sees(profile, 'cadences', ctx)) ? profile.cadences : null),
    }),
    timeZone: t.string({
      nullable: true,
      description: 'IANA time zone of the working hours (seen with them).',
      resolve: async (profile, _args, ctx) => ((await sees(profile, 'weeklyHours', ctx)) ? profile.timeZone : null),
    }),
    weeklyHours: t.field({
      type: [WorkingHoursRef],
      nullable: true,
      resolve: async (profile, _args, ctx) =>
        (await sees(profile, 'weeklyHours', ctx)) ? (profile.weeklyHours as unknown as WorkingHours[]) : null,
    }),
    languages: t.stringList({
      nullable: true,
      description: 'BCP 47 language tags.',
      resolve: async (profile, _args, ctx) => ((await sees(profile, 'languages', ctx)) ? profile.languages : null),
    }),
    askScope: t.field({
      type: MentorAskScopeEnum,
      nullable: true,
      resolve: async (profile, _args, ctx) => ((await sees(profile, 'askScope', ctx)) ? profile.askScope : null),
    }),
    askGroups: t.field({
      type: [GroupRef],
      nullable: true,
      description: 'With askScope CHOSEN_GROUPS: the groups whose members may ask (each one the viewer may see).',
      resolve: async (profile, _args, ctx) => {
        if (!(await sees(profile, 'askScope', ctx))) return null;
        // Only the groups the viewer may see (groups' own rule).
        return ctx.db.group.findMany({
          where: { mentorsAskedBy: { some: { mentorId: profile.userId } }, AND: [visibleGroupsWhere(ctx.viewer?.id)] },
          orderBy: { name: 'asc' },
        });
      },
    }),
    visibility: t.field({
      type: MentorFieldVisibilityRef,
      nullable: true,
      description: 'Who may see each field: for the mentor only.',
      resolve: (profile, _args, ctx) => (ctx.viewer?.id === profile.userId ? mentorVisibilitiesOf(profile) : null),
    }),
  }),
});

interface MenteeSkillData {
  skill: SkillData;
  currentLevel: 'LEARNING' | 'WORKING' | 'EXPERT' | null;
  wantedLevel: 'LEARNING' | 'WORKING' | 'EXPERT';
}
export const MenteeSkillRef = builder.objectRef<MenteeSkillData>('MenteeSkill').implement({
  fields: (t) => ({
    skill: t.field({ type: SkillRef, resolve: (row) => row.skill as never }),
    currentLevel: t.expose('currentLevel', { type: SkillLevelEnum, nullable: true }),
    wantedLevel: t.expose('wantedLevel', { type: SkillLevelEnum }),
  }),
});

export const MenteeNeedsRef = builder.prismaObject('MenteeNeeds', {
  description: 'What a member looks for as a mentee. Only the member sees it.',
  fields: (t) => ({
    skills: t.field({
      type: [MenteeSkillRef],
      description: 'Skills to develop, with the current and the wanted level.',
      resolve: (needs, _args, ctx) =>
        ctx.db.menteeSkill.findMany({
          where: { userId: needs.userId },
          orderBy: { position: 'asc' },
          select: { currentLevel: true, wantedLevel: true, skill: { select: { id: true, name: true, slug: true } } },
        }),
    }),
    goals: t.exposeString('goals', { description: 'In their own words.' }),
    helpWanted: t.field({ type: [MentorHelpKindEnum], resolve: (needs) => needs.helpWanted }),
    formats: t.field({ type: [MentoringFormatEnum], resolve: (needs) => needs.formats }),
    cadence: t.field({ type: MentoringCadenceEnum, nullable: true, resolve: (needs) => needs.cadence }),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone of the working hours.' }),
    weeklyHours: t.field({
      type: [WorkingHoursRef],
      resolve: (needs) => needs.weeklyHours as unknown as WorkingHours[],
    }),
    languages: t.exposeStringList('languages', { description: 'BCP 47 tags you can be mentored in.' }),
  }),
});

builder.prismaObjectFields(PersonRef, (t) => ({
  mentorProfile: t.prismaField({
    type: MentorProfileRef,
    nullable: true,
    description: 'What the member offers as a mentor; null when none or when you may not see it.',
    resolve: (query, user, _args, ctx) =>
      ctx.db.mentorProfile.findFirst({
        ...query,
        where: { userId: user.id, AND: [mentorProfileSeenWhere(ctx.viewer?.id)] },
      }),
  }),
}));

builder.prismaObjectFields(ViewerRef, (t) => ({
  mentorProfile: t.prismaField({
    type: MentorProfileRef,
    nullable: true,
    description: 'What you offer as a mentor; null until you save one.',
    resolve: (query, user, _args, ctx) =>
      ctx.db.mentorProfile.findFirst({
        ...query,
        where: { userId: user.id, AND: [mentorProfileSeenWhere(ctx.viewer?.id)] },
      }),
  }),
  menteeNeeds: t.prismaField({
    type: MenteeNeedsRef,
    nullable: true,
    description: 'What you look for as a mentee; null until you save it.',
    resolve: (query, user, _args, ctx) =>
      seesMenteeNeeds(ctx.viewer?.id, user.id)
        ? ctx.db.menteeNeeds.findUnique({ ...query, where: { userId: user.id } })
        : null,
  }),
}));
