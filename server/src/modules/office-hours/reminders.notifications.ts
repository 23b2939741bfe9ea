import { z } from 'zod';
import { instantInWords } from '../../lib/ics.js';
import { defineNotificationKind, type NotificationReader } from '../notifications/index.js';
import { visibleOfficeHoursWhere } from './office-hours.policy.js';

// OFFICE_HOURS_REMINDER: a booked session is near (to its attendee), or a slot of yours with bookings
// is near (to its host). The data is a snapshot taken when the reminder job ran (times in both zones,
// the place or link), because the email is rendered from it; it is shown only while the reminder is
// still true: the booking still BOOKED (the attendee still sees the series), the slot not cancelled
// and still starting at the time the reminder names. A moved or cancelled session hides it.

export const reminderData = z.object({
  role: z.enum(['ATTENDEE', 'HOST']),
  slotId: z.uuid(),
  /** ATTENDEE: the booking reminded of. */
  bookingId: z.uuid().nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  /** The lead time this reminder is for (the member's setting), in minutes. */
  lead: z.number().int(),
  /** Minutes from the reminder to the start (less than `lead` for a reminder sent at once). */
  minutesBefore: z.number().int().min(0),
  topic: z.string().max(500),
  hostName: z.string().max(500),
  hostZone: z.string().max(100),
  recipientZone: z.string().max(100),
  onlineUrl: z.string().max(2000).nullable(),
  location: z.string().max(2000).nullable(),
  /** HOST: seats booked when the reminder was made. */
  booked: z.number().int().nullable(),
  /** A mentorship session (PAIR series): the other member of the pair, named in the words. */
  pairWith: z.string().max(500).nullable().optional(),
});
export type ReminderData = z.infer<typeof reminderData>;

/** '1 hour', '24 hours', '2 days', '45 minutes', '1 h 30 min'. */
export function durationInWords(minutes: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(Math.max(0, minutes), 'minute');
  if (minutes % 1440 === 0 && minutes > 1440) return plural(minutes / 1440, 'day');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

interface ReminderSeen {
  id: string;
  startsAt: Date;
}

async function stillTrue(
  reader: NotificationReader,
  notifications: ReadonlyArray<{ data: ReminderData }>,
): Promise<boolean[]> {
  const bookingIds = notifications.flatMap((n) =>
    n.data.role === 'ATTENDEE' && n.data.bookingId ? [n.data.bookingId] : [],
  );
  const slotIds = notifications.flatMap((n) => (n.data.role === 'HOST' ? [n.data.slotId] : []));
  const bookings = await reader.load('office-hours.reminder-booking', bookingIds, async (missing) => {
    const rows = await reader.db.booking.findMany({
      where: {
        id: { in: missing },
        attendeeId: reader.recipientId,
        status: 'BOOKED',
        slot: { cancelledAt: null, officeHours: visibleOfficeHoursWhere(reader.recipientId) },
      },
      select: { id: true, slot: { select: { startsAt: true } } },
    });
    return new Map<string, ReminderSeen>(rows.map((row) => [row.id, { id: row.id, startsAt: row.slot.startsAt }]));
  });
  const slots = await reader.load('office-hours.reminder-slot', slotIds, async (missing) => {
    const rows = await reader.db.officeHourSlot.findMany({
      where: { id: { in: missing }, cancelledAt: null, officeHours: { hostId: reader.recipientId } },
      select: { id: true, startsAt: true },
    });
    return new Map<string, ReminderSeen>(rows.map((row) => [row.id, row]));
  });
  return notifications.map(({ data }) => {
    const seen = data.role === 'ATTENDEE' ? bookings.get(data.bookingId ?? '') : slots.get(data.slotId);
    return seen != null && seen.startsAt.getTime() === Date.parse(data.startsAt);
  });
}

function headline(data: ReminderData): string {
  const when = `in ${durationInWords(data.minutesBefore)}`;
  if (data.pairWith) return `Reminder: your mentorship session with ${data.pairWith} starts ${when}`;
  return data.role === 'ATTENDEE'
    ? `Reminder: “${data.topic}” with ${data.hostName} starts ${when}`
    : `Reminder: your office hours “${data.topic}” start ${when} (${data.booked ?? 0} booked)`;
}

/** The start in the recipient's zone, and in the host's when it differs. */
export function reminderTimes(data: ReminderData): string[] {
  const startsAt = new Date(data.startsAt);
  const endsAt = new Date(data.endsAt);
  const lines = [
    `Your time: ${instantInWords(startsAt, data.recipientZone)} to ${instantInWords(endsAt, data.recipientZone).replace(/^.* at /, '')} (${data.recipientZone}).`,
  ];
  if (data.hostZone !== data.recipientZone) {
    lines.push(
      `${data.role === 'ATTENDEE' ? `${data.hostName}’s time` : 'In the zone your office hours are set in'}: ${instantInWords(startsAt, data.hostZone)} (${data.hostZone}).`,
    );
  }
  return lines;
}

export const officeHoursReminderKind = defineNotificationKind({
  kind: 'OFFICE_HOURS_REMINDER',
  label: 'Office hours reminders',
  description:
    'A session you booked, or office hours you host with bookings, is about to start (at the lead times you choose)',
  data: reminderData,
  defaults: { inApp: true, email: true, digest: false },
  // A reminder is about now: a digest hours later would be no reminder.
  inDigest: false,
  visible: (reader, notifications) => stillTrue(reader, notifications),
  hidden: { text: 'A reminder of a session that was moved or cancelled', href: '/bookings' },
  async describe(_reader, notification) {
    const { data } = notification;
    return {
      text: `${headline(data)}: ${instantInWords(new Date(data.startsAt), data.recipientZone)} (${data.recipientZone})`,
      href: data.role === 'ATTENDEE' ? '/bookings' : '/office-hours/manage',
    };
  },
  email(view, notification) {
    const { data } = notification;
    const where = [
      data.onlineUrl ? `Join online: ${data.onlineUrl}` : '',
      data.location ? `Place: ${data.location}` : '',
    ].filter(Boolean);
    return {
      subject: headline(data),
      text: [`${headline(data)}.`, reminderTimes(data).join('\n'), ...where, view.link].join('\n\n'),
    };
  },
});
