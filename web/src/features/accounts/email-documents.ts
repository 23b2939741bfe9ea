import { graphql } from '../../app/graphql';

// The member's address (verification) and digest choice. Error selections are inlined so the
// unions stay unmasked and narrow on __typename.

export const EmailSettingsQuery = graphql(`
  query EmailSettings {
    viewer {
      id
      email
      emailVerifiedAt
      emailDigest
      timeZone
    }
  }
`);

export const RequestEmailVerificationMutation = graphql(`
  mutation RequestEmailVerification {
    requestEmailVerification {
      __typename
      ... on RequestEmailVerificationPayload {
        sent
      }
      ... on Error {
        code
        message
      }
      ... on RateLimitedError {
        retryAfterSeconds
      }
    }
  }
`);

export const VerifyEmailMutation = graphql(`
  mutation VerifyEmail($input: VerifyEmailInput!) {
    verifyEmail(input: $input) {
      __typename
      ... on VerifyEmailPayload {
        viewer {
          id
          email
          emailVerifiedAt
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
    }
  }
`);

export const SetEmailDigestMutation = graphql(`
  mutation SetEmailDigest($input: SetEmailDigestInput!) {
    setEmailDigest(input: $input) {
      __typename
      ... on SetEmailDigestPayload {
        viewer {
          id
          emailDigest
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
    }
  }
`);
