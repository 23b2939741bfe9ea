import { Temporal } from 'temporal-polyfill';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { personIdOf } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { uniqueEmail } from '../support/graphql.js';
import { startServer, type TestServer } from '../support/server.js';
import { makeMember } from '../support/sign-up.js';

// The member side of office hours in the browser. A host in Kolkata publishes a public one-to-one slot
// at 11:00 Kolkata time. A visitor in Tokyo opens the host's page signed out, sees the slot at 14:30 in
// her zone with "11:00 in Kolkata" beside it, is asked to sign in, comes back to the same slot and books
// it with a question. A second member finds it full and joins the waitlist (1st in line); when the first
// cancels, the seat is offered to him live, with its deadline, and he accepts it. His bookings page lists
// it in both zones; the calendar settings make a private address once and keep 24 h and 1 h reminders.
// Kolkata and Tokyo keep one offset all year, so the expected times hold on any date.

const HOST_ZONE = 'Asia/Kolkata';
const VIEWER_ZONE = 'Asia/Tokyo';
const VIEWPORT = { width: 1280, height: 900 };
const LIVE = { timeout: 15_000 };

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
const pages: Page[] = [];

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  for (const page of pages) await page.context().close();
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

interface Published {
  officeHoursId: string;
  slotId: string;
  startsAt: string;
}

async function publishOneToOne(host: Member, startDate: string): Promise<Published> {
  const data = await host.gql<{
    publishOfficeHours: {
      __typename: string;
      officeHours?: { id: string; nextSlots: { id: string; startsAt: string }[] };
    };
  }>(
    `mutation($input: PublishOfficeHoursInput!) {
      publishOfficeHours(input: $input) {
        __typename
        ... on OfficeHoursPayload { officeHours { id nextSlots(first: 1) { id startsAt } } }
        ... on Error { code message }
      }
    }`,
    {
      input: {
        topic: 'Career chat',
        description: 'Thirty years of backend work; ask me anything.',
        timeZone: HOST_ZONE,
        startDate,
        startTime: '11:00',
        durationMinutes: 60,
        seats: 1,
        audience: 'PUBLIC',
        onlineUrl: 'https://meet.example.com/career-chat',
        minimumNoticeMinutes: 60,
        bookingWindowDays: 30,
      },
    },
  );
  const officeHours = data.publishOfficeHours.officeHours;
  if (!officeHours) throw new Error(`publish failed: ${JSON.stringify(data.publishOfficeHours)}`);
  const slot = officeHours.nextSlots[0]!;
  return { officeHoursId: officeHours.id, slotId: slot.id, startsAt: slot.startsAt };
}

/** The Monday of the slot's week in the viewer's zone (the page's ?week=). */
function mondayOf(instant: string, zone: string): string {
  const day = Temporal.Instant.from(instant).toZonedDateTimeISO(zone).toPlainDate();
  return day.subtract({ days: day.dayOfWeek - 1 }).toString();
}

describe('office hours in the browser (member side)', () => {
  it('shows a host’s slot signed out in the viewer’s zone, books it after signing in, waitlists, offers the freed seat live and lists it', async () => {
    const host = await signUpMember(browser, server.url, 'Priya Host', VIEWPORT, HOST_ZONE);
    members.push(host);
    const hostId = await personIdOf(host);
    const inThreeDays = Temporal.Now.zonedDateTimeISO(HOST_ZONE).toPlainDate().add({ days: 3 }).toString();
    const published = await publishOneToOne(host, inThreeDays);
    const week = mondayOf(published.startsAt, VIEWER_ZONE);
    const pagePath = `/office-hours/${encodeURIComponent(hostId)}`;

    // Signed out, in Tokyo: 11:00 Kolkata (+05:30) is 14:30 Tokyo (+09:00).
    const context = await browser.newContext({ viewport: VIEWPORT, timezoneId: VIEWER_ZONE, locale: 'en-GB' });
    const visitor = await context.newPage();
    pages.push(visitor);
    await visitor.goto(`${server.url}${pagePath}?week=${week}`);
    await visitor.getByRole('heading', { level: 1, name: 'Priya Host’s office hours' }).waitFor(LIVE);
    await visitor.getByRole('heading', { name: 'Career chat' }).waitFor();
    const slotButton = visitor.getByRole('button', { name: /14:30–15:30/ });
    await slotButton.waitFor(LIVE);
    await expect(slotButton.textContent()).resolves.toContain('11:00 in Kolkata');
    await expect(slotButton.textContent()).resolves.toContain('1 seat left');
    // The week moves back and forth.
    const weekHeading = visitor.getByRole('heading', { level: 2, name: /^Week of / });
    const shownWeek = await weekHeading.textContent();
    await visitor.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => weekHeading.textContent(), LIVE).not.toBe(shownWeek);
    await expect(visitor.getByRole('button', { name: /14:30–15:30/ }).count()).resolves.toBe(0);
    await visitor.getByRole('button', { name: 'Previous week' }).click();
    await expect.poll(() => weekHeading.textContent(), LIVE).toBe(shownWeek);

    await visitor.getByRole('button', { name: /14:30–15:30/ }).click();
    const card = visitor.getByRole('article');
    await card.getByRole('link', { name: 'Sign in to book' }).waitFor(LIVE);
    // Where the host meets is for booked attendees only.
    await expect(card.getByText('meet.example.com').count()).resolves.toBe(0);
    await visitor.screenshot({ path: screenshotPath('office-hours-signed-out'), fullPage: true });

    // Signing in comes back to this slot.
    const rin = { email: uniqueEmail('rin'), password: 'a long browser password', name: 'Rin Booker' };
    await makeMember(server.graphqlUrl, rin);
    await card.getByRole('link', { name: 'Sign in to book' }).click();
    await visitor.getByLabel('Email').fill(rin.email);
    await visitor.getByLabel('Password').fill(rin.password);
    await visitor.getByRole('button', { name: 'Sign in' }).click();
    await visitor.waitForURL(
      (url) => url.pathname === pagePath && url.searchParams.get('slot') === published.slotId,
      LIVE,
    );
    const booked = visitor.getByRole('article');
    await booked.getByRole('button', { name: 'Book', exact: true }).click();
    await booked.getByLabel('Your question (optional)').fill('How do I move from QA into backend work?');
    await booked.getByRole('button', { name: 'Book this seat' }).click();
    await booked.getByText('You’re booked.').waitFor(LIVE);
    await booked.getByRole('status').filter({ hasText: 'Seat booked.' }).waitFor(LIVE);
    await booked.getByRole('link', { name: 'https://meet.example.com/career-chat' }).waitFor(LIVE);
    const ics = await booked.getByRole('link', { name: 'Add to calendar (.ics)' }).getAttribute('href');
    expect(ics).toMatch(/^\/bookings\/[0-9a-f-]{36}\.ics$/);
    // The link works for her (her session cookie), and is the booking's calendar entry.
    const icsResponse = await context.request.get(`${server.url}${ics}`);
    expect(icsResponse.status()).toBe(200);
    expect(await icsResponse.text()).toContain('BEGIN:VEVENT');
    await visitor.screenshot({ path: screenshotPath('office-hours-booked'), fullPage: true });

    // A second member finds it full and queues; his page follows the seat live.
    const tomo = await signUpMember(browser, server.url, 'Tomo Waiter', VIEWPORT, VIEWER_ZONE);
    members.push(tomo);
    await tomo.page.goto(`${server.url}${pagePath}?week=${week}&slot=${encodeURIComponent(published.slotId)}`);
    const tomoCard = tomo.page.getByRole('article');
    await tomoCard.getByText('Every seat is taken.').waitFor(LIVE);
    await tomoCard.getByRole('button', { name: 'Join the waitlist' }).click();
    await tomoCard.getByRole('button', { name: 'Join the waitlist' }).click();
    await tomoCard.getByText('You’re 1st on the waitlist.').waitFor(LIVE);

    // Rin gives her seat up; Tomo is offered it without reloading, with a time to accept by.
    await booked.getByRole('button', { name: 'Cancel booking' }).click();
    await booked.getByRole('button', { name: 'Yes, cancel my seat' }).click();
    await booked.getByText('Your booking is cancelled.').waitFor(LIVE);
    await tomoCard.getByText(/A seat freed up and it’s yours if you accept before/).waitFor({ timeout: 30_000 });
    await tomo.page.screenshot({ path: screenshotPath('office-hours-offered'), fullPage: true });
    await tomoCard.getByRole('button', { name: 'Accept the seat' }).click();
    await tomoCard.getByText('You’re booked.').waitFor(LIVE);

    // A notification's link to the slot opens the host's page on it.
    await tomo.page.goto(`${server.url}/office-hours/slots/${encodeURIComponent(published.slotId)}`);
    await tomo.page.waitForURL(
      (url) => url.pathname === pagePath && url.searchParams.get('slot') === published.slotId,
      LIVE,
    );
    await tomo.page.getByRole('article').getByText('You’re booked.').waitFor(LIVE);

    // His bookings: the time in his zone and the host's, and the calendar link.
    await tomo.page.getByRole('button', { name: /account menu/ }).click();
    await tomo.page.getByRole('button', { name: 'My bookings', exact: true }).click();
    await tomo.page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor(LIVE);
    const row = tomo.page.getByRole('listitem').filter({ hasText: 'Career chat' });
    await row.getByText(/14:30–15:30 \(your time\) · 11:00 in Kolkata/).waitFor(LIVE);
    await row.getByRole('link', { name: 'Add to calendar' }).waitFor();
    await tomo.page.getByText('You’re not waiting for a seat anywhere.').waitFor(LIVE);
    await tomo.page.screenshot({ path: screenshotPath('office-hours-bookings'), fullPage: true });

    // Calendar settings: the private address is shown once; reminders default to 24 h and 1 h.
    await tomo.page.getByRole('link', { name: 'Calendar and reminders' }).click();
    await tomo.page.getByRole('heading', { level: 1, name: 'Calendar and reminders' }).waitFor(LIVE);
    await expect(tomo.page.getByLabel('Reminder 1', { exact: true }).inputValue()).resolves.toBe('1440');
    await expect(tomo.page.getByLabel('Reminder 2', { exact: true }).inputValue()).resolves.toBe('60');
    await tomo.page.getByRole('button', { name: 'Create calendar address' }).click();
    const address = tomo.page.getByLabel('Your calendar address');
    await address.waitFor(LIVE);
    await expect(address.inputValue()).resolves.toMatch(/\/calendar\/[^/]+\.ics$/);
    // Absolute on PUBLIC_ORIGIN; the test server listens elsewhere, so its path is asked of it.
    const feedUrl = `${server.url}${new URL(await address.inputValue()).pathname}`;
    expect((await tomo.context.request.get(feedUrl)).status()).toBe(200);
    // A third reminder, saved; then the address turned off stops answering.
    await tomo.page.getByRole('button', { name: 'Add a reminder' }).click();
    await tomo.page.getByLabel('Reminder 3', { exact: true }).selectOption('15');
    await tomo.page.getByRole('button', { name: 'Save reminders' }).click();
    await tomo.page.getByText('Saved. Your upcoming bookings use these times.').waitFor(LIVE);
    await expect(tomo.page.getByRole('button', { name: 'Add a reminder' }).count()).resolves.toBe(0);
    const saved = await tomo.gql<{ viewer: { reminderLeadMinutes: number[] } }>(
      'query { viewer { reminderLeadMinutes } }',
    );
    expect([...saved.viewer.reminderLeadMinutes].sort((a, b) => b - a)).toEqual([1440, 60, 15]);
    await tomo.page.screenshot({ path: screenshotPath('office-hours-calendar-settings'), fullPage: true });
    await tomo.page.getByRole('button', { name: 'Turn off the address' }).click();
    await tomo.page.getByRole('button', { name: 'Yes, turn it off' }).click();
    await tomo.page.getByText('Your calendar address is turned off.', { exact: false }).waitFor(LIVE);
    expect((await tomo.context.request.get(feedUrl)).status()).toBe(404);
  }, 180_000);
});
