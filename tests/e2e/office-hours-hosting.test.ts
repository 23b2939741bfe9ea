import type { Browser } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { timeZoneTransitions } from '../../server/src/lib/time.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';
import { personIdOf } from '../support/chat-browser.js';
import { signUpMember, type Member } from '../support/community-browser.js';
import { mentorProfileInput } from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// The host's side of office hours in the browser. A host in New York publishes a weekly series in
// Berlin's zone across Berlin's spring change: the live preview shows the slots in both zones and
// flags the one the skipped hour moved, an occurrence is skipped from the preview, a missing topic is
// refused on its field. On the manage page the host sees a booking's question and the waitlist, is
// told in words when another series would clash, edits the time (and is told what moved), skips a
// slot, and once a slot has started marks who attended. On a mentorship page, the mentor picks one of
// the agreement's times, the mentee confirms it, marks the first session held, and cancels the rest.

let server: TestServer;
let browser: Browser;
let closeBrowser: () => Promise<void>;
const members: Member[] = [];
const LIVE = { timeout: 30_000 };
const DAY = 86_400_000;
const BERLIN = 'Europe/Berlin';

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

/** The Berlin date of its next spring change (clocks forward) at least two weeks from the server's now. */
function nextSpringChange(): string {
  const from = new Date(nowMs() + 14 * DAY);
  const change = timeZoneTransitions(BERLIN, from, new Date(from.getTime() + 400 * DAY)).find(
    (transition) => transition.offsetAfterMinutes > transition.offsetBeforeMinutes,
  );
  if (!change) throw new Error('no spring change in Berlin within 400 days');
  return Temporal.Instant.fromEpochMilliseconds(change.instant.getTime())
    .toZonedDateTimeISO(BERLIN)
    .toPlainDate()
    .toString();
}

const addDays = (date: string, days: number) => Temporal.PlainDate.from(date).add({ days }).toString();

type Data = Record<string, unknown>;

describe('office hours, the host side', () => {
  it('publishes a series with a preview in both zones, then runs it from the manage page', async () => {
    const host = await signUpMember(browser, server.url, 'Henrike Host', undefined, 'America/New_York');
    const mia = await signUpMember(browser, server.url, 'Mia Member');
    const noah = await signUpMember(browser, server.url, 'Noah Waiting');
    members.push(host, mia, noah);
    const page = host.page;

    // Nothing yet: the manage page says so and leads to the form.
    await page.goto(`${server.url}/office-hours/manage`);
    await page.getByText('You aren’t offering office hours yet.').waitFor(LIVE);
    await page.getByRole('link', { name: 'Publish office hours' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Publish office hours' }).waitFor(LIVE);
    const form = page.getByRole('form', { name: 'Office hours' });

    // No topic: refused on its field before anything is sent.
    await form.getByRole('button', { name: 'Publish' }).click();
    await form.locator('.text-field--invalid').getByText('Say what these office hours are about.').waitFor(LIVE);

    // Sundays at 02:30 Berlin time, three times, from the Sunday before the clocks go forward.
    const change = nextSpringChange();
    const first = addDays(change, -7);
    const third = addDays(change, 7);
    await form.getByLabel('Topic').fill('Career chats');
    await form.getByLabel('Time zone').selectOption(BERLIN);
    await form.getByLabel('Starting').fill(first);
    await form.getByLabel('Start time').fill('02:30');
    await form.getByLabel('Minutes').fill('45');
    await form.getByLabel('How many times').fill('3');
    await form.getByLabel('Online link').fill('https://meet.example.com/career');
    await form.getByLabel('Bookable up to').selectOption('180');
    await expect(form.getByLabel('Sunday').isChecked()).resolves.toBe(true);

    // The preview: Berlin's times and the host's own (New York), the skipped hour flagged and explained.
    const preview = page.getByRole('complementary', { name: 'Next slots' });
    const adjusted = preview.locator(`[data-occurrence="${change}"]`);
    await adjusted.getByText('Adjusted').waitFor(LIVE);
    await adjusted.getByText(/02:30 does not exist/).waitFor(LIVE);
    await adjusted.getByText('03:30', { exact: false }).first().waitFor();
    await preview
      .locator(`[data-occurrence="${first}"]`)
      .getByText(/^Your time: /)
      .waitFor();
    await preview.locator(`[data-occurrence="${first}"]`).getByText('21:30', { exact: false }).waitFor();
    // The third Sunday is skipped from the preview list; it can be restored from the changes.
    await preview.locator(`[data-occurrence="${third}"]`).getByRole('button', { name: /^Skip/ }).click();
    await preview.getByText(/^Skipped: /).waitFor(LIVE);
    await preview.getByRole('button', { name: 'Restore' }).waitFor();
    await page.screenshot({ path: screenshotPath('office-hours-publish'), fullPage: true });
    await form.getByRole('button', { name: 'Publish' }).click();

    // The manage page: published, its public link, the adjusted slot explained to the host.
    await page.getByText('Published “Career chats”.').waitFor(LIVE);
    const series = page.getByRole('region', { name: 'Career chats' });
    await series.getByRole('button', { name: 'Copy link' }).waitFor(LIVE);
    await series.getByText(/02:30 does not exist/).waitFor();
    await expect(series.locator('[data-slot-id]').count()).resolves.toBe(2);

    // Mia books the first slot's only seat with a question; then Noah joins its waitlist.
    const hosted = await host.gql<{
      hostedOfficeHours: Array<{ id: string; nextSlots: Array<{ id: string; startsAt: string }> }>;
    }>('{ hostedOfficeHours { id nextSlots { id startsAt } } }');
    const [slot1, slot2] = hosted.hostedOfficeHours[0]!.nextSlots;
    const booked = await mia.gql<{ bookOfficeHourSlot: Data }>(
      'mutation($input: BookOfficeHourSlotInput!) { bookOfficeHourSlot(input: $input) { __typename ... on Error { code message } } }',
      { input: { slotId: slot1!.id, question: 'How do I move into platform work?' } },
    );
    expect(booked.bookOfficeHourSlot.__typename, JSON.stringify(booked)).toBe('BookingPayload');
    await page.reload();
    const firstSlot = series.locator(`[data-slot-id="${slot1!.id}"]`);
    await firstSlot.getByText('1 of 1 seat taken · 0 left').waitFor(LIVE);
    await firstSlot.getByRole('link', { name: 'Mia Member' }).waitFor();
    await firstSlot.getByText('“How do I move into platform work?”').waitFor();
    // The waitlist reaches the open page live.
    const waiting = await noah.gql<{ joinOfficeHoursWaitlist: Data }>(
      'mutation($input: JoinOfficeHoursWaitlistInput!) { joinOfficeHoursWaitlist(input: $input) { __typename ... on Error { code message } } }',
      { input: { slotId: slot1!.id, question: 'Same question, from data engineering.' } },
    );
    expect(waiting.joinOfficeHoursWaitlist.__typename, JSON.stringify(waiting)).not.toMatch(/Error$/);
    await firstSlot.getByRole('link', { name: 'Noah Waiting' }).waitFor(LIVE);
    await firstSlot.getByText('#1').waitFor();
    await firstSlot.getByText('“Same question, from data engineering.”').waitFor();
    await page.screenshot({ path: screenshotPath('office-hours-manage'), fullPage: true });

    // A one-off that overlaps the first slot is refused in words.
    await page.goto(`${server.url}/office-hours/new`);
    await form.getByLabel('Topic').fill('Quick reviews');
    await form.getByLabel('Once').check();
    await form.getByLabel('Time zone').selectOption(BERLIN);
    await form.getByLabel('Date').fill(first);
    await form.getByLabel('Start time').fill('02:45');
    await form.getByLabel('Minutes').fill('30');
    await form.getByRole('button', { name: 'Publish' }).click();
    await form
      .getByRole('alert')
      .getByText(/clashes with another of your office hours/)
      .waitFor(LIVE);

    // Editing the series' time: the page says what moved (and the booking stays).
    await page.goto(`${server.url}/office-hours/manage`);
    await series.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit “Career chats”' }).waitFor(LIVE);
    await expect(form.getByLabel('Online link').inputValue()).resolves.toBe('https://meet.example.com/career');
    await form.getByLabel('Start time').fill('17:00');
    await preview
      .locator(`[data-occurrence="${change}"]`)
      .getByText('Adjusted')
      .waitFor({ state: 'detached', ...LIVE });
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/^Saved: 2 slots moved\. Their attendees were told\.$/).waitFor(LIVE);
    await firstSlot.getByRole('link', { name: 'Mia Member' }).waitFor(LIVE);
    await expect(series.getByText(/does not exist/).count()).resolves.toBe(0);

    // Skipping the second slot, with a message.
    const secondSlot = series.locator(`[data-slot-id="${slot2!.id}"]`);
    await secondSlot.getByRole('button', { name: 'Skip this slot' }).click();
    const skip = secondSlot.getByRole('form', { name: 'Skip this slot' });
    await skip.getByLabel('Message to attendees (optional)').fill('Travelling that week.');
    await skip.getByRole('button', { name: 'Skip the slot' }).click();
    await secondSlot.getByText('Cancelled', { exact: true }).waitFor(LIVE);

    // Once the first slot has started (the server's clock and the browser's), the host marks Mia attended.
    const started = new Date(slot1!.startsAt).getTime() + 24 * 3_600_000 + 10 * 60_000;
    setClockOffset(started - Date.now());
    await host.context.clock.install({ time: new Date(started) });
    await page.reload();
    await series.getByText(/^Past slots \(1\)/).click();
    const pastSlot = series.locator(`[data-slot-id="${slot1!.id}"]`);
    await pastSlot.getByRole('button', { name: 'Attended' }).click();
    await pastSlot.getByText('Attended', { exact: true }).and(pastSlot.locator('.tag')).waitFor(LIVE);
    setClockOffset(0);
  }, 120_000);

  it('schedules a mentorship’s sessions from its agreement: pick, confirm, mark held, cancel', async () => {
    const mentor = await signUpMember(browser, server.url, 'Grete Mentor', undefined, BERLIN);
    const mentee = await signUpMember(browser, server.url, 'Sam Mentee', undefined, 'America/New_York');
    members.push(mentor, mentee);
    const hours = [
      { weekday: 'TUESDAY', start: '08:00', end: '20:00' },
      { weekday: 'THURSDAY', start: '08:00', end: '20:00' },
    ];
    await mentor.gql('mutation($input: SaveMentorProfileInput!) { saveMentorProfile(input: $input) { __typename } }', {
      input: mentorProfileInput({ timeZone: BERLIN, weeklyHours: hours, cadences: ['WEEKLY'] }),
    });
    await mentee.gql('mutation($input: SaveMenteeNeedsInput!) { saveMenteeNeeds(input: $input) { __typename } }', {
      input: {
        skills: [{ name: 'TypeScript', currentLevel: 'WORKING', wantedLevel: 'EXPERT' }],
        goals: 'Lead the frontend of my team.',
        helpWanted: ['TECHNICAL_SKILLS'],
        formats: ['VIDEO'],
        cadence: 'WEEKLY',
        timeZone: 'America/New_York',
        weeklyHours: hours,
      },
    });
    const asked = await mentee.gql<{ requestMentorship: { request: { id: string } } }>(
      'mutation($input: RequestMentorshipInput!) { requestMentorship(input: $input) { __typename ... on MentorshipRequestPayload { request { id } } } }',
      { input: { mentorId: await personIdOf(mentor), message: 'Weekly sessions, please.', goals: 'Lead' } },
    );
    const accepted = await mentor.gql<{ acceptMentorshipRequest: { request: { mentorship: { id: string } } } }>(
      'mutation($input: AcceptMentorshipRequestInput!) { acceptMentorshipRequest(input: $input) { __typename ... on MentorshipRequestPayload { request { mentorship { id } } } } }',
      { input: { requestId: asked.requestMentorship.request.id } },
    );
    const mentorshipId = accepted.acceptMentorshipRequest.request.mentorship.id;
    const path = `${server.url}/mentorships/${encodeURIComponent(mentorshipId)}`;

    // Without an agreement the panel says why there is nothing to pick.
    await mentor.page.goto(path);
    const mentorSessions = mentor.page.getByRole('region', { name: 'Sessions' });
    await mentorSessions.getByText('No session times to propose yet').waitFor(LIVE);

    const today = Temporal.Instant.fromEpochMilliseconds(nowMs()).toZonedDateTimeISO(BERLIN).toPlainDate();
    const proposed = await mentor.gql<{ proposeMentorshipAgreement: { agreement: { id: string } } }>(
      'mutation($input: ProposeMentorshipAgreementInput!) { proposeMentorshipAgreement(input: $input) { __typename ... on MentorshipAgreementPayload { agreement { id } } } }',
      {
        input: {
          mentorshipId,
          cadence: 'WEEKLY',
          format: 'VIDEO',
          sessionMinutes: 45,
          startsOn: today.toString(),
          plannedEndOn: today.add({ days: 90 }).toString(),
          mentorExpectations: 'Come with a question.',
          menteeExpectations: 'Honest feedback.',
          confidentiality: 'What we say stays between us.',
        },
      },
    );
    await mentee.gql(
      'mutation($input: AcceptMentorshipAgreementInput!) { acceptMentorshipAgreement(input: $input) { __typename } }',
      { input: { agreementId: proposed.proposeMentorshipAgreement.agreement.id } },
    );

    // The mentor picks the first proposed time (labelled in both zones); it waits for the mentee.
    await mentor.page.reload();
    const firstProposal = mentorSessions.getByRole('button', { name: /^Propose / }).first();
    await firstProposal.waitFor(LIVE);
    await expect(mentorSessions.locator('.sessions-panel__proposal').first().textContent()).resolves.toMatch(
      /Berlin.*New York/,
    );
    await firstProposal.click();
    await mentorSessions.getByText('Waiting for Sam Mentee to confirm.').waitFor(LIVE);

    // The mentee confirms: the sessions are listed in both zones.
    await mentee.page.goto(path);
    const menteeSessions = mentee.page.getByRole('region', { name: 'Sessions' });
    await menteeSessions.getByRole('button', { name: 'Confirm the sessions' }).click();
    await menteeSessions.getByText('Scheduled').waitFor(LIVE);
    const sessionItems = menteeSessions.locator('[data-session-id]');
    await sessionItems.first().getByText('your time').waitFor(LIVE);
    await sessionItems
      .first()
      .getByText(/in Berlin$/)
      .waitFor();
    await mentorSessions.getByText('Scheduled').waitFor(LIVE);
    await mentee.page.screenshot({ path: screenshotPath('office-hours-sessions'), fullPage: true });

    // Once the first session has started, the mentee marks it held: it becomes a check-in.
    const data = await mentee.gql<{ node: { upcomingSessions: Array<{ id: string; startsAt: string }> } }>(
      'query($id: ID!) { node(id: $id) { ... on Mentorship { upcomingSessions { id startsAt } } } }',
      { id: mentorshipId },
    );
    const firstSession = data.node.upcomingSessions[0]!;
    const started = new Date(firstSession.startsAt).getTime() + 5 * 60_000;
    setClockOffset(started - Date.now());
    await mentee.context.clock.install({ time: new Date(started) });
    await mentee.page.reload();
    const held = menteeSessions.locator(`[data-session-id="${firstSession.id}"]`);
    await held.getByRole('button', { name: 'Mark held' }).click();
    await held.getByText('Held', { exact: true }).waitFor(LIVE);
    await mentee.page.getByRole('region', { name: 'Check-ins' }).locator('.check-in').first().waitFor(LIVE);

    // Cancelling the series: the agreement's times are offered again.
    await menteeSessions.getByRole('button', { name: 'Cancel the series' }).click();
    await menteeSessions.getByRole('button', { name: 'Cancel every future session' }).click();
    await menteeSessions
      .getByRole('button', { name: /^Propose / })
      .first()
      .waitFor(LIVE);
    setClockOffset(0);
  }, 120_000);
});
