import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { createPublicGroup, joinGroup, personIdOf } from '../support/chat-browser.js';
import { type Member, signUpMember } from '../support/community-browser.js';
import { mentorProfileInput } from '../support/mentorship.js';
import { officeHoursInput } from '../support/office-hours.js';
import { startServer, type TestServer } from '../support/server.js';

// Every action one click from a person, in a real browser: from a profile and from a directory card,
// a message, a mentorship request, office hours and an introduction each lead where they should, and
// what is not possible says why instead of offering a button. Then join requests decided in place:
// the owner sees how many wait on the group page and approves one there, and approves the other from
// its notification.

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

async function ok(member: Member, mutation: string, input: Record<string, unknown>, typename: string) {
  const name = mutation.split('(')[0]!;
  const inputType = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
  const data = await member.gql<Record<string, { __typename: string }>>(
    `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename } }`,
    { input },
  );
  expect(data[name]!.__typename).toBe(typename);
}

/** Clicks `name` in `scope`, checks where it led, and comes back. */
async function follow(page: Page, scope: ReturnType<Page['locator']>, name: string, arrived: () => Promise<void>) {
  const back = page.url();
  await scope.getByRole(name === 'Send a message' ? 'button' : 'link', { name, exact: true }).click();
  await arrived();
  await page.goto(back);
}

describe('profile actions', () => {
  it('offers every possible action from a profile and a directory card, and says why not for the rest', async () => {
    const ada = await signUpMember(browser, server.url, 'Ada Viewer');
    const mira = await signUpMember(browser, server.url, 'Mira Mentor');
    const chen = await signUpMember(browser, server.url, 'Chen Broker');
    const paula = await signUpMember(browser, server.url, 'Paula Paused');
    members.push(ada, mira, chen, paula);
    // Mira mentors, hosts office hours and takes introductions; Chen shares a group with both.
    await ok(mira, 'saveMentorProfile', mentorProfileInput(), 'SaveMentorProfilePayload');
    await ok(mira, 'publishOfficeHours', officeHoursInput(), 'OfficeHoursPayload');
    await ok(mira, 'updateProfile', { openTo: ['INTRODUCTIONS'] }, 'UpdateProfilePayload');
    const group = await createPublicGroup(chen, 'Actions Guild');
    await joinGroup(ada, group.id);
    await joinGroup(mira, group.id);
    // Paula mentors but has paused.
    await ok(paula, 'saveMentorProfile', mentorProfileInput({ accepting: false }), 'SaveMentorProfilePayload');
    const [miraId, paulaId] = [await personIdOf(mira), await personIdOf(paula)];
    const page = ada.page;

    // From Mira's profile: all four, each leading to its place.
    await page.goto(`${server.url}/people/${encodeURIComponent(miraId)}`);
    const actions = page.getByRole('region', { name: 'What you can do' });
    await actions.getByRole('list', { name: 'Actions for Mira Mentor' }).waitFor(LIVE);
    await page.screenshot({ path: screenshotPath('profile-actions-profile'), fullPage: true });
    await follow(page, actions, 'Request mentorship', () =>
      page.getByRole('heading', { level: 1, name: 'Ask Mira Mentor to mentor you' }).waitFor(LIVE),
    );
    await follow(page, actions, 'Book office hours', () =>
      page.getByRole('heading', { level: 1, name: 'Mira Mentor’s office hours' }).waitFor(LIVE),
    );
    await follow(page, actions, 'Ask for an introduction', () =>
      page.getByRole('heading', { level: 1, name: 'Ask for an introduction to Mira Mentor' }).waitFor(LIVE),
    );
    await follow(page, actions, 'Send a message', () => page.waitForURL(/\/chat\/[^/]+$/, LIVE));

    // Paula's profile: a message, and the reasons for the rest instead of buttons.
    await page.goto(`${server.url}/people/${encodeURIComponent(paulaId)}`);
    const paulas = page.getByRole('region', { name: 'What you can do' });
    await paulas.getByText('Paula Paused isn’t taking mentees right now.').waitFor(LIVE);
    await paulas.getByText('Paula Paused has no office hours open to you right now.').waitFor();
    await paulas.getByText('Paula Paused is not taking introductions right now.').waitFor();
    await expect(paulas.getByRole('link', { name: 'Request mentorship' }).count()).resolves.toBe(0);
    await expect(paulas.getByRole('button', { name: 'Send a message' }).count()).resolves.toBe(1);

    // The same from directory cards.
    await page.goto(`${server.url}/people`);
    await page.getByLabel('Search').fill('Mira Mentor');
    const card = page.locator('.person-card').filter({ hasText: 'Mira Mentor' });
    await card.getByRole('list', { name: 'Actions for Mira Mentor' }).waitFor(LIVE);
    await page.screenshot({ path: screenshotPath('profile-actions-directory'), fullPage: true });
    const searchAgain = async () => {
      await page.getByLabel('Search').fill('Mira Mentor');
      await card.getByRole('list', { name: 'Actions for Mira Mentor' }).waitFor(LIVE);
    };
    await follow(page, card, 'Request mentorship', () =>
      page.getByRole('heading', { level: 1, name: 'Ask Mira Mentor to mentor you' }).waitFor(LIVE),
    );
    await searchAgain();
    await follow(page, card, 'Book office hours', () =>
      page.getByRole('heading', { level: 1, name: 'Mira Mentor’s office hours' }).waitFor(LIVE),
    );
    await searchAgain();
    await follow(page, card, 'Ask for an introduction', () =>
      page.getByRole('heading', { level: 1, name: 'Ask for an introduction to Mira Mentor' }).waitFor(LIVE),
    );
    await searchAgain();
    await follow(page, card, 'Send a message', () => page.waitForURL(/\/chat\/[^/]+$/, LIVE));

    // Paula's card folds her reasons away.
    await page.getByLabel('Search').fill('Paula Paused');
    const paulaCard = page.locator('.person-card').filter({ hasText: 'Paula Paused' });
    await paulaCard.getByText('Why not more?').click(LIVE);
    await paulaCard.getByText('Paula Paused isn’t taking mentees right now.').waitFor(LIVE);
  }, 300_000);

  it('lets a group owner approve join requests on the group page and from the notification', async () => {
    const olga = await signUpMember(browser, server.url, 'Olga Owner');
    const ben = await signUpMember(browser, server.url, 'Ben Asker');
    const cleo = await signUpMember(browser, server.url, 'Cleo Asker');
    members.push(olga, ben, cleo);
    const created = await olga.gql<{ createGroup: { group: { id: string; slug: string } } }>(
      'mutation($input: CreateGroupInput!) { createGroup(input: $input) { ... on GroupPayload { group { id slug } } } }',
      { input: { name: 'Quiet Circle', kind: 'COMMUNITY', visibility: 'PRIVATE', description: 'Ask first.' } },
    );
    const group = created.createGroup.group;
    for (const [who, message] of [
      [ben, 'Ben here: may I join?'],
      [cleo, 'Cleo here: may I join?'],
    ] as const) {
      await ok(who, 'requestToJoinGroup', { groupId: group.id, message }, 'JoinRequestPayload');
    }

    // The group page says how many wait, and Olga approves Ben there.
    const page = olga.page;
    await page.goto(`${server.url}/groups/${group.slug}`);
    await page.getByRole('link', { name: '2 join requests waiting' }).waitFor(LIVE);
    const waiting = page.getByRole('list', { name: 'Waiting join requests' });
    await waiting.getByText('Ben here: may I join?').waitFor(LIVE);
    await page.screenshot({ path: screenshotPath('profile-actions-group-requests'), fullPage: true });
    await waiting.getByRole('button', { name: 'Approve Ben Asker' }).click();
    await page.getByText('Ben Asker is now a member.').waitFor(LIVE);
    await page.getByRole('link', { name: '1 join request waiting' }).waitFor(LIVE);
    await page.getByText('2 members').waitFor(LIVE);

    // Cleo's request, from its notification.
    await page.goto(`${server.url}/notifications`);
    const note = page.locator('.notification').filter({ hasText: 'Cleo Asker asked to join Quiet Circle' });
    await note.getByRole('button', { name: 'Approve Cleo Asker' }).waitFor(LIVE);
    await page.screenshot({ path: screenshotPath('profile-actions-notification'), fullPage: true });
    await note.getByRole('button', { name: 'Approve Cleo Asker' }).click();
    await note.getByText('Approved').waitFor(LIVE);
    // Ben's notification, decided on the group page, offers nothing more.
    const bens = page.locator('.notification').filter({ hasText: 'Ben Asker asked to join Quiet Circle' });
    await bens.getByText('Approved').waitFor(LIVE);
    await expect(bens.getByRole('button', { name: /Approve/ }).count()).resolves.toBe(0);

    for (const who of [ben, cleo]) {
      const data = await who.gql<{ group: { viewerStatus: string } }>(
        'query($slug: String!) { group(slug: $slug) { viewerStatus } }',
        { slug: group.slug },
      );
      expect(data.group.viewerStatus).toBe('MEMBER');
    }
    // Back on the group page nothing waits any more.
    await page.goto(`${server.url}/groups/${group.slug}`);
    await page.getByText('3 members').waitFor(LIVE);
    await expect(page.getByRole('list', { name: 'Waiting join requests' }).count()).resolves.toBe(0);
  }, 300_000);
});
