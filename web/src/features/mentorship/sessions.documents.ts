import { graphql } from '../../app/graphql';

// The mentorship page's Sessions panel: the agreement's proposed times, the pair's series (proposed or
// confirmed), its sessions. The series and its slots are office hours of audience PAIR (office-hours
// module); the fields on Mentorship are added there.

export const SessionSlotFields = graphql(`
  fragment SessionSlotFields on OfficeHourSlot {
    id
    startsAt
    endsAt
    hostTimeZone
    state
    viewerCanMarkHeld
    timeZoneNotes
    checkIn {
      id
    }
  }
`);

export const MentorshipSessionsQuery = graphql(
  `
    query MentorshipSessions($id: ID!, $since: DateTime!, $now: DateTime!) {
      viewer {
        id
        timeZone
        person {
          id
        }
      }
      node(id: $id) {
        __typename
        ... on Mentorship {
          id
          status
          viewerRole
          mentor {
            id
            name
            timeZone
          }
          mentee {
            id
            name
            timeZone
          }
          agreement {
            id
            cadence
            sessionMinutes
            format
          }
          sessionTimeBlocker
          sessionTimeProposals(first: 5) {
            startsAt
            everyWeeks
            durationMinutes
            mentorLocal
            menteeLocal
            mentorTimeZone
            menteeTimeZone
            label
          }
          sessionSeries {
            id
            status
            timeZone
            startDate
            startTime
            durationMinutes
            viewerCanConfirmSessions
            proposedBy {
              id
              name
            }
            recurrence {
              everyWeeks
              weekdays
              untilDate
            }
            recent: slots(from: $since, to: $now, first: 20) {
              edges {
                node {
                  id
                  ...SessionSlotFields
                }
              }
            }
          }
          upcomingSessions(first: 5) {
            id
            ...SessionSlotFields
          }
        }
      }
    }
  `,
  [SessionSlotFields],
);

export const ProposeMentorshipSessionsMutation = graphql(`
  mutation ProposeMentorshipSessions($input: ProposeMentorshipSessionsInput!) {
    proposeMentorshipSessions(input: $input) {
      __typename
      ... on MentorshipSessionsPayload {
        officeHours {
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
    }
  }
`);

export const ConfirmMentorshipSessionsMutation = graphql(`
  mutation ConfirmMentorshipSessions($input: ConfirmMentorshipSessionsInput!) {
    confirmMentorshipSessions(input: $input) {
      __typename
      ... on MentorshipSessionsPayload {
        officeHours {
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
    }
  }
`);

export const DeclineMentorshipSessionsMutation = graphql(`
  mutation DeclineMentorshipSessions($input: DeclineMentorshipSessionsInput!) {
    declineMentorshipSessions(input: $input) {
      __typename
      ... on MentorshipSessionsPayload {
        officeHours {
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
    }
  }
`);

export const CancelMentorshipSessionsMutation = graphql(`
  mutation CancelMentorshipSessions($input: CancelMentorshipSessionsInput!) {
    cancelMentorshipSessions(input: $input) {
      __typename
      ... on MentorshipSessionsPayload {
        officeHours {
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
    }
  }
`);

export const MarkSessionHeldMutation = graphql(
  `
    mutation MarkSessionHeld($input: MarkSessionHeldInput!) {
      markSessionHeld(input: $input) {
        __typename
        ... on MarkSessionHeldPayload {
          checkIn {
            id
          }
          slot {
            id
            ...SessionSlotFields
          }
        }
        ... on Error {
          code
          message
        }
      }
    }
  `,
  [SessionSlotFields],
);
