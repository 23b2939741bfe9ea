import { z } from 'zod';

// Edge validation of reports and moderation: trimmed, bounded, rejected rather than truncated.

export const MAX_REASON_LENGTH = 1000;
export const MAX_NOTE_LENGTH = 1000;

/** The reporter's words: what is wrong, for the moderators. */
export const reportReasonInput = z
  .string()
  .transform((text) => text.replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(3, 'Say in a few words what is wrong.')
      .max(MAX_REASON_LENGTH, `A report can be at most ${MAX_REASON_LENGTH} characters.`),
  );

/** The moderator's note: kept in the log; for a warning, the words the member receives. */
export const moderatorNoteInput = z
  .string()
  .transform((text) => text.replace(/\r\n?/g, '\n').trim())
  .pipe(z.string().max(MAX_NOTE_LENGTH, `A note can be at most ${MAX_NOTE_LENGTH} characters.`));
