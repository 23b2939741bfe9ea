import {
  type FieldNode,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  OperationTypeNode,
  parse,
  print,
  Source,
  TokenKind,
  type VariableDefinitionNode,
  visit,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, type UntypedData } from '../support/graphql.js';
import {
  ACTORS,
  type Actor,
  type Audience,
  AUDIENCES,
  book,
  buildWorld,
  joinWaitlist,
  localOf,
  ohMutation,
  ohOk,
  publishOneOff,
  rowId,
  type SignedIn,
  SIGNED_IN,
  type World,
  ZONE,
} from '../support/office-hours-world.js';
import { startServer, type TestServer } from '../support/server.js';

// Who sees and does what in office hours, as tables: every actor (the host; an attendee booked in the
// full slot of each series; a member waiting for that slot; another member who may see the series but
// is on none of it; an outsider, not in the group a GROUPS series is for; a member the host blocked;
// signed out) against every field, node, list, .ics route and mutation, over a PUBLIC, a MEMBERS and a
// GROUPS series, a mentorship session series (PAIR: the host and the attendee) and a proposed one
// (the host and the waitlisted member), on one world (support/office-hours-world.ts).
//
// The rules the tables check:
// - a series and everything in it is seen by whom its audience names (SEES below); for anyone else it
//   does not exist (node null, lists without it, NOT_FOUND);
// - a booking (and its question) is its attendee's and the host's; a waitlist place its member's and the
//   host's; the place and link reach the host and those booked in that slot; attendees see each other's
//   names only when the host said so, never each other's questions; exceptions and adjustment notes are
//   the host's;
// - a refused mutation writes nothing (a database snapshot before and after).
// Live events and notifications: office-hours-authorization-live.test.ts.

let server: TestServer;
let url: string;
let w: World;
const db = () => server.app.services.db;
const who = (actor: Actor) => (actor === 'signedOut' ? null : w.people[actor]);
const P = (actor: SignedIn | 'attendee2') => w.people[actor].personId;

beforeAll(async () => {
  server = await startServer();
  url = server.graphqlUrl;
  w = await buildWorld(url, db());
});
afterAll(async () => {
  await server?.stop();
});

// ── who sees what ─────────────────────────────────────────────────────────

type Subject = Audience | 'PAIR' | 'PROPOSED';
/** Who sees each series (and its slots): the one rule every row below builds on. */
const SEES: Record<Subject, readonly Actor[]> = {
  PUBLIC: ['signedOut', 'outsider', 'other', 'waitlisted', 'attendee', 'host'],
  MEMBERS: ['outsider', 'other', 'waitlisted', 'attendee', 'host'],
  GROUPS: ['other', 'waitlisted', 'attendee', 'host'],
  PAIR: ['attendee', 'host'],
  PROPOSED: ['waitlisted', 'host'],
};

/** What a node(id) answers for someone who may not see it. */
const HIDDEN = 'hidden';
const NO_VIEWER = 'no viewer';
const NO_GROUP = 'no group';

/** For those in `seers`: `value(actor)`; for the rest HIDDEN. */
function seen(seers: readonly Actor[], value: (actor: Actor) => unknown): Record<Actor, unknown> {
  return Object.fromEntries(ACTORS.map((actor) => [actor, seers.includes(actor) ? value(actor) : HIDDEN])) as Record<
    Actor,
    unknown
  >;
}
/** `values[actor]` where given; else `rest` for those in `seers`, HIDDEN for the others. */
function seenAs(
  seers: readonly Actor[],
  values: Partial<Record<Actor, unknown>>,
  rest: unknown,
  hidden: unknown = HIDDEN,
): Record<Actor, unknown> {
  return Object.fromEntries(
    ACTORS.map((actor) => [actor, actor in values ? values[actor] : seers.includes(actor) ? rest : hidden]),
  ) as Record<Actor, unknown>;
}

interface Answer {
  data: UntypedData;
  codes: string[];
}
interface ReadRow {
  name: string;
  query: string;
  vars: () => Record<string, unknown>;
  pick: (answer: Answer) => unknown;
  expected: () => Record<Actor, unknown>;
}

const NODE = (selection: string) => `query ($id: ID!) { node(id: $id) { id ${selection} } }`;
const onNode =
  (value: (node: UntypedData) => unknown = (node) => node.id) =>
  ({ data }: Answer) =>
    data.node == null ? HIDDEN : value(data.node);
const onViewer =
  (value: (viewer: UntypedData) => unknown) =>
  ({ data }: Answer) =>
    data.viewer == null ? NO_VIEWER : value(data.viewer);
const errorOr = (value: (data: UntypedData) => unknown) => (answer: Answer) =>
  answer.codes.length > 0 ? answer.codes[0] : value(answer.data);
const ids = (list: Array<{ id: string }>) => list.map((item) => item.id).sort();
const sorted = (list: string[]) => [...list].sort();
const localStart = (date: string, time: string) => `${date}T${time}`;

const SERIES_FIELDS = /* GraphQL */ `
  host { id } topic description timeZone startDate startTime durationMinutes
  recurrence { everyWeeks weekdays untilDate occurrenceCount }
  seats audience attendeesSeeNames minimumNoticeMinutes bookingWindowDays bufferMinutes status
  viewerIsHost proposedBy { id } confirmedAt cancelledAt mentorship { id }
`;

function seriesRows(audience: Audience): ReadRow[] {
  const s = () => w.series[audience];
  const sees = SEES[audience];
  const viewersOfSlot = (slot: () => string) => ({ id: slot() });
  return [
    {
      name: `${audience}: node(OfficeHours) and its own fields`,
      query: NODE(`... on OfficeHours { ${SERIES_FIELDS} }`),
      vars: () => ({ id: s().id }),
      pick: onNode(({ id: _, ...fields }) => fields),
      expected: () =>
        seen(sees, (actor) => ({
          host: { id: P('host') },
          topic: `${audience} office hours ${w.tag}`,
          description: `Ask me anything (${audience.toLowerCase()}).`,
          timeZone: ZONE,
          startDate: s().startDate,
          startTime: s().startTime,
          durationMinutes: 45,
          recurrence: {
            everyWeeks: 1,
            weekdays: [localOf(Date.parse(`${s().startDate}T12:00:00Z`), 'UTC').weekday],
            untilDate: null,
            occurrenceCount: 3,
          },
          seats: 2,
          audience,
          attendeesSeeNames: s().attendeesSeeNames,
          minimumNoticeMinutes: 60,
          bookingWindowDays: 30,
          bufferMinutes: 0,
          status: 'ACTIVE',
          viewerIsHost: actor === 'host',
          proposedBy: null,
          confirmedAt: null,
          cancelledAt: null,
          mentorship: null,
        })),
    },
    {
      name: `${audience}: OfficeHours.publicUrl (PUBLIC only)`,
      query: NODE('... on OfficeHours { publicUrl }'),
      vars: () => ({ id: s().id }),
      pick: onNode((node) => (node.publicUrl === null ? null : typeof node.publicUrl)),
      expected: () => seen(sees, () => (audience === 'PUBLIC' ? 'string' : null)),
    },
    {
      name: `${audience}: OfficeHours.onlineUrl and location (the host's, to edit them)`,
      query: NODE('... on OfficeHours { onlineUrl location }'),
      vars: () => ({ id: s().id }),
      pick: onNode((node) => [node.onlineUrl, node.location]),
      expected: () => seenAs(sees, { host: [s().onlineUrl, s().location] }, [null, null]),
    },
    {
      name: `${audience}: OfficeHours.exceptions (the host's)`,
      query: NODE('... on OfficeHours { exceptions { occurrenceDate kind movedToLocal } }'),
      vars: () => ({ id: s().id }),
      pick: onNode((node) => node.exceptions),
      expected: () => seenAs(sees, { host: [{ occurrenceDate: s().skipped, kind: 'SKIP', movedToLocal: null }] }, []),
    },
    {
      name: `${audience}: OfficeHours.groups`,
      query: NODE('... on OfficeHours { groups { id } }'),
      vars: () => ({ id: s().id }),
      pick: onNode((node) => ids(node.groups)),
      expected: () => seen(sees, () => (audience === 'GROUPS' ? [w.group.id] : [])),
    },
    {
      name: `${audience}: OfficeHours.slots and nextSlots`,
      query: NODE('... on OfficeHours { slots(first: 10) { edges { node { id state } } } nextSlots { id } }'),
      vars: () => ({ id: s().id }),
      pick: onNode((node) => [
        node.slots.edges
          .filter((edge: UntypedData) => edge.node.state !== 'CANCELLED')
          .map((e: UntypedData) => e.node.id),
        node.nextSlots.map((slot: UntypedData) => slot.id),
      ]),
      expected: () =>
        seen(sees, () => [
          [s().full, s().open],
          [s().full, s().open],
        ]),
    },
    {
      name: `${audience}: node(OfficeHourSlot) — the full slot's public fields`,
      query: NODE(
        '... on OfficeHourSlot { officeHours { id } seats seatsTaken seatsLeft state hostTimeZone hostLocalStart cancelledAt adjustmentNote }',
      ),
      vars: () => viewersOfSlot(() => s().full),
      pick: onNode(({ id: _, ...fields }) => fields),
      expected: () =>
        seen(sees, () => ({
          officeHours: { id: s().id },
          seats: 2,
          seatsTaken: 2,
          seatsLeft: 0,
          state: 'FULL',
          hostTimeZone: ZONE,
          hostLocalStart: localStart(s().startDate, s().startTime),
          cancelledAt: null,
          adjustmentNote: null,
        })),
    },
    {
      name: `${audience}: OfficeHourSlot.onlineUrl and location — the full slot (host and its booked attendees)`,
      query: NODE('... on OfficeHourSlot { onlineUrl location }'),
      vars: () => ({ id: s().full }),
      pick: onNode((slot) => [slot.onlineUrl, slot.location]),
      expected: () =>
        seenAs(sees, { host: [s().onlineUrl, s().location], attendee: [s().onlineUrl, s().location] }, [null, null]),
    },
    {
      name: `${audience}: OfficeHourSlot.onlineUrl and location — the open slot (no one booked: the host only)`,
      query: NODE('... on OfficeHourSlot { onlineUrl location }'),
      vars: () => ({ id: s().open }),
      pick: onNode((slot) => [slot.onlineUrl, slot.location]),
      expected: () => seenAs(sees, { host: [s().onlineUrl, s().location] }, [null, null]),
    },
    {
      name: `${audience}: OfficeHourSlot.attendees (attendeesSeeNames ${audience === 'MEMBERS' ? 'off' : 'on'})`,
      query: NODE('... on OfficeHourSlot { attendees { id name } }'),
      vars: () => ({ id: s().full }),
      pick: onNode((slot) => ids(slot.attendees)),
      expected: () => {
        const both = sorted([P('attendee'), P('attendee2')]);
        return seenAs(sees, { host: both, attendee: s().attendeesSeeNames ? both : [] }, []);
      },
    },
    {
      name: `${audience}: OfficeHourSlot.bookings with questions (the host's)`,
      query: NODE('... on OfficeHourSlot { bookings { id question status attendee { id } } }'),
      vars: () => ({ id: s().full }),
      pick: onNode((slot) =>
        [...slot.bookings].sort((a: UntypedData, b: UntypedData) => a.question.localeCompare(b.question)),
      ),
      expected: () =>
        seenAs(
          sees,
          {
            host: [
              {
                id: s().bookings.attendee,
                question: s().questions.attendee,
                status: 'BOOKED',
                attendee: { id: P('attendee') },
              },
              {
                id: s().bookings.attendee2,
                question: s().questions.attendee2,
                status: 'BOOKED',
                attendee: { id: P('attendee2') },
              },
            ],
          },
          [],
        ),
    },
    {
      name: `${audience}: OfficeHourSlot.waitlist (the host's)`,
      query: NODE('... on OfficeHourSlot { waitlist { id status position question member { id } } }'),
      vars: () => ({ id: s().full }),
      pick: onNode((slot) => slot.waitlist),
      expected: () =>
        seenAs(
          sees,
          {
            host: [
              {
                id: s().entry,
                status: 'WAITING',
                position: 1,
                question: s().questions.waitlisted,
                member: { id: P('waitlisted') },
              },
            ],
          },
          [],
        ),
    },
    {
      name: `${audience}: OfficeHourSlot.viewerBooking and viewerWaitlistEntry (each their own)`,
      query: NODE(
        '... on OfficeHourSlot { viewerBooking { id question } viewerWaitlistEntry { id position question } }',
      ),
      vars: () => ({ id: s().full }),
      pick: onNode((slot) => [slot.viewerBooking, slot.viewerWaitlistEntry]),
      expected: () =>
        seenAs(
          sees,
          {
            attendee: [{ id: s().bookings.attendee, question: s().questions.attendee }, null],
            waitlisted: [null, { id: s().entry, position: 1, question: s().questions.waitlisted }],
          },
          [null, null],
        ),
    },
    {
      name: `${audience}: OfficeHourSlot.viewerCanBook — the full slot and the open one`,
      query: `query ($full: ID!, $open: ID!) {
        full: node(id: $full) { ... on OfficeHourSlot { viewerCanBook } }
        open: node(id: $open) { ... on OfficeHourSlot { viewerCanBook } }
      }`,
      vars: () => ({ full: s().full, open: s().open }),
      pick: ({ data }) => (data.full == null ? HIDDEN : [data.full.viewerCanBook, data.open?.viewerCanBook]),
      expected: () =>
        seenAs(
          sees,
          audience === 'PUBLIC' ? { host: [false, false], signedOut: [false, false] } : { host: [false, false] },
          [false, true],
        ),
    },
    {
      name: `${audience}: node(Booking) — the attendee's, with its question (the attendee and the host)`,
      query: NODE(
        '... on Booking { status question attendance cancelledAt cancelledByHost calendarUrl slot { id } attendee { id } }',
      ),
      vars: () => ({ id: s().bookings.attendee }),
      pick: onNode(({ id: _, ...fields }) => fields),
      expected: () =>
        seenAs(
          ['attendee', 'host'],
          {},
          {
            status: 'BOOKED',
            question: s().questions.attendee,
            attendance: null,
            cancelledAt: null,
            cancelledByHost: false,
            calendarUrl: `/bookings/${rowId(s().bookings.attendee)}.ics`,
            slot: { id: s().full },
            attendee: { id: P('attendee') },
          },
        ),
    },
    {
      name: `${audience}: node(Booking) — the other attendee's: not the attendee's to see`,
      query: NODE('... on Booking { question }'),
      vars: () => ({ id: s().bookings.attendee2 }),
      pick: onNode((booking) => booking.question),
      expected: () => seenAs(['host'], {}, s().questions.attendee2),
    },
    {
      name: `${audience}: node(OfficeHoursWaitlistEntry) (its member and the host)`,
      query: NODE(
        '... on OfficeHoursWaitlistEntry { status position question offerExpiresAt slot { id } member { id } }',
      ),
      vars: () => ({ id: s().entry }),
      pick: onNode(({ id: _, ...fields }) => fields),
      expected: () =>
        seenAs(
          ['waitlisted', 'host'],
          {},
          {
            status: 'WAITING',
            position: 1,
            question: s().questions.waitlisted,
            offerExpiresAt: null,
            slot: { id: s().full },
            member: { id: P('waitlisted') },
          },
        ),
    },
  ];
}

const BLOCK_ROWS: ReadRow[] = [
  {
    name: 'node(Booking) — the blocked member’s seat, booked before the host blocked them: kept apart from the host',
    query: NODE('... on Booking { status question slot { id onlineUrl officeHours { id topic } } }'),
    vars: () => ({ id: w.blockedBooking.id }),
    pick: onNode((booking) => [booking.question, booking.slot.id]),
    expected: () => seenAs(['host'], {}, [w.blockedBooking.question, w.series.PUBLIC.open]),
  },
  {
    name: 'node(OfficeHourSlot) — the slot the blocked member booked',
    query: NODE('... on OfficeHourSlot { viewerBooking { id } onlineUrl }'),
    vars: () => ({ id: w.series.PUBLIC.open }),
    pick: onNode((slot) => [slot.viewerBooking?.id ?? null, slot.onlineUrl]),
    expected: () => seenAs(SEES.PUBLIC, { host: [null, w.series.PUBLIC.onlineUrl] }, [null, null]),
  },
];

const PAIR_ROWS: ReadRow[] = [
  {
    name: 'PAIR: node(OfficeHours) — the session series',
    query: NODE('... on OfficeHours { audience status viewerIsHost host { id } proposedBy { id } mentorship { id } }'),
    vars: () => ({ id: w.pair.id }),
    pick: onNode(({ id: _, ...fields }) => fields),
    expected: () =>
      seen(SEES.PAIR, (actor) => ({
        audience: 'PAIR',
        status: 'ACTIVE',
        viewerIsHost: actor === 'host',
        host: { id: P('host') },
        proposedBy: { id: P('host') },
        mentorship: { id: w.pair.mentorshipId },
      })),
  },
  {
    name: 'PAIR: OfficeHours.confirmedAt, publicUrl, nextSlots',
    query: NODE('... on OfficeHours { confirmedAt publicUrl nextSlots(first: 3) { id } }'),
    vars: () => ({ id: w.pair.id }),
    pick: onNode((node) => [typeof node.confirmedAt, node.publicUrl, ids(node.nextSlots)]),
    expected: () => seen(SEES.PAIR, () => ['string', null, sorted(w.pair.sessions.slice(0, 3))]),
  },
  {
    name: 'PAIR: node(OfficeHourSlot) — the next session, its bookings and attendees',
    query: NODE(
      '... on OfficeHourSlot { seats seatsTaken state officeHours { id } bookings { id } attendees { id } viewerBooking { id } }',
    ),
    vars: () => ({ id: w.pair.sessions[0] }),
    pick: onNode(({ id: _, ...fields }) => fields),
    expected: () => {
      const common = { seats: 1, seatsTaken: 1, state: 'FULL', officeHours: { id: w.pair.id } };
      return seenAs(
        SEES.PAIR,
        {
          host: {
            ...common,
            bookings: [{ id: w.pair.booking }],
            attendees: [{ id: P('attendee') }],
            viewerBooking: null,
          },
          // The series lets attendees see names: the mentee sees the one seat's (their own).
          attendee: {
            ...common,
            bookings: [],
            attendees: [{ id: P('attendee') }],
            viewerBooking: { id: w.pair.booking },
          },
        },
        null,
      );
    },
  },
  {
    name: 'PAIR: node(OfficeHourSlot) — the session that started: viewerCanMarkHeld, checkIn',
    query: NODE('... on OfficeHourSlot { state viewerCanMarkHeld checkIn { id } }'),
    vars: () => ({ id: w.pair.pastSession }),
    pick: onNode(({ id: _, ...fields }) => fields),
    expected: () => seen(SEES.PAIR, () => ({ state: 'PAST', viewerCanMarkHeld: true, checkIn: null })),
  },
  {
    name: 'viewerCanMarkHeld and checkIn of a slot that is no session',
    query: NODE('... on OfficeHourSlot { viewerCanMarkHeld checkIn { id } }'),
    vars: () => ({ id: w.past.slot }),
    pick: onNode(({ id: _, ...fields }) => fields),
    expected: () => seen(SEES.PUBLIC, () => ({ viewerCanMarkHeld: false, checkIn: null })),
  },
  {
    name: 'PAIR: node(Booking) — the mentee’s seat in the next session',
    query: NODE('... on Booking { status attendee { id } slot { id } }'),
    vars: () => ({ id: w.pair.booking }),
    pick: onNode(({ id: _, ...fields }) => fields),
    expected: () =>
      seen(SEES.PAIR, () => ({ status: 'BOOKED', attendee: { id: P('attendee') }, slot: { id: w.pair.sessions[0] } })),
  },
  {
    name: 'PAIR: Mentorship.sessionSeries and upcomingSessions',
    query: NODE('... on Mentorship { sessionSeries { id status } upcomingSessions(first: 5) { id } }'),
    vars: () => ({ id: w.pair.mentorshipId }),
    pick: onNode((m) => [m.sessionSeries, m.upcomingSessions.map((slot: UntypedData) => slot.id)]),
    expected: () => seen(SEES.PAIR, () => [{ id: w.pair.id, status: 'ACTIVE' }, w.pair.sessions.slice(0, 5)]),
  },
  {
    name: 'PAIR: Mentorship.sessionTimeProposals',
    query: NODE('... on Mentorship { sessionTimeProposals(first: 2) { startsAt label } }'),
    vars: () => ({ id: w.pair.mentorshipId }),
    pick: onNode((m) => m.sessionTimeProposals.length > 0),
    expected: () => seen(SEES.PAIR, () => true),
  },
  {
    name: 'PROPOSED: node(OfficeHours) — the pair only, no slots yet',
    query: NODE(
      '... on OfficeHours { audience status viewerIsHost proposedBy { id } mentorship { id } confirmedAt nextSlots { id } }',
    ),
    vars: () => ({ id: w.proposed.id }),
    pick: onNode(({ id: _, ...fields }) => fields),
    expected: () =>
      seen(SEES.PROPOSED, (actor) => ({
        audience: 'PAIR',
        status: 'PROPOSED',
        viewerIsHost: actor === 'host',
        proposedBy: { id: P('waitlisted') },
        mentorship: { id: w.proposed.mentorshipId },
        confirmedAt: null,
        nextSlots: [],
      })),
  },
  {
    name: 'PROPOSED: OfficeHours.viewerCanConfirmSessions (the other side of the proposal)',
    query: NODE('... on OfficeHours { viewerCanConfirmSessions }'),
    vars: () => ({ id: w.proposed.id }),
    pick: onNode((node) => node.viewerCanConfirmSessions),
    expected: () => seen(SEES.PROPOSED, (actor) => actor === 'host'),
  },
  {
    name: 'PROPOSED: Mentorship.sessionSeries',
    query: NODE('... on Mentorship { sessionSeries { id status } }'),
    vars: () => ({ id: w.proposed.mentorshipId }),
    pick: onNode((m) => m.sessionSeries),
    expected: () => seen(SEES.PROPOSED, () => ({ id: w.proposed.id, status: 'PROPOSED' })),
  },
];

const OTHER_ROWS: ReadRow[] = [
  {
    name: 'the offered place: node(OfficeHoursWaitlistEntry) OFFERED, with its deadline',
    query: NODE('... on OfficeHoursWaitlistEntry { status position hasDeadline: offerExpiresAt }'),
    vars: () => ({ id: w.offer.entry }),
    pick: onNode((entry) => [entry.status, typeof entry.hasDeadline]),
    expected: () => seenAs(['waitlisted', 'host'], {}, ['OFFERED', 'string']),
  },
  {
    name: 'the offered place holds the seat: seatsTaken, state, viewerWaitlistEntry',
    query: NODE('... on OfficeHourSlot { seatsTaken seatsLeft state viewerWaitlistEntry { id status } }'),
    vars: () => ({ id: w.offer.slot }),
    pick: onNode(({ id: _, ...fields }) => fields),
    expected: () =>
      seenAs(
        SEES.PUBLIC,
        {
          waitlisted: {
            seatsTaken: 1,
            seatsLeft: 0,
            state: 'FULL',
            viewerWaitlistEntry: { id: w.offer.entry, status: 'OFFERED' },
          },
        },
        { seatsTaken: 1, seatsLeft: 0, state: 'FULL', viewerWaitlistEntry: null },
      ),
  },
  {
    name: 'a slot the zone moved: adjustmentNote (the host’s), hostLocalStart',
    query: NODE('... on OfficeHourSlot { hostLocalStart hostTimeZone adjustmentNote }'),
    vars: () => ({ id: w.adjusted.slot }),
    pick: onNode((slot) => [slot.hostLocalStart, slot.hostTimeZone, slot.adjustmentNote === null ? null : 'note']),
    expected: () =>
      seenAs(SEES.PUBLIC, { host: ['2027-03-14T03:30', 'America/New_York', 'note'] }, [
        '2027-03-14T03:30',
        'America/New_York',
        null,
      ]),
  },
  {
    name: 'a slot that started: state PAST, the attendee’s booking of it',
    query: `query ($slot: ID!, $booking: ID!) {
      slot: node(id: $slot) { ... on OfficeHourSlot { state viewerCanBook } }
      booking: node(id: $booking) { ... on Booking { question attendance } }
    }`,
    vars: () => ({ slot: w.past.slot, booking: w.past.booking }),
    pick: ({ data }) => [data.slot ?? HIDDEN, data.booking ?? HIDDEN],
    expected: () =>
      Object.fromEntries(
        ACTORS.map((actor) => [
          actor,
          [
            SEES.PUBLIC.includes(actor) ? { state: 'PAST', viewerCanBook: false } : HIDDEN,
            actor === 'attendee' || actor === 'host' ? { question: w.past.question, attendance: null } : HIDDEN,
          ],
        ]),
      ) as Record<Actor, unknown>,
  },
];

/** The host's series each actor may see, with an upcoming slot (the session series not among them). */
const listed = (actor: Actor) =>
  sorted([
    ...AUDIENCES.filter((audience) => SEES[audience].includes(actor)).map((audience) => w.series[audience].id),
    ...(SEES.PUBLIC.includes(actor) ? [w.offer.id, w.adjusted.id] : []),
  ]);

const LIST_ROWS: ReadRow[] = [
  {
    name: 'Person.officeHours (the host’s profile)',
    query: NODE('... on Person { officeHours { id } }'),
    vars: () => ({ id: P('host') }),
    pick: onNode((person) => ids(person.officeHours)),
    expected: () => seenFor(listed, { signedOut: HIDDEN, blocked: [] }),
  },
  {
    name: 'Group.officeHours (the host’s group)',
    query: 'query ($slug: String!) { group(slug: $slug) { officeHours { id } } }',
    vars: () => ({ slug: w.group.slug }),
    pick: ({ data }) => (data.group == null ? NO_GROUP : ids(data.group.officeHours)),
    expected: () => seenFor(listed, { signedOut: NO_GROUP, blocked: [] }),
  },
  {
    name: 'publicOfficeHours(hostId) — the public page',
    query: 'query ($id: ID!) { publicOfficeHours(hostId: $id) { host { id name } officeHours { id } } }',
    vars: () => ({ id: P('host') }),
    pick: ({ data }) =>
      data.publicOfficeHours == null ? null : [data.publicOfficeHours.host.id, ids(data.publicOfficeHours.officeHours)],
    // The host's name is the people module's to show; what the host blocked sees of it lists nothing.
    expected: () => seenFor((actor) => [P('host'), listed(actor)], { blocked: [P('host'), []] }),
  },
  {
    name: 'hostedOfficeHours — one’s own (not the session series)',
    query: '{ hostedOfficeHours { id } }',
    vars: () => ({}),
    pick: errorOr((data) => ids(data.hostedOfficeHours)),
    expected: () => seenFor(() => [], { signedOut: 'UNAUTHENTICATED', host: listed('host') }),
  },
  {
    name: 'hostedOfficeHours(includeEnded: true) — with the past one-off',
    query: '{ hostedOfficeHours(includeEnded: true) { id } }',
    vars: () => ({}),
    pick: errorOr((data) => ids(data.hostedOfficeHours)),
    expected: () => seenFor(() => [], { signedOut: 'UNAUTHENTICATED', host: sorted([...listed('host'), w.past.id]) }),
  },
  {
    name: 'myBookings(UPCOMING) — one’s own, with one’s own questions',
    query: '{ myBookings(when: UPCOMING, first: 50) { edges { node { id question attendee { id } } } } }',
    vars: () => ({}),
    pick: errorOr((data) => ids(data.myBookings.edges.map((edge: UntypedData) => edge.node))),
    expected: () =>
      seenFor(() => [], {
        signedOut: 'UNAUTHENTICATED',
        attendee: sorted([
          ...AUDIENCES.map((audience) => w.series[audience].bookings.attendee),
          ...w.pair.upcomingBookings,
        ]),
      }),
  },
  {
    name: 'myBookings(UPCOMING) — every question read is the reader’s own',
    query: '{ myBookings(when: UPCOMING, first: 50) { edges { node { question attendee { id } } } } }',
    vars: () => ({}),
    pick: errorOr((data) =>
      data.myBookings.edges.every(
        (edge: UntypedData) => edge.node.attendee.id === data.self && !edge.node.question.includes('attendee2'),
      ),
    ),
    expected: () => seenFor(() => true, { signedOut: 'UNAUTHENTICATED' }),
  },
  {
    name: 'myBookings(PAST)',
    query: '{ myBookings(when: PAST, first: 50) { edges { node { id } } } }',
    vars: () => ({}),
    pick: errorOr((data) => ids(data.myBookings.edges.map((edge: UntypedData) => edge.node))),
    expected: () =>
      seenFor(() => [], { signedOut: 'UNAUTHENTICATED', attendee: sorted([w.past.booking, w.pair.pastBooking]) }),
  },
  {
    name: 'myWaitlistEntries',
    query: '{ myWaitlistEntries { id status } }',
    vars: () => ({}),
    pick: errorOr((data) => ids(data.myWaitlistEntries)),
    expected: () =>
      seenFor(() => [], {
        signedOut: 'UNAUTHENTICATED',
        waitlisted: sorted([...AUDIENCES.map((audience) => w.series[audience].entry), w.offer.entry]),
      }),
  },
  {
    name: 'viewer.calendarFeed and reminderLeadMinutes (one’s own)',
    query: '{ viewer { calendarFeed { createdAt } reminderLeadMinutes } }',
    vars: () => ({}),
    pick: onViewer((viewer) => [viewer.calendarFeed === null ? null : 'feed', viewer.reminderLeadMinutes]),
    expected: () => seenFor(() => [null, [1440, 60]], { signedOut: NO_VIEWER, attendee: ['feed', [1440, 60]] }),
  },
  {
    name: 'officeHoursPreview (a pure expansion of the given rule: anyone)',
    query: `query ($input: OfficeHoursScheduleInput!) { officeHoursPreview(input: $input) { startsAt hostLocalStart } }`,
    vars: () => ({
      input: {
        timeZone: ZONE,
        startDate: w.series.PUBLIC.startDate,
        startTime: '10:00',
        durationMinutes: 30,
        recurrence: { everyWeeks: 1, weekdays: ['TUESDAY'], occurrenceCount: 4 },
      },
    }),
    pick: errorOr((data) => data.officeHoursPreview.length),
    expected: () => seenFor(() => 4),
  },
];

/** `value(actor)` for every actor, except those given. */
function seenFor(value: (actor: Actor) => unknown, except: Partial<Record<Actor, unknown>> = {}) {
  return Object.fromEntries(ACTORS.map((actor) => [actor, actor in except ? except[actor] : value(actor)])) as Record<
    Actor,
    unknown
  >;
}

const READS: ReadRow[] = [...AUDIENCES.flatMap(seriesRows), ...BLOCK_ROWS, ...PAIR_ROWS, ...OTHER_ROWS, ...LIST_ROWS];

// Every row for one actor goes in one request (the rows' root fields and variables prefixed r<i>_),
// so the table costs seven requests, not seven per row; rows where an actor is expected to be refused
// with an error code run on their own (an error on a non-null root field would null the whole answer),
// and an answer without data falls back to one request per row.
interface RowRequest {
  query: string;
  variables: Record<string, unknown>;
}
function mergeRows(rows: ReadonlyArray<{ row: ReadRow; index: number }>): RowRequest {
  const definitions: VariableDefinitionNode[] = [];
  const selections: FieldNode[] = [];
  const variables: Record<string, unknown> = {};
  for (const { row, index } of rows) {
    const prefix = `r${index}_`;
    const renamed = visit(parse(row.query), {
      Variable: (node) => ({ ...node, name: { ...node.name, value: `${prefix}${node.name.value}` } }),
    });
    const operation = renamed.definitions[0] as OperationDefinitionNode;
    definitions.push(...(operation.variableDefinitions ?? []));
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) throw new Error(`${row.name}: root selections must be fields`);
      const alias = `${prefix}${selection.alias?.value ?? selection.name.value}`;
      selections.push({ ...selection, alias: { kind: Kind.NAME, value: alias } });
    }
    for (const [name, value] of Object.entries(row.vars())) variables[`${prefix}${name}`] = value;
  }
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    variableDefinitions: definitions,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  return { query: print({ kind: Kind.DOCUMENT, definitions: [operation] }), variables };
}

interface RawAnswer {
  data: UntypedData | null;
  errors: Array<{ message: string; extensions?: Record<string, unknown>; path?: ReadonlyArray<string | number> }>;
}
const answers = new Map<string, RawAnswer>();
const answerKey = (index: number, actor: Actor) => `${index}:${actor}`;
const isCode = (value: unknown) => typeof value === 'string' && /^[A-Z_]+$/.test(value);

async function ask(actor: Actor, request: RowRequest): Promise<RawAnswer> {
  const member = who(actor);
  const response = await gql(url, request.query, request.variables, member ? { token: member.token } : {});
  return { data: response.body.data ?? null, errors: (response.body.errors ?? []) as RawAnswer['errors'] };
}

/** The server's armor (server/src/graphql/limits.ts) takes at most 250 tokens and 8 aliases a request. */
const MAX_TOKENS = 240;
const MAX_ALIASES = 8;
function sizeOf(request: RowRequest) {
  let tokens = 0;
  const lexer = new Lexer(new Source(request.query));
  while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  let aliases = 0;
  visit(parse(request.query), { Field: (node) => void (node.alias && (aliases += 1)) });
  return { tokens, aliases };
}
/** Rows packed into requests the armor accepts. */
function chunks(rows: Array<{ row: ReadRow; index: number }>): Array<Array<{ row: ReadRow; index: number }>> {
  const packed: Array<Array<{ row: ReadRow; index: number }>> = [];
  let current: Array<{ row: ReadRow; index: number }> = [];
  for (const item of rows) {
    const next = [...current, item];
    const size = sizeOf(mergeRows(next));
    if (current.length > 0 && (size.tokens > MAX_TOKENS || size.aliases > MAX_ALIASES)) {
      packed.push(current);
      current = [item];
    } else current = next;
  }
  if (current.length > 0) packed.push(current);
  return packed;
}

async function answerChunk(actor: Actor, rows: Array<{ row: ReadRow; index: number }>) {
  const answer = await ask(actor, mergeRows(rows));
  for (const { row, index } of rows) {
    if (answer.data === null && rows.length > 1) {
      await answerChunk(actor, [{ row, index }]);
      continue;
    }
    const prefix = `r${index}_`;
    const data = Object.fromEntries(
      Object.entries(answer.data ?? {})
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), value]),
    );
    const errors = answer.errors.filter(
      (error) => rows.length === 1 || String(error.path?.[0] ?? '').startsWith(prefix),
    );
    answers.set(answerKey(index, actor), { data, errors });
  }
}

async function answerAll(actor: Actor) {
  const indexed = READS.map((row, index) => ({ row, index }));
  const alone = indexed.filter(({ row }) => isCode(row.expected()[actor]));
  const together = indexed.filter(({ row }) => !isCode(row.expected()[actor]));
  for (const chunk of [...chunks(together), ...alone.map((item) => [item])]) await answerChunk(actor, chunk);
}

describe('the read table', () => {
  // Read before any mutation below changes the world.
  beforeAll(async () => {
    await Promise.all(ACTORS.map(answerAll));
  });

  describe.each(READS.map((row, index) => ({ ...row, index })))('$name', (row) => {
    it.each(ACTORS)('as %s', (actor) => {
      const answer = answers.get(answerKey(row.index, actor))!;
      const codes = answer.errors.map((e) => String(e.extensions?.code ?? e.message));
      const data = { ...(answer.data ?? {}), self: who(actor)?.personId };
      const got = row.pick({ data, codes });
      const expected = row.expected()[actor];
      // A signed-out Person lookup belongs to the people module (it may answer with an error).
      if (!(actor === 'signedOut' && got === HIDDEN)) {
        const allowed = typeof expected === 'string' ? [expected] : [];
        for (const code of codes) expect(allowed, JSON.stringify(answer.errors)).toContain(code);
      }
      expect(got).toEqual(expected);
    });
  });
});

// ── the .ics routes ───────────────────────────────────────────────────────

describe('the .ics routes', () => {
  const ics = (path: string, actor: Actor) => {
    const member = who(actor);
    return fetch(`${server.url}${path}`, { headers: member ? { authorization: `Bearer ${member.token}` } : {} });
  };

  it.each(ACTORS)('GET /bookings/<the attendee’s booking>.ics as %s: the attendee and the host only', async (actor) => {
    const s = w.series.GROUPS;
    const response = await ics(`/bookings/${rowId(s.bookings.attendee)}.ics`, actor);
    const body = await response.text();
    expect(response.status, body.slice(0, 200)).toBe(actor === 'attendee' || actor === 'host' ? 200 : 404);
    if (response.status === 200) {
      expect(body).toContain('BEGIN:VCALENDAR');
      expect(body).toContain(s.location);
      // Never the other attendee's question or name.
      expect(body).not.toContain(s.questions.attendee2);
      expect(body).not.toContain(w.people.attendee2.name);
    } else {
      expect(body).not.toContain(s.location);
    }
  });

  it.each(ACTORS)('GET /bookings/<the other attendee’s booking>.ics as %s', async (actor) => {
    const response = await ics(`/bookings/${rowId(w.series.PUBLIC.bookings.attendee2)}.ics`, actor);
    expect(response.status).toBe(actor === 'host' ? 200 : 404);
  });

  it.each(ACTORS)('GET /bookings/<the blocked member’s booking>.ics as %s', async (actor) => {
    const response = await ics(`/bookings/${rowId(w.blockedBooking.id)}.ics`, actor);
    expect(response.status).toBe(actor === 'host' ? 200 : 404);
  });

  it('GET /bookings/<no booking>.ics is 404 for the host too', async () => {
    const response = await ics('/bookings/01900000-0000-7000-8000-000000000000.ics', 'host');
    expect(response.status).toBe(404);
  });

  it('GET /calendar/<token>.ics: the secret address alone opens the feed; it holds the owner’s bookings and nobody else’s details', async () => {
    const path = new URL(w.feedUrl).pathname;
    const response = await fetch(`${server.url}${path}`);
    const body = await response.text();
    expect(response.status, body.slice(0, 200)).toBe(200);
    for (const audience of AUDIENCES) {
      const s = w.series[audience];
      expect(body).toContain(`booking-${rowId(s.bookings.attendee)}@guildhall`);
      expect(body).not.toContain(`booking-${rowId(s.bookings.attendee2)}@guildhall`);
      expect(body).not.toContain(s.questions.attendee2);
      expect(body).not.toContain(s.questions.waitlisted);
    }
    expect(body).not.toContain(w.people.attendee2.name);
    // Another token, or one altered by a character, opens nothing.
    for (const wrong of [path.replace(/.(\.ics)$/, (_, ext) => `x${ext}`), '/calendar/not-a-token.ics']) {
      const refused = await fetch(`${server.url}${wrong}`);
      expect(refused.status, wrong).toBe(404);
    }
  });
});

// ── the mutation table ────────────────────────────────────────────────────

type Outcome = string;
interface MutationRow {
  name: string;
  mutation: string;
  input: () => Record<string, unknown> | null;
  expected: Record<Actor, Outcome>;
  /** Once before the row's actors run (e.g. a new proposal to answer). */
  setup?: () => Promise<void>;
  /** For an actor expected to succeed: a fresh target, so the world stays as built for the others. */
  fresh?: (actor: Actor) => Promise<Record<string, unknown>>;
  /** Read on the payload of a success. */
  selection?: string;
  after?: (actor: Actor, result: UntypedData, input: Record<string, unknown>) => Promise<void>;
}

/** Refused for those who do not see `subject` (NOT_FOUND) and signed out; `seers` as given, else `rest`. */
function onSubject(subject: Subject, values: Partial<Record<Actor, Outcome>>, rest: Outcome): Record<Actor, Outcome> {
  return Object.fromEntries(
    ACTORS.map((actor) => [
      actor,
      actor in values
        ? values[actor]!
        : actor === 'signedOut'
          ? 'UNAUTHENTICATED'
          : SEES[subject].includes(actor)
            ? rest
            : 'NOT_FOUND',
    ]),
  ) as Record<Actor, Outcome>;
}
/** Only `owners` may (as given); everyone else signed in: NOT_FOUND. */
function ownersOnly(owners: Partial<Record<Actor, Outcome>>): Record<Actor, Outcome> {
  return Object.fromEntries(
    ACTORS.map((actor) => [
      actor,
      actor in owners ? owners[actor]! : actor === 'signedOut' ? 'UNAUTHENTICATED' : 'NOT_FOUND',
    ]),
  ) as Record<Actor, Outcome>;
}
const everyoneSignedIn = (outcome: Outcome) =>
  seenFor(() => outcome, { signedOut: 'UNAUTHENTICATED' }) as Record<Actor, Outcome>;

/**
 * Everything office hours store, as a refusal must leave it, read in one statement: every row of the
 * module's tables, check-ins (a session marked held), members' reminder lead times, and which
 * notifications exist (reminders that come due meanwhile are the clock's, not the refusal's).
 */
const SNAPSHOT = `SELECT ${[
  ['series', '"OfficeHours"'],
  ['groups', '"OfficeHoursGroup"'],
  ['exceptions', '"OfficeHoursException"'],
  ['slots', '"OfficeHourSlot"'],
  ['bookings', '"Booking"'],
  ['entries', '"OfficeHoursWaitlistEntry"'],
  ['feeds', '"CalendarFeed"'],
  ['checkIns', '"CheckIn"'],
]
  .map(
    ([name, table]) =>
      `(SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM ${table} t) AS "${name}"`,
  )
  .concat(
    `(SELECT coalesce(string_agg(t."id"::text || ' ' || array_to_string(t."reminderLeadMinutes", ','), E'\\n' ORDER BY t."id"), '') FROM "User" t) AS "leads"`,
    `(SELECT coalesce(string_agg(t."id"::text || ' ' || t."kind" || ' ' || t."recipientId"::text, E'\\n' ORDER BY t."id"), '') FROM "Notification" t WHERE t."kind" <> 'OFFICE_HOURS_REMINDER') AS "notifications"`,
  )
  .join(', ')}`;
async function snapshot(): Promise<Record<string, string>> {
  const rows = (await db().$queryRawUnsafe(SNAPSHOT)) as Array<Record<string, string>>;
  return rows[0]!;
}

/** Fresh targets, each a new one-off of the host's at a time of its own. */
const freeTime = () => w.free.take();
const audienceInput = (audience: Audience) => ({
  audience,
  ...(audience === 'GROUPS' ? { groupIds: [w.group.id] } : {}),
  minimumNoticeMinutes: 60,
  bookingWindowDays: 60,
});
const freshSlot = async (audience: Audience = 'PUBLIC', seats = 2) =>
  publishOneOff(url, w.people.host, freeTime(), { ...audienceInput(audience), seats, location: 'Fresh room' });
/** A one-seat slot attendee2 booked: full. */
const freshFull = async (audience: Audience) => {
  const fresh = await freshSlot(audience, 1);
  await book(url, w.people.attendee2, fresh.slot, 'fresh');
  return fresh;
};
const freshBooking = async (actor: Actor) =>
  book(url, who(actor)!, (await freshSlot()).slot, `Fresh question of ${actor}`);
const freshEntry = async (actor: Actor) =>
  joinWaitlist(url, who(actor)!, (await freshFull('PUBLIC')).slot, `Fresh wait of ${actor}`);
/** An OFFERED place of `actor`: they queue for a one-seat slot that attendee2 then gives up. */
const freshOffer = async (actor: Actor) => {
  const fresh = await freshSlot('PUBLIC', 1);
  const booking = await book(url, w.people.attendee2, fresh.slot, 'fresh');
  const entry = await joinWaitlist(url, who(actor)!, fresh.slot, `Offer to ${actor}`);
  await ohOk(url, w.people.attendee2, 'cancelBooking', { bookingId: booking }, 'booking { id }');
  return entry;
};
const publishInput = (audience: Audience) => ({
  topic: `Published by an actor ${w.tag}`,
  timeZone: ZONE,
  ...freeTime(),
  durationMinutes: 30,
  seats: 3,
  ...audienceInput(audience),
});
const FULL = (audience: Audience) => () => w.series[audience].full;
let proposal: string;
async function firstProposal(mentorshipId: string, actor: SignedIn): Promise<string> {
  const response = await gql(
    url,
    'query ($id: ID!) { node(id: $id) { ... on Mentorship { sessionTimeProposals(first: 1) { startsAt } } } }',
    { id: mentorshipId },
    { token: w.people[actor].token },
  );
  const startsAt = response.body.data?.node?.sessionTimeProposals?.[0]?.startsAt;
  expect(startsAt, JSON.stringify(response.body)).toBeTruthy();
  return startsAt as string;
}
const OPEN = (audience: Audience) => () => w.series[audience].open;

const MUTATIONS: MutationRow[] = [
  // Publishing (H1).
  {
    name: 'publishOfficeHours (PUBLIC): any member hosts their own',
    mutation: 'publishOfficeHours',
    input: () => publishInput('PUBLIC'),
    expected: everyoneSignedIn('OK'),
    selection: 'officeHours { host { id } }',
    after: async (actor, result) => expect(result.officeHours.host.id).toBe(who(actor)!.personId),
  },
  {
    name: 'publishOfficeHours (GROUPS, the host’s group): members of the group only',
    mutation: 'publishOfficeHours',
    input: () => publishInput('GROUPS'),
    // Not a member: the group is no choice of theirs (a field error, as for any group one is not in).
    expected: { ...everyoneSignedIn('OK'), outsider: 'VALIDATION' },
  },
  ...AUDIENCES.flatMap((audience): MutationRow[] => [
    {
      name: `updateOfficeHours (${audience})`,
      mutation: 'updateOfficeHours',
      input: () => ({ officeHoursId: w.series[audience].id, topic: 'Taken over' }),
      expected: onSubject(audience, { host: 'OK' }, 'FORBIDDEN'),
      fresh: async () => ({ officeHoursId: (await freshSlot(audience)).id, topic: 'Changed by the host' }),
      selection: 'officeHours { topic }',
    },
    {
      name: `cancelOfficeHours (${audience})`,
      mutation: 'cancelOfficeHours',
      input: () => ({ officeHoursId: w.series[audience].id, message: 'Cancelled by someone' }),
      expected: onSubject(audience, { host: 'OK' }, 'FORBIDDEN'),
      fresh: async () => ({ officeHoursId: (await freshSlot(audience)).id, message: 'Sorry' }),
    },
    {
      name: `skipOfficeHourSlot (${audience}, the full slot)`,
      mutation: 'skipOfficeHourSlot',
      input: () => ({ slotId: FULL(audience)(), message: 'Skipped by someone' }),
      expected: onSubject(audience, { host: 'OK' }, 'FORBIDDEN'),
      fresh: async () => ({ slotId: (await freshSlot(audience)).slot, message: 'Sorry' }),
    },
    {
      name: `moveOfficeHourSlot (${audience}, the full slot)`,
      mutation: 'moveOfficeHourSlot',
      input: () => ({ slotId: FULL(audience)(), startLocal: `${w.series[audience].startDate}T21:00` }),
      expected: onSubject(audience, { host: 'OK' }, 'FORBIDDEN'),
      fresh: async () => {
        const to = freeTime();
        return { slotId: (await freshSlot(audience)).slot, startLocal: `${to.startDate}T${to.startTime}` };
      },
    },
  ]),
  // Booking and the waitlist (H2).
  ...AUDIENCES.flatMap((audience): MutationRow[] => [
    {
      name: `bookOfficeHourSlot (${audience}, the open slot)`,
      mutation: 'bookOfficeHourSlot',
      input: () => ({ slotId: OPEN(audience)(), question: 'Refused?' }),
      expected: onSubject(audience, { host: 'OWN_SLOT' }, 'OK'),
      fresh: async (actor) => ({ slotId: (await freshSlot(audience)).slot, question: `Booked by ${actor}` }),
      selection: 'booking { question attendee { id } }',
      after: async (actor, result, input) => {
        expect(result.booking.question).toBe(input.question);
        expect(result.booking.attendee.id).toBe(who(actor)!.personId);
      },
    },
    {
      name: `bookOfficeHourSlot (${audience}, the full slot)`,
      mutation: 'bookOfficeHourSlot',
      input: () => ({ slotId: FULL(audience)(), question: 'Refused?' }),
      expected: onSubject(audience, { host: 'OWN_SLOT', attendee: 'ALREADY_BOOKED' }, 'SLOT_FULL'),
    },
    {
      name: `joinOfficeHoursWaitlist (${audience}, the full slot)`,
      mutation: 'joinOfficeHoursWaitlist',
      input: () => ({ slotId: FULL(audience)(), question: 'Refused?' }),
      expected: onSubject(
        audience,
        { host: 'OWN_SLOT', attendee: 'ALREADY_BOOKED', waitlisted: 'ALREADY_WAITLISTED' },
        'OK',
      ),
      fresh: async (actor) => ({ slotId: (await freshFull(audience)).slot, question: `Waiting: ${actor}` }),
    },
    {
      name: `joinOfficeHoursWaitlist (${audience}, the open slot)`,
      mutation: 'joinOfficeHoursWaitlist',
      input: () => ({ slotId: OPEN(audience)(), question: 'Refused?' }),
      expected: onSubject(audience, { host: 'OWN_SLOT' }, 'SEATS_AVAILABLE'),
    },
  ]),
  {
    name: 'bookOfficeHourSlot (the next session of the pair)',
    mutation: 'bookOfficeHourSlot',
    input: () => ({ slotId: w.pair.sessions[0], question: 'Refused?' }),
    expected: onSubject('PAIR', { host: 'OWN_SLOT', attendee: 'ALREADY_BOOKED' }, 'SLOT_FULL'),
  },
  {
    name: 'bookOfficeHourSlot (a slot that started)',
    mutation: 'bookOfficeHourSlot',
    input: () => ({ slotId: w.past.slot, question: 'Refused?' }),
    expected: onSubject('PUBLIC', {}, 'SLOT_PAST'),
  },
  {
    name: 'cancelBooking (the attendee’s seat in the PUBLIC full slot)',
    mutation: 'cancelBooking',
    input: () => ({ bookingId: w.series.PUBLIC.bookings.attendee }),
    expected: ownersOnly({ attendee: 'OK' }),
    fresh: async (actor) => ({ bookingId: await freshBooking(actor) }),
    selection: 'booking { status cancelledByHost }',
    after: async (_actor, result) => expect(result.booking).toEqual({ status: 'CANCELLED', cancelledByHost: false }),
  },
  {
    name: 'cancelBooking (the mentee’s seat in the next session: theirs to give up)',
    mutation: 'cancelBooking',
    input: () => ({ bookingId: w.pair.booking }),
    expected: ownersOnly({ attendee: 'OK' }),
  },
  {
    name: 'cancelBooking (the seat the blocked member booked before the block: theirs to give back)',
    mutation: 'cancelBooking',
    input: () => ({ bookingId: w.blockedBooking.id }),
    expected: ownersOnly({ blocked: 'OK' }),
    selection: 'booking { status }',
    after: async (_actor, result) => expect(result.booking).toEqual({ status: 'CANCELLED' }),
  },
  {
    name: 'leaveOfficeHoursWaitlist (the waitlisted member’s place, PUBLIC)',
    mutation: 'leaveOfficeHoursWaitlist',
    input: () => ({ entryId: w.series.PUBLIC.entry }),
    expected: ownersOnly({ waitlisted: 'OK' }),
    fresh: async (actor) => ({ entryId: await freshEntry(actor) }),
  },
  {
    name: 'acceptWaitlistOffer (the offered place)',
    mutation: 'acceptWaitlistOffer',
    input: () => ({ entryId: w.offer.entry }),
    expected: ownersOnly({ waitlisted: 'OK' }),
    fresh: async (actor) => ({ entryId: await freshOffer(actor) }),
    selection: 'booking { status attendee { id } }',
    after: async (actor, result) =>
      expect(result.booking).toEqual({ status: 'BOOKED', attendee: { id: who(actor)!.personId } }),
  },
  {
    name: 'acceptWaitlistOffer (a place still WAITING)',
    mutation: 'acceptWaitlistOffer',
    input: () => ({ entryId: w.series.GROUPS.entry }),
    expected: ownersOnly({ waitlisted: 'NO_OFFER' }),
  },
  {
    name: 'declineWaitlistOffer (the offered place)',
    mutation: 'declineWaitlistOffer',
    input: () => ({ entryId: w.offer.entry }),
    expected: ownersOnly({ waitlisted: 'OK' }),
    fresh: async (actor) => ({ entryId: await freshOffer(actor) }),
  },
  {
    name: 'markAttendance (the attendee’s booking of the slot that started)',
    mutation: 'markAttendance',
    input: () => ({ bookingId: w.past.booking, attendance: 'ATTENDED' }),
    expected: ownersOnly({ host: 'OK' }),
    selection: 'booking { attendance }',
    after: async (_actor, result) => expect(result.booking.attendance).toBe('ATTENDED'),
  },
  {
    name: 'markAttendance (a booking of a slot still to come)',
    mutation: 'markAttendance',
    input: () => ({ bookingId: w.series.MEMBERS.bookings.attendee, attendance: 'NO_SHOW' }),
    expected: ownersOnly({ host: 'SLOT_NOT_STARTED' }),
  },
  // Mentorship sessions (H4).
  {
    name: 'updateOfficeHours (the pair’s series: changed by the session mutations only)',
    mutation: 'updateOfficeHours',
    input: () => ({ officeHoursId: w.pair.id, topic: 'Taken over' }),
    expected: ownersOnly({}),
  },
  {
    name: 'proposeMentorshipSessions (the times of the pair’s own sessions again: those give way on confirm)',
    mutation: 'proposeMentorshipSessions',
    setup: async () => {
      proposal = await firstProposal(w.pair.mentorshipId, 'attendee');
    },
    input: () => ({ mentorshipId: w.pair.mentorshipId, startsAt: proposal }),
    expected: ownersOnly({ attendee: 'OK', host: 'OK' }),
  },
  {
    name: 'markSessionHeld (the session that started)',
    mutation: 'markSessionHeld',
    input: () => ({ slotId: w.pair.pastSession }),
    expected: ownersOnly({ attendee: 'OK', host: 'SESSION_ALREADY_HELD' }),
  },
  {
    name: 'markSessionHeld (a session to come)',
    mutation: 'markSessionHeld',
    input: () => ({ slotId: w.pair.sessions[0] }),
    expected: ownersOnly({ attendee: 'SESSION_NOT_STARTED', host: 'SESSION_NOT_STARTED' }),
  },
  {
    name: 'declineMentorshipSessions (proposed by the waitlisted member: the host answers)',
    mutation: 'declineMentorshipSessions',
    input: () => ({ officeHoursId: w.proposed.id }),
    expected: ownersOnly({ waitlisted: 'FORBIDDEN', host: 'OK' }),
  },
  {
    name: 'confirmMentorshipSessions (proposed again by the waitlisted member: the host answers)',
    mutation: 'confirmMentorshipSessions',
    setup: async () => {
      const startsAt = await firstProposal(w.proposed.mentorshipId, 'waitlisted');
      const again = await ohOk(
        url,
        w.people.waitlisted,
        'proposeMentorshipSessions',
        { mentorshipId: w.proposed.mentorshipId, startsAt },
        'officeHours { id }',
      );
      w.proposed.id = again.officeHours.id;
    },
    input: () => ({ officeHoursId: w.proposed.id }),
    expected: ownersOnly({ waitlisted: 'FORBIDDEN', host: 'OK' }),
    selection: 'officeHours { status }',
    after: async (_actor, result) => expect(result.officeHours.status).toBe('ACTIVE'),
  },
  {
    name: 'cancelMentorshipSessions (the pair’s series: either side)',
    mutation: 'cancelMentorshipSessions',
    input: () => ({ officeHoursId: w.pair.id }),
    expected: ownersOnly({ attendee: 'OK', host: 'OK' }),
    // The attendee cancels the pair's series; the host the other pair's, confirmed above.
    fresh: async (actor) => ({ officeHoursId: actor === 'host' ? w.proposed.id : w.pair.id }),
  },
  // Calendars and reminders (H3): each their own.
  {
    name: 'setReminderLeadTimes (one’s own)',
    mutation: 'setReminderLeadTimes',
    input: () => ({ minutes: [30] }),
    expected: everyoneSignedIn('OK'),
    after: async (actor) => {
      const users = await db().user.findMany({
        where: { id: { in: SIGNED_IN.map((a) => rowId(w.people[a].id)) } },
        select: { id: true, reminderLeadMinutes: true },
      });
      for (const user of users) {
        const mine = user.id === rowId(who(actor)!.id);
        if (mine) expect(user.reminderLeadMinutes).toEqual([30]);
      }
    },
  },
  {
    name: 'createCalendarFeed (one’s own; rotates it)',
    mutation: 'createCalendarFeed',
    input: () => null,
    expected: everyoneSignedIn('OK'),
    selection: 'url',
    after: async (actor, result) => {
      const feeds = await db().calendarFeed.findMany({ select: { userId: true } });
      expect(feeds.map((feed: { userId: string }) => feed.userId)).toContain(rowId(who(actor)!.id));
      expect(result.url).toMatch(/\/calendar\/[^/]+\.ics$/);
      if (actor === 'attendee') {
        // The address the world made stopped working.
        expect((await fetch(`${server.url}${new URL(w.feedUrl).pathname}`)).status).toBe(404);
      }
    },
  },
  {
    name: 'revokeCalendarFeed (one’s own)',
    mutation: 'revokeCalendarFeed',
    input: () => null,
    expected: everyoneSignedIn('OK'),
    selection: 'revoked',
    after: async (actor, result) => {
      expect(result.revoked).toBe(true);
      const feeds = await db().calendarFeed.findMany({ select: { userId: true } });
      const left = feeds.map((feed: { userId: string }) => feed.userId);
      expect(left).not.toContain(rowId(who(actor)!.id));
      // The host revokes last: the others revoked theirs before, one by one.
      expect(left.length).toBeGreaterThanOrEqual(0);
    },
  },
];

async function runMutation(actor: Actor, row: MutationRow, input: Record<string, unknown> | null) {
  const data = await ohMutation(url, who(actor), row.mutation, input, row.selection ?? '');
  const outcome = data.__typename === 'GraphQLError' ? data.code : /Error$/.test(data.__typename) ? data.code : 'OK';
  return { outcome: String(outcome), data };
}

describe.each(MUTATIONS)('$name', (row) => {
  beforeAll(async () => {
    await row.setup?.();
  });
  it.each(ACTORS)('as %s', async (actor) => {
    const expected = row.expected[actor];
    const input = expected === 'OK' && row.fresh ? await row.fresh(actor) : row.input();
    const before = expected === 'OK' ? null : await snapshot();
    const { outcome, data } = await runMutation(actor, row, input);
    expect(outcome, JSON.stringify(data)).toBe(expected);
    if (before !== null) expect(await snapshot(), 'a refusal writes nothing').toEqual(before);
    else await row.after?.(actor, data, input ?? {});
  });
});
