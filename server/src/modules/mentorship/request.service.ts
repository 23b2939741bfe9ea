import { z } from 'zod';
import type { AppServices } from '../../context.js';
import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { MentorshipRequestStatus } from '../../generated/prisma/enums.js';
import { now } from '../../lib/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { createMentorshipConversation } from '../chat/index.js';
import { cancelJob, defineJob, scheduleJob } from '../jobs/index.js';
import {
  type CreatedNotification,
  notify,
  publishNotifications,
  withdrawNotifications,
} from '../notifications/index.js';
import { keptApartFrom } from '../people/index.js';
import { type MentorshipActivityKind, publishMentorshipActivity } from './activity.js';
import {
  type AskRefusal,
  askRefusals,
  mayProposePairing,
  mentorProfileSeenWhere,
  pairRefusal,
  requestActions,
  roleIn,
  roomRefusal,
  visibleRequestsWhere,
} from './mentorship.policy.js';
import {
  pairingProposed,
  requestAccepted,
  requestDeclined,
  requestExpired,
  requestReceived,
} from './request.notifications.js';

// Mentorship requests: asking, a program admin's pairing, answering, withdrawing, expiring. Every
// change is one transaction (the request, its expiry job, its notifications, and on acceptance the
// mentorship and its conversation); nudges go out after commit.
//
// Locks, always in this order: the mentor's MentorProfile row (capacity), then the request row.
// Asking locks the mentee's User row instead (their pending limit), and takes no other lock.

type Services = Pick<AppServices, 'db' | 'pubsub' | 'env'>;

const DAY_MS = 24 * 60 * 60 * 1000;

export const expiryKey = (requestId: string) => `mentorship.request-expiry:${requestId}`;
const subjectOf = (requestId: string) => encodeGlobalId('MentorshipRequest', requestId);

interface Outcome<T> {
  value: T;
  notifications: CreatedNotification[];
  activity: Array<{ userIds: string[]; kind: MentorshipActivityKind; requestId?: string; mentorshipId?: string }>;
}

function publishOutcome(services: Services, outcome: Outcome<unknown>): void {
  publishNotifications(services.pubsub, outcome.notifications);
  for (const change of outcome.activity) publishMentorshipActivity(services.pubsub, change);
}

/** Who follows a request live: the pair, and for a program pairing the admin who proposed it. */
function watchers(request: { mentorId: string; menteeId: string; origin: string; proposedById: string | null }) {
  return [
    request.mentorId,
    request.menteeId,
    ...(request.origin === 'PROGRAM_ADMIN' && request.proposedById ? [request.proposedById] : []),
  ];
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

/**
 * A partial unique index stopped a second pending request for the pair (asking, pairing) or a second
 * active mentorship (accepting): the backstop of the checks made under the locks.
 */
async function withPairConflicts<T>(work: () => Promise<T>, on: 'request' | 'mentorship' = 'request'): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw on === 'request'
      ? new ConflictError('REQUEST_ALREADY_PENDING', 'There is already an open request between you two.')
      : new ConflictError('ALREADY_MENTORED', 'There is already an active mentorship between you two.');
  }
}

/**
 * The mentee's row, for their pending limit. NO KEY UPDATE, not UPDATE: it still makes two asks (or
 * an ask and cancelMyPendingRequests) of one mentee wait for each other, but not a transaction that
 * only references the member by a foreign key (FOR KEY SHARE), as an acceptance does when it starts
 * their mentorship while holding the request's row, and as an ask does of the mentor it names. With
 * FOR UPDATE, two members asking each other at once, or a mentee closing their requests while a
 * mentor accepts one, deadlocked on PostgreSQL.
 */
async function lockMentee(tx: DbClient, menteeId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${menteeId}::uuid FOR NO KEY UPDATE`;
}

async function activeCount(tx: DbClient, mentorId: string): Promise<number> {
  return tx.mentorship.count({ where: { mentorId, status: 'ACTIVE' } });
}

/** The words of each refusal to ask (mentorship.policy askRefusals), as the mutations answer them. */
function askRefusalError(refusal: AskRefusal, pendingLimit: number): Error {
  switch (refusal) {
    case 'NOT_A_MENTOR':
    case 'KEPT_APART':
      return new NotFoundError('That mentor');
    case 'ALREADY_MENTORED':
      return new ConflictError('ALREADY_MENTORED', 'There is already an active mentorship between you two.');
    case 'REQUEST_ALREADY_PENDING':
      return new ConflictError('REQUEST_ALREADY_PENDING', 'There is already an open request between you two.');
    case 'MENTOR_NOT_ACCEPTING':
      return new ConflictError('MENTOR_NOT_ACCEPTING', 'This mentor is not taking new mentees right now.');
    case 'MENTOR_AT_CAPACITY':
      return new ConflictError('MENTOR_AT_CAPACITY', 'This mentor has no room for another mentee.');
    case 'NOT_ALLOWED_TO_ASK':
      return new ConflictError('NOT_ALLOWED_TO_ASK', 'This mentor takes mentees only from groups you are not in.');
    case 'PENDING_REQUEST_LIMIT':
      return new ConflictError(
        'PENDING_REQUEST_LIMIT',
        `You have ${pendingLimit} requests waiting for an answer: withdraw one or wait for an answer first.`,
      );
  }
}

/** Refusals shared by asking and pairing, in the order a member would want to learn them. */
async function checkPair(tx: DbClient, mentorId: string, menteeId: string): Promise<void> {
  const [active, pending] = await Promise.all([
    tx.mentorship.count({ where: { mentorId, menteeId, status: 'ACTIVE' } }),
    tx.mentorshipRequest.count({ where: { mentorId, menteeId, status: 'PENDING' } }),
  ]);
  const refusal = pairRefusal({ active: active > 0, pending: pending > 0 });
  if (refusal) throw askRefusalError(refusal, 0);
}

function checkRoom(profile: { accepting: boolean; capacity: number }, active: number): void {
  const refusal = roomRefusal(profile, active);
  if (refusal) throw askRefusalError(refusal, 0);
}

export interface RequestData {
  mentorId: string;
  message: string;
  goals: string;
  groupId: string | null;
}

/** The viewer asks a mentor. */
export async function requestMentorship(services: Services, viewerId: string, input: RequestData): Promise<string> {
  if (input.mentorId === viewerId) {
    throw new ValidationError([{ path: 'mentorId', message: 'You cannot be your own mentor.' }]);
  }
  const outcome = await withPairConflicts(() =>
    services.db.$transaction(async (tx): Promise<Outcome<string>> => {
      // The mentee's pending limit: two requests sent at once must count each other.
      await lockMentee(tx, viewerId);
      // Every refusal (mentorship.policy askRefusals), first one first; a block either way answers
      // as a mentor who does not exist (people/blocking.policy.ts).
      const limit = services.env.MENTORSHIP_MAX_PENDING_REQUESTS;
      const refusal = (await askRefusals(tx, viewerId, [input.mentorId], limit)).get(input.mentorId);
      if (refusal) throw askRefusalError(refusal, limit);
      if (input.groupId) {
        const both = await tx.membership.count({
          where: { groupId: input.groupId, userId: { in: [viewerId, input.mentorId] } },
        });
        if (both < 2) throw new ValidationError([{ path: 'groupId', message: 'Choose a group you both belong to.' }]);
      }
      const at = now();
      const expiresAt = new Date(at.getTime() + services.env.MENTORSHIP_REQUEST_TTL_DAYS * DAY_MS);
      const request = await tx.mentorshipRequest.create({
        data: {
          menteeId: viewerId,
          mentorId: input.mentorId,
          origin: 'MENTEE',
          groupId: input.groupId,
          message: input.message,
          goals: input.goals,
          menteeAgreedAt: at,
          expiresAt,
          createdAt: at,
        },
        select: { id: true },
      });
      await scheduleJob(
        tx,
        expireRequestJob,
        { requestId: request.id },
        { runAt: expiresAt, key: expiryKey(request.id) },
      );
      const notifications = await notify(tx, {
        kind: requestReceived,
        recipientIds: [input.mentorId],
        actorId: viewerId,
        subjectId: subjectOf(request.id),
        data: { requestId: request.id },
      });
      return {
        value: request.id,
        notifications,
        activity: [{ userIds: [viewerId, input.mentorId], kind: 'REQUEST_CREATED', requestId: request.id }],
      };
    }),
  );
  publishOutcome(services, outcome);
  return outcome.value;
}

export interface PairingData {
  groupId: string;
  mentorId: string;
  menteeId: string;
  note: string;
}

/** A PROGRAM group's owner or admin pairs two of its members; both must agree. */
export async function proposePairing(services: Services, viewerId: string, input: PairingData): Promise<string> {
  if (input.mentorId === input.menteeId) {
    throw new ValidationError([{ path: 'menteeId', message: 'Pair two different members.' }]);
  }
  const outcome = await withPairConflicts(() =>
    services.db.$transaction(async (tx): Promise<Outcome<string>> => {
      const group = await tx.group.findUnique({
        where: { id: input.groupId },
        select: { id: true, kind: true, memberships: { where: { userId: viewerId }, select: { role: true } } },
      });
      const role = group?.memberships[0]?.role ?? null;
      if (!group || !role) throw new NotFoundError('That group');
      if (group.kind !== 'PROGRAM')
        throw new ConflictError('NOT_A_PROGRAM', 'Only program groups pair mentors and mentees.');
      if (!mayProposePairing(group, role))
        throw new ForbiddenError("Only the program's owners and admins pair members.");
      const members = new Set(
        (
          await tx.membership.findMany({
            where: { groupId: group.id, userId: { in: [input.mentorId, input.menteeId] } },
            select: { userId: true },
          })
        ).map((membership) => membership.userId),
      );
      const problems = (['mentorId', 'menteeId'] as const)
        .filter((field) => !members.has(input[field]))
        .map((field) => ({ path: field, message: 'Choose a member of this program.' }));
      if (problems.length > 0) throw new ValidationError(problems);
      const profile = await tx.mentorProfile.findFirst({
        where: { userId: input.mentorId, AND: [mentorProfileSeenWhere(viewerId)] },
        select: { userId: true, accepting: true, capacity: true },
      });
      if (!profile) throw new ValidationError([{ path: 'mentorId', message: 'This member does not offer mentoring.' }]);
      // A block between the two: the admin learns only that they cannot be paired, not why.
      if ((await keptApartFrom(tx, 'requestMentorship', input.menteeId, [input.mentorId])).size > 0) {
        throw new ConflictError('PAIRING_NOT_POSSIBLE', 'These two members cannot be paired.');
      }
      await checkPair(tx, input.mentorId, input.menteeId);
      checkRoom(profile, await activeCount(tx, input.mentorId));
      const needs = await tx.menteeNeeds.findUnique({ where: { userId: input.menteeId }, select: { goals: true } });
      const at = now();
      const expiresAt = new Date(at.getTime() + services.env.MENTORSHIP_REQUEST_TTL_DAYS * DAY_MS);
      const request = await tx.mentorshipRequest.create({
        data: {
          menteeId: input.menteeId,
          mentorId: input.mentorId,
          origin: 'PROGRAM_ADMIN',
          groupId: group.id,
          proposedById: viewerId,
          message: input.note,
          goals: needs?.goals ?? '',
          expiresAt,
          createdAt: at,
        },
        select: { id: true },
      });
      await scheduleJob(
        tx,
        expireRequestJob,
        { requestId: request.id },
        { runAt: expiresAt, key: expiryKey(request.id) },
      );
      const notifications = await notify(tx, {
        kind: pairingProposed,
        recipientIds: [input.mentorId, input.menteeId],
        actorId: viewerId,
        subjectId: subjectOf(request.id),
        data: { requestId: request.id },
      });
      return {
        value: request.id,
        notifications,
        activity: [
          { userIds: [input.mentorId, input.menteeId, viewerId], kind: 'REQUEST_CREATED', requestId: request.id },
        ],
      };
    }),
  );
  publishOutcome(services, outcome);
  return outcome.value;
}

const STATUS_WORDS: Record<MentorshipRequestStatus, string> = {
  PENDING: 'is waiting',
  ACCEPTED: 'was already accepted',
  DECLINED: 'was declined',
  WITHDRAWN: 'was withdrawn',
  EXPIRED: 'has expired',
  CANCELLED: 'was cancelled',
};

async function lockRequest(tx: DbClient, requestId: string, viewerId: string) {
  await tx.$queryRaw`SELECT "id" FROM "MentorshipRequest" WHERE "id" = ${requestId}::uuid FOR UPDATE`;
  const request = await tx.mentorshipRequest.findFirst({
    where: { id: requestId, AND: [visibleRequestsWhere(viewerId)] },
  });
  if (!request) throw new NotFoundError('That request');
  return request;
}

type LockedRequest = Awaited<ReturnType<typeof lockRequest>>;

/** Why the viewer may not answer (accept or decline) this request now. */
function refuseAnswer(request: LockedRequest, viewerId: string, allowed: boolean): void {
  if (request.status !== 'PENDING') {
    throw new ConflictError('REQUEST_NOT_PENDING', `This request ${STATUS_WORDS[request.status]}.`);
  }
  if (request.expiresAt.getTime() <= now().getTime()) {
    throw new ConflictError('REQUEST_EXPIRED', 'This request has expired.');
  }
  if (allowed) return;
  const role = roleIn(request, viewerId);
  const answers = role === 'MENTOR' || (role === 'MENTEE' && request.origin === 'PROGRAM_ADMIN');
  if (answers && (role === 'MENTOR' ? request.mentorAgreedAt : request.menteeAgreedAt)) {
    throw new ConflictError('ALREADY_AGREED', 'You already agreed; the other side has not yet.');
  }
  throw new ForbiddenError(
    role === 'MENTEE' ? 'Only the mentor answers your request.' : 'Only the pair answer a pairing.',
  );
}

export interface AcceptData {
  requestId: string;
  note: string;
  cancelOtherRequests: boolean;
}

export interface AcceptResult {
  requestId: string;
  mentorshipId: string | null;
}

/**
 * The mentor accepts (or, for a program pairing, either side agrees). When both have agreed the
 * mentorship starts with its conversation, in the same transaction, unless the mentor has no room.
 */
export async function acceptRequest(services: Services, viewerId: string, input: AcceptData): Promise<AcceptResult> {
  const found = await services.db.mentorshipRequest.findFirst({
    where: { id: input.requestId, AND: [visibleRequestsWhere(viewerId)] },
    select: { mentorId: true },
  });
  if (!found) throw new NotFoundError('That request');
  const outcome = await withPairConflicts(
    () =>
      services.db.$transaction(async (tx): Promise<Outcome<AcceptResult>> => {
        // The mentor's row first: every acceptance for this mentor waits here, so two at once
        // cannot both take the last place.
        const profiles = await tx.$queryRaw<Array<{ capacity: number }>>`
        SELECT "capacity" FROM "MentorProfile" WHERE "userId" = ${found.mentorId}::uuid FOR UPDATE`;
        const request = await lockRequest(tx, input.requestId, viewerId);
        refuseAnswer(request, viewerId, requestActions(request, viewerId).accept);
        const role = roleIn(request, viewerId)!;
        if (input.cancelOtherRequests && role !== 'MENTEE') {
          throw new ValidationError([
            { path: 'cancelOtherRequests', message: 'Only the mentee chooses to close their other requests.' },
          ]);
        }
        const other = role === 'MENTOR' ? request.menteeId : request.mentorId;
        if ((await keptApartFrom(tx, 'requestMentorship', viewerId, [other])).size > 0) {
          throw new NotFoundError('That request');
        }
        const capacity = profiles[0]?.capacity ?? 0;
        // Beyond capacity is refused whenever the mentor agrees, and again when the mentorship would start.
        if ((await activeCount(tx, request.mentorId)) >= capacity) {
          throw new ConflictError('MENTOR_AT_CAPACITY', 'The mentor has no room for another mentee.');
        }
        const at = now();
        const mentorAgreedAt = request.mentorAgreedAt ?? (role === 'MENTOR' ? at : null);
        const menteeAgreedAt = request.menteeAgreedAt ?? (role === 'MENTEE' ? at : null);
        const parties = [request.mentorId, request.menteeId];
        if (!mentorAgreedAt || !menteeAgreedAt) {
          // The mentor's note when they agree first to a pairing is kept for the mentee, as on a final accept.
          await tx.mentorshipRequest.update({
            where: { id: request.id },
            data: { mentorAgreedAt, menteeAgreedAt, ...(role === 'MENTOR' ? { responseNote: input.note } : {}) },
          });
          return {
            value: { requestId: request.id, mentorshipId: null },
            notifications: [],
            activity: [{ userIds: watchers(request), kind: 'REQUEST_AGREED', requestId: request.id }],
          };
        }
        const active = await tx.mentorship.count({
          where: { mentorId: request.mentorId, menteeId: request.menteeId, status: 'ACTIVE' },
        });
        if (active > 0)
          throw new ConflictError('ALREADY_MENTORED', 'There is already an active mentorship between you two.');
        const conversationId = await createMentorshipConversation(tx, {
          mentorId: request.mentorId,
          menteeId: request.menteeId,
          createdById: viewerId,
        });
        const mentorship = await tx.mentorship.create({
          data: {
            requestId: request.id,
            mentorId: request.mentorId,
            menteeId: request.menteeId,
            groupId: request.groupId,
            conversationId,
            startedAt: at,
          },
          select: { id: true },
        });
        await tx.mentorshipRequest.update({
          where: { id: request.id },
          data: {
            status: 'ACCEPTED',
            respondedAt: at,
            mentorAgreedAt,
            menteeAgreedAt,
            ...(role === 'MENTOR' ? { responseNote: input.note } : {}),
          },
        });
        await cancelJob(tx, expiryKey(request.id));
        const activity: Outcome<AcceptResult>['activity'] = [
          { userIds: watchers(request), kind: 'REQUEST_ACCEPTED', requestId: request.id, mentorshipId: mentorship.id },
        ];
        if (input.cancelOtherRequests) {
          const cancelled = await cancelPending(tx, request.menteeId, request.id);
          for (const other of cancelled) {
            activity.push({
              userIds: [request.menteeId, other.mentorId],
              kind: 'REQUEST_CANCELLED',
              requestId: other.id,
            });
          }
        }
        const notifications = await notify(tx, {
          kind: requestAccepted,
          recipientIds: parties,
          actorId: viewerId,
          subjectId: subjectOf(request.id),
          data: { requestId: request.id, mentorshipId: mentorship.id },
        });
        return { value: { requestId: request.id, mentorshipId: mentorship.id }, notifications, activity };
      }),
    'mentorship',
  );
  publishOutcome(services, outcome);
  return outcome.value;
}

/** The mentor declines (or either side of a pairing), with an optional note the other sees. */
export async function declineRequest(
  services: Services,
  viewerId: string,
  input: { requestId: string; note: string },
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const request = await lockRequest(tx, input.requestId, viewerId);
    refuseAnswer(request, viewerId, requestActions(request, viewerId).decline);
    await tx.mentorshipRequest.update({
      where: { id: request.id },
      data: { status: 'DECLINED', respondedAt: now(), responseNote: input.note },
    });
    await cancelJob(tx, expiryKey(request.id));
    const parties = [request.mentorId, request.menteeId];
    const notifications = await notify(tx, {
      kind: requestDeclined,
      recipientIds: [...parties, ...(request.proposedById ? [request.proposedById] : [])],
      actorId: viewerId,
      subjectId: subjectOf(request.id),
      data: { requestId: request.id },
    });
    return {
      value: request.id,
      notifications,
      activity: [{ userIds: watchers(request), kind: 'REQUEST_DECLINED', requestId: request.id }],
    };
  });
  publishOutcome(services, outcome);
  return outcome.value;
}

/** The mentee takes back a request they sent, while it waits. */
export async function withdrawRequest(services: Services, viewerId: string, requestId: string): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const request = await lockRequest(tx, requestId, viewerId);
    if (request.status !== 'PENDING') {
      throw new ConflictError('REQUEST_NOT_PENDING', `This request ${STATUS_WORDS[request.status]}.`);
    }
    if (!requestActions(request, viewerId).withdraw)
      throw new ForbiddenError('Only the mentee withdraws what they asked.');
    await tx.mentorshipRequest.update({ where: { id: request.id }, data: { status: 'WITHDRAWN', respondedAt: now() } });
    await cancelJob(tx, expiryKey(request.id));
    // The mentor's "asked you" notification goes with it.
    await withdrawNotifications(tx, requestReceived, subjectOf(request.id));
    return {
      value: request.id,
      notifications: [],
      activity: [{ userIds: [request.mentorId, request.menteeId], kind: 'REQUEST_WITHDRAWN', requestId: request.id }],
    };
  });
  publishOutcome(services, outcome);
  return outcome.value;
}

/** Closes the mentee's other waiting requests (CANCELLED) in the caller's transaction. */
async function cancelPending(tx: DbClient, menteeId: string, exceptId: string | null) {
  // Locked in id order, and PENDING re-checked behind each lock: a request a mentor is accepting
  // meanwhile is not reported (nor its notification withdrawn) as cancelled once that commits.
  const pending = await tx.$queryRaw<Array<{ id: string; mentorId: string }>>`
    SELECT "id", "mentorId" FROM "MentorshipRequest"
     WHERE "menteeId" = ${menteeId}::uuid AND "origin" = 'MENTEE' AND "status" = 'PENDING'
       ${exceptId ? Prisma.sql`AND "id" <> ${exceptId}::uuid` : Prisma.empty}
     ORDER BY "id" FOR UPDATE`;
  if (pending.length === 0) return [];
  const at = now();
  await tx.mentorshipRequest.updateMany({
    where: { id: { in: pending.map((request) => request.id) }, status: 'PENDING' },
    data: { status: 'CANCELLED', respondedAt: at },
  });
  for (const request of pending) {
    await cancelJob(tx, expiryKey(request.id));
    await withdrawNotifications(tx, requestReceived, subjectOf(request.id));
  }
  return pending;
}

/** The mentee closes every request of theirs still waiting (e.g. once one was accepted). */
export async function cancelMyPendingRequests(services: Services, viewerId: string): Promise<string[]> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string[]>> => {
    await lockMentee(tx, viewerId);
    const cancelled = await cancelPending(tx, viewerId, null);
    return {
      value: cancelled.map((request) => request.id),
      notifications: [],
      activity: cancelled.map((request) => ({
        userIds: [viewerId, request.mentorId],
        kind: 'REQUEST_CANCELLED' as const,
        requestId: request.id,
      })),
    };
  });
  publishOutcome(services, outcome);
  return outcome.value;
}

/**
 * Expires a request still unanswered at its expiry (the job's work; safe to run twice: only a
 * PENDING request past its time changes) and tells the mentee. True when it expired it.
 */
export async function expireRequest(services: Services, requestId: string): Promise<boolean> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<boolean>> => {
    const at = now();
    const { count } = await tx.mentorshipRequest.updateMany({
      where: { id: requestId, status: 'PENDING', expiresAt: { lte: at } },
      data: { status: 'EXPIRED', respondedAt: at },
    });
    if (count === 0) return { value: false, notifications: [], activity: [] };
    const request = await tx.mentorshipRequest.findUniqueOrThrow({
      where: { id: requestId },
      select: { menteeId: true, mentorId: true, origin: true, proposedById: true },
    });
    const notifications = await notify(tx, {
      kind: requestExpired,
      // A pairing that expired concerns both; a request, the mentee who asked.
      recipientIds: request.origin === 'PROGRAM_ADMIN' ? [request.menteeId, request.mentorId] : [request.menteeId],
      subjectId: subjectOf(requestId),
      data: { requestId },
    });
    return {
      value: true,
      notifications,
      activity: [{ userIds: watchers(request), kind: 'REQUEST_EXPIRED', requestId }],
    };
  });
  publishOutcome(services, outcome);
  return outcome.value;
}

// Outside a transaction, so the mentee is told only after the expiry commits; expireRequest is
// conditional on PENDING, so a second run (after a crash) changes nothing.
export const expireRequestJob = defineJob('mentorship.request-expiry', {
  payload: z.object({ requestId: z.uuid() }),
  mode: 'outside',
  async run({ requestId }, ctx) {
    await expireRequest(ctx.services, requestId);
  },
});
