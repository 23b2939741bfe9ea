import { describe, expect, it } from 'vitest';
import {
  audienceOf,
  canSeeField,
  maskProfile,
  PROFILE_FIELDS,
  type Audience,
  type FieldVisibilities,
} from './people.policy.js';
import type { FieldVisibility } from '../../generated/prisma/enums.js';

describe('audienceOf', () => {
  it('is SIGNED_OUT without a viewer, OWNER for oneself, SHARES_GROUP or MEMBER otherwise', () => {
    expect(audienceOf(null, 'a', true)).toBe('SIGNED_OUT');
    expect(audienceOf(undefined, 'a', false)).toBe('SIGNED_OUT');
    expect(audienceOf('a', 'a', false)).toBe('OWNER');
    expect(audienceOf('b', 'a', true)).toBe('SHARES_GROUP');
    expect(audienceOf('b', 'a', false)).toBe('MEMBER');
  });
});

describe('canSeeField', () => {
  const table: Array<[FieldVisibility, Record<Audience, boolean>]> = [
    ['MEMBERS', { OWNER: true, SHARES_GROUP: true, MEMBER: true, SIGNED_OUT: false }],
    ['SHARED_GROUPS', { OWNER: true, SHARES_GROUP: true, MEMBER: false, SIGNED_OUT: false }],
    ['ONLY_ME', { OWNER: true, SHARES_GROUP: false, MEMBER: false, SIGNED_OUT: false }],
  ];
  for (const [visibility, expected] of table) {
    for (const [audience, allowed] of Object.entries(expected) as Array<[Audience, boolean]>) {
      it(`${allowed ? 'shows' : 'hides'} a ${visibility} field to ${audience}`, () => {
        expect(canSeeField(visibility, audience)).toBe(allowed);
      });
    }
  }
});

describe('maskProfile', () => {
  const profile = {
    headline: 'Staff engineer',
    bio: 'Hello',
    location: 'Lagos',
    timeZone: 'Africa/Lagos',
    skills: [{ name: 'Go' }],
    openTo: ['MENTORING'],
    links: [{ label: 'Site', url: 'https://example.com' }],
  };
  const visibility: FieldVisibilities = {
    headline: 'MEMBERS',
    bio: 'SHARED_GROUPS',
    location: 'ONLY_ME',
    timeZone: 'MEMBERS',
    skills: 'ONLY_ME',
    openTo: 'SHARED_GROUPS',
    links: 'MEMBERS',
  };

  it('nulls every field the audience may not see, lists included', () => {
    expect(maskProfile(profile, visibility, 'MEMBER')).toEqual({
      headline: 'Staff engineer',
      bio: null,
      location: null,
      timeZone: 'Africa/Lagos',
      skills: null,
      openTo: null,
      links: profile.links,
    });
    expect(maskProfile(profile, visibility, 'SHARES_GROUP')).toMatchObject({
      bio: 'Hello',
      openTo: ['MENTORING'],
      skills: null,
      location: null,
    });
  });

  it('shows the owner everything and a signed-out visitor nothing', () => {
    expect(maskProfile(profile, visibility, 'OWNER')).toEqual(profile);
    const hidden = maskProfile(profile, visibility, 'SIGNED_OUT');
    for (const field of PROFILE_FIELDS) expect(hidden[field]).toBeNull();
  });

  it('never carries anything but the profile fields (no email can slip through)', () => {
    const masked = maskProfile({ ...profile, email: 'ada@example.com' }, visibility, 'OWNER');
    expect(Object.keys(masked).sort()).toEqual([...PROFILE_FIELDS].sort());
  });
});
