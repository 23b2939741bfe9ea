import { z } from 'zod';

// The requests' and agreements' inputs, trimmed and bounded at the edge; rejected, never truncated.
// Ids are decoded apart (a wrong id is "not found", not a validation problem).

export const MAX_REQUEST_MESSAGE = 2000;
export const MAX_REQUEST_GOALS = 2000;
export const MAX_RESPONSE_NOTE = 1000;
export const MAX_EXPECTATIONS = 2000;

const words = (max: number, what: string) =>
  z.string().trim().min(1, `Write ${what}.`).max(max, `At most ${max} characters.`);

export const requestInput = z.object({
  message: words(MAX_REQUEST_MESSAGE, 'a message to the mentor'),
  goals: words(MAX_REQUEST_GOALS, 'the goals you bring'),
});

export const pairingInput = z.object({
  note: words(MAX_REQUEST_MESSAGE, 'why these two should meet'),
});

export const responseNoteInput = z.object({
  note: z.string().trim().max(MAX_RESPONSE_NOTE, `At most ${MAX_RESPONSE_NOTE} characters.`).default(''),
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIRST_DAY = '2000-01-01';
// One check after the other, each only once the one before passed: a string of the wrong shape
// (or a month 13) made new Date(…).toISOString() throw, an unexpected error instead of a field's.
const day = z
  .string()
  .trim()
  .superRefine((value, context) => {
    if (!DATE.test(value)) {
      context.addIssue({ code: 'custom', message: 'Use a date such as 2026-03-01.' });
      return;
    }
    const date = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      context.addIssue({ code: 'custom', message: 'That day does not exist.' });
      return;
    }
    // 0000-01-01 has the shape, and PostgreSQL's date refuses it.
    if (value < FIRST_DAY) context.addIssue({ code: 'custom', message: `Use a day from ${FIRST_DAY} on.` });
  });

export const agreementInput = z
  .object({
    cadence: z.enum(['WEEKLY', 'BIWEEKLY', 'MONTHLY']),
    format: z.enum(['VIDEO', 'CHAT', 'IN_PERSON', 'PHONE']),
    sessionMinutes: z
      .number()
      .int('Whole minutes.')
      .min(15, 'At least 15 minutes.')
      .max(240, 'At most 240 minutes (4 hours).'),
    startsOn: day,
    plannedEndOn: day,
    mentorExpectations: words(MAX_EXPECTATIONS, 'what the mentee can expect of the mentor'),
    menteeExpectations: words(MAX_EXPECTATIONS, 'what the mentor can expect of the mentee'),
    confidentiality: words(MAX_EXPECTATIONS, 'what stays between you'),
  })
  .superRefine((value, context) => {
    if (DATE.test(value.startsOn) && DATE.test(value.plannedEndOn) && value.plannedEndOn <= value.startsOn) {
      context.addIssue({ code: 'custom', path: ['plannedEndOn'], message: 'The planned end comes after the start.' });
    }
  });
export type AgreementInput = z.infer<typeof agreementInput>;

/** A YYYY-MM-DD day as the Date Prisma stores in a @db.Date column (midnight UTC). */
export function dayToDate(value: string): Date {
  return new Date(`${value}T00:00:00Z`);
}

/** A @db.Date column as YYYY-MM-DD. */
export function dateToDay(value: Date): string {
  return value.toISOString().slice(0, 10);
}
