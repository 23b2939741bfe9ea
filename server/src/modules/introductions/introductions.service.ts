import type { AppServices } from '../../context.js';
import type { DbClient } from '../../db.js';
import type { IntroductionFollowUpAnswer, IntroductionStatus } from '../../generated/prisma/enums.js';
import { now } from '../../lib/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import {
  createIntroductionConversation,
  leaveIntroductionConversation,
  type PostedCard,
  postCardInTransaction,
  publishCardMessage,
  publishIntroductionConversationLeft,
} from '../chat/index.js';
import { type CreatedNotification, notify, publishNotifications } from '../notifications/index.js';
import { canonicalOrStored } from '../../lib/time.js';
import { keptApartFrom } from '../people/index.js';
import { publishIntroductionChange } from './introductions.events.js';
import type { ForwardIntroductionInput, RequestIntroductionInput } from './introductions.inputs.js';
import { cancelStepExpiry, DAY_MS, scheduleFollowUp, scheduleStepExpiry, subjectOf } from './introductions.jobs.js';
import {
  introductionAccepted,
  introductionDeclined,
  introductionForwarded,
  introductionNotNow,
  introductionPath,
  introductionRequested,
  introductionWithdrawn,
} from './introductions.notifications.js';
import {
  brokerConnections,
  COOL_DOWN_STATUSES,
  type IntroductionAction,
  type IntroductionField,
  introductionPartiesStandingWhere,
  introductionPartyWhere,
  introductionRoleOf,
  mayActOnIntroduction,
  mayBroker,
  lapsedBeforeItsJobWhere,
  requesterOpenWhere,
  requesterStatus,
  takesIntroductionsFromWhere,
  targetStillAcceptsThrough,
  targetStepEndsAt,
  visibleIntroductionsWhere,
} from './introductions.policy.js';

// Introductions: asking, each step (forward, the broker's decline, accept, the target's decline,
// withdraw), the follow-up answers and the broker leaving the conversation. Every change is one
// transaction (the row, its jobs, its notifications, and on acceptance the conversation and its
// opening card); the live nudges go out after commit. Expiry and "did you connect?" are in
// introductions.jobs.ts. Who may do what is introductions.policy.ts.
//
// Locks, in this order: asking locks the requester's and the broker's User rows (FOR NO KEY UPDATE,
// ascending id: the requester's pending limit and the broker's weekly limit are counted behind
// them); every step locks the Introduction row (FOR UPDATE), then (accepting) the new conversation's
// row, which chat's card post takes.

type Services = Pick<AppServices, 'db' | 'pubsub' | 'env'>;

const WEEK_MS = 7 * DAY_MS;
// Asks of one requester (or to one broker) queue on a row lock: under load the last of many sent at
// once waited longer than Prisma's defaults (5 s; 2 s for a connection) and ended in an unexpected error.
const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 } as const;
const CLOSED = () => new ConflictError('INTRODUCTION_CLOSED', 'This introduction is no longer waiting for you.');
const notFound = () => new NotFoundError('That introduction');

interface Outcome<T> {
  value: T;
  notifications: CreatedNotification[];
  /** The introduction as it is after the change: everyone who sees it now is nudged. */
  changed: { id: string; requesterId: string; brokerId: string; targetId: string; forwardedAt: Date | null };
  /** The one field that changed, with the state it changed in: only those who read it are nudged. */
  changedField?: { field: IntroductionField; status: IntroductionStatus };
  card?: PostedCard;
  left?: { conversationId: string; userId: string };
  /** A target's decline: the requester hears nothing now (the expiry job tells them at the step's end). */
  notToRequester?: boolean;
}

async function publishOutcome(services: Services, outcome: Outcome<unknown>): Promise<void> {
  publishNotifications(services.pubsub, outcome.notifications);
  if (outcome.notToRequester) {
    for (const userId of [outcome.changed.brokerId, outcome.changed.targetId]) {
      services.pubsub.publish('introductions:changed', userId, { userId, introductionId: outcome.changed.id });
    }
  } else {
    publishIntroductionChange(
      services.pubsub,
      { ...outcome.changed, status: outcome.changedField?.status },
      outcome.changedField?.field,
    );
  }
  if (outcome.left) publishIntroductionConversationLeft(services, outcome.left);
  if (outcome.card) await publishCardMessage(services, outcome.card);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

const alreadyRequested = (targetName: string) =>
  new ConflictError(
    'ALREADY_REQUESTED',
    `You already asked to be introduced to ${targetName}: wait for that request, or withdraw it first.`,
  );

/**
 * Both members' rows, ascending id, FOR NO KEY UPDATE: two requests of one requester (their pending
 * limit) or to one broker (their weekly limit) count each other; a transaction that merely
 * references either by a foreign key (FOR KEY SHARE) does not wait.
 */
async function lockMembers(tx: DbClient, ids: readonly string[]): Promise<void> {
  for (const id of [...new Set(ids)].sort()) {
    await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${id}::uuid FOR NO KEY UPDATE`;
  }
}

/** Whether the target takes introductions from this requester (openTo, as the requester may see it). */
async function takesIntroductionsFrom(tx: DbClient, targetId: string, requesterId: string): Promise<boolean> {
  return (await tx.user.count({ where: { id: targetId, AND: [takesIntroductionsFromWhere(requesterId)] } })) > 0;
}

function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: canonicalOrStored(timeZone) }).format(at);
}

/**
 * When the requester may ask about the target again after a decline (null: they may now). A target's
 * answer counts from the end of their step, for a decline as for a lapse: the decline's own time
 * would date it (the requester learns either only at that end).
 */
async function coolDownEnds(
  tx: DbClient,
  requesterId: string,
  targetId: string,
  at: Date,
  env: Services['env'],
): Promise<Date | null> {
  const cooldownMs = env.INTRODUCTIONS_COOLDOWN_DAYS * DAY_MS;
  const stepMs = env.INTRODUCTIONS_STEP_DAYS * DAY_MS;
  // A target's step ends at most one step after it closed: every row that may still count. A
  // lapse the job has not closed yet counts as it will (the requester already reads it as over).
  const closed = await tx.introduction.findMany({
    where: {
      requesterId,
      targetId,
      OR: [
        { status: { in: [...COOL_DOWN_STATUSES] }, closedAt: { gt: new Date(at.getTime() - cooldownMs - stepMs) } },
        lapsedBeforeItsJobWhere(at, env.INTRODUCTIONS_STEP_DAYS),
      ],
    },
    select: { status: true, closedAt: true, forwardedAt: true },
  });
  let ends: Date | null = null;
  for (const row of closed) {
    const from = row.status === 'BROKER_DECLINED' ? row.closedAt : targetStepEndsAt(row, env.INTRODUCTIONS_STEP_DAYS);
    const until = from ? new Date(from.getTime() + cooldownMs) : null;
    if (until && until > at && (!ends || until > ends)) ends = until;
  }
  return ends;
}

export interface RequestData extends RequestIntroductionInput {
  brokerId: string;
  targetId: string;
}

/** The viewer asks a broker to introduce them to a target. */
export async function requestIntroduction(services: Services, viewerId: string, input: RequestData): Promise<string> {
  if (input.brokerId === input.targetId && input.brokerId !== viewerId) {
    throw new ValidationError([
      { path: 'brokerId', message: 'Ask someone other than the person you would like to meet.' },
    ]);
  }
  // Asking oneself, or about oneself: nobody to find.
  if (input.brokerId === viewerId) throw new NotFoundError('That member');
  if (input.targetId === viewerId) throw new NotFoundError('That member');
  let targetName = 'them';
  try {
    const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
      await lockMembers(tx, [viewerId, input.brokerId]);
      const at = now();
      const people = await tx.user.findMany({
        where: { id: { in: [input.brokerId, input.targetId] }, AND: [introductionPartyWhere(viewerId)] },
        select: { id: true, name: true, openTo: true, introductionsThrough: true },
      });
      const broker = people.find((person) => person.id === input.brokerId);
      const target = people.find((person) => person.id === input.targetId);
      // Unknown, suspended, or kept apart by a block (either way, any pair of the three): alike.
      if (!broker || !target) throw new NotFoundError('That member');
      if ((await keptApartFrom(tx, 'introduce', broker.id, [target.id])).size > 0)
        throw new NotFoundError('That member');
      targetName = target.name;
      if (!(await takesIntroductionsFrom(tx, target.id, viewerId))) {
        throw new ConflictError('NOT_OPEN_TO_INTRODUCTIONS', `${target.name} is not taking introductions right now.`);
      }
      const links = await brokerConnections(tx, {
        requesterId: viewerId,
        targetId: target.id,
        brokerIds: [broker.id],
      });
      const refusal = mayBroker(links.get(broker.id), target.introductionsThrough);
      if (refusal === 'NO_CONNECTION') {
        throw new ConflictError(
          'NO_CONNECTION',
          `${broker.name} is not connected to both of you: introducers must share a group, a mentorship or a conversation with each of you.`,
        );
      }
      if (refusal === 'NOT_THROUGH_THIS_BROKER') {
        throw new ConflictError(
          'NOT_THROUGH_THIS_BROKER',
          target.introductionsThrough === 'MENTORSHIPS'
            ? `${target.name} takes introductions only through people they mentor or are mentored by.`
            : `${target.name} takes introductions only through people they share a group or a mentorship with.`,
        );
      }
      const stepDays = services.env.INTRODUCTIONS_STEP_DAYS;
      // Open as the requester reads it: a target's decline they cannot know of yet still waits.
      const openToThem = requesterOpenWhere(at, stepDays);
      const open = await tx.introduction.count({
        where: { requesterId: viewerId, targetId: target.id, AND: [openToThem] },
      });
      if (open > 0) throw alreadyRequested(target.name);
      const again = await coolDownEnds(tx, viewerId, target.id, at, services.env);
      if (again) {
        const requester = await tx.user.findUniqueOrThrow({ where: { id: viewerId }, select: { timeZone: true } });
        throw new ConflictError(
          'COOL_DOWN',
          `You can ask again about ${target.name} after ${dayIn(again, requester.timeZone)}.`,
        );
      }
      const pending = await tx.introduction.count({ where: { requesterId: viewerId, AND: [openToThem] } });
      const maxPending = services.env.INTRODUCTIONS_MAX_PENDING;
      if (pending >= maxPending) {
        throw new ConflictError(
          'TOO_MANY_PENDING',
          `You have ${maxPending} introduction requests waiting: withdraw one or wait for an answer first.`,
        );
      }
      const thisWeek = await tx.introduction.count({
        where: { brokerId: broker.id, createdAt: { gt: new Date(at.getTime() - WEEK_MS) } },
      });
      if (thisWeek >= services.env.INTRODUCTIONS_BROKER_WEEKLY_MAX) {
        throw new ConflictError(
          'BROKER_BUSY',
          `${broker.name} has had many requests this week; try again later or ask someone else.`,
        );
      }
      const expiresAt = new Date(at.getTime() + services.env.INTRODUCTIONS_STEP_DAYS * DAY_MS);
      const created = await tx.introduction.create({
        data: {
          requesterId: viewerId,
          brokerId: broker.id,
          targetId: target.id,
          reason: input.reason,
          hopes: input.hopes,
          expiresAt,
          createdAt: at,
        },
        select: { id: true, requesterId: true, brokerId: true, targetId: true, forwardedAt: true },
      });
      await scheduleStepExpiry(tx, created.id, expiresAt);
      const notifications = await notify(tx, {
        kind: introductionRequested,
        recipientIds: [broker.id],
        actorId: viewerId,
        subjectId: subjectOf(created.id),
        data: { introductionId: created.id },
      });
      return { value: created.id, notifications, changed: created };
    }, TX_OPTIONS);
    await publishOutcome(services, outcome);
    return outcome.value;
  } catch (error) {
    // The partial unique index (one open request per requester and target): the backstop of the
    // count made under the requester's lock.
    if (isUniqueViolation(error)) throw alreadyRequested(targetName);
    throw error;
  }
}

/** The introduction's row, locked; NOT_FOUND unless the viewer sees it. */
async function lockIntroduction(tx: DbClient, introductionId: string, viewerId: string) {
  await tx.$queryRaw`SELECT "id" FROM "Introduction" WHERE "id" = ${introductionId}::uuid FOR UPDATE`;
  const row = await tx.introduction.findFirst({
    where: { id: introductionId, AND: [visibleIntroductionsWhere(viewerId)] },
  });
  if (!row) throw notFound();
  return row;
}

type Row = Awaited<ReturnType<typeof lockIntroduction>>;

/** The viewer takes `action` now, or is told it is no longer theirs to take (its step ran out too). */
function requireStep(
  action: IntroductionAction,
  row: Row,
  viewerId: string,
  deadline: boolean,
  stepDays: number,
): void {
  const role = introductionRoleOf(row, viewerId);
  // The requester acts on the state they read: a target's decline they cannot know of yet is still FORWARDED.
  const status = role === 'REQUESTER' ? requesterStatus(row, now(), stepDays) : row.status;
  if (!mayActOnIntroduction(action, role, status)) throw CLOSED();
  if (deadline && row.expiresAt && row.expiresAt.getTime() <= now().getTime()) throw CLOSED();
}

/**
 * A block between any two of the three, arisen since the request, or one of them suspended since:
 * the step looks like a missing introduction.
 */
async function refuseAcrossBlocks(tx: DbClient, row: Row): Promise<void> {
  if ((await tx.user.count({ where: introductionPartiesStandingWhere(row) })) < 3) throw notFound();
  const apart =
    (await keptApartFrom(tx, 'introduce', row.brokerId, [row.requesterId, row.targetId])).size > 0 ||
    (await keptApartFrom(tx, 'introduce', row.requesterId, [row.targetId])).size > 0;
  if (apart) throw notFound();
}

function changedOf(row: Row, forwardedAt: Date | null = row.forwardedAt): Outcome<string>['changed'] {
  return { id: row.id, requesterId: row.requesterId, brokerId: row.brokerId, targetId: row.targetId, forwardedAt };
}

/** The broker forwards the request to the target, with a note and how they present the requester. */
export async function forwardIntroduction(
  services: Services,
  viewerId: string,
  input: ForwardIntroductionInput & { introductionId: string },
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const row = await lockIntroduction(tx, input.introductionId, viewerId);
    requireStep('forward', row, viewerId, true, services.env.INTRODUCTIONS_STEP_DAYS);
    await refuseAcrossBlocks(tx, row);
    const target = await tx.user.findFirst({
      where: { id: row.targetId, AND: [introductionPartyWhere(row.requesterId)] },
      select: { id: true, name: true, introductionsThrough: true },
    });
    if (!target) throw notFound();
    if (!(await takesIntroductionsFrom(tx, row.targetId, row.requesterId))) {
      throw new ConflictError('NOT_OPEN_TO_INTRODUCTIONS', `${target.name} is not taking introductions right now.`);
    }
    // The target's terms hold when it reaches them: they may have left the group they shared with
    // the broker, or narrowed whom they take introductions through, since the request.
    if (!(await targetStillAcceptsThrough(tx, { requesterId: row.requesterId, brokerId: row.brokerId, target }))) {
      throw new ConflictError('NOT_THROUGH_THIS_BROKER', `${target.name} no longer takes introductions through you.`);
    }
    const at = now();
    const expiresAt = new Date(at.getTime() + services.env.INTRODUCTIONS_STEP_DAYS * DAY_MS);
    await tx.introduction.update({
      where: { id: row.id },
      data: {
        status: 'FORWARDED',
        forwardedAt: at,
        brokerNote: input.note,
        presentation: input.presentation ?? row.reason,
        expiresAt,
      },
    });
    await scheduleStepExpiry(tx, row.id, expiresAt);
    const told = (to: 'TARGET' | 'REQUESTER', recipientId: string) =>
      notify(tx, {
        kind: introductionForwarded,
        recipientIds: [recipientId],
        actorId: viewerId,
        subjectId: subjectOf(row.id),
        data: { introductionId: row.id, to },
      });
    const notifications = [...(await told('TARGET', row.targetId)), ...(await told('REQUESTER', row.requesterId))];
    return { value: row.id, notifications, changed: changedOf(row, at) };
  }, TX_OPTIONS);
  await publishOutcome(services, outcome);
  return outcome.value;
}

/** The broker declines the request: the requester reads "not now", and the broker's message if any. */
export async function declineIntroductionRequest(
  services: Services,
  viewerId: string,
  input: { introductionId: string; messageToRequester: string },
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const row = await lockIntroduction(tx, input.introductionId, viewerId);
    if (introductionRoleOf(row, viewerId) !== 'BROKER') throw CLOSED();
    requireStep('decline', row, viewerId, true, services.env.INTRODUCTIONS_STEP_DAYS);
    await tx.introduction.update({
      where: { id: row.id },
      data: {
        status: 'BROKER_DECLINED',
        closedAt: now(),
        expiresAt: null,
        brokerMessage: input.messageToRequester || null,
      },
    });
    await cancelStepExpiry(tx, row.id);
    const notifications = await notify(tx, {
      kind: introductionNotNow,
      recipientIds: [row.requesterId],
      actorId: viewerId,
      subjectId: subjectOf(row.id),
      data: { introductionId: row.id },
    });
    return { value: row.id, notifications, changed: changedOf(row) };
  }, TX_OPTIONS);
  await publishOutcome(services, outcome);
  return outcome.value;
}

const MAX_CARD_NAME = 90;

/** A name short enough for the card's title: three of them and the words fit its 300 characters. */
function cardName(name: string): string {
  if (name.length <= MAX_CARD_NAME) return name;
  const points = Array.from(name);
  while (points.join('').length > MAX_CARD_NAME - 1) points.pop();
  return `${points.join('')}…`;
}

/**
 * The target accepts: the three's conversation opens with the broker's note as a card, the
 * follow-up is scheduled, and all three are told.
 */
export async function acceptIntroduction(
  services: Services,
  viewerId: string,
  input: { introductionId: string; note: string },
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const row = await lockIntroduction(tx, input.introductionId, viewerId);
    requireStep('accept', row, viewerId, true, services.env.INTRODUCTIONS_STEP_DAYS);
    await refuseAcrossBlocks(tx, row);
    const at = now();
    const conversationId = await createIntroductionConversation(tx, {
      requesterId: row.requesterId,
      brokerId: row.brokerId,
      targetId: row.targetId,
      createdById: viewerId,
    });
    await tx.introduction.update({
      where: { id: row.id },
      data: { status: 'ACCEPTED', closedAt: at, expiresAt: null, targetNote: input.note || null, conversationId },
    });
    await cancelStepExpiry(tx, row.id);
    await scheduleFollowUp(tx, row.id, new Date(at.getTime() + services.env.INTRODUCTIONS_FOLLOW_UP_DAYS * DAY_MS));
    const names = new Map(
      (
        await tx.user.findMany({
          where: { id: { in: [row.requesterId, row.brokerId, row.targetId] } },
          select: { id: true, name: true },
        })
      ).map((user) => [user.id, cardName(user.name)]),
    );
    const card = await postCardInTransaction(tx, {
      conversationId,
      authorId: row.brokerId,
      clientId: `introduction:${row.id}`,
      card: {
        title: `${names.get(row.brokerId)} introduced ${names.get(row.requesterId)} and ${names.get(row.targetId)}`,
        lines: row.brokerNote ? [row.brokerNote] : [],
        href: introductionPath(row.id),
        tone: 'SUCCESS',
      },
    });
    const notifications = await notify(tx, {
      kind: introductionAccepted,
      recipientIds: [row.requesterId, row.brokerId, row.targetId],
      actorId: viewerId,
      subjectId: subjectOf(row.id),
      data: { introductionId: row.id },
    });
    return { value: row.id, notifications, changed: changedOf(row), card };
  }, TX_OPTIONS);
  await publishOutcome(services, outcome);
  return outcome.value;
}

/**
 * The target declines, with an optional note the broker reads at once. The requester is told only
 * that it did not happen, at the end of the target's step, exactly as when the target lets it lapse
 * (then, by the expiry job; no actor, the same kind and words; until then they read it as forwarded).
 */
export async function declineIntroduction(
  services: Services,
  viewerId: string,
  input: { introductionId: string; note: string },
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const row = await lockIntroduction(tx, input.introductionId, viewerId);
    if (introductionRoleOf(row, viewerId) !== 'TARGET') throw CLOSED();
    requireStep('decline', row, viewerId, true, services.env.INTRODUCTIONS_STEP_DAYS);
    // The step's deadline and its expiry job stay: the requester learns of the decline only then,
    // from that job, exactly as of a lapse (introductions.jobs.ts).
    await tx.introduction.update({
      where: { id: row.id },
      data: { status: 'TARGET_DECLINED', closedAt: now(), targetNote: input.note || null },
    });
    const notifications = await notify(tx, {
      kind: introductionDeclined,
      recipientIds: [row.brokerId],
      actorId: viewerId,
      subjectId: subjectOf(row.id),
      data: { introductionId: row.id },
    });
    return { value: row.id, notifications, changed: changedOf(row), notToRequester: true };
  }, TX_OPTIONS);
  await publishOutcome(services, outcome);
  return outcome.value;
}

/** The requester takes their request back before acceptance; the broker is told, and the target if it reached them. */
export async function withdrawIntroduction(
  services: Services,
  viewerId: string,
  input: { introductionId: string },
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const row = await lockIntroduction(tx, input.introductionId, viewerId);
    // Once the step's time is up it is no longer the requester's to withdraw, whether the target
    // declined or let it lapse (the expiry job closes it): the two read alike to the very end.
    requireStep('withdraw', row, viewerId, true, services.env.INTRODUCTIONS_STEP_DAYS);
    await tx.introduction.update({
      where: { id: row.id },
      data: { status: 'WITHDRAWN', closedAt: now(), expiresAt: null },
    });
    await cancelStepExpiry(tx, row.id);
    // A target who declined (the requester could not know yet) is not told again.
    const told = row.forwardedAt && row.status !== 'TARGET_DECLINED' ? [row.brokerId, row.targetId] : [row.brokerId];
    const notifications = await notify(tx, {
      kind: introductionWithdrawn,
      recipientIds: told,
      actorId: viewerId,
      subjectId: subjectOf(row.id),
      data: { introductionId: row.id },
    });
    return { value: row.id, notifications, changed: changedOf(row) };
  }, TX_OPTIONS);
  await publishOutcome(services, outcome);
  return outcome.value;
}

/** The requester or the target answers "did you connect?" (any time after acceptance; a new answer replaces theirs). */
export async function answerIntroductionFollowUp(
  services: Services,
  viewerId: string,
  input: { introductionId: string; answer: IntroductionFollowUpAnswer },
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const row = await lockIntroduction(tx, input.introductionId, viewerId);
    requireStep('answerFollowUp', row, viewerId, false, services.env.INTRODUCTIONS_STEP_DAYS);
    const at = now();
    const asRequester = introductionRoleOf(row, viewerId) === 'REQUESTER';
    await tx.introduction.update({
      where: { id: row.id },
      data: asRequester
        ? { requesterFollowUp: input.answer, requesterFollowUpAt: at }
        : { targetFollowUp: input.answer, targetFollowUpAt: at },
    });
    return {
      value: row.id,
      notifications: [],
      changed: changedOf(row),
      changedField: { field: asRequester ? 'requesterFollowUp' : 'targetFollowUp', status: row.status },
    };
  }, TX_OPTIONS);
  await publishOutcome(services, outcome);
  return outcome.value;
}

/** The broker leaves the three's conversation (once); the two they introduced carry on. */
export async function leaveIntroductionConversationAsBroker(
  services: Services,
  viewerId: string,
  input: { introductionId: string },
): Promise<string> {
  const outcome = await services.db.$transaction(async (tx): Promise<Outcome<string>> => {
    const row = await lockIntroduction(tx, input.introductionId, viewerId);
    requireStep('leaveConversation', row, viewerId, false, services.env.INTRODUCTIONS_STEP_DAYS);
    if (!row.conversationId || !(await leaveIntroductionConversation(tx, row.conversationId, viewerId))) {
      throw new ConflictError('ALREADY_LEFT', 'You already left this conversation.');
    }
    return {
      value: row.id,
      notifications: [],
      changed: changedOf(row),
      left: { conversationId: row.conversationId, userId: viewerId },
    };
  }, TX_OPTIONS);
  await publishOutcome(services, outcome);
  return outcome.value;
}
