import type { ResultOf } from '../../app/graphql';
import type { SignInMutation, SignUpMutation } from './documents';
import type { AccountField, FieldErrors } from './validation';

export type AuthResult = ResultOf<typeof SignInMutation>['signIn'] | ResultOf<typeof SignUpMutation>['signUp'];
export type AuthFailure = Exclude<AuthResult, { __typename: 'AuthPayload' }>;

export interface FormErrors<Field extends AccountField> {
  fields: FieldErrors<Field>;
  // Shown above the form: problems that belong to no single field.
  form: string | null;
}

export function noErrors<Field extends AccountField>(): FormErrors<Field> {
  return { fields: {}, form: null };
}

function secondsPhrase(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  return whole === 1 ? '1 second' : `${whole} seconds`;
}

// One exhaustive switch over the typed errors: adding an error to the union breaks the build here until
// it has a message. Branches on __typename (the code's carrier), never on the server's message text.
export function describeAuthFailure<Field extends AccountField>(
  failure: AuthFailure,
  fields: readonly Field[],
): FormErrors<Field> {
  switch (failure.__typename) {
    case 'ValidationError': {
      const result = noErrors<Field>();
      const unplaced: string[] = [];
      for (const fieldError of failure.fieldErrors) {
        const field = fields.find((candidate) => candidate === fieldError.path);
        // First message per field wins; the rest would only repeat the same problem.
        if (field) result.fields[field] ??= fieldError.message;
        else unplaced.push(fieldError.message);
      }
      if (unplaced.length > 0 || Object.keys(result.fields).length === 0) {
        result.form = unplaced.length > 0 ? unplaced.join(' ') : 'Check the highlighted fields and try again.';
      }
      return result;
    }
    case 'EmailTakenError': {
      const result = noErrors<Field>();
      const email = fields.find((candidate) => candidate === 'email');
      if (email) result.fields[email] = 'An account with this email already exists.';
      else result.form = 'An account with this email already exists.';
      return result;
    }
    case 'InvalidCredentialsError':
      return { fields: {}, form: 'Email or password is incorrect' };
    case 'RateLimitedError':
      return { fields: {}, form: `Too many attempts. Try again in ${secondsPhrase(failure.retryAfterSeconds)}.` };
    default: {
      const unexpected: never = failure;
      return { fields: {}, form: `Something went wrong (${(unexpected as { code?: string }).code ?? 'unknown'}).` };
    }
  }
}
