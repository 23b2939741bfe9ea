// The GraphQL operations simulated members of `pnpm bench community-load` send (checked against
// the schema before each run).

import fs from 'node:fs';
import { repoRoot } from '../support/paths.js';

/**
 * The member's home exactly as the web app asks for it (one query per card): read from the web's own
 * documents, so the load follows the page.
 */
export const HOME_QUERIES: string[] = [
  ...fs.readFileSync(`${repoRoot}/web/src/features/home/documents.ts`, 'utf8').matchAll(/graphql\(`([\s\S]*?)`\)/g),
].map((match) => match[1]!);
if (HOME_QUERIES.length === 0) throw new Error('no home queries found in web/src/features/home/documents.ts');

const RESULT = '__typename ... on Error { code errorMessage: message }';

export const DOCUMENTS = {
  groups: /* GraphQL */ `query Groups { groups(first: 20) { edges { node { id slug name memberCount viewerStatus } } } }`,
  group: /* GraphQL */ `query Group($slug: String!) {
    group(slug: $slug) { id name description memberCount viewerRole
      members(first: 20) { edges { node { role person { id name headline } } } }
      events(first: 5) { edges { node { id title startsAt } } } officeHours { id topic } }
  }`,
  people: /* GraphQL */ `query People($text: String) {
    people(first: 20, filter: { text: $text }) { edges { node { id name headline skills { level skill { name } } } } }
  }`,
  person: /* GraphQL */ `query Person($id: ID!) {
    person(id: $id) { id name headline bio skills { level skill { name } }
      viewerActions { message { available reason } requestMentorship { available reason }
        bookOfficeHours { available reason } askIntroduction { available reason } } }
  }`,
  read: /* GraphQL */ `query Read($id: ID!) {
    node(id: $id) { ... on Conversation { id title lastSeq
      messages(last: 30) { edges { node { id seq body createdAt author { id name } reactions { emoji count } } } } } }
  }`,
  markRead: /* GraphQL */ `mutation MarkRead($input: MarkConversationReadInput!) { markConversationRead(input: $input) { __typename } }`,
  send: /* GraphQL */ `mutation Send($input: SendMessageInput!) {
    sendMessage(input: $input) { ${RESULT} ... on MessagePayload { message { id seq } } }
  }`,
  startDirect: /* GraphQL */ `mutation StartDirect($input: StartDirectConversationInput!) {
    startDirectConversation(input: $input) { ${RESULT} ... on ConversationPayload { conversation { id } } }
  }`,
  react: /* GraphQL */ `mutation React($input: ToggleReactionInput!) { toggleReaction(input: $input) { ${RESULT} } }`,
  slots: /* GraphQL */ `query Slots($hostId: ID!) {
    publicOfficeHours(hostId: $hostId) { officeHours { id topic nextSlots(first: 5) { id startsAt seatsLeft viewerCanBook } } }
  }`,
  book: /* GraphQL */ `mutation Book($input: BookOfficeHourSlotInput!) {
    bookOfficeHourSlot(input: $input) { ${RESULT} ... on BookingPayload { booking { id } } }
  }`,
  cancel: /* GraphQL */ `mutation Cancel($input: CancelBookingInput!) { cancelBooking(input: $input) { ${RESULT} } }`,
  waiting: /* GraphQL */ `query Waiting {
    introductions(role: BROKER, open: true, first: 10) { edges { node { id } } }
    myWaitlistEntries { id status }
    viewer { id mentorshipRequests(direction: RECEIVED, status: [PENDING]) { id status } }
  }`,
  readAll: /* GraphQL */ `mutation ReadAll { markAllNotificationsRead { __typename } }`,
};
