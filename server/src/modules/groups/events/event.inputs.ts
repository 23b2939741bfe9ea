import { z } from 'zod';

// Trim and bound at the edge; reject, never truncate.

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const codePoints = (value: string) => [...value].length;

export const eventTitleInput = z
  .string()
  .trim()
  .normalize('NFC')
  .min(1, 'Give the event a title.')
  .refine((value) => codePoints(value) <= 120, 'Use at most 120 characters.')
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'Titles cannot contain control characters.');

export const eventDescriptionInput = z
  .string()
  .trim()
  .normalize('NFC')
  .refine((value) => codePoints(value) <= 5000, 'Use at most 5000 characters.')
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'Descriptions cannot contain control characters.')
  .nullish();

export const onlineUrlInput = z
  .string()
  .trim()
  .max(2000, 'Use at most 2000 characters.')
  .refine((value) => {
    if (value === '') return true; // an empty field means "no link"
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'Enter a web address starting with https:// or http://.')
  .nullish();

export const locationInput = z
  .string()
  .trim()
  .normalize('NFC')
  .refine((value) => codePoints(value) <= 200, 'Use at most 200 characters.')
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'Places cannot contain control characters.')
  .nullish();

export const capacityInput = z
  .number()
  .int('Capacity is a whole number.')
  .min(1, 'Capacity is at least 1 (leave it empty for no limit).')
  .max(10_000, 'Capacity is at most 10000.')
  .nullish();

/** Cross-field rules zod cannot see field by field. */
export function scheduleProblems(startsAt: Date, endsAt: Date): Array<{ path: string; message: string }> {
  if (endsAt.getTime() <= startsAt.getTime())
    return [{ path: 'endsAt', message: 'The event must end after it starts.' }];
  if (endsAt.getTime() - startsAt.getTime() > 31 * 24 * 60 * 60 * 1000) {
    return [{ path: 'endsAt', message: 'An event lasts at most 31 days.' }];
  }
  return [];
}
