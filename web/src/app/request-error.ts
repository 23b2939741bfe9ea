import type { CombinedError } from 'urql';

// Turns a transport or unexpected server failure into one sentence for the member. Expected failures are
// typed results (see each feature's documents); this only covers what was not expected.
export function describeRequestError(error: CombinedError | undefined): string {
  if (!error || error.networkError) {
    return 'We couldn’t reach Guildhall. Check your connection and try again.';
  }
  for (const graphQLError of error.graphQLErrors) {
    const code = graphQLError.extensions.code;
    switch (code) {
      case 'UNAUTHENTICATED':
        return 'Your session has ended. Sign in again to continue.';
      case 'RATE_LIMITED':
        return 'You’re going a little fast. Wait a moment and try again.';
      case 'UNAVAILABLE':
        return 'Guildhall is briefly unavailable. Try again in a few seconds.';
      default:
        break;
    }
  }
  // Yoga masks unexpected errors, so their message says nothing useful to a member.
  return 'Something went wrong on our side. Try again in a moment.';
}
