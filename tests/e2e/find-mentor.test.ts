import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { personIdOf } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { startServer, type TestServer } from '../support/server.js';

// Find a mentor in the browser: a member who has not said what they look for is sent to say it
// first; once they have, a mentor appears with the reasons in words, a filter that nobody matches
// says so, and "Request mentorship" leads to that mentor's request form.

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

describe('find a mentor in the browser', () => {
  it('asks for needs first, then lists a mentor with reasons and links to the request form', async () => {
    const mentor = await signUpMember(browser, server.url, 'Rosa Mentor', VIEWPORT, 'Asia/Tokyo');
    const mentee = await signUpMember(browser, server.url, 'Kenji Mentee', VIEWPORT, 'Asia/Tokyo');
    members.push(mentor, mentee);
    await mentor.gql('mutation($input: SaveMentorProfileInput!) { saveMentorProfile(input: $input) { __typename } }', {
      input: {
        expertise: [{ name: 'Rust', level: 'EXPERT' }],
        helpOffered: ['TECHNICAL_SKILLS'],
        capacity: 2,
        formats: ['VIDEO'],
        cadences: ['WEEKLY'],
        timeZone: 'Asia/Tokyo',
        weeklyHours: [{ weekday: 'TUESDAY', start: '19:00', end: '21:00' }],
        languages: ['ja'],
        askScope: 'EVERYONE',
      },
    });
    const mentorId = await personIdOf(mentor);

    const page = mentee.page;
    await page.goto(`${server.url}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Find a mentor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Find a mentor' }).waitFor(LIVE);
    await page.getByRole('heading', { name: 'First, say what you’re looking for' }).waitFor(LIVE);
    expect(await page.getByRole('link', { name: 'Say what you’re looking for' }).getAttribute('href')).toBe(
      '/settings/mentoring',
    );

    await mentee.gql('mutation($input: SaveMenteeNeedsInput!) { saveMenteeNeeds(input: $input) { __typename } }', {
      input: {
        skills: [{ name: 'Rust', wantedLevel: 'WORKING' }],
        goals: 'Ship my first Rust service.',
        helpWanted: ['TECHNICAL_SKILLS'],
        formats: ['VIDEO'],
        cadence: 'WEEKLY',
        timeZone: 'Asia/Tokyo',
        weeklyHours: [{ weekday: 'TUESDAY', start: '20:00', end: '22:00' }],
        languages: ['ja'],
      },
    });
    await page.reload();
    const card = page.getByRole('listitem', { name: 'Rosa Mentor' });
    await card.waitFor(LIVE);
    for (const reason of [
      'knows Rust at expert level',
      'offers technical skills',
      '1 h of shared working time a week',
      'meets by video call',
      'meets weekly, as you asked',
      'speaks Japanese',
      'has room for 2 more mentees',
    ]) {
      await card.getByText(reason, { exact: true }).waitFor(LIVE);
    }
    await page.screenshot({ path: screenshotPath('find-mentor'), fullPage: true });

    // A filter nobody matches says so.
    await page.getByLabel('Format').selectOption('PHONE');
    await page.getByText('No mentor with room for you matches these filters. Try fewer filters.').waitFor(LIVE);
    await page.getByLabel('Format').selectOption('');
    await card.waitFor(LIVE);

    await card.getByRole('link', { name: 'Request mentorship from Rosa Mentor' }).click();
    await page.waitForURL(`${server.url}/mentors/${encodeURIComponent(mentorId)}/request`, LIVE);
  });
});
