import { Link, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { useSessionChanged } from '../../app/api-provider';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { ResetPasswordMutation } from './documents';
import { useAuthForm } from './use-auth-form';
import { checkNewPassword, PASSWORD_MAX, PASSWORD_MIN, withoutEmpty } from './validation';
import './auth-page.css';

// /reset-password?token=…: the link in the reset email. Setting the new password ends every session of
// the account, this browser's too, so the member signs in again with it.

const FIELDS = ['password'] as const;

export function ResetPasswordPage() {
  usePageTitle('Choose a new password');
  const [params] = useSearchParams();
  const token = params.get('token');
  const [, reset] = useMutation(ResetPasswordMutation);
  const sessionChanged = useSessionChanged();
  const form = useAuthForm({
    fields: FIELDS,
    check: (values) => withoutEmpty({ password: checkNewPassword(values.password) }),
    submit: async (values) => {
      const { error, data } = await reset({ input: { token: token ?? '', password: values.password } });
      return { error, result: data?.resetPassword };
    },
    // The server ended this browser's session too (if it had one): rebuild the client as signed out.
    onDone: () => sessionChanged(),
  });

  if (form.done?.__typename === 'PasswordResetPayload') {
    return (
      <div className="auth-page">
        <div className="auth-card">
          <h1 className="auth-card__title">Your password is changed</h1>
          <Alert tone="success" className="auth-card__alert">
            Every device that was signed in to your account has been signed out. Sign in with your new password.
          </Alert>
          <ButtonLink to="/sign-in" className="auth-form__submit">
            Sign in
          </ButtonLink>
        </div>
      </div>
    );
  }

  return (
    <div className="auth-page">
      <div className="auth-card">
        <h1 className="auth-card__title">Choose a new password</h1>
        <p className="auth-card__lead">Setting it signs you out on every device.</p>

        {!token && (
          <Alert tone="error" className="auth-card__alert">
            This link is missing its token. Open the link from the email again.
          </Alert>
        )}
        {form.formError && (
          <Alert tone="error" className="auth-card__alert">
            {form.formError}
          </Alert>
        )}

        <form className="auth-form" noValidate onSubmit={form.onSubmit}>
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. A few unrelated words make a strong one.`}
            required
            {...form.fieldProps('password')}
          />
          <Button type="submit" className="auth-form__submit" busy={form.busy} disabled={!token}>
            Set new password
          </Button>
        </form>

        <p className="auth-card__switch">
          Link expired or used? <Link to="/forgot-password">Ask for a new one</Link>
        </p>
      </div>
    </div>
  );
}
