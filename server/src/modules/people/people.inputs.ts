import { z } from 'zod';
import { timeZoneSchema } from '../../lib/time.js';

// Trim and bound at the edge; reject, never truncate.

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const codePoints = (value: string) => [...value].length;

/** A trimmed single-line string of at most `max` characters (code points). */
function line(max: number, { min = 0, what = 'This' }: { min?: number; what?: string } = {}) {
  return z
    .string()
    .trim()
    .normalize('NFC')
    .refine(
      (value) => codePoints(value) >= min,
      min === 1 ? `${what} cannot be empty.` : `Use at least ${min} characters.`,
    )
    .refine((value) => codePoints(value) <= max, `Use at most ${max} characters.`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'Control characters are not allowed.');
}

export const profileNameInput = line(100, { min: 1, what: 'Your name' });
export const headlineInput = line(120);
export const locationInput = line(100);
// A bio may have line breaks (but no other control characters).
export const bioInput = z
  .string()
  .trim()
  .normalize('NFC')
  .refine((value) => codePoints(value) <= 2000, 'Use at most 2000 characters.')
  .refine(
    (value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value),
    'Control characters are not allowed.',
  );

/**
 * The canonical key of a skill: lower-case letters and digits joined by dashes ("Node.js" →
 * "node-js"), with the few symbols that carry meaning spelled out ("C++" → "c-plus-plus").
 */
export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\+/g, ' plus ')
    .replace(/#/g, ' sharp ')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

export const MAX_SKILLS = 30;
export const MAX_LINKS = 10;

export const skillNameInput = line(40, { min: 1, what: 'A skill' }).refine(
  (value) => slugOf(value).length > 0,
  'A skill needs at least one letter or digit.',
);

export const skillListInput = z
  .array(z.object({ name: z.string() }).passthrough())
  .max(MAX_SKILLS, `List at most ${MAX_SKILLS} skills.`)
  .superRefine((skills, context) => {
    const seen = new Set<string>();
    skills.forEach((skill, index) => {
      const slug = slugOf(skill.name.trim());
      if (slug && seen.has(slug)) {
        context.addIssue({ code: 'custom', path: [index, 'name'], message: `${skill.name.trim()} is listed twice.` });
      }
      seen.add(slug);
    });
  });

export const linkLabelInput = line(40, { min: 1, what: 'A link label' });

/** Absolute http(s) URLs only: javascript:, data: and friends are refused. */
export const linkUrlInput = z
  .string()
  .trim()
  .max(2048, 'Use at most 2048 characters.')
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'Use a full web address starting with https:// or http://.');

export const linkListInput = z.array(z.unknown()).max(MAX_LINKS, `List at most ${MAX_LINKS} links.`);

// Directory search filters: bounded and free of control characters, so odd input gets a typed
// validation error instead of reaching the database.
const searchTerm = (max: number, what: string) =>
  z
    .string()
    .max(max, `${what} can be at most ${max} characters.`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), `${what} cannot contain control characters.`);

export const searchTextInput = searchTerm(100, 'Search text');
export const skillPrefixInput = searchTerm(40, 'A skill prefix');
export const skillFilterInput = z.array(searchTerm(40, 'A skill')).max(20, 'Filter by at most 20 skills.');
export const timeZoneFilterInput = z.array(timeZoneSchema).max(40, 'Filter by at most 40 time zones.');
