import type { Db } from '../db.js';
import { encodeGlobalId } from '../lib/global-id.js';

// Demo events in the seeded groups: one nearly full with a waitlist (Ada on it), one online, one
// planned in another time zone, with RSVPs, and a few notifications for the demo login.
// Idempotent: events are matched by group and title, notifications by recipient and event.
// Runs after the groups seed; with no groups it does nothing.

const DAY = 24 * 60 * 60 * 1000;

/** A whole hour in UTC, `days` from now, so repeated seeds on one day agree. */
function at(days: number, utcHour: number): Date {
  const date = new Date(Date.now() + days * DAY);
  date.setUTCHours(utcHour, 0, 0, 0);
  return date;
}

export async function seedDemoEvents(db: Db, demoEmail = 'ada@guildhall.dev'): Promise<{ events: number }> {
  const ada = await db.user.findUnique({ where: { email: demoEmail }, select: { id: true } });
  if (!ada) return { events: 0 };
  // Ada's groups first (so the demo login sees the events), then any other group with members.
  const groups = await db.group.findMany({
    where: { memberships: { some: {} } },
    orderBy: [{ createdAt: 'asc' }, { slug: 'asc' }],
    select: {
      id: true,
      slug: true,
      memberships: { orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }], select: { userId: true, role: true } },
    },
  });
  if (groups.length === 0) return { events: 0 };
  const withAda = groups.filter((g) => g.memberships.some((m) => m.userId === ada.id));
  const ordered = [...withAda, ...groups.filter((g) => !withAda.includes(g))];
  // The busiest group holds the nearly-full event, so its waitlist is real.
  const busiest = [...ordered].sort((a, b) => b.memberships.length - a.memberships.length)[0]!;
  const pick = (index: number) => ordered[index % ordered.length]!;

  const plans = [
    {
      group: busiest,
      title: 'Lightning talks: what broke in production',
      description: 'Five-minute stories of outages, near misses and what we changed afterwards. Snacks provided.',
      startsAt: at(6, 17),
      endsAt: at(6, 19),
      timeZone: 'Europe/Berlin',
      location: 'Betahaus, Rudi-Dutschke-Straße 23, Berlin',
      onlineUrl: null,
      capacity: 0, // filled in below from the group's size: nearly full, with a waitlist
    },
    {
      group: pick(1),
      title: 'Remote pairing: review a GraphQL schema together',
      description: 'Bring a schema you are unsure about; we review naming, nullability and pagination in pairs.',
      startsAt: at(9, 16),
      endsAt: at(9, 17),
      timeZone: 'UTC',
      location: null,
      onlineUrl: 'https://meet.guildhall.dev/graphql-schema-review',
      capacity: null,
    },
    {
      group: pick(2),
      title: 'Tokyo meetup: careers across borders',
      description: 'An evening for members in Japan and visitors: moving countries, visas, and finding mentors.',
      startsAt: at(13, 10), // 19:00 in Tokyo
      endsAt: at(13, 12),
      timeZone: 'Asia/Tokyo',
      location: 'Shibuya Scramble Square, Tokyo',
      onlineUrl: null,
      capacity: 30,
    },
  ];

  let created = 0;
  for (const [index, plan] of plans.entries()) {
    const members = plan.group.memberships;
    // Someone other than Ada organises, so the demo login has notifications about them.
    const organisers = members.filter((m) => m.role !== 'MEMBER');
    const creator = organisers.find((m) => m.userId !== ada.id) ?? organisers[0] ?? members[0]!;
    const others = members.filter((m) => m.userId !== ada.id && m.userId !== creator.userId).map((m) => m.userId);
    const adaIsMember = members.some((m) => m.userId === ada.id);
    let capacity = plan.capacity;
    if (index === 0) capacity = Math.max(1, Math.min(8, others.length - 2));

    await db.$transaction(async (tx) => {
      let event = await tx.event.findFirst({
        where: { groupId: plan.group.id, title: plan.title },
        select: { id: true },
      });
      if (event) return;
      created += 1;
      event = await tx.event.create({
        data: {
          groupId: plan.group.id,
          createdById: creator.userId,
          title: plan.title,
          description: plan.description,
          startsAt: plan.startsAt,
          endsAt: plan.endsAt,
          timeZone: plan.timeZone,
          location: plan.location,
          onlineUrl: plan.onlineUrl,
          capacity,
        },
        select: { id: true },
      });
      const rsvps: Array<{ userId: string; status: 'GOING' | 'MAYBE' | 'WAITLISTED'; waitlistedAt: Date | null }> = [];
      if (index === 0) {
        // Seats taken by others, two ahead of Ada on the waitlist, Ada third in line.
        const seated = others.slice(0, capacity!);
        const waiting = others.slice(capacity!, capacity! + 2);
        for (const userId of seated) rsvps.push({ userId, status: 'GOING', waitlistedAt: null });
        const base = Date.now() - DAY;
        for (const [i, userId] of waiting.entries()) {
          rsvps.push({ userId, status: 'WAITLISTED', waitlistedAt: new Date(base + i * 60_000) });
        }
        if (adaIsMember)
          rsvps.push({ userId: ada.id, status: 'WAITLISTED', waitlistedAt: new Date(base + 10 * 60_000) });
      } else {
        for (const [i, userId] of others.slice(0, 6).entries()) {
          rsvps.push({ userId, status: i % 3 === 2 ? 'MAYBE' : 'GOING', waitlistedAt: null });
        }
        if (adaIsMember && index === 2) rsvps.push({ userId: ada.id, status: 'GOING', waitlistedAt: null });
      }
      rsvps.push({ userId: creator.userId, status: 'GOING', waitlistedAt: null });
      if (index === 0) rsvps.pop(); // the organiser of the full event hosts without taking a seat
      await tx.rsvp.createMany({ data: rsvps.map((r) => ({ ...r, eventId: event.id })), skipDuplicates: true });

      // Ada hears about the events of her groups; the oldest one is already read.
      if (adaIsMember && creator.userId !== ada.id) {
        await tx.notification.create({
          data: {
            recipientId: ada.id,
            kind: 'EVENT_CREATED',
            actorId: creator.userId,
            subjectId: encodeGlobalId('Event', event.id),
            data: { groupId: plan.group.id, eventId: event.id },
            readAt: index === 0 ? new Date() : null,
          },
        });
      }
    });
  }
  return { events: created };
}
