import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../server/src/lib/clock.js';
import { gql, type Member, signUpMember } from '../support/graphql.js';
import { createGroup, personId, userIdOf } from '../support/groups.js';
import { book, notificationKinds, ohMutation, ohQuery } from '../support/office-hours.js';
import { startServer, type TestServer } from '../support/server.js';

// Publishing office hours over real HTTP: one-offs and series defined in the host's zone (17:00
// Berlin stays 17:00 Berlin across the March and October changes), a start the zone skips moved
// later and shown to the host, editing a series touching future slots only and keeping bookings where
// the occurrence remains (attendees of moved and removed slots told), skip / move / cancel, the
// buffer and overlap rule, seats below bookings, who sees what per audience, validation per field,
// and the public page signed out (GraphQL and its Open Graph tags). The clock is set to March 2027
// (server clock; in-process servers share it), before Berlin's change on 28 March 2027.

let server: TestServer;
let webDist: string;
const url = () => server.graphqlUrl;
const db = () => server.app.services.db;

const NOW = Date.parse('2027-03-10T12:00:00Z');
const setNow = (ms: number) => setClockOffset(ms - Date.now());

beforeAll(async () => {
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'oh-web-'));
  fs.writeFileSync(
    path.join(webDist, 'index.html'),
    '<!doctype html>\n<html>\n  <head>\n    <title>Guildhall</title>\n  </head>\n  <body><div id="root"></div></body>\n</html>\n',
  );
  server = await startServer({ env: { WEB_DIST: webDist } });
});
afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
  fs.rmSync(webDist, { recursive: true, force: true });
});
afterEach(() => setClockOffset(0));

let counter = 0;
const member = (name = 'Member') => signUpMember(url(), { name: `${name} ${++counter}` });

const SERIES_FIELDS = /* GraphQL */ `
  id topic description timeZone startDate startTime durationMinutes seats audience status
  attendeesSeeNames minimumNoticeMinutes bookingWindowDays bufferMinutes publicUrl viewerIsHost
  onlineUrl location
  recurrence { everyWeeks weekdays untilDate occurrenceCount }
  exceptions { occurrenceDate kind movedToLocal }
  groups { id }
  host { id }
  nextSlots(first: 100) { id occurrenceDate startsAt endsAt hostLocalStart hostTimeZone adjustmentNote seats cancelledAt }
`;

function input(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    topic: 'Code review clinic',
    description: 'Bring a pull request.',
    timeZone: 'Europe/Berlin',
    startDate: '2027-03-16',
    startTime: '17:00',
    durationMinutes: 60,
    seats: 2,
    audience: 'MEMBERS',
    onlineUrl: 'https://meet.example.com/clinic',
    location: 'Room 4',
    minimumNoticeMinutes: 60,
    bookingWindowDays: 400,
    ...overrides,
  };
}

async function publish(host: Member, overrides: Record<string, unknown> = {}) {
  const result = await ohMutation(
    url(),
    host,
    'publishOfficeHours',
    input(overrides),
    `... on OfficeHoursPayload { officeHours { ${SERIES_FIELDS} } }`,
  );
  expect(result.__typename, JSON.stringify(result)).toBe('OfficeHoursPayload');
  return result.officeHours;
}

async function seriesAs(who: Member | null, id: string) {
  const data = await ohQuery(
    url(),
    who,
    `query ($id: ID!) { node(id: $id) { ... on OfficeHours { ${SERIES_FIELDS} } } }`,
    { id },
  );
  return data.node;
}

const update = (host: Member, officeHoursId: string, fields: Record<string, unknown>) =>
  ohMutation(
    url(),
    host,
    'updateOfficeHours',
    { officeHoursId, ...fields },
    `... on UpdateOfficeHoursPayload { movedSlots cancelledSlots officeHours { ${SERIES_FIELDS} } }`,
  );

const utc = (slots: Array<{ occurrenceDate: string; startsAt: string }>, date: string) =>
  slots.find((slot) => slot.occurrenceDate === date)?.startsAt;

describe('publishing', () => {
  it('publishes a one-off: one slot at the local time in the host zone; place and link for the host only', async () => {
    setNow(NOW);
    const [host, other] = [await member('Host'), await member('Other')];
    const series = await publish(host, { startDate: '2027-03-18', startTime: '09:30', durationMinutes: 45 });
    expect(series).toMatchObject({
      topic: 'Code review clinic',
      timeZone: 'Europe/Berlin',
      startDate: '2027-03-18',
      startTime: '09:30',
      recurrence: null,
      status: 'ACTIVE',
      viewerIsHost: true,
      publicUrl: null,
      onlineUrl: 'https://meet.example.com/clinic',
      location: 'Room 4',
    });
    expect(series.nextSlots).toHaveLength(1);
    expect(series.nextSlots[0]).toMatchObject({
      occurrenceDate: '2027-03-18',
      startsAt: '2027-03-18T08:30:00.000Z',
      endsAt: '2027-03-18T09:15:00.000Z',
      hostLocalStart: '2027-03-18T09:30',
      hostTimeZone: 'Europe/Berlin',
      adjustmentNote: null,
      seats: 2,
    });
    expect(await seriesAs(other, series.id)).toMatchObject({ viewerIsHost: false, onlineUrl: null, location: null });
  });

  it('keeps a weekly 17:00 Berlin at 17:00 Berlin across the March and October changes', async () => {
    setNow(NOW);
    const host = await member('Host');
    const series = await publish(host, {
      startDate: '2027-03-16',
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], untilDate: '2027-11-09' },
    });
    const slots = series.nextSlots as Array<{ occurrenceDate: string; startsAt: string; hostLocalStart: string }>;
    expect(slots).toHaveLength(35);
    expect(slots.every((slot) => slot.hostLocalStart.endsWith('T17:00'))).toBe(true);
    expect(utc(slots, '2027-03-23')).toBe('2027-03-23T16:00:00.000Z');
    expect(utc(slots, '2027-03-30')).toBe('2027-03-30T15:00:00.000Z');
    expect(utc(slots, '2027-10-26')).toBe('2027-10-26T15:00:00.000Z');
    expect(utc(slots, '2027-11-02')).toBe('2027-11-02T16:00:00.000Z');
    expect(series.recurrence).toEqual({
      everyWeeks: 1,
      weekdays: ['TUESDAY'],
      untilDate: '2027-11-09',
      occurrenceCount: null,
    });
  });

  it('publishes every other week on two weekdays for a count of sessions', async () => {
    setNow(NOW);
    const host = await member('Host');
    const series = await publish(host, {
      startDate: '2027-03-15',
      startTime: '08:00',
      timeZone: 'America/New_York',
      recurrence: { everyWeeks: 2, weekdays: ['FRIDAY', 'MONDAY'], occurrenceCount: 5 },
    });
    expect(series.nextSlots.map((slot: { occurrenceDate: string }) => slot.occurrenceDate)).toEqual([
      '2027-03-15',
      '2027-03-19',
      '2027-03-29',
      '2027-04-02',
      '2027-04-12',
    ]);
    expect(series.recurrence.weekdays).toEqual(['MONDAY', 'FRIDAY']);
    expect(series.nextSlots[0].startsAt).toBe('2027-03-15T12:00:00.000Z'); // EDT since 14 March
  });

  it('moves a start the zone skips to later and tells the host (only)', async () => {
    setNow(NOW);
    const [host, other] = [await member('Host'), await member('Other')];
    const series = await publish(host, { startDate: '2027-03-28', startTime: '02:30', durationMinutes: 30 });
    expect(series.nextSlots[0]).toMatchObject({
      startsAt: '2027-03-28T01:30:00.000Z',
      hostLocalStart: '2027-03-28T03:30',
      adjustmentNote:
        '02:30 does not exist on 28 March in Europe/Berlin (clocks go forward); this slot starts at 03:30.',
    });
    expect((await seriesAs(other, series.id)).nextSlots[0].adjustmentNote).toBeNull();
    const preview = await ohQuery(
      url(),
      host,
      `query ($input: OfficeHoursScheduleInput!) { officeHoursPreview(input: $input) {
        occurrenceDate hostLocalStart viewerLocalStart adjusted adjustmentNote moved } }`,
      {
        input: {
          timeZone: 'Europe/Berlin',
          startDate: '2027-03-21',
          startTime: '02:30',
          durationMinutes: 30,
          recurrence: { everyWeeks: 1, weekdays: ['SUNDAY'], occurrenceCount: 3 },
        },
      },
    );
    expect(preview.officeHoursPreview.map((p: { adjusted: boolean }) => p.adjusted)).toEqual([false, true, false]);
    expect(preview.officeHoursPreview[1]).toMatchObject({
      occurrenceDate: '2027-03-28',
      hostLocalStart: '2027-03-28T03:30',
      viewerLocalStart: '2027-03-28T01:30',
    });
  });

  it('refuses bad fields one by one, storing nothing', async () => {
    setNow(NOW);
    const host = await member('Host');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ topic: '   ' }, 'topic'],
      [{ topic: 'x'.repeat(121) }, 'topic'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ startDate: '2027-02-30' }, 'startDate'],
      [{ startTime: '25:00' }, 'startTime'],
      [{ durationMinutes: 5 }, 'durationMinutes'],
      [{ seats: 0 }, 'seats'],
      [{ seats: 101 }, 'seats'],
      [{ onlineUrl: 'javascript:alert(1)' }, 'onlineUrl'],
      [{ audience: 'PAIR' }, 'audience'],
      [{ audience: 'GROUPS' }, 'groupIds'],
      [{ minimumNoticeMinutes: -1 }, 'minimumNoticeMinutes'],
      [{ bookingWindowDays: 0 }, 'bookingWindowDays'],
      [{ bufferMinutes: 241 }, 'bufferMinutes'],
      [{ startDate: '2027-03-01' }, 'startDate'], // in the past
      [{ recurrence: { everyWeeks: 9, weekdays: ['MONDAY'], occurrenceCount: 3 } }, 'recurrence.everyWeeks'],
      [{ recurrence: { everyWeeks: 1, weekdays: [], occurrenceCount: 3 } }, 'recurrence.weekdays'],
      [{ recurrence: { everyWeeks: 1, weekdays: ['MONDAY'] } }, 'recurrence.untilDate'],
      [{ recurrence: { everyWeeks: 1, weekdays: ['MONDAY'], untilDate: '2028-12-31' } }, 'recurrence.untilDate'],
      [
        {
          recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 3 },
          exceptions: [{ occurrenceDate: '2027-03-17', kind: 'SKIP' }],
        },
        'exceptions.0.occurrenceDate',
      ],
      [
        {
          recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 3 },
          exceptions: [{ occurrenceDate: '2027-03-23', kind: 'MOVE' }],
        },
        'exceptions.0.movedToLocal',
      ],
    ];
    for (const [overrides, field] of cases) {
      const result = await ohMutation(url(), host, 'publishOfficeHours', input(overrides));
      expect(result.__typename, `${field}: ${JSON.stringify(result)}`).toBe('ValidationError');
      expect(
        result.fieldErrors.map((error: { path: string }) => error.path),
        JSON.stringify(overrides),
      ).toContain(field);
    }
    expect(await db().officeHours.count({ where: { hostId: userIdOf(host.id) } })).toBe(0);
  });

  it('refuses overlapping slots and slots inside the buffer of the host’s other office hours (SLOT_CONFLICT, named in words)', async () => {
    setNow(NOW);
    const host = await member('Host');
    await publish(host, {
      topic: 'Career chats',
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 4 },
      bufferMinutes: 30,
    });
    const overlap = await ohMutation(
      url(),
      host,
      'publishOfficeHours',
      input({ startDate: '2027-03-23', startTime: '17:30' }),
    );
    expect(overlap).toMatchObject({ __typename: 'ConflictError', code: 'SLOT_CONFLICT' });
    expect(overlap.message).toContain('Tuesday 23 March 2027 at 17:30 (Europe/Berlin) overlaps your “Career chats”');
    const buffer = await ohMutation(
      url(),
      host,
      'publishOfficeHours',
      input({ startDate: '2027-03-23', startTime: '18:15' }),
    );
    expect(buffer).toMatchObject({ __typename: 'ConflictError', code: 'SLOT_CONFLICT' });
    expect(buffer.message).toContain('30-minute buffer');
    // right after the buffer is fine; another member's hours never conflict
    await publish(host, { startDate: '2027-03-23', startTime: '18:30' });
    await publish(await member('Someone else'), { startDate: '2027-03-23', startTime: '17:00' });
    expect(await db().officeHours.count({ where: { hostId: userIdOf(host.id) } })).toBe(2);
  });
});

describe('racing changes', () => {
  it('publishes at most one of several overlapping office hours sent at once by the same host (the host schedule lock)', async () => {
    setNow(NOW);
    const host = await member('Host');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        ohMutation(
          url(),
          host,
          'publishOfficeHours',
          input({ topic: `Race ${index}`, startDate: '2027-03-23', startTime: index % 2 ? '17:00' : '17:30' }),
        ),
      ),
    );
    const kinds = results.map((result) => (result.__typename === 'ConflictError' ? result.code : result.__typename));
    expect(kinds.filter((kind) => kind === 'OfficeHoursPayload')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'SLOT_CONFLICT')).toHaveLength(5);
    expect(await db().officeHourSlot.count({ where: { officeHours: { hostId: userIdOf(host.id) } } })).toBe(1);
  });

  it('never leaves a slot with fewer seats than bookings when seats drop while members book', async () => {
    setNow(NOW);
    const host = await member('Host');
    const bookers = await Promise.all(Array.from({ length: 4 }, () => member('Booker')));
    const series = await publish(host, { seats: 4 });
    const slotId = series.nextSlots[0].id;
    await Promise.all([
      ...bookers.map((who) => ohMutation(url(), who, 'bookOfficeHourSlot', { slotId })),
      update(host, series.id, { seats: 1 }),
    ]);
    const slot = await db().officeHourSlot.findUniqueOrThrow({ where: { id: userIdOf(slotId) } });
    const booked = await db().booking.count({ where: { slotId: slot.id, status: 'BOOKED' } });
    expect(booked).toBeLessThanOrEqual(slot.seats);
  });
});

describe('changing a series', () => {
  it('changes future slots only, keeps bookings where the occurrence remains, and tells attendees of moved and removed slots', async () => {
    setNow(NOW);
    const [host, ada, bob, cy] = [await member('Host'), await member('Ada'), await member('Bob'), await member('Cy')];
    const series = await publish(host, {
      startDate: '2027-03-16',
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY', 'THURSDAY'], occurrenceCount: 8 },
    });
    const slotOn = (date: string) =>
      series.nextSlots.find((slot: { occurrenceDate: string }) => slot.occurrenceDate === date);
    const first = slotOn('2027-03-16');
    const tuesday = slotOn('2027-03-23');
    const thursday = slotOn('2027-03-25');
    await book(url(), cy, first.id);
    const kept = await book(url(), ada, tuesday.id, 'Kept?');
    const removed = await book(url(), bob, thursday.id);
    const sequenceBefore = (await db().booking.findUniqueOrThrow({ where: { id: userIdOf(kept) } })).sequence;

    // The first session is over; then the host drops Thursdays and starts an hour later.
    setNow(Date.parse('2027-03-17T12:00:00Z'));
    const changed = await update(host, series.id, {
      startTime: '18:00',
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 8 },
    });
    expect(changed.__typename, JSON.stringify(changed)).toBe('UpdateOfficeHoursPayload');
    expect(changed.cancelledSlots).toBe(4); // Thursdays 18 and 25 March, 1 and 8 April
    expect(changed.movedSlots).toBe(3); // 23 and 30 March, 6 April

    // the past slot is untouched, its booking too
    const past = await db().officeHourSlot.findUniqueOrThrow({ where: { id: userIdOf(first.id) } });
    expect(past.startsAt.toISOString()).toBe('2027-03-16T16:00:00.000Z');
    expect(past.cancelledAt).toBeNull();
    // the Tuesday slot is the same slot, an hour later, with Ada's booking
    const moved = await db().officeHourSlot.findUniqueOrThrow({ where: { id: userIdOf(tuesday.id) } });
    expect(moved.startsAt.toISOString()).toBe('2027-03-23T17:00:00.000Z');
    expect(moved.cancelledAt).toBeNull();
    const adaBooking = await db().booking.findUniqueOrThrow({ where: { id: userIdOf(kept) } });
    expect(adaBooking.status).toBe('BOOKED');
    expect(adaBooking.sequence).toBeGreaterThan(sequenceBefore);
    // the Thursday slot went away with Bob's booking
    const gone = await db().officeHourSlot.findUniqueOrThrow({ where: { id: userIdOf(thursday.id) } });
    expect(gone.cancelledAt).not.toBeNull();
    expect((await db().booking.findUniqueOrThrow({ where: { id: userIdOf(removed) } })).status).toBe('CANCELLED');
    // both were told; the attendee of the past session was not
    expect(await notificationKinds(url(), ada)).toContain('OFFICE_HOURS_SLOT_MOVED');
    expect(await notificationKinds(url(), bob)).toContain('OFFICE_HOURS_BOOKING_CANCELLED');
    expect(await notificationKinds(url(), cy)).not.toContain('OFFICE_HOURS_SLOT_MOVED');
    expect(
      changed.officeHours.nextSlots.every((slot: { hostLocalStart: string }) => slot.hostLocalStart.endsWith('T18:00')),
    ).toBe(true);
  });

  it('refuses fewer seats than a slot has taken (SEATS_BELOW_BOOKINGS), changing nothing', async () => {
    setNow(NOW);
    const [host, ada, bob] = [await member('Host'), await member('Ada'), await member('Bob')];
    const series = await publish(host, {
      seats: 3,
      recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 3 },
    });
    await book(url(), ada, series.nextSlots[1].id);
    await book(url(), bob, series.nextSlots[1].id);
    const refused = await update(host, series.id, { seats: 1, topic: 'Renamed' });
    expect(refused).toMatchObject({ __typename: 'ConflictError', code: 'SEATS_BELOW_BOOKINGS' });
    expect(refused.message).toContain('Tuesday 23 March 2027 at 17:00 (Europe/Berlin) already has 2 seats taken');
    const after = await seriesAs(host, series.id);
    expect(after.topic).toBe('Code review clinic');
    expect(after.nextSlots.every((slot: { seats: number }) => slot.seats === 3)).toBe(true);
    expect((await update(host, series.id, { seats: 2 })).__typename).toBe('UpdateOfficeHoursPayload');
  });

  it('skips one slot (its attendee told), moves another (booking kept, attendee told), cancels the series', async () => {
    setNow(NOW);
    const [host, ada, bob, stranger] = [
      await member('Host'),
      await member('Ada'),
      await member('Bob'),
      await member('Stranger'),
    ];
    const series = await publish(host, { recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 4 } });
    const [s1, s2, s3] = series.nextSlots;
    const adaBooking = await book(url(), ada, s1.id);
    const bobBooking = await book(url(), bob, s2.id);

    expect(await ohMutation(url(), stranger, 'skipOfficeHourSlot', { slotId: s1.id })).toMatchObject({
      code: 'FORBIDDEN',
    });
    const skipped = await ohMutation(
      url(),
      host,
      'skipOfficeHourSlot',
      { slotId: s1.id, message: 'Sorry, ill.' },
      '... on OfficeHourSlotPayload { slot { id cancelledAt } }',
    );
    expect(skipped.slot.cancelledAt).not.toBeNull();
    expect((await db().booking.findUniqueOrThrow({ where: { id: userIdOf(adaBooking) } })).status).toBe('CANCELLED');
    expect(await notificationKinds(url(), ada)).toContain('OFFICE_HOURS_BOOKING_CANCELLED');

    const moved = await ohMutation(
      url(),
      host,
      'moveOfficeHourSlot',
      { slotId: s2.id, startLocal: '2027-03-24T09:00' },
      '... on OfficeHourSlotPayload { slot { id startsAt hostLocalStart occurrenceDate } }',
    );
    expect(moved.slot).toMatchObject({
      id: s2.id,
      startsAt: '2027-03-24T08:00:00.000Z',
      hostLocalStart: '2027-03-24T09:00',
      occurrenceDate: '2027-03-23',
    });
    expect((await db().booking.findUniqueOrThrow({ where: { id: userIdOf(bobBooking) } })).status).toBe('BOOKED');
    expect(await notificationKinds(url(), bob)).toContain('OFFICE_HOURS_SLOT_MOVED');
    expect((await seriesAs(host, series.id)).exceptions).toEqual([
      { occurrenceDate: '2027-03-16', kind: 'SKIP', movedToLocal: null },
      { occurrenceDate: '2027-03-23', kind: 'MOVE', movedToLocal: '2027-03-24T09:00' },
    ]);
    expect((await seriesAs(ada, series.id)).exceptions).toEqual([]);
    const intoThePast = await ohMutation(url(), host, 'moveOfficeHourSlot', {
      slotId: s3.id,
      startLocal: '2027-03-01T09:00',
    });
    expect(intoThePast).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: 'startLocal' }] });

    const cancelled = await ohMutation(
      url(),
      host,
      'cancelOfficeHours',
      { officeHoursId: series.id, message: 'Moving on.' },
      '... on OfficeHoursPayload { officeHours { status cancelledAt nextSlots { id } } }',
    );
    expect(cancelled.officeHours).toMatchObject({ status: 'CANCELLED', nextSlots: [] });
    expect((await db().booking.findUniqueOrThrow({ where: { id: userIdOf(bobBooking) } })).status).toBe('CANCELLED');
    expect(
      await ohMutation(url(), host, 'updateOfficeHours', { officeHoursId: series.id, topic: 'Again' }),
    ).toMatchObject({
      code: 'OFFICE_HOURS_CANCELLED',
    });
  });
});

describe('who sees office hours', () => {
  it('PUBLIC: anyone, signed out too; MEMBERS: members; GROUPS: the groups’ members; never across a block', async () => {
    setNow(NOW);
    const [host, member1, insider, blocked] = [
      await member('Host'),
      await member('Member'),
      await member('Insider'),
      await member('Blocked'),
    ];
    const group = await createGroup(url(), host, {
      name: `Guild ${counter}`,
      slug: `guild-${counter}`,
      visibility: 'PRIVATE',
    });
    await db().membership.create({ data: { groupId: userIdOf(group.id), userId: userIdOf(insider.id) } });
    const pub = await publish(host, { topic: 'Public', audience: 'PUBLIC', startTime: '08:00' });
    const members = await publish(host, { topic: 'Members', audience: 'MEMBERS', startTime: '10:00' });
    const grouped = await publish(host, {
      topic: 'Grouped',
      audience: 'GROUPS',
      groupIds: [group.id],
      startTime: '12:00',
    });
    const blockedResult = await gql(
      url(),
      'mutation ($input: BlockMemberInput!) { blockMember(input: $input) { __typename } }',
      { input: { personId: personId(blocked) } },
      { token: host.token },
    );
    expect(blockedResult.body.data?.blockMember.__typename).toBe('BlockPayload');

    const sees = async (who: Member | null, id: string) => (await seriesAs(who, id)) !== null;
    expect([await sees(null, pub.id), await sees(null, members.id), await sees(null, grouped.id)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([await sees(member1, pub.id), await sees(member1, members.id), await sees(member1, grouped.id)]).toEqual([
      true,
      true,
      false,
    ]);
    expect([await sees(insider, pub.id), await sees(insider, members.id), await sees(insider, grouped.id)]).toEqual([
      true,
      true,
      true,
    ]);
    expect([await sees(blocked, pub.id), await sees(blocked, members.id), await sees(blocked, grouped.id)]).toEqual([
      false,
      false,
      false,
    ]);
    // slots follow their series
    expect(
      (await ohQuery(url(), member1, 'query ($id: ID!) { node(id: $id) { id } }', { id: grouped.nextSlots[0].id }))
        .node,
    ).toBeNull();

    const onProfile = async (who: Member) =>
      (
        await ohQuery(url(), who, 'query ($id: ID!) { person(id: $id) { officeHours { topic } } }', {
          id: personId(host),
        })
      ).person?.officeHours.map((row: { topic: string }) => row.topic);
    expect(await onProfile(member1)).toEqual(['Public', 'Members']);
    expect(await onProfile(insider)).toEqual(['Public', 'Members', 'Grouped']);
    const inGroup = await ohQuery(
      url(),
      insider,
      'query ($slug: String!) { group(slug: $slug) { officeHours { topic groups { id } } } }',
      { slug: group.slug },
    );
    expect(inGroup.group.officeHours.map((row: { topic: string }) => row.topic)).toEqual([
      'Public',
      'Members',
      'Grouped',
    ]);
    expect(inGroup.group.officeHours[2].groups).toEqual([{ id: group.id }]);

    // only the host changes a series: a member who sees it is refused, one who does not is told it is not there
    expect(await update(member1, members.id, { topic: 'Mine now' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await update(member1, grouped.id, { topic: 'Mine now' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await update(blocked, pub.id, { topic: 'Mine now' })).toMatchObject({ code: 'NOT_FOUND' });
    // opening group office hours to every member forgets their groups
    const opened = await update(host, grouped.id, { audience: 'MEMBERS' });
    expect(opened.__typename, JSON.stringify(opened)).toBe('UpdateOfficeHoursPayload');
    expect(opened.officeHours.groups).toEqual([]);
    expect(await sees(member1, grouped.id)).toBe(true);
    await update(host, grouped.id, { audience: 'GROUPS', groupIds: [group.id] });
    expect(await sees(member1, grouped.id)).toBe(false);

    const hosted = await ohQuery(url(), host, 'query { hostedOfficeHours { topic } }');
    expect(hosted.hostedOfficeHours.map((row: { topic: string }) => row.topic).sort()).toEqual([
      'Grouped',
      'Members',
      'Public',
    ]);
  });

  it('shows the public page signed out, with Open Graph tags naming the host and their public topics only', async () => {
    setNow(NOW);
    const host = await signUpMember(url(), { name: `Ada <Lovelace> & "Co" ${++counter}` });
    await publish(host, { topic: 'Analytical <engines>', audience: 'PUBLIC', startTime: '08:00' });
    await publish(host, { topic: 'Members-only secrets', audience: 'MEMBERS', startTime: '10:00' });
    await gql(
      url(),
      'mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { __typename } }',
      { input: { headline: 'Mathematician' } },
      { token: host.token },
    );

    const page = await gql(
      url(),
      'query ($id: ID!) { publicOfficeHours(hostId: $id) { host { id name headline } officeHours { id topic publicUrl onlineUrl location nextSlots { startsAt } } } }',
      { id: personId(host) },
    );
    expect(page.body.errors).toBeUndefined();
    const data = page.body.data!.publicOfficeHours;
    expect(data.host).toMatchObject({ id: personId(host), name: host.name, headline: null });
    expect(data.officeHours).toHaveLength(1);
    expect(data.officeHours[0]).toMatchObject({ topic: 'Analytical <engines>', onlineUrl: null, location: null });
    expect(data.officeHours[0].publicUrl).toMatch(new RegExp(`/office-hours/${encodeURIComponent(personId(host))}$`));
    expect(data.officeHours[0].nextSlots).toHaveLength(1);

    // a member with no public office hours has no public page for a visitor
    const quiet = await member('Quiet');
    const none = await gql(url(), 'query ($id: ID!) { publicOfficeHours(hostId: $id) { host { name } } }', {
      id: personId(quiet),
    });
    expect(none.body.data!.publicOfficeHours).toBeNull();

    const response = await fetch(`${server.url}/office-hours/${encodeURIComponent(personId(host))}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    const og = (property: string) => new RegExp(`<meta property="${property}" content="([^"]*)">`).exec(html)?.[1];
    const escapedName = host.name
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;');
    expect(og('og:title')).toBe(`Office hours with ${escapedName}`);
    expect(og('og:description')).toContain('Analytical &lt;engines&gt;');
    expect(html).not.toContain('Members-only secrets');
    expect(html).not.toContain('<engines>');
    expect(og('og:url')).toContain(`/office-hours/${encodeURIComponent(personId(host))}`);
    expect(html).toContain('<div id="root"></div>');
    // a suspended host's page is gone, for visitors and members alike
    await db().user.update({ where: { id: userIdOf(host.id) }, data: { suspendedAt: new Date() } });
    const suspended = await gql(url(), 'query ($id: ID!) { publicOfficeHours(hostId: $id) { host { name } } }', {
      id: personId(host),
    });
    expect(suspended.body.data!.publicOfficeHours).toBeNull();
    expect((await seriesAs(quiet, data.officeHours[0].id ?? '')) ?? null).toBeNull();
    const gone = await (await fetch(`${server.url}/office-hours/${encodeURIComponent(personId(host))}`)).text();
    expect(gone).not.toContain('og:title');
    // any other page: index.html untouched
    const plain = await (await fetch(`${server.url}/office-hours/${encodeURIComponent(personId(quiet))}`)).text();
    expect(plain).not.toContain('og:title');
  });
});
