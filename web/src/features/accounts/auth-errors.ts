import type { ResultOf } from '../../app/graphql';
import type {
  ChangePasswordMutation,
  CompleteSignUpMutation,
  RequestPasswordResetMutation,
  ResetPasswordMutation,
  SignInMutation,
  SignUpMutation,
} from './documents';
import type { AccountField, FieldErrors } from './validation';

export type AuthResult =
  | ResultOf<typeof SignInMutation>['signIn']
  | ResultOf<typeof SignUpMutation>['signUp']
  | ResultOf<typeof CompleteSignUpMutation>['completeSignUp']
  | ResultOf<typeof RequestPasswordResetMutation>['requestPasswordReset']
  | ResultOf<typeof ResetPasswordMutation>['resetPassword']
  | ResultOf<typeof ChangePasswordMutation>['changePassword'];
/** Answers that end the form's work without a new session: the page shows what happened. */
export type AuthDone = Extract<
  AuthResult,
  { __typename: 'SignUpStarted' | 'PasswordResetRequested' | 'PasswordResetPayload' | 'ChangePasswordPayload' }
>;
export type AuthFailure = Exclude<AuthResult, { __typename: 'AuthPayload' } | AuthDone>;

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

// The rules an emailed link can break, by code (never by the server's message text).
function conflictMessage(code: string, fallback: string): string {
  switch (code) {
    case 'TOKEN_EXPIRED':
      return 'This link has expired. Ask for a new one.';
    case 'TOKEN_USED':
      return 'This link was used already. Ask for a new one if you still need it.';
    case 'EMAIL_CHANGED':
      return 'This link was sent to an address the account no longer uses.';
    case 'ACCOUNT_EXISTS':
      return 'This address already has an account. Sign in instead.';
    default:
      return fallback;
  }
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
    case 'IncorrectPasswordError': {
      // Which password: the one chosen at sign-up (finishing it) or the current one (changing it).
      const message =
        failure.field === 'currentPassword'
          ? 'That is not your current password.'
          : 'That is not the password you chose when you signed up.';
      const result = noErrors<Field>();
      const field = fields.find((candidate) => candidate === failure.field);
      if (field) result.fields[field] = message;
      else result.form = message;
      return result;
    }
    case 'NotFoundError':
      return { fields: {}, form: 'This link is not valid any more: it was used already, or it was never complete.' };
    case 'ConflictError':
      return { fields: {}, form: conflictMessage(failure.code, failure.message) };
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
