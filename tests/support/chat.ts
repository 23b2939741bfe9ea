import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, isObjectType, isUnionType, type GraphQLSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { gql, SIGN_IN, signUpMember, wsClient, wsRequest, type Member } from './graphql.js';
import { createGroup, mutate, personId } from './groups.js';
import { repoRoot } from './paths.js';
import { startServer, type TestServer } from './server.js';

// Helpers for the chat API tests (tests/api/chat*.test.ts): members, groups with #general,
// typed calls of the chat mutations, and live streams of subscription events.

/** Anti-hang bound for waiting on a socket; never an assertion about speed. */
export const WAIT_MS = 20_000;

export interface ChatMember extends Member {
  /** The Person global id, as ChatAuthor.id and mentions use it. */
  personId: string;
}

export interface ChatAuthor {
  id: string;
  name: string;
  initials: string;
}

export interface ReactionSummary {
  emoji: string;
  count: number;
  reactors: ChatAuthor[];
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  seq: number;
  clientId: string;
  author: ChatAuthor | null;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  parentId: string | null;
  replyCount: number;
  lastReplyAt: string | null;
  reactions: ReactionSummary[];
  mentions: ChatAuthor[];
}

export type ConversationEventKind =
  | 'MESSAGE_ADDED'
  | 'MESSAGE_EDITED'
  | 'MESSAGE_DELETED'
  | 'REACTION_CHANGED'
  | 'THREAD_UPDATED';

export interface ConversationEvent {
  seq: number;
  kind: ConversationEventKind;
  conversationId: string;
  message: ChatMessage;
}

export interface Conversation {
  id: string;
  kind: 'CHANNEL' | 'DIRECT' | 'MENTORSHIP' | 'INTRODUCTION';
  title: string;
  name: string | null;
  topic: string;
  isDefault: boolean;
  lastSeq: number;
  lastMessageAt: string | null;
  viewerLastReadSeq: number;
  unreadCount: number;
  unreadMentionCount: number;
  group: { id: string } | null;
  participants: ChatAuthor[];
}

export interface FieldError {
  path: string;
  message: string;
}

/** One answer of a chat mutation: the success payload's fields or an Error's (its message as `text`). */
export interface ChatResult {
  __typename: string;
  code?: string;
  text?: string;
  fieldErrors?: FieldError[];
  retryAfterSeconds?: number;
  message?: ChatMessage;
  conversation?: Conversation;
  ok?: boolean;
  status?: string;
}

export interface Page<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

export const MESSAGE_FIELDS = /* GraphQL */ `
  fragment ChatMessage on Message {
    id conversationId seq clientId body createdAt editedAt deletedAt parentId replyCount lastReplyAt
    author { id name initials }
    reactions { emoji count reactors { id name initials } }
    mentions { id name initials }
  }
`;

export const CONVERSATION_FIELDS = /* GraphQL */ `
  fragment ChatConversation on Conversation {
    id kind title name topic isDefault lastSeq lastMessageAt viewerLastReadSeq unreadCount unreadMentionCount
    group { id }
    participants { id name initials }
  }
`;

// ── members, devices, groups ──────────────────────────────────────────────

let memberCounter = 0;

export async function chatMember(url: string, name?: string): Promise<ChatMember> {
  memberCounter += 1;
  const member = await signUpMember(url, { name: name ?? `Chat Member ${memberCounter}` });
  return { ...member, personId: personId(member) };
}

export async function chatMembers(url: string, names: string[]): Promise<ChatMember[]> {
  const list: ChatMember[] = [];
  for (const name of names) list.push(await chatMember(url, name));
  return list;
}

/** The same member signed in a second time: another session, as a second device would have. */
export async function anotherDevice(url: string, member: ChatMember): Promise<ChatMember> {
  const response = await gql(url, SIGN_IN, { input: { email: member.email, password: member.password } });
  const token = response.body.data?.signIn?.token as string | undefined;
  if (!token) throw new Error(`sign-in failed: ${JSON.stringify(response.body)}`);
  return { ...member, token };
}

export interface ChatGroup {
  id: string;
  slug: string;
  /** #general's conversation id. */
  general: string;
}

export type GroupRole = 'ADMIN' | 'MODERATOR' | 'MEMBER';

/** A PUBLIC group made by `owner` through the API that `joiners` join; optional roles are given by the owner. */
export async function groupWithMembers(
  url: string,
  owner: ChatMember,
  joiners: ChatMember[],
  options: { name?: string; roles?: Array<[ChatMember, GroupRole]> } = {},
): Promise<ChatGroup> {
  const group = await createGroup(url, owner, { name: options.name ?? `Chat group ${randomBytes(3).toString('hex')}` });
  for (const joiner of joiners) {
    const joined = await mutate(url, joiner, 'joinGroup', { groupId: group.id });
    expect(joined.__typename, JSON.stringify(joined)).toBe('GroupPayload');
  }
  for (const [member, role] of options.roles ?? []) {
    const changed = await mutate(url, owner, 'changeMemberRole', {
      groupId: group.id,
      personId: member.personId,
      role,
    });
    expect(changed.__typename, JSON.stringify(changed)).toBe('GroupMemberPayload');
  }
  const channels = await channelsOf(url, owner, group.slug);
  const general = channels?.find((channel) => channel.isDefault);
  if (!general) throw new Error(`group ${group.slug} has no default channel: ${JSON.stringify(channels)}`);
  return { id: group.id, slug: group.slug, general: general.id };
}

/** Group.channels as `who` sees it; null when the group itself is invisible. */
export async function channelsOf(url: string, who: ChatMember, slug: string): Promise<Conversation[] | null> {
  const data = await query<{ group: { channels: Conversation[] } | null }>(
    url,
    who,
    `query Channels($slug: String!) { group(slug: $slug) { channels { ...ChatConversation } } } ${CONVERSATION_FIELDS}`,
    { slug },
  );
  return data.group?.channels ?? null;
}

// ── queries ──────────────────────────────────────────────────────────────

/** Runs a query as `who` (null: signed out) and fails loudly on GraphQL errors. */
export async function query<T>(
  url: string,
  who: Member | null,
  document: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const response = await gql<T>(url, document, variables, who ? { token: who.token } : {});
  if (response.body.errors?.length || !response.body.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors ?? response.body)}`);
  }
  return response.body.data;
}

/** node(id) as a Conversation for `who`; null when they may not see it. */
export async function conversation(url: string, who: ChatMember, id: string): Promise<Conversation | null> {
  const data = await query<{ node: Conversation | null }>(
    url,
    who,
    `query Conversation($id: ID!) { node(id: $id) { ...ChatConversation } } ${CONVERSATION_FIELDS}`,
    { id },
  );
  return data.node;
}

export async function messageById(url: string, who: ChatMember, id: string): Promise<ChatMessage | null> {
  const data = await query<{ node: ChatMessage | null }>(
    url,
    who,
    `query Message($id: ID!) { node(id: $id) { ...ChatMessage } } ${MESSAGE_FIELDS}`,
    { id },
  );
  return data.node;
}

export interface PageArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

export async function messagesPage(
  url: string,
  who: ChatMember,
  conversationId: string,
  args: PageArgs,
): Promise<Page<ChatMessage>> {
  const data = await query<{ node: { messages: Page<ChatMessage> } | null }>(
    url,
    who,
    `query Messages($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      node(id: $id) { ... on Conversation { messages(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { ...ChatMessage } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      } } }
    } ${MESSAGE_FIELDS}`,
    { id: conversationId, ...args },
  );
  if (!data.node) throw new Error(`conversation ${conversationId} is not visible`);
  return data.node.messages;
}

export async function threadPage(
  url: string,
  who: ChatMember,
  conversationId: string,
  rootId: string,
  args: PageArgs,
): Promise<Page<ChatMessage>> {
  const data = await query<{ node: { thread: Page<ChatMessage> } | null }>(
    url,
    who,
    `query Thread($id: ID!, $rootId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      node(id: $id) { ... on Conversation { thread(rootId: $rootId, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { ...ChatMessage } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      } } }
    } ${MESSAGE_FIELDS}`,
    { id: conversationId, rootId, ...args },
  );
  if (!data.node) throw new Error(`conversation ${conversationId} is not visible`);
  return data.node.thread;
}

/** Every top-level message, oldest first, read page by page backwards with `last`/`before`. */
export async function fullHistory(url: string, who: ChatMember, conversationId: string): Promise<ChatMessage[]> {
  const pages: ChatMessage[][] = [];
  let before: string | undefined;
  for (;;) {
    const page = await messagesPage(url, who, conversationId, before ? { last: 100, before } : { last: 100 });
    pages.unshift(page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasPreviousPage || page.edges.length === 0) break;
    before = page.edges[0]!.cursor;
  }
  return pages.flat();
}

export async function totalUnread(url: string, who: ChatMember): Promise<number> {
  return (await query<{ totalUnread: number }>(url, who, '{ totalUnread }')).totalUnread;
}

export async function notificationKinds(url: string, who: ChatMember): Promise<string[]> {
  const data = await query<{ viewer: { notifications: { edges: Array<{ node: { kind: string } }> } } }>(
    url,
    who,
    '{ viewer { notifications(first: 50) { edges { node { kind } } } } }',
  );
  return data.viewer.notifications.edges.map((edge) => edge.node.kind);
}

// ── mutations ────────────────────────────────────────────────────────────

// The contract fixes the mutation names and their fields, not the names of the success payload
// types nor exactly which errors each union holds; both are read from the committed, generated
// schema (GraphQL refuses a fragment on a type the union cannot hold).
let schemaCache: GraphQLSchema | undefined;
function resultSelection(mutation: string, successSelection: string): string {
  schemaCache ??= buildSchema(fs.readFileSync(path.join(repoRoot, 'server/schema.graphql'), 'utf8'));
  const field = schemaCache.getMutationType()?.getFields()[mutation];
  if (!field) throw new Error(`server/schema.graphql has no mutation ${mutation}`);
  let type = field.type;
  while ('ofType' in type) type = type.ofType;
  if (isObjectType(type)) return `__typename ${successSelection}`;
  if (!isUnionType(type)) throw new Error(`${mutation} returns ${String(type)}`);
  const members = type.getTypes();
  const isError = (member: (typeof members)[number]) => member.getInterfaces().some((iface) => iface.name === 'Error');
  const success = members.filter((member) => !isError(member));
  if (success.length !== 1)
    throw new Error(`${mutation}: expected one success type, found ${success.map(String).join(', ')}`);
  const holds = (name: string) => members.some((member) => member.name === name);
  // Error.message is aliased to `text`: it would clash with the payloads' `message: Message`.
  return [
    '__typename',
    members.some(isError) ? '... on Error { code text: message }' : '',
    holds('ValidationError') ? '... on ValidationError { fieldErrors { path message } }' : '',
    holds('RateLimitedError') ? '... on RateLimitedError { retryAfterSeconds }' : '',
    `... on ${success[0]!.name} { ${successSelection} }`,
  ].join(' ');
}

/** Runs `name(input: $input)` and returns the payload (success fields or error fields). */
export async function chatMutation(
  url: string,
  who: Member,
  name: string,
  input: Record<string, unknown>,
  successSelection: string,
  fragments = '',
): Promise<ChatResult> {
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const document = `mutation M($input: ${inputType}!) { ${name}(input: $input) { ${resultSelection(name, successSelection)} } } ${fragments}`;
  const response = await gql(url, document, { input }, { token: who.token });
  if (response.body.errors?.length) throw new Error(`${name}: GraphQL errors: ${JSON.stringify(response.body.errors)}`);
  return response.body.data![name] as ChatResult;
}

const WITH_MESSAGE = ['message { ...ChatMessage }', MESSAGE_FIELDS] as const;
const WITH_CONVERSATION = ['conversation { ...ChatConversation }', CONVERSATION_FIELDS] as const;

export function newClientId(prefix = 'c'): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

export interface SendOptions {
  clientId?: string;
  parentId?: string;
}

export function sendMessage(url: string, who: Member, conversationId: string, body: string, options: SendOptions = {}) {
  const input: Record<string, unknown> = { conversationId, clientId: options.clientId ?? newClientId(), body };
  if (options.parentId) input.parentId = options.parentId;
  return chatMutation(url, who, 'sendMessage', input, ...WITH_MESSAGE);
}

/** Sends and expects success; returns the stored message. */
export async function send(
  url: string,
  who: Member,
  conversationId: string,
  body: string,
  options: SendOptions = {},
): Promise<ChatMessage> {
  const result = await sendMessage(url, who, conversationId, body, options);
  if (!result.message) throw new Error(`sendMessage failed: ${JSON.stringify(result)}`);
  return result.message;
}

export function editMessage(url: string, who: Member, messageId: string, body: string) {
  return chatMutation(url, who, 'editMessage', { messageId, body }, ...WITH_MESSAGE);
}

export function deleteMessage(url: string, who: Member, messageId: string) {
  return chatMutation(url, who, 'deleteMessage', { messageId }, ...WITH_MESSAGE);
}

export function toggleReaction(url: string, who: Member, messageId: string, emoji: string) {
  return chatMutation(url, who, 'toggleReaction', { messageId, emoji }, ...WITH_MESSAGE);
}

export function markConversationRead(url: string, who: Member, conversationId: string, seq: number) {
  return chatMutation(url, who, 'markConversationRead', { conversationId, seq }, ...WITH_CONVERSATION);
}

export function startDirectConversation(url: string, who: Member, personIds: string[]) {
  return chatMutation(url, who, 'startDirectConversation', { personIds }, ...WITH_CONVERSATION);
}

export function createChannel(url: string, who: Member, input: { groupId: string; name: string; topic?: string }) {
  return chatMutation(url, who, 'createChannel', input, ...WITH_CONVERSATION);
}

export function setTyping(url: string, who: Member, conversationId: string, typing: boolean) {
  return chatMutation(url, who, 'setTyping', { conversationId, typing }, 'ok');
}

/** setPresence over a member's socket: presence belongs to the socket that says it. */
export async function setPresenceOnSocket(client: Client, status: 'ONLINE' | 'AWAY'): Promise<ChatResult> {
  const result = await wsRequest<{ setPresence: ChatResult }>(
    client,
    `mutation P($input: SetPresenceInput!) { setPresence(input: $input) { ${resultSelection('setPresence', 'status')} } }`,
    { input: { status } },
  );
  if (!result.data) throw new Error(`setPresence failed: ${JSON.stringify(result)}`);
  return result.data.setPresence;
}

export async function directConversation(url: string, who: Member, others: ChatMember[]): Promise<Conversation> {
  const result = await startDirectConversation(
    url,
    who,
    others.map((other) => other.personId),
  );
  if (!result.conversation) throw new Error(`startDirectConversation failed: ${JSON.stringify(result)}`);
  return result.conversation;
}

// ── sockets and streams ──────────────────────────────────────────────────

export function memberSocket(wsUrl: string, member: Member): Client {
  return wsClient(wsUrl, { connectionParams: { authToken: member.token } });
}

export interface StreamEnd {
  how: 'complete' | 'error';
  errors: GraphQLErrorLike[];
}

/** The items of one subscription as they arrive, plus how it ended. */
export interface Stream<T> {
  readonly received: T[];
  /** GraphQL errors delivered with results or at the end. */
  readonly errors: GraphQLErrorLike[];
  readonly ended: Promise<StreamEnd>;
  hasEnded(): boolean;
  /** Resolves once `predicate(received)` holds; rejects if the stream ends first or after WAIT_MS. */
  waitFor(predicate: (received: readonly T[]) => boolean, what: string, timeoutMs?: number): Promise<T[]>;
  /** Resolves with the stream's end; rejects after WAIT_MS. */
  waitForEnd(timeoutMs?: number): Promise<StreamEnd>;
  dispose(): void;
}

function asErrors(error: unknown): GraphQLErrorLike[] {
  if (Array.isArray(error)) return error as GraphQLErrorLike[];
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    const close = error as { code: number; reason: string };
    return [{ message: `socket closed: ${close.code} ${close.reason}`, extensions: { closeCode: close.code } }];
  }
  return [{ message: error instanceof Error ? error.message : String(error) }];
}

export function codesOf(errors: readonly GraphQLErrorLike[]): string[] {
  return errors.map((error) => String(error.extensions?.code ?? ''));
}

export function openStream<T>(
  client: Client,
  document: string,
  variables: Record<string, unknown>,
  field: string,
): Stream<T> {
  const received: T[] = [];
  const errors: GraphQLErrorLike[] = [];
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const waker of wakers) waker();
  };
  let end: StreamEnd | undefined;
  let resolveEnd!: (value: StreamEnd) => void;
  const ended = new Promise<StreamEnd>((resolve) => (resolveEnd = resolve));
  const finish = (how: StreamEnd['how'], extra: GraphQLErrorLike[]) => {
    if (end) return;
    errors.push(...extra);
    end = { how, errors: [...errors] };
    resolveEnd(end);
    wake();
  };
  const dispose = client.subscribe<Record<string, T>>(
    { query: document, variables },
    {
      next: (value) => {
        if (value.errors?.length) errors.push(...(value.errors as GraphQLErrorLike[]));
        const item = value.data?.[field];
        if (item !== undefined && item !== null) received.push(item);
        wake();
      },
      error: (error) => finish('error', asErrors(error)),
      complete: () => finish('complete', []),
    },
  );

  function wait<R>(check: () => R | undefined, what: string, timeoutMs: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value !== undefined) return done(() => resolve(value));
        if (end)
          return done(() =>
            reject(
              new Error(`${what}: the subscription ended first (${JSON.stringify(end)}); got ${describe(received)}`),
            ),
          );
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(
                `${what}: still waiting after ${timeoutMs} ms; got ${describe(received)}; errors ${JSON.stringify(errors)}`,
              ),
            ),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        wakers.delete(attempt);
        settle();
      };
      wakers.add(attempt);
      attempt();
    });
  }

  return {
    received,
    errors,
    ended,
    hasEnded: () => end !== undefined,
    waitFor: (predicate, what, timeoutMs = WAIT_MS) =>
      wait(() => (predicate(received) ? [...received] : undefined), what, timeoutMs),
    waitForEnd: (timeoutMs = WAIT_MS) =>
      new Promise<StreamEnd>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the subscription did not end within ${timeoutMs} ms; got ${describe(received)}`)),
          timeoutMs,
        );
        void ended.then((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      }),
    dispose,
  };
}

function describe(items: readonly unknown[]): string {
  const text = JSON.stringify(
    items.map((item) => (item && typeof item === 'object' && 'seq' in item ? (item as { seq: number }).seq : item)),
  );
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

export const CONVERSATION_EVENTS = /* GraphQL */ `
  subscription Events($conversationId: ID!, $afterSeq: Int) {
    conversationEvents(conversationId: $conversationId, afterSeq: $afterSeq) { seq kind conversationId message { ...ChatMessage } }
  }
  ${MESSAGE_FIELDS}
`;

export function conversationEvents(
  client: Client,
  conversationId: string,
  afterSeq?: number,
): Stream<ConversationEvent> {
  const variables: Record<string, unknown> = { conversationId };
  if (afterSeq !== undefined) variables.afterSeq = afterSeq;
  return openStream<ConversationEvent>(client, CONVERSATION_EVENTS, variables, 'conversationEvents');
}

export interface InboxEvent {
  conversation: { id: string; unreadCount: number; lastSeq: number; viewerLastReadSeq: number };
  totalUnread: number;
}

export function inboxEvents(client: Client): Stream<InboxEvent> {
  return openStream<InboxEvent>(
    client,
    'subscription { inboxEvents { totalUnread conversation { id unreadCount lastSeq viewerLastReadSeq } } }',
    {},
    'inboxEvents',
  );
}

export interface TypingEvent {
  conversationId: string;
  person: ChatAuthor;
  typing: boolean;
  expiresAt: string;
}

export function typingIndicators(client: Client, conversationId: string): Stream<TypingEvent> {
  return openStream<TypingEvent>(
    client,
    'subscription T($conversationId: ID!) { typingIndicators(conversationId: $conversationId) { conversationId typing expiresAt person { id name initials } } }',
    { conversationId },
    'typingIndicators',
  );
}

export interface PresenceEvent {
  person: ChatAuthor;
  status: 'ONLINE' | 'AWAY' | 'OFFLINE';
}

export function presenceChanges(client: Client): Stream<PresenceEvent> {
  return openStream<PresenceEvent>(
    client,
    'subscription { presenceChanges { status person { id name initials } } }',
    {},
    'presenceChanges',
  );
}

export async function presenceOf(url: string, who: ChatMember, people: ChatMember[]): Promise<Record<string, string>> {
  const data = await query<{ presence: PresenceEvent[] }>(
    url,
    who,
    'query Presence($ids: [ID!]!) { presence(personIds: $ids) { status person { id } } }',
    { ids: people.map((person) => person.personId) },
  );
  return Object.fromEntries(data.presence.map((entry) => [entry.person.id, entry.status]));
}

/**
 * Repeats `trigger` until the stream shows an item `accept`s. Live-only subscriptions (typing,
 * presence, inbox) have no replay, so a test first proves its subscription is listening.
 */
export async function warmUp<T>(
  stream: Stream<T>,
  trigger: () => Promise<unknown>,
  accept: (item: T) => boolean,
  what: string,
): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    await trigger();
    try {
      await stream.waitFor((items) => items.some(accept), what, 300);
      return;
    } catch (error) {
      if (stream.hasEnded() || Date.now() > deadline) throw error;
    }
  }
}

/** The seqs of events, in arrival order. */
export const seqsOf = (events: readonly { seq: number }[]) => events.map((event) => event.seq);

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}

/** Polls `check` until it returns something other than undefined (for effects that land after the answer). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One in-process server for a test file (started before its tests, stopped after), and sockets for
 * members that are closed after each test.
 */
export function useChatServer(onStart: (server: TestServer) => void): { socketOf(member: ChatMember): Client } {
  let server: TestServer | undefined;
  const sockets: Client[] = [];
  beforeAll(async () => {
    server = await startServer();
    onStart(server);
  });
  afterEach(async () => {
    while (sockets.length) await sockets.pop()!.dispose();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    socketOf: (member) => {
      const client = memberSocket(server!.wsUrl, member);
      sockets.push(client);
      return client;
    },
  };
}
