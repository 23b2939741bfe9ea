import { graphql } from '../../app/graphql';
import { MentorCardFields } from './documents';

// The documents of mentorship requests, the relationship and its agreement (H2's part of the
// mentorship feature). Goals, check-ins and the rest live in their own documents files.

export const MentorshipRequestFields = graphql(`
  fragment MentorshipRequestFields on MentorshipRequest {
    id
    status
    origin
    message
    goals
    responseNote
    createdAt
    respondedAt
    expiresAt
    viewerRole
    viewerCanAccept
    viewerCanDecline
    viewerCanWithdraw
    menteeAgreedAt
    mentorAgreedAt
    mentee {
      id
      name
    }
    mentor {
      id
      name
    }
    proposedBy {
      id
      name
    }
    group {
      id
      name
    }
    mentorship {
      id
    }
  }
`);

export const MentorshipAgreementFields = graphql(`
  fragment MentorshipAgreementFields on MentorshipAgreement {
    id
    version
    status
    cadence
    format
    sessionMinutes
    startsOn
    plannedEndOn
    mentorExpectations
    menteeExpectations
    confidentiality
    proposedAt
    acceptedAt
    viewerCanAccept
    proposedBy {
      id
      name
    }
    acceptedBy {
      id
      name
    }
  }
`);

export const RequestFormQuery = graphql(
  `
    query RequestForm($personId: ID!) {
      node(id: $personId) {
        __typename
        ... on Person {
          id
          name
          mentorProfile {
            id
            ...MentorCardFields
          }
        }
      }
      viewer {
        id
        menteeNeeds {
          goals
        }
      }
    }
  `,
  [MentorCardFields],
);

export const RequestMentorshipMutation = graphql(
  `
    mutation RequestMentorship($input: RequestMentorshipInput!) {
      requestMentorship(input: $input) {
        __typename
        ... on MentorshipRequestPayload {
          request {
            ...MentorshipRequestFields
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
  `,
  [MentorshipRequestFields],
);

export const AcceptMentorshipRequestMutation = graphql(
  `
    mutation AcceptMentorshipRequest($input: AcceptMentorshipRequestInput!) {
      acceptMentorshipRequest(input: $input) {
        __typename
        ... on MentorshipRequestPayload {
          request {
            ...MentorshipRequestFields
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
  `,
  [MentorshipRequestFields],
);

export const DeclineMentorshipRequestMutation = graphql(
  `
    mutation DeclineMentorshipRequest($input: DeclineMentorshipRequestInput!) {
      declineMentorshipRequest(input: $input) {
        __typename
        ... on MentorshipRequestPayload {
          request {
            ...MentorshipRequestFields
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
  `,
  [MentorshipRequestFields],
);

export const WithdrawMentorshipRequestMutation = graphql(
  `
    mutation WithdrawMentorshipRequest($input: WithdrawMentorshipRequestInput!) {
      withdrawMentorshipRequest(input: $input) {
        __typename
        ... on MentorshipRequestPayload {
          request {
            ...MentorshipRequestFields
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [MentorshipRequestFields],
);

export const CancelMyPendingRequestsMutation = graphql(
  `
    mutation CancelMyPendingRequests {
      cancelMyPendingRequests {
        __typename
        ... on CancelMyPendingRequestsPayload {
          cancelled {
            ...MentorshipRequestFields
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [MentorshipRequestFields],
);

export const MentorshipRequestsQuery = graphql(
  `
    query MentorshipRequests {
      viewer {
        id
        received: mentorshipRequests(direction: RECEIVED) {
          ...MentorshipRequestFields
        }
        sent: mentorshipRequests(direction: SENT) {
          ...MentorshipRequestFields
        }
      }
    }
  `,
  [MentorshipRequestFields],
);

export const MentorshipsQuery = graphql(`
  query Mentorships {
    viewer {
      id
      mentorships {
        id
        status
        viewerRole
        startedAt
        endedAt
        partner {
          id
          name
        }
        agreement {
          id
          cadence
          format
        }
        pendingAgreement {
          id
          viewerCanAccept
        }
      }
    }
  }
`);

export const MentorshipQuery = graphql(
  `
    query Mentorship($id: ID!) {
      viewer {
        id
        person {
          id
          name
          initials
        }
      }
      node(id: $id) {
        __typename
        ... on Mentorship {
          id
          status
          viewerRole
          startedAt
          endedAt
          mentor {
            id
            name
          }
          mentee {
            id
            name
          }
          partner {
            id
            name
          }
          group {
            id
            name
          }
          conversation {
            id
          }
          agreement {
            ...MentorshipAgreementFields
          }
          pendingAgreement {
            ...MentorshipAgreementFields
          }
          agreements {
            ...MentorshipAgreementFields
          }
        }
      }
    }
  `,
  [MentorshipAgreementFields],
);

export const ProposeMentorshipAgreementMutation = graphql(
  `
    mutation ProposeMentorshipAgreement($input: ProposeMentorshipAgreementInput!) {
      proposeMentorshipAgreement(input: $input) {
        __typename
        ... on MentorshipAgreementPayload {
          agreement {
            ...MentorshipAgreementFields
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
  `,
  [MentorshipAgreementFields],
);

export const AcceptMentorshipAgreementMutation = graphql(
  `
    mutation AcceptMentorshipAgreement($input: AcceptMentorshipAgreementInput!) {
      acceptMentorshipAgreement(input: $input) {
        __typename
        ... on MentorshipAgreementPayload {
          agreement {
            ...MentorshipAgreementFields
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [MentorshipAgreementFields],
);

// The live nudge every mentorship page listens to: the request or mentorship comes with its current
// state (merged into the cache), and the lists are read again (api-client's updates).
export const MentorshipActivitySubscription = graphql(`
  subscription MentorshipActivity {
    mentorshipActivity {
      kind
      request {
        id
        status
        viewerCanAccept
        viewerCanDecline
        viewerCanWithdraw
        respondedAt
        responseNote
        mentorship {
          id
        }
      }
      mentorship {
        id
        status
      }
    }
  }
`);

// A program's pairings by hand (its owners and admins): the members to choose from (mentors are those
// whose mentor profile the admin sees), and the pairings proposed so far.
export const ProgramPairingsQuery = graphql(
  `
    query ProgramPairings($slug: String!, $search: String) {
      group(slug: $slug) {
        id
        name
        slug
        kind
        viewerRole
        mentorshipPairings {
          ...MentorshipRequestFields
        }
        members(first: 100, search: $search) {
          totalCount
          edges {
            node {
              person {
                id
                name
                isViewer
                mentorProfile {
                  id
                  accepting
                }
              }
            }
          }
        }
      }
    }
  `,
  [MentorshipRequestFields],
);

export const ProposeMentorshipPairingMutation = graphql(
  `
    mutation ProposeMentorshipPairing($input: ProposeMentorshipPairingInput!) {
      proposeMentorshipPairing(input: $input) {
        __typename
        ... on MentorshipRequestPayload {
          request {
            ...MentorshipRequestFields
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
  `,
  [MentorshipRequestFields],
);
