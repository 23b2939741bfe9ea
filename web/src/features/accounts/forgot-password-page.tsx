import { Link } from 'react-router';
import { useMutation } from 'urql';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { RequestPasswordResetMutation } from './documents';
import { useAuthForm } from './use-auth-form';
import { checkEmail, withoutEmpty } from './validation';
import './auth-page.css';

// /forgot-password: asks for a reset link. The answer reads the same for every address, so this page
// cannot be used to find out who has an account.

const FIELDS = ['email'] as const;

export function ForgotPasswordPage() {
  usePageTitle('Reset your password');
  const [, request] = useMutation(RequestPasswordResetMutation);
  const form = useAuthForm({
    fields: FIELDS,
    check: (values) => withoutEmpty({ email: checkEmail(values.email) }),
    submit: async (values) => {
      const { error, data } = await request({ input: { email: values.email.trim() } });
      return { error, result: data?.requestPasswordReset };
    },
  });
  const sent = form.done?.__typename === 'PasswordResetRequested' ? form.done.email : null;

  return (
    <div className="auth-page">
      <div className="auth-card">
        <h1 className="auth-card__title">Reset your password</h1>
        <p className="auth-card__lead">We’ll email you a link to choose a new password.</p>

        {sent && (
          <Alert tone="success" className="auth-card__alert">
            If <strong>{sent}</strong> has an account, we sent it a link to choose a new password. The link works once,
            within an hour.
          </Alert>
        )}
        {form.formError && (
          <Alert tone="error" className="auth-card__alert">
            {form.formError}
          </Alert>
        )}

        <form className="auth-form" noValidate onSubmit={form.onSubmit}>
          <TextField
            label="Email"
            type="email"
            autoComplete="email"
            inputMode="email"
            spellCheck={false}
            required
            {...form.fieldProps('email')}
          />
          <Button type="submit" className="auth-form__submit" busy={form.busy}>
            {sent ? 'Send another link' : 'Email me a link'}
          </Button>
        </form>

        <p className="auth-card__switch">
          Remembered it? <Link to="/sign-in">Sign in</Link>
        </p>
      </div>
    </div>
  );
}
