import { ViewerRef } from '../accounts/index.js';
import { canonicalOrStored } from '../../lib/time.js';
import { builder } from '../../schema/builder.js';
import { visibilitiesOf, type FieldVisibilities } from './people.policy.js';
import {
  FieldVisibilityEnum,
  IntroductionsThroughEnum,
  OpenToEnum,
  PersonSkillRef,
  ProfileLinkRef,
} from './person.fields.js';
import { PersonRef } from './person.type.js';
import { profileLoader } from './profile.loader.js';

// The signed-in member's own profile, every field visible, and who may see each one.

export const ProfileFieldVisibilityRef = builder.objectRef<FieldVisibilities>('ProfileFieldVisibility').implement({
  fields: (t) => ({
    headline: t.expose('headline', { type: FieldVisibilityEnum }),
    bio: t.expose('bio', { type: FieldVisibilityEnum }),
    location: t.expose('location', { type: FieldVisibilityEnum }),
    timeZone: t.expose('timeZone', { type: FieldVisibilityEnum }),
    skills: t.expose('skills', { type: FieldVisibilityEnum }),
    openTo: t.expose('openTo', { type: FieldVisibilityEnum }),
    links: t.expose('links', { type: FieldVisibilityEnum }),
  }),
});

builder.prismaObjectFields(ViewerRef, (t) => ({
  person: t.variant(PersonRef, { description: 'You, as other members see you (each field per its visibility).' }),
  bio: t.exposeString('bio'),
  location: t.exposeString('location', { nullable: true }),
  // Canonical on read too: zones stored before lib/time may be an alias or lower-case.
  timeZone: t.string({
    description: 'IANA time zone, e.g. Europe/Berlin.',
    resolve: (user) => canonicalOrStored(user.timeZone),
  }),
  openTo: t.field({ type: [OpenToEnum], resolve: (user) => user.openTo }),
  introductionsThrough: t.expose('introductionsThrough', { type: IntroductionsThroughEnum }),
  skills: t.field({
    type: [PersonSkillRef],
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.skills ?? [],
  }),
  links: t.field({
    type: [ProfileLinkRef],
    resolve: async (user, _args, ctx) => (await profileLoader(ctx).load(user.id))?.links ?? [],
  }),
  visibility: t.field({ type: ProfileFieldVisibilityRef, resolve: (user) => visibilitiesOf(user) }),
}));
