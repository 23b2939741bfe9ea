import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { type Member, signUpMember } from '../support/graphql.js';
import { userIdOf } from '../support/groups.js';
import { book, notificationKinds, ohMutation } from '../support/office-hours.js';
import { startServer, type TestServer } from '../support/server.js';

// Review of the office-hours server core (publishing, exceptions, sync): what an edit's exceptions may
// do to slots that already started or to slots with bookings, how far a session may be moved, and a
// cancelled series telling each attendee once. Clock: March 2027, before Berlin's change (28 March).

let server: TestServer;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;
const NOW = Date.parse('2027-03-10T12:00:00Z');
const setNow = (ms: number) => setClockOffset(ms - Date.now());

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
});
afterEach(() => setClockOffset(0));

let counter = 0;
const member = (name = 'Member') => signUpMember(url(), { name: `${name} ${++counter}` });

const FIELDS = /* GraphQL */ `id exceptions { occurrenceDate kind movedToLocal }
  nextSlots(first: 100) { id occurrenceDate startsAt cancelledAt }`;

async function publishWeekly(host: Member, overrides: Record<string, unknown> = {}) {
  const result = await ohMutation(
    url(),
    host,
    'publishOfficeHours',
    {
      topic: 'Review clinic',
      timeZone: 'Europe/Berlin',
      startDate: '2027-03-16',
      startTime: '17:00',
      durationMinutes: 60,
      seats: 2,
      audience: 'MEMBERS',
      minimumNoticeMinutes: 0,
      bookingWindowDays: 400,
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 4 },
      ...overrides,
    },
    `... on OfficeHoursPayload { officeHours { ${FIELDS} } }`,
  );
  expect(result.__typename, JSON.stringify(result)).toBe('OfficeHoursPayload');
  return result.officeHours;
}

const update = (host: Member, officeHoursId: string, fields: Record<string, unknown>) =>
  ohMutation(
    url(),
    host,
    'updateOfficeHours',
    { officeHoursId, ...fields },
    `... on UpdateOfficeHoursPayload { movedSlots cancelledSlots officeHours { ${FIELDS} } }`,
  );

describe('exceptions an edit may not make', () => {
  it('refuses a MOVE into the past in an edit (VALIDATION), keeping the booked slot and its booking', async () => {
    setNow(NOW);
    const [host, ada] = [await member('Host'), await member('Ada')];
    const series = await publishWeekly(host);
    const slot = series.nextSlots.find((s: { occurrenceDate: string }) => s.occurrenceDate === '2027-03-23');
    const booking = await book(url(), ada, slot.id);
    const refused = await update(host, series.id, {
      exceptions: [{ occurrenceDate: '2027-03-23', kind: 'MOVE', movedToLocal: '2027-03-01T09:00' }],
    });
    expect(refused, JSON.stringify(refused)).toMatchObject({ __typename: 'ValidationError' });
    expect(refused.fieldErrors[0].path).toMatch(/^exceptions/);
    const after = await db().officeHourSlot.findUniqueOrThrow({ where: { id: userIdOf(slot.id) } });
    expect(after.cancelledAt).toBeNull();
    expect((await db().booking.findUniqueOrThrow({ where: { id: userIdOf(booking) } })).status).toBe('BOOKED');
    expect(await notificationKinds(url(), ada)).not.toContain('OFFICE_HOURS_BOOKING_CANCELLED');
  });

  it('refuses a MOVE into the past when publishing (no occurrence silently dropped)', async () => {
    setNow(NOW);
    const host = await member('Host');
    const refused = await ohMutation(url(), host, 'publishOfficeHours', {
      topic: 'Review clinic',
      timeZone: 'Europe/Berlin',
      startDate: '2027-03-16',
      startTime: '17:00',
      durationMinutes: 60,
      seats: 2,
      audience: 'MEMBERS',
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 4 },
      exceptions: [{ occurrenceDate: '2027-03-23', kind: 'MOVE', movedToLocal: '2027-03-02T09:00' }],
    });
    expect(refused, JSON.stringify(refused)).toMatchObject({ __typename: 'ValidationError' });
  });

  it('refuses a new exception for a session that already started (it would be stored and do nothing)', async () => {
    setNow(NOW);
    const host = await member('Host');
    const series = await publishWeekly(host);
    setNow(Date.parse('2027-03-17T12:00:00Z')); // the 16 March session is over
    for (const exception of [
      { occurrenceDate: '2027-03-16', kind: 'MOVE', movedToLocal: '2027-03-19T09:00' },
      { occurrenceDate: '2027-03-16', kind: 'SKIP' },
    ]) {
      const refused = await update(host, series.id, { exceptions: [exception] });
      expect(refused, JSON.stringify(refused)).toMatchObject({ __typename: 'ValidationError' });
    }
    const slots = await db().officeHourSlot.findMany({ where: { officeHoursId: userIdOf(series.id) } });
    expect(slots).toHaveLength(4);
    expect(slots.every((s) => s.cancelledAt === null)).toBe(true);
    // an edit that leaves the past untouched still passes, with the stored exceptions kept
    const moved = await update(host, series.id, {
      exceptions: [{ occurrenceDate: '2027-03-23', kind: 'MOVE', movedToLocal: '2027-03-24T09:00' }],
    });
    expect(moved.__typename, JSON.stringify(moved)).toBe('UpdateOfficeHoursPayload');
    const renamed = await update(host, series.id, { topic: 'Renamed' });
    expect(renamed.__typename, JSON.stringify(renamed)).toBe('UpdateOfficeHoursPayload');
    expect(renamed.officeHours.exceptions).toEqual([
      { occurrenceDate: '2027-03-23', kind: 'MOVE', movedToLocal: '2027-03-24T09:00' },
    ]);
  });

  it('keeps a MOVE that was made before its session took place through later edits', async () => {
    setNow(NOW);
    const host = await member('Host');
    const series = await publishWeekly(host);
    const slot = series.nextSlots.find((s: { occurrenceDate: string }) => s.occurrenceDate === '2027-03-16');
    const moved = await ohMutation(url(), host, 'moveOfficeHourSlot', {
      slotId: slot.id,
      startLocal: '2027-03-15T09:00',
    });
    expect(moved.__typename, JSON.stringify(moved)).toBe('OfficeHourSlotPayload');
    setNow(Date.parse('2027-03-17T12:00:00Z'));
    const renamed = await update(host, series.id, { topic: 'Renamed', seats: 3 });
    expect(renamed.__typename, JSON.stringify(renamed)).toBe('UpdateOfficeHoursPayload');
    expect(renamed.officeHours.exceptions).toEqual([
      { occurrenceDate: '2027-03-16', kind: 'MOVE', movedToLocal: '2027-03-15T09:00' },
    ]);
  });

  it('refuses moving a session years away (moveOfficeHourSlot and an edit), within the series span only', async () => {
    setNow(NOW);
    const host = await member('Host');
    const series = await publishWeekly(host);
    const slot = series.nextSlots[1];
    const far = await ohMutation(url(), host, 'moveOfficeHourSlot', {
      slotId: slot.id,
      startLocal: '9999-03-24T09:00',
    });
    expect(far, JSON.stringify(far)).toMatchObject({ __typename: 'ValidationError' });
    const farEdit = await update(host, series.id, {
      exceptions: [{ occurrenceDate: '2027-03-23', kind: 'MOVE', movedToLocal: '2031-03-24T09:00' }],
    });
    expect(farEdit, JSON.stringify(farEdit)).toMatchObject({ __typename: 'ValidationError' });
    const slots = await db().officeHourSlot.findMany({ where: { officeHoursId: userIdOf(series.id) } });
    expect(slots.every((s) => s.startsAt.getUTCFullYear() === 2027)).toBe(true);
  });

  it('refuses a MOVE onto another occurrence (SLOT_CONFLICT)', async () => {
    setNow(NOW);
    const host = await member('Host');
    const series = await publishWeekly(host);
    const slot = series.nextSlots.find((s: { occurrenceDate: string }) => s.occurrenceDate === '2027-03-23');
    const onto = await ohMutation(url(), host, 'moveOfficeHourSlot', {
      slotId: slot.id,
      startLocal: '2027-03-30T17:30',
    });
    expect(onto).toMatchObject({ __typename: 'ConflictError', code: 'SLOT_CONFLICT' });
  });
});

describe('the buffer and overlap rule', () => {
  it('counts the series’ own session in progress: a session moved onto it is refused (SLOT_CONFLICT)', async () => {
    setNow(NOW);
    const host = await member('Host');
    const series = await publishWeekly(host);
    const next = series.nextSlots.find((s: { occurrenceDate: string }) => s.occurrenceDate === '2027-03-23');
    setNow(Date.parse('2027-03-16T16:30:00Z')); // 17:30 in Berlin: the 16 March session (17:00–18:00) is on
    const onto = await ohMutation(url(), host, 'moveOfficeHourSlot', {
      slotId: next.id,
      startLocal: '2027-03-16T17:45',
    });
    expect(onto, JSON.stringify(onto)).toMatchObject({ __typename: 'ConflictError', code: 'SLOT_CONFLICT' });
    const after = await db().officeHourSlot.findUniqueOrThrow({ where: { id: userIdOf(next.id) } });
    expect(after.startsAt.toISOString()).toBe('2027-03-23T16:00:00.000Z');
  });

  it('does not hold the session in progress against its own occurrence (an edit of the start time passes)', async () => {
    setNow(NOW);
    const host = await member('Host');
    const series = await publishWeekly(host, { bufferMinutes: 15 });
    setNow(Date.parse('2027-03-16T16:30:00Z')); // the 16 March session is on
    const later = await update(host, series.id, { startTime: '18:00' });
    expect(later.__typename, JSON.stringify(later)).toBe('UpdateOfficeHoursPayload');
    expect(later.movedSlots).toBe(3);
  });
});

describe('cancelling a series', () => {
  it('tells an attendee booked in several of its sessions once', async () => {
    setNow(NOW);
    const [host, ada] = [await member('Host'), await member('Ada')];
    const series = await publishWeekly(host);
    for (const slot of series.nextSlots.slice(0, 3)) await book(url(), ada, slot.id);
    const cancelled = await ohMutation(url(), host, 'cancelOfficeHours', { officeHoursId: series.id, message: 'Bye.' });
    expect(cancelled.__typename, JSON.stringify(cancelled)).toBe('OfficeHoursPayload');
    const kinds = await notificationKinds(url(), ada);
    expect(kinds.filter((kind) => kind === 'OFFICE_HOURS_BOOKING_CANCELLED')).toHaveLength(1);
    const left = await db().booking.findMany({ where: { slot: { officeHoursId: userIdOf(series.id) } } });
    expect(left.every((row) => row.status === 'CANCELLED')).toBe(true);
  });
});
