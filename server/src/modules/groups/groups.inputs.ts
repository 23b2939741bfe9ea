import { z } from 'zod';

// Trim and bound at the edge; reject, never truncate.

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const codePoints = (value: string) => [...value].length;

function text(label: string, min: number, max: number) {
  return z
    .string()
    .trim()
    .normalize('NFC')
    .refine((value) => codePoints(value) >= min, min === 1 ? `Enter ${label}.` : `Use at least ${min} characters.`)
    .refine((value) => codePoints(value) <= max, `Use at most ${max} characters.`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'Control characters are not allowed.');
}

export const groupNameInput = text('a name', 1, 80).refine((v) => !/[\n\r]/.test(v), 'Use one line.');
export const descriptionInput = text('a description', 0, 2000);
export const institutionInput = text('the institution', 1, 120);
export const cohortInput = text('a cohort', 1, 60);
export const joinMessageInput = text('a message', 0, 500);
export const banReasonInput = text('a reason', 0, 500);

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slugInput = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'Use at least 3 characters.')
  .max(60, 'Use at most 60 characters.')
  .regex(SLUG, 'Use lower-case letters, digits and single dashes, like "rust-berlin".');

export const graduationYearInput = z
  .number()
  .int()
  .min(1900, 'Enter a year after 1900.')
  .max(2100, 'Enter a year before 2100.');

export const emailDomainInput = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'Use at most 253 characters.')
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Enter a domain like acme.com.');

export const expiresInHoursInput = z
  .number()
  .int()
  .min(1, 'Use at least 1 hour.')
  .max(24 * 90, 'Use at most 90 days (2160 hours).');
export const maxUsesInput = z.number().int().min(1, 'Allow at least 1 use.').max(10_000, 'Allow at most 10000 uses.');
export const searchInput = z
  .string()
  .trim()
  .max(100, 'Use at most 100 characters.')
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'Control characters are not allowed.');
export const inviteTokenInput = z.string().trim().min(1, 'Paste the invite token.').max(200, 'That token is too long.');

/** A slug from a name: "Rust Berlin!" → "rust-berlin"; falls back to "group" for names with no letters. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return slug.length >= 3 ? slug : `group-${slug || 'new'}`.replace(/-+$/g, '');
}
