import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { channelsOf, createPublicGroup, joinGroup, personIdOf, sendThroughApi } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { adminAddress } from '../support/safety.js';
import { startServer, type TestServer } from '../support/server.js';

// Safety in the browser: a member blocks another from their profile and reports a message from
// chat; the group's moderator finds it in the queue, hides it, and sees the action in the log; the
// reporter is told the outcome. Then she reports the group itself; an instance admin hides it
// (after a confirmation), its members see the banner, and the admin shows it again from the log.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
const ADMIN_EMAIL = adminAddress();

beforeAll(async () => {
  server = await startServer({ env: { ADMIN_EMAILS: ADMIN_EMAIL } });
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

const LIVE = { timeout: 15_000 };

describe('safety in the browser', () => {
  it('blocks from a profile, reports a message, and the moderator hides it from the queue', async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const groupName = `Safe Space ${tag}`;
    const mo = await signUpMember(browser, server.url, 'Mo Moderator');
    const ben = await signUpMember(browser, server.url, 'Ben Spammer');
    const ada = await signUpMember(browser, server.url, 'Ada Reporter');
    members.push(mo, ben, ada);
    try {
      const group = await createPublicGroup(mo, groupName);
      await joinGroup(ben, group.id);
      await joinGroup(ada, group.id);
      const general = (await channelsOf(mo, group.slug)).find((channel) => channel.name === 'general')!;
      await sendThroughApi(ben, general.id, `Buy my coins ${tag}`);
      const benId = await personIdOf(ben);

      // Ada blocks Ben from his profile, after a confirmation; only she sees it.
      const page = ada.page;
      await page.goto(`${server.url}/people/${encodeURIComponent(benId)}`);
      await page.getByRole('button', { name: 'Block Ben Spammer' }).click();
      const confirm = page.getByRole('group', { name: 'Confirm blocking Ben Spammer' });
      await expect(
        confirm.getByRole('button', { name: 'Block' }).evaluate((el) => el === document.activeElement),
      ).resolves.toBe(true);
      await confirm.getByRole('button', { name: 'Block' }).click();
      await page.getByText('You blocked Ben Spammer. They are not told.').waitFor(LIVE);
      await page.getByRole('button', { name: 'Unblock Ben Spammer' }).waitFor(LIVE);
      await page.goto(`${server.url}/settings/blocked`);
      await page.getByRole('link', { name: 'Ben Spammer' }).waitFor(LIVE);
      await page.screenshot({ path: screenshotPath('safety-blocked-list') });

      // Ada reports Ben's message from its actions in #general.
      await page.goto(`${server.url}/chat/${encodeURIComponent(general.id)}`);
      const message = page.locator('article.message', { hasText: `Buy my coins ${tag}` });
      await message.waitFor(LIVE);
      await message.hover();
      // Focused first: the actions stay shown (focus-within) even if the list scrolls under the pointer.
      const report = message.getByRole('button', { name: 'Report message' });
      await report.focus();
      await report.click();
      const dialog = page.getByRole('dialog', { name: 'Report message from Ben Spammer' });
      await dialog.waitFor(LIVE);
      const reason = dialog.getByLabel('What’s wrong?');
      await expect(reason.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await reason.fill('Spam: selling coins to everyone');
      await dialog.getByRole('button', { name: 'Send report' }).click();
      await dialog.getByText('Report sent').waitFor(LIVE);
      await page.screenshot({ path: screenshotPath('safety-report-sent') });
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden', ...LIVE });

      // Mo, the group's owner, goes to the queue from the group's admin page and hides the message.
      await mo.page.goto(`${server.url}/groups/${group.slug}/admin`);
      await mo.page.getByRole('link', { name: 'Moderation queue' }).click();
      await mo.page.getByRole('heading', { level: 1, name: 'Moderation queue' }).waitFor(LIVE);
      const card = mo.page.getByRole('article', { name: /Message by Ben Spammer in #general/ });
      await card.waitFor(LIVE);
      await card.getByText('Spam: selling coins to everyone').waitFor(LIVE);
      await card.getByText(`Buy my coins ${tag}`).waitFor(LIVE);
      await card.getByRole('radio', { name: 'Hide the content' }).check();
      await card.getByLabel('Note for the log (optional)').fill('No selling in #general');
      await mo.page.screenshot({ path: screenshotPath('safety-queue'), fullPage: true });
      await card.getByRole('button', { name: 'Apply' }).click();
      await mo.page.getByText('Nothing to review. New reports appear here.').waitFor(LIVE);
      await mo.page.getByRole('link', { name: 'Moderation log' }).click();
      await mo.page.getByText('Hidden: a message by Ben Spammer').waitFor(LIVE);
      await mo.page.getByText('Note: No selling in #general').waitFor(LIVE);
      await mo.page.screenshot({ path: screenshotPath('safety-log'), fullPage: true });

      // The message is a tombstone for Ada, and she is told the outcome.
      await page.goto(`${server.url}/chat/${encodeURIComponent(general.id)}`);
      await page.getByText('This message was deleted.').waitFor(LIVE);
      await page.goto(`${server.url}/notifications`);
      await page.getByText('Your report about a message was reviewed: the content was hidden.').waitFor(LIVE);

      // Ada reports the group itself from its page; that goes to the instance's admins.
      await page.goto(`${server.url}/groups/${group.slug}`);
      await page.getByRole('button', { name: 'Report group' }).click();
      const groupDialog = page.getByRole('dialog', { name: `Report ${groupName}` });
      await groupDialog.getByLabel('What’s wrong?').fill('The whole group sells coins');
      await groupDialog.getByRole('button', { name: 'Send report' }).click();
      await groupDialog.getByText('Report sent').waitFor(LIVE);
      await groupDialog.getByRole('button', { name: 'Close' }).click();

      // Ivy, an instance admin (a verified address in ADMIN_EMAILS), hides the group after confirming.
      const ivy = await signUpMember(browser, server.url, 'Ivy Admin');
      members.push(ivy);
      await server.app.services.db.user.update({
        where: {
          id: Buffer.from(await personIdOf(ivy), 'base64')
            .toString('utf8')
            .split(':')[1]!,
        },
        data: { email: ADMIN_EMAIL, emailVerifiedAt: new Date() },
      });
      await ivy.page.goto(`${server.url}/moderation`);
      const groupCard = ivy.page.getByRole('article', { name: `Group ${groupName}` });
      await groupCard.waitFor(LIVE);
      await groupCard.getByRole('radio', { name: 'Hide the group' }).check();
      await groupCard.getByRole('button', { name: 'Apply' }).click();
      const confirmHide = groupCard.getByRole('group', { name: 'Confirm: Hide the group' });
      await confirmHide.getByText(/disappears from search, lists and links for everyone but its members/).waitFor(LIVE);
      await ivy.page.screenshot({ path: screenshotPath('safety-admin-confirm'), fullPage: true });
      await confirmHide.getByRole('button', { name: 'Hide the group' }).click();
      await ivy.page.getByText('Nothing to review. New reports appear here.').waitFor(LIVE);

      // Its members still see it, marked as hidden.
      await mo.page.goto(`${server.url}/groups/${group.slug}`);
      await mo.page.getByText('Hidden by this Guildhall’s admins').waitFor(LIVE);

      // The admin shows it again from the moderation log entry.
      await ivy.page.getByRole('link', { name: 'Moderation log' }).click();
      await ivy.page.getByText(`Hidden: the group ${groupName}`).waitFor(LIVE);
      await ivy.page.getByRole('button', { name: 'Show the group again' }).click();
      await ivy.page
        .getByRole('group', { name: 'Confirm: Show the group again' })
        .getByRole('button', { name: 'Show the group again' })
        .click();
      await ivy.page.getByText(`Shown again: the group ${groupName}`).waitFor(LIVE);
      await ivy.page.screenshot({ path: screenshotPath('safety-admin-log'), fullPage: true });
    } catch (error) {
      for (const member of members) {
        await member.page
          .screenshot({
            path: screenshotPath(`safety-failure-${member.name.split(' ')[0]!.toLowerCase()}`),
            fullPage: true,
          })
          .catch(() => {});
      }
      throw error;
    }
  });
});
