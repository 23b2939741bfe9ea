import { z } from 'zod';
import { encodeGlobalId } from '../../lib/global-id.js';
import { instantToLocal } from '../../lib/time.js';
import { defineNotificationKind, type NotificationReader } from '../notifications/index.js';

// Notification kinds of booking: a seat offered from the waitlist (emailed, with its deadline), a
// booking the host cancelled (emailed), a booked slot that moved (emailed), and a new booking for
// the host (in-app). The data holds ids only; words are made at read time from the slot and the
// series' topic, and each kind is visible while its recipient still has the booking or entry it is
// about (an attendee, a waitlisted member, the host), never someone else's question or contact.

interface SlotSeen {
  id: string;
  startsAt: Date;
  topic: string;
  hostId: string;
  hostName: string;
}

function slotsSeen(reader: NotificationReader, ids: readonly string[]) {
  return reader.load('office-hours.slot', ids, async (missing) => {
    const rows = await reader.db.officeHourSlot.findMany({
      where: { id: { in: missing } },
      select: {
        id: true,
        startsAt: true,
        officeHours: { select: { topic: true, hostId: true, host: { select: { name: true } } } },
      },
    });
    return new Map<string, SlotSeen>(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          startsAt: row.startsAt,
          topic: row.officeHours.topic,
          hostId: row.officeHours.hostId,
          hostName: row.officeHours.host.name,
        },
      ]),
    );
  });
}

function recipientZone(reader: NotificationReader): Promise<string> {
  return reader.once('office-hours.recipient-zone', async () => {
    const row = await reader.db.user.findUnique({ where: { id: reader.recipientId }, select: { timeZone: true } });
    return row?.timeZone ?? 'UTC';
  });
}

/** "2026-12-15 17:00 (Europe/Berlin)": an instant in the recipient's zone. */
export function whenIn(instant: Date, zone: string): string {
  const local = instantToLocal(instant, zone);
  return `${local.date} ${local.time} (${zone})`;
}

const BOOKINGS_PAGE = '/bookings';
const slotPath = (slotId: string) =>
  `/office-hours/slots/${encodeURIComponent(encodeGlobalId('OfficeHourSlot', slotId))}`;

const bookingData = z.object({ bookingId: z.uuid(), slotId: z.uuid() });
const cancelledData = bookingData.extend({
  reason: z.enum(['SLOT_CANCELLED', 'SERIES_CANCELLED', 'OCCURRENCE_REMOVED']),
  message: z.string().max(2000).nullable(),
  /** Further bookings of the recipient's cancelled with it (a whole series): told once. */
  more: z.number().int().min(0).default(0),
});
const movedData = bookingData.extend({ previousStartsAt: z.iso.datetime().nullable() });
const offerData = z.object({ entryId: z.uuid(), slotId: z.uuid(), offerExpiresAt: z.iso.datetime() });

/** Visible while the recipient is (or was) the booking's attendee. */
async function ownBookings(
  reader: NotificationReader,
  notifications: ReadonlyArray<{ data: { bookingId: string } }>,
): Promise<boolean[]> {
  const seen = await reader.load(
    'office-hours.own-booking',
    notifications.map((n) => n.data.bookingId),
    async (missing) => {
      const rows = await reader.db.booking.findMany({
        where: { id: { in: missing }, attendeeId: reader.recipientId },
        select: { id: true },
      });
      return new Map(rows.map((row) => [row.id, true]));
    },
  );
  return notifications.map((n) => seen.get(n.data.bookingId) === true);
}

const HIDDEN = { text: 'An office-hours update you can no longer see', href: BOOKINGS_PAGE };

export const bookingCancelledKind = defineNotificationKind({
  kind: 'OFFICE_HOURS_BOOKING_CANCELLED',
  label: 'Office hours cancelled',
  description: 'A host cancels office hours you booked',
  data: cancelledData,
  defaults: { inApp: true, email: true, digest: false },
  visible: (reader, notifications) => ownBookings(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const slot = (await slotsSeen(reader, [notification.data.slotId])).get(notification.data.slotId);
    if (!slot) return HIDDEN;
    const when = whenIn(slot.startsAt, await recipientZone(reader));
    const why = notification.data.reason === 'OCCURRENCE_REMOVED' ? 'no longer takes place' : 'was cancelled';
    const note = notification.data.message ? `: “${notification.data.message}”` : '';
    const more = notification.data.more;
    const others = more > 0 ? ` (and ${more} later session${more === 1 ? '' : 's'})` : '';
    const verb = more > 0 ? why.replace('was', 'were').replace('takes', 'take') : why;
    return { text: `${slot.hostName}'s “${slot.topic}” on ${when}${others} ${verb}${note}`, href: BOOKINGS_PAGE };
  },
});

export const slotMovedKind = defineNotificationKind({
  kind: 'OFFICE_HOURS_SLOT_MOVED',
  label: 'Office hours moved',
  description: 'Office hours you booked move to another time',
  data: movedData,
  defaults: { inApp: true, email: true, digest: false },
  visible: (reader, notifications) => ownBookings(reader, notifications),
  hidden: HIDDEN,
  async describe(reader, notification) {
    const slot = (await slotsSeen(reader, [notification.data.slotId])).get(notification.data.slotId);
    if (!slot) return HIDDEN;
    const zone = await recipientZone(reader);
    const from = notification.data.previousStartsAt
      ? ` from ${whenIn(new Date(notification.data.previousStartsAt), zone)}`
      : '';
    return {
      text: `${slot.hostName}'s “${slot.topic}” moved${from} to ${whenIn(slot.startsAt, zone)}`,
      href: slotPath(slot.id),
    };
  },
});

export const waitlistOfferKind = defineNotificationKind({
  kind: 'OFFICE_HOURS_WAITLIST_OFFER',
  label: 'Waitlist offers',
  description: 'A seat frees up in office hours you wait for: confirm it before the deadline',
  data: offerData,
  defaults: { inApp: true, email: true, digest: false },
  inDigest: false,
  async visible(reader, notifications) {
    const seen = await reader.load(
      'office-hours.own-entry',
      notifications.map((n) => n.data.entryId),
      async (missing) => {
        const rows = await reader.db.officeHoursWaitlistEntry.findMany({
          where: { id: { in: missing }, memberId: reader.recipientId },
          select: { id: true },
        });
        return new Map(rows.map((row) => [row.id, true]));
      },
    );
    return notifications.map((n) => seen.get(n.data.entryId) === true);
  },
  hidden: HIDDEN,
  async describe(reader, notification) {
    const slot = (await slotsSeen(reader, [notification.data.slotId])).get(notification.data.slotId);
    if (!slot) return HIDDEN;
    const zone = await recipientZone(reader);
    return {
      text: `A seat is free in ${slot.hostName}'s “${slot.topic}” on ${whenIn(slot.startsAt, zone)}: confirm it by ${whenIn(new Date(notification.data.offerExpiresAt), zone)}`,
      href: BOOKINGS_PAGE,
    };
  },
  email(view) {
    return {
      subject: 'A seat is free for you — confirm it before the deadline',
      text: `${view.text}.\n\nConfirm or decline it here: ${view.link}\n\nIf you do nothing, the seat goes to the next person in line.\n`,
    };
  },
});

export const bookedKind = defineNotificationKind({
  kind: 'OFFICE_HOURS_BOOKED',
  label: 'New bookings',
  description: 'A member books a seat in your office hours',
  data: bookingData,
  defaults: { inApp: true, email: false, digest: true },
  async visible(reader, notifications) {
    const seen = await slotsSeen(
      reader,
      notifications.map((n) => n.data.slotId),
    );
    return notifications.map((n) => seen.get(n.data.slotId)?.hostId === reader.recipientId);
  },
  hidden: HIDDEN,
  async describe(reader, notification) {
    const slot = (await slotsSeen(reader, [notification.data.slotId])).get(notification.data.slotId);
    if (!slot) return HIDDEN;
    const name = await reader.userName(notification.actorId);
    return {
      text: `${name ?? 'Someone'} booked “${slot.topic}” on ${whenIn(slot.startsAt, await recipientZone(reader))}`,
      href: '/office-hours/manage',
    };
  },
});
