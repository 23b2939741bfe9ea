import type { Context } from '../../../context.js';
import type { DbClient } from '../../../db.js';
import type { RsvpStatus } from '../../../generated/prisma/enums.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../lib/errors.js';
import { type CreatedNotification, notify, publishNotifications } from '../../notifications/index.js';
import { encodeGlobalId } from '../../../lib/global-id.js';
import { eventCreated, waitlistPromoted } from './event.notifications.js';
import { can, visibleGroupsWhere, viewerRole } from '../groups.policy.js';
import { scheduleProblems } from './event.inputs.js';

// Creating events and answering them. Capacity is guarded by a row lock on the event: every
// RSVP transaction takes `SELECT … FOR UPDATE` on the event row before it counts seats, so
// concurrent answers (on any number of server instances) are serialised per event.

/** Generous waits: a burst of RSVPs to one event queues on the row lock, one after another. */
const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 } as const;

export interface CreateEventInput {
  groupId: string;
  title: string;
  description?: string | null;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  onlineUrl?: string | null;
  location?: string | null;
  capacity?: number | null;
}

export async function createEvent(ctx: Context, input: CreateEventInput): Promise<{ id: string }> {
  const viewerId = ctx.viewer!.id;
  const group = await ctx.db.group.findFirst({
    where: { id: input.groupId, AND: [visibleGroupsWhere(viewerId)] },
    select: { id: true },
  });
  if (!group) throw new NotFoundError('That group');
  const role = await viewerRole(ctx.db, group.id, viewerId);
  if (!can(role, 'createEvents'))
    throw new ForbiddenError('Only owners, admins and moderators can create events here.');
  const problems = scheduleProblems(input.startsAt, input.endsAt);
  if (problems.length > 0) throw new ValidationError(problems);

  const { event, created } = await ctx.db.$transaction(async (tx) => {
    const event = await tx.event.create({
      data: {
        groupId: group.id,
        createdById: viewerId,
        title: input.title,
        description: input.description ?? '',
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        timeZone: input.timeZone,
        onlineUrl: input.onlineUrl || null,
        location: input.location || null,
        capacity: input.capacity ?? null,
      },
      select: { id: true },
    });
    const members = await tx.membership.findMany({ where: { groupId: group.id }, select: { userId: true } });
    const created = await notify(tx, {
      recipientIds: members.map((member) => member.userId),
      kind: eventCreated,
      actorId: viewerId,
      subjectId: encodeGlobalId('Event', event.id),
      data: { groupId: group.id, eventId: event.id },
    });
    return { event, created };
  });
  publishNotifications(ctx.pubsub, created);
  return event;
}

export interface UpdateEventInput {
  eventId: string;
  title?: string | null;
  description?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  timeZone?: string | null;
  onlineUrl?: string | null;
  location?: string | null;
  /** undefined: unchanged; null: no limit. */
  capacity?: number | null;
}

/** Who may change an event: whoever may create events in its group. Raising capacity promotes the waitlist. */
export async function updateEvent(ctx: Context, input: UpdateEventInput): Promise<{ id: string }> {
  const viewerId = ctx.viewer!.id;
  const found = await findVisibleEvent(ctx.db, input.eventId, viewerId);
  if (!can(await viewerRole(ctx.db, found.groupId, viewerId), 'createEvents')) {
    throw new ForbiddenError('Only owners, admins and moderators can change events here.');
  }
  const created = await ctx.db.$transaction(async (tx) => {
    const event = await lockEvent(tx, input.eventId);
    const startsAt = input.startsAt ?? event.startsAt;
    const endsAt = input.endsAt ?? event.endsAt;
    const problems = scheduleProblems(startsAt, endsAt);
    if (problems.length > 0) throw new ValidationError(problems);
    const capacity = input.capacity === undefined ? event.capacity : input.capacity;
    if (capacity !== null && capacity !== event.capacity) {
      const going = await tx.rsvp.count({ where: { eventId: event.id, status: 'GOING' } });
      if (capacity < going) {
        throw new ValidationError([
          { path: 'capacity', message: `${going} people are going; capacity cannot be lower than that.` },
        ]);
      }
    }
    await tx.event.update({
      where: { id: event.id },
      data: {
        title: input.title ?? undefined,
        description: input.description === undefined ? undefined : (input.description ?? ''),
        startsAt,
        endsAt,
        timeZone: input.timeZone ?? undefined,
        onlineUrl: input.onlineUrl === undefined ? undefined : input.onlineUrl || null,
        location: input.location === undefined ? undefined : input.location || null,
        capacity,
      },
    });
    return promoteFromWaitlist(tx, { id: event.id, groupId: event.groupId, capacity });
  }, TX_OPTIONS);
  publishNotifications(ctx.pubsub, created);
  return { id: input.eventId };
}

/** The event if the viewer may see its group; otherwise NotFoundError (forbidden looks like missing). */
async function findVisibleEvent(db: DbClient, eventId: string, viewerId: string) {
  const event = await db.event.findFirst({
    where: { id: eventId, group: visibleGroupsWhere(viewerId) },
    select: { id: true, groupId: true, cancelledAt: true, endsAt: true },
  });
  if (!event) throw new NotFoundError('That event');
  return event;
}

/** Takes the event's row lock for the rest of the transaction and returns the row as locked. */
async function lockEvent(tx: DbClient, eventId: string) {
  await tx.$queryRaw`SELECT "id" FROM "Event" WHERE "id" = ${eventId}::uuid FOR UPDATE`;
  return tx.event.findUniqueOrThrow({
    where: { id: eventId },
    select: { id: true, groupId: true, capacity: true, startsAt: true, endsAt: true },
  });
}

export async function rsvp(
  ctx: Context,
  input: { eventId: string; status: RsvpStatus },
): Promise<{ id: string; status: RsvpStatus }> {
  const viewerId = ctx.viewer!.id;
  if (input.status === 'WAITLISTED') {
    throw new ValidationError([
      { path: 'status', message: 'Answer GOING, MAYBE or NOT_GOING; a full event waitlists you.' },
    ]);
  }
  const found = await findVisibleEvent(ctx.db, input.eventId, viewerId);
  if (!can(await viewerRole(ctx.db, found.groupId, viewerId), 'rsvp')) {
    throw new ForbiddenError('Join the group to answer its events.');
  }
  if (found.cancelledAt) throw new ValidationError([{ path: 'eventId', message: 'This event was cancelled.' }]);
  if (found.endsAt.getTime() <= Date.now())
    throw new ValidationError([{ path: 'eventId', message: 'This event is over.' }]);

  const { status, created } = await ctx.db.$transaction(async (tx) => {
    // Lock first, count after: nobody else can take or free a seat of this event meanwhile.
    const event = await lockEvent(tx, input.eventId);
    // Membership again, inside the transaction and share-locked: a concurrent leave or ban
    // either happens before (and we refuse) or waits for us (and then releases this seat).
    const stillMember = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM "Membership" WHERE "groupId" = ${event.groupId}::uuid AND "userId" = ${viewerId}::uuid FOR SHARE`;
    if (stillMember.length === 0) throw new ForbiddenError('Join the group to answer its events.');
    const key = { eventId_userId: { eventId: event.id, userId: viewerId } };
    const existing = await tx.rsvp.findUnique({ where: key, select: { status: true } });

    if (input.status === 'GOING') {
      // Already seated or queued: answering GOING again keeps the seat or the place in line.
      if (existing?.status === 'GOING' || existing?.status === 'WAITLISTED') {
        return { status: existing.status, created: [] as CreatedNotification[] };
      }
      const going = await tx.rsvp.count({ where: { eventId: event.id, status: 'GOING' } });
      const waiting = await tx.rsvp.count({ where: { eventId: event.id, status: 'WAITLISTED' } });
      const seat = event.capacity === null || (going < event.capacity && waiting === 0);
      const status: RsvpStatus = seat ? 'GOING' : 'WAITLISTED';
      const waitlistedAt = seat ? null : await nextWaitlistTime(tx, event.id);
      await tx.rsvp.upsert({
        where: key,
        create: { eventId: event.id, userId: viewerId, status, waitlistedAt },
        update: { status, waitlistedAt },
      });
      return { status, created: [] as CreatedNotification[] };
    }

    await tx.rsvp.upsert({
      where: key,
      create: { eventId: event.id, userId: viewerId, status: input.status, waitlistedAt: null },
      update: { status: input.status, waitlistedAt: null },
    });
    const created = existing?.status === 'GOING' ? await promoteFromWaitlist(tx, event) : [];
    return { status: input.status, created };
  }, TX_OPTIONS);
  publishNotifications(ctx.pubsub, created);
  return { id: input.eventId, status };
}

/**
 * Strictly increasing waitlist times, even for two answers in the same millisecond: the row
 * lock serialises them, so "one after the last" is always later than everyone already queued.
 */
async function nextWaitlistTime(tx: DbClient, eventId: string): Promise<Date> {
  const last = await tx.rsvp.findFirst({
    where: { eventId, status: 'WAITLISTED' },
    orderBy: { waitlistedAt: 'desc' },
    select: { waitlistedAt: true },
  });
  const now = Date.now();
  const after = last?.waitlistedAt ? last.waitlistedAt.getTime() + 1 : 0;
  return new Date(Math.max(now, after));
}

/** Fills free seats from the head of the waitlist, in order. Call with the event's row lock held. */
export async function promoteFromWaitlist(
  tx: DbClient,
  event: { id: string; groupId: string; capacity: number | null },
): Promise<CreatedNotification[]> {
  const going = await tx.rsvp.count({ where: { eventId: event.id, status: 'GOING' } });
  const free = event.capacity === null ? undefined : event.capacity - going;
  if (free !== undefined && free <= 0) return [];
  const next = await tx.rsvp.findMany({
    where: { eventId: event.id, status: 'WAITLISTED' },
    orderBy: [{ waitlistedAt: 'asc' }, { createdAt: 'asc' }],
    take: free,
    select: { userId: true },
  });
  if (next.length === 0) return [];
  const userIds = next.map((row) => row.userId);
  await tx.rsvp.updateMany({
    where: { eventId: event.id, userId: { in: userIds }, status: 'WAITLISTED' },
    data: { status: 'GOING', waitlistedAt: null },
  });
  return notify(tx, {
    recipientIds: userIds,
    kind: waitlistPromoted,
    subjectId: encodeGlobalId('Event', event.id),
    data: { groupId: event.groupId, eventId: event.id },
  });
}

/**
 * For the groups module when a member leaves, is removed or banned: their answers to the group's
 * upcoming events go, and every seat they held passes to the head of that event's waitlist.
 * Call inside the membership change's transaction; publish what it returns after commit.
 */
export async function releaseMemberRsvps(
  tx: DbClient,
  groupId: string,
  userId: string,
): Promise<CreatedNotification[]> {
  const held = await tx.rsvp.findMany({
    where: { userId, event: { groupId, endsAt: { gt: new Date() } } },
    orderBy: { eventId: 'asc' }, // one lock order for every caller, so two releases cannot deadlock
    select: { eventId: true, status: true },
  });
  const created: CreatedNotification[] = [];
  for (const rsvp of held) {
    const event = await lockEvent(tx, rsvp.eventId);
    await tx.rsvp.delete({ where: { eventId_userId: { eventId: rsvp.eventId, userId } } });
    if (rsvp.status === 'GOING') created.push(...(await promoteFromWaitlist(tx, event)));
  }
  return created;
}
