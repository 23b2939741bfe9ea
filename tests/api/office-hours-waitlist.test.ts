import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { type Member, signUpMember } from '../support/graphql.js';
import { userIdOf } from '../support/groups.js';
import {
  acceptOffer,
  book,
  bookingAs,
  bookSlot,
  cancelBooking,
  declineOffer,
  entryAs,
  joinWaitlist,
  leaveWaitlist,
  notificationKinds,
  notificationsOf,
  ohMutation,
  publishOneSlot,
  slotAs,
  wait,
} from '../support/office-hours.js';
import { startServer, type TestServer } from '../support/server.js';

// The waitlist over real HTTP: joining only a full slot, in order; a freed seat offered to the head
// of the line (notification and email, a deadline, the seat held meanwhile), then — when the offer
// runs out (the clock moved, the jobs run) or is declined or given back — to the next; accepting
// before the deadline books the seat; an offer never runs past the slot's start minus its minimum
// notice, and none is made once booking has closed; seats the host adds go to the line.

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;
const MINUTE_MS = 60_000;
const OFFER_MINUTES = 120;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(() => setClockOffset(0));

let counter = 0;
const member = (name = 'Member') => signUpMember(url(), { name: `${name} ${++counter}` });
const runJobs = () => runDueJobs(server.app.services);
const offerEmails = (who: Member) =>
  db().emailOutbox.count({
    where: { toUserId: userIdOf(who.id), category: 'NOTIFICATION', subject: { contains: 'A seat is free' } },
  });
const statusOf = async (entryId: string) =>
  (
    await db().officeHoursWaitlistEntry.findUniqueOrThrow({
      where: { id: userIdOf(entryId) },
      select: { status: true, offerExpiresAt: true, bookingId: true },
    })
  ).status;

/** A one-seat slot 3 days ahead that `holder` booked, and `line` waiting in this order. */
async function fullSlot(host: Member, holder: Member, line: Member[], overrides: Record<string, unknown> = {}) {
  const { slotId, officeHoursId } = await publishOneSlot(url(), host, { seats: 1, ...overrides });
  const bookingId = await book(url(), holder, slotId);
  const entries: string[] = [];
  for (const who of line) entries.push(await wait(url(), who, slotId, `${who.name} would like a seat`));
  return { slotId, officeHoursId, bookingId, entries };
}

describe('joining the line', () => {
  it('only a full slot has a line; members join once, in order; the booked and the host do not join', async () => {
    const [host, ada, bob, cy] = [await member('Host'), await member('Ada'), await member('Bob'), await member('Cy')];
    const { slotId } = await publishOneSlot(url(), host, { seats: 1 });
    expect(await joinWaitlist(url(), bob, slotId)).toMatchObject({
      __typename: 'ConflictError',
      code: 'SEATS_AVAILABLE',
    });
    await book(url(), ada, slotId);
    const bobEntry = await joinWaitlist(url(), bob, slotId, 'Can I bring a friend?');
    expect(bobEntry.entry).toMatchObject({ status: 'WAITING', position: 1, question: 'Can I bring a friend?' });
    const cyEntry = await joinWaitlist(url(), cy, slotId);
    expect(cyEntry.entry).toMatchObject({ status: 'WAITING', position: 2 });
    expect(await joinWaitlist(url(), bob, slotId)).toMatchObject({ code: 'ALREADY_WAITLISTED' });
    expect(await joinWaitlist(url(), ada, slotId)).toMatchObject({ code: 'ALREADY_BOOKED' });
    expect(await joinWaitlist(url(), host, slotId)).toMatchObject({ code: 'OWN_SLOT' });
    // Leaving moves the others up.
    expect((await leaveWaitlist(url(), bob, bobEntry.entry.id)).entry.status).toBe('LEFT');
    expect(await entryAs(url(), cy, cyEntry.entry.id)).toMatchObject({ status: 'WAITING', position: 1 });
    expect(await leaveWaitlist(url(), cy, bobEntry.entry.id)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await leaveWaitlist(url(), bob, bobEntry.entry.id)).toMatchObject({ code: 'NOT_WAITING' });
    // Back in line: at the end.
    const again = await joinWaitlist(url(), bob, slotId);
    expect(again.entry).toMatchObject({ status: 'WAITING', position: 2 });
  });
});

describe('offers', () => {
  it('cancel → the head is offered the seat (held, with a deadline, notification and email); on timeout the next; accepting books it', async () => {
    const [host, ada, bob, cy, dan] = [
      await member('Host'),
      await member('Ada'),
      await member('Bob'),
      await member('Cy'),
      await member('Dan'),
    ];
    const { slotId, bookingId, entries } = await fullSlot(host, ada, [bob, cy]);
    const [bobEntry, cyEntry] = entries as [string, string];
    const before = nowMs();
    await cancelBooking(url(), ada, bookingId);
    const after = nowMs();

    const offered = (await entryAs(url(), bob, bobEntry))!;
    expect(offered.status).toBe('OFFERED');
    const deadline = new Date(offered.offerExpiresAt).getTime();
    expect(deadline).toBeGreaterThanOrEqual(before + OFFER_MINUTES * MINUTE_MS);
    expect(deadline).toBeLessThanOrEqual(after + OFFER_MINUTES * MINUTE_MS);
    expect(await notificationKinds(url(), bob)).toContain('OFFICE_HOURS_WAITLIST_OFFER');
    const [offerNote] = (await notificationsOf(url(), bob)).filter((n) => n.kind === 'OFFICE_HOURS_WAITLIST_OFFER');
    expect(offerNote!.text).toMatch(/confirm it by /);
    // Queued with the offer; its subject is set when the mail is rendered, by whichever instance runs it.
    await expect.poll(() => offerEmails(bob), { timeout: 15_000 }).toBe(1);
    expect(await notificationKinds(url(), cy)).not.toContain('OFFICE_HOURS_WAITLIST_OFFER');

    // The seat is held for Bob: nobody else takes it meanwhile.
    expect(await slotAs(url(), dan, slotId)).toMatchObject({ seatsTaken: 1, seatsLeft: 0, state: 'FULL' });
    expect(await bookSlot(url(), dan, slotId)).toMatchObject({ code: 'SLOT_FULL' });
    expect((await slotAs(url(), bob, slotId))!).toMatchObject({
      viewerCanBook: true,
      viewerWaitlistEntry: { status: 'OFFERED' },
      onlineUrl: null,
    });
    expect(await entryAs(url(), cy, cyEntry)).toMatchObject({ status: 'WAITING', position: 1 });
    const job = await db().job.findFirstOrThrow({
      where: { key: `office-hours.offer-expiry:${userIdOf(bobEntry)}`, state: 'PENDING' },
      select: { runAt: true },
    });
    expect(job.runAt.getTime()).toBe(deadline);

    // Nothing runs out before the deadline…
    advanceClock(deadline - nowMs() - MINUTE_MS);
    await runJobs();
    expect(await statusOf(bobEntry)).toBe('OFFERED');
    // …then Bob's offer expires and Cy is offered the seat.
    advanceClock(2 * MINUTE_MS);
    await runJobs();
    expect(await statusOf(bobEntry)).toBe('EXPIRED');
    expect(await statusOf(cyEntry)).toBe('OFFERED');
    expect(await notificationKinds(url(), cy)).toContain('OFFICE_HOURS_WAITLIST_OFFER');
    await expect.poll(() => offerEmails(cy), { timeout: 15_000 }).toBe(1);
    expect(await acceptOffer(url(), bob, bobEntry)).toMatchObject({ code: 'OFFER_EXPIRED' });

    const accepted = await acceptOffer(url(), cy, cyEntry);
    expect(accepted.__typename, JSON.stringify(accepted)).toBe('BookingPayload');
    expect(accepted.booking).toMatchObject({ status: 'BOOKED', question: `${cy.name} would like a seat` });
    expect(await statusOf(cyEntry)).toBe('CONFIRMED');
    expect(await slotAs(url(), cy, slotId)).toMatchObject({
      seatsTaken: 1,
      state: 'FULL',
      viewerBooking: { id: accepted.booking.id },
      viewerWaitlistEntry: null,
      onlineUrl: 'https://meet.example.com/clinic',
    });
    expect(await notificationKinds(url(), host)).toContain('OFFICE_HOURS_BOOKED');
    // Its deadline job went with the acceptance.
    expect(
      await db().job.count({ where: { key: `office-hours.offer-expiry:${userIdOf(cyEntry)}`, state: 'PENDING' } }),
    ).toBe(0);
    expect(await acceptOffer(url(), cy, cyEntry)).toMatchObject({ code: 'NO_OFFER' });
    expect(await db().booking.count({ where: { slotId: userIdOf(slotId), status: 'BOOKED' } })).toBe(1);
  });

  it('declining or leaving with an offer gives it to the next in line', async () => {
    const [host, ada, bob, cy, dan] = [
      await member('Host'),
      await member('Ada'),
      await member('Bob'),
      await member('Cy'),
      await member('Dan'),
    ];
    const { slotId, bookingId, entries } = await fullSlot(host, ada, [bob, cy, dan]);
    const [bobEntry, cyEntry, danEntry] = entries as [string, string, string];
    expect(await declineOffer(url(), bob, bobEntry)).toMatchObject({ code: 'NO_OFFER' });
    await cancelBooking(url(), ada, bookingId);
    expect(await statusOf(bobEntry)).toBe('OFFERED');
    expect(await acceptOffer(url(), cy, bobEntry)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await declineOffer(url(), bob, bobEntry)).entry.status).toBe('LEFT');
    expect(await statusOf(cyEntry)).toBe('OFFERED');
    expect((await leaveWaitlist(url(), cy, cyEntry)).entry.status).toBe('LEFT');
    expect(await statusOf(danEntry)).toBe('OFFERED');
    const booking = await acceptOffer(url(), dan, danEntry);
    expect(booking.booking.status).toBe('BOOKED');
    expect(await slotAs(url(), host, slotId)).toMatchObject({ seatsTaken: 1, waitlist: [] });
  });

  it('booking while holding an offer takes the held seat', async () => {
    const [host, ada, bob] = [await member('Host'), await member('Ada'), await member('Bob')];
    const { slotId, bookingId, entries } = await fullSlot(host, ada, [bob]);
    await cancelBooking(url(), ada, bookingId);
    const booked = await bookSlot(url(), bob, slotId);
    expect(booked.__typename, JSON.stringify(booked)).toBe('BookingPayload');
    expect(await statusOf(entries[0]!)).toBe('CONFIRMED');
    expect((await slotAs(url(), ada, slotId))!).toMatchObject({ seatsTaken: 1, state: 'FULL' });
  });

  it('an offer never runs past the slot’s start minus its minimum notice; none once booking has closed', async () => {
    const [host, ada, bob, cy] = [await member('Host'), await member('Ada'), await member('Bob'), await member('Cy')];
    const { slotId, bookingId, entries } = await fullSlot(host, ada, [bob, cy], { minimumNoticeMinutes: 120 });
    const [bobEntry, cyEntry] = entries as [string, string];
    const { startsAt } = (await slotAs(url(), ada, slotId, 'startsAt'))!;
    const start = new Date(startsAt).getTime();
    // Three hours before the start: the offer's 2 hours would end inside the notice; it ends at close.
    setClockOffset(start - 3 * 60 * MINUTE_MS - Date.now());
    await cancelBooking(url(), ada, bookingId);
    const offered = (await entryAs(url(), bob, bobEntry))!;
    expect(offered.status).toBe('OFFERED');
    expect(new Date(offered.offerExpiresAt).getTime()).toBe(start - 120 * MINUTE_MS);
    // It runs out at the close of booking: nobody else is offered a seat nobody could book any more.
    setClockOffset(start - 120 * MINUTE_MS - Date.now());
    await runJobs();
    expect(await statusOf(bobEntry)).toBe('EXPIRED');
    expect(await statusOf(cyEntry)).toBe('WAITING');
    expect(await notificationKinds(url(), cy)).not.toContain('OFFICE_HOURS_WAITLIST_OFFER');
    expect(await bookSlot(url(), cy, slotId)).toMatchObject({ code: 'TOO_LATE' });
    // Any offer row at all ends by booking's close.
    const rows = await db().officeHoursWaitlistEntry.findMany({
      where: { slotId: userIdOf(slotId), offerExpiresAt: { not: null } },
      select: { offerExpiresAt: true },
    });
    for (const row of rows) expect(row.offerExpiresAt!.getTime()).toBeLessThanOrEqual(start - 120 * MINUTE_MS);
  });

  it('seats the host adds go to the line; a host cancellation empties it', async () => {
    const [host, ada, bob, cy] = [await member('Host'), await member('Ada'), await member('Bob'), await member('Cy')];
    const { slotId, officeHoursId, entries } = await fullSlot(host, ada, [bob, cy]);
    const [bobEntry, cyEntry] = entries as [string, string];
    const updated = await ohMutation(url(), host, 'updateOfficeHours', { officeHoursId, seats: 2 }, '');
    expect(updated.__typename, JSON.stringify(updated)).toBe('UpdateOfficeHoursPayload');
    await runJobs();
    expect(await statusOf(bobEntry)).toBe('OFFERED');
    expect(await statusOf(cyEntry)).toBe('WAITING');
    expect(await slotAs(url(), cy, slotId)).toMatchObject({ seats: 2, seatsTaken: 2, state: 'FULL' });

    const skipped = await ohMutation(url(), host, 'skipOfficeHourSlot', { slotId, message: 'Conference' }, '');
    expect(skipped.__typename, JSON.stringify(skipped)).toBe('OfficeHourSlotPayload');
    expect(await statusOf(bobEntry)).toBe('LEFT');
    expect(await statusOf(cyEntry)).toBe('LEFT');
    expect(
      await db().job.count({ where: { key: `office-hours.offer-expiry:${userIdOf(bobEntry)}`, state: 'PENDING' } }),
    ).toBe(0);
    expect(await acceptOffer(url(), bob, bobEntry)).toMatchObject({ code: 'NO_OFFER' });
    const adaBooking = await db().booking.findFirstOrThrow({
      where: { slotId: userIdOf(slotId), attendeeId: userIdOf(ada.id) },
      select: { id: true },
    });
    expect(await bookingAs(url(), ada, Buffer.from(`Booking:${adaBooking.id}`).toString('base64'))).toMatchObject({
      status: 'CANCELLED',
      cancelledByHost: true,
    });
  });
});
