import type { Context } from '../../context.js';
import { now } from '../../lib/clock.js';
import { builder } from '../../schema/builder.js';
import { BookingRef } from './booking.type.js';
import { OfficeHourSlotRef } from './office-hours.type.js';
import { timeZoneNotes } from './time-notes.js';

// OfficeHourSlot.timeZoneNotes: clocks changing around the slot, for the reader (their profile's zone;
// signed out, the host's zone only). Booking.timeZoneNotes: the same from the other party's side — for
// the attendee the host's zone, for the host the attendee's. Slots and bookings are already
// authorised by their node/list.

const viewerZones = new WeakMap<object, Promise<string | null>>();

/** The signed-in reader's zone, read once per request. */
export function viewerZoneOf(ctx: Context): Promise<string | null> {
  let zone = viewerZones.get(ctx);
  if (!zone) {
    const viewerId = ctx.viewer?.id;
    zone = viewerId
      ? ctx.db.user.findUnique({ where: { id: viewerId }, select: { timeZone: true } }).then((u) => u?.timeZone ?? null)
      : Promise.resolve(null);
    viewerZones.set(ctx, zone);
  }
  return zone;
}

builder.prismaObjectFields(OfficeHourSlotRef, (t) => ({
  timeZoneNotes: t.stringList({
    description:
      "Clocks changing in the host's zone or yours between now and this slot, or during it, in words (e.g. “Clocks in Europe/Berlin go forward on 29 March, before this session: it is 5 h ahead of you then, not 6 h.”).",
    select: { startsAt: true, endsAt: true, officeHours: { select: { timeZone: true } } },
    resolve: async (slot, _args, ctx) =>
      timeZoneNotes({
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        hostZone: slot.officeHours.timeZone,
        viewerZone: await viewerZoneOf(ctx),
        now: now(),
      }),
  }),
}));

builder.prismaObjectFields(BookingRef, (t) => ({
  timeZoneNotes: t.stringList({
    description:
      "Clocks changing around this session, in words: for the attendee in the host's zone or theirs, for the host in the attendee's zone or theirs.",
    select: {
      attendee: { select: { timeZone: true } },
      slot: { select: { startsAt: true, endsAt: true, officeHours: { select: { hostId: true, timeZone: true } } } },
    },
    resolve: async (booking, _args, ctx) => {
      const { slot } = booking;
      const forHost = ctx.viewer?.id === slot.officeHours.hostId;
      return timeZoneNotes({
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        hostZone: forHost ? booking.attendee.timeZone : slot.officeHours.timeZone,
        viewerZone: await viewerZoneOf(ctx),
        now: now(),
      });
    },
  }),
}));
