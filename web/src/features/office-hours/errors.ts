import type { CombinedError } from 'urql';
import { describeTypedError, type TypedError } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';

// Office hours' refusals, by code (never by the server's wording). Unknown codes fall back to the
// server's own sentence, which names the rule ("Book at least 2 hours ahead").
const MESSAGES: Record<string, string> = {
  SLOT_FULL: 'Every seat was just taken. You can join the waitlist instead.',
  ALREADY_BOOKED: 'You already have a seat in this slot.',
  ALREADY_WAITLISTED: 'You’re already on the waitlist for this slot.',
  SEATS_AVAILABLE: 'A seat is free: book it instead of joining the waitlist.',
  OWN_SLOT: 'This is your own slot: you can’t book it.',
  SLOT_CANCELLED: 'The host cancelled this slot.',
  SLOT_PAST: 'This slot has already started.',
  OFFER_EXPIRED: 'The time to accept this seat has passed; it went to the next person in line.',
  NO_OFFER: 'There’s no seat offered to you here any more.',
  ALREADY_CANCELLED: 'This booking is already cancelled.',
};

export type Outcome<Success> = { ok: true; value: Success } | { ok: false; message: string; code?: string };

/** A mutation's union answer as success or one sentence for the member (payloads carry no `code`). */
export function outcome<Result extends { __typename: string }>(
  result: Result | null | undefined,
  error: CombinedError | undefined,
): Outcome<Result> {
  if (!result) return { ok: false, message: describeRequestError(error) };
  const typed = result as unknown as TypedError;
  if (typeof typed.code !== 'string') return { ok: true, value: result };
  const known = MESSAGES[typed.code];
  // TOO_LATE / TOO_EARLY and the like: the server's sentence says by how much.
  return { ok: false, code: typed.code, message: known ?? describeTypedError(typed) };
}
