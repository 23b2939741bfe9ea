import { z } from 'zod';
import { timeZoneSchema } from '../../lib/time.js';

// Trim and bound at the edge; reject, never truncate.

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const emailInput = z
  .string()
  .trim()
  .normalize('NFC')
  .toLowerCase()
  .max(254, 'Use at most 254 characters.')
  .pipe(z.email('Enter a valid email address, like ada@example.com.'));

const codePoints = (value: string) => [...value].length;

// Length is the only rule (NIST 800-63B): no composition rules, any characters, no trimming.
export const passwordInput = z
  .string()
  .refine((value) => codePoints(value) >= 8, 'Use at least 8 characters.')
  .refine((value) => codePoints(value) <= 128, 'Use at most 128 characters.');

/** Signing in only checks the bounds, so a too-long guess cannot make us hash megabytes. */
export const passwordAttemptInput = z.string().min(1, 'Enter your password.').max(1024, 'That password is too long.');

export const nameInput = z
  .string()
  .trim()
  .normalize('NFC')
  .min(1, 'Enter your name.')
  .refine((value) => codePoints(value) <= 100, 'Use at most 100 characters.')
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'Names cannot contain control characters.');

/** The token of an emailed link (sign-up, password reset): base64url, bounded. */
export const linkTokenInput = z
  .string()
  .trim()
  .min(1, 'The link is missing its token. Open the link from the email again.')
  .max(200, 'That token is too long.');

/**
 * The browser's time zone at sign-up (Intl's resolvedOptions().timeZone): an IANA name, stored in its
 * canonical form. Refused like any other bad field (a client sending a zone means it to be used);
 * left out, the account starts in UTC.
 */
export const signUpTimeZoneInput = z
  .string()
  .max(100, 'That time zone name is too long.')
  .pipe(timeZoneSchema)
  .nullish();

/** A path of the web app to return to: same origin only (no scheme, no "//host", no backslash tricks). */
export const nextPathInput = z
  .string()
  .max(500, 'That path is too long.')
  .regex(/^\/(?![/\\])[^\s\\]*$/, 'Must be a path of this site, like /groups.')
  .nullish();
