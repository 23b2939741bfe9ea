import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, Kind, parse, print, validate, visit, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { Browser } from 'playwright-core';
import { computeCost } from '../../server/src/graphql/cost-limit.js';
import { LIMITS } from '../../server/src/graphql/yoga.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../server/src/schema/validation.js';
import {
  CONVERSATION_PAGE_SIZE,
  DIRECTORY_PAGE_SIZE,
  MESSAGE_PAGE_SIZE,
  SEARCH_PAGE_SIZE,
} from '../../web/src/features/chat/page-sizes.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import {
  channelsOf,
  conversationSubscribes,
  createPublicGroup,
  installConnectionCutter,
  joinGroup,
  messageTexts,
  sendThroughApi,
  storedBodies,
} from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { repoRoot } from '../support/paths.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

// Anti-hang bound for live updates; never an assertion about speed.
const LIVE = { timeout: 20_000 };

async function openChannel(member: Member, groupName: string, channel: string) {
  const section = member.page.getByRole('region', { name: groupName });
  await section.getByRole('link', { name: new RegExp(`^${channel}\\b`) }).click();
  await member.page.getByRole('heading', { level: 1, name: `${channel} channel` }).waitFor(LIVE);
  await member.page.getByRole('textbox', { name: `Message #${channel}` }).waitFor(LIVE);
}

async function send(member: Member, channel: string, text: string) {
  const box = member.page.getByRole('textbox', { name: `Message #${channel}` });
  await box.fill(text);
  await box.press('Enter');
}

async function screenshotAll(name: string) {
  for (const member of members) {
    await member.page
      .screenshot({ path: screenshotPath(`chat-${name}-${member.name.split(' ')[0]!.toLowerCase()}`) })
      .catch(() => {});
  }
}

describe('chat in the browser', () => {
  it('delivers messages live, and after a lost connection catches up on the missed ones exactly once, in order, with the right unread counts', async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const groupName = `Kotlin Guild ${tag}`;
    const ada = await signUpMember(browser, server.url, 'Ada Lovelace');
    const ben = await signUpMember(browser, server.url, 'Ben Okonkwo');
    members.push(ada, ben);
    try {
      const group = await createPublicGroup(ada, groupName);
      await joinGroup(ben, group.id);
      // Ben's live connection goes through the cutter, so the test can take it away.
      const cutter = await installConnectionCutter(ben.page);

      // Ada, an owner, adds a channel from the sidebar.
      await ada.page.goto(`${server.url}/chat`);
      await ada.page.getByRole('button', { name: `New channel in ${groupName}` }).click();
      await ada.page.getByLabel('Channel name').fill('Random Stuff');
      await expect(ada.page.getByLabel('Channel name').inputValue()).resolves.toBe('random-stuff');
      await ada.page.getByLabel('Topic (optional)').fill('Anything goes');
      await ada.page.getByRole('button', { name: 'Create channel' }).click();
      await ada.page.getByRole('heading', { level: 1, name: 'random-stuff channel' }).waitFor(LIVE);
      const channels = await channelsOf(ada, group.slug);
      const general = channels.find((channel) => channel.name === 'general')!;
      const random = channels.find((channel) => channel.name === 'random-stuff')!;
      expect(general && random).toBeTruthy();

      await openChannel(ada, groupName, 'general');
      await ben.page.goto(`${server.url}/chat`);
      await openChannel(ben, groupName, 'general');

      // Live both ways, with the typing indicator on the way.
      await send(ada, 'general', 'Hello from Ada');
      await ben.page.getByText('Hello from Ada', { exact: true }).waitFor(LIVE);
      await ben.page.getByRole('textbox', { name: 'Message #general' }).pressSequentially('Hi Ada');
      await ada.page.getByText('Ben is typing…').waitFor(LIVE);
      await ben.page.getByRole('textbox', { name: 'Message #general' }).press('Enter');
      await ada.page.getByText('Hi Ada', { exact: true }).waitFor(LIVE);
      // Ben's screen reader heard Ada's message through the polite live region.
      await ben.page
        .getByTestId('chat-announcer')
        .filter({ hasText: 'Ada Lovelace: Hello from Ada' })
        .waitFor({ state: 'attached', ...LIVE });
      await screenshotAll('live');

      const seen = await storedBodies(ada, general.id);
      const highestSeen = Math.max(...seen.map((message) => message.seq));

      // Ben's network drops: the page says so.
      await ben.context.setOffline(true);
      await cutter.cut();
      await ben.page.getByTestId('reconnecting').waitFor(LIVE);
      await expect(ben.page.getByTestId('reconnecting').textContent()).resolves.toContain('Reconnecting');

      // Ada carries on: three in #general (Ben's open conversation), two in #random-stuff.
      const missed = ['Missed one', 'Missed two', 'Missed three'];
      for (const text of missed) {
        await send(ada, 'general', text);
        await ada.page.locator('article.message:not(.message--pending)', { hasText: text }).waitFor(LIVE);
      }
      await sendThroughApi(ada, random.id, 'Over in random, first');
      await sendThroughApi(ada, random.id, 'Over in random, second');
      await screenshotAll('offline');
      await expect(ben.page.getByText('Missed one', { exact: true }).count()).resolves.toBe(0);

      // Back online (the socket is let through before the browser reports the network back, which is
      // what makes the client retry at once): the missed messages arrive once each, in order.
      cutter.restore();
      await ben.context.setOffline(false);
      await ben.page.getByText('Missed three', { exact: true }).waitFor(LIVE);
      await ben.page.getByTestId('reconnecting').waitFor({ state: 'detached', ...LIVE });
      await expect(messageTexts(ben)).resolves.toEqual(['Hello from Ada', 'Hi Ada', ...missed]);

      // The stream was resumed from the newest seq Ben had, not from where it first started.
      const subscribes = conversationSubscribes(cutter).filter(
        (payload) => payload.variables.conversationId === general.id,
      );
      expect(subscribes.length).toBeGreaterThanOrEqual(2);
      expect(subscribes.at(-1)!.variables.afterSeq).toBe(highestSeen);
      expect(subscribes[0]!.variables.afterSeq).toBeLessThan(highestSeen);

      // Unread counts caught up too: #general is being read; #random-stuff has Ada's two.
      const randomLink = ben.page.locator(`a[data-conversation-id="${random.id}"]`);
      await randomLink.getByTestId('unread-badge').filter({ hasText: '2' }).waitFor(LIVE);
      await ben.page.getByTestId('chat-unread-total').filter({ hasText: '2' }).waitFor(LIVE);
      await expect(
        ben.page.locator(`a[data-conversation-id="${general.id}"]`).getByTestId('unread-badge').count(),
      ).resolves.toBe(0);
      await screenshotAll('caught-up');

      // Opening #random-stuff shows them under the "New messages" divider and reads them.
      await openChannel(ben, groupName, 'random-stuff');
      await ben.page.getByTestId('unread-divider').waitFor(LIVE);
      await expect(messageTexts(ben)).resolves.toEqual(['Over in random, first', 'Over in random, second']);
      await ben.page.getByTestId('chat-unread-total').waitFor({ state: 'detached', ...LIVE });
    } catch (error) {
      await screenshotAll('failure');
      throw error;
    }
  });

  it('keeps a message whose send failed, and a retry with the same clientId stores it once', async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const groupName = `Rust Circle ${tag}`;
    const cleo = await signUpMember(browser, server.url, 'Cleo Marsh');
    const dev = await signUpMember(browser, server.url, 'Dev Patel');
    members.push(cleo, dev);
    try {
      const group = await createPublicGroup(cleo, groupName);
      await joinGroup(dev, group.id);
      const general = (await channelsOf(cleo, group.slug)).find((channel) => channel.name === 'general')!;
      const cutter = await installConnectionCutter(cleo.page);
      await cleo.page.goto(`${server.url}/chat`);
      await openChannel(cleo, groupName, 'general');
      await dev.page.goto(`${server.url}/chat`);
      await openChannel(dev, groupName, 'general');

      // The send reaches the server and is stored, but its answer is lost, and so is the live socket
      // that would have confirmed it: the member sees "Not sent".
      await cutter.cut();
      await cleo.page.route('**/graphql', async (route) => {
        if (!route.request().postData()?.includes('"SendMessage"')) return route.fallback();
        await route.fetch();
        await route.abort('connectionreset');
      });
      await send(cleo, 'general', 'Does this arrive once?');
      await cleo.page.getByText('Not sent').waitFor(LIVE);
      await cleo.page.screenshot({ path: screenshotPath('chat-not-sent') });
      await expect(storedBodies(cleo, general.id)).resolves.toEqual([
        expect.objectContaining({ body: 'Does this arrive once?' }),
      ]);

      // Retry sends the same clientId: the server answers with the stored message instead of a copy.
      await cleo.page.unroute('**/graphql');
      await cleo.page.getByRole('button', { name: 'Retry' }).click();
      await cleo.page
        .locator('article.message:not(.message--pending)', { hasText: 'Does this arrive once?' })
        .waitFor(LIVE);
      await expect(cleo.page.getByText('Not sent').count()).resolves.toBe(0);

      // The live stream resumes and replays the message's event: still one copy on both screens.
      cutter.restore();
      await cleo.page.getByTestId('reconnecting').waitFor({ state: 'detached', ...LIVE });
      await send(cleo, 'general', 'And this one after it');
      await dev.page.getByText('And this one after it', { exact: true }).waitFor(LIVE);
      await cleo.page
        .locator('article.message:not(.message--pending)', { hasText: 'And this one after it' })
        .waitFor(LIVE);
      await expect(messageTexts(cleo)).resolves.toEqual(['Does this arrive once?', 'And this one after it']);
      await expect(messageTexts(dev)).resolves.toEqual(['Does this arrive once?', 'And this one after it']);
      await expect(storedBodies(cleo, general.id)).resolves.toHaveLength(2);
    } catch (error) {
      await screenshotAll('failure');
      throw error;
    }
  });

  it('keeps a message the server could not store just now (UNAVAILABLE) and sends it again on its own, with the same clientId', async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const groupName = `Go Circle ${tag}`;
    const eva = await signUpMember(browser, server.url, 'Eva Lind');
    members.push(eva);
    try {
      const group = await createPublicGroup(eva, groupName);
      const general = (await channelsOf(eva, group.slug)).find((channel) => channel.name === 'general')!;
      await eva.page.goto(`${server.url}/chat`);
      await openChannel(eva, groupName, 'general');

      // The server's answer while its database is away (tests/api/database-outage.test.ts), twice.
      const clientIds: string[] = [];
      let refusals = 2;
      await eva.page.route('**/graphql', async (route) => {
        const body = route.request().postData() ?? '';
        if (!body.includes('"SendMessage"')) return route.fallback();
        clientIds.push((JSON.parse(body) as { variables: { input: { clientId: string } } }).variables.input.clientId);
        if (refusals-- <= 0) return route.fallback();
        const unavailable = { code: 'UNAVAILABLE', retryAfterSeconds: 1 };
        await route.fulfill({
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': '1' },
          body: JSON.stringify({
            errors: [{ message: 'The service is briefly unavailable.', extensions: unavailable }],
          }),
        });
      });
      await send(eva, 'general', 'Sent through a blip');
      await eva.page.getByText('Guildhall is briefly unavailable').waitFor(LIVE);
      await eva.page.screenshot({ path: screenshotPath('chat-send-waiting') });
      await eva.page
        .locator('article.message:not(.message--pending)', { hasText: 'Sent through a blip' })
        .waitFor(LIVE);
      expect(clientIds).toHaveLength(3);
      expect(new Set(clientIds).size).toBe(1);
      await expect(eva.page.getByText('Not sent').count()).resolves.toBe(0);
      await expect(storedBodies(eva, general.id)).resolves.toEqual([
        expect.objectContaining({ body: 'Sent through a blip' }),
      ]);
    } catch (error) {
      await screenshotAll('failure');
      throw error;
    }
  });
});

// The web client's chat documents are typed against the schema, but the server also refuses operations
// over its cost limit (which multiplies by page size), which no type checker sees.
describe('the chat web documents', () => {
  // As graphcache sends them: __typename in every selection set below the operation's root.
  function withTypename(document: DocumentNode): DocumentNode {
    const add = (selectionSet: SelectionSetNode): SelectionSetNode =>
      selectionSet.selections.some(
        (selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename',
      )
        ? selectionSet
        : {
            ...selectionSet,
            selections: [
              ...selectionSet.selections,
              { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } },
            ],
          };
    return visit(document, {
      Field: { leave: (node) => (node.selectionSet ? { ...node, selectionSet: add(node.selectionSet) } : node) },
      FragmentDefinition: { leave: (node) => ({ ...node, selectionSet: add(node.selectionSet) }) },
    });
  }

  it('are valid against the server schema and stay within its cost limit at the page sizes the client uses', async () => {
    const schema = buildSchema(fs.readFileSync(path.join(repoRoot, 'server/schema.graphql'), 'utf8'));
    // Loaded by path at run time (like community-documents.test.ts): the web code is typed by web's own tsconfig.
    const documentsPath = '../../web/src/features/chat/documents.ts';
    const documents = (await import(documentsPath)) as Record<string, unknown>;
    // The page sizes each operation is sent with (the rest use the default or a literal).
    const firstByOperation: Record<string, number> = {
      Conversations: CONVERSATION_PAGE_SIZE,
      SearchMessages: SEARCH_PAGE_SIZE,
      ChatDirectoryPeople: DIRECTORY_PAGE_SIZE,
    };
    const problems: string[] = [];
    let checked = 0;
    for (const [name, value] of Object.entries(documents)) {
      const document = withTypename(parse(print(value as DocumentNode)));
      if (!document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION)) continue;
      for (const error of validate(schema, document)) problems.push(`${name}: ${error.message}`);
      const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
      const operationName = operation?.kind === Kind.OPERATION_DEFINITION ? (operation.name?.value ?? '') : '';
      const variables = { first: firstByOperation[operationName] ?? DEFAULT_PAGE_SIZE, last: MESSAGE_PAGE_SIZE };
      const cost = computeCost(document, undefined, variables, {
        maxCost: LIMITS.maxCost,
        maxPageSize: MAX_PAGE_SIZE,
        defaultPageSize: DEFAULT_PAGE_SIZE,
      });
      if (cost > LIMITS.maxCost) problems.push(`${name}: costs ${Math.round(cost)} (limit ${LIMITS.maxCost})`);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});
