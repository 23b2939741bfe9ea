import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { channelsOf, createPublicGroup, personIdOf, sendThroughApi } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { startServer, type TestServer } from '../support/server.js';

// Chat search results as a new member met them: they showed the raw markup of a message
// (`@[Ada Okafor](UGVyc29u…)`, `_paid_`) and were cut off on the right. A hit reads as the message
// does, with the match highlighted, and fits the sidebar on a desktop and on a 390 px phone.

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

const LIVE = { timeout: 20_000 };

describe('chat search results', () => {
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`show the text as it reads, the match highlighted, within the sidebar (${label})`, async () => {
      const tag = Math.random().toString(36).slice(2, 6);
      const ada = await signUpMember(browser, server.url, 'Ada Okafor', viewport);
      members.push(ada);
      const group = await createPublicGroup(ada, `Invoices ${tag}`);
      const general = (await channelsOf(ada, group.slug)).find((channel) => channel.name === 'general')!;
      const adaId = await personIdOf(ada);
      await sendThroughApi(
        ada,
        general.id,
        `We _paid_ @[Ada Okafor](${adaId}) for the **invoice** ${tag}, see https://example.com/${'a'.repeat(80)}/statement-${tag}.pdf and AVeryLongUnbrokenWordThatWouldNotWrapOnAPhoneScreenAtAll`,
      );

      await ada.page.goto(`${server.url}/chat`);
      const box = ada.page.getByPlaceholder('Search messages');
      await box.fill(`paid ${tag}`);
      const hit = ada.page.locator('.search-hit').first();
      await hit.waitFor(LIVE);

      const snippet = (await hit.locator('.search-hit__snippet').textContent()) ?? '';
      expect(snippet).toContain('We paid @Ada Okafor for the invoice');
      expect(snippet).not.toContain('@[');
      expect(snippet).not.toContain('_paid_');
      expect(snippet).not.toContain('**');
      await expect(hit.locator('.search-hit__snippet mark').allTextContents()).resolves.toContain('paid');

      // Nothing sticks out on the right: the hit fits its list, and the list does not scroll sideways.
      const fit = await ada.page.evaluate(() => {
        const results = document.querySelector<HTMLElement>('.search-results')!;
        const box = results.getBoundingClientRect();
        const hits = [...document.querySelectorAll<HTMLElement>('.search-hit, .search-hit *')];
        return {
          scrollsSideways: results.scrollWidth > results.clientWidth,
          rightmost: Math.max(...hits.map((element) => element.getBoundingClientRect().right)),
          edge: box.right,
          viewport: window.innerWidth,
        };
      });
      await ada.page.screenshot({ path: screenshotPath(`chat-search-${label}`) });
      expect(fit.scrollsSideways).toBe(false);
      expect(fit.rightmost).toBeLessThanOrEqual(Math.min(fit.edge, fit.viewport) + 0.5);
    });
  }
});
