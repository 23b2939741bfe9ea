// Expected failures are data: typed union members with a stable `code`.
// Unexpected failures throw and are masked by Yoga. The GraphQL types live in schema/errors.ts.

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export interface FieldProblem {
  /** Input field name, e.g. "email". */
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION';
  constructor(readonly fieldErrors: FieldProblem[]) {
    super(fieldErrors.length === 1 ? fieldErrors[0]!.message : 'Some fields need attention.');
  }
}

export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Try again in ${retryAfterSeconds} seconds.`);
  }
}

/** Forbidden looks exactly like missing, so nobody learns what exists. */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(what = 'That') {
    super(`${what} was not found.`);
  }
}
