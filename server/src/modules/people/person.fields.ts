import { NIL_UUID } from '../../lib/ids.js';
import { canonicalOrStored } from '../../lib/time.js';
import { builder } from '../../schema/builder.js';
import { PersonRef } from './person.type.js';
import { profileLoader, type LinkData, type PersonSkillData, type SkillData } from './profile.loader.js';

// The profile fields of Person. Each one is null (lists too) when the viewer may not see it:
// the rule is people.policy's, applied by the profile loader, one statement per request.

export const SkillLevelEnum = builder.enumType('SkillLevel', { values: ['LEARNING', 'WORKING', 'EXPERT'] as const });
export const FieldVisibilityEnum = builder.enumType('FieldVisibility', {
  values: {
    MEMBERS: { description: 'every signed-in member' },
    SHARED_GROUPS: { description: 'members who share at least one group with you' },
    ONLY_ME: { description: 'only you' },
  } as const,
});
export const ProfileStandingEnum = builder.enumType('ProfileStanding', {
  values: {
    ACTIVE: { description: 'Nothing done.' },
    HIDDEN: {
      description:
        'The admins hid the profile: headline, bio, skills and links are seen only by the member and the admins.',
    },
    SUSPENDED: { description: 'The admins suspended the member: no sign-in, and the profile is hidden from everyone.' },
  } as const,
});
export const OpenToEnum = builder.enumType('OpenTo', {
  values: ['MENTORING', 'BEING_MENTORED', 'INTRODUCTIONS', 'HIRING'] as const,
});
// A column of the member's own (User.introductionsThrough); modules/introductions reads it.
export const IntroductionsThroughEnum = builder.enumType('IntroductionsThrough', {
  description: 'Whom you take introductions through (when open to introductions).',
  values: {
    SHARED_GROUPS: { description: 'Anyone you share a group with (or have a mentorship with).' },
    MENTORSHIPS: { description: 'Only people you mentor or are mentored by.' },
  } as const,
});

export const SkillRef = builder.prismaNode('Skill', {
  id: { field: 'id' },
  // A skill that does not exist (or a signed-out viewer) loads as null, not as a failure.
  nullable: true,
  findUnique: (id, ctx) => ({ id: ctx.viewer ? id : NIL_UUID }),
  fields: (t) => ({
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
  }),
});

export const PersonSkillRef = builder.objectRef<PersonSkillData>('PersonSkill').implement({
  fields: (t) => ({
    // Plain rows from the profile loader: the Skill node's fields read them as they are.
    skill: t.field({ type: SkillRef, resolve: (personSkill) => personSkill.skill as SkillData as never }),
    level: t.expose('level', { type: SkillLevelEnum }),
  }),
});

export const ProfileLinkRef = builder.objectRef<LinkData>('ProfileLink').implement({
  fields: (t) => ({
    label: t.exposeString('label'),
    url: t.exposeString('url'),
  }),
});

builder.prismaObjectFields(PersonRef, (t) => ({
  headline: t.string({
    nullable: true,
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.headline ?? null,
  }),
  bio: t.string({
    nullable: true,
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.bio ?? null,
  }),
  location: t.string({
    nullable: true,
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.location ?? null,
  }),
  timeZone: t.string({
    nullable: true,
    description: 'IANA time zone, e.g. Europe/Berlin.',
    resolve: async (user, _args, ctx) => {
      const zone = (await profileLoader(ctx).load(user.id))?.timeZone;
      return zone == null ? null : canonicalOrStored(zone);
    },
  }),
  skills: t.field({
    type: [PersonSkillRef],
    nullable: true,
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.skills ?? null,
  }),
  openTo: t.field({
    type: [OpenToEnum],
    nullable: true,
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.openTo ?? null,
  }),
  links: t.field({
    type: [ProfileLinkRef],
    nullable: true,
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.links ?? null,
  }),
  standing: t.field({
    type: ProfileStandingEnum,
    nullable: true,
    description:
      "What this Guildhall's admins did to the member. Only the member and the admins are told; null for everyone else.",
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.standing ?? null,
  }),
}));
