import { DomainError } from '../../lib/errors.js';
import { ErrorInterface } from '../../schema/errors.js';
import { builder } from '../../schema/builder.js';

// There is deliberately no "email taken" error: sign-up answers every valid request alike (see sign-up.ts).

/** The same answer for an unknown email and a wrong password, so nobody can probe for accounts. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('INVALID_CREDENTIALS', 'Email or password is incorrect.');
  }
}

/** A password check for a known account failed (changing the password, finishing a sign-up). */
export class IncorrectPasswordError extends DomainError {
  constructor(readonly field: string) {
    super('INCORRECT_PASSWORD', 'That is not the right password.', { field });
  }
}

builder.objectType(InvalidCredentialsError, { name: 'InvalidCredentialsError', interfaces: [ErrorInterface] });
builder.objectType(IncorrectPasswordError, {
  name: 'IncorrectPasswordError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field that holds the wrong password.' }),
  }),
});
