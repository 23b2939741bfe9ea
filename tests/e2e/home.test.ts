import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { createPublicGroup, joinGroup, personIdOf } from '../support/chat-browser.js';
import { type Member, signUpMember } from '../support/community-browser.js';
import { DEMO_LOGIN, seedDemoData } from '../../server/src/seed/demo-data.js';
import { startServer, type TestServer } from '../support/server.js';

// The member's home in the browser: a new member sees where to start (first group, first mentor, first
// office hour) and each link goes there; an owner sees a join request waiting, approves it in one click,
// and a second request and a mention arrive while the page stays open, without a reload. Signed out,
// `/` is the page that explains Guildhall.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
const LIVE = { timeout: 30_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

async function member(name: string): Promise<Member> {
  const made = await signUpMember(browser, server.url, name);
  members.push(made);
  return made;
}

async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: screenshotPath(`home-${name}-phone`), fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: screenshotPath(`home-${name}`), fullPage: true });
}

function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function privateGroup(owner: Member, name: string): Promise<{ id: string; slug: string }> {
  const created = await owner.gql<{ createGroup: { group?: { id: string; slug: string } } }>(
    'mutation($input: CreateGroupInput!) { createGroup(input: $input) { ... on GroupPayload { group { id slug } } } }',
    { input: { name, kind: 'COMMUNITY', visibility: 'PRIVATE', description: `${name}, by request.` } },
  );
  return created.createGroup.group!;
}

async function askToJoin(who: Member, groupId: string): Promise<void> {
  const asked = await who.gql<{ requestToJoinGroup: { __typename: string } }>(
    'mutation($input: RequestToJoinGroupInput!) { requestToJoinGroup(input: $input) { __typename } }',
    { input: { groupId, message: 'I run the Lisbon meetup.' } },
  );
  expect(asked.requestToJoinGroup.__typename).toBe('JoinRequestPayload');
}

describe('the home page', () => {
  it('signed out, explains Guildhall and offers to sign up', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Grow your IT career in good company.' }).waitFor();
    await page.getByRole('link', { name: 'Create your account' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Needs you now' }).count()).toBe(0);
    await context.close();
  });

  it('a new member sees where to start, and each first step is a link there', async () => {
    const newcomer = await member('Nia Newcomer');
    const errors = consoleErrors(newcomer.page);
    await newcomer.page.goto(`${server.url}/`);
    await newcomer.page.getByRole('heading', { name: 'Welcome back, Nia' }).waitFor();
    await newcomer.page.getByText('Nothing is waiting for you.').waitFor();
    await newcomer.page.getByText('You are not in a group yet.').waitFor();
    const start = newcomer.page.getByRole('region', { name: 'Get started' });
    expect(await start.getByRole('link', { name: 'Join your first group' }).getAttribute('href')).toBe('/groups');
    expect(await start.getByRole('link', { name: 'Find your first mentor' }).getAttribute('href')).toBe('/mentors');
    expect(await start.getByRole('link', { name: 'Book your first office hour' }).getAttribute('href')).toBe(
      '/mentors',
    );
    await screenshots(newcomer.page, 'new-member');

    await start.getByRole('link', { name: 'Join your first group' }).click();
    await newcomer.page.waitForURL(`${server.url}/groups`);
    await newcomer.page.goBack();
    await newcomer.page.getByRole('link', { name: 'Find your first mentor' }).click();
    await newcomer.page.waitForURL(`${server.url}/mentors`);
    expect(errors).toEqual([]);
  });

  it('an owner approves a waiting request in one click; a new request and a mention arrive live', async () => {
    const [owner, asker, later, talker] = [
      await member('Olu Owner'),
      await member('Ana Asker'),
      await member('Lee Later'),
      await member('Tom Talker'),
    ];
    const errors = consoleErrors(owner.page);
    const group = await privateGroup(owner, 'Platform Guild');
    await askToJoin(asker, group.id);

    await owner.page.goto(`${server.url}/`);
    const needs = owner.page.getByRole('region', { name: /Needs you now/ });
    const askerItem = needs.getByRole('listitem').filter({ hasText: 'Ana Asker asked to join Platform Guild' });
    await askerItem.waitFor();
    await askerItem.getByRole('button', { name: 'Approve' }).click();
    await askerItem.waitFor({ state: 'detached', ...LIVE });
    const status = await asker.gql<{ group: { viewerStatus: string } }>(
      'query($slug: String!) { group(slug: $slug) { viewerStatus } }',
      { slug: group.slug },
    );
    expect(status.group.viewerStatus).toBe('MEMBER');
    await needs.getByText('Nothing is waiting for you.').waitFor(LIVE);

    // Arrives while the page is open: a second request…
    await askToJoin(later, group.id);
    await needs.getByRole('listitem').filter({ hasText: 'Lee Later asked to join Platform Guild' }).waitFor(LIVE);

    // …and a mention in a group's channel, with a link straight to the message.
    const open = await createPublicGroup(talker, 'Rust Readers');
    await joinGroup(owner, open.id);
    const channels = await talker.gql<{ group: { channels: Array<{ id: string; isDefault: boolean }> } }>(
      'query($slug: String!) { group(slug: $slug) { channels { id isDefault } } }',
      { slug: open.slug },
    );
    const general = channels.group.channels.find((channel) => channel.isDefault)!.id;
    const ownerPerson = await personIdOf(owner);
    await talker.gql('mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }', {
      input: { conversationId: general, clientId: 'home-e2e-1', body: `Welcome @[Olu Owner](${ownerPerson})!` },
    });
    const mention = needs.getByRole('listitem').filter({ hasText: 'mentioned you' });
    await mention.waitFor(LIVE);
    // The channel's activity shows under the member's groups, live too.
    await owner.page
      .getByRole('region', { name: 'Your groups' })
      .getByRole('link', { name: /general in Rust Readers/ })
      .waitFor(LIVE);
    await screenshots(owner.page, 'owner');

    await mention.getByRole('link', { name: 'Read' }).click();
    await owner.page.waitForURL(/\/chat\//);
    expect(errors).toEqual([]);
  });

  it('the demo’s Ada has something in every part of her home', async () => {
    await demoData();
    const scripts = await openAdasHome('demo-ada');
    // Chromium has Temporal: the polyfill is not fetched.
    expect(scripts.filter(isTemporalPolyfill)).toEqual([]);
  }, 300_000);

  it('a browser without a native Temporal fetches the polyfill first and shows the same home', async () => {
    await demoData();
    const scripts = await openAdasHome('demo-ada-no-temporal', () => {
      Reflect.deleteProperty(globalThis, 'Temporal');
    });
    expect(scripts.filter(isTemporalPolyfill)).toHaveLength(1);
  }, 300_000);
});

let seeded: Promise<void> | null = null;
const demoData = () => (seeded ??= seedDemoData(server.app.services.db).then(() => undefined));

const isTemporalPolyfill = (url: string) => /\/assets\/global\.esm-[\w-]+\.js$/.test(url);

/** Signs the demo's Ada in, opens her home until every card has items; returns the scripts fetched. */
async function openAdasHome(screenshot: string, initScript?: () => void): Promise<string[]> {
  const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'Europe/London', locale: 'en-GB' });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = consoleErrors(page);
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(request.url());
  });
  const signedIn = await context.request.post(`${server.url}/graphql`, {
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
    data: {
      query: 'mutation($input: SignInInput!) { signIn(input: $input) { __typename } }',
      variables: { input: DEMO_LOGIN },
    },
  });
  expect(((await signedIn.json()) as { data: { signIn: { __typename: string } } }).data.signIn.__typename).toBe(
    'AuthPayload',
  );
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: 'Welcome back, Ada' }).waitFor();
  for (const card of [/Needs you now/, 'Coming up', 'Your groups']) {
    await page.getByRole('region', { name: card }).getByRole('listitem').first().waitFor(LIVE);
  }
  // "Coming up" shows times, made with Temporal, soonest first across bookings, hosting and events.
  const comingUp = page.getByRole('region', { name: 'Coming up' });
  expect(await comingUp.textContent()).toMatch(/\d{1,2}:\d{2}/);
  const starts = await comingUp
    .locator('time[datetime]')
    .evaluateAll((times) => times.map((time) => Date.parse(time.getAttribute('datetime')!)));
  expect(starts.length).toBeGreaterThan(2);
  expect(starts).toEqual([...starts].sort((a, b) => a - b));
  await screenshots(page, screenshot);
  await context.close();
  expect(errors).toEqual([]);
  return scripts;
}
