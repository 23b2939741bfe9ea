import { DomainError } from '../../lib/errors.js';
import { ErrorInterface } from '../../schema/errors.js';
import { builder } from '../../schema/builder.js';

export class EmailTakenError extends DomainError {
  readonly code = 'EMAIL_TAKEN';
  constructor() {
    super('An account with this email already exists. Sign in instead?');
  }
}

/** The same answer for an unknown email and a wrong password, so nobody can probe for accounts. */
export class InvalidCredentialsError extends DomainError {
  readonly code = 'INVALID_CREDENTIALS';
  constructor() {
    super('Email or password is incorrect.');
  }
}

builder.objectType(EmailTakenError, { name: 'EmailTakenError', interfaces: [ErrorInterface] });
builder.objectType(InvalidCredentialsError, { name: 'InvalidCredentialsError', interfaces: [ErrorInterface] });
