import { Link, Navigate } from 'react-router';
import { useMutation } from 'urql';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { SignInMutation } from './documents';
import { useAuthForm } from './use-auth-form';
import { useViewer } from './use-viewer';
import { checkEmail, checkExistingPassword, withoutEmpty } from './validation';
import './auth-page.css';

const FIELDS = ['email', 'password'] as const;

export function SignInPage() {
  usePageTitle('Sign in');
  const viewer = useViewer();
  const [, signIn] = useMutation(SignInMutation);
  const form = useAuthForm({
    fields: FIELDS,
    check: (values) =>
      withoutEmpty({ email: checkEmail(values.email), password: checkExistingPassword(values.password) }),
    submit: async (values) => {
      const { error, data } = await signIn({ input: { email: values.email.trim(), password: values.password } });
      return { error, result: data?.signIn };
    },
  });

  // Already signed in (e.g. opened from a bookmark): there is nothing to do here.
  if (viewer.status === 'signed-in' && form.phase === 'idle') return <Navigate to={form.next} replace />;

  const switchSearch = form.next === '/' ? '' : `?${new URLSearchParams({ next: form.next }).toString()}`;

  return (
    <div className="auth-page">
      <div className="auth-card">
        <h1 className="auth-card__title">Sign in</h1>
        <p className="auth-card__lead">Welcome back to Guildhall.</p>

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
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            {...form.fieldProps('password')}
          />
          <Button type="submit" className="auth-form__submit" busy={form.busy}>
            Sign in
          </Button>
        </form>

        <p className="auth-card__aside">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>

        <p className="auth-card__switch">
          New to Guildhall? <Link to={`/sign-up${switchSearch}`}>Create an account</Link>
        </p>
      </div>
    </div>
  );
}
