import { Link, Navigate } from 'react-router';
import { useMutation } from 'urql';
import { viewerTimeZone } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { SignUpMutation } from './documents';
import { useAuthForm } from './use-auth-form';
import { useViewer } from './use-viewer';
import { checkEmail, checkName, checkNewPassword, PASSWORD_MAX, PASSWORD_MIN, withoutEmpty } from './validation';
import './auth-page.css';

const FIELDS = ['name', 'email', 'password'] as const;

export function SignUpPage() {
  usePageTitle('Create your account');
  const viewer = useViewer();
  const [, signUp] = useMutation(SignUpMutation);
  const form = useAuthForm({
    fields: FIELDS,
    check: (values) =>
      withoutEmpty({
        name: checkName(values.name),
        email: checkEmail(values.email),
        password: checkNewPassword(values.password),
      }),
    submit: async (values) => {
      const input = {
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
        // Carried in the emailed link, so finishing the sign-up lands where the visitor was going.
        next: form.next === '/' ? null : form.next,
        // The account starts in this browser's zone rather than UTC (viewerTimeZone: canonical, or UTC).
        timeZone: viewerTimeZone(),
      };
      const first = await signUp({ input });
      const answer = first.data?.signUp;
      // A zone this browser knows but the server's time-zone data does not (a newer tzdata) is no
      // reason to refuse the visitor, who cannot fix it: sign up in UTC; the zone can be set later.
      if (
        answer?.__typename === 'ValidationError' &&
        answer.fieldErrors.length > 0 &&
        answer.fieldErrors.every((fieldError) => fieldError.path === 'timeZone')
      ) {
        const again = await signUp({ input: { ...input, timeZone: null } });
        return { error: again.error, result: again.data?.signUp };
      }
      return { error: first.error, result: answer };
    },
  });

  if (viewer.status === 'signed-in' && form.phase === 'idle') return <Navigate to={form.next} replace />;

  const switchSearch = form.next === '/' ? '' : `?${new URLSearchParams({ next: form.next }).toString()}`;

  // The same words for every address: whether it already had an account is told only in the email.
  if (form.done?.__typename === 'SignUpStarted') {
    return (
      <div className="auth-page">
        <div className="auth-card">
          <h1 className="auth-card__title">Check your email</h1>
          <Alert tone="success" className="auth-card__alert">
            We sent an email to <strong>{form.done.email}</strong>. Open the link in it and enter the password you just
            chose to finish creating your account. The link works for 24 hours.
          </Alert>
          <p className="auth-card__lead">
            If this address already has an account, the email says so instead and helps you sign in. Nothing arrived?
            Check your spam folder, or try again.
          </p>
          <Button variant="secondary" className="auth-form__submit" onClick={form.startOver}>
            Sign up again
          </Button>
          <p className="auth-card__switch">
            Already have an account? <Link to={`/sign-in${switchSearch}`}>Sign in</Link>
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="auth-page">
      <div className="auth-card">
        <h1 className="auth-card__title">Create your account</h1>
        <p className="auth-card__lead">
          Join groups, book office hours and find a mentor. Your email stays private: other members never see it.
        </p>

        {form.formError && (
          <Alert tone="error" className="auth-card__alert">
            {form.formError}
          </Alert>
        )}

        <form className="auth-form" noValidate onSubmit={form.onSubmit}>
          <TextField
            label="Name"
            autoComplete="name"
            hint="How other members will see you."
            required
            {...form.fieldProps('name')}
          />
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
            autoComplete="new-password"
            hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. A few unrelated words make a strong one.`}
            required
            {...form.fieldProps('password')}
          />
          <Button type="submit" className="auth-form__submit" busy={form.busy}>
            Create account
          </Button>
        </form>

        <p className="auth-card__switch">
          Already have an account? <Link to={`/sign-in${switchSearch}`}>Sign in</Link>
        </p>
      </div>
    </div>
  );
}
