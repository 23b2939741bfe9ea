import { z } from 'zod';
import type { AppServices } from '../../context.js';
import type { DbClient } from '../../db.js';
import { now } from '../../lib/clock.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { cancelJob, defineJob, scheduleJob } from '../jobs/index.js';
import { type CreatedNotification, notify, publishNotifications } from '../notifications/index.js';
import { publishIntroductionChange } from './introductions.events.js';
import { introductionDidNotHappen, introductionExpired, introductionFollowUp } from './introductions.notifications.js';

// The introductions' scheduled work: a step that runs out (introductions.step-expiry, one per
// introduction while it waits for the broker or the target, keyed by it and moved when it is
// forwarded, cancelled when it is answered) and "did you connect?" (introductions.follow-up,
// INTRODUCTIONS_FOLLOW_UP_DAYS after acceptance). Both run outside a transaction of the runner's
// and make their own, so the people are told only after the change commits; both change nothing
// when run again (each acts only on the state it expects, behind the row lock; the follow-up only
// if nobody was asked yet).

type Services = Pick<AppServices, 'db' | 'pubsub' | 'env'>;

export const DAY_MS = 24 * 60 * 60 * 1000;

export const expiryKey = (introductionId: string) => `introductions.expiry:${introductionId}`;
export const followUpKey = (introductionId: string) => `introductions.follow-up:${introductionId}`;
export const subjectOf = (introductionId: string) => encodeGlobalId('Introduction', introductionId);

const payload = z.object({ introductionId: z.uuid() });

/** (Re)schedules the current step's expiry at `runAt`: the earlier step's job, if any, goes. */
export async function scheduleStepExpiry(tx: DbClient, introductionId: string, runAt: Date): Promise<void> {
  await cancelJob(tx, expiryKey(introductionId));
  await scheduleJob(tx, stepExpiryJob, { introductionId }, { runAt, key: expiryKey(introductionId) });
}

export async function cancelStepExpiry(tx: DbClient, introductionId: string): Promise<void> {
  await cancelJob(tx, expiryKey(introductionId));
}

export async function scheduleFollowUp(tx: DbClient, introductionId: string, runAt: Date): Promise<void> {
  await scheduleJob(tx, followUpJob, { introductionId }, { runAt, key: followUpKey(introductionId) });
}

/**
 * Closes a step that ran out: REQUESTED → BROKER_EXPIRED (the requester told the broker did not get
 * to it, the broker that it lapsed), FORWARDED → TARGET_EXPIRED (the requester told only that it did
 * not happen, as for a decline; the broker and the target that it lapsed). A target who declined
 * before: the requester is told now, the same way (the decline is kept from them until the step's
 * end). True when it changed something.
 */
export async function expireIntroductionStep(services: Services, introductionId: string): Promise<boolean> {
  const outcome = await services.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Introduction" WHERE "id" = ${introductionId}::uuid FOR UPDATE`;
    const at = now();
    const row = await tx.introduction.findUnique({ where: { id: introductionId } });
    if (!row?.expiresAt || row.expiresAt.getTime() > at.getTime()) return null;
    if (row.status === 'TARGET_DECLINED') return tellDeclineAtStepEnd(tx, row);
    if (row.status !== 'REQUESTED' && row.status !== 'FORWARDED') return null;
    const forwarded = row.status === 'FORWARDED';
    await tx.introduction.update({
      where: { id: row.id },
      data: { status: forwarded ? 'TARGET_EXPIRED' : 'BROKER_EXPIRED', closedAt: at, expiresAt: null },
    });
    const subjectId = subjectOf(row.id);
    const data = { introductionId: row.id };
    const notifications: CreatedNotification[] = [];
    if (forwarded) {
      notifications.push(
        ...(await notify(tx, { kind: introductionDidNotHappen, recipientIds: [row.requesterId], subjectId, data })),
        ...(await notify(tx, {
          kind: introductionExpired,
          recipientIds: [row.brokerId, row.targetId],
          subjectId,
          data,
        })),
      );
    } else {
      notifications.push(
        ...(await notify(tx, {
          kind: introductionExpired,
          recipientIds: [row.requesterId, row.brokerId],
          subjectId,
          data,
        })),
      );
    }
    return { row, notifications, onlyRequester: false };
  });
  if (!outcome) return false;
  publishNotifications(services.pubsub, outcome.notifications);
  if (outcome.onlyRequester) {
    const userId = outcome.row.requesterId;
    services.pubsub.publish('introductions:changed', userId, { userId, introductionId: outcome.row.id });
  } else {
    publishIntroductionChange(services.pubsub, outcome.row);
  }
  return true;
}

/**
 * The end of the target's step after they declined: the requester is told now what a lapse tells
 * them (the same kind, data and moment, and a live nudge); the broker and the target knew already.
 * The deadline is cleared, so a second run tells nobody again.
 */
async function tellDeclineAtStepEnd<R extends { id: string; requesterId: string }>(tx: DbClient, row: R) {
  await tx.introduction.update({ where: { id: row.id }, data: { expiresAt: null } });
  const notifications = await notify(tx, {
    kind: introductionDidNotHappen,
    recipientIds: [row.requesterId],
    subjectId: subjectOf(row.id),
    data: { introductionId: row.id },
  });
  return { row, notifications, onlyRequester: true };
}

/** Asks the requester and the target of an accepted introduction "did you connect?" (each who has not answered yet). */
export async function askFollowUp(services: Services, introductionId: string): Promise<boolean> {
  const outcome = await services.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Introduction" WHERE "id" = ${introductionId}::uuid FOR UPDATE`;
    const row = await tx.introduction.findUnique({ where: { id: introductionId } });
    if (row?.status !== 'ACCEPTED') return null;
    // A second run (after a crash between commit and the job's removal) asks nobody again.
    const asked = await tx.notification.count({
      where: { kind: introductionFollowUp.kind, subjectId: subjectOf(row.id) },
    });
    if (asked > 0) return null;
    const recipientIds = [
      ...(row.requesterFollowUp ? [] : [row.requesterId]),
      ...(row.targetFollowUp ? [] : [row.targetId]),
    ];
    const notifications = await notify(tx, {
      kind: introductionFollowUp,
      recipientIds,
      subjectId: subjectOf(row.id),
      data: { introductionId: row.id },
    });
    return { row, notifications };
  });
  if (!outcome) return false;
  publishNotifications(services.pubsub, outcome.notifications);
  // followUpAskedAt now reads a time for all three.
  publishIntroductionChange(services.pubsub, outcome.row);
  return true;
}

export const stepExpiryJob = defineJob('introductions.step-expiry', {
  payload,
  mode: 'outside',
  async run({ introductionId }, ctx) {
    await expireIntroductionStep(ctx.services, introductionId);
  },
});

export const followUpJob = defineJob('introductions.follow-up', {
  payload,
  mode: 'outside',
  async run({ introductionId }, ctx) {
    await askFollowUp(ctx.services, introductionId);
  },
});
