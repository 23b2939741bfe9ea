import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { CombinedError } from 'urql';
import { useSessionChanged } from '../../app/api-provider';
import { describeRequestError } from '../../app/request-error';
import { type AuthDone, describeAuthFailure, noErrors, type AuthResult, type FormErrors } from './auth-errors';
import { safeNextPath } from './safe-next';
import type { AccountField, FieldErrors } from './validation';

type Values<Field extends AccountField> = Record<Field, string>;

interface AuthFormOptions<Field extends AccountField> {
  // In the order they appear on the page: the first invalid one gets focus.
  fields: readonly Field[];
  check(values: Values<Field>): FieldErrors<Field>;
  submit(values: Values<Field>): Promise<{ error?: CombinedError | undefined; result?: AuthResult | undefined }>;
  // Called with an answer that needs no new session (an email went out, a password changed).
  onDone?(result: AuthDone): void | Promise<void>;
}

// 'done' keeps the form disabled between a successful answer and the redirect.
type Phase = 'idle' | 'submitting' | 'done';

const AUTH_DONE: ReadonlySet<string> = new Set<AuthDone['__typename']>([
  'SignUpStarted',
  'PasswordResetRequested',
  'PasswordResetPayload',
  'ChangePasswordPayload',
]);

// The shared mechanics of the account forms (sign in, sign up, finish sign-up, passwords): values, client
// checks, the typed server errors placed next to their fields, and the hand-over to a rebuilt client once
// the cookie is set. An answer without a session (e.g. "check your email") is kept in `done` for the page.
export function useAuthForm<Field extends AccountField>({ fields, check, submit, onDone }: AuthFormOptions<Field>) {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get('next'));
  const sessionChanged = useSessionChanged();

  const [values, setValues] = useState<Values<Field>>(
    () => Object.fromEntries(fields.map((field) => [field, ''])) as Values<Field>,
  );
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [phase, setPhase] = useState<Phase>('idle');
  const [done, setDone] = useState<AuthDone | null>(null);
  const inputs = useRef(new Map<Field, HTMLInputElement>());

  function focusFirstInvalid(fieldErrors: FieldErrors<Field>) {
    const first = fields.find((field) => fieldErrors[field]);
    if (first) inputs.current.get(first)?.focus();
  }

  function fieldProps(field: Field) {
    return {
      name: field,
      value: values[field],
      error: errors.fields[field],
      ref: (element: HTMLInputElement | null) => {
        if (element) inputs.current.set(field, element);
        else inputs.current.delete(field);
      },
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        const value = event.target.value;
        setValues((previous) => ({ ...previous, [field]: value }));
        // The message described the old value; it goes as soon as the member acts on it.
        setErrors((previous) =>
          previous.fields[field] ? { ...previous, fields: { ...previous.fields, [field]: undefined } } : previous,
        );
      },
    };
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (phase !== 'idle') return;

    const clientErrors = check(values);
    if (Object.keys(clientErrors).length > 0) {
      setErrors({ fields: clientErrors, form: null });
      focusFirstInvalid(clientErrors);
      return;
    }

    setErrors(noErrors());
    setDone(null);
    setPhase('submitting');
    try {
      const { error, result } = await submit(values);
      if (!result) {
        setErrors({ fields: {}, form: describeRequestError(error) });
        setPhase('idle');
        return;
      }
      if (result.__typename === 'AuthPayload') {
        setPhase('done');
        await sessionChanged();
        await navigate(next, { replace: true });
        return;
      }
      if (AUTH_DONE.has(result.__typename)) {
        const answer = result as AuthDone;
        // Typed passwords are not kept around once they did their job.
        setValues(Object.fromEntries(fields.map((field) => [field, ''])) as Values<Field>);
        setDone(answer);
        setPhase('idle');
        await onDone?.(answer);
        return;
      }
      const failure = describeAuthFailure(
        result as Exclude<AuthResult, { __typename: 'AuthPayload' } | AuthDone>,
        fields,
      );
      setErrors(failure);
      setPhase('idle');
      focusFirstInvalid(failure.fields);
    } catch {
      setErrors({ fields: {}, form: describeRequestError(undefined) });
      setPhase('idle');
    }
  }

  const startOver = () => setDone(null);
  return { fieldProps, formError: errors.form, onSubmit, phase, busy: phase !== 'idle', next, done, startOver };
}
