import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatTime } from '../../web/src/lib/time.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { personIdOf, sendThroughApi } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { startServer, type TestServer } from '../support/server.js';

// What a new member noticed in chat: a name said twice, a thread opened mid-message, a page taller than
// the window, a dialog that starts on Close, and a clock unlike the rest of the app.

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

// Anti-hang bound for a loaded machine; never an assertion about speed.
const LIVE = { timeout: 45_000 };

async function startDirect(member: Member, personIds: string[]): Promise<string> {
  const data = await member.gql<{ startDirectConversation: { conversation?: { id: string } } }>(
    'mutation($input: StartDirectConversationInput!) { startDirectConversation(input: $input) { ... on ConversationPayload { conversation { id } } } }',
    { input: { personIds } },
  );
  const id = data.startDirectConversation.conversation?.id;
  if (!id) throw new Error('startDirectConversation failed');
  return id;
}

async function reply(member: Member, conversationId: string, parentId: string, body: string): Promise<void> {
  const data = await member.gql<{ sendMessage: { __typename: string } }>(
    'mutation($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }',
    { input: { conversationId, parentId, body, clientId: `reply-${Math.random().toString(36).slice(2)}` } },
  );
  if (data.sendMessage.__typename !== 'MessagePayload') throw new Error(`reply failed: ${data.sendMessage.__typename}`);
}

const occurrences = (text: string, name: string) => text.split(name).length - 1;

async function pageOverflow(page: Page): Promise<{ scrollHeight: number; innerHeight: number }> {
  return page.evaluate(() => ({
    scrollHeight: document.scrollingElement!.scrollHeight,
    innerHeight: window.innerHeight,
  }));
}

describe('chat polish', () => {
  let ada: Member;
  let ben: Member;
  let dm: string;
  let root: { id: string; seq: number };

  beforeAll(async () => {
    // Ada reads a US clock: 12-hour times wherever the app shows one.
    ada = await signUpMember(browser, server.url, 'Ada Quist', { width: 1280, height: 800 }, 'Europe/London', 'en-US');
    ben = await signUpMember(browser, server.url, 'Ben Ortega');
    members.push(ada, ben);
    dm = await startDirect(ben, [await personIdOf(ada)]);
    const lines = Array.from({ length: 40 }, (_, index) => `Line ${index + 1} of the release checklist.`);
    root = await sendThroughApi(ben, dm, `Release checklist, top line\n\n${lines.join('\n\n')}`);
    await reply(ben, dm, root.id, 'First reply');
    await reply(ada, dm, root.id, 'Second reply');
    await sendThroughApi(ben, dm, 'The pineapple report is ready');
  });

  it("names the other person once in a direct message's header and in its search hits", async () => {
    const page = ada.page;
    await page.goto(`${server.url}/chat/${encodeURIComponent(dm)}`);
    await page.getByText('The pineapple report is ready', { exact: true }).waitFor(LIVE);
    const header = page.locator('.conversation-header');
    await expect(header.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ben Ortega');
    await page.getByTestId('conversation-presence').waitFor(LIVE);
    expect(occurrences((await header.textContent()) ?? '', 'Ben Ortega')).toBe(1);
    // Below the name: how they are, not who they are.
    await expect(page.getByTestId('conversation-presence').textContent()).resolves.toMatch(/^(Online|Away|Offline)$/);

    await page.getByRole('searchbox', { name: 'Search messages' }).fill('pineapple');
    const hit = page.locator('.search-hit').first();
    await hit.waitFor(LIVE);
    expect(occurrences((await hit.textContent()) ?? '', 'Ben Ortega')).toBe(1);
    await page.screenshot({ path: screenshotPath('chat-polish-dm') });
    // A hit by the viewer in the same conversation still says who wrote it.
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('Second reply');
    const own = page.locator('.search-hit', { hasText: 'Second reply' });
    await own.waitFor(LIVE);
    await expect(own.textContent()).resolves.toContain('Ada Quist');
  }, 120_000);

  it('starts the New message dialog on its search box', async () => {
    const page = ada.page;
    await page.goto(`${server.url}/chat`);
    await page.getByRole('button', { name: 'New message' }).click();
    const search = page.getByRole('searchbox', { name: 'Find people' });
    await search.waitFor(LIVE);
    await expect(search.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    // Typing goes straight into the search.
    await page.keyboard.type('Ben');
    await expect(search.inputValue()).resolves.toBe('Ben');
    const option = page.locator('.people-picker__option', { hasText: 'Ben Ortega' });
    await option.waitFor(LIVE);
    expect(occurrences((await option.textContent()) ?? '', 'Ben Ortega')).toBe(1);
    await page.keyboard.press('Escape');
  });

  it('opens a thread at the top of its root message', async () => {
    const page = ada.page;
    await page.goto(`${server.url}/chat/${encodeURIComponent(dm)}?thread=${encodeURIComponent(root.id)}`);
    const panel = page.locator('.thread-panel');
    await panel.getByText('Second reply', { exact: true }).waitFor(LIVE);
    const scroller = panel.locator('.thread-panel__scroller');
    const shape = await scroller.evaluate((element) => ({
      scrollTop: element.scrollTop,
      scrollHeight: element.scrollHeight,
      clientHeight: element.clientHeight,
      rootTop: element.querySelector('[data-message-id]')!.getBoundingClientRect().top,
      scrollerTop: element.getBoundingClientRect().top,
    }));
    // The root is longer than the panel, so "scrolled to the end" would be somewhere inside it.
    expect(shape.scrollHeight).toBeGreaterThan(shape.clientHeight);
    expect(shape.scrollTop).toBe(0);
    expect(shape.rootTop).toBeGreaterThanOrEqual(shape.scrollerTop);
    await expect(panel.getByText('Release checklist, top line').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('chat-polish-thread') });
  });

  it('fits the window on a desktop, a small laptop and a phone: no page scrollbar', async () => {
    const page = ada.page;
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 1024, height: 700 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      const conversation = `/chat/${encodeURIComponent(dm)}`;
      // The last: opened at a message from a search hit, so the list is scrolled with messages below the fold.
      for (const path of [
        '/chat',
        conversation,
        `${conversation}?message=${encodeURIComponent(root.id)}&seq=${root.seq}`,
        `${conversation}?thread=${encodeURIComponent(root.id)}`,
      ]) {
        await page.goto(`${server.url}${path}`);
        await page.locator('.chat').waitFor(LIVE);
        if (path.includes('thread=')) await page.getByText('Second reply', { exact: true }).waitFor(LIVE);
        else if (path !== '/chat') await page.getByText('The pineapple report is ready', { exact: true }).waitFor(LIVE);
        // Give the list its time to settle at its opening position.
        await page.waitForTimeout(300);
        const { scrollHeight, innerHeight } = await pageOverflow(page);
        expect(scrollHeight, `${path} at ${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(innerHeight);
      }
      await page.screenshot({ path: screenshotPath(`chat-polish-fit-${viewport.width}`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 240_000);

  it("shows chat times on the viewer's clock, like the rest of the app", async () => {
    const page = ada.page;
    await page.goto(`${server.url}/chat/${encodeURIComponent(dm)}`);
    const message = page.locator('article.message', { hasText: 'The pineapple report is ready' });
    await message.waitFor(LIVE);
    await message.hover();
    const time = message.locator('time').first();
    const createdAt = (await time.getAttribute('datetime'))!;
    const shown = ((await time.textContent()) ?? '').trim();
    expect(shown).toBe(formatTime(createdAt, { locale: 'en-US', timeZone: 'Europe/London' }));
    expect(shown).toMatch(/^\d{1,2}:\d{2}\s[AP]M$/);
  });
});
