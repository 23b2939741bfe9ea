import { graphql } from '../../app/graphql';

// joinRequest: for JOIN_REQUEST_RECEIVED, the request while it is yours to decide (approved or declined in place).
export const NotificationFields = graphql(`
  fragment NotificationFields on Notification {
    id
    kind
    text
    href
    read
    createdAt
    actor {
      id
      name
      initials
    }
    group {
      id
    }
    event {
      id
    }
    joinRequest {
      id
      status
      person {
        id
        name
      }
    }
  }
`);

export const NotificationPreferenceFields = graphql(`
  fragment NotificationPreferenceFields on NotificationPreference {
    kind
    label
    description
    inApp
    email
    digest
    digestAvailable
  }
`);

export const UnreadCountQuery = graphql(`
  query UnreadNotificationCount {
    viewer {
      id
      unreadNotificationCount
    }
  }
`);

// What arrives live. The graphcache updater (app/api-client.ts) reads kind, group and event to refresh
// the screens the notification is about.
export const NotificationEventsSubscription = graphql(
  `
    subscription NotificationEvents {
      notificationEvents {
        unreadCount
        notification {
          id
          ...NotificationFields
        }
      }
    }
  `,
  [NotificationFields],
);

export const NotificationsQuery = graphql(
  `
    query Notifications($unreadOnly: Boolean, $first: Int, $after: String) {
      viewer {
        id
        unreadNotificationCount
        notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            cursor
            node {
              id
              ...NotificationFields
            }
          }
        }
        notificationPreferences {
          ...NotificationPreferenceFields
        }
      }
    }
  `,
  [NotificationFields, NotificationPreferenceFields],
);

export const MarkNotificationReadMutation = graphql(`
  mutation MarkNotificationRead($input: MarkNotificationReadInput!) {
    markNotificationRead(input: $input) {
      __typename
      ... on MarkNotificationsReadPayload {
        viewer {
          id
          unreadNotificationCount
        }
        notification {
          id
          read
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const MarkAllNotificationsReadMutation = graphql(`
  mutation MarkAllNotificationsRead($input: MarkAllNotificationsReadInput) {
    markAllNotificationsRead(input: $input) {
      __typename
      ... on MarkNotificationsReadPayload {
        viewer {
          id
          unreadNotificationCount
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const SetNotificationPreferenceMutation = graphql(
  `
    mutation SetNotificationPreference($input: SetNotificationPreferenceInput!) {
      setNotificationPreference(input: $input) {
        __typename
        ... on NotificationPreferencePayload {
          viewer {
            id
            notificationPreferences {
              ...NotificationPreferenceFields
            }
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [NotificationPreferenceFields],
);
