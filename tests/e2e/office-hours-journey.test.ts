import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { instantToLocal } from '../../server/src/lib/time.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { tag } from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// Office hours in the browser, four people in their own contexts and zones. Mira (Berlin) publishes a
// weekly series with two seats through the form; Noah (New York) and Aiko (Tokyo) each book a seat on
// her public page, seeing the time in their own zone with Berlin's beside it; Ravi (Kolkata) finds it
// full and joins the waitlist. Noah cancels: Ravi is offered his seat with a deadline and accepts it.
// The server's clock then moves to a day before the session and its jobs run: Aiko and Ravi each get
// the 24-hour reminder (notifications page, and the email held in the outbox), Noah none.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
const VIEWPORT = { width: 1280, height: 900 };
// An anti-hang bound for pages and live updates on a shared machine; never an assertion about speed.
const LIVE = { timeout: 30_000 };
const DAY = 24 * 3600_000;

beforeAll(async () => {
  server = await startServer();
  ({ browser, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  setClockOffset(0);
  for (const member of members) await member.context.close();
  await closeBrowser?.();
  await server?.stop();
});

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: screenshotPath(`office-hours-journey-${name}`), fullPage: true });
}

/** A local date in `zone`, `days` from today there, moved forward to a Wednesday. */
function wednesdayAfter(days: number, zone: string): string {
  const date = new Date(Date.now() + days * DAY);
  for (let i = 0; i < 7; i += 1) {
    const candidate = new Date(date.getTime() + i * DAY);
    const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'long' }).format(candidate);
    if (weekday === 'Wednesday') return instantToLocal(candidate, zone).date;
  }
  throw new Error('no Wednesday in a week');
}

interface FirstSlot {
  id: string;
  startsAt: string;
  endsAt: string;
}

/** Opens the host's page at the week of the slot (in the member's zone) and the slot's card. */
async function openSlot(member: Member, zone: string, hostId: string, slot: FirstSlot): Promise<Locator> {
  const page = member.page;
  const week = instantToLocal(new Date(slot.startsAt), zone).date;
  await page.goto(`${server.url}/office-hours/${encodeURIComponent(hostId)}?week=${week}`);
  await page.getByRole('heading', { level: 1, name: 'Mira Host’s office hours' }).waitFor(LIVE);
  const start = instantToLocal(new Date(slot.startsAt), zone).time;
  const end = instantToLocal(new Date(slot.endsAt), zone).time;
  const button = page
    .locator('.oh-week')
    .getByRole('button')
    .filter({ hasText: `${start}–${end}` });
  await button.waitFor(LIVE);
  // Their own time, with the host's beside it.
  await button.getByText('17:00 in Berlin').waitFor(LIVE);
  await button.click();
  const card = page.locator('article.oh-slot-card');
  await card.waitFor(LIVE);
  return card;
}

describe('office hours in the browser, from publishing to reminders', () => {
  it('publishes a weekly series, books both seats from two zones, waitlists a third who takes a freed seat, and reminds both', async () => {
    // A failure leaves each person's page behind, to see what they saw.
    onTestFailed(async () => {
      for (const member of members) {
        await shoot(member.page, `failed-${member.name.split(' ')[0]!.toLowerCase()}`).catch(() => undefined);
      }
    });
    const topic = `Career chats ${tag()}`;
    const mira = await signUpMember(browser, server.url, 'Mira Host', VIEWPORT, 'Europe/Berlin');
    const noah = await signUpMember(browser, server.url, 'Noah Member', VIEWPORT, 'America/New_York');
    const aiko = await signUpMember(browser, server.url, 'Aiko Member', VIEWPORT, 'Asia/Tokyo');
    const ravi = await signUpMember(browser, server.url, 'Ravi Member', VIEWPORT, 'Asia/Kolkata');
    members.push(mira, noah, aiko, ravi);
    // Each member's profile says where they are (reminders are written in that zone).
    for (const [member, timeZone] of [
      [mira, 'Europe/Berlin'],
      [noah, 'America/New_York'],
      [aiko, 'Asia/Tokyo'],
      [ravi, 'Asia/Kolkata'],
    ] as const) {
      await member.gql('mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }', {
        input: { timeZone },
      });
    }

    // Mira publishes: every Wednesday at 17:00 Berlin, six times, two seats, anyone can book.
    const startDate = wednesdayAfter(3, 'Europe/Berlin');
    const host = mira.page;
    await host.goto(`${server.url}/office-hours/new`);
    await host.getByRole('heading', { level: 1, name: 'Publish office hours' }).waitFor(LIVE);
    const form = host.getByRole('form', { name: 'Office hours' });
    await form.getByLabel('Topic').fill(topic);
    await form.getByLabel('Description').fill('Half an hour on your next career step. Bring one question.');
    await form.getByRole('radio', { name: 'Every week or every few weeks' }).check();
    await form.getByLabel('Starting').fill(startDate);
    await form.getByLabel('Start time').fill('17:00');
    await form.getByLabel('Minutes').fill('45');
    await form.getByLabel('Time zone').selectOption('Europe/Berlin');
    await expect(form.getByRole('checkbox', { name: 'Wednesday' }).isChecked()).resolves.toBe(true);
    await form.getByRole('radio', { name: 'After a number of times' }).check();
    await form.getByLabel('How many times').fill('6');
    await form.getByLabel('Seats').fill('2');
    await form.getByRole('radio', { name: 'Online' }).check();
    await form.getByLabel('Online link').fill('https://meet.example.com/mira');
    await form.getByRole('radio', { name: /^Anyone/ }).check();
    // The preview follows the form: the first slot on that Wednesday, 17:00–17:45 in Berlin.
    const firstDay = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    }).format(new Date(`${startDate}T12:00:00Z`));
    const preview = host.getByRole('complementary', { name: 'Next slots' });
    await preview.getByText(`${firstDay}, 17:00–17:45`).first().waitFor(LIVE);
    await shoot(host, '1-publish-form');
    await form.getByRole('button', { name: 'Publish' }).click();
    await host.getByText(`Published “${topic}”.`).waitFor(LIVE);
    await shoot(host, '2-published');

    const hostId = (await mira.gql<{ viewer: { person: { id: string } } }>('{ viewer { person { id } } }')).viewer
      .person.id;
    // The first slot, as anyone sees it (signed out): the one the members book.
    const anyone = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' },
      body: JSON.stringify({
        query:
          'query($hostId: ID!) { publicOfficeHours(hostId: $hostId) { officeHours { topic nextSlots(first: 1) { id startsAt endsAt hostLocalStart } } } }',
        variables: { hostId },
      }),
    });
    const publicPage = (
      (await anyone.json()) as {
        data: {
          publicOfficeHours: {
            officeHours: Array<{ topic: string; nextSlots: Array<FirstSlot & { hostLocalStart: string }> }>;
          };
        };
      }
    ).data.publicOfficeHours;
    expect(publicPage.officeHours.map((series) => series.topic)).toEqual([topic]);
    const slot = publicPage.officeHours[0]!.nextSlots[0]!;
    expect(slot.hostLocalStart).toBe(`${startDate}T17:00`);

    // Noah (New York) books the last-but-one seat, with a question.
    const noahCard = await openSlot(noah, 'America/New_York', hostId, slot);
    await noahCard.getByText('2 of 2 seats left').waitFor(LIVE);
    await noahCard.getByRole('button', { name: 'Book', exact: true }).click();
    await noahCard.getByLabel('Your question (optional)').fill('How do I ask for a promotion?');
    await noahCard.getByRole('button', { name: 'Book this seat' }).click();
    await noahCard.getByText('You’re booked.', { exact: true }).first().waitFor(LIVE);
    await noahCard.getByText('1 of 2 seats left').waitFor(LIVE);
    await noahCard.getByText('Online: https://meet.example.com/mira').waitFor(LIVE);
    await shoot(noah.page, '3-noah-booked');

    // Aiko (Tokyo: the session is past midnight there, on Thursday) takes the last seat.
    const aikoCard = await openSlot(aiko, 'Asia/Tokyo', hostId, slot);
    await aikoCard.getByText('1 of 2 seats left').waitFor(LIVE);
    await aikoCard.getByRole('button', { name: 'Book', exact: true }).click();
    await aikoCard.getByRole('button', { name: 'Book this seat' }).click();
    await aikoCard.getByText('You’re booked.', { exact: true }).first().waitFor(LIVE);
    await aikoCard.getByText('Full', { exact: true }).waitFor(LIVE);
    // Nobody sees another attendee's question or link on the page but their own booking's.
    await expect(aikoCard.getByText('How do I ask for a promotion?').count()).resolves.toBe(0);

    // Ravi (Kolkata) finds it full and joins the waitlist.
    const raviCard = await openSlot(ravi, 'Asia/Kolkata', hostId, slot);
    await raviCard.getByText('Every seat is taken.').waitFor(LIVE);
    await expect(raviCard.getByText(/meet\.example\.com/).count()).resolves.toBe(0);
    await raviCard.getByRole('button', { name: 'Join the waitlist' }).click();
    await raviCard.getByLabel('Your question (optional)').fill('Moving from QA into development.');
    await raviCard.getByRole('button', { name: 'Join the waitlist' }).click();
    await raviCard.getByText('You’re 1st on the waitlist.', { exact: false }).waitFor(LIVE);
    await shoot(ravi.page, '4-ravi-waitlisted');

    // Noah cancels his seat.
    await noahCard.getByRole('button', { name: 'Cancel booking' }).click();
    await noahCard.getByRole('button', { name: 'Yes, cancel my seat' }).click();
    await noahCard.getByText('Your booking is cancelled.').waitFor(LIVE);

    // Ravi is offered the seat, with a deadline (live on his open page, or on reload), and takes it.
    const offered = raviCard.getByText('A seat freed up and it’s yours if you accept', { exact: false });
    try {
      await offered.waitFor({ timeout: 10_000 });
    } catch {
      await openSlot(ravi, 'Asia/Kolkata', hostId, slot);
      await offered.waitFor(LIVE);
    }
    await raviCard.locator('.oh-state--offered time').waitFor(LIVE);
    await shoot(ravi.page, '5-ravi-offered');
    await raviCard.getByRole('button', { name: 'Accept the seat' }).click();
    await raviCard.getByText('You’re booked.', { exact: true }).first().waitFor(LIVE);
    await raviCard.getByText('Online: https://meet.example.com/mira').waitFor(LIVE);
    await raviCard.getByText('Full', { exact: true }).waitFor(LIVE);

    // Mira's host view: both attendees with their questions, nobody waiting.
    await host.goto(`${server.url}/office-hours/manage`);
    await host.getByText(topic).first().waitFor(LIVE);
    await host.getByText('Aiko Member').first().waitFor(LIVE);
    await host.getByText('Ravi Member').first().waitFor(LIVE);
    await host.getByText('Moving from QA into development.').first().waitFor(LIVE);
    await shoot(host, '6-host-view');

    // A day before the session (and a second), the 24-hour reminders go out.
    setClockOffset(new Date(slot.startsAt).getTime() - DAY + 1000 - Date.now());
    await runDueJobs(server.app.services);
    await runDueJobs(server.app.services); // the emails the reminders queued
    for (const [member, zone] of [
      [aiko, 'Asia/Tokyo'],
      [ravi, 'Asia/Kolkata'],
    ] as const) {
      await member.page.goto(`${server.url}/notifications`);
      const reminder = member.page.getByText(`Reminder: “${topic}” with Mira Host starts in 24 hours`, {
        exact: false,
      });
      await reminder.first().waitFor(LIVE);
      await member.page.getByText(`(${zone})`, { exact: false }).first().waitFor(LIVE);
      await shoot(member.page, `7-reminder-${zone.split('/')[1]!.toLowerCase()}`);
    }
    await noah.page.goto(`${server.url}/notifications`);
    await noah.page.getByRole('heading', { level: 1 }).first().waitFor(LIVE);
    await expect(noah.page.getByText(`Reminder: “${topic}”`, { exact: false }).count()).resolves.toBe(0);

    // The reminder emails, held in the outbox (the embedded server has no mailer): Aiko's and Ravi's.
    const emails = await server.app.services.db.emailOutbox.findMany({
      where: { subject: { contains: topic } },
      select: { toEmail: true, subject: true, status: true },
    });
    const reminded = emails.filter((email) => email.subject?.startsWith(`Reminder: “${topic}”`));
    const to = async (member: Member) =>
      (await member.gql<{ viewer: { email: string } }>('{ viewer { email } }')).viewer.email;
    expect(new Set(reminded.map((email) => email.toEmail))).toEqual(new Set([await to(aiko), await to(ravi)]));
    expect(reminded.every((email) => email.status === 'HELD')).toBe(true);
  }, 300_000);
});
