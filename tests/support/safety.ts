import type { ChatMember } from './chat.js';
import { gql, uniqueEmail } from './graphql.js';
import type { TestServer } from './server.js';

// Helpers for the safety API tests (tests/api/safety-*.test.ts): blocking, reports, the queue and
// the moderation log, each a typed call that returns the result object or the GraphQL error code.

export const RESULT = /* GraphQL */ `__typename ... on Error { code text: message } ... on ValidationError { fieldErrors { path message } }`;

export interface SafetyResult {
  __typename: string;
  code?: string;
  text?: string;
  fieldErrors?: Array<{ path: string; message: string }>;
  // biome-ignore lint/suspicious/noExplicitAny: payloads differ per mutation; the tests read what they asked for.
  [field: string]: any;
}

/** Runs one mutation as `who` and returns its result (or the GraphQL error's code as __typename GraphQLError). */
export async function safetyMutation(
  url: string,
  who: ChatMember,
  name: string,
  input: Record<string, unknown>,
  selection: string,
  { inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`, result = RESULT } = {},
): Promise<SafetyResult> {
  const document = `mutation M($input: ${inputType}!) { ${name}(input: $input) { ${result} ${selection} } }`;
  const response = await gql(url, document, { input }, { token: who.token });
  if (response.body.errors?.length) {
    return { __typename: 'GraphQLError', code: String(response.body.errors[0]!.extensions?.code ?? '') };
  }
  return response.body.data![name] as SafetyResult;
}

export function block(url: string, who: ChatMember, other: ChatMember) {
  return safetyMutation(
    url,
    who,
    'blockMember',
    { personId: other.personId },
    '... on BlockPayload { person { id viewerHasBlocked } }',
  );
}

export function unblock(url: string, who: ChatMember, other: ChatMember) {
  // Unblocking has no ValidationError in its union (nothing to validate but the id).
  return safetyMutation(
    url,
    who,
    'unblockMember',
    { personId: other.personId },
    '... on BlockPayload { person { id viewerHasBlocked } }',
    {
      inputType: 'BlockMemberInput',
      result: '__typename ... on Error { code text: message }',
    },
  );
}

export const REPORT_FIELDS = /* GraphQL */ `
  fragment SafetyReport on Report {
    id subject status outcome reason excerpt place messageHref createdAt resolvedAt availableActions
    reporter { id name } person { id name } group { id name slug } reviewGroup { id } resolvedBy { id }
  }
`;

export interface Report {
  id: string;
  subject: 'MESSAGE' | 'PROFILE' | 'GROUP';
  status: 'OPEN' | 'RESOLVED';
  outcome: string | null;
  reason: string;
  excerpt: string | null;
  place: string | null;
  messageHref: string | null;
  availableActions: string[];
  reporter: { id: string; name: string } | null;
  person: { id: string; name: string } | null;
  group: { id: string; name: string; slug: string } | null;
  reviewGroup: { id: string } | null;
  resolvedBy: { id: string } | null;
}

/** reportContent, with the report as its reporter sees it. */
export async function fileReport(
  url: string,
  who: ChatMember,
  subjectId: string,
  reason: string,
): Promise<SafetyResult> {
  const document = `mutation M($input: ReportContentInput!) { reportContent(input: $input) { ${RESULT} ... on ReportPayload { report { ...SafetyReport } } } } ${REPORT_FIELDS}`;
  const response = await gql(url, document, { input: { subjectId, reason } }, { token: who.token });
  if (response.body.errors?.length) {
    return { __typename: 'GraphQLError', code: String(response.body.errors[0]!.extensions?.code ?? '') };
  }
  return response.body.data!.reportContent as SafetyResult;
}

export async function resolve(
  url: string,
  who: ChatMember,
  reportId: string,
  action: string,
  note?: string,
): Promise<SafetyResult> {
  const document = `mutation M($input: ResolveReportInput!) { resolveReport(input: $input) { ${RESULT} ... on ReportPayload { report { ...SafetyReport } } } } ${REPORT_FIELDS}`;
  const input: Record<string, unknown> = { reportId, action };
  if (note !== undefined) input.note = note;
  const response = await gql(url, document, { input }, { token: who.token });
  if (response.body.errors?.length) {
    return { __typename: 'GraphQLError', code: String(response.body.errors[0]!.extensions?.code ?? '') };
  }
  return response.body.data!.resolveReport as SafetyResult;
}

/** A page of a queue: the reports, or the GraphQL error's code. */
export async function queue(
  url: string,
  who: ChatMember,
  args: { groupId?: string; status?: 'OPEN' | 'RESOLVED' } = {},
): Promise<{ reports: Report[] } | { code: string }> {
  const document = `query Q($groupId: ID, $status: ReportStatus) {
    moderationQueue(groupId: $groupId, status: $status, first: 100) { edges { node { ...SafetyReport } } }
  } ${REPORT_FIELDS}`;
  const response = await gql(url, document, args, { token: who.token });
  if (response.body.errors?.length) return { code: String(response.body.errors[0]!.extensions?.code ?? '') };
  const edges = response.body.data!.moderationQueue.edges as Array<{ node: Report }>;
  return { reports: edges.map((edge) => edge.node) };
}

export interface LogEntry {
  id: string;
  action: string;
  subject: string;
  subjectId: string;
  note: string;
  createdAt: string;
  actor: { id: string } | null;
  target: { id: string } | null;
  report: { id: string } | null;
  group: { id: string } | null;
  subjectGroup: { id: string; name: string } | null;
  /** UNHIDE or UNSUSPEND while this entry's hiding or suspension is in force and the reader may lift it. */
  undoAction: string | null;
}

export async function moderationLog(
  url: string,
  who: ChatMember,
  groupId?: string,
): Promise<{ entries: LogEntry[] } | { code: string }> {
  const document = `query L($groupId: ID) {
    moderationLog(groupId: $groupId, first: 100) {
      edges { node {
        id action subject subjectId note createdAt undoAction
        actor { id } target { id } report { id } group { id } subjectGroup { id name }
      } }
    }
  }`;
  const response = await gql(url, document, { groupId }, { token: who.token });
  if (response.body.errors?.length) return { code: String(response.body.errors[0]!.extensions?.code ?? '') };
  const edges = response.body.data!.moderationLog.edges as Array<{ node: LogEntry }>;
  return { entries: edges.map((edge) => edge.node) };
}

const MODERATION_PAYLOAD =
  '... on ModerationPayload { entry { id action subject subjectId note actor { id } target { id } report { id } } }';

/** unsuspendMember (admins): lifts a suspension. */
export function unsuspend(url: string, who: ChatMember, personId: string, note?: string) {
  return safetyMutation(url, who, 'unsuspendMember', { personId, ...(note ? { note } : {}) }, MODERATION_PAYLOAD);
}

/** unhideContent (admins): shows a hidden profile (Person id) or group (Group id) again. */
export function unhide(url: string, who: ChatMember, subjectId: string, note?: string) {
  return safetyMutation(url, who, 'unhideContent', { subjectId, ...(note ? { note } : {}) }, MODERATION_PAYLOAD);
}

export interface Notice {
  kind: string;
  text: string;
  href: string;
}

export async function notices(url: string, who: ChatMember): Promise<Notice[]> {
  const response = await gql(
    url,
    '{ viewer { notifications(first: 50) { edges { node { kind text href } } } } }',
    {},
    { token: who.token },
  );
  if (!response.body.data) throw new Error(JSON.stringify(response.body));
  return (response.body.data.viewer.notifications.edges as Array<{ node: Notice }>).map((edge) => edge.node);
}

/** An address to list in ADMIN_EMAILS before the server starts; sign up with it afterwards. */
export function adminAddress(): string {
  return uniqueEmail('admin');
}

/** Marks a member's address as verified, as the confirmation link would (admins must have one). */
export async function verifyAddress(server: TestServer, member: ChatMember): Promise<void> {
  const { userIdOf } = await import('./groups.js');
  await server.app.services.db.user.update({
    where: { id: userIdOf(member.id) },
    data: { emailVerifiedAt: new Date() },
  });
}

export function globalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64');
}
