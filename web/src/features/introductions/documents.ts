import { graphql } from '../../app/graphql';

// Introductions (issue 12): one fragment for an introduction as the viewer may see it (the server projects
// each field per role and state), the lists, the brokers to ask, the eight mutations and the live events.

export const IntroductionPersonFields = graphql(`
  fragment IntroductionPersonFields on Person {
    id
    name
    initials
    headline
  }
`);

export const IntroductionFields = graphql(`
  fragment IntroductionFields on Introduction {
    id
    viewerRole
    state
    requester {
      id
      name
      initials
    }
    broker {
      id
      name
      initials
    }
    target {
      id
      name
      initials
    }
    reason
    hopes
    presentation
    brokerNote
    brokerMessage
    targetNote
    createdAt
    forwardedAt
    closedAt
    expiresAt
    conversation {
      id
    }
    requesterFollowUp
    targetFollowUp
    followUpAskedAt
    viewerCanForward
    viewerCanDecline
    viewerCanAccept
    viewerCanWithdraw
    viewerCanAnswerFollowUp
    viewerCanLeaveConversation
  }
`);

export const IntroductionsQuery = graphql(
  `
    query Introductions($role: IntroductionRole!, $after: String) {
      introductions(role: $role, first: 20, after: $after) {
        edges {
          node {
            id
            ...IntroductionFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [IntroductionFields],
);

export const IntroductionQuery = graphql(
  `
    query Introduction($id: ID!) {
      node(id: $id) {
        __typename
        ... on Introduction {
          id
          ...IntroductionFields
        }
      }
    }
  `,
  [IntroductionFields],
);

// What waits for the viewer: the broker's requests still to forward, the target's still to answer. Counted on
// the web from the open lists (a member rarely has more than a handful).
export const IntroductionsWaitingQuery = graphql(`
  query IntroductionsWaiting {
    toForward: introductions(role: BROKER, open: true, first: 50) {
      edges {
        node {
          id
          state
          viewerCanForward
        }
      }
    }
    toAnswer: introductions(role: TARGET, open: true, first: 50) {
      edges {
        node {
          id
          state
          viewerCanAccept
        }
      }
    }
  }
`);

export const IntroductionBrokersQuery = graphql(
  `
    query IntroductionBrokers($targetId: ID!) {
      introductionBrokers(targetId: $targetId) {
        target {
          ...IntroductionPersonFields
        }
        canAsk
        reason
        brokers {
          person {
            ...IntroductionPersonFields
          }
          reasons
          score
        }
      }
    }
  `,
  [IntroductionPersonFields],
);

export const RequestIntroductionMutation = graphql(
  `
    mutation RequestIntroduction($input: RequestIntroductionInput!) {
      requestIntroduction(input: $input) {
        __typename
        ... on IntroductionPayload {
          introduction {
            id
            ...IntroductionFields
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
  [IntroductionFields],
);

export const ForwardIntroductionMutation = graphql(
  `
    mutation ForwardIntroduction($input: ForwardIntroductionInput!) {
      forwardIntroduction(input: $input) {
        __typename
        ... on IntroductionPayload {
          introduction {
            id
            ...IntroductionFields
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
  [IntroductionFields],
);

export const DeclineIntroductionRequestMutation = graphql(
  `
    mutation DeclineIntroductionRequest($input: DeclineIntroductionRequestInput!) {
      declineIntroductionRequest(input: $input) {
        __typename
        ... on IntroductionPayload {
          introduction {
            id
            ...IntroductionFields
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
  [IntroductionFields],
);

export const AcceptIntroductionMutation = graphql(
  `
    mutation AcceptIntroduction($input: AcceptIntroductionInput!) {
      acceptIntroduction(input: $input) {
        __typename
        ... on IntroductionPayload {
          introduction {
            id
            ...IntroductionFields
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
  [IntroductionFields],
);

export const DeclineIntroductionMutation = graphql(
  `
    mutation DeclineIntroduction($input: DeclineIntroductionInput!) {
      declineIntroduction(input: $input) {
        __typename
        ... on IntroductionPayload {
          introduction {
            id
            ...IntroductionFields
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
  [IntroductionFields],
);

export const WithdrawIntroductionMutation = graphql(
  `
    mutation WithdrawIntroduction($input: WithdrawIntroductionInput!) {
      withdrawIntroduction(input: $input) {
        __typename
        ... on IntroductionPayload {
          introduction {
            id
            ...IntroductionFields
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [IntroductionFields],
);

export const AnswerIntroductionFollowUpMutation = graphql(
  `
    mutation AnswerIntroductionFollowUp($input: AnswerIntroductionFollowUpInput!) {
      answerIntroductionFollowUp(input: $input) {
        __typename
        ... on IntroductionPayload {
          introduction {
            id
            ...IntroductionFields
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [IntroductionFields],
);

export const LeaveIntroductionConversationMutation = graphql(
  `
    mutation LeaveIntroductionConversation($input: LeaveIntroductionConversationInput!) {
      leaveIntroductionConversation(input: $input) {
        __typename
        ... on IntroductionPayload {
          introduction {
            id
            ...IntroductionFields
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [IntroductionFields],
);

// Every change that concerns the viewer, with the introduction as the viewer may now see it: graphcache
// merges it by id, and api-client's updates re-read the lists it may have entered or left.
export const IntroductionEventsSubscription = graphql(
  `
    subscription IntroductionEvents {
      introductionEvents {
        introduction {
          id
          ...IntroductionFields
        }
      }
    }
  `,
  [IntroductionFields],
);
