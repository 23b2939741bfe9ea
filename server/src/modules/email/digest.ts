import { z } from 'zod';
import type { DbClient } from '../../db.js';
import type { EmailDigestFrequency } from '../../generated/prisma/enums.js';
import { now } from '../../lib/clock.js';
import { nextLocalTime, zonedDateTime } from '../../lib/time.js';
import { cancelJob, defineJob, pendingJobPayload, scheduleJob } from '../jobs/index.js';
import { channelEnabled, renderNotificationsForRecipient } from '../notifications/index.js';
import { defineEmailTemplate } from './email-templates.js';
import { queueEmail } from './outbox.js';

// The daily or weekly digest (User.emailDigest): at 08:00 in the member's time zone (weekly: on
// Mondays), one email listing the notifications that are new since the last digest — unread, of a
// kind whose digest channel is on, visible to the member now, and not listed before. Nothing new,
// nothing sent.
//
// Each member with a digest has one pending "email.digest" job (key email.digest:<user id>). It
// runs in the job's transaction: it queues the email (which schedules its delivery) and schedules
// the next digest, so the chain is recurring and a crash repeats neither. The next time is worked
// out from the member's zone when each digest runs, so a change of zone counts from the next one.

export const DIGEST_LOCAL_TIME = '08:00';
/** ISO weekday of the weekly digest (1 = Monday). */
export const WEEKLY_DIGEST_DAY = 1;
/** At most this many notifications in one digest (the newest); the email links to the full list. */
export const DIGEST_MAX_ITEMS = 50;

type DigestFrequency = Exclude<EmailDigestFrequency, 'OFF'>;

export const digestKey = (userId: string) => `email.digest:${userId}`;

/** The first digest time after `after` for this zone and frequency (local wall clock, via lib/time). */
export function nextDigestAt(after: Date, zone: string, frequency: DigestFrequency): Date {
  let at = nextLocalTime(after, zone, DIGEST_LOCAL_TIME);
  if (frequency === 'WEEKLY') {
    while (zonedDateTime(at, zone).dayOfWeek !== WEEKLY_DIGEST_DAY) at = nextLocalTime(at, zone, DIGEST_LOCAL_TIME);
  }
  return at;
}

/** One period before `instant` on the member's wall clock (a DST day is 23 or 25 hours long). */
function periodBefore(instant: Date, zone: string, frequency: DigestFrequency): Date {
  const zoned = zonedDateTime(instant, zone).subtract({ days: frequency === 'WEEKLY' ? 7 : 1 });
  return new Date(zoned.epochMilliseconds);
}

// `since`: the instant the previous digest covered up to (or the choice was made); the next one lists
// what came after it, however late it runs. Jobs scheduled before it existed fall back to one period.
const digestJobPayload = z.object({ userId: z.uuid(), since: z.iso.datetime().optional() });

/** A digest never reaches further back than this, however long the chain was interrupted. */
const DIGEST_MAX_LOOKBACK_MS = 31 * 24 * 3600_000;

export const digestJob = defineJob('email.digest', {
  payload: digestJobPayload,
  mode: 'transaction',
  run: async ({ userId, since }, { db, now: at }) => {
    // The member row first, as setEmailDigest takes it: a change of choice made while this runs
    // waits for it and then replaces the job this schedules (or this waits for the change).
    const [user] = await db.$queryRaw<Array<{ emailDigest: EmailDigestFrequency; timeZone: string }>>`
      SELECT "emailDigest"::text AS "emailDigest", "timeZone" FROM "User" WHERE "id" = ${userId}::uuid FOR UPDATE`;
    if (!user || user.emailDigest === 'OFF') return; // switched off: the chain ends here
    const frequency = user.emailDigest;
    const from = since ? new Date(since) : periodBefore(at, user.timeZone, frequency);
    await collectDigest(
      db,
      userId,
      frequency,
      new Date(Math.max(from.getTime(), at.getTime() - DIGEST_MAX_LOOKBACK_MS)),
      at,
    );
    await scheduleJob(
      db,
      digestJob,
      { userId, since: at.toISOString() },
      { runAt: nextDigestAt(at, user.timeZone, frequency), key: digestKey(userId) },
    );
  },
});

/** Queues this member's digest when there is something new; returns the notifications it lists. */
async function collectDigest(
  db: DbClient,
  userId: string,
  frequency: DigestFrequency,
  from: Date,
  at: Date,
): Promise<string[]> {
  const candidates = await db.notification.findMany({
    where: { recipientId: userId, readAt: null, createdAt: { gt: from, lte: at } },
    orderBy: { id: 'desc' },
    select: { id: true, kind: true },
    // Some may be hidden, listed already or of a kind kept out of the digest: look further than one digest holds.
    take: DIGEST_MAX_ITEMS * 4,
  });
  if (candidates.length === 0) return [];
  // The member's digest channel, per kind (a kind that never goes into digests has it off).
  const kinds = [...new Set(candidates.map((row) => row.kind))];
  const wanted = new Set<string>();
  for (const kind of kinds) if (await channelEnabled(db, userId, kind, 'digest')) wanted.add(kind);
  const listed = await db.emailDigestItem.findMany({
    where: { notificationId: { in: candidates.filter((row) => wanted.has(row.kind)).map((row) => row.id) } },
    select: { notificationId: true },
  });
  const seen = new Set(listed.map((row) => row.notificationId));
  const fresh = candidates.filter((row) => wanted.has(row.kind) && !seen.has(row.id)).map((row) => row.id);
  if (fresh.length === 0) return [];
  // Only what the member may see now goes in (rendering checks each kind's rule).
  const visible = (await renderNotificationsForRecipient(db, userId, fresh)).slice(0, DIGEST_MAX_ITEMS);
  if (visible.length === 0) return [];
  const ids = visible.map((item) => item.id);
  const { outboxId } = await queueEmail(db, {
    toUserId: userId,
    template: digestTemplate,
    data: { frequency, notificationIds: ids },
  });
  await db.emailDigestItem.createMany({
    data: ids.map((notificationId) => ({ notificationId, userId, outboxId, createdAt: at })),
    skipDuplicates: true,
  });
  return ids;
}

export const digestTemplate = defineEmailTemplate({
  name: 'digest',
  category: 'DIGEST',
  data: z.object({
    frequency: z.enum(['DAILY', 'WEEKLY']),
    notificationIds: z.array(z.uuid()).min(1).max(DIGEST_MAX_ITEMS),
  }),
  render: async ({ frequency, notificationIds }, { db, env, recipient }) => {
    if (!recipient) return null;
    // Rendered again at send time: whatever the member can no longer see drops out.
    const items = await renderNotificationsForRecipient(db, recipient.id, notificationIds, {
      webOrigin: env.PUBLIC_ORIGIN,
    });
    if (items.length === 0) return null;
    const period = frequency === 'WEEKLY' ? 'weekly' : 'daily';
    const count = items.length === 1 ? '1 new notification' : `${items.length} new notifications`;
    return {
      content: {
        subject: `Your ${period} Guildhall digest: ${count}`,
        greeting: `Hello ${recipient.name},`,
        paragraphs: [`Here is what happened since your last digest (${count}).`],
        items: items.map((item) => ({ label: item.text, url: new URL(item.href, env.PUBLIC_ORIGIN).toString() })),
        action: { label: 'See all notifications', url: new URL('/notifications', env.PUBLIC_ORIGIN).toString() },
      },
      unsubscribe: { kind: 'digest' },
      reason: `You get this email because you chose a ${period} digest of your unread notifications.`,
      settingsPath: EMAIL_SETTINGS_PATH,
    };
  },
});

/** The web app's page for the digest choice and the address. */
export const EMAIL_SETTINGS_PATH = '/settings/email';

/** Sets the member's digest and (re)schedules its job from now, in `tx`. */
export async function setEmailDigest(tx: DbClient, userId: string, frequency: EmailDigestFrequency): Promise<void> {
  // Updating the row locks it first, as the digest job does (see digestJob).
  const user = await tx.user.update({
    where: { id: userId },
    data: { emailDigest: frequency },
    select: { timeZone: true },
  });
  // Switching between daily and weekly keeps what the pending digest would have covered.
  const previous = await pendingJobPayload(tx, digestJob, digestKey(userId));
  await cancelJob(tx, digestKey(userId));
  if (frequency === 'OFF') return;
  const since = previous?.since ?? now().toISOString();
  await scheduleJob(
    tx,
    digestJob,
    { userId, since },
    { runAt: nextDigestAt(now(), user.timeZone, frequency), key: digestKey(userId) },
  );
}
