import type { Page, WebSocketRoute } from 'playwright-core';
import type { Member } from './community-browser.js';

// Browser-side helpers for the chat journey (tests/e2e/chat-journey.test.ts).

/** A graphql-ws `subscribe` message the page sent, as the server received it. */
export interface SentSubscribe {
  operationName?: string;
  query: string;
  variables: Record<string, unknown>;
}

/**
 * Sits between a page and the server on the GraphQL WebSocket, so a test can take the page's live
 * connection away and give it back, and see what the page asked for. Install it before the page opens
 * the socket (before the first goto).
 *
 * `cut()` closes every open socket the way a dropped network does (an abnormal close, so graphql-ws
 * reconnects) and refuses new ones until `restore()`.
 */
export interface ConnectionCutter {
  cut(): Promise<void>;
  restore(): void;
  /** Every subscribe message sent so far, in order. */
  subscribes(): SentSubscribe[];
}

// "Going away": graphql-ws treats it as an outage and retries.
const DROPPED = { code: 1001, reason: 'connection cut by the test' };

export async function installConnectionCutter(page: Page): Promise<ConnectionCutter> {
  let cut = false;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  const sent: SentSubscribe[] = [];

  await page.routeWebSocket(/\/graphql$/, (ws) => {
    if (cut) {
      void ws.close(DROPPED);
      return;
    }
    const server = ws.connectToServer();
    const pair = { page: ws, server };
    open.add(pair);
    ws.onMessage((message) => {
      const text = typeof message === 'string' ? message : message.toString('utf8');
      const parsed = JSON.parse(text) as { type?: string; payload?: SentSubscribe };
      if (parsed.type === 'subscribe' && parsed.payload) sent.push(parsed.payload);
      server.send(message);
    });
    ws.onClose(() => open.delete(pair));
  });

  return {
    async cut() {
      cut = true;
      for (const pair of [...open]) {
        open.delete(pair);
        await pair.server.close().catch(() => {});
        await pair.page.close(DROPPED).catch(() => {});
      }
    },
    restore() {
      cut = false;
    },
    subscribes: () => [...sent],
  };
}

/** The subscribe messages of conversationEvents, oldest first. */
export function conversationSubscribes(cutter: ConnectionCutter): SentSubscribe[] {
  return cutter.subscribes().filter((payload) => payload.query.includes('conversationEvents'));
}

/** The text of every message (not pending ones) in the open conversation's list, top to bottom. */
export async function messageTexts(member: Member): Promise<string[]> {
  const bodies = await member.page
    .locator('.message-list article.message:not(.message--pending) .message__body .md')
    .allTextContents();
  return bodies.map((text) => text.trim());
}

/** The Person global id of a signed-in member (what mentions and ChatAuthor.id use). */
export async function personIdOf(member: Member): Promise<string> {
  const data = await member.gql<{ viewer: { person: { id: string } } }>('query { viewer { person { id } } }');
  return data.viewer.person.id;
}

export async function createPublicGroup(member: Member, name: string): Promise<{ id: string; slug: string }> {
  const created = await member.gql<{ createGroup: { __typename: string; group?: { id: string; slug: string } } }>(
    'mutation($input: CreateGroupInput!) { createGroup(input: $input) { __typename ... on GroupPayload { group { id slug } } } }',
    {
      input: {
        name,
        kind: 'COMMUNITY',
        visibility: 'PUBLIC',
        description: `${name}: people who build things together.`,
      },
    },
  );
  if (!created.createGroup.group) throw new Error(`createGroup failed: ${created.createGroup.__typename}`);
  return created.createGroup.group;
}

export async function joinGroup(member: Member, groupId: string): Promise<void> {
  const joined = await member.gql<{ joinGroup: { __typename: string } }>(
    'mutation($input: JoinGroupInput!) { joinGroup(input: $input) { __typename } }',
    {
      input: { groupId },
    },
  );
  if (joined.joinGroup.__typename !== 'GroupPayload')
    throw new Error(`joinGroup failed: ${joined.joinGroup.__typename}`);
}

export interface ChannelRef {
  id: string;
  name: string;
}

/** The channels of a group, as its member sees them. */
export async function channelsOf(member: Member, slug: string): Promise<ChannelRef[]> {
  const data = await member.gql<{ group: { channels: { id: string; name: string }[] } | null }>(
    'query($slug: String!) { group(slug: $slug) { channels { id name } } }',
    { slug },
  );
  return data.group?.channels ?? [];
}

/** Sends a message through the API (as another tab or device of the member would). */
export async function sendThroughApi(
  member: Member,
  conversationId: string,
  body: string,
): Promise<{ id: string; seq: number }> {
  const clientId = `api-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const data = await member.gql<{ sendMessage: { __typename: string; message?: { id: string; seq: number } } }>(
    'mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename ... on MessagePayload { message { id seq } } } }',
    { input: { conversationId, clientId, body } },
  );
  if (!data.sendMessage.message) throw new Error(`sendMessage failed: ${data.sendMessage.__typename}`);
  return data.sendMessage.message;
}

/** Every stored top-level message body of a conversation (newest 100), oldest first. */
export async function storedBodies(member: Member, conversationId: string): Promise<{ body: string; seq: number }[]> {
  const data = await member.gql<{ node: { messages: { edges: { node: { body: string; seq: number } }[] } } }>(
    'query($id: ID!) { node(id: $id) { ... on Conversation { messages(last: 100) { edges { node { body seq } } } } } }',
    { id: conversationId },
  );
  return data.node.messages.edges.map((edge) => edge.node);
}
