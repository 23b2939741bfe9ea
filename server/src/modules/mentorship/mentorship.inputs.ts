import { z } from 'zod';
import { timeZoneSchema } from '../../lib/time.js';
import { MAX_SKILLS, skillListInput, skillNameInput } from '../people/index.js';

// Trim and bound at the edge; reject, never truncate. One schema per save, so every problem of
// an input is reported at once and nothing is stored.

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WorkingHours {
  weekday: Weekday;
  /** Local time "HH:MM" in the profile's zone. */
  start: string;
  /** Local time "HH:MM", after start; "24:00" is the end of the day. */
  end: string;
}

const MAX_RANGES = 21;
export const MAX_LANGUAGES = 10;
export const MAX_GOALS_LENGTH = 2000;
export const MAX_ASK_GROUPS = 50;

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$|^24:00$/;

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const localTime = z
  .string()
  .trim()
  .refine((value) => TIME.test(value), 'Use a local time such as 09:00 (00:00 to 24:00).');

const hoursRange = z
  .object({ weekday: z.enum(WEEKDAYS), start: localTime, end: localTime })
  .refine((range) => minutesOf(range.start) < minutesOf(range.end), {
    message: 'The end must be after the start.',
    path: ['end'],
  });

/** Sorted by weekday and start; overlapping or touching ranges of one day become one. */
export function normaliseHours(ranges: ReadonlyArray<WorkingHours>): WorkingHours[] {
  const sorted = ranges
    .map((range) => ({
      day: WEEKDAYS.indexOf(range.weekday),
      start: minutesOf(range.start),
      end: minutesOf(range.end),
    }))
    .sort((a, b) => a.day - b.day || a.start - b.start);
  const merged: Array<{ day: number; start: number; end: number }> = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && last.day === range.day && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged.map(({ day, start, end }) => ({ weekday: WEEKDAYS[day]!, start: timeOf(start), end: timeOf(end) }));
}

export const weeklyHoursInput = z
  .array(hoursRange)
  .max(MAX_RANGES, `List at most ${MAX_RANGES} ranges of hours.`)
  .transform(normaliseHours);

/** A BCP 47 language tag in its canonical form ("pt-br" → "pt-BR"), or null. */
export function canonicalLanguage(tag: string): string | null {
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

const language = z
  .string()
  .trim()
  .transform((value, context) => {
    const canonical = canonicalLanguage(value);
    if (canonical === null) {
      context.addIssue({ code: 'custom', message: 'Use a BCP 47 language tag, such as en, pt-BR or zh-Hant.' });
      return z.NEVER;
    }
    return canonical;
  });

export const languagesInput = z
  .array(language)
  .max(MAX_LANGUAGES, `List at most ${MAX_LANGUAGES} languages.`)
  .transform((tags) => [...new Set(tags)]);

const distinct = <T extends string>(values: readonly T[]) => [...new Set(values)];

const HELP_KINDS = [
  'TECHNICAL_SKILLS',
  'CAREER_GUIDANCE',
  'LEADERSHIP',
  'JOB_SEARCH',
  'WORK_LIFE_BALANCE',
  'NETWORKING',
] as const;
const FORMATS = ['VIDEO', 'CHAT', 'IN_PERSON', 'PHONE'] as const;
const CADENCES = ['WEEKLY', 'BIWEEKLY', 'MONTHLY'] as const;
const LEVELS = ['LEARNING', 'WORKING', 'EXPERT'] as const;

const skillList = <T extends z.ZodRawShape>(shape: T) =>
  z
    .array(z.object({ name: skillNameInput, ...shape }))
    .max(MAX_SKILLS, `List at most ${MAX_SKILLS} skills.`)
    .superRefine((skills, context) => {
      const result = skillListInput.safeParse(skills);
      if (!result.success) for (const issue of result.error.issues) context.addIssue({ ...issue, code: 'custom' });
    });

export const mentorProfileInput = z.object({
  expertise: skillList({ level: z.enum(LEVELS) }),
  helpOffered: z.array(z.enum(HELP_KINDS)).transform(distinct),
  capacity: z.number().int().min(1, 'Take at least 1 mentee at once.').max(20, 'Take at most 20 mentees at once.'),
  accepting: z.boolean().nullish(),
  formats: z.array(z.enum(FORMATS)).transform(distinct),
  cadences: z.array(z.enum(CADENCES)).transform(distinct),
  timeZone: timeZoneSchema,
  weeklyHours: weeklyHoursInput,
  languages: languagesInput,
  askScope: z.enum(['EVERYONE', 'CHOSEN_GROUPS']),
  askGroupIds: z
    .array(z.string())
    .max(MAX_ASK_GROUPS, `Choose at most ${MAX_ASK_GROUPS} groups.`)
    .transform((ids) => [...new Set(ids)]),
});
export type MentorProfileInput = z.output<typeof mentorProfileInput>;

export const goalsInput = z
  .string()
  .trim()
  .normalize('NFC')
  .refine((value) => [...value].length <= MAX_GOALS_LENGTH, `Use at most ${MAX_GOALS_LENGTH} characters.`)
  .refine(
    (value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value),
    'Control characters are not allowed.',
  );

export const menteeNeedsInput = z.object({
  skills: skillList({ currentLevel: z.enum(LEVELS).nullish(), wantedLevel: z.enum(LEVELS) }),
  goals: goalsInput,
  helpWanted: z.array(z.enum(HELP_KINDS)).transform(distinct),
  formats: z.array(z.enum(FORMATS)).transform(distinct),
  cadence: z.enum(CADENCES).nullish(),
  timeZone: timeZoneSchema,
  weeklyHours: weeklyHoursInput,
  // Optional so clients from before it existed keep saving (their languages stay as they were).
  languages: languagesInput.nullish(),
});
export type MenteeNeedsInput = z.output<typeof menteeNeedsInput>;
