import { Link, Navigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { CompleteSignUpMutation } from './documents';
import { useAuthForm } from './use-auth-form';
import { useViewer } from './use-viewer';
import { checkExistingPassword, withoutEmpty } from './validation';
import './auth-page.css';

// /sign-up/confirm?token=…&next=…: the link in the sign-up email. The token proves the inbox; the password
// chosen at sign-up proves it is the person who signed up (someone who typed another person's address
// cannot have them confirm an account whose password the intruder knows). Then the member is signed in
// and lands where they were going (next, checked by useAuthForm).

const FIELDS = ['password'] as const;

export function ConfirmSignUpPage() {
  usePageTitle('Finish creating your account');
  const viewer = useViewer();
  const [params] = useSearchParams();
  const token = params.get('token');
  const [, complete] = useMutation(CompleteSignUpMutation);
  const form = useAuthForm({
    fields: FIELDS,
    check: (values) => withoutEmpty({ password: checkExistingPassword(values.password) }),
    submit: async (values) => {
      const { error, data } = await complete({ input: { token: token ?? '', password: values.password } });
      return { error, result: data?.completeSignUp };
    },
  });

  if (viewer.status === 'signed-in' && form.phase === 'idle') return <Navigate to={form.next} replace />;

  return (
    <div className="auth-page">
      <div className="auth-card">
        <h1 className="auth-card__title">Finish creating your account</h1>
        <p className="auth-card__lead">Enter the password you chose when you signed up.</p>

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
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            {...form.fieldProps('password')}
          />
          <Button type="submit" className="auth-form__submit" busy={form.busy} disabled={!token}>
            Create my account
          </Button>
        </form>

        <p className="auth-card__switch">
          Link expired or forgot the password you chose? <Link to="/sign-up">Sign up again</Link>
        </p>
      </div>
    </div>
  );
}
