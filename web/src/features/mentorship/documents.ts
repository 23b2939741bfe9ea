import { graphql } from '../../app/graphql';

// What a member's profile page shows of a mentor; each field is null when the viewer may not see it.
export const MentorCardFields = graphql(
  `
    fragment MentorCardFields on MentorProfile {
      id
      accepting
      capacity
      helpOffered
      formats
      cadences
      languages
      timeZone
      expertise {
        level
        skill {
          id
          name
        }
      }
      weeklyHours {
        weekday
        start
        end
      }
    }
  `,
);

export const MentorSettingsFields = graphql(
  `
    fragment MentorSettingsFields on MentorProfile {
      id
      accepting
      capacity
      helpOffered
      formats
      cadences
      languages
      timeZone
      askScope
      askGroups {
        id
        name
      }
      expertise {
        level
        skill {
          id
          name
        }
      }
      weeklyHours {
        weekday
        start
        end
      }
      visibility {
        expertise
        helpOffered
        capacity
        formats
        cadences
        weeklyHours
        languages
        askScope
      }
    }
  `,
);

export const MenteeNeedsFields = graphql(
  `
    fragment MenteeNeedsFields on MenteeNeeds {
      goals
      languages
      helpWanted
      formats
      cadence
      timeZone
      skills {
        currentLevel
        wantedLevel
        skill {
          id
          name
        }
      }
      weeklyHours {
        weekday
        start
        end
      }
    }
  `,
);

export const MentoringSettingsQuery = graphql(
  `
    query MentoringSettings {
      viewer {
        id
        timeZone
        skills {
          level
          skill {
            id
            name
          }
        }
        groups(first: 100) {
          edges {
            node {
              id
              name
            }
          }
        }
        person {
          id
        }
        mentorProfile {
          id
          ...MentorSettingsFields
        }
        menteeNeeds {
          ...MenteeNeedsFields
        }
      }
    }
  `,
  [MentorSettingsFields, MenteeNeedsFields],
);

export const SaveMentorProfileMutation = graphql(
  `
    mutation SaveMentorProfile($input: SaveMentorProfileInput!) {
      saveMentorProfile(input: $input) {
        __typename
        ... on SaveMentorProfilePayload {
          mentorProfile {
            id
            ...MentorSettingsFields
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
  [MentorSettingsFields],
);

export const PauseMentoringMutation = graphql(`
  mutation PauseMentoring {
    pauseMentoring {
      __typename
      ... on SaveMentorProfilePayload {
        mentorProfile {
          id
          accepting
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ResumeMentoringMutation = graphql(`
  mutation ResumeMentoring {
    resumeMentoring {
      __typename
      ... on SaveMentorProfilePayload {
        mentorProfile {
          id
          accepting
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const SaveMenteeNeedsMutation = graphql(
  `
    mutation SaveMenteeNeeds($input: SaveMenteeNeedsInput!) {
      saveMenteeNeeds(input: $input) {
        __typename
        ... on SaveMenteeNeedsPayload {
          menteeNeeds {
            ...MenteeNeedsFields
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
  [MenteeNeedsFields],
);
