import { graphql } from '../../app/graphql';

// Unmasked: messages flow through the message store, events and acknowledgements as plain data.
export const ChatAuthorFields = graphql(`
  fragment ChatAuthorFields on ChatAuthor @_unmask {
    id
    name
    initials
  }
`);

export const MessageFields = graphql(
  `
    fragment MessageFields on Message @_unmask {
      id
      seq
      clientId
      author {
        ...ChatAuthorFields
      }
      body
      createdAt
      editedAt
      deletedAt
      parentId
      replyCount
      lastReplyAt
      reactions {
        emoji
        count
        reactors {
          ...ChatAuthorFields
        }
      }
      card {
        title
        lines
        tone
        href
        progress {
          value
          target
          unit
        }
      }
    }
  `,
  [ChatAuthorFields],
);

export const ConversationSummaryFields = graphql(
  `
    fragment ConversationSummaryFields on Conversation @_unmask {
      id
      kind
      title
      name
      topic
      isDefault
      lastSeq
      lastMessageAt
      unreadCount
      unreadMentionCount
      viewerLastReadSeq
      viewerCanModerate
      group {
        id
        slug
        name
        viewerCanCreateChannels
      }
      participants {
        ...ChatAuthorFields
      }
    }
  `,
  [ChatAuthorFields],
);

export const ChatViewerQuery = graphql(
  `
    query ChatViewer {
      viewer {
        id
        person {
          id
          name
          initials
        }
      }
    }
  `,
);

export const ConversationsQuery = graphql(
  `
    query Conversations($first: Int, $after: String) {
      conversations(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...ConversationSummaryFields
          }
        }
      }
    }
  `,
  [ConversationSummaryFields],
);

export const TotalUnreadQuery = graphql(`
  query ChatTotalUnread {
    totalUnread
  }
`);

// Groups the viewer may open channels in, with the right to add one (admins and owners).
export const ChatGroupsQuery = graphql(`
  query ChatGroups {
    viewer {
      id
      groups(first: 100) {
        edges {
          node {
            id
            slug
            name
            viewerCanCreateChannels
          }
        }
      }
    }
  }
`);

export const GroupChannelsQuery = graphql(`
  query GroupChannels($slug: String!) {
    group(slug: $slug) {
      id
      channels {
        id
        name
        title
        topic
        unreadCount
      }
    }
  }
`);

export const ConversationQuery = graphql(
  `
    query Conversation($id: ID!) {
      node(id: $id) {
        __typename
        ... on Conversation {
          ...ConversationSummaryFields
        }
      }
    }
  `,
  [ConversationSummaryFields],
);

export const MessagesPageQuery = graphql(
  `
    query ConversationMessages($id: ID!, $last: Int, $before: String) {
      node(id: $id) {
        __typename
        ... on Conversation {
          id
          messages(last: $last, before: $before) {
            pageInfo {
              hasPreviousPage
            }
            edges {
              cursor
              node {
                ...MessageFields
              }
            }
          }
        }
      }
    }
  `,
  [MessageFields],
);

export const ThreadPageQuery = graphql(
  `
    query ConversationThread($id: ID!, $rootId: ID!, $last: Int, $before: String) {
      node(id: $id) {
        __typename
        ... on Conversation {
          id
          thread(rootId: $rootId, last: $last, before: $before) {
            pageInfo {
              hasPreviousPage
            }
            edges {
              cursor
              node {
                ...MessageFields
              }
            }
          }
        }
      }
    }
  `,
  [MessageFields],
);

export const MessageQuery = graphql(
  `
    query ChatMessage($id: ID!) {
      node(id: $id) {
        __typename
        ... on Message {
          ...MessageFields
        }
      }
    }
  `,
  [MessageFields],
);

// Sent over the WebSocket by use-conversation-events.ts itself (not through urql), so that a reconnect
// resubscribes with the newest afterSeq instead of the one the subscription started with.
export const ConversationEventsSubscription = graphql(
  `
    subscription ConversationEvents($conversationId: ID!, $afterSeq: Int) {
      conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) {
        seq
        kind
        conversationId
        message {
          ...MessageFields
        }
      }
    }
  `,
  [MessageFields],
);

// Merged into the cache by the graphcache updater in app/api-client.ts (unread counts, total).
export const InboxEventsSubscription = graphql(
  `
    subscription InboxEvents {
      inboxEvents {
        totalUnread
        conversationId
        conversation {
          ...ConversationSummaryFields
        }
      }
    }
  `,
  [ConversationSummaryFields],
);

export const TypingIndicatorsSubscription = graphql(
  `
    subscription TypingIndicators($conversationId: ID!) {
      typingIndicators(conversationId: $conversationId) {
        conversationId
        typing
        expiresAt
        person {
          ...ChatAuthorFields
        }
      }
    }
  `,
  [ChatAuthorFields],
);

export const PresenceQuery = graphql(
  `
    query Presence($personIds: [ID!]!) {
      presence(personIds: $personIds) {
        status
        person {
          ...ChatAuthorFields
        }
      }
    }
  `,
  [ChatAuthorFields],
);

export const PresenceChangesSubscription = graphql(
  `
    subscription PresenceChanges {
      presenceChanges {
        status
        person {
          ...ChatAuthorFields
        }
      }
    }
  `,
  [ChatAuthorFields],
);

export const SearchMessagesQuery = graphql(
  `
    query SearchMessages($query: String!, $conversationId: ID, $first: Int, $after: String) {
      searchMessages(query: $query, conversationId: $conversationId, first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            snippet {
              text
              highlighted
            }
            message {
              id
              seq
              parentId
              createdAt
              author {
                ...ChatAuthorFields
              }
            }
            conversation {
              id
              kind
              title
              group {
                id
                name
              }
            }
          }
        }
      }
    }
  `,
  [ChatAuthorFields],
);

// People to start a direct message with (the directory's own search).
export const DirectoryPeopleQuery = graphql(`
  query ChatDirectoryPeople($text: String, $first: Int) {
    people(filter: { text: $text }, first: $first) {
      edges {
        node {
          id
          name
          initials
          headline
          isViewer
        }
      }
    }
  }
`);

// Who can be mentioned here: whoever may see the conversation, less anyone a block keeps apart from you.
export const MentionCandidatesQuery = graphql(`
  query ChatMentionCandidates($id: ID!, $search: String) {
    node(id: $id) {
      ... on Conversation {
        id
        mentionCandidates(search: $search) {
          id
          name
          initials
        }
      }
    }
  }
`);

// Typed errors are read by their code only: their `message` (a String) may not share a response name with
// MessagePayload's `message` (a Message).
export const SendMessageMutation = graphql(
  `
    mutation SendMessage($input: SendMessageInput!) {
      sendMessage(input: $input) {
        __typename
        ... on MessagePayload {
          message {
            ...MessageFields
          }
        }
        ... on RateLimitedError {
          retryAfterSeconds
        }
        ... on Error {
          code
        }
      }
    }
  `,
  [MessageFields],
);

export const EditMessageMutation = graphql(
  `
    mutation EditMessage($input: EditMessageInput!) {
      editMessage(input: $input) {
        __typename
        ... on MessagePayload {
          message {
            ...MessageFields
          }
        }
        ... on Error {
          code
        }
      }
    }
  `,
  [MessageFields],
);

export const DeleteMessageMutation = graphql(
  `
    mutation DeleteMessage($input: DeleteMessageInput!) {
      deleteMessage(input: $input) {
        __typename
        ... on MessagePayload {
          message {
            ...MessageFields
          }
        }
        ... on Error {
          code
        }
      }
    }
  `,
  [MessageFields],
);

export const ToggleReactionMutation = graphql(
  `
    mutation ToggleReaction($input: ToggleReactionInput!) {
      toggleReaction(input: $input) {
        __typename
        ... on MessagePayload {
          message {
            ...MessageFields
          }
        }
        ... on RateLimitedError {
          retryAfterSeconds
        }
        ... on Error {
          code
        }
      }
    }
  `,
  [MessageFields],
);

export const MarkConversationReadMutation = graphql(`
  mutation MarkConversationRead($input: MarkConversationReadInput!) {
    markConversationRead(input: $input) {
      __typename
      ... on ConversationPayload {
        conversation {
          id
          viewerLastReadSeq
          unreadCount
          unreadMentionCount
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const StartDirectConversationMutation = graphql(
  `
    mutation StartDirectConversation($input: StartDirectConversationInput!) {
      startDirectConversation(input: $input) {
        __typename
        ... on ConversationPayload {
          conversation {
            ...ConversationSummaryFields
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
  [ConversationSummaryFields],
);

export const CreateChannelMutation = graphql(
  `
    mutation CreateChannel($input: CreateChannelInput!) {
      createChannel(input: $input) {
        __typename
        ... on ConversationPayload {
          conversation {
            ...ConversationSummaryFields
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
  [ConversationSummaryFields],
);

export const SetTypingMutation = graphql(`
  mutation SetTyping($input: SetTypingInput!) {
    setTyping(input: $input) {
      __typename
    }
  }
`);

// AWAY while the tab is hidden, ONLINE when it is back; offline is the server's call (no socket left).
export const SetPresenceMutation = graphql(`
  mutation SetPresence($input: SetPresenceInput!) {
    setPresence(input: $input) {
      __typename
    }
  }
`);
