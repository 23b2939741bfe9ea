import type { CombinedError } from 'urql';
import { describeRequestError } from './request-error';

// The shape every typed error shares (interface Error); each feature names its own codes.
export interface TypedError {
  __typename: string;
  code?: string;
  message?: string;
  fieldErrors?: readonly { path: string; message: string }[];
}

const CODE_MESSAGES: Record<string, string> = {
  NOT_FOUND: 'That no longer exists, or you can’t see it.',
  FORBIDDEN: 'You don’t have permission to do that here.',
  VALIDATION: 'Check the highlighted fields and try again.',
  SLUG_TAKEN: 'That web address is already taken. Try another.',
  ALREADY_MEMBER: 'You’re already a member of this group.',
  ALREADY_PENDING: 'You’ve already asked to join; an admin will decide soon.',
  BANNED: 'You can’t join this group.',
  DOMAIN_NOT_ALLOWED: 'This group is limited to people with a verified email address at its organisation.',
  REQUEST_REQUIRED: 'This group is private: ask to join instead.',
  OWNER_MUST_TRANSFER: 'As the owner, hand ownership to another member before you leave.',
  INVITE_EXPIRED: 'This invite has expired. Ask for a new one.',
  INVITE_USED_UP: 'This invite has been used up. Ask for a new one.',
  INVITE_REVOKED: 'This invite was revoked. Ask for a new one.',
  NOT_PENDING: 'This request was already handled.',
  RATE_LIMITED: 'You’re going a little fast. Wait a moment and try again.',
};

// One sentence for a typed error, by its stable code (never by the server's message text).
export function describeTypedError(error: TypedError): string {
  if (error.__typename === 'NotFoundError') return CODE_MESSAGES.NOT_FOUND!;
  if (error.__typename === 'ForbiddenError') return CODE_MESSAGES.FORBIDDEN!;
  if (error.__typename === 'ValidationError') {
    const details = error.fieldErrors?.map((fieldError) => fieldError.message).join(' ');
    return details || CODE_MESSAGES.VALIDATION!;
  }
  if (error.code && CODE_MESSAGES[error.code]) return CODE_MESSAGES[error.code]!;
  return error.message ?? 'That didn’t work. Try again.';
}

export type MutationOutcome<Success> =
  | { ok: true; value: Success }
  | { ok: false; message: string; fieldErrors: Record<string, string>; code?: string };

// Splits a mutation answer into success (the payload) or one message for the member plus per-field errors.
export function outcomeOf<Result extends { __typename: string }, Name extends Result['__typename']>(
  result: Result | null | undefined,
  error: CombinedError | undefined,
  success: Name,
): MutationOutcome<Extract<Result, { __typename: Name }>> {
  if (!result) return { ok: false, message: describeRequestError(error), fieldErrors: {} };
  if (result.__typename === success) return { ok: true, value: result as Extract<Result, { __typename: Name }> };
  const typed = result as unknown as TypedError;
  const fieldErrors: Record<string, string> = {};
  for (const fieldError of typed.fieldErrors ?? []) {
    const key = fieldError.path.split('.').at(-1) ?? fieldError.path;
    fieldErrors[key] ??= fieldError.message;
  }
  return { ok: false, message: describeTypedError(typed), fieldErrors, code: typed.code };
}
