import { Link } from 'react-router';
import { useMutation } from 'urql';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { ChangePasswordMutation } from './documents';
import { useAuthForm } from './use-auth-form';
import { checkExistingPassword, checkNewPassword, PASSWORD_MAX, PASSWORD_MIN, withoutEmpty } from './validation';
import './auth-page.css';

// /settings/password: the signed-in member changes their password. The current one is required; every
// other device is signed out, this one stays signed in.

const FIELDS = ['currentPassword', 'newPassword'] as const;

function devices(count: number): string {
  if (count === 0) return 'No other device was signed in.';
  return count === 1 ? 'One other device was signed out.' : `${count} other devices were signed out.`;
}

export function ChangePasswordPage() {
  usePageTitle('Change your password');
  const [, change] = useMutation(ChangePasswordMutation);
  const form = useAuthForm({
    fields: FIELDS,
    check: (values) =>
      withoutEmpty({
        currentPassword: checkExistingPassword(values.currentPassword),
        newPassword: checkNewPassword(values.newPassword),
      }),
    submit: async (values) => {
      const input = { currentPassword: values.currentPassword, newPassword: values.newPassword };
      const { error, data } = await change({ input });
      return { error, result: data?.changePassword };
    },
  });
  const changed = form.done?.__typename === 'ChangePasswordPayload' ? form.done : null;

  return (
    <div className="auth-page">
      <div className="auth-card">
        <h1 className="auth-card__title">Change your password</h1>
        <p className="auth-card__lead">Your other devices will be signed out; this one stays signed in.</p>

        {changed && (
          <Alert tone="success" className="auth-card__alert" title="Password changed">
            {devices(changed.signedOutSessions)}
          </Alert>
        )}
        {form.formError && (
          <Alert tone="error" className="auth-card__alert">
            {form.formError}
          </Alert>
        )}

        <form className="auth-form" noValidate onSubmit={form.onSubmit}>
          <TextField
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            {...form.fieldProps('currentPassword')}
          />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. A few unrelated words make a strong one.`}
            required
            {...form.fieldProps('newPassword')}
          />
          <Button type="submit" className="auth-form__submit" busy={form.busy}>
            Change password
          </Button>
        </form>

        <p className="auth-card__switch">
          Forgot your current password? <Link to="/forgot-password">Reset it by email</Link>
        </p>
      </div>
    </div>
  );
}
