import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';
import { makeMember } from './sign-up.js';

/**
 * The data of a response a test reads without declaring its shape (the default of gql, wsRequest and
 * groups' call): any field may be read, and expect() checks what it holds. Prefer passing a type.
 */
// biome-ignore lint/suspicious/noExplicitAny: the one untyped-response escape hatch of the tests (see above).
export type UntypedData = Record<string, any>;

export interface GraphQLResponse<T = UntypedData> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

export interface RequestOptions {
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
}

/** POSTs a GraphQL operation the way our web client does. */
export async function gql<T = UntypedData>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  options: RequestOptions = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: GraphQLResponse<T>['body'];
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.status, headers: response.headers, body };
}

export const SIGN_UP = /* GraphQL */ `
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on SignUpStarted { email }
      ... on Error { code message }
      ... on ValidationError { fieldErrors { path message } }
      ... on RateLimitedError { retryAfterSeconds }
    }
  }
`;

export const SIGN_IN = /* GraphQL */ `
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      __typename
      ... on AuthPayload { token viewer { id name email } }
      ... on Error { code message }
      ... on ValidationError { fieldErrors { path message } }
      ... on RateLimitedError { retryAfterSeconds }
    }
  }
`;

let counter = 0;
export function uniqueEmail(prefix = 'member'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}

export interface Member {
  id: string;
  email: string;
  password: string;
  name: string;
  token: string;
}

/** A new signed-in member (sign-up finishes through an email now: see support/sign-up.ts for how). */
export async function signUpMember(url: string, overrides: Partial<Pick<Member, 'email' | 'password' | 'name'>> = {}) {
  const input = { email: uniqueEmail(), password: 'correct horse battery', name: 'Test Member', ...overrides };
  return (await makeMember(url, input)) satisfies Member;
}

/** A graphql-ws client over a real socket; close it in afterEach/finally. */
export function wsClient(
  url: string,
  options: Partial<ClientOptions> & { headers?: Record<string, string> } = {},
): Client {
  const { headers, ...rest } = options;
  return createClient({
    url,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    },
    retryAttempts: 0,
    lazy: true,
    // Keep the socket between sequential operations; closing and reopening it at once races.
    lazyCloseTimeout: 1_000,
    ...rest,
  });
}

/** Runs one operation over a graphql-ws client and returns its first result. */
export function wsRequest<T = UntypedData>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data?: T | null; errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (settled) return;
          settled = true;
          resolve(value as never);
          dispose();
        },
        error: (error) => {
          if (settled) return;
          settled = true;
          if (Array.isArray(error)) resolve({ errors: error });
          else reject(error);
        },
        complete: () => {
          if (!settled) reject(new Error('completed without a result'));
        },
      },
    );
  });
}
