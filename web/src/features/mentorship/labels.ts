// Member-facing words for the mentorship enums, in one place.

export type HelpKind =
  | 'TECHNICAL_SKILLS'
  | 'CAREER_GUIDANCE'
  | 'LEADERSHIP'
  | 'JOB_SEARCH'
  | 'WORK_LIFE_BALANCE'
  | 'NETWORKING';
export type MentoringFormat = 'VIDEO' | 'CHAT' | 'IN_PERSON' | 'PHONE';
export type MentoringCadence = 'WEEKLY' | 'BIWEEKLY' | 'MONTHLY';
export type AskScope = 'EVERYONE' | 'CHOSEN_GROUPS';
export type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';

export const HELP_KINDS: readonly { value: HelpKind; label: string }[] = [
  { value: 'TECHNICAL_SKILLS', label: 'Technical skills' },
  { value: 'CAREER_GUIDANCE', label: 'Career guidance' },
  { value: 'LEADERSHIP', label: 'Leadership' },
  { value: 'JOB_SEARCH', label: 'Job search' },
  { value: 'WORK_LIFE_BALANCE', label: 'Work–life balance' },
  { value: 'NETWORKING', label: 'Networking' },
];

export const FORMATS: readonly { value: MentoringFormat; label: string }[] = [
  { value: 'VIDEO', label: 'Video call' },
  { value: 'CHAT', label: 'Chat' },
  { value: 'IN_PERSON', label: 'In person' },
  { value: 'PHONE', label: 'Phone' },
];

export const CADENCES: readonly { value: MentoringCadence; label: string }[] = [
  { value: 'WEEKLY', label: 'Weekly' },
  { value: 'BIWEEKLY', label: 'Every two weeks' },
  { value: 'MONTHLY', label: 'Monthly' },
];

export const ASK_SCOPES: readonly { value: AskScope; label: string }[] = [
  { value: 'EVERYONE', label: 'Any member' },
  { value: 'CHOSEN_GROUPS', label: 'Members of groups I choose' },
];

// ISO order (Temporal's dayOfWeek 1 is Monday).
export const WEEKDAYS: readonly { value: Weekday; label: string }[] = [
  { value: 'MONDAY', label: 'Monday' },
  { value: 'TUESDAY', label: 'Tuesday' },
  { value: 'WEDNESDAY', label: 'Wednesday' },
  { value: 'THURSDAY', label: 'Thursday' },
  { value: 'FRIDAY', label: 'Friday' },
  { value: 'SATURDAY', label: 'Saturday' },
  { value: 'SUNDAY', label: 'Sunday' },
];

let languageNames: Intl.DisplayNames | undefined;

/** "pt-BR" → "Brazilian Portuguese" in English; the tag itself if the browser has no name for it. */
export function languageName(tag: string): string {
  try {
    languageNames ??= new Intl.DisplayNames(['en'], { type: 'language' });
    return languageNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}
