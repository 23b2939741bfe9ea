import type { CombinedError } from 'urql';
import { describeTypedError, type TypedError } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';

// A host mutation's answer as success (its payload) or words: the office-hours codes the server names
// in its contract get a sentence of their own (the server's message keeps the detail, e.g. which slot).

export type HostOutcome<Payload> =
  | { ok: true; value: Payload }
  | { ok: false; message: string; fieldErrors: Record<string, string>; code: string | undefined };

const OFFICE_HOURS_CODES: Record<string, string> = {
  SLOT_CONFLICT: 'This clashes with another of your office hours (the buffer between slots counts too).',
  SEATS_BELOW_BOOKINGS: 'Some slots already have more bookings than that many seats.',
  NOT_FOUND: 'These office hours no longer exist, or they aren’t yours.',
  FORBIDDEN: 'You can’t do that with these office hours.',
  SLOT_PAST: 'That slot has already started.',
  SLOT_CANCELLED: 'That slot was already cancelled.',
};

function describe(error: TypedError): string {
  const lead = error.code ? OFFICE_HOURS_CODES[error.code] : undefined;
  if (!lead || error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN') return lead ?? describeTypedError(error);
  // The server's message names the slot in words; say what kind of problem it is first.
  return error.message && error.message !== lead ? `${lead} ${error.message}` : lead;
}

/**
 * A ValidationError's messages by full path ("recurrence.untilDate") and by its last segment
 * ("untilDate"), so a field can look itself up either way.
 */
export function fieldErrorsOf(fieldErrors: readonly { path: string; message: string }[] | undefined) {
  const errors: Record<string, string> = {};
  for (const { path, message } of fieldErrors ?? []) {
    errors[path] ??= message;
    const last = path.split('.').at(-1) ?? path;
    errors[last] ??= message;
  }
  return errors;
}

export function hostOutcome<Result extends { __typename: string }, Key extends string>(
  result: Result | null | undefined,
  error: CombinedError | undefined,
  // A field only the success payload has ('officeHours', 'slot', 'booking').
  key: Key,
): HostOutcome<Extract<Result, Record<Key, unknown>>> {
  if (!result) return { ok: false, message: describeRequestError(error), fieldErrors: {}, code: undefined };
  if (key in result) return { ok: true, value: result as Extract<Result, Record<Key, unknown>> };
  const typed = result as unknown as TypedError;
  return {
    ok: false,
    message: describe(typed),
    fieldErrors: fieldErrorsOf(typed.fieldErrors),
    code: typed.code,
  };
}
