import { z } from 'zod';
import { mentionedPersonIds } from '@guildhall/markup';
import { decodeId } from '../../lib/global-id.js';

// Edge validation of chat input: reject, never truncate.

export const MAX_MESSAGE_LENGTH = 4000;
/** Others in one direct conversation (so at most 9 people with the viewer). */
export const MAX_DIRECT_OTHERS = 8;

export const messageBodyInput = z
  .string()
  .transform((body) => body.replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1, 'Write something first.')
      .max(MAX_MESSAGE_LENGTH, `A message can be at most ${MAX_MESSAGE_LENGTH} characters.`),
  );

export const clientIdInput = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'clientId is 1–64 letters, digits, "-" or "_" (e.g. a UUID).');

export const channelNameInput = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'Channel names are 1–40 lower-case letters, digits or "-", starting with a letter or digit.',
  );

export const channelTopicInput = z.string().trim().max(250, 'A topic can be at most 250 characters.');

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/** One emoji: a single grapheme cluster that is pictographic (👍, ❤️, 👩🏽‍💻, 🇩🇪). */
export const emojiInput = z
  .string()
  .trim()
  .refine(
    (value) =>
      value.length > 0 && value.length <= 32 && [...segmenter.segment(value)].length === 1 && PICTOGRAPHIC.test(value),
    'Pick one emoji.',
  );

export const searchQueryInput = z
  .string()
  .trim()
  .min(1, 'Type something to search for.')
  .max(200, 'Search for at most 200 characters.');

// Mentions are written `@[Display Name](<Person global id>)` by the web composer and read by the
// chat's one Markdown parser (@guildhall/markup), the same the web renders with: a mention in a code
// span, a code block, a link's text or behind a backslash is text there, so it notifies nobody.
/** The user ids a message body mentions (distinct, in order of first mention). */
export function mentionedUserIds(body: string): string[] {
  const ids = new Set<string>();
  for (const personId of mentionedPersonIds(body)) {
    const id = decodeId(personId, 'Person');
    if (id) ids.add(id);
  }
  return [...ids];
}
