import type { StandardSchemaV1 } from '@pothos/plugin-validation';
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
