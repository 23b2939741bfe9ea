import { z } from 'zod';

// The introductions' inputs, trimmed and bounded at the edge; rejected, never truncated. Ids are
// decoded apart (a wrong id is "not found", not a validation problem).

export const MAX_INTRODUCTION_TEXT = 1000;

const words = (what: string) =>
  z.string().trim().min(1, `Write ${what}.`).max(MAX_INTRODUCTION_TEXT, `At most ${MAX_INTRODUCTION_TEXT} characters.`);

const optionalWords = z
  .string()
  .trim()
  .max(MAX_INTRODUCTION_TEXT, `At most ${MAX_INTRODUCTION_TEXT} characters.`)
  .default('');

export const requestIntroductionInput = z.object({
  reason: words('why you would like to meet them'),
  hopes: optionalWords,
});
export type RequestIntroductionInput = z.output<typeof requestIntroductionInput>;

export const forwardIntroductionInput = z.object({
  note: words('a note to the person you introduce them to'),
  /** How the requester is presented to the target; null: their own reason. */
  presentation: words('how you present them').nullable().default(null),
});
export type ForwardIntroductionInput = z.output<typeof forwardIntroductionInput>;

export const declineIntroductionRequestInput = z.object({ messageToRequester: optionalWords });

export const introductionNoteInput = z.object({ note: optionalWords });
