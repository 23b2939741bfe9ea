import type { Context } from '../../context.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { now as clockNow } from '../../lib/clock.js';
import { builder } from '../../schema/builder.js';
import { PersonRef } from '../people/index.js';
import { bookingBlocker } from './booking.rules.js';
import { visibleOfficeHoursWhere } from './office-hours.policy.js';
import { OfficeHourSlotRef } from './office-hours.type.js';

// Bookings and waitlist places, and what a slot says about its seats to each viewer. Who sees what:
// - a Booking: its attendee and the slot's host only (node, lists); its question likewise;
// - a waitlist entry: its member and the host only;
// - a slot's bookings and waitlist: the host only (filtered in the statement: [] for anyone else);
// - a slot's attendees: the host (all booked), booked attendees only when the host lets them see
//   each other's names — names only, never a question or contact detail; [] for anyone else;
// - the online link and place: the host and members with a BOOKED seat in that slot (a waitlisted
//   or offered member does not get them until they book).
// Seat counts and the viewer's own booking and place come from one batched read per request.

const NONE = '00000000-0000-0000-0000-000000000000';

/**
 * Bookings `viewerId` may see: those of slots they host, and their own while they still see the
 * series (a member the host blocked after booking no longer reads it: the policy keeps them apart).
 */
export function bookingSeenWhere(viewerId: string | null | undefined): Prisma.BookingWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { slot: { officeHours: { hostId: viewerId } } },
      { attendeeId: viewerId, slot: { officeHours: visibleOfficeHoursWhere(viewerId) } },
    ],
  };
}

/** Waitlist places `viewerId` may see: those of slots they host, their own while they see the series. */
export function waitlistSeenWhere(viewerId: string | null | undefined): Prisma.OfficeHoursWaitlistEntryWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { slot: { officeHours: { hostId: viewerId } } },
      { memberId: viewerId, slot: { officeHours: visibleOfficeHoursWhere(viewerId) } },
    ],
  };
}

// ── one batched read of a request's slots: seats, the line, the viewer's own ──

interface SlotSeats {
  booked: Array<{ id: string; attendeeId: string }>;
  /** WAITING and OFFERED, in line order. */
  line: Array<{ id: string; memberId: string; status: 'WAITING' | 'OFFERED'; offerExpiresAt: Date | null }>;
}

interface Batch {
  pending: Map<string, Array<(value: SlotSeats) => void>>;
  failures: Map<string, Array<(error: unknown) => void>>;
  cache: Map<string, Promise<SlotSeats>>;
}

const batches = new WeakMap<object, Batch>();

async function loadSlotSeats(ctx: Context, slotIds: string[]): Promise<Map<string, SlotSeats>> {
  const [booked, line] = await Promise.all([
    ctx.db.booking.findMany({
      where: { slotId: { in: slotIds }, status: 'BOOKED' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, slotId: true, attendeeId: true },
    }),
    ctx.db.officeHoursWaitlistEntry.findMany({
      where: { slotId: { in: slotIds }, status: { in: ['WAITING', 'OFFERED'] } },
      orderBy: [{ joinedAt: 'asc' }, { id: 'asc' }],
      select: { id: true, slotId: true, memberId: true, status: true, offerExpiresAt: true },
    }),
  ]);
  const result = new Map<string, SlotSeats>(slotIds.map((id) => [id, { booked: [], line: [] }]));
  for (const row of booked) result.get(row.slotId)!.booked.push(row);
  for (const row of line) result.get(row.slotId)!.line.push({ ...row, status: row.status as 'WAITING' | 'OFFERED' });
  return result;
}

/** The seats of a slot, loaded with every other slot of this request in one read. */
export function slotSeats(ctx: Context, slotId: string): Promise<SlotSeats> {
  let batch = batches.get(ctx);
  if (!batch) {
    batch = { pending: new Map(), failures: new Map(), cache: new Map() };
    batches.set(ctx, batch);
  }
  const cached = batch.cache.get(slotId);
  if (cached) return cached;
  const current = batch;
  const promise = new Promise<SlotSeats>((resolve, reject) => {
    const first = current.pending.size === 0;
    current.pending.set(slotId, [resolve]);
    current.failures.set(slotId, [reject]);
    // Like DataLoader: run once the fields resolving now have all asked.
    if (first)
      void Promise.resolve().then(() =>
        process.nextTick(() => {
          const ids = [...current.pending.keys()];
          const resolvers = current.pending;
          const rejecters = current.failures;
          current.pending = new Map();
          current.failures = new Map();
          loadSlotSeats(ctx, ids).then(
            (loaded) => {
              for (const [id, list] of resolvers) for (const done of list) done(loaded.get(id)!);
            },
            (error) => {
              for (const list of rejecters.values()) for (const fail of list) fail(error);
            },
          );
        }),
      );
  });
  batch.cache.set(slotId, promise);
  return promise;
}

function seatsTaken(seats: SlotSeats, at: Date): number {
  const offered = seats.line.filter(
    (entry) => entry.status === 'OFFERED' && entry.offerExpiresAt && entry.offerExpiresAt > at,
  ).length;
  return seats.booked.length + offered;
}

// ── enums and nodes ──────────────────────────────────────────────────────

export const BookingStatusEnum = builder.enumType('BookingStatus', { values: ['BOOKED', 'CANCELLED'] as const });
export const BookingAttendanceEnum = builder.enumType('BookingAttendance', {
  values: ['ATTENDED', 'NO_SHOW'] as const,
});
export const WaitlistStatusEnum = builder.enumType('WaitlistStatus', {
  values: {
    WAITING: { description: 'In line.' },
    OFFERED: { description: 'A seat is held for you until offerExpiresAt: accept or decline it.' },
    CONFIRMED: { description: 'You took the seat.' },
    EXPIRED: { description: 'The offer ran out; the seat went to the next in line.' },
    LEFT: { description: 'You left the line, declined, or the session was cancelled.' },
  } as const,
});
export const SlotStateEnum = builder.enumType('SlotState', {
  values: {
    OPEN: { description: 'Seats are free.' },
    FULL: { description: 'Every seat is taken (or held by an offer): join the waitlist.' },
    CANCELLED: { description: 'The host cancelled it.' },
    PAST: { description: 'It has started.' },
  } as const,
});

/** Whether the viewer hosts this booking's or entry's slot (selected with the row). */
const hostSelect = { slot: { select: { officeHours: { select: { hostId: true } } } } } as const;

export const BookingRef = builder.prismaNode('Booking', {
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, AND: [bookingSeenWhere(ctx.viewer?.id)] }),
  description: "A seat in a slot. Seen by its attendee and the slot's host only.",
  fields: (t) => ({
    slot: t.relation('slot', { type: OfficeHourSlotRef, nullable: false }),
    attendee: t.relation('attendee', { type: PersonRef, nullable: false }),
    status: t.expose('status', { type: BookingStatusEnum }),
    question: t.string({
      nullable: true,
      description: 'The attendee’s question: the attendee and the host only.',
      select: { attendeeId: true, question: true, ...hostSelect },
      resolve: (booking, _args, ctx) =>
        ctx.viewer && (booking.attendeeId === ctx.viewer.id || booking.slot.officeHours.hostId === ctx.viewer.id)
          ? booking.question
          : null,
    }),
    attendance: t.expose('attendance', { type: BookingAttendanceEnum, nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
    cancelledByHost: t.boolean({
      description: 'Cancelled by the host (the session, its series, or the occurrence went away).',
      select: { attendeeId: true, cancelledById: true, cancelledAt: true },
      resolve: (booking) =>
        booking.cancelledAt !== null && booking.cancelledById !== null && booking.cancelledById !== booking.attendeeId,
    }),
    calendarUrl: t.string({
      description: 'This booking as an .ics file (relative to the site).',
      select: { id: true },
      resolve: (booking) => `/bookings/${booking.id}.ics`,
    }),
  }),
});

export const OfficeHoursWaitlistEntryRef = builder.prismaNode('OfficeHoursWaitlistEntry', {
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, AND: [waitlistSeenWhere(ctx.viewer?.id)] }),
  description: "A place in a full slot's line. Seen by its member and the slot's host only.",
  fields: (t) => ({
    slot: t.relation('slot', { type: OfficeHourSlotRef, nullable: false }),
    member: t.relation('member', { type: PersonRef, nullable: false }),
    status: t.expose('status', { type: WaitlistStatusEnum }),
    position: t.int({
      nullable: true,
      description: 'WAITING: your 1-based place in line.',
      select: { id: true, slotId: true, status: true },
      resolve: async (entry, _args, ctx) => {
        if (entry.status !== 'WAITING') return null;
        const seats = await slotSeats(ctx, entry.slotId);
        const waiting = seats.line.filter((place) => place.status === 'WAITING');
        const index = waiting.findIndex((place) => place.id === entry.id);
        return index < 0 ? null : index + 1;
      },
    }),
    offerExpiresAt: t.expose('offerExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'OFFERED: accept before this, or the seat goes to the next in line.',
    }),
    question: t.string({
      nullable: true,
      description: 'The member’s question: the member and the host only.',
      select: { memberId: true, question: true, ...hostSelect },
      resolve: (entry, _args, ctx) =>
        ctx.viewer && (entry.memberId === ctx.viewer.id || entry.slot.officeHours.hostId === ctx.viewer.id)
          ? entry.question
          : null,
    }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
  }),
});

// ── the slot as each viewer sees it ─────────────────────────────────────

const slotFacts = {
  id: true,
  seats: true,
  startsAt: true,
  cancelledAt: true,
  officeHours: {
    select: {
      hostId: true,
      status: true,
      minimumNoticeMinutes: true,
      bookingWindowDays: true,
      attendeesSeeNames: true,
      onlineUrl: true,
      location: true,
    },
  },
} as const;

type SlotFacts = Prisma.OfficeHourSlotGetPayload<{ select: typeof slotFacts }>;

async function blockerFor(slot: SlotFacts, ctx: Context) {
  const viewerId = ctx.viewer?.id ?? null;
  const at = clockNow();
  const seats = await slotSeats(ctx, slot.id);
  return bookingBlocker({
    now: at,
    viewerId,
    slot,
    series: slot.officeHours,
    seatsTaken: seatsTaken(seats, at),
    viewerBooked: viewerId !== null && seats.booked.some((booking) => booking.attendeeId === viewerId),
    viewerOffered:
      viewerId !== null &&
      seats.line.some(
        (entry) =>
          entry.memberId === viewerId &&
          entry.status === 'OFFERED' &&
          entry.offerExpiresAt !== null &&
          entry.offerExpiresAt > at,
      ),
  });
}

/**
 * A slot's BOOKED seats, loaded only when the viewer hosts the slot or holds one of its seats (the
 * fields reading them filter further). Shared by every field so that one statement serves them all.
 */
function bookedQuery(ctx: Context) {
  const viewerId = ctx.viewer?.id ?? NONE;
  return {
    where: {
      status: 'BOOKED' as const,
      slot: {
        OR: [
          { officeHours: { hostId: viewerId } },
          { bookings: { some: { attendeeId: viewerId, status: 'BOOKED' as const } } },
        ],
      },
    },
    orderBy: [{ createdAt: 'asc' as const }, { id: 'asc' as const }],
  };
}

/** A slot's line (WAITING and OFFERED): the viewer's own place, or all of it for the host. */
function lineQuery(ctx: Context) {
  const viewerId = ctx.viewer?.id ?? NONE;
  return {
    where: {
      status: { in: ['WAITING' as const, 'OFFERED' as const] },
      OR: [{ memberId: viewerId }, { slot: { officeHours: { hostId: viewerId } } }],
    },
    orderBy: [{ joinedAt: 'asc' as const }, { id: 'asc' as const }],
  };
}

/** Host, or holds a BOOKED seat in this slot. */
async function seesPlace(slot: SlotFacts, ctx: Context): Promise<boolean> {
  const viewerId = ctx.viewer?.id;
  if (!viewerId) return false;
  if (slot.officeHours.hostId === viewerId) return true;
  return (await slotSeats(ctx, slot.id)).booked.some((booking) => booking.attendeeId === viewerId);
}

builder.prismaObjectFields(OfficeHourSlotRef, (t) => ({
  seatsTaken: t.int({
    description: 'Seats booked, plus seats held for a member offered one from the waitlist.',
    select: { id: true },
    resolve: async (slot, _args, ctx) => seatsTaken(await slotSeats(ctx, slot.id), clockNow()),
  }),
  seatsLeft: t.int({
    select: { id: true, seats: true },
    resolve: async (slot, _args, ctx) =>
      Math.max(0, slot.seats - seatsTaken(await slotSeats(ctx, slot.id), clockNow())),
  }),
  state: t.field({
    type: SlotStateEnum,
    select: { id: true, seats: true, startsAt: true, cancelledAt: true, officeHours: { select: { status: true } } },
    resolve: async (slot, _args, ctx) => {
      const at = clockNow();
      if (slot.cancelledAt || slot.officeHours.status === 'CANCELLED') return 'CANCELLED';
      if (slot.startsAt <= at) return 'PAST';
      return seatsTaken(await slotSeats(ctx, slot.id), at) >= slot.seats ? 'FULL' : 'OPEN';
    },
  }),
  viewerCanBook: t.boolean({
    description: 'Whether bookOfficeHourSlot would take a seat for you now.',
    select: slotFacts,
    resolve: async (slot, _args, ctx) => (await blockerFor(slot, ctx)) === null,
  }),
  viewerBookingBlocker: t.string({
    nullable: true,
    description: 'Why you cannot book it now, in words ("Book at least 2 hours ahead"); null when you can.',
    select: slotFacts,
    resolve: async (slot, _args, ctx) => (await blockerFor(slot, ctx))?.message ?? null,
  }),
  // The rows below are selected with the slots, each relation with ONE query shared by every field
  // that reads it (the same arguments merge into one statement for a whole list of slots): a slot's
  // booked seats only when the viewer hosts it or holds one of them, its line only the viewer's own
  // place or, for the host, all of it. Each field then answers only what its viewer may see.
  viewerBooking: t.field({
    type: BookingRef,
    nullable: true,
    description: 'Your seat in this slot, if you booked one.',
    select: (_args, ctx, nestedSelection) => ({ bookings: nestedSelection(bookedQuery(ctx)) }),
    resolve: (slot, _args, ctx) => slot.bookings.find((booking) => booking.attendeeId === ctx.viewer?.id) ?? null,
  }),
  viewerWaitlistEntry: t.field({
    type: OfficeHoursWaitlistEntryRef,
    nullable: true,
    description: 'Your place in line (WAITING or OFFERED), if you have one.',
    select: (_args, ctx, nestedSelection) => ({ waitlist: nestedSelection(lineQuery(ctx)) }),
    resolve: (slot, _args, ctx) => slot.waitlist.find((entry) => entry.memberId === ctx.viewer?.id) ?? null,
  }),
  attendees: t.field({
    type: [PersonRef],
    description:
      "Who booked: the host sees everyone; a booked attendee sees the others' names only when the host allows it; anyone else, nobody.",
    select: (_args, ctx, nestedSelection) => ({
      officeHours: { select: { hostId: true, attendeesSeeNames: true } },
      bookings: { ...bookedQuery(ctx), select: { attendeeId: true, attendee: nestedSelection(true) } },
    }),
    resolve: (slot, _args, ctx) => {
      const viewerId = ctx.viewer?.id;
      if (!viewerId) return [];
      const isHost = slot.officeHours.hostId === viewerId;
      const booked = slot.bookings.some((booking) => booking.attendeeId === viewerId);
      if (!isHost && !(booked && slot.officeHours.attendeesSeeNames)) return [];
      return slot.bookings.map((booking) => booking.attendee).filter((person) => person.suspendedAt === null);
    },
  }),
  bookings: t.field({
    type: [BookingRef],
    description: "The booked seats with each attendee's question and attendance: the host only ([] for anyone else).",
    select: (_args, ctx, nestedSelection) => ({
      officeHours: { select: { hostId: true } },
      bookings: nestedSelection(bookedQuery(ctx)),
    }),
    resolve: (slot, _args, ctx) => (slot.officeHours.hostId === ctx.viewer?.id ? slot.bookings : []),
  }),
  waitlist: t.field({
    type: [OfficeHoursWaitlistEntryRef],
    description: 'The line (WAITING and OFFERED, in order): the host only ([] for anyone else).',
    select: (_args, ctx, nestedSelection) => ({
      officeHours: { select: { hostId: true } },
      waitlist: nestedSelection(lineQuery(ctx)),
    }),
    resolve: (slot, _args, ctx) => (slot.officeHours.hostId === ctx.viewer?.id ? slot.waitlist : []),
  }),
  onlineUrl: t.string({
    nullable: true,
    description: 'The host and members with a seat in this slot only.',
    select: slotFacts,
    resolve: async (slot, _args, ctx) => ((await seesPlace(slot, ctx)) ? slot.officeHours.onlineUrl : null),
  }),
  location: t.string({
    nullable: true,
    description: 'The host and members with a seat in this slot only.',
    select: slotFacts,
    resolve: async (slot, _args, ctx) => ((await seesPlace(slot, ctx)) ? slot.officeHours.location : null),
  }),
}));
