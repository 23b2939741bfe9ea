import { DomainError } from '../../lib/errors.js';
import { ErrorInterface } from '../../schema/errors.js';
import { builder } from '../../schema/builder.js';

export class EmailTakenError extends DomainError {
  constructor() {
    super('EMAIL_TAKEN', 'An account with this email already exists. Sign in instead?');
  }
}

/** The same answer for an unknown email and a wrong password, so nobody can probe for accounts. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('INVALID_CREDENTIALS', 'Email or password is incorrect.');
  }
}

builder.objectType(EmailTakenError, { name: 'EmailTakenError', interfaces: [ErrorInterface] });
builder.objectType(InvalidCredentialsError, { name: 'InvalidCredentialsError', interfaces: [ErrorInterface] });
