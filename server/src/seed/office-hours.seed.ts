import { Temporal } from 'temporal-polyfill';
import type { Db } from '../db.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { BookingAttendance, OfficeHoursAudience } from '../generated/prisma/enums.js';
import { nowMs } from '../lib/clock.js';
import { localTimeKind, localToInstant, timeZoneTransitions } from '../lib/time.js';
import { settleSlot } from '../modules/office-hours/booking.service.js';
import { bookSeatInTransaction } from '../modules/office-hours/bookings.changes.js';
import { cancelBookingReminders } from '../modules/office-hours/reminders.js';
import { rescheduleCheckInNudge } from '../modules/mentorship/nudges.js';

// Demo office hours among the demo members (demo-data.ts), after the groups, profiles and mentoring:
// - weekly series in several zones: Priya (Berlin, public, two seats, full with a waitlist, and a
//   freed seat offered to the head of the line until a deadline), Samuel (Toronto, members, every two
//   weeks, one occurrence skipped and one moved), Deepak (Kolkata, the mentoring program's members
//   only), Gabriel (São Paulo, one-to-one, full with a waitlist), Ada (Lagos, public, attendees see
//   each other's names) and a one-off of Ada's for the Launchpad alumni;
// - Yara's reading hour in Beirut crosses the next spring change there: the Sunday 00:30 that Beirut
//   skips starts at 01:30 (requestedLocalStart says so to the host);
// - past slots with attendance marked (attended / no-show), bookings with questions;
// - Ada (the demo login) hosts, holds a seat in Priya's next slot, waits for Gabriel's and went to
//   one of Samuel's clinics;
// - Ada and Finn's mentorship has its confirmed session series (PAIR): Finn booked in each, the
//   first session held and recorded as a check-in.
// Rows are written as the services write them: never more seats taken (BOOKED + OFFERED) than seats,
// iCalendar sequences up on each change, reminders scheduled for upcoming bookings (reminders.ts),
// and the offered seat made by the booking rules themselves (an attendee cancels, onSeatsChanged
// offers it). Times are relative to the run: each series' next slot is within a week, the held ones before now.
// Idempotent: a host's series is matched by its topic, a mentorship's by its PAIR series.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** OFFICE_HOURS_OFFER_MINUTES' default (env.ts): how long the freed seat is held for the first in line. */
const OFFER_MINUTES = 120;

type Weekday = 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'SUNDAY';
const WEEKDAYS: readonly Weekday[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

interface SeatSeed {
  who: string;
  question?: string;
  attendance?: BookingAttendance;
}

interface SeriesSeed {
  host: string;
  topic: string;
  description: string;
  timeZone: string;
  weekday: Weekday;
  startTime: string;
  durationMinutes: number;
  /** null: a one-off, `nextInDays` days ahead (in the host's zone). */
  everyWeeks: number | null;
  nextInDays?: number;
  /** Occurrences before the next one (already held) and from the next one on. */
  past: number;
  upcoming: number;
  /** Instead of a count: the series runs until a week after the zone's next spring change. */
  untilAfterSpringChange?: boolean;
  /** Instead of a count: the last local date (a mentorship's planned end). */
  until?: Temporal.PlainDate;
  seats: number;
  audience: Exclude<OfficeHoursAudience, 'PAIR'>;
  groups?: string[];
  attendeesSeeNames?: boolean;
  minimumNoticeMinutes?: number;
  bookingWindowDays?: number;
  bufferMinutes?: number;
  onlineUrl?: string;
  location?: string;
  /** Keyed by occurrence, relative to the next one (0 = next, -1 = the last one held). */
  skip?: number[];
  move?: Array<{ occurrence: number; days: number; time: string }>;
  bookings?: Record<number, SeatSeed[]>;
  waitlist?: Record<number, SeatSeed[]>;
  /** The attendee who cancels their seat in that occurrence, so the head of its line is offered it. */
  cancels?: { occurrence: number; who: string };
}

const SERIES: SeriesSeed[] = [
  {
    host: 'priya',
    topic: 'TypeScript & Node.js office hours',
    description:
      'Bring a type error you cannot shake, a slow endpoint or a design question. Two people per session so everyone gets time.',
    timeZone: 'Europe/Berlin',
    weekday: 'WEDNESDAY',
    startTime: '18:00',
    durationMinutes: 45,
    everyWeeks: 1,
    past: 2,
    upcoming: 10,
    seats: 2,
    audience: 'PUBLIC',
    bufferMinutes: 15,
    onlineUrl: 'https://meet.example.com/priya-office-hours',
    bookings: {
      [-2]: [
        { who: 'mateus', question: 'How do I type an Express middleware that adds a user?', attendance: 'ATTENDED' },
        { who: 'finn', question: 'Generic constraints: when do I need `extends`?', attendance: 'ATTENDED' },
      ],
      [-1]: [
        { who: 'elif', question: 'Moving a Kotlin service to Node: what do I miss?', attendance: 'ATTENDED' },
        { who: 'zoltan', attendance: 'NO_SHOW' },
      ],
      0: [
        {
          who: 'ada',
          question:
            'Our payment retries use a hand-written state machine. Would XState or plain unions be easier to review?',
        },
        { who: 'mateus', question: 'Can you look at my first PostgreSQL migration with Prisma?' },
      ],
      1: [
        { who: 'chen', question: 'Typing a design-system component that forwards refs.' },
        { who: 'elif', question: 'Zod or Valibot for a small API?' },
      ],
    },
    waitlist: {
      0: [
        { who: 'finn', question: 'Testing async code without flaky timers.' },
        { who: 'laura', question: 'Documenting overloads in TSDoc.' },
      ],
      1: [{ who: 'kwame', question: 'Typing Terraform CDK constructs.' }, { who: 'zoltan' }],
    },
    // Elif cannot make it after all: Kwame, first in line, is offered her seat until a deadline.
    cancels: { occurrence: 1, who: 'elif' },
  },
  {
    host: 'samuel',
    topic: 'Cloud migration clinic',
    description: 'Leaving the data centre? Bring your inventory and your worries. Members only, every other week.',
    timeZone: 'America/Toronto',
    weekday: 'TUESDAY',
    startTime: '12:00',
    durationMinutes: 60,
    everyWeeks: 2,
    past: 2,
    upcoming: 6,
    seats: 3,
    audience: 'MEMBERS',
    minimumNoticeMinutes: 24 * 60,
    onlineUrl: 'https://meet.example.com/samuel-cloud-clinic',
    // Samuel is at a conference then: one clinic skipped, the next moved to Wednesday 13:00.
    skip: [2],
    move: [{ occurrence: 3, days: 1, time: '13:00' }],
    bookings: {
      [-2]: [
        { who: 'ibrahim', question: 'Moving a 4 TB PostgreSQL with little downtime.', attendance: 'ATTENDED' },
        { who: 'kwame', attendance: 'ATTENDED' },
        { who: 'ada', question: 'What do we keep on-premises for payments compliance?', attendance: 'ATTENDED' },
      ],
      [-1]: [{ who: 'uwe', question: 'Lift and shift or re-platform a Java monolith?', attendance: 'NO_SHOW' }],
      0: [{ who: 'ibrahim', question: 'Follow-up: logical replication lag during the cut-over.' }],
      2: [{ who: 'emeka', question: 'Security review checklist for the first AWS account.' }],
      3: [{ who: 'uwe', question: 'Second try: our Java monolith and the container question.' }],
    },
  },
  {
    host: 'deepak',
    topic: 'Breaking into data science',
    description:
      'For program members switching careers into data: portfolios, first projects, interviews. Bring one concrete question.',
    timeZone: 'Asia/Kolkata',
    weekday: 'SATURDAY',
    startTime: '10:30',
    durationMinutes: 45,
    everyWeeks: 1,
    past: 1,
    upcoming: 8,
    seats: 3,
    audience: 'GROUPS',
    groups: ['guildhall-mentoring-program'],
    onlineUrl: 'https://meet.example.com/deepak-data',
    bookings: {
      [-1]: [
        { who: 'camila', question: 'Which portfolio project shows product sense?', attendance: 'ATTENDED' },
        { who: 'mateus', attendance: 'ATTENDED' },
      ],
      0: [
        { who: 'camila', question: 'Is a SQL certificate worth it?' },
        { who: 'divya', question: 'Moving from pipelines to ML platforms: what to learn first?' },
      ],
    },
  },
  {
    host: 'gabriel',
    topic: 'Android & Kotlin one-to-one',
    description:
      'Thirty minutes, just you and me: code review, Compose questions, or how to get your first Android job.',
    timeZone: 'America/Sao_Paulo',
    weekday: 'THURSDAY',
    startTime: '19:00',
    durationMinutes: 30,
    everyWeeks: 1,
    past: 1,
    upcoming: 8,
    seats: 1,
    audience: 'PUBLIC',
    onlineUrl: 'https://meet.example.com/gabriel-android',
    bookings: {
      [-1]: [{ who: 'aisha', question: 'Bridging a native module in React Native.', attendance: 'ATTENDED' }],
      0: [{ who: 'omar', question: 'Sharing code between my iOS and Android apps.' }],
    },
    waitlist: {
      0: [
        { who: 'mateus', question: 'Is Kotlin Multiplatform ready?' },
        { who: 'ada', question: 'Our payments app needs an Android SDK: where do we start?' },
      ],
    },
  },
  {
    host: 'ada',
    topic: 'Office hours for new tech leads',
    description:
      'First time leading a team? Delegation, one-to-ones, incident reviews, saying no. Small groups; you will see who else is coming.',
    timeZone: 'Africa/Lagos',
    weekday: 'MONDAY',
    startTime: '18:00',
    durationMinutes: 45,
    everyWeeks: 1,
    past: 1,
    upcoming: 10,
    seats: 3,
    audience: 'PUBLIC',
    attendeesSeeNames: true,
    onlineUrl: 'https://meet.example.com/ada-leads',
    bookings: {
      [-1]: [
        { who: 'camila', question: 'How do I run my first one-to-ones?', attendance: 'ATTENDED' },
        { who: 'elif', attendance: 'NO_SHOW' },
      ],
      0: [
        { who: 'camila', question: 'A senior on my team ignores review comments. What now?' },
        { who: 'tamar', question: 'Splitting my time between design and leading.' },
      ],
    },
  },
  {
    host: 'ada',
    topic: 'Incident review clinic',
    description: 'A one-off for Launchpad alumni: we walk through a real outage and write the review together.',
    timeZone: 'Africa/Lagos',
    weekday: 'SATURDAY',
    startTime: '11:00',
    durationMinutes: 90,
    everyWeeks: null,
    nextInDays: 10,
    past: 0,
    upcoming: 1,
    seats: 8,
    audience: 'GROUPS',
    groups: ['launchpad-bootcamp-alumni'],
    location: 'Launchpad campus, 12 Herbert Macaulay Way, Yaba, Lagos',
    bookings: { 0: [{ who: 'mateus', question: 'Can I bring the review of our last deploy failure?' }] },
  },
  {
    // Yara keeps her zone to her groups (people.seed.ts), so her reading hour is for her group only.
    host: 'yara',
    topic: 'Accessibility research reading hour',
    description: 'One paper a week on accessibility research, read together. Saturday night owls welcome.',
    timeZone: 'Asia/Beirut',
    weekday: 'SUNDAY',
    startTime: '00:30',
    durationMinutes: 60,
    everyWeeks: 1,
    past: 0,
    upcoming: 0,
    untilAfterSpringChange: true,
    seats: 5,
    audience: 'GROUPS',
    groups: ['guildhall-mentoring-program'],
    onlineUrl: 'https://meet.example.com/yara-reading',
    bookings: { 0: [{ who: 'camila', question: 'Which paper first?' }] },
  },
];

// ── time ─────────────────────────────────────────────────────────────────

const plainDate = (ms: number, zone: string) =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainDate();

/** Midnight UTC of a local date, as @db.Date columns hold it. */
const dateColumn = (date: Temporal.PlainDate) => new Date(`${date.toString()}T00:00:00.000Z`);

/**
 * The series' next local date: the first of its weekday (from `nextInDays` on, in the host's zone)
 * whose start is still ahead, so the occurrence a step before it has started (the held ones).
 */
function nextDate(seed: SeriesSeed, now: number): Temporal.PlainDate {
  const from = plainDate(now, seed.timeZone).add({ days: seed.nextInDays ?? 0 });
  const wanted = WEEKDAYS.indexOf(seed.weekday) + 1;
  let date = from.add({ days: (wanted - from.dayOfWeek + 7) % 7 });
  while (localToInstant(`${date.toString()}T${seed.startTime}`, seed.timeZone).getTime() <= now) {
    date = date.add({ days: 7 });
  }
  return date;
}

/** The local date of the zone's next forward change (a skipped hour), within a year. */
function nextSpringChange(zone: string, now: number): Temporal.PlainDate | null {
  const change = timeZoneTransitions(zone, new Date(now), new Date(now + 366 * DAY)).find(
    (t) => t.offsetAfterMinutes > t.offsetBeforeMinutes,
  );
  return change ? plainDate(change.instant.getTime(), zone) : null;
}

interface PlannedSlot {
  /** Relative to the next occurrence (0). */
  occurrence: number;
  occurrenceDate: Temporal.PlainDate;
  startsAt: Date;
  endsAt: Date;
  requestedLocalStart: string | null;
  skipped: boolean;
  moved: boolean;
}

/** The series' occurrences by the one rule of lib/time (a skipped local time moves forward). */
function plan(
  seed: SeriesSeed,
  now: number,
): { startDate: Temporal.PlainDate; untilDate: Temporal.PlainDate | null; count: number; slots: PlannedSlot[] } {
  const next = nextDate(seed, now);
  const stepDays = 7 * (seed.everyWeeks ?? 1);
  const startDate = next.subtract({ days: seed.past * stepDays });
  let untilDate: Temporal.PlainDate | null = null;
  let count = seed.past + seed.upcoming;
  if (seed.untilAfterSpringChange || seed.until) {
    const change = seed.until ? null : nextSpringChange(seed.timeZone, now);
    untilDate = seed.until ?? (change ?? next.add({ days: 8 * 7 })).add({ days: 7 });
    count = Math.floor(untilDate.since(startDate).days / stepDays) + 1;
  }
  const slots: PlannedSlot[] = [];
  for (let k = 0; k < count; k += 1) {
    const occurrenceDate = startDate.add({ days: k * stepDays });
    const occurrence = k - seed.past;
    const requested = `${occurrenceDate.toString()}T${seed.startTime}`;
    const move = seed.move?.find((m) => m.occurrence === occurrence);
    const local = move ? `${occurrenceDate.add({ days: move.days }).toString()}T${move.time}` : requested;
    const startsAt = localToInstant(local, seed.timeZone);
    slots.push({
      occurrence,
      occurrenceDate,
      startsAt,
      endsAt: new Date(startsAt.getTime() + seed.durationMinutes * MINUTE),
      requestedLocalStart: !move && localTimeKind(requested, seed.timeZone) === 'skipped' ? requested : null,
      skipped: seed.skip?.includes(occurrence) ?? false,
      moved: Boolean(move),
    });
  }
  return { startDate, untilDate, count, slots };
}

// ── writing ──────────────────────────────────────────────────────────────

type Tx = Prisma.TransactionClient;
type People = ReadonlyMap<string, string>;

async function lockSlot(tx: Tx, slotId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "OfficeHourSlot" WHERE "id" = ${slotId}::uuid FOR UPDATE`;
}

async function seedSeries(tx: Tx, seed: SeriesSeed, people: People, now: number): Promise<boolean> {
  const hostId = people.get(seed.host);
  if (!hostId) return false;
  const existing = await tx.officeHours.count({ where: { hostId, topic: seed.topic } });
  if (existing > 0) return false;
  const groups = await tx.group.findMany({ where: { slug: { in: seed.groups ?? [] } }, select: { id: true } });
  if (seed.audience === 'GROUPS' && groups.length === 0) return false;

  const { startDate, untilDate, count, slots } = plan(seed, now);
  const createdAt = new Date(
    Math.min(slots[0]!.startsAt.getTime() - 7 * DAY, now - DAY) - (Math.abs(hashOf(seed.topic)) % 600) * MINUTE,
  );
  const exceptions = [
    ...(seed.skip ?? []).map((occurrence) => ({ occurrence, kind: 'SKIP' as const, movedToLocal: null })),
    ...(seed.move ?? []).map((m) => ({ occurrence: m.occurrence, kind: 'MOVE' as const, movedToLocal: null })),
  ];
  const series = await tx.officeHours.create({
    data: {
      hostId,
      topic: seed.topic,
      description: seed.description,
      timeZone: seed.timeZone,
      startDate: dateColumn(startDate),
      startTime: seed.startTime,
      durationMinutes: seed.durationMinutes,
      repeatEveryWeeks: seed.everyWeeks,
      weekdays: seed.everyWeeks === null ? [] : [seed.weekday],
      untilDate: untilDate ? dateColumn(untilDate) : null,
      occurrenceCount: seed.everyWeeks !== null && !untilDate ? count : null,
      seats: seed.seats,
      onlineUrl: seed.onlineUrl ?? null,
      location: seed.location ?? null,
      audience: seed.audience,
      attendeesSeeNames: seed.attendeesSeeNames ?? false,
      minimumNoticeMinutes: seed.minimumNoticeMinutes ?? 120,
      bookingWindowDays: seed.bookingWindowDays ?? 60,
      bufferMinutes: seed.bufferMinutes ?? 0,
      status: 'ACTIVE',
      createdAt,
      groups: { create: groups.map((group) => ({ groupId: group.id })) },
      exceptions: {
        create: exceptions.map((exception) => {
          const slot = slots.find((s) => s.occurrence === exception.occurrence)!;
          const move = seed.move?.find((m) => m.occurrence === exception.occurrence);
          return {
            occurrenceDate: dateColumn(slot.occurrenceDate),
            kind: exception.kind,
            movedToLocal: move ? `${slot.occurrenceDate.add({ days: move.days }).toString()}T${move.time}` : null,
          };
        }),
      },
    },
    select: { id: true },
  });

  for (const slot of slots) {
    // The skipped occurrence was a slot until the host skipped it: kept, cancelled, its seat given back.
    const skippedAt = slot.skipped ? new Date(now - 2 * DAY) : null;
    const row = await tx.officeHourSlot.create({
      data: {
        officeHoursId: series.id,
        occurrenceDate: dateColumn(slot.occurrenceDate),
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        requestedLocalStart: slot.requestedLocalStart,
        seats: seed.seats,
        cancelledAt: skippedAt,
        // Moved or cancelled after it was published: the host's calendar copy has changed once.
        sequence: slot.moved || slot.skipped ? 1 : 0,
        createdAt,
      },
      select: { id: true },
    });
    const seats = (seed.bookings?.[slot.occurrence] ?? []).slice(0, seed.seats);
    const past = slot.startsAt.getTime() <= now;
    if (!past && !skippedAt && seats.length > 0) await lockSlot(tx, row.id);
    for (const [index, seat] of seats.entries()) {
      const attendeeId = people.get(seat.who);
      if (!attendeeId || attendeeId === hostId) continue;
      const bookedAt = new Date(Math.min(slot.startsAt.getTime() - (3 + index) * DAY, now - (6 - index) * HOUR));
      if (!past && !skippedAt) {
        // An upcoming seat: booked by the booking rules (seats counted, reminders scheduled).
        const { bookingId } = await bookSeatInTransaction(tx, { slotId: row.id, attendeeId, question: seat.question });
        await tx.booking.update({
          where: { id: bookingId },
          data: { createdAt: bookedAt, sequence: slot.moved ? 1 : 0 },
        });
        continue;
      }
      await tx.booking.create({
        data: {
          slotId: row.id,
          attendeeId,
          status: skippedAt ? 'CANCELLED' : 'BOOKED',
          question: seat.question ?? '',
          attendance: past ? (seat.attendance ?? 'ATTENDED') : null,
          // Booked before the slot was cancelled: the attendee's copy changed once.
          sequence: skippedAt ? 1 : 0,
          cancelledAt: skippedAt,
          cancelledById: skippedAt ? hostId : null,
          createdAt: bookedAt,
        },
      });
    }
    if (past || skippedAt) continue;
    for (const [index, entry] of (seed.waitlist?.[slot.occurrence] ?? []).entries()) {
      const memberId = people.get(entry.who);
      if (!memberId || memberId === hostId) continue;
      await tx.officeHoursWaitlistEntry.create({
        data: {
          slotId: row.id,
          memberId,
          question: entry.question ?? '',
          joinedAt: new Date(now - (5 - index) * HOUR),
        },
      });
    }
  }

  // An attendee gives their seat back: the booking rules offer it to the first in line.
  if (seed.cancels) {
    const slot = slots.find((s) => s.occurrence === seed.cancels!.occurrence)!;
    const attendeeId = people.get(seed.cancels.who);
    const row = await tx.officeHourSlot.findUniqueOrThrow({
      where: {
        officeHoursId_occurrenceDate: { officeHoursId: series.id, occurrenceDate: dateColumn(slot.occurrenceDate) },
      },
      select: { id: true },
    });
    await lockSlot(tx, row.id);
    const booking = await tx.booking.findFirst({
      where: { slotId: row.id, attendeeId, status: 'BOOKED' },
      select: { id: true, sequence: true },
    });
    if (booking && attendeeId) {
      await tx.booking.update({
        where: { id: booking.id },
        data: {
          status: 'CANCELLED',
          cancelledAt: new Date(now - HOUR),
          cancelledById: attendeeId,
          sequence: booking.sequence + 1,
        },
      });
      await cancelBookingReminders(tx, booking.id);
      // As cancelOwnBooking does: the freed seat goes to the first in line, with a deadline and a job.
      await settleSlot(tx, row.id, new Date(now), OFFER_MINUTES);
    }
  }
  return true;
}

// ── the mentorship's session series ──────────────────────────────────────

// As sessions.service.ts writes a confirmed series: in the mentor's zone, until the agreement's planned
// end, the mentee booked in each session, a held one recorded as a check-in (markSessionHeld).
const PAIR = {
  mentor: 'ada',
  mentee: 'finn',
  timeZone: 'Africa/Lagos',
  // Inside both working hours (mentorship.seed.ts): Ada 17–19 Lagos, Finn 16–18 Dublin on Tuesdays.
  weekday: 'TUESDAY' as Weekday,
  startTime: '17:00',
  held: 1,
};

async function seedSessions(tx: Tx, people: People, now: number): Promise<boolean> {
  const mentorId = people.get(PAIR.mentor);
  const menteeId = people.get(PAIR.mentee);
  if (!mentorId || !menteeId) return false;
  const mentorship = await tx.mentorship.findFirst({
    where: { mentorId, menteeId, status: 'ACTIVE' },
    select: {
      id: true,
      mentor: { select: { name: true } },
      mentee: { select: { name: true } },
      agreements: {
        where: { status: 'ACCEPTED' },
        select: { sessionMinutes: true, format: true, plannedEndOn: true },
        take: 1,
      },
    },
  });
  const terms = mentorship?.agreements[0];
  if (!mentorship || !terms) return false;
  if ((await tx.officeHours.count({ where: { mentorshipId: mentorship.id } })) > 0) return false;
  // Mentorship rows are locked before any office-hours row (ARCHITECTURE's lock order).
  await tx.$queryRaw`SELECT "id" FROM "Mentorship" WHERE "id" = ${mentorship.id}::uuid FOR UPDATE`;

  const topic = `Mentorship sessions: ${mentorship.mentor.name} and ${mentorship.mentee.name}`.slice(0, 120);
  const seed: SeriesSeed = {
    host: PAIR.mentor,
    topic,
    description: '',
    timeZone: PAIR.timeZone,
    weekday: PAIR.weekday,
    startTime: PAIR.startTime,
    durationMinutes: terms.sessionMinutes,
    everyWeeks: 1,
    past: PAIR.held,
    upcoming: 0,
    until: Temporal.PlainDate.from(terms.plannedEndOn.toISOString().slice(0, 10)),
    seats: 1,
    audience: 'MEMBERS',
  };
  const { startDate, untilDate, slots } = plan(seed, now);
  const proposedAt = slots[0]!.startsAt.getTime() - 4 * DAY;
  const series = await tx.officeHours.create({
    data: {
      hostId: mentorId,
      topic,
      timeZone: PAIR.timeZone,
      startDate: dateColumn(startDate),
      startTime: PAIR.startTime,
      durationMinutes: terms.sessionMinutes,
      repeatEveryWeeks: 1,
      weekdays: [PAIR.weekday],
      untilDate: untilDate ? dateColumn(untilDate) : null,
      seats: 1,
      onlineUrl: terms.format === 'VIDEO' ? 'https://meet.example.com/ada-finn' : null,
      audience: 'PAIR',
      attendeesSeeNames: true,
      minimumNoticeMinutes: 0,
      bookingWindowDays: 400,
      bufferMinutes: 0,
      status: 'ACTIVE',
      mentorshipId: mentorship.id,
      // Finn picked the proposed time; Ada confirmed it the next day.
      proposedById: menteeId,
      confirmedAt: new Date(proposedAt + DAY),
      createdAt: new Date(proposedAt),
    },
    select: { id: true },
  });
  for (const slot of slots) {
    const row = await tx.officeHourSlot.create({
      data: {
        officeHoursId: series.id,
        occurrenceDate: dateColumn(slot.occurrenceDate),
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        requestedLocalStart: slot.requestedLocalStart,
        seats: 1,
        createdAt: new Date(proposedAt + DAY),
      },
      select: { id: true },
    });
    const confirmedAt = new Date(proposedAt + DAY);
    if (slot.startsAt.getTime() > now) {
      await lockSlot(tx, row.id);
      const { bookingId } = await bookSeatInTransaction(tx, { slotId: row.id, attendeeId: menteeId });
      await tx.booking.update({ where: { id: bookingId }, data: { createdAt: confirmedAt } });
      continue;
    }
    await tx.booking.create({
      data: { slotId: row.id, attendeeId: menteeId, attendance: 'ATTENDED', createdAt: confirmedAt },
    });
    // Marked held: the session is the agreement's check-in.
    await tx.checkIn.create({
      data: {
        mentorshipId: mentorship.id,
        slotId: row.id,
        heldAt: slot.startsAt,
        sharedNotes: 'First weekly session: went through two of Finn’s review comments line by line.',
        nextSteps: 'Finn reviews one teammate PR before next Tuesday and brings his notes.',
        createdById: mentorId,
        createdAt: new Date(slot.endsAt.getTime() + 10 * MINUTE),
      },
    });
  }
  await rescheduleCheckInNudge(tx, mentorship.id);
  return true;
}

function hashOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return hash;
}

export async function seedOfficeHours(db: Db, now = nowMs()): Promise<{ series: number }> {
  const users = await db.user.findMany({
    where: { email: { endsWith: '@guildhall.dev' } },
    select: { id: true, email: true },
  });
  const people: People = new Map(users.map((user) => [user.email.split('@')[0]!, user.id]));
  let made = 0;
  for (const seed of SERIES) {
    if (await db.$transaction((tx) => seedSeries(tx, seed, people, now))) made += 1;
  }
  if (await db.$transaction((tx) => seedSessions(tx, people, now))) made += 1;
  return { series: made };
}
