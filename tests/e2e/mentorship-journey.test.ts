import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { joinGroup } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { mentorProfileInput, tag } from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// The whole mentorship in the browser, two members in their own contexts and time zones, both alumni
// of one group. Priya (Kolkata) says what she looks for in her settings, finds Lúcia (São Paulo) as a
// suggestion with its reasons in words and asks her; Lúcia's requests page shows the request live and
// she accepts; Priya sees it live. Priya proposes terms, Lúcia accepts them, and both see who proposed
// and who accepted what, when. Priya sets a SMART goal and records progress: each card appears in the
// pair's conversation for both, live, up to the one that completes the goal. Priya celebrates it in
// the group's #wins, picked among its channels (Lúcia, reading it, sees the card arrive) and the badge is on Priya's profile.
//
// Kolkata (+05:30) and São Paulo (−03:00) keep one offset all year, so "1 h of shared working time a
// week" holds on any date: Tuesday 18:30–20:30 in Kolkata is 13:00–15:00 UTC, Lúcia's Tuesday
// 09:00–11:00 is 12:00–14:00 UTC.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
const VIEWPORT = { width: 1280, height: 900 };
// An anti-hang bound for live updates on a shared machine; never an assertion about speed.
const LIVE = { timeout: 30_000 };

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: screenshotPath(`mentorship-journey-${name}`), fullPage: true });
}

describe('a mentorship in the browser, from a suggestion to a celebrated goal', () => {
  it('finds, asks, accepts live, agrees, tracks a goal in the conversation, and celebrates it', async () => {
    const groupName = `Launchpad ${tag()}`;
    const priya = await signUpMember(browser, server.url, 'Priya Mentee', VIEWPORT, 'Asia/Kolkata');
    const lucia = await signUpMember(browser, server.url, 'Lúcia Mentor', VIEWPORT, 'America/Sao_Paulo');
    members.push(priya, lucia);

    // Both are alumni of one group; Lúcia offers mentoring (her settings have their own browser test).
    const created = await priya.gql<{ createGroup: { __typename: string; group?: { id: string } } }>(
      'mutation($input: CreateGroupInput!) { createGroup(input: $input) { __typename ... on GroupPayload { group { id } } } }',
      {
        input: {
          name: groupName,
          kind: 'ALUMNI',
          institution: 'Launchpad Academy',
          visibility: 'PUBLIC',
          description: 'Alumni of the Launchpad bootcamp.',
        },
      },
    );
    const groupId = created.createGroup.group?.id;
    expect(groupId, created.createGroup.__typename).toBeTruthy();
    // A channel for good news beside #general: Priya will pick it to celebrate in.
    await priya.gql('mutation($input: CreateChannelInput!) { createChannel(input: $input) { __typename } }', {
      input: { groupId, name: 'wins', topic: 'Good news from alumni' },
    });
    await joinGroup(lucia, groupId!);
    await lucia.gql('mutation($input: SaveMentorProfileInput!) { saveMentorProfile(input: $input) { __typename } }', {
      input: mentorProfileInput({
        expertise: [{ name: 'TypeScript', level: 'EXPERT' }],
        helpOffered: ['CAREER_GUIDANCE', 'TECHNICAL_SKILLS'],
        capacity: 2,
        formats: ['VIDEO'],
        cadences: ['WEEKLY'],
        timeZone: 'America/Sao_Paulo',
        weeklyHours: [{ weekday: 'TUESDAY', start: '09:00', end: '11:00' }],
        languages: ['pt'],
      }),
    });

    // Lúcia watches her received requests.
    await lucia.page.goto(`${server.url}/mentorship/requests`);
    await lucia.page.getByText('Nobody has asked you yet.').waitFor(LIVE);

    // Priya says what she looks for, in her settings, with her hours in her own zone.
    const page = priya.page;
    await page.goto(`${server.url}/settings/mentoring`);
    const needs = page.getByRole('form', { name: 'What I’m looking for' });
    await needs.waitFor(LIVE);
    await needs.getByRole('button', { name: 'Add a skill to develop' }).click();
    await needs.getByRole('textbox', { name: 'Skill to develop 1' }).fill('TypeScript');
    await needs.getByLabel('Level now (skill 1)').selectOption('WORKING');
    await needs.getByLabel('Level wanted (skill 1)').selectOption('EXPERT');
    await needs.getByLabel('Your goals').fill('Give my first conference talk, about TypeScript.');
    await needs.getByRole('checkbox', { name: 'Career guidance' }).check();
    await needs.getByRole('checkbox', { name: 'Video call' }).check();
    await needs.getByLabel('Languages you can be mentored in').fill('pt, en');
    await needs.getByLabel('How often you’d like to meet').selectOption('WEEKLY');
    await expect(needs.getByLabel('Time zone of your hours').inputValue()).resolves.toBe('Asia/Kolkata');
    await needs.getByRole('button', { name: 'Add hours' }).click();
    await needs.getByLabel('Day of range 1').selectOption('TUESDAY');
    await needs.getByLabel('From (range 1)').fill('18:30');
    await needs.getByLabel('To (range 1)').fill('20:30');
    await needs.getByRole('button', { name: 'Save what I’m looking for' }).click();
    await needs.getByRole('status').filter({ hasText: 'Saved.' }).waitFor(LIVE);

    // Find a mentor: Lúcia, with the reasons in words.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Find a mentor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Find a mentor' }).waitFor(LIVE);
    const suggestion = page.getByRole('listitem', { name: 'Lúcia Mentor' });
    await suggestion.waitFor(LIVE);
    for (const reason of [
      'knows TypeScript at expert level',
      'offers career guidance',
      `both alumni of ${groupName}`,
      '1 h of shared working time a week',
      'meets by video call',
      'meets weekly, as you asked',
      'speaks Portuguese',
      'has room for 2 more mentees',
    ]) {
      await suggestion.getByText(reason, { exact: true }).waitFor(LIVE);
    }
    await shoot(page, '1-suggestion');

    // She asks.
    await suggestion.getByRole('link', { name: 'Request mentorship from Lúcia Mentor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ask Lúcia Mentor to mentor you' }).waitFor(LIVE);
    const form = page.getByRole('form', { name: 'Your request' });
    await expect(form.getByLabel('Your goals').inputValue()).resolves.toBe(
      'Give my first conference talk, about TypeScript.',
    );
    await form.getByLabel('Message').fill('Olá Lúcia! I would love your help with my first talk.');
    await form.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Request sent' }).waitFor(LIVE);
    await page.getByRole('link', { name: 'See your requests' }).click();
    const sent = page.getByRole('listitem').filter({ hasText: 'Lúcia Mentor' });
    await sent.locator('.tag').getByText('Waiting for an answer').waitFor(LIVE);

    // Live on Lúcia's page, without a reload; she accepts.
    const received = lucia.page.getByRole('listitem').filter({ hasText: 'Priya Mentee' });
    await received.getByText('Olá Lúcia! I would love your help with my first talk.').waitFor(LIVE);
    await shoot(lucia.page, '2-request-received');
    await received.getByLabel('Note (optional)').fill('Com prazer! Send me your abstract.');
    await received.getByRole('button', { name: 'Accept' }).click();
    await received.locator('.tag').getByText('Accepted').waitFor(LIVE);

    // Priya sees the acceptance live, and opens the mentorship.
    await sent.locator('.tag').getByText('Accepted').waitFor(LIVE);
    await sent.getByText('Com prazer! Send me your abstract.').waitFor();
    await sent.getByRole('link', { name: 'Open the mentorship' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mentored by Lúcia Mentor' }).waitFor(LIVE);
    await page.getByText('No agreement yet.', { exact: false }).waitFor(LIVE);
    await received.getByRole('link', { name: 'Open the mentorship' }).click();
    await lucia.page.getByRole('heading', { level: 1, name: 'Mentoring Priya Mentee' }).waitFor(LIVE);

    // Priya proposes terms; Lúcia sees them live and accepts.
    await page.getByRole('button', { name: 'Propose terms' }).click();
    const terms = page.getByRole('form', { name: 'Propose terms' });
    await terms.getByLabel('How often').selectOption('WEEKLY');
    await terms.getByLabel('Session length (minutes)').fill('30');
    await terms.getByLabel('What the mentee can expect of the mentor').fill('Feedback on each draft within a week.');
    await terms.getByLabel('What the mentor can expect of the mentee').fill('A new draft before every session.');
    await terms.getByRole('button', { name: 'Propose' }).click();
    await page.getByText('Waiting for Lúcia Mentor to accept.', { exact: false }).waitFor(LIVE);

    const luciaAgreement = lucia.page.getByRole('region', { name: 'Agreement' });
    await luciaAgreement.getByText('Feedback on each draft within a week.').waitFor(LIVE);
    await luciaAgreement.getByText(/^Priya Mentee proposed this on /).waitFor(LIVE);
    await luciaAgreement.getByRole('button', { name: 'Accept these terms' }).click();
    await luciaAgreement.getByText('Version 1 in force').waitFor(LIVE);
    const priyaAgreement = page.getByRole('region', { name: 'Agreement' });
    await priyaAgreement.getByText('Version 1 in force').waitFor(LIVE);

    // Both see who proposed and who accepted what, when.
    // Each in their own zone: Kolkata's clock is 8 h 30 min ahead of São Paulo's.
    const acceptedAt: number[] = [];
    for (const agreement of [priyaAgreement, luciaAgreement]) {
      await agreement.getByText('History (1 version)').click();
      const version = agreement
        .getByRole('listitem')
        .filter({ hasText: /proposed by Priya Mentee on .+ · accepted by Lúcia Mentor on / });
      await version.waitFor(LIVE);
      const [, hours, minutes] = /accepted by Lúcia Mentor on .+, (\d{2}):(\d{2})$/.exec(
        (await version.textContent())!.trim(),
      )!;
      acceptedAt.push(Number(hours) * 60 + Number(minutes));
    }
    expect((acceptedAt[0]! - acceptedAt[1]! + 24 * 60) % (24 * 60)).toBe(8 * 60 + 30);
    await shoot(page, '3-agreement-mentee');
    await shoot(lucia.page, '3-agreement-mentor');

    // A SMART goal: its card appears in the conversation for both.
    const priyaChat = page.getByRole('region', { name: 'Conversation' });
    const luciaChat = lucia.page.getByRole('region', { name: 'Conversation' });
    const goalTitle = 'Give a conference talk';
    await page.getByRole('button', { name: 'Add a goal' }).click();
    const goalForm = page.getByRole('form', { name: 'New goal' });
    await goalForm.getByLabel('Goal', { exact: true }).fill(goalTitle);
    await goalForm.getByLabel('Specific outcome').fill('Two talks accepted at a meetup or conference.');
    await goalForm.getByRole('radio', { name: /A number/ }).check();
    await goalForm.getByRole('spinbutton', { name: 'Start' }).fill('0');
    await goalForm.getByRole('spinbutton', { name: 'Target' }).fill('2');
    await goalForm.getByRole('textbox', { name: 'Unit' }).fill('talks');
    await goalForm.getByLabel('Why it matters').fill('Speaking is how I want to grow as an engineer.');
    await goalForm.getByRole('button', { name: 'Add goal' }).click();
    for (const chat of [priyaChat, luciaChat]) {
      const card = chat.getByRole('region', { name: `New goal: ${goalTitle}` });
      await card.waitFor(LIVE);
      // The due day in words, as the goal beside it says it ("Due Sun, 7 Mar 2027"), not 2027-03-07.
      await card.getByText(/^Due [A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}$/).waitFor();
    }
    const luciaGoals = lucia.page.getByRole('region', { name: 'Goals' });
    await luciaGoals.getByRole('heading', { name: goalTitle }).waitFor(LIVE);

    // Progress: a card for both, live.
    const priyaGoal = page
      .getByRole('region', { name: 'Goals' })
      .getByRole('listitem')
      .filter({
        has: page.getByRole('heading', { name: goalTitle }),
      });
    await priyaGoal.getByRole('button', { name: 'Record progress' }).click();
    const progress = page.getByRole('form', { name: `Progress on ${goalTitle}` });
    await progress.getByLabel('Where it stands now (talks)').fill('1');
    await progress.getByLabel('Note (optional)').fill('Accepted at the Kolkata TypeScript meetup!');
    await progress.getByRole('button', { name: 'Post update' }).click();
    for (const chat of [priyaChat, luciaChat]) {
      const card = chat.getByRole('region', { name: `Progress on ${goalTitle}` });
      await card.getByText('Accepted at the Kolkata TypeScript meetup!').waitFor(LIVE);
      await card.getByRole('progressbar', { name: '1 of 2 talks' }).waitFor(LIVE);
    }
    await luciaGoals.getByRole('progressbar', { name: `${goalTitle}: 50% done` }).waitFor(LIVE);
    await shoot(page, '4-progress-mentee');
    await shoot(lucia.page, '4-progress-mentor');

    // Reaching the target completes the goal: both see the completed card and the goal done.
    await priyaGoal.getByRole('button', { name: 'Record progress' }).click();
    await progress.getByLabel('Where it stands now (talks)').fill('2');
    await progress.getByLabel('Note (optional)').fill('And the second one, at a conference.');
    await progress.getByRole('button', { name: 'Post update' }).click();
    for (const chat of [priyaChat, luciaChat]) {
      await chat.getByRole('region', { name: `Goal completed: ${goalTitle}` }).waitFor(LIVE);
    }
    await luciaGoals.getByText('1 of 1 completed').waitFor(LIVE);
    await priyaGoal.getByText('Completed', { exact: true }).waitFor(LIVE);
    await shoot(lucia.page, '5-completed-mentor');

    // Lúcia reads the group's #wins; Priya picks that channel (under its group) and celebrates the goal there.
    await lucia.page.goto(`${server.url}/chat`);
    await lucia.page
      .getByRole('region', { name: groupName })
      .getByRole('link', { name: /^wins\b/ })
      .click();
    await lucia.page.getByRole('heading', { level: 1, name: 'wins channel' }).waitFor(LIVE);

    await priyaGoal.getByRole('button', { name: 'Celebrate 🎉' }).click();
    const celebrate = page.getByRole('dialog', { name: `Celebrate “${goalTitle}”` });
    const where = celebrate.getByLabel('Share it in a group channel');
    // The group's channels under its name, after the choice not to post at all.
    await expect(where.locator('option').first().textContent()).resolves.toBe('Don’t post, only add the badge');
    const inGroup = where.locator(`optgroup[label="${groupName}"] > option`);
    // The channels arrive with the dialog's own query: wait for them (allTextContents does not wait).
    await inGroup.filter({ hasText: '#wins' }).waitFor({ ...LIVE, state: 'attached' });
    await expect(inGroup.allTextContents()).resolves.toEqual(['#general', '#wins']);
    await where.selectOption(await inGroup.filter({ hasText: '#wins' }).getAttribute('value'));
    await celebrate.getByRole('radio', { name: 'All members' }).check();
    await shoot(page, '6-celebrate-dialog');
    await celebrate.getByRole('button', { name: 'Celebrate', exact: true }).click();
    await priyaGoal.getByText('Celebrated — it shows as a badge on your profile.').waitFor(LIVE);

    // The card arrives in #wins live; its title leads to Priya's profile with the badge.
    const channelCard = lucia.page.getByRole('region', {
      name: `🎉 Priya Mentee reached a mentorship goal: ${goalTitle}`,
    });
    await channelCard.waitFor(LIVE);
    await channelCard.getByText('Two talks accepted at a meetup or conference.').waitFor();
    await shoot(lucia.page, '7-channel-card');
    await channelCard.getByRole('link').click();
    await lucia.page.getByRole('heading', { level: 1, name: 'Priya Mentee' }).waitFor(LIVE);
    await lucia.page.getByRole('region', { name: 'Achievements' }).getByText(`🏅 ${goalTitle}`).waitFor(LIVE);
    await shoot(lucia.page, '8-profile-badge');

    // Seven items in the main navigation (two of them mentorship's) stay clear of the account menu on a
    // laptop and a tablet: they once ran under it, and Mentorship and Chat could not be clicked at 1024px.
    for (const width of [1024, 1280]) {
      await lucia.page.setViewportSize({ width, height: 900 });
      const chat = await lucia.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /^Chat/ })
        .boundingBox();
      const account = await lucia.page.getByRole('button', { name: /account menu/ }).boundingBox();
      const bell = await lucia.page.getByRole('link', { name: /^Notifications/ }).boundingBox();
      for (const other of [account!, bell!]) {
        const apart =
          chat!.x + chat!.width <= other.x || chat!.y + chat!.height <= other.y || other.y + other.height <= chat!.y;
        expect(apart, `at ${width}px the Chat link overlaps the header's ${JSON.stringify(other)}`).toBe(true);
      }
    }
  }, 300_000);
});
