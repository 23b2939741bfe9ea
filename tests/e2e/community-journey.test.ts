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
    try {
      await journey(ada, ben, cleo, groupName);
    } catch (error) {
      // What each member saw when it went wrong.
      for (const member of members) {
        await member.page.screenshot({
          path: screenshotPath(`community-failure-${member.name.split(' ')[0]!.toLowerCase()}`),
          fullPage: true,
        });
      }
      throw error;
    }
  });

  it('edits a profile with per-field visibility, finds people and groups, and joins through an invite link', async () => {
    const dana = await signUpMember(browser, server.url, 'Dana Whitfield');
    const eli = await signUpMember(browser, server.url, 'Eli Nakamura', { width: 390, height: 844 });
    members.push(dana, eli);
    const tag = Math.random().toString(36).slice(2, 6);

    // Dana fills in her profile and hides her bio from everyone outside her groups.
    await dana.page.goto(`${server.url}/profile`);
    await dana.page.getByLabel('Headline', { exact: true }).fill('Staff engineer, distributed systems');
    await dana.page
      .getByLabel('Bio', { exact: true })
      .fill('I build storage engines and mentor people moving into backend work.');
    await dana.page.getByLabel('Location', { exact: true }).fill('Lisbon');
    await dana.page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Lisbon');
    await dana.page.getByLabel('Who sees your bio').selectOption('SHARED_GROUPS');
    await dana.page.getByRole('button', { name: 'Add a skill' }).click();
    await dana.page.getByLabel('Skill 1', { exact: true }).fill(`Zig${tag}`);
    await dana.page.getByLabel('Level of skill 1').selectOption('EXPERT');
    await dana.page.getByLabel('Mentoring others').check();
    await dana.page.getByRole('button', { name: 'Add a link' }).click();
    await dana.page.getByLabel('Label of link 1').fill('GitHub');
    await dana.page.getByLabel('Address of link 1').fill('https://github.com/dana');
    await dana.page.getByRole('button', { name: 'Save profile' }).click();
    await dana.page.getByText('Saved.').waitFor();
    await dana.page.screenshot({ path: screenshotPath('community-profile-editor'), fullPage: true });

    // Eli finds her by skill; her bio stays hidden because they share no group.
    await eli.page.goto(`${server.url}/people`);
    // On a phone the filters are folded away behind one tap.
    await eli.page.locator('summary', { hasText: 'Filters' }).click();
    await eli.page.getByRole('combobox', { name: 'Skills' }).fill(`Zig${tag}`);
    await eli.page.getByText('1 member', { exact: true }).waitFor();
    await eli.page.getByRole('link', { name: 'Dana Whitfield' }).waitFor();
    await eli.page.screenshot({ path: screenshotPath('community-people-directory-phone'), fullPage: true });
    await eli.page.getByRole('link', { name: 'Dana Whitfield' }).click();
    await eli.page.getByRole('heading', { level: 1, name: 'Dana Whitfield' }).waitFor();
    await eli.page.getByText('Staff engineer, distributed systems').waitFor();
    await expect(eli.page.getByText(/storage engines/).count()).resolves.toBe(0);
    await eli.page.screenshot({ path: screenshotPath('community-person-page-phone'), fullPage: true });

    // Dana runs a secret alumni group with a chapter, and invites Eli with a link.
    const created = await dana.gql<{ createGroup: { group: { id: string; slug: string } } }>(
      'mutation($input: CreateGroupInput!) { createGroup(input: $input) { ... on GroupPayload { group { id slug } } } }',
      {
        input: {
          name: `TU Lisbon Alumni ${tag}`,
          kind: 'ALUMNI',
          visibility: 'SECRET',
          institution: 'Técnico Lisboa',
          graduationYear: 2014,
          description: 'Graduates of Técnico, all years.',
        },
      },
    );
    const { slug } = created.createGroup.group;
    const guild = await dana.gql<{ createGroup: { group: { id: string; slug: string } } }>(
      'mutation($input: CreateGroupInput!) { createGroup(input: $input) { ... on GroupPayload { group { id slug } } } }',
      {
        input: {
          name: `Platform Guild ${tag}`,
          kind: 'COMMUNITY',
          visibility: 'PUBLIC',
          description: 'Platform engineers sharing what works: Kubernetes, CI, observability.',
        },
      },
    );
    await dana.gql('mutation($input: CreateGroupInput!) { createGroup(input: $input) { __typename } }', {
      input: {
        name: `Porto chapter ${tag}`,
        kind: 'COMMUNITY',
        visibility: 'PUBLIC',
        parentId: guild.createGroup.group.id,
        description: 'Platform Guild members in Porto.',
      },
    });
    await dana.page.goto(`${server.url}/groups/${slug}/admin?section=invites`);
    await dana.page.getByLabel('Use limit (optional)').fill('5');
    await dana.page.getByRole('button', { name: 'Create invite link' }).click();
    const link = (await dana.page.locator('.invite-link code').textContent())!;
    expect(link).toContain('/invites/');
    await dana.page.getByText(/0 used of 5/).waitFor();
    await dana.page.screenshot({ path: screenshotPath('community-admin-invite-link'), fullPage: true });

    // A secret group is invisible to Eli until he accepts the invite.
    await eli.page.goto(`${server.url}/groups`);
    await eli.page.getByLabel('Search groups').fill(tag);
    await eli.page.getByRole('link', { name: `Platform Guild ${tag}` }).waitFor();
    await expect(eli.page.getByRole('link', { name: `TU Lisbon Alumni ${tag}` }).count()).resolves.toBe(0);
    await eli.page.goto(new URL(new URL(link).pathname, server.url).href);
    await eli.page.getByRole('button', { name: 'Accept invite' }).click();
    await eli.page.getByRole('heading', { level: 1, name: `TU Lisbon Alumni ${tag}` }).waitFor();
    await eli.page.getByRole('button', { name: 'Leave group' }).waitFor();

    // A public group with a chapter: anyone signed in joins at once.
    await eli.page.goto(`${server.url}/groups/${guild.createGroup.group.slug}`);
    await eli.page.getByRole('link', { name: `Porto chapter ${tag}` }).waitFor();
    await eli.page.getByRole('button', { name: 'Join group' }).click();
    await eli.page.getByRole('button', { name: 'Leave group' }).waitFor();
    await eli.page.screenshot({ path: screenshotPath('community-group-page-phone'), fullPage: true });

    // Now they share a group, so Dana's bio shows.
    await eli.page.goto(`${server.url}/people`);
    await eli.page.locator('summary', { hasText: 'Filters' }).click();
    await eli.page.getByRole('searchbox', { name: 'Search', exact: true }).fill('Dana');
    await eli.page.getByRole('link', { name: 'Dana Whitfield' }).click();
    await eli.page.getByText(/storage engines/).waitFor();

    await dana.page.goto(`${server.url}/groups`);
    await dana.page.getByLabel('Search groups').fill(tag);
    await dana.page.getByRole('link', { name: `Platform Guild ${tag}` }).waitFor();
    await dana.page.screenshot({ path: screenshotPath('community-groups-directory'), fullPage: true });
  });

  it('accepts direct invites from the group page (a secret one through its notification) and cancels a request made elsewhere', async () => {
    const fay = await signUpMember(browser, server.url, 'Fay Adeyemi');
    const gus = await signUpMember(browser, server.url, 'Gus Lindqvist');
    members.push(fay, gus);
    const tag = Math.random().toString(36).slice(2, 6);
    const create = async (name: string, visibility: string) =>
      (
        await fay.gql<{ createGroup: { group: { id: string; slug: string } } }>(
          'mutation($input: CreateGroupInput!) { createGroup(input: $input) { ... on GroupPayload { group { id slug } } } }',
          {
            input: {
              name,
              kind: 'COMMUNITY',
              visibility,
              description: `${name}: a place for people who build things.`,
            },
          },
        )
      ).createGroup.group;
    const workshop = await create(`Design Workshop ${tag}`, 'PRIVATE');
    const circle = await create(`Founders Circle ${tag}`, 'SECRET');
    const reading = await create(`Reading Club ${tag}`, 'PRIVATE');
    const { viewer } = await gus.gql<{ viewer: { id: string } }>('query { viewer { id } }');
    const gusPerson = Buffer.from(`Person:${Buffer.from(viewer.id, 'base64').toString('utf8').split(':')[1]}`).toString(
      'base64',
    );
    for (const group of [workshop, circle]) {
      await fay.gql('mutation($input: InviteMemberInput!) { inviteMember(input: $input) { __typename } }', {
        input: { groupId: group.id, personId: gusPerson },
      });
    }

    // A private group: the invitee accepts on the group page itself.
    await gus.page.goto(`${server.url}/groups/${workshop.slug}`);
    await gus.page.getByText('You’re invited').waitFor();
    await gus.page.screenshot({ path: screenshotPath('community-group-invited'), fullPage: true });
    await gus.page.getByRole('button', { name: 'Accept invite' }).click();
    await gus.page.getByRole('button', { name: 'Leave group' }).waitFor();

    // A secret group stays hidden by its address; the invite notification opens it with Accept.
    await gus.page.goto(`${server.url}/groups/${circle.slug}`);
    await gus.page.getByRole('heading', { level: 1, name: 'Group not found' }).waitFor();
    await gus.page.goto(`${server.url}/notifications`);
    await gus.page.getByRole('link', { name: `Fay Adeyemi invited you to join Founders Circle ${tag}` }).click();
    await gus.page.getByRole('heading', { level: 1, name: `Founders Circle ${tag}` }).waitFor();
    await gus.page.screenshot({ path: screenshotPath('community-secret-group-invited'), fullPage: true });
    await gus.page.getByRole('button', { name: 'Accept invite' }).click();
    await gus.page.getByRole('button', { name: 'Leave group' }).waitFor();
    expect(new URL(gus.page.url()).search).toBe('');

    // A request sent from somewhere else (another tab, the API) can be cancelled here.
    await gus.gql('mutation($input: RequestToJoinGroupInput!) { requestToJoinGroup(input: $input) { __typename } }', {
      input: { groupId: reading.id },
    });
    await gus.page.goto(`${server.url}/groups/${reading.slug}`);
    await gus.page.getByText('Request pending').waitFor();
    await gus.page.getByRole('button', { name: 'Cancel request' }).click();
    await gus.page.getByRole('button', { name: 'Ask to join' }).waitFor();
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
    await ada.page
      .getByRole('navigation', { name: 'Manage the group' })
      .getByRole('link', { name: 'Join requests' })
      .click();
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
    const { group } = await cleo.gql<{ group: { id: string } }>('query($slug: String!) { group(slug: $slug) { id } }', {
      slug,
    });
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
    const icsHref = (await ada.page.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href'))!;
    expect(icsHref).toMatch(/\.ics$/);
    const ics = await ada.context.request.get(new URL(icsHref, server.url).href);
    expect(ics.headers()['content-type']).toContain('text/calendar');
    expect(await ics.text()).toContain('SUMMARY:Async Rust evening');

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
    await cleo.page.getByRole('link', { name: /A seat opened up/ }).waitFor();
    await cleo.page.screenshot({ path: screenshotPath('community-notifications-phone'), fullPage: true });
    await cleo.page.getByRole('button', { name: 'Mark all read' }).click();
    await cleo.page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();

    // Every upcoming event of B's groups, in B's time zone.
    await ben.page.getByRole('link', { name: 'Events', exact: true }).click();
    await ben.page.getByRole('link', { name: 'Async Rust evening' }).waitFor();
    await ben.page.screenshot({ path: screenshotPath('community-events'), fullPage: true });
  }
}
