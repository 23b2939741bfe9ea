import { graphql } from '../../app/graphql';

// The host's side of office hours: publishing and editing a series, its preview, and the manage page.
// Mutation results are read by shape (payload fields, or an Error's code/message/fieldErrors), see
// host-outcome.ts.

export const HostSeriesFields = graphql(`
  fragment HostSeriesFields on OfficeHours {
    id
    topic
    description
    timeZone
    startDate
    startTime
    durationMinutes
    recurrence {
      everyWeeks
      weekdays
      untilDate
      occurrenceCount
    }
    seats
    audience
    groups {
      id
      name
    }
    attendeesSeeNames
    minimumNoticeMinutes
    bookingWindowDays
    bufferMinutes
    status
    exceptions {
      occurrenceDate
      kind
      movedToLocal
    }
    onlineUrl
    location
    publicUrl
    cancelledAt
    host {
      id
      name
    }
  }
`);

export const HostSlotFields = graphql(`
  fragment HostSlotFields on OfficeHourSlot {
    id
    startsAt
    endsAt
    hostTimeZone
    hostLocalStart
    adjustmentNote
    seats
    seatsTaken
    seatsLeft
    state
    cancelledAt
    timeZoneNotes
    bookings {
      id
      status
      question
      attendance
      createdAt
      attendee {
        id
        name
      }
    }
    waitlist {
      id
      status
      position
      offerExpiresAt
      question
      joinedAt
      member {
        id
        name
      }
    }
  }
`);

// What the form needs about the viewer: their zone (the default) and their groups (a GROUPS audience).
export const OfficeHoursFormContextQuery = graphql(`
  query OfficeHoursFormContext {
    viewer {
      id
      timeZone
      person {
        id
      }
      groups(first: 100) {
        edges {
          node {
            id
            name
          }
        }
      }
    }
  }
`);

export const EditOfficeHoursQuery = graphql(
  `
    query EditOfficeHours($id: ID!) {
      node(id: $id) {
        __typename
        ... on OfficeHours {
          id
          viewerIsHost
          ...HostSeriesFields
        }
      }
    }
  `,
  [HostSeriesFields],
);

export const OfficeHoursPreviewQuery = graphql(`
  query OfficeHoursPreview($input: OfficeHoursScheduleInput!) {
    officeHoursPreview(input: $input) {
      occurrenceDate
      startsAt
      endsAt
      hostLocalStart
      viewerLocalStart
      adjustmentNote
      moved
    }
  }
`);

export const HostedOfficeHoursQuery = graphql(
  `
    query HostedOfficeHours($now: DateTime!, $pastFrom: DateTime!) {
      viewer {
        id
        person {
          id
        }
      }
      hostedOfficeHours(includeEnded: true) {
        id
        ...HostSeriesFields
        upcoming: slots(from: $now, first: 20) {
          edges {
            node {
              id
              ...HostSlotFields
            }
          }
        }
        past: slots(from: $pastFrom, to: $now, first: 50) {
          edges {
            node {
              id
              ...HostSlotFields
            }
          }
        }
      }
    }
  `,
  [HostSeriesFields, HostSlotFields],
);

export const PublishOfficeHoursMutation = graphql(
  `
    mutation PublishOfficeHours($input: PublishOfficeHoursInput!) {
      publishOfficeHours(input: $input) {
        __typename
        ... on OfficeHoursPayload {
          officeHours {
            id
            ...HostSeriesFields
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
  [HostSeriesFields],
);

export const UpdateOfficeHoursMutation = graphql(
  `
    mutation UpdateOfficeHours($input: UpdateOfficeHoursInput!) {
      updateOfficeHours(input: $input) {
        __typename
        ... on UpdateOfficeHoursPayload {
          movedSlots
          cancelledSlots
          officeHours {
            id
            ...HostSeriesFields
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
  [HostSeriesFields],
);

export const CancelOfficeHoursMutation = graphql(`
  mutation CancelOfficeHours($input: CancelOfficeHoursInput!) {
    cancelOfficeHours(input: $input) {
      __typename
      ... on OfficeHoursPayload {
        officeHours {
          id
          status
          cancelledAt
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

export const SkipOfficeHourSlotMutation = graphql(
  `
    mutation SkipOfficeHourSlot($input: SkipOfficeHourSlotInput!) {
      skipOfficeHourSlot(input: $input) {
        __typename
        ... on OfficeHourSlotPayload {
          slot {
            id
            ...HostSlotFields
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
  [HostSlotFields],
);

export const MoveOfficeHourSlotMutation = graphql(
  `
    mutation MoveOfficeHourSlot($input: MoveOfficeHourSlotInput!) {
      moveOfficeHourSlot(input: $input) {
        __typename
        ... on OfficeHourSlotPayload {
          slot {
            id
            ...HostSlotFields
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
  [HostSlotFields],
);

export const MarkAttendanceMutation = graphql(`
  mutation MarkAttendance($input: MarkAttendanceInput!) {
    markAttendance(input: $input) {
      __typename
      ... on BookingPayload {
        booking {
          id
          attendance
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

// While the manage page is open: a slot's seats, bookings and waitlist as they are now (graphcache
// merges the slot by id; the host-only fields resolve with the host's access).
export const HostSlotActivitySubscription = graphql(
  `
    subscription HostSlotActivity($officeHoursId: ID!) {
      officeHoursActivity(officeHoursId: $officeHoursId) {
        slot {
          id
          ...HostSlotFields
        }
      }
    }
  `,
  [HostSlotFields],
);
