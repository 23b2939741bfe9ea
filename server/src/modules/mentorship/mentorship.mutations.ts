import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { FieldVisibilityEnum, SkillLevelEnum } from '../people/index.js';
import {
  MentorAskScopeEnum,
  MentorHelpKindEnum,
  MenteeNeedsRef,
  MentoringCadenceEnum,
  MentoringFormatEnum,
  MentorProfileRef,
  WeekdayEnum,
} from './mentor-profile.type.js';
import { menteeNeedsInput, mentorProfileInput } from './mentorship.inputs.js';
import { groupsNotTheMentors } from './mentorship.policy.js';
import { saveMenteeNeeds, saveMentorProfile, setAccepting } from './mentorship.service.js';

// Every input is checked whole by one zod schema (mentorship.inputs.ts): every problem is
// reported at once as a ValidationError, and nothing is stored.

const WorkingHoursInput = builder.inputType('WorkingHoursInput', {
  fields: (t) => ({
    weekday: t.field({ type: WeekdayEnum }),
    start: t.string({ description: 'Local time, HH:MM.' }),
    end: t.string({ description: 'Local time, HH:MM, after start; 24:00 is the end of the day.' }),
  }),
});

const MentorSkillInput = builder.inputType('MentorSkillInput', {
  fields: (t) => ({ name: t.string(), level: t.field({ type: SkillLevelEnum }) }),
});

const MenteeSkillInput = builder.inputType('MenteeSkillInput', {
  fields: (t) => ({
    name: t.string(),
    currentLevel: t.field({ type: SkillLevelEnum, required: false }),
    wantedLevel: t.field({ type: SkillLevelEnum }),
  }),
});

const MentorVisibilityInput = builder.inputType('MentorVisibilityInput', {
  description: 'Only the fields given change.',
  fields: (t) => ({
    expertise: t.field({ type: FieldVisibilityEnum, required: false }),
    helpOffered: t.field({ type: FieldVisibilityEnum, required: false }),
    capacity: t.field({ type: FieldVisibilityEnum, required: false }),
    formats: t.field({ type: FieldVisibilityEnum, required: false }),
    cadences: t.field({ type: FieldVisibilityEnum, required: false }),
    weeklyHours: t.field({ type: FieldVisibilityEnum, required: false }),
    languages: t.field({ type: FieldVisibilityEnum, required: false }),
    askScope: t.field({ type: FieldVisibilityEnum, required: false }),
  }),
});

const SaveMentorProfileInput = builder.inputType('SaveMentorProfileInput', {
  description:
    'The whole mentor profile (lists replace what was saved); visibility and accepting change only when given.',
  fields: (t) => ({
    expertise: t.field({ type: [MentorSkillInput], description: 'At most 30.' }),
    helpOffered: t.field({ type: [MentorHelpKindEnum] }),
    capacity: t.int({ description: 'Mentees at once, 1–20.' }),
    accepting: t.boolean({ required: false, description: 'false pauses; a new profile accepts unless told.' }),
    formats: t.field({ type: [MentoringFormatEnum] }),
    cadences: t.field({ type: [MentoringCadenceEnum] }),
    timeZone: t.string({ description: 'IANA time zone of the working hours.' }),
    weeklyHours: t.field({ type: [WorkingHoursInput] }),
    languages: t.stringList({ description: 'BCP 47 language tags, at most 10.' }),
    askScope: t.field({ type: MentorAskScopeEnum }),
    askGroupIds: t.idList({
      required: false,
      description: 'With CHOSEN_GROUPS: groups you belong to whose members may ask.',
    }),
    visibility: t.field({ type: MentorVisibilityInput, required: false }),
  }),
});

const SaveMenteeNeedsInput = builder.inputType('SaveMenteeNeedsInput', {
  description: 'Everything you look for as a mentee; it replaces what was saved.',
  fields: (t) => ({
    skills: t.field({ type: [MenteeSkillInput], description: 'Skills to develop, at most 30.' }),
    goals: t.string({ description: 'In your own words, at most 2000 characters.' }),
    helpWanted: t.field({ type: [MentorHelpKindEnum] }),
    formats: t.field({ type: [MentoringFormatEnum] }),
    cadence: t.field({ type: MentoringCadenceEnum, required: false }),
    timeZone: t.string({ description: 'IANA time zone of the working hours.' }),
    weeklyHours: t.field({ type: [WorkingHoursInput] }),
    languages: t.stringList({
      required: false,
      description: 'BCP 47 language tags you can be mentored in, at most 10; unchanged when not given.',
    }),
  }),
});

const SaveMentorProfilePayload = builder.objectRef<{ userId: string }>('SaveMentorProfilePayload').implement({
  fields: (t) => ({
    mentorProfile: t.prismaField({
      type: MentorProfileRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.mentorProfile.findUniqueOrThrow({ ...query, where: { userId: payload.userId } }),
    }),
  }),
});

const SaveMenteeNeedsPayload = builder.objectRef<{ userId: string }>('SaveMenteeNeedsPayload').implement({
  fields: (t) => ({
    menteeNeeds: t.prismaField({
      type: MenteeNeedsRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.menteeNeeds.findUniqueOrThrow({ ...query, where: { userId: payload.userId } }),
    }),
  }),
});

builder.mutationField('saveMentorProfile', (t) =>
  t.field({
    type: SaveMentorProfilePayload,
    args: { input: t.arg({ type: SaveMentorProfileInput }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const viewerId = ctx.viewer!.id;
      const parsed = mentorProfileInput.safeParse({ ...input, askGroupIds: input.askGroupIds ?? [] });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      const profile = parsed.data;
      const groupIds =
        profile.askScope === 'CHOSEN_GROUPS' ? profile.askGroupIds.map((id) => decodeId(id, 'Group')) : [];
      if (profile.askScope === 'CHOSEN_GROUPS' && groupIds.length === 0) {
        throw new ValidationError([
          { path: 'askGroupIds', message: 'Choose at least one group, or let everyone ask.' },
        ]);
      }
      const known = groupIds.filter((id): id is string => id !== null);
      const foreign = new Set(await groupsNotTheMentors(ctx.db, viewerId, known));
      const problems = groupIds.flatMap((id, index) =>
        id === null || foreign.has(id)
          ? [{ path: `askGroupIds.${index}`, message: 'Choose only groups you belong to.' }]
          : [],
      );
      if (problems.length > 0) throw new ValidationError(problems);
      await saveMentorProfile(ctx.db, viewerId, { ...profile, askGroupIds: known }, input.visibility ?? {});
      return { userId: viewerId };
    },
  }),
);

for (const [name, accepting] of [
  ['pauseMentoring', false],
  ['resumeMentoring', true],
] as const) {
  builder.mutationField(name, (t) =>
    t.field({
      type: SaveMentorProfilePayload,
      description: accepting ? 'Take new mentees again.' : 'Take no new mentees for now.',
      errors: { types: [NotFoundError] },
      resolve: async (_root, _args, ctx) => {
        if (!(await setAccepting(ctx.db, ctx.viewer!.id, accepting))) throw new NotFoundError('Your mentor profile');
        return { userId: ctx.viewer!.id };
      },
    }),
  );
}

builder.mutationField('saveMenteeNeeds', (t) =>
  t.field({
    type: SaveMenteeNeedsPayload,
    args: { input: t.arg({ type: SaveMenteeNeedsInput }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const parsed = menteeNeedsInput.safeParse(input);
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      await saveMenteeNeeds(ctx.db, ctx.viewer!.id, parsed.data);
      return { userId: ctx.viewer!.id };
    },
  }),
);
