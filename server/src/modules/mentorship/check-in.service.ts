import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { now } from '../../lib/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { notify, publishNotifications } from '../notifications/index.js';
import { publishMentorshipActivity } from './activity.js';
import type { CheckInData } from './goal.inputs.js';
import { lockMentorship, viewerIdOf } from './goal.service.js';
import { rescheduleCheckInNudge } from './nudges.js';
import { checkInFeedbackKind } from './nudges.notifications.js';

// Check-ins and the feedback after them. The private note is stored apart (CheckInPrivateNote, keyed
// by its author) and never leaves this module except to its author: no card, notification, event
// or search carries it.

type Ctx = Pick<Context, 'db' | 'pubsub' | 'viewer'>;

/** A session is recorded once it was held: not later than a day from now (zones, clocks). */
const HELD_AT_SLACK_MS = 24 * 3600_000;

function checkHeldAt(heldAt: Date, startedAt: Date): void {
  if (heldAt.getTime() > now().getTime() + HELD_AT_SLACK_MS) {
    throw new ValidationError([{ path: 'heldAt', message: 'Record a check-in once it has been held.' }]);
  }
  if (heldAt.getTime() < startedAt.getTime() - HELD_AT_SLACK_MS) {
    throw new ValidationError([{ path: 'heldAt', message: 'The mentorship had not started yet then.' }]);
  }
}

async function startedAtOf(db: DbClient, mentorshipId: string): Promise<Date> {
  const row = await db.mentorship.findUnique({ where: { id: mentorshipId }, select: { startedAt: true } });
  return row?.startedAt ?? new Date(0);
}

export async function recordCheckIn(ctx: Ctx, mentorshipId: string, data: CheckInData): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const { checkInId, mentorship } = await ctx.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    checkHeldAt(data.heldAt, await startedAtOf(tx, mentorshipId));
    const checkIn = await tx.checkIn.create({
      data: {
        mentorshipId,
        heldAt: data.heldAt,
        sharedNotes: data.sharedNotes,
        nextSteps: data.nextSteps,
        createdById: viewerId,
      },
      select: { id: true },
    });
    if (data.privateNote) {
      await tx.checkInPrivateNote.create({
        data: { checkInId: checkIn.id, authorId: viewerId, body: data.privateNote },
      });
    }
    await rescheduleCheckInNudge(tx, mentorshipId);
    return { checkInId: checkIn.id, mentorship };
  });
  publishMentorshipActivity(ctx.pubsub, {
    userIds: [mentorship.mentorId, mentorship.menteeId],
    kind: 'CHECK_IN_CHANGED',
    mentorshipId,
  });
  return checkInId;
}

async function mentorshipOfCheckIn(ctx: Ctx, checkInId: string, viewerId: string) {
  const found = await ctx.db.checkIn.findFirst({
    where: { id: checkInId, mentorship: { OR: [{ mentorId: viewerId }, { menteeId: viewerId }] } },
    select: { mentorshipId: true },
  });
  if (!found) throw new NotFoundError('That check-in');
  return found.mentorshipId;
}

export interface CheckInChanges {
  heldAt?: Date;
  sharedNotes?: string;
  nextSteps?: string;
  /** The viewer's own private note; "" removes it. */
  privateNote?: string;
}

/** Either member corrects the shared parts; each writes only their own private note. */
export async function updateCheckIn(ctx: Ctx, checkInId: string, changes: CheckInChanges): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  const mentorshipId = await mentorshipOfCheckIn(ctx, checkInId, viewerId);
  const mentorship = await ctx.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    if (changes.heldAt) checkHeldAt(changes.heldAt, await startedAtOf(tx, mentorshipId));
    await tx.checkIn.update({
      where: { id: checkInId },
      data: { heldAt: changes.heldAt, sharedNotes: changes.sharedNotes, nextSteps: changes.nextSteps },
    });
    if (changes.privateNote !== undefined) {
      const key = { checkInId_authorId: { checkInId, authorId: viewerId } };
      if (changes.privateNote === '')
        await tx.checkInPrivateNote.deleteMany({ where: { checkInId, authorId: viewerId } });
      else {
        await tx.checkInPrivateNote.upsert({
          where: key,
          create: { checkInId, authorId: viewerId, body: changes.privateNote },
          update: { body: changes.privateNote },
        });
      }
    }
    if (changes.heldAt) await rescheduleCheckInNudge(tx, mentorshipId);
    return mentorship;
  });
  publishMentorshipActivity(ctx.pubsub, {
    userIds: [mentorship.mentorId, mentorship.menteeId],
    kind: 'CHECK_IN_CHANGED',
    mentorshipId,
  });
}

export interface FeedbackData {
  rating: number;
  words: string;
  pairingWorking: boolean;
}

/** Once per side per check-in; the other side is told and sees it. */
export async function giveCheckInFeedback(ctx: Ctx, checkInId: string, data: FeedbackData): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  const mentorshipId = await mentorshipOfCheckIn(ctx, checkInId, viewerId);
  const { mentorship, notes } = await ctx.db
    .$transaction(async (tx) => {
      const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
      const given = await tx.checkInFeedback.count({ where: { checkInId, authorId: viewerId } });
      if (given > 0) throw alreadyGiven();
      await tx.checkInFeedback.create({ data: { checkInId, authorId: viewerId, ...data, createdAt: now() } });
      const other = mentorship.mentorId === viewerId ? mentorship.menteeId : mentorship.mentorId;
      const notes = await notify(tx, {
        recipientIds: [other],
        kind: checkInFeedbackKind,
        actorId: viewerId,
        subjectId: encodeGlobalId('CheckIn', checkInId),
        data: { mentorshipId, checkInId },
      });
      return { mentorship, notes };
    })
    .catch((error: unknown) => {
      // The key (checkIn, author) is the last word on "once per side".
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw alreadyGiven();
      throw error;
    });
  publishNotifications(ctx.pubsub, notes);
  publishMentorshipActivity(ctx.pubsub, {
    userIds: [mentorship.mentorId, mentorship.menteeId],
    kind: 'FEEDBACK_GIVEN',
    mentorshipId,
  });
}

function alreadyGiven(): ConflictError {
  return new ConflictError('FEEDBACK_ALREADY_GIVEN', 'You already gave feedback on this check-in.');
}
