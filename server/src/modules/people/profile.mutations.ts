import { ValidationError } from '../../lib/errors.js';
import { timeZoneSchema } from '../../lib/time.js';
import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/index.js';
import {
  bioInput,
  headlineInput,
  linkLabelInput,
  linkListInput,
  linkUrlInput,
  locationInput,
  profileNameInput,
  skillListInput,
  skillNameInput,
} from './people.inputs.js';
import { updateProfile, type ProfileUpdate } from './people.service.js';
import { FieldVisibilityEnum, IntroductionsThroughEnum, OpenToEnum, SkillLevelEnum } from './person.fields.js';

const SkillInput = builder.inputType('SkillInput', {
  fields: (t) => ({
    name: t.string().validate(skillNameInput),
    level: t.field({ type: SkillLevelEnum }),
  }),
});

const ProfileLinkInput = builder.inputType('ProfileLinkInput', {
  fields: (t) => ({
    label: t.string().validate(linkLabelInput),
    url: t.string({ description: 'An absolute http:// or https:// address.' }).validate(linkUrlInput),
  }),
});

const ProfileVisibilityInput = builder.inputType('ProfileVisibilityInput', {
  fields: (t) => ({
    headline: t.field({ type: FieldVisibilityEnum, required: false }),
    bio: t.field({ type: FieldVisibilityEnum, required: false }),
    location: t.field({ type: FieldVisibilityEnum, required: false }),
    timeZone: t.field({ type: FieldVisibilityEnum, required: false }),
    skills: t.field({ type: FieldVisibilityEnum, required: false }),
    openTo: t.field({ type: FieldVisibilityEnum, required: false }),
    links: t.field({ type: FieldVisibilityEnum, required: false }),
  }),
});

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  description: 'Only the fields given change. null clears headline, bio and location; elsewhere it changes nothing.',
  fields: (t) => ({
    name: t.string({ required: false }).validate(profileNameInput.nullish()),
    headline: t.string({ required: false }).validate(headlineInput.nullish()),
    bio: t.string({ required: false }).validate(bioInput.nullish()),
    location: t.string({ required: false }).validate(locationInput.nullish()),
    timeZone: t
      .string({ required: false, description: 'IANA time zone, e.g. Europe/Berlin, or UTC.' })
      .validate(timeZoneSchema.nullish()),
    skills: t.field({ type: [SkillInput], required: false, description: 'Replaces your skills; at most 30.' }),
    openTo: t.field({ type: [OpenToEnum], required: false }),
    introductionsThrough: t.field({
      type: IntroductionsThroughEnum,
      required: false,
      description: 'Whom you take introductions through.',
    }),
    links: t.field({
      type: [ProfileLinkInput],
      required: false,
      description: 'Replaces your links, in this order; at most 10.',
    }),
    visibility: t.field({ type: ProfileVisibilityInput, required: false }),
  }),
});

const UpdateProfilePayload = builder.objectRef<{ userId: string }>('UpdateProfilePayload').implement({
  fields: (t) => ({
    viewer: t.prismaField({
      type: ViewerRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.user.findUniqueOrThrow({ ...query, where: { id: payload.userId } }),
    }),
  }),
});

/** List-level rules (counts, duplicates) that the per-item validators cannot see. */
function checkLists(input: ProfileUpdate): void {
  const problems = [];
  for (const [path, schema, value] of [
    ['skills', skillListInput, input.skills],
    ['links', linkListInput, input.links],
  ] as const) {
    if (value == null) continue;
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({ path: [path, ...issue.path].join('.'), message: issue.message });
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

builder.mutationField('updateProfile', (t) =>
  t.field({
    type: UpdateProfilePayload,
    args: { input: t.arg({ type: UpdateProfileInput }) },
    errors: { types: [ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      checkLists(input);
      await updateProfile(ctx.db, ctx.viewer!.id, input);
      return { userId: ctx.viewer!.id };
    },
  }),
);
