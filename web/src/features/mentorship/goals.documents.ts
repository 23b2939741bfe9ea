import { graphql } from '../../app/graphql';

// The documents of the running relationship (H3's part of the mentorship feature): goals and their
// progress, check-ins with the viewer's own private note and feedback both ways, the ending with
// exit reviews, celebrating a goal, and badges on a profile.

export const GoalFields = graphql(`
  fragment GoalFields on Goal @_unmask {
    id
    title
    specificOutcome
    whyItMatters
    measure
    startValue
    targetValue
    currentValue
    unit
    dueOn
    status
    progress
    overdue
    completedAt
    viewerCanUpdate
    viewerCanCelebrate
    checklist {
      id
      text
      done
    }
    updates {
      id
      note
      value
      completes
      createdAt
      author {
        id
        name
      }
    }
    achievement {
      id
    }
  }
`);

export const CheckInFields = graphql(`
  fragment CheckInFields on CheckIn @_unmask {
    id
    heldAt
    sharedNotes
    nextSteps
    privateNote
    viewerMayGiveFeedback
    createdBy {
      id
      name
    }
    feedback {
      byViewer
      rating
      words
      pairingWorking
      createdAt
      author {
        id
        name
      }
    }
  }
`);

export const RelationshipQuery = graphql(
  `
    query MentorshipRelationship($id: ID!) {
      node(id: $id) {
        __typename
        ... on Mentorship {
          id
          status
          viewerRole
          viewerMayEndForFit
          viewerMayReview
          endedAt
          endedBy {
            id
            name
          }
          goals {
            ...GoalFields
          }
          checkIns {
            ...CheckInFields
          }
          reviews {
            byViewer
            wentWell
            outcome
            wouldRecommend
            createdAt
            author {
              id
              name
            }
          }
        }
      }
    }
  `,
  [GoalFields, CheckInFields],
);

export const ViewerGroupsQuery = graphql(`
  query CelebrateViewerGroups {
    viewer {
      id
      groups(first: 100) {
        edges {
          node {
            id
            name
            channels {
              id
              name
            }
          }
        }
      }
    }
  }
`);

export const CreateGoalMutation = graphql(`
  mutation CreateGoal($input: CreateGoalInput!) {
    createGoal(input: $input) {
      __typename
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
      ... on GoalPayload {
        goal {
          id
        }
      }
    }
  }
`);

export const UpdateGoalMutation = graphql(`
  mutation UpdateGoal($input: UpdateGoalInput!) {
    updateGoal(input: $input) {
      __typename
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
      ... on GoalPayload {
        goal {
          id
        }
      }
    }
  }
`);

export const RecordGoalProgressMutation = graphql(`
  mutation RecordGoalProgress($input: RecordGoalProgressInput!) {
    recordGoalProgress(input: $input) {
      __typename
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
      ... on GoalProgressPayload {
        goal {
          id
          status
          progress
        }
      }
    }
  }
`);

export const CompleteGoalMutation = graphql(`
  mutation CompleteGoal($input: CompleteGoalInput!) {
    completeGoal(input: $input) {
      __typename
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
      ... on GoalPayload {
        goal {
          id
          status
        }
      }
    }
  }
`);

export const DropGoalMutation = graphql(`
  mutation DropGoal($input: DropGoalInput!) {
    dropGoal(input: $input) {
      __typename
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
      ... on GoalPayload {
        goal {
          id
          status
        }
      }
    }
  }
`);

export const CelebrateGoalMutation = graphql(`
  mutation CelebrateGoal($input: CelebrateGoalInput!) {
    celebrateGoal(input: $input) {
      __typename
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
      ... on AchievementPayload {
        achievement {
          id
          title
        }
      }
    }
  }
`);

export const RecordCheckInMutation = graphql(`
  mutation RecordCheckIn($input: RecordCheckInInput!) {
    recordCheckIn(input: $input) {
      __typename
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
      ... on CheckInPayload {
        checkIn {
          id
        }
      }
    }
  }
`);

export const UpdateCheckInMutation = graphql(`
  mutation UpdateCheckIn($input: UpdateCheckInInput!) {
    updateCheckIn(input: $input) {
      __typename
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
      ... on CheckInPayload {
        checkIn {
          id
          privateNote
        }
      }
    }
  }
`);

export const GiveCheckInFeedbackMutation = graphql(`
  mutation GiveCheckInFeedback($input: GiveCheckInFeedbackInput!) {
    giveCheckInFeedback(input: $input) {
      __typename
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
      ... on CheckInPayload {
        checkIn {
          id
        }
      }
    }
  }
`);

export const EndMentorshipMutation = graphql(`
  mutation EndMentorship($input: EndMentorshipInput!) {
    endMentorship(input: $input) {
      __typename
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
      ... on EndedMentorshipPayload {
        mentorship {
          id
          status
        }
      }
    }
  }
`);

export const ReviewMentorshipMutation = graphql(`
  mutation ReviewMentorship($input: ReviewMentorshipInput!) {
    reviewMentorship(input: $input) {
      __typename
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
      ... on EndedMentorshipPayload {
        mentorship {
          id
          status
        }
      }
    }
  }
`);

export const PersonAchievementsQuery = graphql(`
  query PersonAchievements($id: ID!) {
    person(id: $id) {
      id
      achievements {
        id
        title
        createdAt
        visibility
      }
    }
  }
`);
