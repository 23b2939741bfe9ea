import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

// Checks for goals, check-ins, feedback, the exit review and celebrations: each input whole, every
// problem reported at once (by path), nothing stored when one fails. Dates a person means as a
// calendar day ("due on 12 March") are YYYY-MM-DD in the viewer's own zone.

const words = (max: number, what: string) =>
  z.string().trim().min(1, `Say ${what}.`).max(max, `At most ${max} characters.`);
const optionalWords = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);

export const MAX_CHECKLIST_ITEMS = 20;

export const calendarDate = z.string().transform((value, context) => {
  try {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new RangeError('shape');
    return Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    context.addIssue({ code: 'custom', message: 'Give a date as YYYY-MM-DD.' });
    return z.NEVER;
  }
});

const number = z.number({ message: 'Give a number.' }).refine(Number.isFinite, 'Give a number.');

const goalFields = {
  title: words(120, 'what the goal is'),
  specificOutcome: words(1000, 'what exactly will be different'),
  whyItMatters: words(1000, 'why it matters'),
  dueOn: calendarDate,
};

export const createGoalInput = z.object({
  ...goalFields,
  measure: z.enum(['TARGET', 'CHECKLIST']),
  startValue: number.nullish(),
  targetValue: number.nullish(),
  unit: optionalWords(40)
    .nullish()
    .transform((unit) => unit ?? ''),
  checklist: z
    .array(words(200, 'the step'))
    .max(MAX_CHECKLIST_ITEMS, `At most ${MAX_CHECKLIST_ITEMS} steps.`)
    .nullish(),
});

/**
 * What the measure needs (a start and a different target, or at least one step), checked apart from
 * the fields' own shapes so that both kinds of problem are reported at once.
 */
export function measureProblems(goal: {
  measure?: unknown;
  startValue?: number | null;
  targetValue?: number | null;
  checklist?: readonly unknown[] | null;
}): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (goal.measure === 'TARGET') {
    if (goal.startValue == null) problems.push({ path: 'startValue', message: 'Give a start value.' });
    if (goal.targetValue == null) problems.push({ path: 'targetValue', message: 'Give a target value.' });
    if (goal.startValue != null && goal.startValue === goal.targetValue)
      problems.push({ path: 'targetValue', message: 'The target must differ from the start.' });
    if (goal.checklist && goal.checklist.length > 0)
      problems.push({ path: 'checklist', message: 'A target goal has no checklist.' });
  } else if (goal.measure === 'CHECKLIST' && (!goal.checklist || goal.checklist.length === 0)) {
    problems.push({ path: 'checklist', message: 'Add at least one step.' });
  }
  return problems;
}
export type CreateGoalData = z.output<typeof createGoalInput>;

export const updateGoalInput = z.object({
  title: goalFields.title.optional(),
  specificOutcome: goalFields.specificOutcome.optional(),
  whyItMatters: goalFields.whyItMatters.optional(),
  dueOn: calendarDate.optional(),
  targetValue: number.optional(),
  unit: optionalWords(40).optional(),
});
export type UpdateGoalData = z.output<typeof updateGoalInput>;

export const goalProgressInput = z.object({
  value: number.nullish(),
  doneItemIds: z.array(z.string()).max(MAX_CHECKLIST_ITEMS).nullish(),
  note: optionalWords(1000).default(''),
});

export const checkInInput = z.object({
  heldAt: z.date({ message: 'Say when it was held.' }),
  sharedNotes: optionalWords(5000).default(''),
  nextSteps: optionalWords(2000).default(''),
  privateNote: optionalWords(5000).nullish(),
});
export type CheckInData = z.output<typeof checkInInput>;

export const updateCheckInInput = z.object({
  heldAt: z.date().optional(),
  sharedNotes: optionalWords(5000).optional(),
  nextSteps: optionalWords(2000).optional(),
  privateNote: optionalWords(5000).optional(),
});

export const feedbackInput = z.object({
  rating: z.number().int('A whole number from 1 to 5.').min(1, 'From 1 to 5.').max(5, 'From 1 to 5.'),
  words: optionalWords(2000).default(''),
  pairingWorking: z.boolean(),
});

export const reviewInput = z.object({
  wentWell: words(2000, 'what went well'),
  outcome: z.enum(['GOALS_MET', 'PARTLY_MET', 'NOT_MET', 'ENDED_EARLY']),
  wouldRecommend: z.boolean(),
});
export type ReviewData = z.output<typeof reviewInput>;
