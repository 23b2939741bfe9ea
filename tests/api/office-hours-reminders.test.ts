import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import type { Member } from '../support/graphql.js';
import { members, userIdOf } from '../support/groups.js';
import { jobRows } from '../support/jobs.js';
import { activeMentorship } from '../support/mentorship.js';
import {
  book,
  cancel,
  createSeries,
  createSlot,
  moveSlot,
  rowId,
  setZone,
  viewerCall,
} from '../support/office-hours-calendar.js';
import { startServer, type TestServer } from '../support/server.js';
import { freePort, type ReceivedMail, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

// Reminders of booked office hours: jobs per booking and lead time (default 24 h and 1 h), run by
// moving the server clock and running due jobs; each makes an OFFICE_HOURS_REMINDER notification and
// an email (a real SMTP server in this process) with the time in the member's zone and the host's and
// the link. A booking inside a lead time gets one reminder at once; a cancelled booking none; a moved
// slot's reminders follow it; a member's own lead times replace the defaults for what is booked.

let smtp: TestSmtpServer;
let server: TestServer;
let host: Member;
const db = () => server.app.services.db;
const url = () => server.graphqlUrl;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The server clock now shows `instant`. */
function clockTo(instant: Date | number): void {
  const target = typeof instant === 'number' ? instant : instant.getTime();
  setClockOffset(target - Date.now());
}

/** A whole minute `ms` from the server's now. */
function fromNow(ms: number): Date {
  return new Date(Math.floor((nowMs() + ms) / MINUTE) * MINUTE);
}

async function run(): Promise<void> {
  await runDueJobs(server.app.services);
}

interface Reminder {
  text: string;
  href: string;
}

async function reminders(who: Member): Promise<Reminder[]> {
  const data = await viewerCall<{
    viewer: { notifications: { edges: Array<{ node: { kind: string; text: string; href: string } }> } };
  }>(url(), who, '{ viewer { notifications(first: 50) { edges { node { kind text href } } } } }');
  return data.viewer.notifications.edges
    .map((edge) => edge.node)
    .filter((node) => node.kind === 'OFFICE_HOURS_REMINDER')
    .map(({ text, href }) => ({ text, href }));
}

async function pendingReminderJobs(prefix: string) {
  return (await jobRows(db()))
    .filter((job) => job.state === 'PENDING' && job.key?.startsWith(prefix))
    .map((job) => ({ key: job.key, runAt: job.runAt.toISOString() }))
    .sort((a, b) => a.key!.localeCompare(b.key!));
}

function mailTo(who: Member, since: number): ReceivedMail[] {
  return smtp.messages.slice(since).filter((mail) => mail.envelope.to.includes(who.email));
}

async function world(seriesOptions: Parameters<typeof createSeries>[2] = {}) {
  const [attendee] = await members(url(), 1, 'Reminded');
  await setZone(db(), attendee!, 'America/New_York');
  const series = await createSeries(db(), host, seriesOptions);
  return { attendee: attendee!, series };
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  server = await startServer({
    env: {
      SMTP_URL: smtp.url,
      PORT: String(port),
      PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
      JOBS_ENABLED: 'false',
    },
  });
  host = (await members(url(), 1, 'Host'))[0]!;
  await setZone(db(), host, 'Europe/Berlin');
});
afterEach(() => setClockOffset(0));
afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
  await smtp?.close();
});

describe('reminders at the default lead times (24 h and 1 h)', () => {
  it('reminds the attendee and the host 24 h and 1 h ahead, by notification and email with both zones and the link', async () => {
    const { attendee, series } = await world();
    const viewer = await viewerCall<{ viewer: { reminderLeadMinutes: number[] } }>(
      url(),
      attendee,
      '{ viewer { reminderLeadMinutes } }',
    );
    expect(viewer.viewer.reminderLeadMinutes).toEqual([1440, 60]);
    const startsAt = fromNow(3 * 24 * HOUR);
    const slot = await createSlot(db(), series, startsAt);
    const booking = await book(db(), slot.id, attendee);
    expect(await pendingReminderJobs(`office-hours.reminder:${booking.id}:`)).toEqual([
      {
        key: `office-hours.reminder:${booking.id}:1440`,
        runAt: new Date(startsAt.getTime() - 24 * HOUR).toISOString(),
      },
      { key: `office-hours.reminder:${booking.id}:60`, runAt: new Date(startsAt.getTime() - HOUR).toISOString() },
    ]);
    expect((await pendingReminderJobs(`office-hours.host-reminder:${slot.id}:`)).map((job) => job.key)).toEqual([
      `office-hours.host-reminder:${slot.id}:1440`,
      `office-hours.host-reminder:${slot.id}:60`,
    ]);

    // Not yet due: nothing.
    clockTo(startsAt.getTime() - 24 * HOUR - MINUTE);
    await run();
    expect(await reminders(attendee)).toEqual([]);

    const mailsBefore = smtp.messages.length;
    clockTo(startsAt.getTime() - 24 * HOUR);
    await run();
    const first = await reminders(attendee);
    expect(first).toHaveLength(1);
    expect(first[0]!.text).toMatch(new RegExp(`^Reminder: “Career questions” with ${host.name} starts in 24 hours`));
    expect(first[0]!.text).toContain('(America/New_York)');
    expect(first[0]!.href).toBe('/bookings');
    const hostReminders = (await reminders(host)).filter((r) => r.text.includes('(1 booked)'));
    expect(hostReminders.length).toBeGreaterThanOrEqual(1);

    // One to the attendee, one to the host.
    await smtp.waitForMessages(mailsBefore + 2);
    const [mail] = mailTo(attendee, mailsBefore);
    expect(mail).toBeDefined();
    expect(mail!.parsed.subject).toBe(`Reminder: “Career questions” with ${host.name} starts in 24 hours`);
    const text = mail!.parsed.text!;
    expect(text).toMatch(/Your time: .* \(America\/New_York\)/);
    expect(text).toMatch(new RegExp(`${host.name}’s time: .* \\(Europe/Berlin\\)`));
    expect(text).toContain('Join online: https://meet.example.org/career');

    clockTo(startsAt.getTime() - HOUR);
    await run();
    const second = await reminders(attendee);
    expect(second).toHaveLength(2);
    expect(second[0]!.text).toContain('starts in 1 hour');

    // Nothing more, even once the session has started.
    clockTo(startsAt.getTime() + 5 * MINUTE);
    await run();
    expect(await reminders(attendee)).toHaveLength(2);
  });

  it('gives a booking made inside a lead time one reminder at once (not one per passed lead), then the next', async () => {
    const { attendee, series } = await world();
    // Two hours ahead: the 24 h lead has passed, the 1 h one has not.
    const startsAt = fromNow(2 * HOUR);
    const slot = await createSlot(db(), series, startsAt);
    const booking = await book(db(), slot.id, attendee);
    await run();
    const now = await reminders(attendee);
    expect(now).toHaveLength(1);
    expect(now[0]!.text).toMatch(/starts in (1 h 59 min|2 hours)/);
    expect((await pendingReminderJobs(`office-hours.reminder:${booking.id}:`)).map((job) => job.key)).toEqual([
      `office-hours.reminder:${booking.id}:60`,
    ]);
    clockTo(startsAt.getTime() - HOUR);
    await run();
    expect(await reminders(attendee)).toHaveLength(2);

    // Thirty minutes ahead: both leads have passed — one reminder, not two.
    const { attendee: late, series: other } = await world();
    const soon = fromNow(30 * MINUTE);
    const lateSlot = await createSlot(db(), other, soon);
    await book(db(), lateSlot.id, late);
    await run();
    clockTo(soon.getTime() - MINUTE);
    await run();
    const lateReminders = await reminders(late);
    expect(lateReminders).toHaveLength(1);
    expect(lateReminders[0]!.text).toMatch(/starts in (29|30) minutes/);
  });
});

describe('mentorship sessions', () => {
  it('reminds both of the pair, each naming the other', async () => {
    const [mentor, mentee] = await members(url(), 2, 'Pair');
    const mentorship = await activeMentorship(url(), mentee!, mentor!);
    const series = await createSeries(db(), mentor!, {
      audience: 'PAIR',
      seats: 1,
      topic: 'Mentorship sessions',
      mentorshipId: userIdOf(mentorship.id),
    });
    const slot = await createSlot(db(), series, fromNow(2 * 24 * HOUR));
    await book(db(), slot.id, mentee!);
    clockTo(slot.startsAt.getTime() - 24 * HOUR);
    await run();
    expect(await reminders(mentee!)).toHaveLength(1);
    expect((await reminders(mentee!))[0]!.text).toMatch(
      new RegExp(`^Reminder: your mentorship session with ${mentor!.name} starts in 24 hours`),
    );
    expect((await reminders(mentor!))[0]!.text).toMatch(
      new RegExp(`^Reminder: your mentorship session with ${mentee!.name} starts in 24 hours`),
    );
  });
});

describe('reminders follow the booking', () => {
  it('sends none for a cancelled booking (its jobs are cancelled by key), nor to a host left with no bookings', async () => {
    const { attendee, series } = await world({ topic: 'Cancelled one' });
    const startsAt = fromNow(3 * 24 * HOUR);
    const slot = await createSlot(db(), series, startsAt);
    const booking = await book(db(), slot.id, attendee);
    await cancel(db(), booking.id, rowId(attendee));
    expect(await pendingReminderJobs(`office-hours.reminder:${booking.id}:`)).toEqual([]);
    for (const at of [startsAt.getTime() - 24 * HOUR, startsAt.getTime() - HOUR]) {
      clockTo(at);
      await run();
    }
    expect(await reminders(attendee)).toEqual([]);
    expect((await reminders(host)).filter((r) => r.text.includes('Cancelled one'))).toEqual([]);
  });

  it('reschedules a moved slot: nothing at the old times, reminders before the new one', async () => {
    const { attendee, series } = await world({ topic: 'Moved one' });
    const startsAt = fromNow(3 * 24 * HOUR);
    const movedTo = new Date(startsAt.getTime() + 2 * 24 * HOUR + 30 * MINUTE);
    const slot = await createSlot(db(), series, startsAt);
    const booking = await book(db(), slot.id, attendee);
    await moveSlot(db(), slot.id, movedTo);
    expect(await pendingReminderJobs(`office-hours.reminder:${booking.id}:`)).toEqual([
      { key: `office-hours.reminder:${booking.id}:1440`, runAt: new Date(movedTo.getTime() - 24 * HOUR).toISOString() },
      { key: `office-hours.reminder:${booking.id}:60`, runAt: new Date(movedTo.getTime() - HOUR).toISOString() },
    ]);
    clockTo(startsAt.getTime() - HOUR);
    await run();
    expect(await reminders(attendee)).toEqual([]);
    clockTo(movedTo.getTime() - 24 * HOUR);
    await run();
    expect(await reminders(attendee)).toHaveLength(1);
  });

  it('re-checks when it runs: a slot moved without telling the reminders gets no reminder at the old time', async () => {
    const { attendee, series } = await world({ topic: 'Stale one' });
    const startsAt = fromNow(3 * 24 * HOUR);
    const slot = await createSlot(db(), series, startsAt);
    await book(db(), slot.id, attendee);
    await db().officeHourSlot.update({
      where: { id: slot.id },
      data: { startsAt: new Date(startsAt.getTime() + HOUR), endsAt: new Date(startsAt.getTime() + 2 * HOUR) },
    });
    clockTo(startsAt.getTime() - 24 * HOUR);
    await run();
    expect(await reminders(attendee)).toEqual([]);
  });

  it('leaves a reminder out of the list once its booking is cancelled', async () => {
    const { attendee, series } = await world({ topic: 'Hidden one' });
    const slot = await createSlot(db(), series, fromNow(2 * HOUR));
    const booking = await book(db(), slot.id, attendee);
    await run();
    expect(await reminders(attendee)).toHaveLength(1);
    await cancel(db(), booking.id, rowId(attendee));
    expect(await reminders(attendee)).toEqual([]);
  });
});

describe("the member's own lead times", () => {
  const SET = /* GraphQL */ `
    mutation ($minutes: [Int!]!) {
      setReminderLeadTimes(input: { minutes: $minutes }) {
        __typename
        ... on SetReminderLeadTimesPayload { viewer { reminderLeadMinutes } }
        ... on ValidationError { fieldErrors { path message } }
      }
    }
  `;
  type SetResult = {
    setReminderLeadTimes: {
      __typename: string;
      viewer?: { reminderLeadMinutes: number[] };
      fieldErrors?: Array<{ path: string; message: string }>;
    };
  };

  it('refuses more than three, duplicates, under 5 minutes or over 7 days, and changes nothing', async () => {
    const { attendee } = await world();
    for (const minutes of [[10, 20, 30, 40], [60, 60], [4], [7 * 24 * 60 + 1]]) {
      const result = await viewerCall<SetResult>(url(), attendee, SET, { minutes });
      expect(result.setReminderLeadTimes.__typename, JSON.stringify(minutes)).toBe('ValidationError');
      expect(result.setReminderLeadTimes.fieldErrors?.[0]?.path).toMatch(/^minutes/);
    }
    const viewer = await viewerCall<{ viewer: { reminderLeadMinutes: number[] } }>(
      url(),
      attendee,
      '{ viewer { reminderLeadMinutes } }',
    );
    expect(viewer.viewer.reminderLeadMinutes).toEqual([1440, 60]);
  });

  it('reschedules the upcoming reminders at the new lead times, and reminds then', async () => {
    const { attendee, series } = await world({ topic: 'Custom one' });
    const startsAt = fromNow(3 * 24 * HOUR);
    const slot = await createSlot(db(), series, startsAt);
    const booking = await book(db(), slot.id, attendee);
    const result = await viewerCall<SetResult>(url(), attendee, SET, { minutes: [15, 120] });
    expect(result.setReminderLeadTimes.viewer?.reminderLeadMinutes).toEqual([120, 15]);
    expect(await pendingReminderJobs(`office-hours.reminder:${booking.id}:`)).toEqual([
      {
        key: `office-hours.reminder:${booking.id}:120`,
        runAt: new Date(startsAt.getTime() - 120 * MINUTE).toISOString(),
      },
      {
        key: `office-hours.reminder:${booking.id}:15`,
        runAt: new Date(startsAt.getTime() - 15 * MINUTE).toISOString(),
      },
    ]);
    // Not at the old 24 h mark, nor a minute before the new 2 h one.
    clockTo(startsAt.getTime() - 24 * HOUR);
    await run();
    clockTo(startsAt.getTime() - 121 * MINUTE);
    await run();
    expect(await reminders(attendee)).toEqual([]);
    clockTo(startsAt.getTime() - 120 * MINUTE);
    await run();
    const custom = await reminders(attendee);
    expect(custom).toHaveLength(1);
    clockTo(startsAt.getTime() - 15 * MINUTE);
    await run();
    const both = await reminders(attendee);
    expect(both).toHaveLength(2);
    expect(both[0]!.text).toContain('starts in 15 minutes');

    // No reminders at all: nothing pending for a new booking.
    setClockOffset(0);
    await viewerCall<SetResult>(url(), attendee, SET, { minutes: [] });
    const later = await createSlot(db(), series, fromNow(5 * 24 * HOUR));
    const quiet = await book(db(), later.id, attendee);
    expect(await pendingReminderJobs(`office-hours.reminder:${quiet.id}:`)).toEqual([]);
  });

  it('keeps exactly the reminders of the lead times that win when a member changes them from several places at once', async () => {
    const { attendee, series } = await world({ topic: 'Racing one' });
    const bookings = [];
    for (const days of [3, 4]) {
      const slot = await createSlot(db(), series, fromNow(days * 24 * HOUR));
      bookings.push(await book(db(), slot.id, attendee));
    }
    const choices = [[120], [30], [45, 10], [300], [90, 20], [15]];
    await Promise.all(choices.map((minutes) => viewerCall<SetResult>(url(), attendee, SET, { minutes })));
    const final = (
      await viewerCall<{ viewer: { reminderLeadMinutes: number[] } }>(
        url(),
        attendee,
        '{ viewer { reminderLeadMinutes } }',
      )
    ).viewer.reminderLeadMinutes;
    // Each change reads the lead times it replaces under the member's row lock, so the pending jobs
    // are those of the last one, and none of a change that lost.
    for (const booking of bookings) {
      expect((await pendingReminderJobs(`office-hours.reminder:${booking.id}:`)).map((job) => job.key).sort()).toEqual(
        final.map((lead) => `office-hours.reminder:${booking.id}:${lead}`).sort(),
      );
    }
  });

  it("moves the host's reminders of their booked slots to the host's new lead times", async () => {
    const [owner, guest] = await members(url(), 2, 'Lead host');
    const series = await createSeries(db(), owner!, { topic: 'Host lead' });
    const slot = await createSlot(db(), series, fromNow(4 * 24 * HOUR));
    await book(db(), slot.id, guest!);
    await viewerCall<SetResult>(url(), owner!, SET, { minutes: [30] });
    expect((await pendingReminderJobs(`office-hours.host-reminder:${slot.id}:`)).map((job) => job.key)).toEqual([
      `office-hours.host-reminder:${slot.id}:30`,
    ]);
  });
});
