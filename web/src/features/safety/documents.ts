import { graphql } from '../../app/graphql';

// Blocking, reporting and moderation (server: people/blocking.*, modules/safety).

export const BlockMemberMutation = graphql(`
  mutation BlockMember($input: BlockMemberInput!) {
    blockMember(input: $input) {
      __typename
      ... on BlockPayload {
        person {
          id
          viewerHasBlocked
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

export const UnblockMemberMutation = graphql(`
  mutation UnblockMember($input: BlockMemberInput!) {
    unblockMember(input: $input) {
      __typename
      ... on BlockPayload {
        person {
          id
          viewerHasBlocked
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const BlockedPeopleQuery = graphql(`
  query BlockedPeople {
    viewer {
      id
      blockedPeople(first: 100) {
        edges {
          node {
            blockedAt
            person {
              id
              name
              initials
              headline
            }
          }
        }
      }
    }
  }
`);

export const ReportContentMutation = graphql(`
  mutation ReportContent($input: ReportContentInput!) {
    reportContent(input: $input) {
      __typename
      ... on ReportPayload {
        report {
          id
          status
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
`);

export const ReportFields = graphql(`
  fragment ReportFields on Report {
    id
    subject
    status
    outcome
    reason
    excerpt
    place
    messageHref
    createdAt
    resolvedAt
    availableActions
    reporter {
      id
      name
    }
    person {
      id
      name
      initials
    }
    group {
      id
      name
      slug
    }
    resolvedBy {
      id
      name
    }
  }
`);

export const ModerationQueueQuery = graphql(
  `
    query ModerationQueue($groupId: ID, $status: ReportStatus, $first: Int, $after: String) {
      moderationQueue(groupId: $groupId, status: $status, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            ...ReportFields
          }
        }
      }
    }
  `,
  [ReportFields],
);

export const ResolveReportMutation = graphql(
  `
    mutation ResolveReport($input: ResolveReportInput!) {
      resolveReport(input: $input) {
        __typename
        ... on ReportPayload {
          report {
            id
            ...ReportFields
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
  [ReportFields],
);

export const ModerationLogQuery = graphql(`
  query ModerationLog($groupId: ID, $first: Int, $after: String) {
    moderationLog(groupId: $groupId, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          action
          subject
          subjectId
          undoAction
          note
          createdAt
          subjectGroup {
            id
            name
          }
          actor {
            id
            name
          }
          target {
            id
            name
          }
          group {
            id
            name
          }
          report {
            id
            reason
          }
        }
      }
    }
  }
`);

// The admins lift what they imposed: from a log entry (undoAction), or a hidden profile's page.
export const UnsuspendMemberMutation = graphql(`
  mutation UnsuspendMember($input: UnsuspendMemberInput!) {
    unsuspendMember(input: $input) {
      __typename
      ... on ModerationPayload {
        entry {
          id
          action
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const UnhideContentMutation = graphql(`
  mutation UnhideContent($input: UnhideContentInput!) {
    unhideContent(input: $input) {
      __typename
      ... on ModerationPayload {
        entry {
          id
          action
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

// Who reviews what: the account menu's "Moderation" and the queue pages' scope.
export const ModerationAccessQuery = graphql(`
  query ModerationAccess {
    viewer {
      id
      moderation {
        isInstanceAdmin
        openReportCount
        groups {
          id
          name
          slug
        }
      }
    }
  }
`);

export const ModeratedGroupQuery = graphql(`
  query ModeratedGroup($slug: String!) {
    group(slug: $slug) {
      id
      name
      slug
    }
  }
`);
