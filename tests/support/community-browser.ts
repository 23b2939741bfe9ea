import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueEmail } from './graphql.js';
import { makeMember } from './sign-up.js';

export interface Member {
  name: string;
  context: BrowserContext;
  page: Page;
  /** GraphQL through the member's own cookie, as the web client sends it. */
  gql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** A member in their own browser context (own cookies, own WebSocket), signed in through the API. */
export async function signUpMember(
  browser: Browser,
  baseUrl: string,
  name: string,
  viewport = { width: 1280, height: 900 },
  timezoneId = 'Europe/London',
  locale = 'en-GB',
): Promise<Member> {
  const context = await browser.newContext({ viewport, timezoneId, locale });
  const page = await context.newPage();
  // Unexpected GraphQL errors and console errors are printed, so a failure says which request broke.
  page.on('response', async (response) => {
    if (!response.url().endsWith('/graphql')) return;
    const body = await response.text().catch(() => '');
    if (body.includes('"errors"'))
      console.log(`[${name}] ${response.request().postData()?.slice(0, 200)} -> ${body.slice(0, 400)}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[${name}] ${message.text()}`);
  });
  const post = async (
    query: string,
    variables?: Record<string, unknown>,
    attempt = 1,
  ): Promise<Awaited<ReturnType<typeof context.request.post>>> => {
    try {
      return await context.request.post(`${baseUrl}/graphql`, {
        headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
        data: { query, variables },
      });
    } catch (error) {
      // A kept-alive socket the server closed as it went idle fails before the request is read: send it again.
      if (attempt < 3 && String(error).includes('ECONNRESET')) return post(query, variables, attempt + 1);
      throw error;
    }
  };
  const gql = async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const response = await post(query, variables);
    const body = (await response.json()) as { data?: T; errors?: unknown };
    if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
    return body.data;
  };
  // Made like signUpMember's (sign-up finishes through an email), then signed in through the API from
  // this context, so the session cookie lands in it.
  // The address from the first name in plain ASCII ("Lúcia" → lucia), so any name makes a valid one.
  const local =
    name
      .split(' ')[0]!
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase() || 'member';
  const input = { email: uniqueEmail(local), password: 'a long browser password', name };
  await makeMember(`${baseUrl}/graphql`, input);
  const result = await gql<{ signIn: { __typename: string } }>(
    'mutation($input: SignInInput!) { signIn(input: $input) { __typename } }',
    { input: { email: input.email, password: input.password } },
  );
  if (result.signIn.__typename !== 'AuthPayload') throw new Error(`sign-in failed: ${result.signIn.__typename}`);
  return { name, context, page, gql };
}
