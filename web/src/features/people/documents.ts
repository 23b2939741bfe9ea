import { graphql } from '../../app/graphql';
import { MentorCardFields } from '../mentorship/documents';

// What the viewer can do toward a person (Person.viewerActions): each with the reason when not.
export const PersonActionsFields = graphql(`
  fragment PersonActionsFields on Person {
    id
    name
    viewerActions {
      message {
        available
        reason
      }
      requestMentorship {
        available
        reason
      }
      bookOfficeHours {
        available
        reason
      }
      askIntroduction {
        available
        reason
      }
    }
  }
`);

export const StartDirectMessageMutation = graphql(`
  mutation StartDirectMessage($input: StartDirectConversationInput!) {
    startDirectConversation(input: $input) {
      __typename
      ... on ConversationPayload {
        conversation {
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

export const PersonCardFields = graphql(
  `
  fragment PersonCardFields on Person {
    id
    name
    initials
    headline
    location
    timeZone
    isViewer
    skills {
      level
      skill {
        id
        name
      }
    }
    openTo
    ...PersonActionsFields
  }
`,
  [PersonActionsFields],
);

export const PeopleQuery = graphql(
  `
    query People($filter: PeopleFilter, $first: Int, $after: String) {
      people(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            ...PersonCardFields
          }
        }
      }
    }
  `,
  [PersonCardFields],
);

export const PeopleFilterOptionsQuery = graphql(`
  query PeopleFilterOptions {
    viewer {
      id
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

export const SkillsQuery = graphql(`
  query Skills($prefix: String) {
    skills(prefix: $prefix, first: 8) {
      id
      name
    }
  }
`);

export const PersonQuery = graphql(
  `
  query Person($id: ID!) {
    person(id: $id) {
      mentorProfile {
        id
        ...MentorCardFields
      }
      id
      name
      initials
      headline
      bio
      location
      timeZone
      isViewer
      viewerHasBlocked
      standing
      ...PersonActionsFields
      skills {
        level
        skill {
          id
          name
        }
      }
      openTo
      links {
        label
        url
      }
      sharedGroups(first: 20) {
        totalCount
        edges {
          node {
            id
            slug
            name
            kind
          }
        }
      }
    }
  }
`,
  [MentorCardFields, PersonActionsFields],
);

export const ProfileFields = graphql(`
  fragment ProfileFields on Viewer {
    id
    name
    headline
    bio
    location
    timeZone
    skills {
      level
      skill {
        id
        name
      }
    }
    openTo
    introductionsThrough
    links {
      label
      url
    }
    visibility {
      headline
      bio
      location
      timeZone
      skills
      openTo
      links
    }
    person {
      id
      name
      initials
      headline
    }
  }
`);

export const ProfileQuery = graphql(
  `
    query Profile {
      viewer {
        id
        ...ProfileFields
      }
    }
  `,
  [ProfileFields],
);

export const UpdateProfileMutation = graphql(
  `
    mutation UpdateProfile($input: UpdateProfileInput!) {
      updateProfile(input: $input) {
        __typename
        ... on UpdateProfilePayload {
          viewer {
            id
            ...ProfileFields
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
  [ProfileFields],
);
