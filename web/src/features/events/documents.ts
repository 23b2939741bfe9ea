import { graphql } from '../../app/graphql';

export const EventCardFields = graphql(`
  fragment EventCardFields on Event {
    id
    title
    startsAt
    endsAt
    timeZone
    location
    onlineUrl
    capacity
    goingCount
    viewerRsvp
    cancelledAt
  }
`);

export const EventFields = graphql(`
  fragment EventFields on Event {
    id
    title
    description
    startsAt
    endsAt
    timeZone
    location
    onlineUrl
    capacity
    goingCount
    maybeCount
    waitlistCount
    viewerRsvp
    viewerWaitlistPosition
    icsUrl
    cancelledAt
    group {
      id
      slug
      name
      viewerStatus
    }
  }
`);

export const EventQuery = graphql(
  `
    query Event($id: ID!) {
      event(id: $id) {
        id
        ...EventFields
      }
    }
  `,
  [EventFields],
);

// One request per list: together with the event they are over the server's cost limit.
export const EventAttendeesQuery = graphql(`
  query EventAttendees($id: ID!, $status: RsvpStatus!) {
    event(id: $id) {
      id
      attendees(status: $status, first: 30) {
        totalCount
        edges {
          node {
            status
            person {
              id
              name
              initials
              isViewer
            }
          }
        }
      }
    }
  }
`);

export const RsvpMutation = graphql(
  `
    mutation Rsvp($input: RsvpInput!) {
      rsvp(input: $input) {
        __typename
        ... on EventPayload {
          event {
            id
            ...EventFields
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [EventFields],
);

export const CreateEventMutation = graphql(`
  mutation CreateEvent($input: CreateEventInput!) {
    createEvent(input: $input) {
      __typename
      ... on EventPayload {
        event {
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
    }
  }
`);

export const EventGroupQuery = graphql(`
  query EventGroup($slug: String!) {
    group(slug: $slug) {
      id
      slug
      name
      viewerPermissions {
        createEvents
      }
    }
    viewer {
      id
      timeZone
    }
  }
`);

export const UpcomingEventsQuery = graphql(
  `
    query UpcomingEvents($first: Int, $after: String) {
      upcomingEvents(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            ...EventCardFields
            group {
              id
              slug
              name
            }
          }
        }
      }
    }
  `,
  [EventCardFields],
);
