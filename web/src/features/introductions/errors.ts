import type { MutationOutcome } from '../../app/mutation-errors';

// The introductions' typed errors in words, by their stable code (never by the server's message text).
// Names come from what the page already shows; only COOL_DOWN uses the server's words, which carry the date
// the pair may ask again.

export type IntroductionErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'NO_CONNECTION'
  | 'NOT_OPEN_TO_INTRODUCTIONS'
  | 'NOT_THROUGH_THIS_BROKER'
  | 'ALREADY_REQUESTED'
  | 'COOL_DOWN'
  | 'TOO_MANY_PENDING'
  | 'BROKER_BUSY'
  | 'INTRODUCTION_CLOSED'
  | 'ALREADY_LEFT';

const KNOWN = new Set<string>([
  'VALIDATION',
  'NOT_FOUND',
  'FORBIDDEN',
  'NO_CONNECTION',
  'NOT_OPEN_TO_INTRODUCTIONS',
  'NOT_THROUGH_THIS_BROKER',
  'ALREADY_REQUESTED',
  'COOL_DOWN',
  'TOO_MANY_PENDING',
  'BROKER_BUSY',
  'INTRODUCTION_CLOSED',
  'ALREADY_LEFT',
]);

function isKnown(code: string | undefined): code is IntroductionErrorCode {
  return code !== undefined && KNOWN.has(code);
}

export interface IntroductionNames {
  broker?: string;
  target?: string;
}

export type Failure = Extract<MutationOutcome<unknown>, { ok: false }>;

export function describeIntroductionError(failure: Failure, names: IntroductionNames = {}): string {
  const broker = names.broker ?? 'This member';
  const target = names.target ?? 'This member';
  // A transport failure or an unknown code keeps the shared wording outcomeOf already chose.
  if (!isKnown(failure.code)) return failure.message;
  switch (failure.code) {
    case 'VALIDATION':
      return failure.message;
    case 'NOT_FOUND':
      return 'That introduction or member is no longer available to you.';
    case 'FORBIDDEN':
      return 'You can’t do that with this introduction.';
    case 'NO_CONNECTION':
      return `${broker} is not connected to both of you: introducers must share a group, a mentorship or a conversation with each of you.`;
    case 'NOT_OPEN_TO_INTRODUCTIONS':
      return `${target} is not taking introductions right now.`;
    case 'NOT_THROUGH_THIS_BROKER':
      // The server's words: asking, they say whom the target takes introductions through; passing
      // one on, that the target no longer takes them through this broker.
      return failure.message || `${target} takes introductions only through people they mentor or are mentored by.`;
    case 'ALREADY_REQUESTED':
      return `You already have an open request to meet ${target}. Wait for it, or withdraw it from your introductions.`;
    case 'COOL_DOWN':
      return failure.message || `You asked about ${target} recently. You can ask again later.`;
    case 'TOO_MANY_PENDING':
      return 'You have as many open requests as you can. Wait for one to finish, or withdraw one.';
    case 'BROKER_BUSY':
      return `${broker} has had many requests this week; try again later or ask someone else.`;
    case 'INTRODUCTION_CLOSED':
      return 'This introduction is no longer waiting for you.';
    case 'ALREADY_LEFT':
      return 'You already left this conversation.';
  }
}
