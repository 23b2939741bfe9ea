import { graphql } from '../../app/graphql';

// The member side of office hours: a host's page, my bookings and waitlist, the calendar settings.
// Mutation results are unions (payload | typed errors): every document asks `... on Error { code message }`.

// What a slot card needs: seats, the viewer's own booking or place in line, and why they can't book.
export const SlotCardFields = graphql(`
  fragment SlotCardFields on OfficeHourSlot {
    id
    startsAt
    endsAt
    hostTimeZone
    hostLocalStart
    seats
    seatsTaken
    seatsLeft
    state
    cancelledAt
    viewerCanBook
    viewerBookingBlocker
    viewerBooking {
      id
      status
      question
      calendarUrl
      cancelledAt
      cancelledByHost
    }
    viewerWaitlistEntry {
      id
      status
      position
      offerExpiresAt
    }
    attendees {
      id
      name
    }
    onlineUrl
    location
    timeZoneNotes
  }
`);

export const SeriesSummaryFields = graphql(`
  fragment SeriesSummaryFields on OfficeHours {
    id
    topic
    description
    timeZone
    startDate
    startTime
    durationMinutes
    seats
    audience
    status
    viewerIsHost
    minimumNoticeMinutes
    bookingWindowDays
    recurrence {
      everyWeeks
      weekdays
      untilDate
      occurrenceCount
    }
  }
`);

// One host's page, for one week (from/to are the week's first and last instants in the viewer's zone).
export const PublicOfficeHoursQuery = graphql(
  `
    query PublicOfficeHours($hostId: ID!, $from: DateTime!, $to: DateTime!) {
      publicOfficeHours(hostId: $hostId) {
        host {
          id
          name
          headline
        }
        officeHours {
          id
          ...SeriesSummaryFields
          slots(from: $from, to: $to, first: 100) {
            edges {
              node {
                id
                ...SlotCardFields
              }
            }
          }
          nextSlots(first: 1) {
            id
            startsAt
          }
        }
      }
    }
  `,
  [SeriesSummaryFields, SlotCardFields],
);

// Seats change while the page is open: the slot arrives as it is now and graphcache merges it by id.
export const OfficeHoursActivitySubscription = graphql(
  `
    subscription OfficeHoursActivity($officeHoursId: ID!) {
      officeHoursActivity(officeHoursId: $officeHoursId) {
        slot {
          id
          ...SlotCardFields
        }
      }
    }
  `,
  [SlotCardFields],
);

export const BookOfficeHourSlotMutation = graphql(
  `
    mutation BookOfficeHourSlot($input: BookOfficeHourSlotInput!) {
      bookOfficeHourSlot(input: $input) {
        __typename
        ... on BookingPayload {
          booking {
            id
            slot {
              id
              ...SlotCardFields
            }
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
  [SlotCardFields],
);

export const CancelBookingMutation = graphql(
  `
    mutation CancelBooking($input: CancelBookingInput!) {
      cancelBooking(input: $input) {
        __typename
        ... on BookingPayload {
          booking {
            id
            status
            cancelledAt
            slot {
              id
              ...SlotCardFields
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
  [SlotCardFields],
);

export const JoinWaitlistMutation = graphql(
  `
    mutation JoinOfficeHoursWaitlist($input: JoinOfficeHoursWaitlistInput!) {
      joinOfficeHoursWaitlist(input: $input) {
        __typename
        ... on OfficeHoursWaitlistEntryPayload {
          entry {
            id
            slot {
              id
              ...SlotCardFields
            }
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
  [SlotCardFields],
);

export const LeaveWaitlistMutation = graphql(
  `
    mutation LeaveOfficeHoursWaitlist($input: LeaveOfficeHoursWaitlistInput!) {
      leaveOfficeHoursWaitlist(input: $input) {
        __typename
        ... on OfficeHoursWaitlistEntryPayload {
          entry {
            id
            status
            slot {
              id
              ...SlotCardFields
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
  [SlotCardFields],
);

export const AcceptOfferMutation = graphql(
  `
    mutation AcceptWaitlistOffer($input: AcceptWaitlistOfferInput!) {
      acceptWaitlistOffer(input: $input) {
        __typename
        ... on BookingPayload {
          booking {
            id
            slot {
              id
              ...SlotCardFields
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
  [SlotCardFields],
);

export const DeclineOfferMutation = graphql(
  `
    mutation DeclineWaitlistOffer($input: DeclineWaitlistOfferInput!) {
      declineWaitlistOffer(input: $input) {
        __typename
        ... on OfficeHoursWaitlistEntryPayload {
          entry {
            id
            status
            slot {
              id
              ...SlotCardFields
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
  [SlotCardFields],
);

// A booking as listed on /bookings: the slot's time in both zones, the host, and the way in.
export const MyBookingFields = graphql(`
  fragment MyBookingFields on Booking {
    id
    status
    question
    attendance
    calendarUrl
    createdAt
    cancelledAt
    cancelledByHost
    slot {
      id
      startsAt
      endsAt
      hostTimeZone
      state
      onlineUrl
      location
      timeZoneNotes
      officeHours {
        id
        topic
        host {
          id
          name
        }
      }
    }
  }
`);

export const MyBookingsQuery = graphql(
  `
    query MyBookings($when: BookingTime!, $first: Int, $after: String) {
      myBookings(when: $when, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            ...MyBookingFields
          }
        }
      }
    }
  `,
  [MyBookingFields],
);

export const MyWaitlistEntriesQuery = graphql(`
  query MyWaitlistEntries {
    myWaitlistEntries {
      id
      status
      position
      offerExpiresAt
      joinedAt
      slot {
        id
        startsAt
        endsAt
        hostTimeZone
        state
        officeHours {
          id
          topic
          host {
            id
            name
          }
        }
      }
    }
  }
`);

// The profile page's card: the person's office hours and their next few times.
export const PersonOfficeHoursQuery = graphql(
  `
    query PersonOfficeHours($id: ID!) {
      person(id: $id) {
        id
        name
        isViewer
        officeHours {
          id
          ...SeriesSummaryFields
          nextSlots(first: 3) {
            id
            startsAt
            endsAt
            hostTimeZone
            seatsLeft
            state
          }
        }
      }
    }
  `,
  [SeriesSummaryFields],
);

export const GroupOfficeHoursQuery = graphql(
  `
    query GroupOfficeHours($slug: String!) {
      group(slug: $slug) {
        id
        officeHours {
          id
          ...SeriesSummaryFields
          host {
            id
            name
          }
          nextSlots(first: 1) {
            id
            startsAt
            endsAt
            hostTimeZone
            seatsLeft
            state
          }
        }
      }
    }
  `,
  [SeriesSummaryFields],
);

// ---- Calendar feed and reminders (/settings/calendar) -------------------------------------------

export const CalendarSettingsQuery = graphql(`
  query CalendarSettings {
    viewer {
      id
      timeZone
      reminderLeadMinutes
      calendarFeed {
        createdAt
      }
    }
  }
`);

export const CreateCalendarFeedMutation = graphql(`
  mutation CreateCalendarFeed {
    createCalendarFeed {
      url
    }
  }
`);

export const RevokeCalendarFeedMutation = graphql(`
  mutation RevokeCalendarFeed {
    revokeCalendarFeed {
      revoked
    }
  }
`);

export const SetReminderLeadTimesMutation = graphql(`
  mutation SetReminderLeadTimes($input: SetReminderLeadTimesInput!) {
    setReminderLeadTimes(input: $input) {
      __typename
      ... on SetReminderLeadTimesPayload {
        viewer {
          id
          reminderLeadMinutes
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

// /office-hours/slots/:slotId (links in notifications): where the slot is, to open its host's page on it.
export const SlotLocationQuery = graphql(`
  query SlotLocation($id: ID!) {
    node(id: $id) {
      id
      ... on OfficeHourSlot {
        startsAt
        officeHours {
          id
          host {
            id
          }
        }
      }
    }
  }
`);
