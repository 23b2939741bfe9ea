import { filter } from 'graphql-yoga';
import { z } from 'zod';
import { now as clockNow } from '../../lib/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import {
  acceptOffer,
  bookSlot,
  cancelOwnBooking,
  joinWaitlist,
  leaveWaitlist,
  markAttendance,
  QUESTION_MAX,
  type SlotTouched,
} from './booking.service.js';
import { BookingAttendanceEnum, BookingRef, OfficeHoursWaitlistEntryRef } from './booking.type.js';
import { canSeeOfficeHours, visibleOfficeHoursWhere, visibleSlotWhere } from './office-hours.policy.js';
import { OfficeHourSlotRef } from './office-hours.type.js';

// Booking, the waitlist and attendance over GraphQL: ids decoded (a wrong one is NOT_FOUND), the
// question checked by zod, one service call (one transaction), the answer read after commit. Also
// the viewer's bookings and places in line, and officeHoursActivity: a series' slots, live.

const BOOKING_ERRORS = [ValidationError, NotFoundError, ConflictError] as const;

function idOf(value: unknown, typename: string, what: string): string {
  const id = decodeId(value == null ? null : String(value), typename);
  if (!id) throw new NotFoundError(what);
  return id;
}
const slotIdOf = (value: unknown) => idOf(value, 'OfficeHourSlot', 'That slot');
const bookingIdOf = (value: unknown) => idOf(value, 'Booking', 'That booking');
const entryIdOf = (value: unknown) => idOf(value, 'OfficeHoursWaitlistEntry', 'That waitlist place');

const questionInput = z.object({
  question: z
    .string()
    .trim()
    .max(QUESTION_MAX, `Keep the question under ${QUESTION_MAX} characters.`)
    .refine((text) => !text.includes('\u0000'), 'The question holds a character that cannot be stored.'),
});

function questionOf(raw: string | null | undefined): string {
  const parsed = questionInput.safeParse({ question: raw ?? '' });
  if (!parsed.success) throw toValidationError(parsed.error.issues);
  return parsed.data.question;
}

const BookOfficeHourSlotInput = builder.inputType('BookOfficeHourSlotInput', {
  fields: (t) => ({
    slotId: t.id(),
    question: t.string({ required: false, description: 'Optional; the host sees it, other attendees never do.' }),
  }),
});
const CancelBookingInput = builder.inputType('CancelBookingInput', { fields: (t) => ({ bookingId: t.id() }) });
const JoinOfficeHoursWaitlistInput = builder.inputType('JoinOfficeHoursWaitlistInput', {
  fields: (t) => ({
    slotId: t.id(),
    question: t.string({ required: false, description: 'Kept with your booking if you get a seat.' }),
  }),
});
const EntryInput = (name: string) => builder.inputType(name, { fields: (t) => ({ entryId: t.id() }) });
const LeaveOfficeHoursWaitlistInput = EntryInput('LeaveOfficeHoursWaitlistInput');
const AcceptWaitlistOfferInput = EntryInput('AcceptWaitlistOfferInput');
const DeclineWaitlistOfferInput = EntryInput('DeclineWaitlistOfferInput');
const MarkAttendanceInput = builder.inputType('MarkAttendanceInput', {
  fields: (t) => ({ bookingId: t.id(), attendance: t.field({ type: BookingAttendanceEnum }) }),
});

const BookingPayload = builder.objectRef<{ bookingId: string }>('BookingPayload').implement({
  fields: (t) => ({
    booking: t.prismaField({
      type: BookingRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.booking.findUniqueOrThrow({ ...query, where: { id: payload.bookingId } }),
    }),
  }),
});

const WaitlistEntryPayload = builder.objectRef<{ entryId: string }>('OfficeHoursWaitlistEntryPayload').implement({
  fields: (t) => ({
    entry: t.prismaField({
      type: OfficeHoursWaitlistEntryRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.officeHoursWaitlistEntry.findUniqueOrThrow({ ...query, where: { id: payload.entryId } }),
    }),
  }),
});

builder.mutationFields((t) => ({
  bookOfficeHourSlot: t.field({
    type: BookingPayload,
    description:
      'Takes a seat. Refused: SLOT_FULL (join the waitlist), ALREADY_BOOKED, TOO_LATE (inside the minimum notice), TOO_EARLY (past the booking window), OWN_SLOT, SLOT_CANCELLED, SLOT_PAST, NOT_FOUND.',
    args: { input: t.arg({ type: BookOfficeHourSlotInput }) },
    errors: { types: [...BOOKING_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const slotId = slotIdOf(input.slotId);
      return { bookingId: await bookSlot(ctx, slotId, questionOf(input.question)) };
    },
  }),
  cancelBooking: t.field({
    type: BookingPayload,
    description: 'Gives back your own seat (before the session starts); the first in line is offered it.',
    args: { input: t.arg({ type: CancelBookingInput }) },
    errors: { types: [...BOOKING_ERRORS] },
    resolve: async (_root, { input }, ctx) => ({
      bookingId: await cancelOwnBooking(ctx, bookingIdOf(input.bookingId)),
    }),
  }),
  joinOfficeHoursWaitlist: t.field({
    type: WaitlistEntryPayload,
    description: 'Joins the line of a full slot. SEATS_AVAILABLE when a seat is free (book it instead).',
    args: { input: t.arg({ type: JoinOfficeHoursWaitlistInput }) },
    errors: { types: [...BOOKING_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const slotId = slotIdOf(input.slotId);
      return { entryId: await joinWaitlist(ctx, slotId, questionOf(input.question)) };
    },
  }),
  leaveOfficeHoursWaitlist: t.field({
    type: WaitlistEntryPayload,
    description: 'Leaves the line (an offer you hold goes to the next in line).',
    args: { input: t.arg({ type: LeaveOfficeHoursWaitlistInput }) },
    errors: { types: [...BOOKING_ERRORS] },
    resolve: async (_root, { input }, ctx) => ({
      entryId: await leaveWaitlist(ctx, entryIdOf(input.entryId), 'LEAVE'),
    }),
  }),
  acceptWaitlistOffer: t.field({
    type: BookingPayload,
    description: 'Takes the seat offered to you, before offerExpiresAt (OFFER_EXPIRED after).',
    args: { input: t.arg({ type: AcceptWaitlistOfferInput }) },
    errors: { types: [...BOOKING_ERRORS] },
    resolve: async (_root, { input }, ctx) => ({ bookingId: await acceptOffer(ctx, entryIdOf(input.entryId)) }),
  }),
  declineWaitlistOffer: t.field({
    type: WaitlistEntryPayload,
    description: 'Gives the offered seat to the next in line (you leave the line).',
    args: { input: t.arg({ type: DeclineWaitlistOfferInput }) },
    errors: { types: [...BOOKING_ERRORS] },
    resolve: async (_root, { input }, ctx) => ({
      entryId: await leaveWaitlist(ctx, entryIdOf(input.entryId), 'DECLINE'),
    }),
  }),
  markAttendance: t.field({
    type: BookingPayload,
    description: 'The host marks an attendee ATTENDED or NO_SHOW, once the session has started.',
    args: { input: t.arg({ type: MarkAttendanceInput }) },
    errors: { types: [...BOOKING_ERRORS] },
    resolve: async (_root, { input }, ctx) => ({
      bookingId: await markAttendance(ctx, bookingIdOf(input.bookingId), input.attendance),
    }),
  }),
}));

// ── the viewer's bookings and places in line ────────────────────────────

const BookingTimeEnum = builder.enumType('BookingTime', {
  values: {
    UPCOMING: { description: 'Sessions not over yet, soonest first (with those the host cancelled).' },
    PAST: { description: 'Sessions that are over, latest first.' },
  } as const,
});

builder.queryFields((t) => ({
  myBookings: t.prismaConnection(
    {
      type: BookingRef,
      cursor: 'id',
      maxSize: 100,
      defaultSize: 20,
      authScopes: { member: true },
      description: 'Your seats: UPCOMING (default) or PAST.',
      args: { when: t.arg({ type: BookingTimeEnum, required: false, defaultValue: 'UPCOMING' }) },
      resolve: (query, _root, args, ctx) => {
        const viewerId = ctx.viewer!.id;
        const at = clockNow();
        const upcoming = (args.when ?? 'UPCOMING') === 'UPCOMING';
        return ctx.db.booking.findMany({
          ...query,
          // Only series the viewer still sees (not across a block made after booking).
          where: upcoming
            ? {
                attendeeId: viewerId,
                slot: { endsAt: { gt: at }, officeHours: visibleOfficeHoursWhere(viewerId) },
                OR: [{ status: 'BOOKED' }, { status: 'CANCELLED', cancelledById: { not: viewerId } }],
              }
            : {
                attendeeId: viewerId,
                status: 'BOOKED',
                slot: { endsAt: { lte: at }, officeHours: visibleOfficeHoursWhere(viewerId) },
              },
          orderBy: [{ slot: { startsAt: upcoming ? 'asc' : 'desc' } }, { id: upcoming ? 'asc' : 'desc' }],
        });
      },
    },
    { name: 'BookingConnection' },
    { name: 'BookingEdge' },
  ),
  myWaitlistEntries: t.prismaField({
    type: [OfficeHoursWaitlistEntryRef],
    authScopes: { member: true },
    description: 'Your places in line for sessions still ahead (WAITING and OFFERED), soonest first.',
    resolve: (query, _root, _args, ctx) =>
      ctx.db.officeHoursWaitlistEntry.findMany({
        ...query,
        where: {
          memberId: ctx.viewer!.id,
          status: { in: ['WAITING', 'OFFERED'] },
          slot: {
            startsAt: { gt: clockNow() },
            cancelledAt: null,
            officeHours: visibleOfficeHoursWhere(ctx.viewer!.id),
          },
        },
        orderBy: [{ slot: { startsAt: 'asc' } }, { id: 'asc' }],
      }),
  }),
}));

// ── live: a series' slots ────────────────────────────────────────────────

const OfficeHoursActivityRef = builder.objectRef<SlotTouched>('OfficeHoursActivityEvent').implement({
  description: 'A slot of the series changed its seats or state: the fields are as you may see them now.',
  fields: (t) => ({
    slot: t.prismaField({
      type: OfficeHourSlotRef,
      resolve: (query, event, _args, ctx) =>
        ctx.db.officeHourSlot.findFirstOrThrow({
          ...query,
          where: { id: event.slotId, AND: [visibleSlotWhere(ctx.viewer?.id ?? null)] },
        }),
    }),
  }),
});

builder.subscriptionField('officeHoursActivity', (t) =>
  t.field({
    type: OfficeHoursActivityRef,
    description:
      "A series' slots, live: whenever a booking, a cancellation, the waitlist or the host changes a slot's seats or state. NOT_FOUND for a series you may not see; events stop reaching you once you may no longer see it.",
    args: { officeHoursId: t.arg.id() },
    subscribe: async (_root, args, ctx) => {
      const viewerId = ctx.viewer!.id;
      const officeHoursId = decodeId(String(args.officeHoursId), 'OfficeHours');
      if (!officeHoursId || !(await canSeeOfficeHours(ctx.db, viewerId, officeHoursId)))
        throw new NotFoundError('Those office hours');
      // Re-checked at delivery: the series, and the slot itself, as the viewer may see them now.
      return filter(
        async (event: SlotTouched) =>
          (await ctx.db.officeHourSlot.count({
            where: { id: event.slotId, AND: [visibleSlotWhere(viewerId)] },
          })) > 0,
      )(ctx.pubsub.subscribe('office-hours:activity', officeHoursId));
    },
    resolve: (event) => event,
  }),
);
