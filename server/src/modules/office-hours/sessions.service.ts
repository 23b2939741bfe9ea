import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { AppServices } from '../../context.js';
import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import { now } from '../../lib/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { zonedDateTime } from '../../lib/time.js';
import { cancelJob, cancelJobs, defineJob, scheduleJob, scheduleJobs } from '../jobs/index.js';
import {
  type Interval,
  type LockedMentorship,
  lockMentorship,
  onMentorshipEnded,
  plainDateOf,
  publishMentorshipActivity,
  rescheduleCheckInNudge,
  visibleMentorshipsWhere,
  type Weekly,
  type WorkingHours,
} from '../mentorship/index.js';
import { type CreatedNotification, notify, publishNotifications } from '../notifications/index.js';
import { bookSeatInTransaction, cancelBookingsOfSlots } from './bookings.changes.js';
import {
  sessionMissedKind,
  sessionsCancelledKind,
  sessionsConfirmedKind,
  sessionsProposedKind,
} from './sessions.notifications.js';
import {
  type Candidate,
  type Cadence,
  EVERY_WEEKS,
  FIRST_SESSION_LEAD_MS,
  firstOutside,
  localMinute,
  proposeTimes,
  ruleFrom,
  type SeriesTerms,
  sessionInWords,
  sessionLabel,
  type Session,
  sessionsOf,
} from './sessions.times.js';
import { expandOccurrences } from './recurrence.js';
import {
  assertNoSlotConflict,
  lockHostSchedule,
  seriesRuleSelect,
  slotInWords as sessionStartInWords,
  storedRule,
  syncSlots,
} from './slots.service.js';

// A mentorship's sessions: the accepted agreement (cadence, session length, format) and both members'
// working hours give the times; either side proposes a private PAIR series (host = the mentor, in the
// mentor's zone, one seat); the other side confirms it (slots made, the mentee booked in each) or
// declines; either side cancels it, and ending the mentorship cancels it too (mentorship's ending
// hook). A session marked held is the agreement's check-in (a CheckIn row with its slot); one nobody
// marked held a day after it ended nudges both.
//
// Locks: the Mentorship row first (FOR UPDATE, as every write of mentorship takes it: ending it waits
// for us and we for it), then the OfficeHours row (FOR NO KEY UPDATE), then its slots in id order.

type Services = Pick<AppServices, 'db' | 'pubsub'>;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;
/** A session nobody marked held is missed this long after it ended. */
export const MISSED_AFTER_MS = DAY_MS;
/** Proposals are computed with this many and sliced: the scan costs the same. */
export const MAX_PROPOSALS = 14;

// ── the terms: agreement + both members' hours ────────────────────────────

export interface PairTerms {
  terms: SeriesTerms;
  cadence: Cadence;
  format: string;
  mentorName: string;
  menteeName: string;
  /** The agreement's first day, as the instant it begins in the mentor's zone. */
  startsAt: Date;
}

export type TermsBlocker = { code: string; message: string };

function weeklyOf(row: { timeZone: string; weeklyHours: Prisma.JsonValue } | null): Weekly | null {
  if (!row) return null;
  const hours = Array.isArray(row.weeklyHours) ? (row.weeklyHours as unknown as WorkingHours[]) : [];
  return hours.length > 0 ? { timeZone: row.timeZone, weeklyHours: hours } : null;
}

/** What the schedule is made from, or why there is nothing to make it from (in words). */
export async function pairTerms(
  db: DbClient,
  mentorship: { id: string; mentorId: string; menteeId: string; status: string },
  at: Date,
): Promise<PairTerms | TermsBlocker> {
  if (mentorship.status !== 'ACTIVE') {
    return { code: 'MENTORSHIP_ENDED', message: 'This mentorship has ended: it has no more sessions.' };
  }
  const [agreement, mentorProfile, menteeNeeds, people] = await Promise.all([
    db.mentorshipAgreement.findFirst({
      where: { mentorshipId: mentorship.id, status: 'ACCEPTED' },
      orderBy: { version: 'desc' },
      select: { cadence: true, format: true, sessionMinutes: true, startsOn: true, plannedEndOn: true },
    }),
    db.mentorProfile.findUnique({
      where: { userId: mentorship.mentorId },
      select: { timeZone: true, weeklyHours: true },
    }),
    db.menteeNeeds.findUnique({
      where: { userId: mentorship.menteeId },
      select: { timeZone: true, weeklyHours: true },
    }),
    db.user.findMany({
      where: { id: { in: [mentorship.mentorId, mentorship.menteeId] } },
      select: { id: true, name: true },
    }),
  ]);
  const nameOf = (id: string) => people.find((person) => person.id === id)?.name ?? 'Your partner';
  const mentorName = nameOf(mentorship.mentorId);
  const menteeName = nameOf(mentorship.menteeId);
  if (!agreement) {
    return {
      code: 'NO_AGREEMENT',
      message: "Agree on your terms first: the agreement's cadence and session length set the schedule.",
    };
  }
  const mentor = weeklyOf(mentorProfile);
  if (!mentor) {
    return { code: 'NO_WORKING_HOURS', message: `${mentorName} has no working hours in their mentor profile yet.` };
  }
  const mentee = weeklyOf(menteeNeeds);
  if (!mentee) {
    return {
      code: 'NO_WORKING_HOURS',
      message: `${menteeName} has not given their working hours yet (in what they look for in a mentor).`,
    };
  }
  const untilDate = plainDateOf(agreement.plannedEndOn);
  const today = zonedDateTime(at, mentor.timeZone).toPlainDate();
  if (Temporal.PlainDate.compare(untilDate, today) < 0) {
    return {
      code: 'AGREEMENT_OVER',
      message: `The agreement's planned end, ${untilDate.toString()}, has passed: agree on new terms first.`,
    };
  }
  const startsAt = new Date(
    plainDateOf(agreement.startsOn).toZonedDateTime({ timeZone: mentor.timeZone }).epochMilliseconds,
  );
  return {
    terms: {
      mentor,
      mentee,
      everyWeeks: EVERY_WEEKS[agreement.cadence],
      durationMinutes: agreement.sessionMinutes,
      untilDate,
    },
    cadence: agreement.cadence,
    format: agreement.format,
    mentorName,
    menteeName,
    startsAt,
  };
}

export function isBlocker(value: PairTerms | TermsBlocker): value is TermsBlocker {
  return 'code' in value;
}

export interface SessionTimeProposal {
  startsAt: Date;
  everyWeeks: number;
  durationMinutes: number;
  mentorLocal: string;
  menteeLocal: string;
  mentorTimeZone: string;
  menteeTimeZone: string;
  label: string;
}

export interface Proposals {
  proposals: SessionTimeProposal[];
  blocker: string | null;
}

function proposalOf(candidate: Candidate, pair: PairTerms): SessionTimeProposal {
  const startsAt = candidate.sessions[0]!.startsAt;
  const { mentor, mentee, everyWeeks, durationMinutes } = pair.terms;
  return {
    startsAt,
    everyWeeks,
    durationMinutes,
    mentorLocal: localMinute(startsAt, mentor.timeZone),
    menteeLocal: localMinute(startsAt, mentee.timeZone),
    mentorTimeZone: mentor.timeZone,
    menteeTimeZone: mentee.timeZone,
    label: sessionLabel(startsAt, everyWeeks, mentor.timeZone, mentee.timeZone),
  };
}

/** Times for the pair's series in the week from now (or the agreement's start), or why there are none. */
export async function sessionTimeProposals(
  db: DbClient,
  mentorship: { id: string; mentorId: string; menteeId: string; status: string },
): Promise<Proposals> {
  const at = now();
  const pair = await pairTerms(db, mentorship, at);
  if (isBlocker(pair)) return { proposals: [], blocker: pair.message };
  const from = new Date(Math.max(at.getTime() + FIRST_SESSION_LEAD_MS, pair.startsAt.getTime()));
  // The mentor's other office hours (each with its buffer around it) are not free.
  const others = await db.officeHourSlot.findMany({
    where: {
      cancelledAt: null,
      endsAt: { gt: at },
      officeHours: {
        hostId: mentorship.mentorId,
        status: 'ACTIVE',
        OR: [{ mentorshipId: null }, { mentorshipId: { not: mentorship.id } }],
      },
    },
    select: { startsAt: true, endsAt: true, officeHours: { select: { bufferMinutes: true } } },
  });
  const busy = others.map(
    (slot): Interval => [
      slot.startsAt.getTime() - slot.officeHours.bufferMinutes * MINUTE_MS,
      slot.endsAt.getTime() + slot.officeHours.bufferMinutes * MINUTE_MS,
    ],
  );
  const candidates = proposeTimes(pair.terms, from, MAX_PROPOSALS, busy);
  if (candidates.length === 0) {
    const { mentor, mentee, durationMinutes } = pair.terms;
    return {
      proposals: [],
      blocker: `No ${durationMinutes}-minute time in the coming week is inside both ${pair.mentorName}'s working hours (${mentor.timeZone}) and ${pair.menteeName}'s (${mentee.timeZone}), for every session until the agreement's planned end.`,
    };
  }
  return { proposals: candidates.map((candidate) => proposalOf(candidate, pair)), blocker: null };
}

// ── locks and reads ──────────────────────────────────────────────────────

interface SeriesRow {
  id: string;
  status: 'PROPOSED' | 'ACTIVE' | 'CANCELLED';
  mentorshipId: string;
  proposedById: string | null;
  hostId: string;
}

async function lockSeries(tx: DbClient, officeHoursId: string): Promise<SeriesRow> {
  const [row] = await tx.$queryRaw<SeriesRow[]>`
    SELECT "id", "status"::text AS "status", "mentorshipId", "proposedById", "hostId"
      FROM "OfficeHours" WHERE "id" = ${officeHoursId}::uuid AND "audience" = 'PAIR'
       FOR NO KEY UPDATE`;
  if (!row) throw new NotFoundError('Those sessions');
  return row;
}

/** The pair series' mentorship, if the viewer is one of its two members (else not found). */
async function mentorshipOfSeries(db: DbClient, officeHoursId: string, viewerId: string): Promise<string> {
  const found = await db.officeHours.findFirst({
    where: { id: officeHoursId, audience: 'PAIR', mentorship: visibleMentorshipsWhere(viewerId) },
    select: { mentorshipId: true },
  });
  if (!found?.mentorshipId) throw new NotFoundError('Those sessions');
  return found.mentorshipId;
}

const otherSide = (mentorship: { mentorId: string; menteeId: string }, viewerId: string) =>
  mentorship.mentorId === viewerId ? mentorship.menteeId : mentorship.mentorId;

// ── missed sessions ──────────────────────────────────────────────────────

const missedKey = (slotId: string) => `office-hours.session-missed:${slotId}`;

// Notifications a job made are pushed live once its transaction committed (mentorship's nudges do
// the same): publishing twice is harmless.
const publishJob = defineJob('office-hours.sessions-publish', {
  payload: z.object({
    notes: z.array(z.object({ id: z.uuid(), recipientId: z.uuid(), inApp: z.boolean() })),
  }),
  mode: 'outside',
  run: async ({ notes }, { services }) => {
    publishNotifications(services.pubsub, notes);
  },
});

const sessionMissedJob = defineJob('office-hours.session-missed', {
  payload: z.object({ slotId: z.uuid() }),
  run: async ({ slotId }, { db, now: at }) => {
    // The mentorship's row first, as markSessionHeld takes it: the two are applied one after the other.
    const [row] = await db.$queryRaw<
      Array<{
        startsAt: Date;
        endsAt: Date;
        cancelledAt: Date | null;
        seriesStatus: string;
        mentorshipId: string;
        mentorshipStatus: string;
        mentorId: string;
        menteeId: string;
      }>
    >`
      SELECT s."startsAt", s."endsAt", s."cancelledAt", o."status"::text AS "seriesStatus", m."id" AS "mentorshipId",
             m."status"::text AS "mentorshipStatus", m."mentorId", m."menteeId"
        FROM "OfficeHourSlot" s JOIN "OfficeHours" o ON o."id" = s."officeHoursId"
        JOIN "Mentorship" m ON m."id" = o."mentorshipId"
       WHERE s."id" = ${slotId}::uuid
         FOR UPDATE OF m`;
    if (!row || row.cancelledAt || row.seriesStatus !== 'ACTIVE' || row.mentorshipStatus !== 'ACTIVE') return;
    const dueAt = new Date(row.endsAt.getTime() + MISSED_AFTER_MS);
    // The slot moved later since this job was scheduled.
    if (at < dueAt) {
      await scheduleJob(db, sessionMissedJob, { slotId }, { runAt: dueAt, key: missedKey(slotId) });
      return;
    }
    // Marked held, or a check-in recorded by hand around it (they met and wrote it down that way).
    const held = await db.checkIn.count({
      where: {
        OR: [
          { slotId },
          {
            mentorshipId: row.mentorshipId,
            slotId: null,
            heldAt: { gte: new Date(row.startsAt.getTime() - DAY_MS), lte: dueAt },
          },
        ],
      },
    });
    if (held > 0) return;
    const notes = await notify(db, {
      recipientIds: [row.mentorId, row.menteeId],
      kind: sessionMissedKind,
      actorId: null,
      subjectId: encodeGlobalId('OfficeHourSlot', slotId),
      data: { mentorshipId: row.mentorshipId, slotId },
    });
    if (notes.length > 0) await scheduleJob(db, publishJob, { notes });
  },
});

async function scheduleMissedChecks(tx: DbClient, slotIds: readonly string[]): Promise<void> {
  if (slotIds.length === 0) return;
  const slots = await tx.officeHourSlot.findMany({
    where: { id: { in: [...slotIds] } },
    select: { id: true, endsAt: true },
  });
  // One statement for the whole series (up to 104 sessions): the confirm's transaction stays short.
  await scheduleJobs(
    tx,
    sessionMissedJob,
    slots.map((slot) => ({
      payload: { slotId: slot.id },
      runAt: new Date(slot.endsAt.getTime() + MISSED_AFTER_MS),
      key: missedKey(slot.id),
    })),
  );
}

// ── cancelling a series ──────────────────────────────────────────────────

/**
 * The series ends: CANCELLED, its future sessions cancelled with their bookings (H2's path: reminders
 * and waitlist too) and their missed-session checks. Caller holds the Mentorship and series locks.
 */
async function cancelSeriesInTransaction(
  tx: DbClient,
  seriesId: string,
  actorId: string,
  at: Date,
): Promise<CreatedNotification[]> {
  await tx.officeHours.update({ where: { id: seriesId }, data: { status: 'CANCELLED', cancelledAt: at } });
  const slots = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "OfficeHourSlot"
     WHERE "officeHoursId" = ${seriesId}::uuid AND "cancelledAt" IS NULL AND "startsAt" > ${at}
     ORDER BY "id" FOR UPDATE`;
  const slotIds = slots.map((slot) => slot.id);
  if (slotIds.length === 0) return [];
  await tx.officeHourSlot.updateMany({
    where: { id: { in: slotIds } },
    data: { cancelledAt: at, sequence: { increment: 1 } },
  });
  await cancelJobs(tx, slotIds.map(missedKey));
  // Cancelled by whichever member did it; quiet: the other side hears of the series itself (our
  // own notification, or the mentorship's ending), not of each of up to 104 seats.
  return cancelBookingsOfSlots(tx as Prisma.TransactionClient, {
    slotIds,
    hostId: actorId,
    reason: 'SERIES_CANCELLED',
    quiet: true,
  });
}

/** Every PROPOSED or ACTIVE series of the mentorship, locked in id order. */
async function lockOpenSeriesOf(tx: DbClient, mentorshipId: string, except: string | null = null): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "OfficeHours"
     WHERE "mentorshipId" = ${mentorshipId}::uuid AND "audience" = 'PAIR' AND "status" IN ('PROPOSED', 'ACTIVE')
       AND "id" IS DISTINCT FROM ${except}::uuid
     ORDER BY "id" FOR NO KEY UPDATE`;
  return rows.map((row) => row.id);
}

// Ending the mentorship stops its sessions in the same transaction (the Mentorship row is locked).
onMentorshipEnded(async (tx, ended) => {
  const at = now();
  const notes: CreatedNotification[] = [];
  for (const seriesId of await lockOpenSeriesOf(tx, ended.mentorshipId)) {
    notes.push(...(await cancelSeriesInTransaction(tx, seriesId, ended.endedById, at)));
  }
  return notes;
});

// ── the mentor's other office hours ──────────────────────────────────────

/**
 * The sessions may not overlap the mentor's other office hours (office hours' buffer and overlap
 * rule). The mentee is told only that the mentor hosts something then, not what.
 */
async function checkSessionsFree(
  tx: DbClient,
  mentorship: { mentorId: string },
  officeHoursId: string | null,
  sessions: readonly Session[],
  timeZone: string,
  viewerId: string,
  at: Date,
): Promise<void> {
  try {
    await assertNoSlotConflict(tx as Prisma.TransactionClient, {
      hostId: mentorship.mentorId,
      officeHoursId,
      topic: 'Mentorship sessions',
      timeZone,
      bufferMinutes: 0,
      occurrences: sessions,
      now: at,
    });
  } catch (error) {
    if (!(error instanceof ConflictError) || viewerId === mentorship.mentorId) throw error;
    const clash = sessions.find((session) => error.message.includes(sessionStartInWords(session.startsAt, timeZone)));
    throw new ConflictError(
      'SLOT_CONFLICT',
      `${clash ? `The session on ${sessionStartInWords(clash.startsAt, timeZone)}` : 'One of these sessions'} clashes with other office hours your mentor hosts: pick another time.`,
    );
  }
}

async function checkMentorFree(
  tx: DbClient,
  mentorship: { mentorId: string },
  officeHoursId: string,
  viewerId: string,
  at: Date,
): Promise<void> {
  const series = await tx.officeHours.findUniqueOrThrow({ where: { id: officeHoursId }, select: seriesRuleSelect });
  const sessions = expandOccurrences(storedRule(series), { from: at });
  await checkSessionsFree(tx, mentorship, officeHoursId, sessions, series.timeZone, viewerId, at);
}

// ── the mutations' work ──────────────────────────────────────────────────

export interface ProposeData {
  startsAt: Date;
  onlineUrl: string | null;
  location: string | null;
}

function blockerError(blocker: TermsBlocker): ConflictError {
  return new ConflictError(blocker.code, blocker.message);
}

async function after<T extends { notes: CreatedNotification[]; mentorship: LockedMentorship }>(
  services: Services,
  outcome: T,
): Promise<T> {
  publishNotifications(services.pubsub, outcome.notes);
  publishMentorshipActivity(services.pubsub, {
    userIds: [outcome.mentorship.mentorId, outcome.mentorship.menteeId],
    kind: 'SESSIONS_CHANGED',
    mentorshipId: outcome.mentorship.id,
  });
  return outcome;
}

/** Either member proposes a series starting at `startsAt`; an earlier proposal gives way. */
export async function proposeSessions(
  services: Services,
  viewerId: string,
  mentorshipId: string,
  data: ProposeData,
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    const at = now();
    const pair = await pairTerms(tx, mentorship, at);
    if (isBlocker(pair)) throw blockerError(pair);
    const { terms } = pair;
    if (data.startsAt.getTime() % MINUTE_MS !== 0) {
      throw new ValidationError([{ path: 'startsAt', message: 'Start on a whole minute.' }]);
    }
    if (data.startsAt.getTime() < at.getTime() + 3600_000) {
      throw new ValidationError([{ path: 'startsAt', message: 'Pick a first session at least an hour from now.' }]);
    }
    if (data.startsAt < pair.startsAt) {
      throw new ValidationError([
        { path: 'startsAt', message: 'Pick a first session on or after the agreement starts.' },
      ]);
    }
    const rule = ruleFrom(data.startsAt, terms);
    if (Temporal.PlainDate.compare(Temporal.PlainDate.from(rule.startDate), terms.untilDate) > 0) {
      throw new ValidationError([
        { path: 'startsAt', message: `Pick a first session before the agreement's planned end, ${terms.untilDate}.` },
      ]);
    }
    const sessions = sessionsOf(rule, terms.durationMinutes);
    const outside = firstOutside(sessions, terms);
    if (outside) {
      const mentorSide = outside.who === 'MENTOR';
      const zone = mentorSide ? terms.mentor.timeZone : terms.mentee.timeZone;
      const name = mentorSide ? pair.mentorName : pair.menteeName;
      const first = outside.session.startsAt.getTime() === data.startsAt.getTime();
      throw new ConflictError(
        'OUTSIDE_HOURS',
        `${first ? 'The first session' : 'A later session'}, ${sessionInWords(outside.session, zone)}, is outside ${name}'s working hours. Pick one of the proposed times.`,
      );
    }
    // The pair's confirmed series gives way once these are confirmed: it is no clash.
    const current = await tx.officeHours.findFirst({
      where: { mentorshipId, audience: 'PAIR', status: 'ACTIVE' },
      select: { id: true },
    });
    await checkSessionsFree(tx, mentorship, current?.id ?? null, sessions, rule.timeZone, viewerId, at);
    // An earlier proposal nobody confirmed gives way to this one.
    const notes: CreatedNotification[] = [];
    const open = await tx.officeHours.findMany({
      where: { mentorshipId, audience: 'PAIR', status: 'PROPOSED' },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    for (const { id } of open) {
      await lockSeries(tx, id);
      notes.push(...(await cancelSeriesInTransaction(tx, id, viewerId, at)));
    }
    const names = `${pair.mentorName} and ${pair.menteeName}`;
    const series = await tx.officeHours.create({
      data: {
        hostId: mentorship.mentorId,
        topic: `Mentorship sessions: ${names}`.slice(0, 120),
        timeZone: rule.timeZone,
        startDate: new Date(`${rule.startDate}T00:00:00.000Z`),
        startTime: rule.startTime,
        durationMinutes: terms.durationMinutes,
        repeatEveryWeeks: rule.everyWeeks,
        weekdays: [rule.weekday],
        untilDate: new Date(`${rule.untilDate}T00:00:00.000Z`),
        seats: 1,
        onlineUrl: data.onlineUrl,
        location: data.location,
        audience: 'PAIR',
        attendeesSeeNames: true,
        minimumNoticeMinutes: 0,
        bookingWindowDays: 400,
        bufferMinutes: 0,
        status: 'PROPOSED',
        mentorshipId,
        proposedById: viewerId,
      },
      select: { id: true },
    });
    notes.push(
      ...(await notify(tx, {
        recipientIds: [otherSide(mentorship, viewerId)],
        kind: sessionsProposedKind,
        actorId: viewerId,
        subjectId: encodeGlobalId('OfficeHours', series.id),
        data: { mentorshipId, officeHoursId: series.id },
      })),
    );
    return { id: series.id, notes, mentorship };
  });
  await after(services, outcome);
  return outcome.id;
}

/** The other side confirms: ACTIVE, the sessions made, the mentee booked in each. */
export async function confirmSessions(services: Services, viewerId: string, officeHoursId: string): Promise<void> {
  const mentorshipId = await mentorshipOfSeries(services.db, officeHoursId, viewerId);
  const outcome = await services.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    // The mentor's schedule (office hours' order: the host's lock before any series row).
    await lockHostSchedule(tx as Prisma.TransactionClient, mentorship.mentorId);
    const series = await lockSeries(tx, officeHoursId);
    if (series.status !== 'PROPOSED') {
      throw new ConflictError(
        'SESSIONS_NOT_PROPOSED',
        series.status === 'ACTIVE'
          ? 'These sessions are already confirmed.'
          : 'These session times were withdrawn, declined or replaced: see the current proposal.',
      );
    }
    if (series.proposedById === viewerId) {
      throw new ForbiddenError('The other side confirms the times you proposed.');
    }
    const at = now();
    // Sessions confirmed before (another time) give way to these.
    const notes: CreatedNotification[] = [];
    for (const id of await lockOpenSeriesOf(tx, mentorshipId, officeHoursId)) {
      notes.push(...(await cancelSeriesInTransaction(tx, id, viewerId, at)));
    }
    await checkMentorFree(tx, mentorship, officeHoursId, viewerId, at);
    await tx.officeHours.update({ where: { id: officeHoursId }, data: { status: 'ACTIVE', confirmedAt: at } });
    const synced = await syncSlots(tx as Prisma.TransactionClient, officeHoursId, at);
    const created = synced.created;
    notes.push(...(synced.notifications ?? []));
    if (created.length === 0) {
      throw new ConflictError(
        'SESSIONS_PASSED',
        "Every proposed session has passed or falls after the agreement's planned end: propose new times.",
      );
    }
    const slots = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "OfficeHourSlot" WHERE "id" = ANY(${created}::uuid[]) ORDER BY "id" FOR UPDATE`;
    for (const slot of slots) {
      await bookSeatInTransaction(tx as Prisma.TransactionClient, { slotId: slot.id, attendeeId: mentorship.menteeId });
    }
    await scheduleMissedChecks(tx, created);
    notes.push(
      ...(await notify(tx, {
        recipientIds: series.proposedById ? [series.proposedById] : [],
        kind: sessionsConfirmedKind,
        actorId: viewerId,
        subjectId: encodeGlobalId('OfficeHours', officeHoursId),
        data: { mentorshipId, officeHoursId },
      })),
    );
    return { notes, mentorship };
  });
  await after(services, outcome);
}

/** The other side declines a proposal; the proposer withdraws their own with cancelSessions. */
export async function declineSessions(services: Services, viewerId: string, officeHoursId: string): Promise<void> {
  const mentorshipId = await mentorshipOfSeries(services.db, officeHoursId, viewerId);
  const outcome = await services.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    const series = await lockSeries(tx, officeHoursId);
    if (series.status !== 'PROPOSED') {
      throw new ConflictError('SESSIONS_NOT_PROPOSED', 'These session times are no longer a proposal.');
    }
    if (series.proposedById === viewerId) {
      throw new ForbiddenError('The other side declines what you proposed; cancel it to withdraw it.');
    }
    const notes = await cancelSeriesInTransaction(tx, officeHoursId, viewerId, now());
    notes.push(
      ...(await notify(tx, {
        recipientIds: series.proposedById ? [series.proposedById] : [],
        kind: sessionsCancelledKind,
        actorId: viewerId,
        subjectId: encodeGlobalId('OfficeHours', officeHoursId),
        data: { mentorshipId, officeHoursId, declined: true },
      })),
    );
    return { notes, mentorship };
  });
  await after(services, outcome);
}

/** Either side cancels a proposal or the confirmed series: future sessions are cancelled. */
export async function cancelSessions(services: Services, viewerId: string, officeHoursId: string): Promise<void> {
  const mentorshipId = await mentorshipOfSeries(services.db, officeHoursId, viewerId);
  const outcome = await services.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    const series = await lockSeries(tx, officeHoursId);
    if (series.status === 'CANCELLED') {
      throw new ConflictError('SESSIONS_NOT_ACTIVE', 'These sessions are already cancelled.');
    }
    const notes = await cancelSeriesInTransaction(tx, officeHoursId, viewerId, now());
    notes.push(
      ...(await notify(tx, {
        recipientIds: [otherSide(mentorship, viewerId)],
        kind: sessionsCancelledKind,
        actorId: viewerId,
        subjectId: encodeGlobalId('OfficeHours', officeHoursId),
        data: { mentorshipId, officeHoursId, declined: false },
      })),
    );
    return { notes, mentorship };
  });
  await after(services, outcome);
}

/** Either member marks a session held once it started: the agreement's check-in, once per session. */
export async function markSessionHeld(services: Services, viewerId: string, slotId: string): Promise<string> {
  const found = await services.db.officeHourSlot.findFirst({
    where: { id: slotId, officeHours: { audience: 'PAIR', mentorship: visibleMentorshipsWhere(viewerId) } },
    select: { officeHours: { select: { mentorshipId: true } } },
  });
  const mentorshipId = found?.officeHours.mentorshipId;
  if (!mentorshipId) throw new NotFoundError('That session');
  const alreadyHeld = () => new ConflictError('SESSION_ALREADY_HELD', 'This session is already marked held.');
  const outcome = await services.db
    .$transaction(async (tx) => {
      const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
      const [slot] = await tx.$queryRaw<Array<{ id: string; startsAt: Date; cancelledAt: Date | null }>>`
        SELECT "id", "startsAt", "cancelledAt" FROM "OfficeHourSlot" WHERE "id" = ${slotId}::uuid FOR UPDATE`;
      if (!slot) throw new NotFoundError('That session');
      if (slot.cancelledAt) throw new ConflictError('SLOT_CANCELLED', 'This session was cancelled.');
      if (slot.startsAt.getTime() > now().getTime()) {
        throw new ConflictError('SESSION_NOT_STARTED', 'Mark a session held once it has started.');
      }
      if ((await tx.checkIn.count({ where: { slotId } })) > 0) throw alreadyHeld();
      const checkIn = await tx.checkIn.create({
        data: { mentorshipId, slotId, heldAt: slot.startsAt, createdById: viewerId },
        select: { id: true },
      });
      await tx.booking.updateMany({
        where: { slotId, attendeeId: mentorship.menteeId, status: 'BOOKED', attendance: null },
        data: { attendance: 'ATTENDED' },
      });
      await cancelJob(tx, missedKey(slotId));
      // A held session is the agreement's check-in: it moves the missed-check-in nudge too.
      await rescheduleCheckInNudge(tx, mentorshipId);
      return { checkInId: checkIn.id, mentorship, notes: [] as CreatedNotification[] };
    })
    .catch((error: unknown) => {
      // CheckIn.slotId is unique: the last word on "once per session".
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw alreadyHeld();
      throw error;
    });
  publishMentorshipActivity(services.pubsub, {
    userIds: [outcome.mentorship.mentorId, outcome.mentorship.menteeId],
    kind: 'CHECK_IN_CHANGED',
    mentorshipId,
  });
  return outcome.checkInId;
}
