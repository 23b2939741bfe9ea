import { useCallback, useState } from 'react';
import { useMutation } from 'urql';
import { useSessionChanged } from '../../app/api-provider';
import { describeRequestError } from '../../app/request-error';
import { SignOutMutation } from './documents';

export function useSignOut() {
  const [, signOutMutation] = useMutation(SignOutMutation);
  const sessionChanged = useSessionChanged();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Resolves true once the member is signed out and the client rebuilt; false leaves them signed in,
  // because the cookie is HttpOnly and only the server can clear it.
  const signOut = useCallback(async (): Promise<boolean> => {
    setPending(true);
    setError(null);
    try {
      const result = await signOutMutation({});
      if (result.error || !result.data) {
        setError(`Couldn’t sign you out. ${describeRequestError(result.error)}`);
        return false;
      }
      await sessionChanged();
      return true;
    } finally {
      setPending(false);
    }
  }, [signOutMutation, sessionChanged]);

  const dismissError = useCallback(() => setError(null), []);

  return { signOut, signingOut: pending, error, dismissError };
}
