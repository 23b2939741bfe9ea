import { graphql } from '../../app/graphql';

// "Find a mentor": the viewer's suggestions with their reasons, and what the filters offer.

export const MentorSuggestionFields = graphql(`
  fragment MentorSuggestionFields on MentorSuggestion {
    score
    reasons {
      kind
      text
    }
    mentor {
      id
      name
      initials
      headline
      officeHours {
        id
      }
    }
    mentorProfile {
      id
      helpOffered
      formats
      languages
      capacity
    }
  }
`);

export const FindMentorQuery = graphql(
  `
    query FindMentor($groupId: ID, $first: Int, $filter: MentorSuggestionFilter) {
      viewer {
        id
        menteeNeeds {
          goals
        }
        groups(first: 100) {
          edges {
            node {
              id
              name
              kind
            }
          }
        }
      }
      mentorSuggestions(groupId: $groupId, first: $first, filter: $filter) {
        ...MentorSuggestionFields
      }
    }
  `,
  [MentorSuggestionFields],
);
