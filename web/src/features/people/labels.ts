import { timeZoneNames, viewerTimeZone } from '../../lib/time';
// Member-facing words for the API's enums, in one place.

export type SkillLevel = 'LEARNING' | 'WORKING' | 'EXPERT';
export type OpenTo = 'MENTORING' | 'BEING_MENTORED' | 'INTRODUCTIONS' | 'HIRING';
export type FieldVisibility = 'MEMBERS' | 'SHARED_GROUPS' | 'ONLY_ME';

export const SKILL_LEVELS: readonly { value: SkillLevel; label: string }[] = [
  { value: 'LEARNING', label: 'Learning' },
  { value: 'WORKING', label: 'Working knowledge' },
  { value: 'EXPERT', label: 'Expert' },
];

export const OPEN_TO: readonly { value: OpenTo; label: string }[] = [
  { value: 'MENTORING', label: 'Mentoring others' },
  { value: 'BEING_MENTORED', label: 'Being mentored' },
  { value: 'INTRODUCTIONS', label: 'Introductions' },
  { value: 'HIRING', label: 'Hiring' },
];

export type IntroductionsThrough = 'SHARED_GROUPS' | 'MENTORSHIPS';

export const INTRODUCTIONS_THROUGH: readonly { value: IntroductionsThrough; label: string }[] = [
  { value: 'SHARED_GROUPS', label: 'Anyone I share a group with' },
  { value: 'MENTORSHIPS', label: 'Only people I mentor or am mentored by' },
];

export const VISIBILITY: readonly { value: FieldVisibility; label: string }[] = [
  { value: 'MEMBERS', label: 'Everyone signed in' },
  { value: 'SHARED_GROUPS', label: 'People in my groups' },
  { value: 'ONLY_ME', label: 'Only me' },
];

export function labelOf<Value extends string>(
  options: readonly { value: Value; label: string }[],
  value: Value,
): string {
  return options.find((option) => option.value === value)?.label ?? value;
}

// Canonical IANA names, as the server stores them (lib/time).
export function timeZones(): string[] {
  return timeZoneNames();
}

export function browserTimeZone(): string {
  return viewerTimeZone();
}
