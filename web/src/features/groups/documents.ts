import { graphql } from '../../app/graphql';
import { EventCardFields } from '../events/documents';

export const GroupCardFields = graphql(`
  fragment GroupCardFields on Group {
    id
    slug
    name
    description
    kind
    visibility
    institution
    graduationYear
    cohort
    memberCount
    viewerRole
    viewerStatus
    parent {
      id
      name
      slug
    }
  }
`);

export const GroupsQuery = graphql(
  `
    query Groups($filter: GroupsFilter, $first: Int, $after: String) {
      groups(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            id
            ...GroupCardFields
          }
        }
      }
    }
  `,
  [GroupCardFields],
);

export const GroupPermissionsFields = graphql(`
  fragment GroupPermissionsFields on GroupPermissions {
    edit
    approveRequests
    invite
    changeRoles
    removeMembers
    ban
    createEvents
    createChapters
  }
`);

export const GroupQuery = graphql(
  `
    query Group($slug: String!) {
      group(slug: $slug) {
        id
        slug
        name
        description
        kind
        visibility
        institution
        graduationYear
        cohort
        allowedEmailDomain
        memberCount
        hiddenByAdmins
        viewerRole
        viewerStatus
        viewerInvite {
          id
          expiresAt
        }
        viewerJoinRequest {
          id
        }
        viewerPermissions {
          ...GroupPermissionsFields
        }
        parent {
          id
          slug
          name
        }
        createdAt
      }
    }
  `,
  [GroupPermissionsFields],
);

// A SECRET group is null by slug for a non-member; its direct invitee reaches it through the invite
// (the GROUP_INVITE notification links to /groups/<slug>?invite=<id>).
export const GroupInviteQuery = graphql(`
  query GroupInvite($id: ID!) {
    node(id: $id) {
      __typename
      ... on GroupInvite {
        id
        expiresAt
        revokedAt
        createdBy {
          id
          name
        }
        group {
          id
          slug
          name
          description
          kind
          visibility
        }
      }
    }
  }
`);

// Separate from GroupQuery: the server's cost limit counts each list by its page size, and the page
// with all of them in one request is over it.
export const GroupChaptersQuery = graphql(`
  query GroupChapters($slug: String!) {
    group(slug: $slug) {
      id
      chapters(first: 30) {
        totalCount
        edges {
          node {
            id
            slug
            name
            memberCount
            viewerStatus
          }
        }
      }
    }
  }
`);

export const GroupEventsQuery = graphql(
  `
    query GroupEvents($slug: String!) {
      group(slug: $slug) {
        id
        events(upcoming: true, first: 10) {
          pageInfo {
            hasNextPage
          }
          edges {
            node {
              id
              ...EventCardFields
            }
          }
        }
      }
    }
  `,
  [EventCardFields],
);

export const GroupMembersQuery = graphql(`
  query GroupMembers($slug: String!, $search: String, $first: Int, $after: String) {
    group(slug: $slug) {
      id
      members(search: $search, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            role
            joinedAt
            person {
              id
              name
              initials
              headline
              isViewer
            }
          }
        }
      }
    }
  }
`);

export const GroupAdminQuery = graphql(
  `
    query GroupAdmin($slug: String!) {
      group(slug: $slug) {
        id
        slug
        name
        visibility
        viewerRole
        viewerStatus
        viewerPermissions {
          ...GroupPermissionsFields
        }
      }
    }
  `,
  [GroupPermissionsFields],
);

// Each admin list is its own request (see GroupChaptersQuery); a live notification invalidates
// Group.joinRequests, which refetches only this one.
export const JoinRequestsQuery = graphql(`
  query JoinRequests($slug: String!) {
    group(slug: $slug) {
      id
      joinRequests(status: PENDING, first: 25) {
        totalCount
        edges {
          node {
            id
            message
            status
            createdAt
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

export const GroupInvitesQuery = graphql(`
  query GroupInvites($slug: String!) {
    group(slug: $slug) {
      id
      invites(first: 25) {
        pageInfo {
          hasNextPage
        }
        edges {
          node {
            id
            expiresAt
            maxUses
            uses
            revokedAt
            createdAt
            invitee {
              id
              name
            }
            createdBy {
              id
              name
            }
          }
        }
      }
    }
  }
`);

export const GroupBansQuery = graphql(`
  query GroupBans($slug: String!) {
    group(slug: $slug) {
      id
      bans(first: 25) {
        pageInfo {
          hasNextPage
        }
        edges {
          node {
            reason
            createdAt
            person {
              id
              name
              initials
            }
          }
        }
      }
    }
  }
`);

export const CreateGroupMutation = graphql(`
  mutation CreateGroup($input: CreateGroupInput!) {
    createGroup(input: $input) {
      __typename
      ... on GroupPayload {
        group {
          id
          slug
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

export const JoinGroupMutation = graphql(`
  mutation JoinGroup($input: JoinGroupInput!) {
    joinGroup(input: $input) {
      __typename
      ... on GroupPayload {
        group {
          id
          viewerStatus
          viewerRole
          memberCount
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RequestToJoinGroupMutation = graphql(`
  mutation RequestToJoinGroup($input: RequestToJoinGroupInput!) {
    requestToJoinGroup(input: $input) {
      __typename
      ... on JoinRequestPayload {
        joinRequest {
          id
          status
          group {
            id
            viewerStatus
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
`);

export const CancelJoinRequestMutation = graphql(`
  mutation CancelJoinRequest($input: DecideJoinRequestInput!) {
    cancelJoinRequest(input: $input) {
      __typename
      ... on JoinRequestPayload {
        joinRequest {
          id
          status
          group {
            id
            viewerStatus
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ApproveJoinRequestMutation = graphql(`
  mutation ApproveJoinRequest($input: DecideJoinRequestInput!) {
    approveJoinRequest(input: $input) {
      __typename
      ... on JoinRequestPayload {
        joinRequest {
          id
          status
          decidedAt
          group {
            id
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const DeclineJoinRequestMutation = graphql(`
  mutation DeclineJoinRequest($input: DecideJoinRequestInput!) {
    declineJoinRequest(input: $input) {
      __typename
      ... on JoinRequestPayload {
        joinRequest {
          id
          status
          decidedAt
          group {
            id
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const LeaveGroupMutation = graphql(`
  mutation LeaveGroup($input: LeaveGroupInput!) {
    leaveGroup(input: $input) {
      __typename
      ... on GroupPayload {
        group {
          id
          viewerStatus
          viewerRole
          memberCount
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const CreateInviteLinkMutation = graphql(`
  mutation CreateInviteLink($input: CreateInviteLinkInput!) {
    createInviteLink(input: $input) {
      __typename
      ... on InviteLinkPayload {
        token
        url
        invite {
          id
          expiresAt
          maxUses
          uses
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

export const InviteMemberMutation = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      __typename
      ... on GroupInvitePayload {
        invite {
          id
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RevokeInviteMutation = graphql(`
  mutation RevokeInvite($input: RevokeInviteInput!) {
    revokeInvite(input: $input) {
      __typename
      ... on GroupInvitePayload {
        invite {
          id
          revokedAt
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const AcceptInviteMutation = graphql(`
  mutation AcceptInvite($input: AcceptInviteInput!) {
    acceptInvite(input: $input) {
      __typename
      ... on GroupPayload {
        group {
          id
          slug
          name
          viewerStatus
          viewerRole
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const ChangeMemberRoleMutation = graphql(`
  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) {
      __typename
      ... on GroupMemberPayload {
        group {
          id
        }
        member {
          role
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const TransferOwnershipMutation = graphql(`
  mutation TransferOwnership($input: TransferOwnershipInput!) {
    transferOwnership(input: $input) {
      __typename
      ... on GroupMemberPayload {
        group {
          id
          viewerRole
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      __typename
      ... on GroupMemberPayload {
        group {
          id
          memberCount
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const BanMemberMutation = graphql(`
  mutation BanMember($input: BanMemberInput!) {
    banMember(input: $input) {
      __typename
      ... on GroupMemberPayload {
        group {
          id
          memberCount
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const UnbanMemberMutation = graphql(`
  mutation UnbanMember($input: UnbanMemberInput!) {
    unbanMember(input: $input) {
      __typename
      ... on GroupMemberPayload {
        group {
          id
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const PeopleSearchQuery = graphql(`
  query PeopleSearch($text: String) {
    people(filter: { text: $text }, first: 8) {
      edges {
        node {
          id
          name
          initials
          headline
        }
      }
    }
  }
`);
