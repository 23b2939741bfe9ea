import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { addMember, createUser } from '../support/events.js';
import { gql } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';

// What a new user tripped over: the manage page's destructive actions (styled apart, confirmed with a dialog
// that names the person and the consequence), the focus ring, the RSVP answers and the skill level menu.

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

async function createGroupAs(owner: Member, name: string): Promise<{ id: string; slug: string }> {
  const created = await owner.gql<{ createGroup: { group: { id: string; slug: string } } }>(
    'mutation($input: CreateGroupInput!) { createGroup(input: $input) { ... on GroupPayload { group { id slug } } } }',
    { input: { name, kind: 'COMMUNITY', visibility: 'PUBLIC', description: 'Testing the manage page.' } },
  );
  return created.createGroup.group;
}

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;

async function isMember(owner: Member, slug: string, name: string): Promise<boolean> {
  const data = await owner.gql<{ group: { members: { edges: { node: { person: { name: string } } }[] } } }>(
    'query($slug: String!) { group(slug: $slug) { members(first: 50) { edges { node { person { name } } } } } }',
    { slug },
  );
  return data.group.members.edges.some((edge) => edge.node.person.name === name);
}

const colourOf = (page: Page, selector: string, property: 'color' | 'outline-color') =>
  page
    .locator(selector)
    .first()
    .evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);

// "rgb(179, 38, 30)" → [179, 38, 30]
const rgb = (css: string) => (css.match(/\d+(\.\d+)?/gu) ?? []).slice(0, 3).map(Number);

describe('manage a group', () => {
  it('splits the page into parts, styles removing, banning and handing over as dangerous, and confirms them', async () => {
    const tag = Math.random().toString(36).slice(2, 6);
    const owner = await signUpMember(browser, server.url, 'Olga Owner');
    members.push(owner);
    const group = await createGroupAs(owner, `Kotlin Lisbon ${tag}`);
    const db = server.app.services.db;
    const ben = await createUser(db, 'Ben Fischer');
    await addMember(db, uuidOf(group.id), ben);
    const page = owner.page;

    await page.goto(`${server.url}/groups/${group.slug}/admin`);
    const nav = page.getByRole('navigation', { name: 'Manage the group' });
    for (const part of ['Members', 'Join requests', 'Invitations', 'Banned']) {
      await nav.getByRole('link', { name: part }).waitFor();
    }
    // Nobody waits to join: the page opens on its members, and only that part is shown.
    await expect(nav.getByRole('link', { name: 'Members' }).getAttribute('aria-current')).resolves.toBe('page');
    const row = page.getByRole('listitem').filter({ hasText: 'Ben Fischer' });
    await row.getByRole('button', { name: 'Remove Ben Fischer' }).waitFor();
    await expect(page.getByRole('heading', { name: 'Invites', exact: true }).count()).resolves.toBe(0);

    // Remove, Ban and Make owner read as dangerous: the danger colour, which no harmless control uses.
    const danger = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--color-danger').trim(),
    );
    expect(danger).toBe('#b3261e');
    for (const name of ['Remove Ben Fischer', 'Ban Ben Fischer', 'Make owner: Ben Fischer']) {
      const colour = await row.getByRole('button', { name }).evaluate((element) => getComputedStyle(element).color);
      expect(rgb(colour), name).toEqual([179, 38, 30]);
    }
    const roleColour = await row.getByRole('combobox').evaluate((element) => getComputedStyle(element).color);
    expect(rgb(roleColour)).not.toEqual([179, 38, 30]);
    await page.screenshot({ path: screenshotPath('manage-group-members'), fullPage: true });

    // Removing asks first, naming Ben, the group and what happens; Cancel leaves him in the group.
    await row.getByRole('button', { name: 'Remove Ben Fischer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Ben Fischer?' });
    await dialog.waitFor();
    await dialog.getByText(`Ben Fischer leaves Kotlin Lisbon ${tag}`).waitFor();
    // Focus starts on Cancel, so a stray Enter removes nobody.
    await expect(
      dialog.getByRole('button', { name: 'Cancel' }).evaluate((element) => element === document.activeElement),
    ).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('manage-group-confirm-remove') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await isMember(owner, group.slug, 'Ben Fischer')).toBe(true);
    await row.getByRole('button', { name: 'Remove Ben Fischer' }).waitFor();

    // Escape cancels too.
    await row.getByRole('button', { name: 'Ban Ben Fischer' }).click();
    const banDialog = page.getByRole('dialog', { name: 'Ban Ben Fischer?' });
    await banDialog.getByText(/can’t join, ask to join or accept an invite until someone unbans them/).waitFor();
    await page.keyboard.press('Escape');
    await banDialog.waitFor({ state: 'hidden' });
    expect(await isMember(owner, group.slug, 'Ben Fischer')).toBe(true);

    // Confirming removes him, and says so.
    await row.getByRole('button', { name: 'Remove Ben Fischer' }).click();
    await dialog.getByRole('button', { name: 'Remove Ben Fischer' }).click();
    await page.getByText('Ben Fischer is no longer a member.').waitFor(LIVE);
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('listitem')
      .filter({ hasText: 'Ben Fischer' })
      .waitFor({ state: 'detached', ...LIVE });
    expect(await isMember(owner, group.slug, 'Ben Fischer')).toBe(false);

    // The other parts are one click away, with their own address.
    await nav.getByRole('link', { name: 'Invitations' }).click();
    await page.getByRole('heading', { name: 'Invites', exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('section')).toBe('invites');
    await expect(page.getByRole('button', { name: 'Remove Ben Fischer' }).count()).resolves.toBe(0);
  });
});

describe('polish a new user hit', () => {
  it('shows keyboard focus with a blue ring, not the red of an error', async () => {
    const member = await signUpMember(browser, server.url, 'Fay Focus');
    members.push(member);
    await member.page.goto(`${server.url}/profile`);
    await member.page.getByRole('button', { name: 'Add a skill' }).focus();
    await member.page.keyboard.press('Shift+Tab');
    await member.page.keyboard.press('Tab');
    const focused = member.page.locator(':focus-visible');
    await expect(focused.count()).resolves.toBe(1);
    const [r, g, b] = rgb(await colourOf(member.page, ':focus-visible', 'outline-color'));
    // #2563eb: blue well above red; the old ring was orange (#c2410c), the danger colour is red.
    expect(b! - r!).toBeGreaterThan(100);
    expect(b!).toBeGreaterThan(g!);
    await member.page.screenshot({ path: screenshotPath('polish-focus-ring') });
  });

  it('keeps each RSVP answer on one line, on a desktop aside and on a phone', async () => {
    const owner = await signUpMember(browser, server.url, 'Rita Rsvp');
    const phone = await signUpMember(browser, server.url, 'Pia Phone', { width: 390, height: 844 });
    members.push(owner, phone);
    const group = await createGroupAs(owner, `RSVP club ${Math.random().toString(36).slice(2, 6)}`);
    await phone.gql('mutation($input: JoinGroupInput!) { joinGroup(input: $input) { __typename } }', {
      input: { groupId: group.id },
    });
    const startsAt = new Date(Date.now() + 7 * 24 * 3600_000);
    const created = await owner.gql<{ createEvent: { event: { id: string } } }>(
      'mutation($input: CreateEventInput!) { createEvent(input: $input) { ... on EventPayload { event { id } } } }',
      {
        input: {
          groupId: group.id,
          title: 'Full house',
          timeZone: 'Europe/London',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(),
          location: 'The library',
          // Full, so the first answer reads "Join waitlist", the longest.
          capacity: 1,
        },
      },
    );
    // Someone else takes the only seat, so both see the longest answer, "Join waitlist".
    const db = server.app.services.db;
    const early = await createUser(db, 'Early Bird');
    await addMember(db, uuidOf(group.id), early);
    const taken = await gql(
      server.graphqlUrl,
      'mutation($input: RsvpInput!) { rsvp(input: $input) { __typename } }',
      { input: { eventId: created.createEvent.event.id, status: 'GOING' } },
      { token: early.token },
    );
    expect(taken.body.data?.rsvp.__typename).toBe('EventPayload');
    for (const member of [owner, phone]) {
      await member.page.goto(`${server.url}/events/${encodeURIComponent(created.createEvent.event.id)}`);
      const answers = member.page.getByRole('group', { name: 'RSVP' }).getByRole('button');
      await answers.first().waitFor();
      await member.page.getByRole('button', { name: 'Join waitlist' }).waitFor();
      const boxes = await answers.evaluateAll((buttons) =>
        buttons.map((button) => {
          const range = document.createRange();
          range.selectNodeContents(button);
          // One line of text: its rendered lines (client rects of the text) all share one top.
          const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          return { text: button.textContent, lines: tops.size };
        }),
      );
      expect(boxes.map((box) => box.text)).toHaveLength(3);
      for (const box of boxes) expect(box.lines, `${member.name}: ${box.text}`).toBe(1);
      await member.page.screenshot({ path: screenshotPath(`polish-rsvp-${member === phone ? 'phone' : 'desktop'}`) });
    }
  });

  it('shows the whole of "Working knowledge" in the skill level menu', async () => {
    const member = await signUpMember(browser, server.url, 'Lev Level');
    members.push(member);
    await member.page.goto(`${server.url}/profile`);
    await member.page.getByRole('button', { name: 'Add a skill' }).click();
    const level = member.page.getByLabel('Level of skill 1');
    await level.selectOption('WORKING');
    // A select is as wide as its longest choice when left to size itself: it must have at least that room.
    const { width, needed } = await level.evaluate((select: HTMLSelectElement) => {
      const width = select.getBoundingClientRect().width;
      const copy = select.cloneNode(true) as HTMLSelectElement;
      copy.style.width = 'max-content';
      copy.style.position = 'absolute';
      document.body.append(copy);
      const needed = copy.getBoundingClientRect().width;
      copy.remove();
      return { width, needed };
    });
    expect(width).toBeGreaterThanOrEqual(needed - 0.5);
    await member.page.screenshot({ path: screenshotPath('polish-skill-level') });
  });
});
