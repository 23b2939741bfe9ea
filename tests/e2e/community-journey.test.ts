import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { startServer, type TestServer } from '../support/server.js';

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

const LIVE = { timeout: 15_000 };

describe('the community journey in the browser', () => {
  it('runs a private group from join request to a waitlist promotion, live for every member', async () => {
    const suffix = Math.random().toString(36).slice(2, 7);
    const groupName = `Rust Berlin ${suffix}`;
    const ada = await signUpMember(browser, server.url, 'Ada Okafor');
    const ben = await signUpMember(browser, server.url, 'Ben Fischer');
    const cleo = await signUpMember(browser, server.url, 'Cleo Martin', { width: 390, height: 844 });
    members.push(ada, ben, cleo);
    for (const member of members) {
      // Unexpected GraphQL errors are printed, so a failure says which request broke.
      member.page.on('response', async (response) => {
        if (!response.url().endsWith('/graphql')) return;
        const body = await response.text().catch(() => '');
        if (body.includes('"errors"')) console.log(`[${member.name}] ${response.request().postData()?.slice(0, 200)} -> ${body.slice(0, 400)}`);
      });
      member.page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') console.log(`[${member.name}] ${message.text()}`);
      });
    }
    try {
      await journey(ada, ben, cleo, groupName);
    } catch (error) {
      // What each member saw when it went wrong.
      for (const member of members) {
        await member.page.screenshot({ path: screenshotPath(`community-failure-${member.name.split(' ')[0]!.toLowerCase()}`), fullPage: true });
      }
      throw error;
    }
  });
});

async function journey(ada: Member, ben: Member, cleo: Member, groupName: string) {
  {

    // A creates a private group.
    await ada.page.goto(`${server.url}/groups/new`);
    await ada.page.getByLabel('Name', { exact: true }).fill(groupName);
    await ada.page.getByLabel('Description').fill('Rustaceans in Berlin: monthly meetups, talks and pairing.');
    await ada.page.getByLabel(/^Private/).check();
    await ada.page.screenshot({ path: screenshotPath('community-create-group'), fullPage: true });
    await ada.page.getByRole('button', { name: 'Create group' }).click();
    await ada.page.getByRole('heading', { level: 1, name: groupName }).waitFor();
    const slug = new URL(ada.page.url()).pathname.split('/').at(-1)!;

    // A waits on the admin page; nothing is pending yet.
    await ada.page.getByRole('link', { name: 'Manage group' }).click();
    await ada.page.getByText('No pending requests').waitFor();

    // B finds the group in the directory and asks to join with a message.
    await ben.page.goto(`${server.url}/groups`);
    await ben.page.getByLabel('Search groups').fill(groupName);
    await ben.page.getByRole('link', { name: groupName }).click();
    await ben.page.getByRole('button', { name: 'Ask to join' }).click();
    await ben.page.getByLabel(/Message to the admins/).fill('Hi! I write Rust at work and would love to join.');
    await ben.page.getByRole('button', { name: 'Send request' }).click();
    await ben.page.getByText('Request pending').waitFor();
    await ben.page.screenshot({ path: screenshotPath('community-request-pending'), fullPage: true });

    // A sees it arrive without reloading: the bell's badge and the request list.
    await ada.page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor(LIVE);
    const requests = ada.page.getByRole('list', { name: 'Pending join requests' });
    await requests.getByText('Ben Fischer').waitFor(LIVE);
    await expect(requests.getByText(/would love to join/).count()).resolves.toBe(1);
    await ada.page.screenshot({ path: screenshotPath('community-admin-request-live'), fullPage: true });
    await ada.page.getByRole('button', { name: 'Approve Ben Fischer' }).click();
    await ada.page.getByText('No pending requests').waitFor();

    // B sees the approval live and is in the group.
    await ben.page.getByText('You’re in!').waitFor(LIVE);
    await ben.page.getByRole('button', { name: 'Leave group' }).waitFor();
    await ben.page.getByRole('link', { name: /Notifications, 1 unread/ }).waitFor(LIVE);
    await ben.page.screenshot({ path: screenshotPath('community-approved-live'), fullPage: true });

    // C joins too (through the API: the browser part of that is what B just did).
    const { group } = await cleo.gql<{ group: { id: string } }>('query($slug: String!) { group(slug: $slug) { id } }', { slug });
    const asked = await cleo.gql<{ requestToJoinGroup: { joinRequest: { id: string } } }>(
      'mutation($input: RequestToJoinGroupInput!) { requestToJoinGroup(input: $input) { ... on JoinRequestPayload { joinRequest { id } } } }',
      { input: { groupId: group.id } },
    );
    await ada.gql('mutation($input: DecideJoinRequestInput!) { approveJoinRequest(input: $input) { __typename } }', {
      input: { requestId: asked.requestToJoinGroup.joinRequest.id },
    });

    // A creates an event with one seat.
    await ada.page.goto(`${server.url}/groups/${slug}`);
    await ada.page.getByRole('link', { name: 'Create event' }).click();
    await ada.page.getByLabel('Title').fill('Async Rust evening');
    await ada.page.getByLabel('Description').fill('Lightning talks on async Rust, then pizza.');
    await ada.page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await ada.page.getByLabel('Place').fill('c-base, Rungestraße 20, Berlin');
    await ada.page.getByLabel(/^Seats/).fill('1');
    await ada.page.screenshot({ path: screenshotPath('community-create-event'), fullPage: true });
    await ada.page.getByRole('button', { name: 'Create event' }).click();
    await ada.page.getByRole('heading', { level: 1, name: 'Async Rust evening' }).waitFor();
    const eventUrl = ada.page.url();
    // Shown in the viewer's zone (London) with the event's own zone alongside.
    await ada.page.getByText(/\(your time\) · .*Europe\/Berlin/).waitFor();
    await expect(ada.page.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href')).resolves.toMatch(/\.ics$/);

    // B takes the only seat.
    await ben.page.goto(eventUrl);
    await ben.page.getByRole('button', { name: 'Going', exact: true }).click();
    await ben.page.getByText('You’re going. See you there!').waitFor();
    await ben.page.screenshot({ path: screenshotPath('community-event-going'), fullPage: true });

    // C answers "going" to a full event and is waitlisted, first in line.
    await cleo.page.goto(eventUrl);
    await cleo.page.getByText('Full: answering “Going” puts you on the waitlist.').waitFor();
    await cleo.page.getByRole('button', { name: 'Join waitlist' }).click();
    await cleo.page.getByText(/You’re 1st on the waitlist/).waitFor();
    await cleo.page.screenshot({ path: screenshotPath('community-event-waitlisted-phone'), fullPage: true });

    // B cancels; C is promoted and sees it without reloading.
    await ben.page.getByRole('button', { name: 'Not going' }).click();
    await ben.page.getByText('You’re not going.').waitFor();
    await cleo.page.getByText('You’re going. See you there!').waitFor(LIVE);
    await cleo.page.getByRole('link', { name: /Notifications, \d+ unread/ }).waitFor(LIVE);
    await cleo.page.screenshot({ path: screenshotPath('community-event-promoted-phone'), fullPage: true });

    // The notification list says what happened; marking all read clears the badge.
    await cleo.page.goto(`${server.url}/notifications`);
    await cleo.page.getByText(/A seat opened up/).waitFor();
    await cleo.page.screenshot({ path: screenshotPath('community-notifications-phone'), fullPage: true });
    await cleo.page.getByRole('button', { name: 'Mark all read' }).click();
    await cleo.page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
  }
}
