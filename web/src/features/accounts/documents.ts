import { graphql } from '../../app/graphql';

export const ViewerFields = graphql(`
  fragment ViewerFields on Viewer {
    id
    name
    email
  }
`);

export const ViewerQuery = graphql(
  `
    query Viewer {
      viewer {
        id
        ...ViewerFields
      }
    }
  `,
  [ViewerFields],
);

// The payload's token is deliberately not selected: the browser authenticates with the HttpOnly cookie
// the server sets, and a token within JavaScript's reach is one an injected script could steal.
// The error selections are inlined (not a fragment) so the union stays unmasked and narrows on __typename.
// The new session's viewer is loaded by the rebuilt client (see app/api-provider.tsx), so only its id is read here.
export const SignInMutation = graphql(
  `
    mutation SignIn($input: SignInInput!) {
      signIn(input: $input) {
        __typename
        ... on AuthPayload {
          viewer {
            id
          }
        }
        ... on Error {
          code
          message
        }
        ... on ValidationError {
          fieldErrors {
            path
            message
          }
        }
        ... on RateLimitedError {
          retryAfterSeconds
        }
      }
    }
  `,
);

// Sign-up answers SignUpStarted for every valid address, taken or not: the rest happens by email.
export const SignUpMutation = graphql(
  `
    mutation SignUp($input: SignUpInput!) {
      signUp(input: $input) {
        __typename
        ... on SignUpStarted {
          email
        }
        ... on Error {
          code
          message
        }
        ... on ValidationError {
          fieldErrors {
            path
            message
          }
        }
        ... on RateLimitedError {
          retryAfterSeconds
        }
      }
    }
  `,
);

// The emailed link's token and the password chosen at sign-up make the account and sign in.
export const CompleteSignUpMutation = graphql(
  `
    mutation CompleteSignUp($input: CompleteSignUpInput!) {
      completeSignUp(input: $input) {
        __typename
        ... on AuthPayload {
          viewer {
            id
          }
        }
        ... on Error {
          code
          message
        }
        ... on IncorrectPasswordError {
          field
        }
        ... on ValidationError {
          fieldErrors {
            path
            message
          }
        }
        ... on RateLimitedError {
          retryAfterSeconds
        }
      }
    }
  `,
);

export const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($input: RequestPasswordResetInput!) {
    requestPasswordReset(input: $input) {
      __typename
      ... on PasswordResetRequested {
        email
      }
      ... on Error {
        code
        message
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
      ... on RateLimitedError {
        retryAfterSeconds
      }
    }
  }
`);

export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      __typename
      ... on PasswordResetPayload {
        signedOut
      }
      ... on Error {
        code
        message
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
      ... on RateLimitedError {
        retryAfterSeconds
      }
    }
  }
`);

export const ChangePasswordMutation = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      __typename
      ... on ChangePasswordPayload {
        signedOutSessions
      }
      ... on Error {
        code
        message
      }
      ... on IncorrectPasswordError {
        field
      }
      ... on ValidationError {
        fieldErrors {
          path
          message
        }
      }
      ... on RateLimitedError {
        retryAfterSeconds
      }
    }
  }
`);

export const SignOutMutation = graphql(`
  mutation SignOut {
    signOut {
      signedOut
    }
  }
`);

export const ViewerSessionRevokedSubscription = graphql(`
  subscription ViewerSessionRevoked {
    viewerSessionRevoked {
      reason
    }
  }
`);
