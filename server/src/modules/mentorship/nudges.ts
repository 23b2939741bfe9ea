import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { DbClient } from '../../db.js';
import { now } from '../../lib/clock.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { cancelJob, defineJob, scheduleJob } from '../jobs/index.js';
import { notify, publishNotifications } from '../notifications/index.js';
import { checkInMissedKind, goalOverdueKind, goalStaleKind } from './nudges.notifications.js';

// Nudges by jobs: an overdue goal, a goal with no progress for STALE_AFTER_DAYS, and an agreed
// cadence passed without a check-in (plus CHECK_IN_GRACE_DAYS) notify both members. Each has one
// pending job per goal or mentorship (by key), rescheduled by every change that moves its moment
// (a new due date, progress, a check-in, an accepted agreement) and cancelled when the goal is
// closed or the mentorship ends. A job re-checks everything when it runs, so a stale one is harmless.

const DAY_MS = 24 * 3600_000;
export const STALE_AFTER_DAYS = 14;
export const CHECK_IN_GRACE_DAYS = 3;
export const CADENCE_DAYS = { WEEKLY: 7, BIWEEKLY: 14, MONTHLY: 30 } as const;

const overdueKey = (goalId: string) => `mentorship.goal-overdue:${goalId}`;
const staleKey = (goalId: string) => `mentorship.goal-stale:${goalId}`;
const checkInKey = (mentorshipId: string) => `mentorship.check-in-due:${mentorshipId}`;

/** A stored @db.Date (midnight UTC) as the calendar day it names. */
export function plainDateOf(date: Date): Temporal.PlainDate {
  return Temporal.PlainDate.from(date.toISOString().slice(0, 10));
}

/** The instant the due day is over in `zone` (the mentee's: a goal is theirs). */
export function dueDayEndsAt(dueOn: Date, zone: string): Date {
  const next = plainDateOf(dueOn).add({ days: 1 });
  return new Date(next.toZonedDateTime({ timeZone: zone }).epochMilliseconds);
}

// Notifications are pushed live only after the job's transaction commits: the nudge schedules this
// job, which a runner can claim only once that transaction is visible. Publishing twice is harmless.
const publishJob = defineJob('mentorship.publish-nudges', {
  payload: z.object({
    notes: z.array(z.object({ id: z.uuid(), recipientId: z.uuid(), inApp: z.boolean() })),
  }),
  mode: 'outside',
  run: async ({ notes }, { services }) => {
    publishNotifications(services.pubsub, notes);
  },
});

async function notifyBoth<D>(
  db: DbClient,
  mentorship: { mentorId: string; menteeId: string },
  kind: Parameters<typeof notify<D>>[1]['kind'],
  subjectId: string,
  data: D,
): Promise<void> {
  const notes = await notify(db, {
    recipientIds: [mentorship.mentorId, mentorship.menteeId],
    kind,
    actorId: null,
    subjectId,
    data,
  });
  if (notes.length > 0) await scheduleJob(db, publishJob, { notes });
}

// ── goals ────────────────────────────────────────────────────────────────

const goalPayload = z.object({ goalId: z.uuid() });

async function goalForNudge(db: DbClient, goalId: string) {
  const rows = await db.$queryRaw<
    Array<{
      id: string;
      status: string;
      dueOn: Date;
      lastProgressAt: Date;
      mentorshipId: string;
      mentorshipStatus: string;
      mentorId: string;
      menteeId: string;
      zone: string;
    }>
  >`
    SELECT g."id", g."status"::text AS "status", g."dueOn", g."lastProgressAt", m."id" AS "mentorshipId",
           m."status"::text AS "mentorshipStatus", m."mentorId", m."menteeId", u."timeZone" AS "zone"
      FROM "Goal" g JOIN "Mentorship" m ON m."id" = g."mentorshipId" JOIN "User" u ON u."id" = m."menteeId"
     WHERE g."id" = ${goalId}::uuid
       FOR UPDATE OF g`;
  const goal = rows[0];
  return goal && goal.status === 'ACTIVE' && goal.mentorshipStatus === 'ACTIVE' ? goal : null;
}

const goalOverdueJob = defineJob('mentorship.goal-overdue', {
  payload: goalPayload,
  run: async ({ goalId }, { db, now: at }) => {
    const goal = await goalForNudge(db, goalId);
    if (!goal) return;
    const endsAt = dueDayEndsAt(goal.dueOn, goal.zone);
    // The due date moved later (or the mentee's zone changed) without this job hearing of it.
    if (at < endsAt) {
      await scheduleJob(db, goalOverdueJob, { goalId }, { runAt: endsAt, key: overdueKey(goalId) });
      return;
    }
    await notifyBoth(db, goal, goalOverdueKind, encodeGlobalId('Goal', goalId), {
      mentorshipId: goal.mentorshipId,
      goalId,
    });
  },
});

const goalStaleJob = defineJob('mentorship.goal-stale', {
  payload: goalPayload,
  run: async ({ goalId }, { db, now: at }) => {
    const goal = await goalForNudge(db, goalId);
    if (!goal) return;
    const staleAt = new Date(goal.lastProgressAt.getTime() + STALE_AFTER_DAYS * DAY_MS);
    if (at >= staleAt) {
      await notifyBoth(db, goal, goalStaleKind, encodeGlobalId('Goal', goalId), {
        mentorshipId: goal.mentorshipId,
        goalId,
        days: Math.floor((at.getTime() - goal.lastProgressAt.getTime()) / DAY_MS),
      });
    }
    // Still quiet after another period: nudge again then (progress reschedules it).
    const next = at >= staleAt ? new Date(at.getTime() + STALE_AFTER_DAYS * DAY_MS) : staleAt;
    await scheduleJob(db, goalStaleJob, { goalId }, { runAt: next, key: staleKey(goalId) });
  },
});

/** After a goal is made, its due date changes or progress is recorded: both nudges from now. */
export async function scheduleGoalNudges(
  tx: DbClient,
  goal: { id: string; dueOn: Date; lastProgressAt: Date },
  menteeZone: string,
): Promise<void> {
  await cancelGoalNudges(tx, goal.id);
  await scheduleJob(
    tx,
    goalOverdueJob,
    { goalId: goal.id },
    { runAt: dueDayEndsAt(goal.dueOn, menteeZone), key: overdueKey(goal.id) },
  );
  await scheduleJob(
    tx,
    goalStaleJob,
    { goalId: goal.id },
    { runAt: new Date(goal.lastProgressAt.getTime() + STALE_AFTER_DAYS * DAY_MS), key: staleKey(goal.id) },
  );
}

export async function cancelGoalNudges(tx: DbClient, goalId: string): Promise<void> {
  await cancelJob(tx, overdueKey(goalId));
  await cancelJob(tx, staleKey(goalId));
}

// ── check-ins ────────────────────────────────────────────────────────────

interface CadenceFacts {
  cadence: keyof typeof CADENCE_DAYS;
  /** The last check-in held, or when the agreement began. */
  since: Date;
}

async function cadenceFacts(db: DbClient, mentorshipId: string): Promise<CadenceFacts | null> {
  const agreement = await db.mentorshipAgreement.findFirst({
    where: { mentorshipId, status: 'ACCEPTED' },
    orderBy: { version: 'desc' },
    select: { cadence: true, startsOn: true, acceptedAt: true },
  });
  if (!agreement) return null;
  const last = await db.checkIn.findFirst({
    where: { mentorshipId },
    orderBy: { heldAt: 'desc' },
    select: { heldAt: true },
  });
  const began = Math.max(agreement.startsOn.getTime(), agreement.acceptedAt?.getTime() ?? 0);
  const since = last ? Math.max(last.heldAt.getTime(), began) : began;
  return { cadence: agreement.cadence, since: new Date(since) };
}

function checkInDueAt(facts: CadenceFacts): Date {
  return new Date(facts.since.getTime() + (CADENCE_DAYS[facts.cadence] + CHECK_IN_GRACE_DAYS) * DAY_MS);
}

const checkInDueJob = defineJob('mentorship.check-in-due', {
  payload: z.object({ mentorshipId: z.uuid() }),
  run: async ({ mentorshipId }, { db, now: at }) => {
    const [mentorship] = await db.$queryRaw<Array<{ status: string; mentorId: string; menteeId: string }>>`
      SELECT "status"::text AS "status", "mentorId", "menteeId" FROM "Mentorship" WHERE "id" = ${mentorshipId}::uuid FOR UPDATE`;
    if (mentorship?.status !== 'ACTIVE') return;
    const facts = await cadenceFacts(db, mentorshipId);
    if (!facts) return;
    const dueAt = checkInDueAt(facts);
    if (at >= dueAt) {
      await notifyBoth(db, mentorship, checkInMissedKind, encodeGlobalId('Mentorship', mentorshipId), {
        mentorshipId,
        cadence: facts.cadence,
      });
    }
    // Missed again by the next period: nudge again then (a check-in reschedules it).
    const next = at >= dueAt ? new Date(at.getTime() + CADENCE_DAYS[facts.cadence] * DAY_MS) : dueAt;
    await scheduleJob(db, checkInDueJob, { mentorshipId }, { runAt: next, key: checkInKey(mentorshipId) });
  },
});

/**
 * (Re)schedules the missed-check-in nudge from the agreement in force and the last check-in. Call in
 * the transaction that records or moves a check-in, or accepts an agreement (its cadence).
 */
export async function rescheduleCheckInNudge(tx: DbClient, mentorshipId: string): Promise<void> {
  await cancelJob(tx, checkInKey(mentorshipId));
  const facts = await cadenceFacts(tx, mentorshipId);
  if (!facts) return;
  const dueAt = checkInDueAt(facts);
  const runAt = dueAt.getTime() < now().getTime() ? now() : dueAt;
  await scheduleJob(tx, checkInDueJob, { mentorshipId }, { runAt, key: checkInKey(mentorshipId) });
}

/** Every pending nudge of a mentorship, when it ends. */
export async function cancelMentorshipNudges(tx: DbClient, mentorshipId: string): Promise<void> {
  await cancelJob(tx, checkInKey(mentorshipId));
  const goals = await tx.goal.findMany({ where: { mentorshipId }, select: { id: true } });
  for (const goal of goals) await cancelGoalNudges(tx, goal.id);
}
