import type { StandardSchemaV1 } from '@pothos/plugin-validation';
import { z } from 'zod';
import { ValidationError } from '../lib/errors.js';

/** Turns validation issues into field errors keyed by the input field name ("email"). */
export function toValidationError(issues: ReadonlyArray<StandardSchemaV1.Issue>): ValidationError {
  return new ValidationError(
    issues.map((issue) => {
      const keys = (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part));
      // Drop the wrapping argument name: `input.email` is reported as `email`.
      const path = keys[0] === 'input' ? keys.slice(1) : keys;
      return { path: path.join('.') || 'input', message: issue.message };
    }),
  );
}

export const MAX_PAGE_SIZE = 100;
/** What every connection returns when `first`/`last` is left out. */
export const DEFAULT_PAGE_SIZE = 20;

/** `first` / `last` of every connection. */
export const pageSize = z
  .number()
  .int()
  .min(1, 'Ask for at least 1 item.')
  .max(MAX_PAGE_SIZE, `Ask for at most ${MAX_PAGE_SIZE} items.`)
  .nullish();
