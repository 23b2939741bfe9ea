import { Temporal } from 'temporal-polyfill';
import { expect } from 'vitest';
import { advanceClock, nowMs } from '../../server/src/lib/clock.js';
import { type ChatMember, chatMember, groupWithMembers } from './chat.js';
import { gql, type UntypedData } from './graphql.js';
import { acceptAgreement, makeMentor, proposeAgreement, requestMentorship, acceptRequest, tag } from './mentorship.js';
import { block } from './safety.js';

// One fixture world for the office-hours authorization tables (office-hours-authorization*.test.ts):
// a host (a mentor) with office hours of every audience, each with a full slot (two attendees booked,
// a member waiting) and an open one; a mentorship session series of the host and a mentee, and a
// proposed one of the host and another mentee; an offered waitlist place, a slot the host's zone
// skipped, a past slot with a booking; a member the host blocked; all made through the API, as the
// product makes them. The clock (lib/clock, this process's servers) is moved on once, so the first
// session and the past slot have started.

export type Actor = 'signedOut' | 'outsider' | 'blocked' | 'other' | 'waitlisted' | 'attendee' | 'host';
/** The host last: refusals of a mutation run first, on the world as built. */
export const ACTORS: readonly Actor[] = ['signedOut', 'outsider', 'blocked', 'other', 'waitlisted', 'attendee', 'host'];
export type SignedIn = Exclude<Actor, 'signedOut'>;
export const SIGNED_IN = ACTORS.filter((actor): actor is SignedIn => actor !== 'signedOut');

/** The series published with an audience (not the mentorship ones). */
export type Audience = 'PUBLIC' | 'MEMBERS' | 'GROUPS';
export const AUDIENCES: readonly Audience[] = ['PUBLIC', 'MEMBERS', 'GROUPS'];

export const ZONE = 'Europe/Berlin';

export interface Series {
  id: string;
  audience: Audience;
  attendeesSeeNames: boolean;
  onlineUrl: string;
  location: string;
  startDate: string;
  startTime: string;
  /** The third occurrence, skipped by an exception. */
  skipped: string;
  /** First occurrence: attendee and attendee2 booked (both seats), the waitlisted member waiting. */
  full: string;
  /** Second occurrence: no one booked. */
  open: string;
  bookings: { attendee: string; attendee2: string };
  entry: string;
  questions: { attendee: string; attendee2: string; waitlisted: string };
}

export interface World {
  tag: string;
  people: Record<SignedIn | 'attendee2', ChatMember>;
  group: { id: string; slug: string };
  series: Record<Audience, Series>;
  /** The host (mentor) and the attendee (mentee): the host proposed, the attendee confirmed. */
  pair: {
    mentorshipId: string;
    id: string;
    /** The first session: started (the clock was moved past it). */
    pastSession: string;
    pastBooking: string;
    /** Upcoming sessions, in order, and the mentee's booking of the first of them. */
    sessions: string[];
    booking: string;
    /** Every BOOKED booking of the mentee in this series, upcoming ones. */
    upcomingBookings: string[];
  };
  /** The host (mentor) and the waitlisted member (mentee): the mentee proposed, not confirmed. */
  proposed: { mentorshipId: string; id: string };
  /** A PUBLIC one-off (one seat): attendee2 booked and cancelled, the waitlisted member was offered the seat. */
  offer: { id: string; slot: string; entry: string };
  /** A PUBLIC one-off at 02:30 on the day New York's clocks skip that hour. */
  adjusted: { id: string; slot: string };
  /** A PUBLIC one-off that has started, booked by the attendee. */
  past: { id: string; slot: string; booking: string; question: string };
  /** The blocked member's seat in the PUBLIC series' open slot, booked before the host blocked them. */
  blockedBooking: { id: string; question: string };
  /** The attendee's calendar feed (absolute URL). */
  feedUrl: string;
  /** Times for the host's further one-offs that meet none of the host's slots. */
  free: FreeTimes;
}

// ── ids and calls ─────────────────────────────────────────────────────────

// The database as the tests use it (server.app.services.db), loosely typed here.
// biome-ignore lint/suspicious/noExplicitAny: the Prisma client's type lives in the server package.
export type DbLike = any;

export const rowId = (id: string) => Buffer.from(id, 'base64').toString('utf8').split(':')[1]!;
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

interface ResultType {
  /** The success type. */
  payload: string;
  /** The members of the result union ([] when the result is the payload itself). */
  members: string[];
}
const resultTypes = new Map<string, Promise<Map<string, ResultType>>>();

/** The success type of each mutation's result, read from the schema (no guessing names). */
async function resultType(url: string, mutation: string): Promise<ResultType> {
  if (!resultTypes.has(url)) {
    resultTypes.set(
      url,
      gql(
        url,
        '{ __schema { mutationType { fields { name type { name ofType { name possibleTypes { name } } } } } } }',
      ).then((response) => {
        const fields = response.body.data!.__schema.mutationType.fields as UntypedData[];
        return new Map(
          fields.map((field) => {
            const union = field.type.ofType ?? field.type;
            const members = ((union.possibleTypes ?? []) as Array<{ name: string }>).map((type) => type.name);
            const payload = members.find((name) => !name.endsWith('Error')) ?? union.name;
            return [field.name as string, { payload, members }];
          }),
        );
      }),
    );
  }
  const type = (await resultTypes.get(url)!).get(mutation);
  if (!type) throw new Error(`no mutation ${mutation} in the schema`);
  return type;
}

/** The selection of a result: its typename, the error fields its union may hold, `selection` on the payload. */
async function resultSelection(url: string, mutation: string, selection: string): Promise<string> {
  const type = await resultType(url, mutation);
  const parts = ['__typename'];
  if (type.members.some((name) => name.endsWith('Error'))) parts.push('... on Error { code text: message }');
  if (type.members.includes('ValidationError')) parts.push('... on ValidationError { fieldErrors { path message } }');
  if (selection) parts.push(`... on ${type.payload} { ${selection} }`);
  return parts.join(' ');
}

/**
 * Runs `mutation(input: $input)` as `who` (null: signed out); `selection` is read on its payload.
 * GraphQL errors come back as { __typename: 'GraphQLError', code }.
 */
export async function ohMutation(
  url: string,
  who: ChatMember | null,
  mutation: string,
  input: Record<string, unknown> | null,
  selection = '',
): Promise<UntypedData> {
  const result = await resultSelection(url, mutation, selection);
  const inputType = `${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input`;
  const document =
    input === null
      ? `mutation { ${mutation} { ${result} } }`
      : `mutation M($input: ${inputType}!) { ${mutation}(input: $input) { ${result} } }`;
  const response = await gql(url, document, input === null ? {} : { input }, who ? { token: who.token } : {});
  if (response.body.errors?.length) {
    return {
      __typename: 'GraphQLError',
      code: String(response.body.errors[0]!.extensions?.code ?? response.body.errors[0]!.message),
      errors: response.body.errors,
    };
  }
  return response.body.data![mutation] as UntypedData;
}

/** Like ohMutation, and fails loudly unless it succeeded. */
export async function ohOk(
  url: string,
  who: ChatMember,
  mutation: string,
  input: Record<string, unknown> | null,
  selection: string,
): Promise<UntypedData> {
  const result = await ohMutation(url, who, mutation, input, selection);
  expect(result.__typename, `${mutation}: ${JSON.stringify(result)}`).toBe((await resultType(url, mutation)).payload);
  return result;
}

async function read(url: string, who: ChatMember, query: string, variables: Record<string, unknown> = {}) {
  const response = await gql(url, query, variables, { token: who.token });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data as UntypedData;
}

// ── time ──────────────────────────────────────────────────────────────────

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;

/** The local date, time and weekday in `zone` of an instant (ms). */
export function localOf(ms: number, zone = ZONE) {
  const zoned = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
  return {
    date: zoned.toPlainDate().toString(),
    time: zoned.toPlainTime().toString({ smallestUnit: 'minute' }),
    weekday: WEEKDAYS[zoned.dayOfWeek - 1]!,
  };
}

const plusDays = (date: string, days: number) => Temporal.PlainDate.from(date).add({ days }).toString();
const weekdayOf = (date: string) => WEEKDAYS[Temporal.PlainDate.from(date).dayOfWeek - 1]!;

/**
 * Start times for one-offs of the host that never meet the host's other slots: the series' weekday
 * and Mondays (the mentorship sessions) are left out, one slot an hour from 08:00 to 20:00.
 */
export class FreeTimes {
  private next = 0;
  constructor(
    private readonly firstDate: string,
    private readonly busyWeekday: string,
  ) {}
  take(): { startDate: string; startTime: string } {
    for (;;) {
      const index = this.next++;
      const date = plusDays(this.firstDate, Math.floor(index / 13));
      const weekday = weekdayOf(date);
      if (weekday === 'MONDAY' || weekday === this.busyWeekday) continue;
      return { startDate: date, startTime: `${String(8 + (index % 13)).padStart(2, '0')}:00` };
    }
  }
}

// ── building blocks ───────────────────────────────────────────────────────

export const OFFICE_HOURS_SELECTION = 'officeHours { id nextSlots(first: 5) { id startsAt endsAt } }';

/** A one-off of `host` (PUBLIC, one seat unless given); returns the series and its slot. */
export async function publishOneOff(
  url: string,
  host: ChatMember,
  at: { startDate: string; startTime: string },
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; slot: string }> {
  const result = await ohOk(
    url,
    host,
    'publishOfficeHours',
    {
      topic: `One-off ${at.startDate} ${at.startTime}`,
      description: 'Bring a question.',
      timeZone: ZONE,
      ...at,
      durationMinutes: 45,
      seats: 1,
      onlineUrl: 'https://meet.example.org/one-off',
      audience: 'PUBLIC',
      ...overrides,
    },
    OFFICE_HOURS_SELECTION,
  );
  const slots = result.officeHours.nextSlots as Array<{ id: string }>;
  expect(slots.length, JSON.stringify(result)).toBeGreaterThan(0);
  return { id: result.officeHours.id as string, slot: slots[0]!.id };
}

export async function book(url: string, who: ChatMember, slotId: string, question: string): Promise<string> {
  const result = await ohOk(url, who, 'bookOfficeHourSlot', { slotId, question }, 'booking { id }');
  return result.booking.id as string;
}

export async function joinWaitlist(url: string, who: ChatMember, slotId: string, question: string): Promise<string> {
  const result = await ohOk(url, who, 'joinOfficeHoursWaitlist', { slotId, question }, 'entry { id }');
  return result.entry.id as string;
}

/** The first session time the server proposes for a mentorship (as `who`, one of the pair). */
async function firstProposal(url: string, who: ChatMember, mentorshipId: string): Promise<string> {
  const data = await read(
    url,
    who,
    'query ($id: ID!) { node(id: $id) { ... on Mentorship { sessionTimeProposals(first: 3) { startsAt } } } }',
    { id: mentorshipId },
  );
  const proposals = data.node.sessionTimeProposals as Array<{ startsAt: string }>;
  expect(proposals.length, JSON.stringify(data)).toBeGreaterThan(0);
  return proposals[0]!.startsAt;
}

async function menteeNeeds(url: string, who: ChatMember, start: string, end: string) {
  const data = await read(
    url,
    who,
    'mutation ($input: SaveMenteeNeedsInput!) { saveMenteeNeeds(input: $input) { __typename } }',
    {
      input: {
        skills: [{ name: 'TypeScript', currentLevel: 'WORKING', wantedLevel: 'EXPERT' }],
        goals: 'Lead the frontend of my team.',
        helpWanted: ['TECHNICAL_SKILLS'],
        formats: ['VIDEO'],
        cadence: 'WEEKLY',
        timeZone: ZONE,
        weeklyHours: [{ weekday: 'MONDAY', start, end }],
        languages: ['en'],
      },
    },
  );
  expect(data.saveMenteeNeeds.__typename).toBe('SaveMenteeNeedsPayload');
}

/** An ACTIVE mentorship of `mentee` with `mentor` and an accepted weekly agreement of 45 minutes. */
async function agreed(url: string, mentee: ChatMember, mentor: ChatMember): Promise<string> {
  const requestId = await requestMentorship(url, mentee, mentor);
  const mentorship = (await acceptRequest(url, mentor, requestId))!;
  const today = localOf(nowMs()).date;
  const agreementId = await proposeAgreement(url, mentor, mentorship.id, {
    cadence: 'WEEKLY',
    sessionMinutes: 45,
    startsOn: today,
    // Six weeks: a handful of sessions is all the tables need.
    plannedEndOn: plusDays(today, 42),
  });
  await acceptAgreement(url, mentee, agreementId);
  return mentorship.id;
}

// ── the world ─────────────────────────────────────────────────────────────

export async function buildWorld(url: string, db: DbLike): Promise<World> {
  const t = tag();
  const names = ['host', 'attendee', 'attendee2', 'waitlisted', 'other', 'outsider', 'blocked'] as const;
  const people = {} as World['people'];
  for (const name of names) people[name] = await chatMember(url, `OH ${name} ${t}`);

  // The host's group: everyone but the outsider joins (the blocked member too: the block hides the
  // host's office hours from them whatever their groups).
  const group = await groupWithMembers(
    url,
    people.host,
    [people.attendee, people.attendee2, people.waitlisted, people.other, people.blocked],
    { name: `Office hours group ${t}` },
  );

  // Mentoring: the host mentors Mondays 09:00–12:00 Berlin; the attendee can meet 09:00–10:30, the
  // waitlisted member 11:00–12:00, so the two pairs' sessions never meet.
  await makeMentor(url, people.host, { capacity: 5, cadences: ['WEEKLY', 'BIWEEKLY'] });
  await menteeNeeds(url, people.attendee, '09:00', '10:30');
  await menteeNeeds(url, people.waitlisted, '11:00', '12:00');
  const pairMentorship = await agreed(url, people.attendee, people.host);
  const proposedMentorship = await agreed(url, people.waitlisted, people.host);

  // The pair's session series: the host proposes the first time offered, the attendee confirms.
  const pairProposed = await ohOk(
    url,
    people.host,
    'proposeMentorshipSessions',
    { mentorshipId: pairMentorship, startsAt: await firstProposal(url, people.host, pairMentorship) },
    'officeHours { id status }',
  );
  const pairId = pairProposed.officeHours.id as string;
  await ohOk(url, people.attendee, 'confirmMentorshipSessions', { officeHoursId: pairId }, 'officeHours { id status }');
  // The other mentee proposes; the host has not answered.
  const proposedResult = await ohOk(
    url,
    people.waitlisted,
    'proposeMentorshipSessions',
    { mentorshipId: proposedMentorship, startsAt: await firstProposal(url, people.waitlisted, proposedMentorship) },
    'officeHours { id status }',
  );
  expect(proposedResult.officeHours.status).toBe('PROPOSED');

  // A one-off starting within the hour (no minimum notice), booked by the attendee.
  const soon = nowMs() + 60 * 60_000;
  const soonLocal = localOf(soon - (soon % (5 * 60_000)) + 5 * 60_000);
  const pastQuestion = `PAST-Q-attendee-${t}`;
  const past = await publishOneOff(
    url,
    people.host,
    { startDate: soonLocal.date, startTime: soonLocal.time },
    { seats: 3, minimumNoticeMinutes: 0, durationMinutes: 30 },
  );
  const pastBooking = await book(url, people.attendee, past.slot, pastQuestion);

  // Move the clock past the first session and that one-off.
  const sessions = await db.officeHourSlot.findMany({
    where: { officeHoursId: rowId(pairId), cancelledAt: null },
    orderBy: { startsAt: 'asc' },
    select: { id: true, startsAt: true, endsAt: true },
  });
  expect(sessions.length).toBeGreaterThan(2);
  const pastSlot = await db.officeHourSlot.findUniqueOrThrow({ where: { id: rowId(past.slot) } });
  const startedBy = Math.max(sessions[0].endsAt.getTime(), pastSlot.endsAt.getTime()) + 10 * 60_000;
  advanceClock(startedBy - nowMs());

  // The series, two days on, on a weekday that is not Monday.
  let firstDate = localOf(nowMs() + 2 * 24 * 3600_000).date;
  if (weekdayOf(firstDate) === 'MONDAY') firstDate = plusDays(firstDate, 1);
  const weekday = weekdayOf(firstDate);
  const series = {} as World['series'];
  const hours: Record<Audience, string> = { PUBLIC: '15:00', MEMBERS: '16:00', GROUPS: '17:00' };
  const seeNames: Record<Audience, boolean> = { PUBLIC: true, MEMBERS: false, GROUPS: true };
  for (const audience of AUDIENCES) {
    const key = audience.toLowerCase();
    const skipped = plusDays(firstDate, 14);
    const input = {
      topic: `${audience} office hours ${t}`,
      description: `Ask me anything (${key}).`,
      timeZone: ZONE,
      startDate: firstDate,
      startTime: hours[audience],
      durationMinutes: 45,
      recurrence: { everyWeeks: 1, weekdays: [weekday], occurrenceCount: 3 },
      exceptions: [{ occurrenceDate: skipped, kind: 'SKIP' }],
      seats: 2,
      onlineUrl: `https://meet.example.org/${key}-${t}`,
      location: `Room ${key} ${t}`,
      audience,
      ...(audience === 'GROUPS' ? { groupIds: [group.id] } : {}),
      attendeesSeeNames: seeNames[audience],
      minimumNoticeMinutes: 60,
      bookingWindowDays: 30,
      bufferMinutes: 0,
    };
    const published = await ohOk(url, people.host, 'publishOfficeHours', input, OFFICE_HOURS_SELECTION);
    const slots = published.officeHours.nextSlots as Array<{ id: string }>;
    expect(slots.length, JSON.stringify(published)).toBe(2);
    const questions = {
      attendee: `Q-${key}-attendee-${t}`,
      attendee2: `Q-${key}-attendee2-${t}`,
      waitlisted: `Q-${key}-waitlisted-${t}`,
    };
    const full = slots[0]!.id;
    const bookings = {
      attendee: await book(url, people.attendee, full, questions.attendee),
      attendee2: await book(url, people.attendee2, full, questions.attendee2),
    };
    const entry = await joinWaitlist(url, people.waitlisted, full, questions.waitlisted);
    series[audience] = {
      id: published.officeHours.id,
      audience,
      attendeesSeeNames: seeNames[audience],
      onlineUrl: input.onlineUrl,
      location: input.location,
      startDate: firstDate,
      startTime: hours[audience],
      skipped,
      full,
      open: slots[1]!.id,
      bookings,
      entry,
      questions,
    };
  }

  // The offered place: one seat, attendee2 books, the waitlisted member queues, attendee2 cancels.
  const free = new FreeTimes(plusDays(firstDate, 1), weekday);
  const offer = await publishOneOff(url, people.host, free.take(), { topic: `Offer ${t}` });
  const offeredBooking = await book(url, people.attendee2, offer.slot, `Q-offer-attendee2-${t}`);
  const offerEntry = await joinWaitlist(url, people.waitlisted, offer.slot, `Q-offer-waitlisted-${t}`);
  await ohOk(url, people.attendee2, 'cancelBooking', { bookingId: offeredBooking }, 'booking { id }');
  const offered = await db.officeHoursWaitlistEntry.findUniqueOrThrow({ where: { id: rowId(offerEntry) } });
  expect(offered.status).toBe('OFFERED');

  // 02:30 on 14 March 2027 does not exist in New York (clocks go forward at 02:00).
  const adjusted = await publishOneOff(
    url,
    people.host,
    { startDate: '2027-03-14', startTime: '02:30' },
    { topic: `Adjusted ${t}`, timeZone: 'America/New_York', bookingWindowDays: 365 },
  );

  // The attendee's calendar feed.
  const feed = await ohOk(url, people.attendee, 'createCalendarFeed', null, 'url');

  // The pair's sessions as they are now: the first has started.
  const upcoming = sessions.filter((slot: { startsAt: Date }) => slot.startsAt.getTime() > nowMs());
  const menteeBookings = await db.booking.findMany({
    where: { attendeeId: rowId(people.attendee.id), status: 'BOOKED', slot: { officeHoursId: rowId(pairId) } },
    select: { id: true, slotId: true },
  });
  const bookingOf = (slotId: string) => {
    const found = menteeBookings.find((booking: { slotId: string }) => booking.slotId === slotId);
    expect(found, `the mentee's booking of session ${slotId}`).toBeTruthy();
    return globalId('Booking', found.id);
  };

  // Last: the host blocks a member of their group, who had booked a seat.
  const blockedQuestion = `Q-public-blocked-${t}`;
  const blockedBooking = await book(url, people.blocked, series.PUBLIC.open, blockedQuestion);
  const blocked = await block(url, people.host, people.blocked);
  expect(blocked.__typename, JSON.stringify(blocked)).toBe('BlockPayload');

  return {
    tag: t,
    people,
    group: { id: group.id, slug: group.slug },
    series,
    pair: {
      mentorshipId: pairMentorship,
      id: pairId,
      pastSession: globalId('OfficeHourSlot', sessions[0].id),
      pastBooking: bookingOf(sessions[0].id),
      sessions: upcoming.map((slot: { id: string }) => globalId('OfficeHourSlot', slot.id)),
      booking: bookingOf(upcoming[0].id),
      upcomingBookings: upcoming.map((slot: { id: string }) => bookingOf(slot.id)),
    },
    proposed: { mentorshipId: proposedMentorship, id: proposedResult.officeHours.id },
    offer: { id: offer.id, slot: offer.slot, entry: offerEntry },
    adjusted,
    past: { id: past.id, slot: past.slot, booking: pastBooking, question: pastQuestion },
    blockedBooking: { id: blockedBooking, question: blockedQuestion },
    feedUrl: feed.url as string,
    free,
  };
}
