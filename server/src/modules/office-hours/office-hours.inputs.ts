import { z } from 'zod';
import { parseLocalDateTime, timeZoneSchema } from '../../lib/time.js';
import {
  isLocalTime,
  MAX_EVERY_WEEKS,
  MAX_OCCURRENCES,
  MAX_SPAN_DAYS,
  parseLocalDate,
  ruleDates,
  type ScheduleRule,
  WEEKDAYS,
} from './recurrence.js';

// Publishing and editing office hours: trim and bound at the edge, reject, never truncate. One schema
// for the whole series, so an edit (the stored series with the changed fields laid over it) is checked
// exactly like a new one and every problem is reported at once, keyed by the input field's name.

export const MAX_TOPIC = 120;
export const MAX_DESCRIPTION = 2000;
export const MAX_LOCATION = 200;
export const MAX_URL = 500;
export const MAX_SEATS = 100;
export const MAX_DURATION_MINUTES = 8 * 60;
export const MIN_DURATION_MINUTES = 10;
export const MAX_NOTICE_MINUTES = 30 * 24 * 60;
export const MAX_WINDOW_DAYS = MAX_SPAN_DAYS;
export const MAX_BUFFER_MINUTES = 240;
export const MAX_GROUPS = 20;
export const MAX_EXCEPTIONS = MAX_OCCURRENCES;
export const MAX_MESSAGE = 1000;

export const PUBLISHED_AUDIENCES = ['PUBLIC', 'MEMBERS', 'GROUPS'] as const;

/** A moved session stays within the series' span of its own date (no session years away). */
export const MAX_MOVE_DAYS = MAX_SPAN_DAYS;

/** Why a MOVE of the occurrence on `occurrenceDate` to `movedToLocal` is too far, or null. */
export function moveTooFar(occurrenceDate: string, movedToLocal: string): string | null {
  const from = parseLocalDate(occurrenceDate);
  const to = parseLocalDate(movedToLocal.slice(0, 10));
  if (!from || !to) return null;
  return Math.abs(from.until(to).days) > MAX_MOVE_DAYS
    ? `Move a session by at most ${MAX_MOVE_DAYS} days from its own date.`
    : null;
}

const localDate = z
  .string()
  .trim()
  .refine((value) => parseLocalDate(value) !== null, 'Use a date such as 2026-03-29.');

const localTime = z
  .string()
  .trim()
  .refine((value) => isLocalTime(value), 'Use a local time such as 17:00.');

const localDateTime = z
  .string()
  .trim()
  .refine(
    (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) && parseLocalDateTime(value) !== null,
    'Use a local date and time such as 2026-03-29T17:00.',
  );

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} can be at most ${max} characters.`)
    .nullish()
    .transform((value) => (value ? value : null));

const onlineUrl = z
  .string()
  .trim()
  .max(MAX_URL, `The link can be at most ${MAX_URL} characters.`)
  .nullish()
  .transform((value) => (value ? value : null))
  .refine((value) => {
    if (value === null) return true;
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'Use a web address starting with https://.');

const recurrence = z
  .object({
    everyWeeks: z
      .number()
      .int('Use a whole number of weeks.')
      .min(1, 'Repeat at least every week.')
      .max(MAX_EVERY_WEEKS, `Repeat at most every ${MAX_EVERY_WEEKS} weeks.`),
    weekdays: z
      .array(z.enum(WEEKDAYS))
      .min(1, 'Choose at least one weekday.')
      .max(7)
      .transform((days) => WEEKDAYS.filter((day) => days.includes(day))),
    untilDate: localDate.nullish().transform((value) => value ?? null),
    occurrenceCount: z
      .number()
      .int('Use a whole number of sessions.')
      .min(1, 'At least one session.')
      .max(MAX_OCCURRENCES, `At most ${MAX_OCCURRENCES} sessions.`)
      .nullish()
      .transform((value) => value ?? null),
  })
  .superRefine((value, context) => {
    if ((value.untilDate === null) === (value.occurrenceCount === null)) {
      context.addIssue({
        code: 'custom',
        path: ['untilDate'],
        message: 'End the series on a date or after a number of sessions (one of the two).',
      });
    }
  });

const exception = z
  .object({
    occurrenceDate: localDate,
    kind: z.enum(['SKIP', 'MOVE']),
    movedToLocal: localDateTime.nullish().transform((value) => value ?? null),
  })
  .superRefine((value, context) => {
    if (value.kind === 'MOVE' && value.movedToLocal === null) {
      context.addIssue({ code: 'custom', path: ['movedToLocal'], message: 'Say when the moved session starts.' });
    }
  })
  .transform((value) => ({ ...value, movedToLocal: value.kind === 'MOVE' ? value.movedToLocal : null }));

export const officeHoursInput = z
  .object({
    topic: z
      .string()
      .trim()
      .min(1, 'Give your office hours a topic.')
      .max(MAX_TOPIC, `The topic can be at most ${MAX_TOPIC} characters.`),
    description: z
      .string()
      .trim()
      .max(MAX_DESCRIPTION, `The description can be at most ${MAX_DESCRIPTION} characters.`)
      .nullish()
      .transform((value) => value ?? ''),
    timeZone: timeZoneSchema,
    startDate: localDate,
    startTime: localTime,
    durationMinutes: z
      .number()
      .int('Use whole minutes.')
      .min(MIN_DURATION_MINUTES, `A session lasts at least ${MIN_DURATION_MINUTES} minutes.`)
      .max(MAX_DURATION_MINUTES, `A session lasts at most ${MAX_DURATION_MINUTES / 60} hours.`),
    recurrence: recurrence.nullish().transform((value) => value ?? null),
    exceptions: z
      .array(exception)
      .max(MAX_EXCEPTIONS, `At most ${MAX_EXCEPTIONS} exceptions.`)
      .nullish()
      .transform((value) => value ?? []),
    seats: z
      .number()
      .int('Use a whole number of seats.')
      .min(1, 'Offer at least one seat.')
      .max(MAX_SEATS, `Offer at most ${MAX_SEATS} seats.`),
    onlineUrl,
    location: optionalText(MAX_LOCATION, 'The place'),
    audience: z.enum(PUBLISHED_AUDIENCES),
    groupIds: z
      .array(z.string().trim().min(1, 'Choose a group.').max(200, 'That is not a group.'))
      .max(MAX_GROUPS, `Choose at most ${MAX_GROUPS} groups.`)
      .nullish()
      .transform((value) => [...new Set(value ?? [])]),
    attendeesSeeNames: z
      .boolean()
      .nullish()
      .transform((value) => value ?? false),
    minimumNoticeMinutes: z
      .number()
      .int('Use whole minutes.')
      .min(0, 'The notice cannot be negative.')
      .max(MAX_NOTICE_MINUTES, 'Ask for at most 30 days of notice.')
      .nullish()
      .transform((value) => value ?? 120),
    bookingWindowDays: z
      .number()
      .int('Use whole days.')
      .min(1, 'Let people book at least 1 day ahead.')
      .max(MAX_WINDOW_DAYS, `Let people book at most ${MAX_WINDOW_DAYS} days ahead.`)
      .nullish()
      .transform((value) => value ?? 60),
    bufferMinutes: z
      .number()
      .int('Use whole minutes.')
      .min(0, 'The buffer cannot be negative.')
      .max(MAX_BUFFER_MINUTES, `A buffer of at most ${MAX_BUFFER_MINUTES} minutes.`)
      .nullish()
      .transform((value) => value ?? 0),
  })
  .superRefine((value, context) => {
    if (value.audience === 'GROUPS' && value.groupIds.length === 0) {
      context.addIssue({ code: 'custom', path: ['groupIds'], message: 'Choose the groups whose members may book.' });
    }
    if (value.audience !== 'GROUPS' && value.groupIds.length > 0) {
      context.addIssue({ code: 'custom', path: ['groupIds'], message: 'Groups are only for group office hours.' });
    }
    const start = parseLocalDate(value.startDate);
    const pattern = value.recurrence;
    if (!start) return;
    if (pattern?.untilDate) {
      const until = parseLocalDate(pattern.untilDate);
      if (until && start.until(until).days < 0) {
        context.addIssue({
          code: 'custom',
          path: ['recurrence', 'untilDate'],
          message: 'End the series after it starts.',
        });
      } else if (until && start.until(until).days > MAX_SPAN_DAYS) {
        context.addIssue({
          code: 'custom',
          path: ['recurrence', 'untilDate'],
          message: `End the series within ${MAX_SPAN_DAYS} days of its start.`,
        });
      }
    }
    if (value.exceptions.length > 0) {
      if (pattern?.untilDate && !parseLocalDate(pattern.untilDate)) return;
      const dates = new Set(ruleDates({ startDate: value.startDate, recurrence: pattern }));
      const seen = new Set<string>();
      value.exceptions.forEach((item, index) => {
        if (!dates.has(item.occurrenceDate)) {
          context.addIssue({
            code: 'custom',
            path: ['exceptions', index, 'occurrenceDate'],
            message: `${item.occurrenceDate} is not a day of this series.`,
          });
        }
        if (seen.has(item.occurrenceDate)) {
          context.addIssue({
            code: 'custom',
            path: ['exceptions', index, 'occurrenceDate'],
            message: `${item.occurrenceDate} is listed twice.`,
          });
        }
        seen.add(item.occurrenceDate);
        const tooFar =
          item.kind === 'MOVE' && item.movedToLocal ? moveTooFar(item.occurrenceDate, item.movedToLocal) : null;
        if (tooFar) context.addIssue({ code: 'custom', path: ['exceptions', index, 'movedToLocal'], message: tooFar });
      });
    }
  });

export type OfficeHoursInput = z.output<typeof officeHoursInput>;

/** The rule recurrence.ts expands, from a checked input or a stored series. */
export function scheduleRuleOf(input: OfficeHoursInput): ScheduleRule {
  return {
    timeZone: input.timeZone,
    startDate: input.startDate,
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    recurrence: input.recurrence,
    exceptions: input.exceptions,
  };
}

/** Only the schedule: officeHoursPreview. */
export const scheduleInput = z.object({
  timeZone: timeZoneSchema,
  startDate: localDate,
  startTime: localTime,
  durationMinutes: officeHoursInput.shape.durationMinutes,
  recurrence: recurrence.nullish().transform((value) => value ?? null),
  exceptions: z
    .array(exception)
    .max(MAX_EXCEPTIONS, `At most ${MAX_EXCEPTIONS} exceptions.`)
    .nullish()
    .transform((value) => value ?? []),
});

export const messageInput = z
  .string()
  .trim()
  .max(MAX_MESSAGE, `The message can be at most ${MAX_MESSAGE} characters.`)
  .nullish()
  .transform((value) => (value ? value : null));

export const moveInput = z.object({ startLocal: localDateTime });
