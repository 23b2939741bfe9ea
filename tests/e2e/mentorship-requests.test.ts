import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { joinGroup, personIdOf } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { mentorProfileInput } from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// Requests and the relationship in the browser, two members in their own contexts: the mentee asks
// from the mentor's profile (an empty message is refused on its field, the goals come prefilled from
// her needs), the mentor's requests page shows it live and she accepts with a note, the mentee's
// sent tab turns to Accepted live; on the mentorship page the mentor proposes terms, the mentee
// accepts them live, and the pair's conversation is shown beside the agreement.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
// The machine is shared with other test runs: generous waits for live updates.
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

describe('mentorship requests in the browser', () => {
  it('asks from a profile, is accepted live, and agrees terms beside the conversation', async () => {
    const ada = await signUpMember(browser, server.url, 'Ada Mentee');
    const grace = await signUpMember(browser, server.url, 'Grace Mentor');
    members.push(ada, grace);
    await grace.gql('mutation($input: SaveMentorProfileInput!) { saveMentorProfile(input: $input) { __typename } }', {
      input: mentorProfileInput(),
    });
    await ada.gql('mutation($input: SaveMenteeNeedsInput!) { saveMenteeNeeds(input: $input) { __typename } }', {
      input: {
        skills: [],
        goals: 'Give my first conference talk',
        helpWanted: ['CAREER_GUIDANCE'],
        formats: ['VIDEO'],
        timeZone: 'Europe/London',
        weeklyHours: [],
      },
    });
    const graceId = await personIdOf(grace);

    // Grace watches her received requests.
    await grace.page.goto(`${server.url}/mentorship/requests`);
    await grace.page.getByText('Nobody has asked you yet.').waitFor(LIVE);

    // Ada asks from Grace's profile.
    await ada.page.goto(`${server.url}/people/${encodeURIComponent(graceId)}`);
    await ada.page.getByRole('region', { name: 'Mentoring' }).getByRole('link', { name: 'Request mentorship' }).click();
    await ada.page.getByRole('heading', { level: 1, name: 'Ask Grace Mentor to mentor you' }).waitFor(LIVE);
    const form = ada.page.getByRole('form', { name: 'Your request' });
    await expect(form.getByLabel('Your goals').inputValue()).resolves.toBe('Give my first conference talk');
    await form.getByRole('button', { name: 'Send request' }).click();
    await form.locator('.text-field--invalid').getByText('Write a message to the mentor.').waitFor(LIVE);
    await form.getByLabel('Message').fill('I am Ada; I would love your help with talks.');
    await form.getByRole('button', { name: 'Send request' }).click();
    await ada.page.getByRole('heading', { name: 'Request sent' }).waitFor(LIVE);
    await ada.page.getByRole('link', { name: 'See your requests' }).click();
    const sent = ada.page.getByRole('listitem').filter({ hasText: 'Grace Mentor' });
    await sent.locator('.tag').getByText('Waiting for an answer').waitFor(LIVE);
    await sent.getByText('Expires').waitFor();

    // Live on Grace's page; she accepts with a note.
    const received = grace.page.getByRole('listitem').filter({ hasText: 'Ada Mentee' });
    await received.getByText('I am Ada; I would love your help with talks.').waitFor(LIVE);
    await received.getByLabel('Note (optional)').fill('Happy to! Bring a draft.');
    await received.getByRole('button', { name: 'Accept' }).click();
    await received.locator('.tag').getByText('Accepted').waitFor(LIVE);

    // Ada's sent tab follows live, with Grace's note.
    await sent.locator('.tag').getByText('Accepted').waitFor(LIVE);
    await sent.getByText('Happy to! Bring a draft.').waitFor();
    await sent.getByRole('link', { name: 'Open the mentorship' }).click();
    await ada.page.getByRole('heading', { level: 1, name: 'Mentored by Grace Mentor' }).waitFor(LIVE);
    await ada.page.getByText('No agreement yet.').waitFor();
    const adaChat = ada.page.getByRole('region', { name: 'Conversation' });
    await adaChat.getByRole('textbox').fill('Hello Grace, here is my first draft.');
    await adaChat.getByRole('textbox').press('Enter');

    // Grace proposes terms from her side of the same mentorship.
    await received.getByRole('link', { name: 'Open the mentorship' }).click();
    await grace.page.getByRole('heading', { level: 1, name: 'Mentoring Ada Mentee' }).waitFor(LIVE);
    // The pair's conversation, beside the agreement.
    await grace.page
      .getByRole('region', { name: 'Conversation' })
      .getByText('Hello Grace, here is my first draft.')
      .waitFor(LIVE);
    await grace.page.getByRole('button', { name: 'Propose terms' }).click();
    const terms = grace.page.getByRole('form', { name: 'Propose terms' });
    await terms.getByLabel('Session length (minutes)').fill('5');
    await terms.getByRole('button', { name: 'Propose' }).click();
    await terms.locator('.text-field--invalid').getByText('At least 15 minutes.').waitFor(LIVE);
    await terms.getByLabel('Session length (minutes)').fill('45');
    await terms.getByLabel('What the mentee can expect of the mentor').fill('Feedback on every draft within two days.');
    await terms.getByLabel('What the mentor can expect of the mentee').fill('A draft before each session.');
    await terms.getByRole('button', { name: 'Propose' }).click();
    await grace.page.getByText('Waiting for Ada Mentee to accept.').waitFor(LIVE);

    // Ada sees the proposal live and accepts it; both see it in force.
    await ada.page.getByText('Feedback on every draft within two days.').waitFor(LIVE);
    await ada.page.getByRole('button', { name: 'Accept these terms' }).click();
    await ada.page.getByText('Version 1 in force').waitFor(LIVE);
    await grace.page.getByText('Version 1 in force').waitFor(LIVE);
    await ada.page.screenshot({ path: screenshotPath('mentorship-page'), fullPage: true });
  }, 240_000);

  it('a program admin pairs two members from the group page; both agree on their requests pages and it starts', async () => {
    const [admin, mentor, mentee] = [
      await signUpMember(browser, server.url, 'Pat Admin'),
      await signUpMember(browser, server.url, 'Lin Mentor'),
      await signUpMember(browser, server.url, 'Sam Mentee'),
    ];
    members.push(admin, mentor, mentee);
    const created = await admin.gql<{ createGroup: { group: { id: string; slug: string } } }>(
      'mutation($input: CreateGroupInput!) { createGroup(input: $input) { ... on GroupPayload { group { id slug } } } }',
      { input: { name: 'Launchpad', kind: 'PROGRAM', visibility: 'PUBLIC', description: 'A mentoring program.' } },
    );
    const program = created.createGroup.group;
    await joinGroup(mentor, program.id);
    await joinGroup(mentee, program.id);
    await mentor.gql('mutation($input: SaveMentorProfileInput!) { saveMentorProfile(input: $input) { __typename } }', {
      input: mentorProfileInput(),
    });

    await admin.page.goto(`${server.url}/groups/${program.slug}`);
    await admin.page.getByRole('link', { name: 'Pair members' }).click();
    await admin.page.getByRole('heading', { level: 1, name: 'Pair mentors and mentees' }).waitFor(LIVE);
    await admin.page.getByText('No pairings proposed yet.').waitFor();
    const form = admin.page.getByRole('form', { name: 'Propose a pairing' });
    await form.getByRole('button', { name: 'Propose pairing' }).click();
    await form.locator('.text-field--invalid').getByText('Choose the mentor.').waitFor(LIVE);
    await form.getByLabel('Mentor', { exact: true }).selectOption({ label: 'Lin Mentor' });
    await form.getByLabel('Mentee', { exact: true }).selectOption({ label: 'Sam Mentee' });
    await form.getByLabel('Why these two').fill('Both into Rust; Sam wants to give talks.');
    await form.getByRole('button', { name: 'Propose pairing' }).click();
    await form.getByText('Proposed. Both members were told.').waitFor(LIVE);
    const pairing = admin.page.getByRole('list', { name: 'Pairings' }).getByRole('listitem');
    await pairing.getByText('Lin Mentor mentoring Sam Mentee').waitFor(LIVE);
    await pairing.getByText(/the mentor has not answered, the mentee has not answered/).waitFor();

    // The mentor agrees first; the admin's page follows live.
    await mentor.page.goto(`${server.url}/mentorship/requests`);
    const forMentor = mentor.page.getByRole('listitem').filter({ hasText: 'Sam Mentee' });
    await forMentor.getByText('Both into Rust; Sam wants to give talks.').waitFor(LIVE);
    await forMentor.getByRole('button', { name: 'Agree' }).click();
    await forMentor.getByText('The mentor has agreed.').waitFor(LIVE);
    await pairing.getByText(/the mentor agreed, the mentee has not answered/).waitFor(LIVE);

    // The mentee agrees: it starts, and both can open it; the admin sees Accepted.
    await mentee.page.goto(`${server.url}/mentorship/requests`);
    const forMentee = mentee.page.getByRole('listitem').filter({ hasText: 'Lin Mentor' });
    await forMentee.getByRole('button', { name: 'Agree' }).click();
    await forMentee.locator('.tag').getByText('Accepted').waitFor(LIVE);
    await pairing.locator('.tag').getByText('Accepted').waitFor(LIVE);
    await forMentee.getByRole('link', { name: 'Open the mentorship' }).click();
    await mentee.page.getByRole('heading', { level: 1, name: 'Mentored by Lin Mentor' }).waitFor(LIVE);
    await mentee.page.getByText('in Launchpad').waitFor();
  }, 240_000);
});
