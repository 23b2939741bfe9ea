import { Temporal } from 'temporal-polyfill';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nowMs, setClockOffset } from '../../server/src/lib/clock.js';
import { runDueJobs } from '../../server/src/modules/jobs/index.js';
import { FIRST_SESSION_LEAD_MS } from '../../server/src/modules/office-hours/sessions.times.js';
import { backendFromEnv } from '../support/backend.js';
import { type ChatMember, chatMember, query } from '../support/chat.js';
import { gql } from '../support/graphql.js';
import { createGroup, mutate } from '../support/groups.js';
import {
  activeMentorship,
  acceptAgreement,
  mentorshipMutation,
  proposeAgreement,
  rowIdOf,
  tag,
} from '../support/mentorship.js';
import { startServer, type TestServer } from '../support/server.js';

// Mentorship sessions: the accepted agreement and both members' working hours (each in their own
// zone) give session times; either side proposes a PAIR series, only the other side confirms it
// (slots made, the mentee booked in each), declines it or either cancels it; ending the mentorship
// cancels its future sessions. A session marked held is one CheckIn that program metrics count; one
// nobody marked held nudges both a day after it ended. Proposals are checked here independently
// (Temporal, wall-clock arithmetic in each zone) in Kolkata + São Paulo and across Berlin's DST change.

const DAY = 24 * 3600_000;
const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const WORKDAYS = WEEKDAYS.slice(0, 5);
const REVIEW = { wentWell: 'We met weekly.', outcome: 'GOALS_MET', wouldRecommend: true };

type Hours = Array<{ weekday: string; start: string; end: string }>;
const workdays = (start: string, end: string): Hours => WORKDAYS.map((weekday) => ({ weekday, start, end }));

interface Proposal {
  startsAt: string;
  everyWeeks: number;
  durationMinutes: number;
  mentorLocal: string;
  menteeLocal: string;
  mentorTimeZone: string;
  menteeTimeZone: string;
  label: string;
}

let server: TestServer;
let url: string;
const db = () => server.app.services.db;
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const setClock = (at: number) => setClockOffset(at - Date.now());

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
});
afterEach(() => setClockOffset(0));
afterAll(async () => {
  setClockOffset(0);
  await server?.stop();
});

async function saveNeeds(who: ChatMember, timeZone: string, weeklyHours: Hours): Promise<void> {
  const response = await gql(
    url,
    `mutation ($input: SaveMenteeNeedsInput!) { saveMenteeNeeds(input: $input) { __typename } }`,
    {
      input: {
        skills: [{ name: 'TypeScript', currentLevel: 'WORKING', wantedLevel: 'EXPERT' }],
        goals: 'Lead the frontend of my team.',
        helpWanted: ['TECHNICAL_SKILLS'],
        formats: ['VIDEO'],
        cadence: 'WEEKLY',
        timeZone,
        weeklyHours,
      },
    },
    { token: who.token },
  );
  expect(response.body.data?.saveMenteeNeeds.__typename, JSON.stringify(response.body)).toBe('SaveMenteeNeedsPayload');
}

interface Pair {
  mentee: ChatMember;
  mentor: ChatMember;
  mentorshipId: string;
}

/** A mentor and a mentee with their hours, an ACTIVE mentorship and an accepted agreement. */
async function agreedPair(options: {
  mentorZone: string;
  mentorHours: Hours;
  menteeZone: string;
  menteeHours: Hours;
  agreement: Record<string, unknown>;
  groupId?: string;
  members?: { mentee: ChatMember; mentor: ChatMember };
}): Promise<Pair> {
  const t = tag();
  const mentee = options.members?.mentee ?? (await chatMember(url, `Mentee ${t}`));
  const mentor = options.members?.mentor ?? (await chatMember(url, `Mentor ${t}`));
  await saveNeeds(mentee, options.menteeZone, options.menteeHours);
  const made = await activeMentorship(url, mentee, mentor, {
    mentorProfile: { timeZone: options.mentorZone, weeklyHours: options.mentorHours, cadences: ['WEEKLY'] },
    ...(options.groupId ? { groupId: options.groupId } : {}),
  });
  const agreementId = await proposeAgreement(url, mentor, made.id, options.agreement);
  await acceptAgreement(url, mentee, agreementId);
  return { mentee, mentor, mentorshipId: made.id };
}

const PROPOSALS = `sessionTimeBlocker sessionTimeProposals(first: $first) {
  startsAt everyWeeks durationMinutes mentorLocal menteeLocal mentorTimeZone menteeTimeZone label }`;

async function proposals(who: ChatMember, mentorshipId: string, first = 7) {
  const data = await query<{ node: { sessionTimeBlocker: string | null; sessionTimeProposals: Proposal[] } | null }>(
    url,
    who,
    `query ($id: ID!, $first: Int) { node(id: $id) { ... on Mentorship { ${PROPOSALS} } } }`,
    { id: mentorshipId, first },
  );
  return data.node;
}

const SERIES = 'id status timeZone startTime durationMinutes seats viewerCanConfirmSessions';

async function sessionsOf(who: ChatMember, mentorshipId: string) {
  const data = await query<{
    node: {
      sessionSeries: { id: string; status: string; viewerCanConfirmSessions: boolean } | null;
      upcomingSessions: Array<{ id: string; startsAt: string; viewerCanMarkHeld: boolean }>;
    } | null;
  }>(
    url,
    who,
    `query ($id: ID!) { node(id: $id) { ... on Mentorship {
      sessionSeries { ${SERIES} } upcomingSessions(first: 3) { id startsAt endsAt viewerCanMarkHeld }
    } } }`,
    { id: mentorshipId },
  );
  return data.node;
}

const sessionsMutation = (who: ChatMember, name: string, input: Record<string, unknown>) =>
  mentorshipMutation(url, who, name, input, `... on MentorshipSessionsPayload { officeHours { ${SERIES} } }`);

async function propose(who: ChatMember, mentorshipId: string, startsAt: string) {
  const result = await sessionsMutation(who, 'proposeMentorshipSessions', {
    mentorshipId,
    startsAt,
    onlineUrl: 'https://meet.example/pair',
  });
  expect(result.__typename, JSON.stringify(result)).toBe('MentorshipSessionsPayload');
  return result.officeHours as { id: string; status: string; startTime: string };
}

async function kindsOf(who: ChatMember): Promise<Array<{ kind: string; text: string; href: string }>> {
  const data = await query<{
    viewer: { notifications: { edges: Array<{ node: { kind: string; text: string; href: string } }> } };
  }>(url, who, '{ viewer { notifications(first: 100) { edges { node { kind text href } } } } }');
  return data.viewer.notifications.edges.map((edge) => edge.node);
}
const countOf = async (who: ChatMember, kind: string) => (await kindsOf(who)).filter((n) => n.kind === kind).length;

/**
 * Independently of the server: every session of the series (wall-clock weeks in the mentor's zone,
 * Temporal) lies inside one range of each member's hours, read as wall-clock time in their zone.
 */
function assertInsideBoth(
  proposal: Proposal,
  until: string,
  mentor: { zone: string; hours: Hours },
  mentee: { zone: string; hours: Hours },
): number {
  const first = Temporal.Instant.from(proposal.startsAt).toZonedDateTimeISO(mentor.zone);
  const last = Temporal.PlainDate.from(until);
  let checked = 0;
  for (let k = 0; ; k += 1) {
    const start = first.add({ weeks: k * proposal.everyWeeks });
    if (Temporal.PlainDate.compare(start.toPlainDate(), last) > 0) break;
    const end = start.add({ minutes: proposal.durationMinutes });
    for (const side of [mentor, mentee]) {
      const from = start.withTimeZone(side.zone);
      const to = end.withTimeZone(side.zone);
      const hhmm = (z: Temporal.ZonedDateTime) => z.toPlainTime().toString({ smallestUnit: 'minute' });
      const inside = side.hours.some(
        (range) =>
          range.weekday === WEEKDAYS[from.dayOfWeek - 1] &&
          from.toPlainDate().equals(to.toPlainDate()) &&
          hhmm(from) >= range.start &&
          hhmm(to) <= range.end,
      );
      expect(
        inside,
        `${proposal.label}: session ${k} (${from.toString()} → ${to.toString()}) outside ${side.zone}`,
      ).toBe(true);
    }
    checked += 1;
  }
  return checked;
}

// ── Kolkata + São Paulo: the whole life of a series ─────────────────────────

describe('a Kolkata mentee and a São Paulo mentor', () => {
  const mentorSide = { zone: 'America/Sao_Paulo', hours: workdays('08:00', '12:00') };
  const menteeSide = { zone: 'Asia/Kolkata', hours: workdays('17:00', '21:00') };
  let pair: Pair;
  let third: ChatMember;
  let owner: ChatMember;
  let program: { id: string; slug: string };
  let until: string;

  beforeAll(async () => {
    const t = tag();
    owner = await chatMember(url, `Owner ${t}`);
    third = await chatMember(url, `Third ${t}`);
    const mentee = await chatMember(url, `Mentee ${t}`);
    const mentor = await chatMember(url, `Mentor ${t}`);
    const made = await createGroup(url, owner, { name: `Sessions program ${t}`, kind: 'PROGRAM' });
    program = { id: made.id, slug: made.slug };
    for (const member of [mentee, mentor, third]) {
      const joined = await mutate(url, member, 'joinGroup', { groupId: made.id });
      expect(joined.__typename, JSON.stringify(joined)).toBe('GroupPayload');
    }
    const today = Temporal.Instant.fromEpochMilliseconds(nowMs()).toZonedDateTimeISO('UTC').toPlainDate();
    until = today.add({ weeks: 10 }).toString();
    pair = await agreedPair({
      mentorZone: mentorSide.zone,
      mentorHours: mentorSide.hours,
      menteeZone: menteeSide.zone,
      menteeHours: menteeSide.hours,
      agreement: { cadence: 'WEEKLY', sessionMinutes: 45, startsOn: today.toString(), plannedEndOn: until },
      groupId: program.id,
      members: { mentee, mentor },
    });
  });

  it('proposes times inside both members’ hours in both zones, one a weekday', async () => {
    const seen = (await proposals(pair.mentee, pair.mentorshipId))!;
    expect(seen.sessionTimeBlocker).toBeNull();
    const list = seen.sessionTimeProposals;
    expect(list).toHaveLength(7);
    // Five asked for fall on five different weekdays (the mentor's), in order of time.
    const five = (await proposals(pair.mentee, pair.mentorshipId, 5))!.sessionTimeProposals;
    expect(five.map((p) => p.startsAt)).toEqual([...five.map((p) => p.startsAt)].sort());
    const days = five.map((p) => Temporal.Instant.from(p.startsAt).toZonedDateTimeISO(mentorSide.zone).dayOfWeek);
    expect(new Set(days).size).toBe(5);
    for (const proposal of list) {
      expect(proposal).toMatchObject({
        everyWeeks: 1,
        durationMinutes: 45,
        mentorTimeZone: 'America/Sao_Paulo',
        menteeTimeZone: 'Asia/Kolkata',
      });
      const start = Temporal.Instant.from(proposal.startsAt);
      expect(start.epochMilliseconds).toBeGreaterThan(nowMs());
      expect(proposal.mentorLocal).toBe(
        start.toZonedDateTimeISO(mentorSide.zone).toPlainDateTime().toString().slice(0, 16),
      );
      expect(proposal.menteeLocal).toBe(
        start.toZonedDateTimeISO(menteeSide.zone).toPlainDateTime().toString().slice(0, 16),
      );
      // On the half hour in both zones (Kolkata is +05:30).
      expect(proposal.mentorLocal.slice(14)).toMatch(/^(00|30)$/);
      expect(proposal.menteeLocal.slice(14)).toMatch(/^(00|30)$/);
      expect(proposal.label).toContain('Sao Paulo');
      expect(proposal.label).toContain('Kolkata');
      expect(assertInsideBoth(proposal, until, mentorSide, menteeSide)).toBeGreaterThanOrEqual(9);
    }
    // 17:00 Kolkata is 08:30 São Paulo: the earliest shared half hour is each day's first proposal. The
    // first day's may come later (a first session is at least 12 hours away, and this runs at any hour).
    expect(Date.parse(list[0]!.startsAt)).toBeGreaterThanOrEqual(nowMs() + FIRST_SESSION_LEAD_MS - 60_000);
    const firstOfDay = new Map<string, (typeof list)[number]>();
    for (const proposal of list) {
      const day = proposal.mentorLocal.slice(0, 10);
      if (!firstOfDay.has(day)) firstOfDay.set(day, proposal);
    }
    const laterDays = [...firstOfDay.values()].filter(
      (p) => p.mentorLocal.slice(0, 10) !== list[0]!.mentorLocal.slice(0, 10),
    );
    expect(laterDays.length).toBeGreaterThanOrEqual(4);
    for (const proposal of laterDays) {
      expect(proposal.mentorLocal.slice(11)).toBe('08:30');
      expect(proposal.menteeLocal.slice(11)).toBe('17:00');
    }
  });

  it('refuses a time outside the mentee’s hours, and a stranger, storing nothing', async () => {
    const list = (await proposals(pair.mentor, pair.mentorshipId))!.sessionTimeProposals;
    // One at 08:30 São Paulo (every day but perhaps the first has one: see above).
    const opening = list.find((proposal) => proposal.mentorLocal.endsWith('08:30'))!;
    const early = new Date(Date.parse(opening.startsAt) - 3600_000).toISOString(); // 07:30 SP
    const outside = await sessionsMutation(pair.mentor, 'proposeMentorshipSessions', {
      mentorshipId: pair.mentorshipId,
      startsAt: early,
    });
    expect(outside).toMatchObject({ __typename: 'ConflictError', code: 'OUTSIDE_HOURS' });
    const late = new Date(Date.parse(opening.startsAt) + 4 * 3600_000).toISOString(); // 12:30 SP
    const after = await sessionsMutation(pair.mentor, 'proposeMentorshipSessions', {
      mentorshipId: pair.mentorshipId,
      startsAt: late,
    });
    expect(after).toMatchObject({ __typename: 'ConflictError', code: 'OUTSIDE_HOURS' });
    expect(after.message).toContain(pair.mentor.name);
    const stranger = await sessionsMutation(third, 'proposeMentorshipSessions', {
      mentorshipId: pair.mentorshipId,
      startsAt: list[0]!.startsAt,
    });
    expect(stranger.__typename).toBe('NotFoundError');
    const badUrl = await sessionsMutation(pair.mentee, 'proposeMentorshipSessions', {
      mentorshipId: pair.mentorshipId,
      startsAt: list[0]!.startsAt,
      onlineUrl: 'javascript:alert(1)',
    });
    expect(badUrl).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: 'onlineUrl' }] });
    expect(await db().officeHours.count({ where: { mentorshipId: rowIdOf(pair.mentorshipId) } })).toBe(0);
  });

  let seriesId: string;
  let slots: Array<{ id: string; startsAt: Date; endsAt: Date }>;

  it('the mentee proposes, cannot confirm it herself, and the mentor confirms: weekly sessions with the mentee booked', async () => {
    const list = (await proposals(pair.mentee, pair.mentorshipId))!.sessionTimeProposals;
    const pick = list[1]!;
    const series = await propose(pair.mentee, pair.mentorshipId, pick.startsAt);
    seriesId = series.id;
    expect(series).toMatchObject({ status: 'PROPOSED', timeZone: 'America/Sao_Paulo', seats: 1, durationMinutes: 45 });
    expect(series.startTime).toBe(pick.mentorLocal.slice(11));
    expect(await countOf(pair.mentor, 'MENTORSHIP_SESSIONS_PROPOSED')).toBe(1);

    const asMentee = await sessionsOf(pair.mentee, pair.mentorshipId);
    expect(asMentee!.sessionSeries).toMatchObject({
      id: seriesId,
      status: 'PROPOSED',
      viewerCanConfirmSessions: false,
    });
    const asMentor = await sessionsOf(pair.mentor, pair.mentorshipId);
    expect(asMentor!.sessionSeries).toMatchObject({ id: seriesId, viewerCanConfirmSessions: true });
    expect(asMentor!.upcomingSessions).toEqual([]);

    const own = await sessionsMutation(pair.mentee, 'confirmMentorshipSessions', { officeHoursId: seriesId });
    expect(own.__typename).toBe('ForbiddenError');
    const stranger = await sessionsMutation(third, 'confirmMentorshipSessions', { officeHoursId: seriesId });
    expect(stranger.__typename).toBe('NotFoundError');
    expect(await db().officeHourSlot.count({ where: { officeHoursId: rowIdOf(seriesId) } })).toBe(0);

    const confirmed = await sessionsMutation(pair.mentor, 'confirmMentorshipSessions', { officeHoursId: seriesId });
    expect(confirmed).toMatchObject({ __typename: 'MentorshipSessionsPayload', officeHours: { status: 'ACTIVE' } });
    expect(await countOf(pair.mentee, 'MENTORSHIP_SESSIONS_CONFIRMED')).toBe(1);

    slots = await db().officeHourSlot.findMany({
      where: { officeHoursId: rowIdOf(seriesId) },
      orderBy: { startsAt: 'asc' },
      select: { id: true, startsAt: true, endsAt: true },
    });
    // Weekly from the pick until the planned end, each exactly 7 days apart (no DST in either zone).
    const expected = assertInsideBoth(pick, until, mentorSide, menteeSide);
    expect(slots).toHaveLength(expected);
    expect(slots[0]!.startsAt.toISOString()).toBe(new Date(pick.startsAt).toISOString());
    for (let i = 1; i < slots.length; i += 1) {
      expect(slots[i]!.startsAt.getTime() - slots[i - 1]!.startsAt.getTime()).toBe(7 * DAY);
    }
    const booked = await db().booking.findMany({
      where: { slotId: { in: slots.map((slot) => slot.id) }, status: 'BOOKED' },
      select: { slotId: true, attendeeId: true },
    });
    expect(booked).toHaveLength(slots.length);
    expect(new Set(booked.map((b: { attendeeId: string }) => b.attendeeId))).toEqual(
      new Set([rowIdOf(pair.mentee.id)]),
    );

    const upcoming = (await sessionsOf(pair.mentee, pair.mentorshipId))!.upcomingSessions;
    expect(upcoming.map((slot) => slot.id)).toEqual(
      slots.slice(0, 3).map((slot) => globalId('OfficeHourSlot', slot.id)),
    );
    expect(upcoming[0]!.viewerCanMarkHeld).toBe(false);

    // Confirmed twice: refused.
    const again = await sessionsMutation(pair.mentor, 'confirmMentorshipSessions', { officeHoursId: seriesId });
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'SESSIONS_NOT_PROPOSED' });
  });

  it('shows the series and its sessions to the pair only', async () => {
    const slotId = globalId('OfficeHourSlot', slots[0]!.id);
    const node = `query ($id: ID!) { node(id: $id) { id } }`;
    for (const id of [slotId, seriesId, pair.mentorshipId]) {
      expect((await query<{ node: unknown }>(url, third, node, { id })).node).toBeNull();
      expect((await query<{ node: unknown }>(url, owner, node, { id })).node).toBeNull();
      expect((await query<{ node: { id: string } }>(url, pair.mentee, node, { id })).node).toEqual({ id });
      expect((await query<{ node: { id: string } }>(url, pair.mentor, node, { id })).node).toEqual({ id });
    }
    const signedOut = await gql(url, node, { id: slotId });
    expect(signedOut.body.data?.node ?? null).toBeNull();
  });

  it('a session marked held is one check-in from its start, counted by program metrics; a missed one nudges both', async () => {
    const first = globalId('OfficeHourSlot', slots[0]!.id);
    const early = await mentorshipMutation(url, pair.mentor, 'markSessionHeld', { slotId: first });
    expect(early).toMatchObject({ __typename: 'ConflictError', code: 'SESSION_NOT_STARTED' });
    const stranger = await mentorshipMutation(url, third, 'markSessionHeld', { slotId: first });
    expect(stranger.__typename).toBe('NotFoundError');

    setClock(slots[0]!.startsAt.getTime() + 10 * 60_000);
    expect((await sessionsOf(pair.mentee, pair.mentorshipId))!.upcomingSessions[0]!.viewerCanMarkHeld).toBe(true);
    const held = await mentorshipMutation(
      url,
      pair.mentor,
      'markSessionHeld',
      { slotId: first },
      '... on MarkSessionHeldPayload { checkIn { id heldAt session { id } } slot { id viewerCanMarkHeld } }',
    );
    expect(held).toMatchObject({
      __typename: 'MarkSessionHeldPayload',
      checkIn: { heldAt: slots[0]!.startsAt.toISOString(), session: { id: first } },
      slot: { id: first, viewerCanMarkHeld: false },
    });
    const twice = await mentorshipMutation(url, pair.mentee, 'markSessionHeld', { slotId: first });
    expect(twice).toMatchObject({ __typename: 'ConflictError', code: 'SESSION_ALREADY_HELD' });
    const rows = await db().checkIn.findMany({ where: { mentorshipId: rowIdOf(pair.mentorshipId) } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ slotId: slots[0]!.id, heldAt: slots[0]!.startsAt });
    // The mentee's seat is marked attended.
    expect(await db().booking.findFirst({ where: { slotId: slots[0]!.id, status: 'BOOKED' } })).toMatchObject({
      attendance: 'ATTENDED',
    });

    // The second session passes unmarked: a day after it ended, both are nudged, once, with a link to it.
    setClock(slots[1]!.endsAt.getTime() + DAY - 60_000);
    await runDueJobs(server.app.services);
    expect(await countOf(pair.mentee, 'MENTORSHIP_SESSION_MISSED')).toBe(0);
    setClock(slots[1]!.endsAt.getTime() + DAY + 60_000);
    await runDueJobs(server.app.services);
    await runDueJobs(server.app.services);
    for (const who of [pair.mentee, pair.mentor]) {
      const missed = (await kindsOf(who)).filter((n) => n.kind === 'MENTORSHIP_SESSION_MISSED');
      expect(missed).toHaveLength(1);
      expect(missed[0]!.href).toContain(encodeURIComponent(globalId('OfficeHourSlot', slots[1]!.id)));
      expect(missed[0]!.text).toContain('was not marked held');
    }

    // Program metrics count the held session among the agreement's check-ins.
    const metrics = await query<{
      group: {
        mentorshipMetrics: { totals: { checkInsHeld: number; checkInsKept: number; checkInsExpected: number } };
      };
    }>(
      url,
      owner,
      `query ($slug: String!, $from: DateTime!, $to: DateTime!) { group(slug: $slug) {
        mentorshipMetrics(from: $from, to: $to) { totals { checkInsHeld checkInsKept checkInsExpected } } } }`,
      {
        slug: program.slug,
        from: new Date(Date.now() - 30 * DAY).toISOString(),
        to: new Date(nowMs() + DAY).toISOString(),
      },
    );
    expect(metrics.group.mentorshipMetrics.totals.checkInsHeld).toBe(1);
    expect(metrics.group.mentorshipMetrics.totals.checkInsExpected).toBeGreaterThanOrEqual(1);
    expect(metrics.group.mentorshipMetrics.totals.checkInsKept).toBe(1);
  });

  it('either side cancels: future sessions and their seats are cancelled, past ones stay', async () => {
    setClock(slots[1]!.endsAt.getTime() + DAY + 60_000);
    const cancelled = await sessionsMutation(pair.mentee, 'cancelMentorshipSessions', { officeHoursId: seriesId });
    expect(cancelled).toMatchObject({ officeHours: { status: 'CANCELLED' } });
    expect(await countOf(pair.mentor, 'MENTORSHIP_SESSIONS_CANCELLED')).toBe(1);
    const rows = await db().officeHourSlot.findMany({
      where: { officeHoursId: rowIdOf(seriesId) },
      orderBy: { startsAt: 'asc' },
      select: { id: true, cancelledAt: true, bookings: { select: { status: true } } },
    });
    expect(rows.slice(0, 2).every((row: { cancelledAt: Date | null }) => row.cancelledAt === null)).toBe(true);
    for (const row of rows.slice(2)) {
      expect(row.cancelledAt).not.toBeNull();
      expect(row.bookings.map((b: { status: string }) => b.status)).toEqual(['CANCELLED']);
    }
    const after = await sessionsOf(pair.mentor, pair.mentorshipId);
    expect(after).toMatchObject({ sessionSeries: null, upcomingSessions: [] });
    const again = await sessionsMutation(pair.mentor, 'cancelMentorshipSessions', { officeHoursId: seriesId });
    expect(again).toMatchObject({ __typename: 'ConflictError', code: 'SESSIONS_NOT_ACTIVE' });
  });

  it('the other side declines a proposal; the proposer cannot, and a newer proposal replaces an older one', async () => {
    setClock(slots[1]!.endsAt.getTime() + DAY + 60_000);
    const list = (await proposals(pair.mentor, pair.mentorshipId))!.sessionTimeProposals;
    const older = await propose(pair.mentor, pair.mentorshipId, list[0]!.startsAt);
    const newer = await propose(pair.mentor, pair.mentorshipId, list[2]!.startsAt);
    expect(await db().officeHours.findUnique({ where: { id: rowIdOf(older.id) } })).toMatchObject({
      status: 'CANCELLED',
    });
    const own = await sessionsMutation(pair.mentor, 'declineMentorshipSessions', { officeHoursId: newer.id });
    expect(own.__typename).toBe('ForbiddenError');
    const declined = await sessionsMutation(pair.mentee, 'declineMentorshipSessions', { officeHoursId: newer.id });
    expect(declined).toMatchObject({ officeHours: { status: 'CANCELLED' } });
    const told = (await kindsOf(pair.mentor)).filter((n) => n.kind === 'MENTORSHIP_SESSIONS_CANCELLED');
    expect(told[0]!.text).toContain('declined');
    const late = await sessionsMutation(pair.mentor, 'confirmMentorshipSessions', { officeHoursId: older.id });
    expect(late).toMatchObject({ code: 'SESSIONS_NOT_PROPOSED' });
  });

  it('ending the mentorship cancels its future sessions', async () => {
    setClock(slots[1]!.endsAt.getTime() + DAY + 60_000);
    const list = (await proposals(pair.mentor, pair.mentorshipId))!.sessionTimeProposals;
    const series = await propose(pair.mentor, pair.mentorshipId, list[0]!.startsAt);
    const confirmed = await sessionsMutation(pair.mentee, 'confirmMentorshipSessions', { officeHoursId: series.id });
    expect(confirmed).toMatchObject({ officeHours: { status: 'ACTIVE' } });
    // New times, confirmed, replace the confirmed ones: one ACTIVE series, the old one's future sessions cancelled.
    // (Half an hour later overlaps the confirmed sessions: no clash, as those give way.)
    const replacement = await propose(
      pair.mentee,
      pair.mentorshipId,
      new Date(Date.parse(list[0]!.startsAt) + 1800_000).toISOString(),
    );
    const replaced = await sessionsMutation(pair.mentor, 'confirmMentorshipSessions', {
      officeHoursId: replacement.id,
    });
    expect(replaced).toMatchObject({ officeHours: { status: 'ACTIVE' } });
    expect(await db().officeHours.findUnique({ where: { id: rowIdOf(series.id) } })).toMatchObject({
      status: 'CANCELLED',
    });
    expect(await db().officeHourSlot.count({ where: { officeHoursId: rowIdOf(series.id), cancelledAt: null } })).toBe(
      0,
    );
    expect((await sessionsOf(pair.mentee, pair.mentorshipId))!.sessionSeries).toMatchObject({ id: replacement.id });
    const ended = await mentorshipMutation(url, pair.mentee, 'endMentorship', {
      mentorshipId: pair.mentorshipId,
      review: REVIEW,
    });
    expect(ended.__typename, JSON.stringify(ended)).toBe('EndedMentorshipPayload');
    expect(await db().officeHours.findUnique({ where: { id: rowIdOf(replacement.id) } })).toMatchObject({
      status: 'CANCELLED',
    });
    const open = await db().officeHourSlot.count({
      where: { officeHoursId: rowIdOf(replacement.id), cancelledAt: null },
    });
    expect(open).toBe(0);
    const seats = await db().booking.count({
      where: { slot: { officeHoursId: { in: [rowIdOf(series.id), rowIdOf(replacement.id)] } }, status: 'BOOKED' },
    });
    expect(seats).toBe(0);
    expect(await sessionsOf(pair.mentee, pair.mentorshipId)).toMatchObject({
      sessionSeries: null,
      upcomingSessions: [],
    });
    const blocked = await proposals(pair.mentee, pair.mentorshipId);
    expect(blocked).toMatchObject({ sessionTimeProposals: [] });
    expect(blocked!.sessionTimeBlocker).toContain('ended');
  });
});

// ── across a DST change: Berlin (mentor) and Kolkata (mentee) ────────────────

describe('across Berlin’s change to summer time', () => {
  const mentorSide = { zone: 'Europe/Berlin', hours: workdays('09:00', '18:00') };
  const menteeSide = { zone: 'Asia/Kolkata', hours: workdays('18:00', '22:00') };

  it('offers only times that stay inside both members’ hours after the clocks change', async () => {
    // Monday 15 March 2027; Berlin goes to CEST on Sunday 28 March.
    setClock(Date.parse('2027-03-15T06:00:00Z'));
    const pair = await agreedPair({
      mentorZone: mentorSide.zone,
      mentorHours: mentorSide.hours,
      menteeZone: menteeSide.zone,
      menteeHours: menteeSide.hours,
      agreement: { cadence: 'WEEKLY', sessionMinutes: 45, startsOn: '2027-03-15', plannedEndOn: '2027-05-31' },
    });
    const list = (await proposals(pair.mentee, pair.mentorshipId))!.sessionTimeProposals;
    expect(list.length).toBeGreaterThan(0);
    for (const proposal of list) {
      // In winter 13:30 Berlin is 18:00 Kolkata, but from 29 March it is 17:00: too early for the mentee.
      expect(proposal.mentorLocal.slice(11) >= '14:30').toBe(true);
      expect(assertInsideBoth(proposal, '2027-05-31', mentorSide, menteeSide)).toBeGreaterThanOrEqual(10);
    }
    // 13:30 Berlin on Tuesday 16 March fits the first week only: refused, naming the later session.
    const early = await sessionsMutation(pair.mentee, 'proposeMentorshipSessions', {
      mentorshipId: pair.mentorshipId,
      startsAt: '2027-03-16T12:30:00.000Z',
    });
    expect(early).toMatchObject({ __typename: 'ConflictError', code: 'OUTSIDE_HOURS' });
    expect(early.message).toContain('A later session');
    expect(early.message).toContain('Kolkata');

    // The picked series keeps the mentor's wall-clock time: the instants shift by the DST hour.
    const pick = list[0]!;
    const series = await propose(pair.mentee, pair.mentorshipId, pick.startsAt);
    await sessionsMutation(pair.mentor, 'confirmMentorshipSessions', { officeHoursId: series.id });
    const slots = await db().officeHourSlot.findMany({
      where: { officeHoursId: rowIdOf(series.id) },
      orderBy: { startsAt: 'asc' },
      select: { startsAt: true },
    });
    const berlin = slots.map((slot: { startsAt: Date }) =>
      Temporal.Instant.fromEpochMilliseconds(slot.startsAt.getTime()).toZonedDateTimeISO('Europe/Berlin'),
    );
    expect(new Set(berlin.map((z: Temporal.ZonedDateTime) => z.toPlainTime().toString()))).toEqual(
      new Set([`${pick.mentorLocal.slice(11)}:00`]),
    );
    expect(new Set(berlin.map((z: Temporal.ZonedDateTime) => z.offset))).toEqual(new Set(['+01:00', '+02:00']));
  });

  it('says why there are no times when the hours never meet, or there is no agreement', async () => {
    setClock(Date.parse('2027-03-15T06:00:00Z'));
    const pair = await agreedPair({
      mentorZone: mentorSide.zone,
      mentorHours: workdays('09:00', '12:00'),
      menteeZone: menteeSide.zone,
      menteeHours: workdays('19:00', '22:00'),
      agreement: { cadence: 'BIWEEKLY', sessionMinutes: 60, startsOn: '2027-03-15', plannedEndOn: '2027-05-31' },
    });
    const none = await proposals(pair.mentor, pair.mentorshipId);
    expect(none!.sessionTimeProposals).toEqual([]);
    expect(none!.sessionTimeBlocker).toContain('60-minute');

    const t = tag();
    const mentee = await chatMember(url, `Mentee ${t}`);
    const mentor = await chatMember(url, `Mentor ${t}`);
    await saveNeeds(mentee, 'Asia/Kolkata', workdays('09:00', '17:00'));
    const bare = await activeMentorship(url, mentee, mentor);
    const blocked = await proposals(mentee, bare.id);
    expect(blocked!.sessionTimeProposals).toEqual([]);
    expect(blocked!.sessionTimeBlocker).toContain('Agree on your terms first');
    const refused = await sessionsMutation(mentee, 'proposeMentorshipSessions', {
      mentorshipId: bare.id,
      startsAt: new Date(nowMs() + 2 * DAY).toISOString(),
    });
    expect(refused).toMatchObject({ __typename: 'ConflictError', code: 'NO_AGREEMENT' });
  });
});

// ── a double confirm ───────────────────────────────────────────────────────

describe('confirming or marking held twice at once', () => {
  const mentorSide = { zone: 'America/Sao_Paulo', hours: workdays('08:00', '12:00') };
  const menteeSide = { zone: 'Asia/Kolkata', hours: workdays('17:00', '21:00') };

  it(`makes one set of sessions and one check-in (${backendFromEnv().kind})`, async () => {
    const today = Temporal.Instant.fromEpochMilliseconds(nowMs()).toZonedDateTimeISO('UTC').toPlainDate();
    const pair = await agreedPair({
      mentorZone: mentorSide.zone,
      mentorHours: mentorSide.hours,
      menteeZone: menteeSide.zone,
      menteeHours: menteeSide.hours,
      agreement: {
        cadence: 'WEEKLY',
        sessionMinutes: 45,
        startsOn: today.toString(),
        plannedEndOn: today.add({ weeks: 8 }).toString(),
      },
    });
    const list = (await proposals(pair.mentee, pair.mentorshipId))!.sessionTimeProposals;
    const series = await propose(pair.mentee, pair.mentorshipId, list[0]!.startsAt);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        sessionsMutation(pair.mentor, 'confirmMentorshipSessions', { officeHoursId: series.id }),
      ),
    );
    const typenames = results.map((result) => result.__typename).sort();
    expect(typenames, JSON.stringify(results)).toEqual([
      'ConflictError',
      'ConflictError',
      'ConflictError',
      'MentorshipSessionsPayload',
    ]);
    for (const result of results.filter((r) => r.__typename === 'ConflictError')) {
      expect(result.code).toBe('SESSIONS_NOT_PROPOSED');
    }
    const slots = await db().officeHourSlot.findMany({
      where: { officeHoursId: rowIdOf(series.id) },
      select: { id: true, bookings: { select: { status: true } } },
    });
    expect(slots).toHaveLength(assertInsideBoth(list[0]!, today.add({ weeks: 8 }).toString(), mentorSide, menteeSide));
    for (const slot of slots) expect(slot.bookings).toEqual([{ status: 'BOOKED' }]);
    const keys = slots.map((slot: { id: string }) => `office-hours.session-missed:${slot.id}`);
    expect(await db().job.count({ where: { key: { in: keys } } })).toBe(slots.length);

    // Both members mark the first session held at once: one check-in.
    const first = await db().officeHourSlot.findFirstOrThrow({
      where: { officeHoursId: rowIdOf(series.id) },
      orderBy: { startsAt: 'asc' },
      select: { id: true, startsAt: true },
    });
    setClock(first.startsAt.getTime() + 5 * 60_000);
    const marks = await Promise.all(
      [pair.mentee, pair.mentor, pair.mentee, pair.mentor].map((who) =>
        mentorshipMutation(url, who, 'markSessionHeld', { slotId: globalId('OfficeHourSlot', first.id) }),
      ),
    );
    expect(marks.map((mark) => mark.__typename).sort(), JSON.stringify(marks)).toEqual([
      'ConflictError',
      'ConflictError',
      'ConflictError',
      'MarkSessionHeldPayload',
    ]);
    expect(marks.filter((mark) => mark.code).map((mark) => mark.code)).toEqual([
      'SESSION_ALREADY_HELD',
      'SESSION_ALREADY_HELD',
      'SESSION_ALREADY_HELD',
    ]);
    expect(await db().checkIn.count({ where: { slotId: first.id } })).toBe(1);
  });
});
