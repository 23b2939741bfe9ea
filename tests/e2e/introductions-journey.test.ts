import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { createPublicGroup, joinGroup, personIdOf } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { startServer, type TestServer } from '../support/server.js';

// Introductions in the browser, three members in their own contexts (own cookies, own WebSocket), all in
// one group: the requester asks from the target's profile, choosing the suggested broker; the broker's page
// shows the request live and they pass it on with a note; the target's page shows it live and they accept;
// the three-way conversation's link appears for all three at once, and it opens with the broker's card.
// Then a target declines: the requester reads only "Did not happen", never who or why.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
// The machine is shared with other test runs: generous waits for live updates.
const LIVE = { timeout: 30_000 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterEach(() => setClockOffset(0));
afterAll(async () => {
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

// Every page at a laptop's width and a phone's, for a person to look at (tests/artifacts).
async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: screenshotPath(`introductions-${name}-phone`), fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: screenshotPath(`introductions-${name}`), fullPage: true });
}

// Console errors break the test: each page must load and update cleanly.
function collectConsoleErrors(member: Member): string[] {
  const errors: string[] = [];
  member.page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`[${member.name}] ${message.text()}`);
  });
  member.page.on('pageerror', (error) => errors.push(`[${member.name}] ${error.message}`));
  return errors;
}

async function openToIntroductions(member: Member): Promise<void> {
  const result = await member.gql<{ updateProfile: { __typename: string } }>(
    'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }',
    { input: { openTo: ['INTRODUCTIONS'] } },
  );
  expect(result.updateProfile.__typename).toBe('UpdateProfilePayload');
}

const PAYLOAD = `__typename ... on IntroductionPayload { introduction { id state } } ... on Error { code message }`;

describe('introductions in the browser', () => {
  it('asks, is passed on live, is accepted, and the conversation opens for all three at once', async () => {
    const ada = await signUpMember(browser, server.url, 'Ada Requester');
    const chen = await signUpMember(browser, server.url, 'Chen Broker');
    const mira = await signUpMember(browser, server.url, 'Mira Target');
    members.push(ada, chen, mira);
    const errors = [ada, chen, mira].flatMap((member) => collectConsoleErrors(member));
    const group = await createPublicGroup(chen, 'Rust Guild');
    await joinGroup(ada, group.id);
    await joinGroup(mira, group.id);
    await openToIntroductions(mira);
    const miraId = await personIdOf(mira);

    // The broker and the target watch their tabs.
    await chen.page.goto(`${server.url}/introductions?tab=introduce`);
    await chen.page.getByText('Nobody has asked you to introduce them yet.').waitFor(LIVE);
    await mira.page.goto(`${server.url}/introductions?tab=for-me`);
    await mira.page.getByText('Nobody has been introduced to you yet.').waitFor(LIVE);

    // Ada asks from Mira's profile; Chen is suggested with the group they share.
    await ada.page.goto(`${server.url}/people/${encodeURIComponent(miraId)}`);
    await ada.page.getByRole('link', { name: 'Ask for an introduction' }).waitFor(LIVE);
    await screenshots(ada.page, 'profile');
    await ada.page.getByRole('link', { name: 'Ask for an introduction' }).click();
    await ada.page.getByRole('heading', { level: 1, name: 'Ask for an introduction to Mira Target' }).waitFor(LIVE);
    const brokers = ada.page.getByRole('group', { name: 'Who should introduce you?' });
    await brokers.getByText('Chen Broker').waitFor(LIVE);
    // The reasons name what they share (the server's words).
    await brokers
      .getByText(/Rust Guild/)
      .first()
      .waitFor();
    await expect(brokers.getByRole('radio', { name: /Chen Broker/ }).isChecked()).resolves.toBe(true);
    await screenshots(ada.page, 'ask');
    // An empty reason is refused on its field, before anything is sent.
    await ada.page.getByRole('button', { name: 'Ask Chen to introduce you' }).click();
    await ada.page.locator('.text-field--invalid').getByText('Say why you want to meet Mira.').waitFor(LIVE);
    await ada.page.getByLabel('Why you want to meet Mira').fill('I am moving into embedded Rust and Mira leads it.');
    await ada.page.getByLabel('What you hope for (optional)').fill('Half an hour on how her team hires.');
    await ada.page.getByRole('button', { name: 'Ask Chen to introduce you' }).click();

    // The new introduction's page, waiting for Chen.
    await ada.page.getByRole('heading', { level: 1, name: 'Introduction' }).waitFor(LIVE);
    const adaCard = ada.page.getByRole('article');
    await adaCard.getByRole('status').getByText('Waiting for Chen').waitFor(LIVE);
    await adaCard.getByText('Half an hour on how her team hires.').waitFor();
    await screenshots(ada.page, 'detail-requester');

    // Live on Chen's tab; he passes it on with a note and his own words for Ada.
    const chenCard = chen.page
      .getByRole('listitem')
      .filter({ hasText: 'Ada Requester would like to meet Mira Target' });
    await chenCard.getByText('I am moving into embedded Rust and Mira leads it.').waitFor(LIVE);
    await chenCard.getByRole('status').getByText('Waiting for you').waitFor();
    await chenCard.getByRole('button', { name: 'Pass it on to Mira' }).click();
    const forward = chenCard.getByRole('form', { name: 'Pass it on to Mira' });
    await expect(forward.getByLabel('How Ada is presented').inputValue()).resolves.toBe(
      'I am moving into embedded Rust and Mira leads it.',
    );
    await forward.getByLabel('Your note to Mira').fill('Ada is sharp and kind; worth half an hour.');
    await forward.getByLabel('How Ada is presented').fill('Ada is moving into embedded Rust; you lead it here.');
    await screenshots(chen.page, 'broker-forward');
    await forward.getByRole('button', { name: 'Pass it on', exact: true }).click();
    await chenCard.getByRole('status').getByText('Passed on — waiting for Mira').waitFor(LIVE);
    // The form went with the step: focus is back on the card's heading, not lost at the top of the page.
    await chen.page.waitForFunction(
      () => document.activeElement?.textContent?.startsWith('Ada Requester would like to meet Mira Target'),
      null,
      LIVE,
    );

    // Ada's page follows live; Mira's tab shows it live, with Chen's words (not Ada's own).
    await adaCard.getByRole('status').getByText('Chen passed it on to Mira').waitFor(LIVE);
    const miraCard = mira.page.getByRole('listitem').filter({ hasText: 'Chen Broker introduces Ada Requester' });
    await miraCard.getByText('Ada is moving into embedded Rust; you lead it here.').waitFor(LIVE);
    await miraCard.getByText('Ada is sharp and kind; worth half an hour.').waitFor();
    await expect(miraCard.getByText('Half an hour on how her team hires.').count()).resolves.toBe(0);
    await expect(miraCard.getByText('I am moving into embedded Rust and Mira leads it.').count()).resolves.toBe(0);
    // The member menu counts what waits for her.
    await mira.page.getByRole('button', { name: /account menu/ }).click();
    await mira.page.getByRole('button', { name: 'Introductions (1 waiting for you)' }).waitFor(LIVE);
    await screenshots(mira.page, 'member-menu');
    await mira.page.keyboard.press('Escape');
    await screenshots(mira.page, 'target-waiting');

    // Mira accepts: the conversation's link appears for all three without a reload.
    await miraCard.getByLabel('Note (optional)').fill('Happy to. Thursday works.');
    await miraCard.getByRole('button', { name: 'Accept the introduction' }).click();
    for (const [page, card] of [
      [mira.page, miraCard],
      [chen.page, chenCard],
      [ada.page, adaCard],
    ] as const) {
      await card.getByRole('status').getByText('Introduced').waitFor(LIVE);
      await card.getByRole('link', { name: 'Open the conversation' }).waitFor(LIVE);
      expect(page.url()).not.toContain('/chat');
    }
    // Ada now reads Chen's note and Mira's.
    await adaCard.getByText('Ada is sharp and kind; worth half an hour.').waitFor(LIVE);
    await adaCard.getByText('Happy to. Thursday works.').waitFor();
    await screenshots(ada.page, 'detail-accepted');
    await screenshots(chen.page, 'broker-introduced');

    // Each opens the three-way conversation; it starts with Chen's card.
    for (const [member, card] of [
      [ada, adaCard],
      [chen, chenCard],
      [mira, miraCard],
    ] as const) {
      await card.getByRole('link', { name: 'Open the conversation' }).click();
      await member.page.getByText('Chen Broker introduced Ada Requester and Mira Target').first().waitFor(LIVE);
    }
    await screenshots(ada.page, 'conversation');
    // The opening card links back to the introduction.
    await mira.page.getByRole('link', { name: 'Chen Broker introduced Ada Requester and Mira Target' }).first().click();
    await mira.page.getByRole('heading', { level: 1, name: 'Introduction' }).waitFor(LIVE);
    await mira.page.getByRole('article').getByRole('status').getByText('Introduced').waitFor(LIVE);

    // Did they connect? Ada answers; Chen sees the outcome.
    await ada.page.goto(`${server.url}/introductions`);
    const adaItem = ada.page.getByRole('listitem').filter({ hasText: 'Meet Mira Target through Chen Broker' });
    await adaItem.getByRole('group', { name: 'Did you connect with Mira Target?' }).waitFor(LIVE);
    await adaItem.getByRole('button', { name: 'Yes' }).click();
    await adaItem.getByRole('button', { name: 'Yes', pressed: true }).waitFor(LIVE);
    await chen.page.goto(`${server.url}/introductions?tab=introduce`);
    await chen.page.getByText(/Ada: connected · Mira: no answer yet/).waitFor(LIVE);
    // Chen steps out of their conversation (asked once more first); its link goes with it.
    const chenItem = chen.page
      .getByRole('listitem')
      .filter({ hasText: 'Ada Requester would like to meet Mira Target' });
    await chenItem.getByRole('button', { name: 'Leave the conversation' }).click();
    await chenItem.getByText('Ada and Mira keep talking').waitFor(LIVE);
    await chenItem.getByRole('button', { name: 'Leave it' }).click();
    await chenItem.getByRole('button', { name: 'Leave the conversation' }).waitFor({ state: 'detached', ...LIVE });
    await chenItem.getByRole('link', { name: 'Open the conversation' }).waitFor({ state: 'detached', ...LIVE });
    await screenshots(ada.page, 'list-requester');

    expect(errors).toEqual([]);
  }, 300_000);

  it('a target declines: the requester reads only "Did not happen", the broker reads who and why', async () => {
    const ada = await signUpMember(browser, server.url, 'Ana Requester');
    const chen = await signUpMember(browser, server.url, 'Cho Broker');
    const noor = await signUpMember(browser, server.url, 'Noor Target');
    members.push(ada, chen, noor);
    const errors = [ada, chen, noor].flatMap((member) => collectConsoleErrors(member));
    const group = await createPublicGroup(chen, 'Platform Guild');
    await joinGroup(ada, group.id);
    await joinGroup(noor, group.id);
    await openToIntroductions(noor);
    const [chenId, noorId] = [await personIdOf(chen), await personIdOf(noor)];

    const asked = await ada.gql<{ requestIntroduction: { introduction?: { id: string }; code?: string } }>(
      `mutation($input: RequestIntroductionInput!) { requestIntroduction(input: $input) { ${PAYLOAD} } }`,
      {
        input: { brokerId: chenId, targetId: noorId, reason: 'Platform teams: I want to learn from Noor.', hopes: '' },
      },
    );
    const introductionId = asked.requestIntroduction.introduction?.id;
    expect(introductionId, JSON.stringify(asked)).toBeTruthy();
    const forwarded = await chen.gql<{ forwardIntroduction: { __typename: string } }>(
      `mutation($input: ForwardIntroductionInput!) { forwardIntroduction(input: $input) { ${PAYLOAD} } }`,
      { input: { introductionId, note: 'Ana is great.' } },
    );
    expect(forwarded.forwardIntroduction.__typename).toBe('IntroductionPayload');

    // Ana watches her request's page while Noor declines with a note for Cho.
    await ada.page.goto(`${server.url}/introductions/${encodeURIComponent(introductionId!)}`);
    const adaCard = ada.page.getByRole('article');
    await adaCard.getByRole('status').getByText('Cho passed it on to Noor').waitFor(LIVE);
    await noor.page.goto(`${server.url}/introductions?tab=for-me`);
    const noorCard = noor.page.getByRole('listitem').filter({ hasText: 'Cho Broker introduces Ana Requester' });
    await noorCard.getByLabel('Note (optional)').fill('Not a good time: a launch this month.');
    await noorCard.getByRole('button', { name: 'Decline' }).click();
    await noorCard.getByRole('status').getByText('You declined').waitFor(LIVE);

    // Ana still reads it as passed on: a decline reaches her when a lapse would, at the end of Noor's
    // step (so its moment says nothing either). The clock moves there and the due jobs run.
    await ada.page.reload();
    await adaCard.getByRole('status').getByText('Cho passed it on to Noor').waitFor(LIVE);
    setClockOffset(Number(server.app.services.env.INTRODUCTIONS_STEP_DAYS) * 86_400_000 + 60_000);
    await runDueJobs(server.app.services);

    // Ana: "Did not happen", live, and nothing about who or why.
    await adaCard.getByRole('status').getByText('Did not happen').waitFor(LIVE);
    const adaText = (await adaCard.textContent()) ?? '';
    expect(adaText).not.toMatch(/declin/i);
    expect(adaText).not.toContain('Not a good time');
    await screenshots(ada.page, 'did-not-happen');

    // Cho reads Noor's answer and note.
    await chen.page.goto(`${server.url}/introductions?tab=introduce`);
    const chenCard = chen.page
      .getByRole('listitem')
      .filter({ hasText: 'Ana Requester would like to meet Noor Target' });
    await chenCard.getByRole('status').getByText('Noor declined').waitFor(LIVE);
    await chenCard.getByText('Not a good time: a launch this month.').waitFor();
    await screenshots(chen.page, 'broker-declined');

    // Noor's profile editor: whom she takes introductions through.
    await noor.page.goto(`${server.url}/profile`);
    const through = noor.page.getByRole('group', { name: 'Take introductions through' });
    await through.getByRole('radio', { name: 'Only people I mentor or am mentored by' }).check();
    await noor.page.getByRole('button', { name: 'Save profile' }).click();
    await noor.page.getByRole('status').getByText('Saved.').waitFor(LIVE);
    const saved = await noor.gql<{ viewer: { introductionsThrough: string } }>(
      'query { viewer { introductionsThrough } }',
    );
    expect(saved.viewer.introductionsThrough).toBe('MENTORSHIPS');
    await through.scrollIntoViewIfNeeded();
    await screenshots(noor.page, 'profile-editor');

    // Nobody can introduce Ana to Noor now (Cho is no mentor of hers): the page says why in words.
    await ada.page.goto(`${server.url}/people/${encodeURIComponent(noorId)}/introduce`);
    await ada.page.getByRole('heading', { name: 'Nobody can introduce you right now' }).waitFor(LIVE);
    await screenshots(ada.page, 'nobody');

    expect(errors).toEqual([]);
  }, 300_000);
  it('a broker says "not now" with a message, a refused request says why by its code, and a request is withdrawn', async () => {
    const ada = await signUpMember(browser, server.url, 'Ida Requester');
    const chen = await signUpMember(browser, server.url, 'Carl Broker');
    const mira = await signUpMember(browser, server.url, 'Maya Target');
    const lena = await signUpMember(browser, server.url, 'Lena Target');
    members.push(ada, chen, mira, lena);
    const errors = [ada, chen].flatMap((member) => collectConsoleErrors(member));
    const group = await createPublicGroup(chen, 'Data Guild');
    for (const member of [ada, mira, lena]) await joinGroup(member, group.id);
    await openToIntroductions(mira);
    await openToIntroductions(lena);
    const [chenId, miraId, lenaId] = [await personIdOf(chen), await personIdOf(mira), await personIdOf(lena)];

    // Carl says "not now" in the browser, with a word for Ida.
    const asked = await ada.gql<{ requestIntroduction: { introduction?: { id: string } } }>(
      `mutation($input: RequestIntroductionInput!) { requestIntroduction(input: $input) { ${PAYLOAD} } }`,
      { input: { brokerId: chenId, targetId: miraId, reason: 'Data platforms: Maya built ours.' } },
    );
    expect(asked.requestIntroduction.introduction).toBeTruthy();
    await chen.page.goto(`${server.url}/introductions?tab=introduce`);
    const chenCard = chen.page
      .getByRole('listitem')
      .filter({ hasText: 'Ida Requester would like to meet Maya Target' });
    await chenCard.getByRole('button', { name: 'Not now' }).click();
    const notNow = chenCard.getByRole('form', { name: 'Not now' });
    await notNow.getByLabel('Message to Ida (optional)').fill('Maya is on leave until spring; ask me then.');
    await screenshots(chen.page, 'broker-not-now');
    await notNow.getByRole('button', { name: 'Send “not now”' }).click();
    await chenCard.getByRole('status').getByText('You said not now').waitFor(LIVE);

    await ada.page.goto(`${server.url}/introductions`);
    const adaCard = ada.page.getByRole('listitem').filter({ hasText: 'Meet Maya Target through Carl Broker' });
    await adaCard.getByRole('status').getByText('Not now').waitFor(LIVE);
    await adaCard.getByText('Maya is on leave until spring; ask me then.').waitFor();

    // Ida opens the form for Lena; Lena stops taking introductions before she sends it: the refusal is said in
    // words, on the form, from its code.
    await ada.page.goto(`${server.url}/people/${encodeURIComponent(lenaId)}/introduce`);
    await ada.page.getByRole('heading', { level: 1, name: 'Ask for an introduction to Lena Target' }).waitFor(LIVE);
    const closed = await lena.gql<{ updateProfile: { __typename: string } }>(
      'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }',
      { input: { openTo: [] } },
    );
    expect(closed.updateProfile.__typename).toBe('UpdateProfilePayload');
    await ada.page.getByLabel('Why you want to meet Lena').fill('Your talk on data contracts changed how we work.');
    await ada.page.getByRole('button', { name: 'Ask Carl to introduce you' }).click();
    const refusal = ada.page
      .getByRole('alert')
      .filter({ hasText: 'Lena Target is not taking introductions right now.' });
    await refusal.waitFor(LIVE);
    await screenshots(ada.page, 'refused');

    // Lena opens up again; Ida asks, then withdraws it from her list.
    await openToIntroductions(lena);
    const again = await ada.gql<{ requestIntroduction: { introduction?: { id: string } } }>(
      `mutation($input: RequestIntroductionInput!) { requestIntroduction(input: $input) { ${PAYLOAD} } }`,
      { input: { brokerId: chenId, targetId: lenaId, reason: 'Your talk on data contracts changed how we work.' } },
    );
    expect(again.requestIntroduction.introduction).toBeTruthy();
    await ada.page.goto(`${server.url}/introductions`);
    const lenaCard = ada.page.getByRole('listitem').filter({ hasText: 'Meet Lena Target through Carl Broker' });
    await lenaCard.getByRole('status').getByText('Waiting for Carl').waitFor(LIVE);
    await lenaCard.getByRole('button', { name: 'Withdraw request' }).click();
    await lenaCard.getByRole('status').getByText('Withdrawn').waitFor(LIVE);
    await expect(lenaCard.getByRole('button', { name: 'Withdraw request' }).count()).resolves.toBe(0);
    // Carl's list follows live.
    await chen.page
      .getByRole('listitem')
      .filter({ hasText: 'Ida Requester would like to meet Lena Target' })
      .getByRole('status')
      .getByText('Withdrawn by Ida')
      .waitFor(LIVE);

    expect(errors).toEqual([]);
  }, 300_000);
});
