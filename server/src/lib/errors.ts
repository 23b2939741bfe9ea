import { GraphQLError } from 'graphql';

// Expected failures are data: typed union members with a stable `code`. They are GraphQLErrors
// too, so one that reaches a field without an error union still says what went wrong (with the
// same code) instead of being masked like an unexpected failure. The GraphQL types live in
// schema/errors.ts.

export abstract class DomainError extends GraphQLError {
  constructor(
    readonly code: string,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extensions } });
  }
}

export interface FieldProblem {
  /** Input field name, e.g. "email". */
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  constructor(readonly fieldErrors: FieldProblem[]) {
    super('VALIDATION', fieldErrors.length === 1 ? fieldErrors[0]!.message : 'Some fields need attention.', {
      fieldErrors,
    });
  }
}

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }
}

/** Forbidden looks exactly like missing, so nobody learns what exists. */
export class NotFoundError extends DomainError {
  constructor(what = 'That') {
    super('NOT_FOUND', `${what} was not found.`);
  }
}

/** The viewer may see the thing but not do this to it (e.g. a member trying to approve requests). */
export class ForbiddenError extends DomainError {
  constructor(message = 'You are not allowed to do that.') {
    super('FORBIDDEN', message);
  }
}

/**
 * A passing failure (e.g. the database did not answer): the same request works again later. A live
 * stream that ends with it is resumed; a request is retried, after `retryAfterSeconds` when given.
 */
export class UnavailableError extends DomainError {
  constructor(
    message = 'Live updates were interrupted. Resubscribe from the last seq you have.',
    readonly retryAfterSeconds?: number,
  ) {
    super('UNAVAILABLE', message, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });
  }
}

/**
 * The request is valid but the state does not allow it. `code` says which rule, e.g.
 * OWNER_MUST_TRANSFER, ALREADY_MEMBER, BANNED, INVITE_EXPIRED, DOMAIN_NOT_ALLOWED, SLUG_TAKEN.
 */
export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}
