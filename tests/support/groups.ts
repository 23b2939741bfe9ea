import { expect } from 'vitest';
import { gql, signUpMember, type Member, type UntypedData } from './graphql.js';

// Small helpers for the groups API tests: typed-ish calls that fail loudly on GraphQL errors.

export const GROUP_FIELDS = /* GraphQL */ `
  fragment GroupFields on Group {
    id slug name kind visibility memberCount viewerRole viewerStatus
    viewerPermissions { edit approveRequests invite changeRoles removeMembers ban createEvents createChapters }
  }
`;

/** What GROUP_FIELDS reads. */
export interface GroupFields {
  id: string;
  slug: string;
  name: string;
  kind: string;
  visibility: string;
  memberCount: number;
  viewerRole: string | null;
  viewerStatus: string;
  viewerPermissions: Record<
    'edit' | 'approveRequests' | 'invite' | 'changeRoles' | 'removeMembers' | 'ban' | 'createEvents' | 'createChapters',
    boolean
  >;
}

export const RESULT = /* GraphQL */ `__typename ... on Error { code message } ... on ValidationError { fieldErrors { path message } }`;

export async function call(url: string, who: Member | null, query: string, variables?: Record<string, unknown>) {
  const response = await gql(url, query, variables, who ? { token: who.token } : {});
  if (response.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors)}`);
  return response.body.data as UntypedData;
}

const INPUT_TYPES: Record<string, string> = {
  approveJoinRequest: 'DecideJoinRequestInput',
  declineJoinRequest: 'DecideJoinRequestInput',
  cancelJoinRequest: 'DecideJoinRequestInput',
};

/** Runs one mutation (`name(input: $input) { ...selection }`) and returns its result object. */
export async function mutate(
  url: string,
  who: Member | null,
  name: string,
  input: Record<string, unknown>,
  selection = '',
) {
  const inputType = INPUT_TYPES[name] ?? `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const query = `mutation M($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} ${selection} } }`;
  const response = await gql(url, query, { input }, who ? { token: who.token } : {});
  if (response.body.errors?.length)
    return {
      __typename: 'GraphQLError',
      code: String(response.body.errors[0]!.extensions?.code ?? ''),
      errors: response.body.errors,
    };
  return response.body.data![name] as UntypedData;
}

export async function createGroup(url: string, owner: Member, input: Record<string, unknown>) {
  const result = await mutate(
    url,
    owner,
    'createGroup',
    { kind: 'COMMUNITY', visibility: 'PUBLIC', ...input },
    '... on GroupPayload { group { id slug name visibility } }',
  );
  expect(result.__typename, JSON.stringify(result)).toBe('GroupPayload');
  return result.group as { id: string; slug: string; name: string; visibility: string };
}

export async function members(url: string, count: number, prefix = 'Member'): Promise<Member[]> {
  const list: Member[] = [];
  for (let i = 0; i < count; i += 1) list.push(await signUpMember(url, { name: `${prefix} ${i + 1}` }));
  return list;
}

export function personId(member: Member): string {
  return Buffer.from(`Person:${userIdOf(member.id)}`).toString('base64');
}

/** The row id inside a global ID (Viewer:…, Group:…). */
export function userIdOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
}
