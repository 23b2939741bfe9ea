import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { personIdOf } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { mentorProfileInput } from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// The running relationship in the browser, two members in their own contexts on the one-mentorship
// page: a SMART goal refused on its field then added, its progress cards reaching the mentor's
// conversation live, completion and the celebrate dialog (#general, picked under its group; the badge's
// visibility), a check-in whose private note only its author sees, feedback saying the pairing is not
// working offering the way out, and the end with an exit review that the other side sees live.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
const LIVE = { timeout: 30_000 };

type Result = Record<string, { __typename: string } & Record<string, { id: string }>>;

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

describe('goals, check-ins and the end in the browser', () => {
  it('runs a mentorship from a first goal to its exit review', async () => {
    const ada = await signUpMember(browser, server.url, 'Ada Mentee');
    const grace = await signUpMember(browser, server.url, 'Grace Mentor');
    members.push(ada, grace);
    await grace.gql('mutation($input: SaveMentorProfileInput!) { saveMentorProfile(input: $input) { __typename } }', {
      input: mentorProfileInput(),
    });
    const asked = await ada.gql<Result>(
      'mutation($input: RequestMentorshipInput!) { requestMentorship(input: $input) { __typename ... on MentorshipRequestPayload { request { id } } } }',
      { input: { mentorId: await personIdOf(grace), message: 'Please help me with talks.', goals: 'Talks' } },
    );
    const accepted = await grace.gql<{
      acceptMentorshipRequest: { request: { mentorship: { id: string } } };
    }>(
      'mutation($input: AcceptMentorshipRequestInput!) { acceptMentorshipRequest(input: $input) { __typename ... on MentorshipRequestPayload { request { mentorship { id } } } } }',
      { input: { requestId: asked.requestMentorship!.request!.id } },
    );
    const mentorshipId = accepted.acceptMentorshipRequest.request.mentorship.id;
    await ada.gql('mutation($input: CreateGroupInput!) { createGroup(input: $input) { __typename } }', {
      input: { name: 'Ada Speakers Circle', visibility: 'PUBLIC', kind: 'COMMUNITY' },
    });
    const path = `${server.url}/mentorships/${encodeURIComponent(mentorshipId)}`;
    await ada.page.goto(path);
    await grace.page.goto(path);
    const adaGoals = ada.page.getByRole('region', { name: 'Goals' });
    const graceGoals = grace.page.getByRole('region', { name: 'Goals' });
    await adaGoals.getByText('No goals yet.').waitFor(LIVE);

    // A SMART goal: an incomplete one is refused on its fields, then added.
    await adaGoals.getByRole('button', { name: 'Add a goal' }).click();
    const form = adaGoals.getByRole('form', { name: 'New goal' });
    await form.getByRole('button', { name: 'Add goal' }).click();
    await form.locator('.text-field--invalid').getByText('Say what the goal is.').waitFor(LIVE);
    await form.getByLabel('Goal', { exact: true }).fill('Give three talks');
    await form.getByLabel('Specific outcome').fill('Three accepted talks at meetups');
    await form.getByLabel('Target', { exact: true }).fill('3');
    await form.getByLabel('Unit', { exact: true }).fill('talks');
    await form.getByLabel('Why it matters').fill('To be known for my work');
    await form.getByRole('button', { name: 'Add goal' }).click();
    await adaGoals.getByRole('heading', { name: 'Give three talks' }).waitFor(LIVE);
    // Editing it: a due day in the past is refused on its field; a new outcome is saved.
    await adaGoals.getByRole('button', { name: 'Edit' }).click();
    const edit = adaGoals.getByRole('form', { name: 'Edit Give three talks' });
    await edit.getByLabel('Due on').fill('2020-01-01');
    await edit.getByRole('button', { name: 'Save goal' }).click();
    await edit.locator('.text-field--invalid').getByText('Pick today or a later day.').waitFor(LIVE);
    await edit.getByLabel('Due on').fill('2099-06-30');
    await edit.getByLabel('Specific outcome').fill('Three accepted talks at meetups or conferences');
    await edit.getByRole('button', { name: 'Save goal' }).click();
    await adaGoals.getByText('Three accepted talks at meetups or conferences').waitFor(LIVE);

    // The mentor sees the goal and its card live; progress posts another card into the conversation.
    await graceGoals.getByRole('heading', { name: 'Give three talks' }).waitFor(LIVE);
    const graceChat = grace.page.getByRole('region', { name: 'Conversation' });
    await graceChat.getByRole('region', { name: 'New goal: Give three talks' }).waitFor(LIVE);
    await adaGoals.getByRole('button', { name: 'Record progress' }).click();
    const progress = adaGoals.getByRole('form', { name: 'Progress on Give three talks' });
    await progress.getByLabel('Where it stands now (talks)').fill('1');
    await progress.getByLabel('Note (optional)').fill('First talk accepted at TSConf');
    await progress.getByRole('button', { name: 'Post update' }).click();
    const card = graceChat.getByRole('region', { name: 'Progress on Give three talks' });
    await card.getByText('First talk accepted at TSConf').waitFor(LIVE);
    await card.getByText('1 of 3 talks').waitFor();
    await graceGoals.getByText('1 of 3 talks · 33%').waitFor(LIVE);

    // Reaching the target completes it; the mentee celebrates in her group's #general.
    await adaGoals.getByRole('button', { name: 'Record progress' }).click();
    await progress.getByLabel('Where it stands now (talks)').fill('3');
    await progress.getByRole('button', { name: 'Post update' }).click();
    await graceChat.getByRole('region', { name: 'Goal completed: Give three talks' }).waitFor(LIVE);
    await expect(graceGoals.getByRole('button', { name: 'Celebrate 🎉' }).count()).resolves.toBe(0);
    await adaGoals.getByRole('button', { name: 'Celebrate 🎉' }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Celebrate “Give three talks”' });
    const where = dialog.getByLabel('Share it in a group channel');
    const general = where.locator('optgroup[label="Ada Speakers Circle"] > option', { hasText: '#general' });
    await where.selectOption(await general.getAttribute('value'));
    await dialog.getByLabel('All members').check();
    await dialog.getByRole('button', { name: 'Celebrate' }).click();
    await adaGoals.getByText('Celebrated — it shows as a badge on your profile.').waitFor(LIVE);

    // A check-in: the mentor's private note is hers alone; the mentee says the pairing is not working.
    const graceCheckIns = grace.page.getByRole('region', { name: 'Check-ins' });
    const adaCheckIns = ada.page.getByRole('region', { name: 'Check-ins' });
    await graceCheckIns.getByRole('button', { name: 'Record a check-in' }).click();
    const checkIn = graceCheckIns.getByRole('form', { name: 'Record a check-in' });
    await checkIn.getByLabel('Shared notes').fill('We planned the next talk.');
    await checkIn.getByLabel('Private note — only you see this').fill('Grace thinks Ada is overcommitted');
    await checkIn.getByRole('button', { name: 'Save check-in' }).click();
    await graceCheckIns.getByText('Grace thinks Ada is overcommitted').waitFor(LIVE);
    await adaCheckIns.getByText('We planned the next talk.').waitFor(LIVE);
    await expect(ada.page.getByText('Grace thinks Ada is overcommitted').count()).resolves.toBe(0);
    await adaCheckIns.getByRole('button', { name: 'Give feedback' }).click();
    const feedback = adaCheckIns.getByRole('form', { name: 'Feedback on this check-in' });
    await feedback.getByLabel('2', { exact: true }).check();
    await feedback.getByLabel('Not really').check();
    await feedback.getByRole('button', { name: 'Send feedback' }).click();
    await graceCheckIns.getByText('This pairing may not be working').waitFor(LIVE);
    await graceCheckIns.getByRole('link', { name: 'Find a new mentor' }).waitFor();

    // The mentor ends it with her review; the mentee sees it live and adds hers.
    await graceCheckIns.getByRole('button', { name: 'End the mentorship' }).click();
    const end = grace.page.getByRole('dialog', { name: 'End this mentorship' });
    await end.getByRole('button', { name: 'End mentorship' }).click();
    await end.locator('.text-field--invalid').getByText('Say what went well.').waitFor(LIVE);
    await end.getByLabel('What went well').fill('Ada prepared every session.');
    await end.getByLabel('Partly met').check();
    await end.getByRole('button', { name: 'End mentorship' }).click();
    const adaEnding = ada.page.getByRole('region', { name: 'How it ended' });
    await adaEnding.getByText('Ada prepared every session.').waitFor(LIVE);
    await adaEnding.getByLabel('What went well').fill('Grace was generous with her time.');
    await adaEnding.getByRole('button', { name: 'Add my review' }).click();
    await grace.page
      .getByRole('region', { name: 'How it ended' })
      .getByText('Grace was generous with her time.')
      .waitFor(LIVE);
    await ada.page.screenshot({ path: screenshotPath('mentorship-goals'), fullPage: true });

    // The badge on her profile.
    await grace.page.goto(`${server.url}/people/${encodeURIComponent(await personIdOf(ada))}`);
    await grace.page.getByRole('region', { name: 'Achievements' }).getByText('Give three talks').waitFor(LIVE);
  }, 300_000);
});
