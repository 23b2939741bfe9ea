import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { NAV_ITEMS } from '../../web/src/app/navigation.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { personIdOf, sendThroughApi } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { startServer, type TestServer } from '../support/server.js';

// The navigation on a 390 px phone: every destination and its badge on screen, nothing to scroll sideways.

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

const PHONE = { width: 390, height: 844 };
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

/** The element's box lies wholly inside the window (not cut off, not under the edge). */
async function expectInViewport(page: Page, locator: Locator, what: string) {
  await locator.waitFor({ state: 'visible', ...LIVE });
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  expect(box, `${what} has a box`).not.toBeNull();
  expect(box!.x, `${what} starts inside the window`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${what} starts inside the window`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends inside the window`).toBeLessThanOrEqual(size.width + 0.5);
  expect(box!.y + box!.height, `${what} ends inside the window`).toBeLessThanOrEqual(size.height + 0.5);
}

async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
}

describe('navigation on a 390 px phone', () => {
  it('shows every destination and the unread badge in the window, with the rest one tap away behind "More"', async () => {
    const ada = await signUpMember(browser, server.url, 'Ada Quist', PHONE);
    const ben = await signUpMember(browser, server.url, 'Ben Ortega');
    members.push(ada, ben);
    const dm = await startDirect(ben, [await personIdOf(ada)]);
    for (const text of ['Are you coming tonight?', 'Bring the slides', 'See you there'])
      await sendThroughApi(ben, dm, text);

    const page = ada.page;
    await page.goto(`${server.url}/`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const tabs = NAV_ITEMS.filter((item) => item.tab);
    const behindMore = NAV_ITEMS.filter((item) => !item.tab);
    // A phone has room for a handful of tabs; the rest must really be behind "More".
    expect(tabs.length).toBeLessThanOrEqual(5);
    expect(behindMore.length).toBeGreaterThan(0);

    // The unread count is on the Chat tab, in view, and part of the link's name for screen readers.
    const badge = nav.getByTestId('chat-unread-total');
    await badge.waitFor(LIVE);
    await expect(badge.textContent()).resolves.toBe('3');
    await expectInViewport(page, badge, 'the unread badge');
    await expectInViewport(page, nav.getByRole('link', { name: /^Chat\W+3 unread$/ }), 'Chat');
    for (const item of tabs) {
      await expectInViewport(page, nav.getByRole('link', { name: new RegExp(`^${item.label}\\b`) }), item.label);
    }
    const more = nav.getByRole('button', { name: 'More' });
    await expectInViewport(page, more, 'More');
    await expect(more.getAttribute('aria-expanded')).resolves.toBe('false');
    const home = await horizontalOverflow(page);
    expect(home.scrollWidth, 'the page is no wider than the window').toBeLessThanOrEqual(home.innerWidth);
    await page.screenshot({ path: screenshotPath('phone-navigation-home') });

    // "More" opens the rest, each in view; Escape closes it and gives focus back to the button.
    await more.click();
    await expect(more.getAttribute('aria-expanded')).resolves.toBe('true');
    for (const item of behindMore) {
      await expectInViewport(page, nav.getByRole('link', { name: item.label, exact: true }), item.label);
    }
    await page.screenshot({ path: screenshotPath('phone-navigation-more') });
    await page.keyboard.press('Escape');
    await expect(more.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(more.evaluate((element) => element === document.activeElement)).resolves.toBe(true);

    // From the keyboard: Enter opens it, Tab walks into its links, Enter follows one.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const first = behindMore[0]!;
    await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe(first.label);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}${first.to}`);
    // The address changes first; the menu closes when the page (a lazily loaded chunk) is shown.
    await expect.poll(() => more.getAttribute('aria-expanded')).toBe('false');
    // The page behind "More" is marked on the button for sighted and screen-reader users alike.
    await expect.poll(() => more.textContent()).toContain(`you are on ${first.label}`);

    // Every destination: reachable, marked as the current page, and no page is wider than the phone.
    for (const item of [...tabs, ...behindMore]) {
      if (item.tab) await nav.getByRole('link', { name: new RegExp(`^${item.label}\\b`) }).click();
      else {
        await more.click();
        await nav.getByRole('link', { name: item.label, exact: true }).click();
      }
      await page.waitForURL(`${server.url}${item.to}`);
      await page
        .locator('main h1')
        .first()
        .waitFor({ state: 'attached', ...LIVE });
      if (item.tab) {
        // Polled: the address changes before the new page (a lazily loaded chunk) is shown.
        const current = nav.locator('[aria-current="page"]:visible');
        await expect.poll(() => current.textContent(), LIVE).toContain(item.label);
        await expect(current.count()).resolves.toBe(1);
      } else {
        await expect.poll(() => more.textContent(), LIVE).toContain(`you are on ${item.label}`);
      }
      const overflow = await horizontalOverflow(page);
      expect(overflow.scrollWidth, `${item.to} is no wider than the window`).toBeLessThanOrEqual(overflow.innerWidth);
      // The tab bar is still there, badge and all.
      await expectInViewport(page, badge, `the unread badge on ${item.to}`);
    }

    // Chat: the conversation with the unread messages is there, and the page ends above the tab bar.
    await nav.getByRole('link', { name: /^Chat\b/ }).click();
    await page
      .getByRole('link', { name: /Ben Ortega/ })
      .first()
      .click();
    await page.getByText('See you there', { exact: true }).waitFor(LIVE);
    await page.screenshot({ path: screenshotPath('phone-navigation-chat') });
    const composer = page.getByRole('textbox', { name: 'Message Ben Ortega' });
    const composerBox = (await composer.boundingBox())!;
    const barBox = (await nav.boundingBox())!;
    expect(composerBox.y + composerBox.height, 'the message box ends above the tab bar').toBeLessThanOrEqual(
      barBox.y + 0.5,
    );
  }, 240_000);

  it('keeps every destination in the top bar on a desktop', async () => {
    const cleo = await signUpMember(browser, server.url, 'Cleo Brandt');
    members.push(cleo);
    await cleo.page.goto(`${server.url}/`);
    const nav = cleo.page.getByRole('navigation', { name: 'Main' });
    for (const item of NAV_ITEMS) {
      const link = nav.getByRole('link', { name: new RegExp(`^${item.label}\\b`) });
      await expectInViewport(cleo.page, link, item.label);
      expect((await link.boundingBox())!.y, `${item.label} is in the header`).toBeLessThan(80);
    }
    await expect(nav.getByRole('button', { name: 'More' }).isVisible()).resolves.toBe(false);
    await cleo.page.screenshot({ path: screenshotPath('desktop-navigation') });
  });
});
