import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { personIdOf } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { startServer, type TestServer } from '../support/server.js';

// Mentoring in the browser: a member in Kolkata offers mentoring from her settings with hours in her
// own zone, is told a capacity of 25 is too many, saves 3, and pauses; a member in Tokyo sees the
// Mentoring card on her profile with those hours in Tokyo time beside hers. Both zones keep one offset
// all year, so the expected times hold on any date.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
const VIEWPORT = { width: 1280, height: 900 };
const LIVE = { timeout: 15_000 };

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

describe('mentoring settings in the browser', () => {
  it('saves an offer with hours in the mentor’s zone, refuses a bad capacity, pauses, and shows it to another member in theirs', async () => {
    const maya = await signUpMember(browser, server.url, 'Maya Mentor', VIEWPORT, 'Asia/Kolkata');
    const tomo = await signUpMember(browser, server.url, 'Tomo Viewer', VIEWPORT, 'Asia/Tokyo');
    members.push(maya, tomo);
    await maya.gql('mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }', {
      input: { timeZone: 'Asia/Kolkata', skills: [{ name: 'TypeScript', level: 'EXPERT' }] },
    });
    const mayaId = await personIdOf(maya);

    // From the member menu to the page.
    const page = maya.page;
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('button', { name: 'Mentoring', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentoring' }).waitFor(LIVE);

    const offer = page.getByRole('form', { name: 'Offer mentoring' });
    await offer.getByRole('checkbox', { name: 'TypeScript' }).check();
    await offer.getByLabel('Level for TypeScript').selectOption('EXPERT');
    await offer.getByRole('checkbox', { name: 'Career guidance' }).check();
    await offer.getByRole('checkbox', { name: 'Video call' }).check();
    await offer.getByRole('checkbox', { name: 'Every two weeks' }).check();
    await expect(offer.getByLabel('Time zone of your hours').inputValue()).resolves.toBe('Asia/Kolkata');
    await offer.getByRole('button', { name: 'Add hours' }).click();
    await offer.getByLabel('Day of range 1').selectOption('MONDAY');
    await offer.getByLabel('From (range 1)').fill('09:00');
    await offer.getByLabel('To (range 1)').fill('12:00');
    await offer.getByLabel('Languages', { exact: true }).fill('en, pt-br');

    // Too many mentees: the server's message shows on the field, nothing is saved.
    const capacity = offer.getByLabel('Capacity', { exact: true });
    await capacity.fill('25');
    await offer.getByRole('button', { name: 'Save mentoring offer' }).click();
    await offer.getByText('Take at most 20 mentees at once.').first().waitFor(LIVE);
    await expect(capacity.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('button', { name: 'Pause mentoring' }).count()).resolves.toBe(0);

    await capacity.fill('3');
    await offer.getByRole('button', { name: 'Save mentoring offer' }).click();
    const saved = offer.getByRole('status').filter({ hasText: 'Saved.' });
    await saved.waitFor(LIVE);
    await expect(saved.evaluate((element) => element === document.activeElement)).resolves.toBe(true);

    // Once it exists it can be paused, and the page says so.
    await page.getByRole('button', { name: 'Pause mentoring' }).click();
    await page.getByText('Paused: taking no new mentees').waitFor(LIVE);
    await page.getByRole('button', { name: 'Resume mentoring' }).waitFor(LIVE);
    await page.screenshot({ path: screenshotPath('mentoring-settings'), fullPage: true });

    // What she looks for as a mentee is kept too: after visiting her own profile (which now shows the
    // card) and coming back within the app, the form shows what was saved.
    const needs = page.getByRole('form', { name: 'What I’m looking for' });
    await needs.getByLabel('Your goals').fill('Lead a team within a year');
    await needs.getByRole('button', { name: 'Save what I’m looking for' }).click();
    await needs.getByRole('status').filter({ hasText: 'Saved.' }).waitFor(LIVE);
    await page.getByRole('link', { name: 'See your profile as others do' }).click();
    await page.getByRole('region', { name: 'Mentoring' }).getByText('Paused', { exact: true }).waitFor(LIVE);
    await page.getByRole('link', { name: 'Mentoring settings' }).click();
    await expect
      .poll(() => page.getByRole('form', { name: 'What I’m looking for' }).getByLabel('Your goals').inputValue(), LIVE)
      .toBe('Lead a team within a year');

    // Tomo, in Tokyo, sees the card: 09:00–12:00 in Kolkata (+05:30) is 12:30–15:30 in Tokyo (+09:00).
    await tomo.page.goto(`${server.url}/people/${encodeURIComponent(mayaId)}`);
    const card = tomo.page.getByRole('region', { name: 'Mentoring' });
    await card.waitFor(LIVE);
    await card.getByText('Paused', { exact: true }).waitFor(LIVE);
    await card.getByText('Career guidance').waitFor();
    await card.getByText('TypeScript · Expert').waitFor();
    await card.getByText(/3 mentees at a time/).waitFor();
    await card.getByText('English, Brazilian Portuguese').waitFor();
    await card.getByRole('columnheader', { name: 'Your time (Asia/Tokyo)' }).waitFor();
    await card.getByRole('columnheader', { name: 'Maya Mentor’s time (Asia/Kolkata)' }).waitFor();
    await card.getByRole('cell', { name: 'Monday 12:30 – 15:30' }).waitFor();
    await card.getByRole('cell', { name: 'Monday 09:00 – 12:00' }).waitFor();
    await expect(card.getByRole('button', { name: /request/i }).count()).resolves.toBe(0);
    await tomo.page.screenshot({ path: screenshotPath('mentoring-card'), fullPage: true });
  }, 120_000);
});
