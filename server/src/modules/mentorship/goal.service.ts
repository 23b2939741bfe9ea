import { Temporal } from 'temporal-polyfill';
import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import type { GoalMeasure, GoalStatus } from '../../generated/prisma/enums.js';
import { now, nowMs } from '../../lib/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { uuidv7 } from '../../lib/ids.js';
import { type MessageCardInput, type PostedCard, postCardInTransaction, publishCardMessage } from '../chat/index.js';
import { publishMentorshipActivity } from './activity.js';
import type { CreateGoalData, UpdateGoalData } from './goal.inputs.js';
import { mayWriteRelationship, roleIn } from './mentorship.policy.js';
import { cancelGoalNudges, dueDayEndsAt, plainDateOf, scheduleGoalNudges } from './nudges.js';
import { mentorshipPath } from './nudges.notifications.js';

// Goals: every write takes the mentorship row lock first (FOR UPDATE: ending the mentorship takes
// it too, so nothing is written into a mentorship that just ended), then the goal's row, then — by
// posting its card — the conversation's row. Each change that others should hear of posts a card
// into the pair's MENTORSHIP conversation in the same transaction; cards are published after commit.

type Ctx = Pick<Context, 'db' | 'pubsub' | 'viewer'>;

export interface LockedMentorship {
  id: string;
  mentorId: string;
  menteeId: string;
  status: 'ACTIVE' | 'ENDED';
  conversationId: string;
}

export function viewerIdOf(ctx: Pick<Context, 'viewer'>): string {
  if (!ctx.viewer) throw new ForbiddenError('Sign in to do this.');
  return ctx.viewer.id;
}

/**
 * Locks the mentorship if the viewer is one of its two members (else NotFound: forbidden looks like
 * missing). `write`: it must be ACTIVE (MENTORSHIP_ENDED otherwise).
 */
export async function lockMentorship(
  tx: DbClient,
  mentorshipId: string,
  viewerId: string,
  write = true,
): Promise<LockedMentorship> {
  const [mentorship] = await tx.$queryRaw<LockedMentorship[]>`
    SELECT "id", "mentorId", "menteeId", "status"::text AS "status", "conversationId"
      FROM "Mentorship" WHERE "id" = ${mentorshipId}::uuid FOR UPDATE`;
  if (!mentorship || roleIn(mentorship, viewerId) === null) throw new NotFoundError('That mentorship');
  if (write && !mayWriteRelationship(mentorship, viewerId)) {
    throw new ConflictError('MENTORSHIP_ENDED', 'This mentorship has ended: it can be read, not changed.');
  }
  return mentorship;
}

export interface GoalFacts {
  measure: GoalMeasure;
  startValue: number | null;
  targetValue: number | null;
  currentValue: number | null;
}

/** 0–1: how far from start to target (either direction), or the share of checklist steps done. */
export function goalProgress(goal: GoalFacts, checklist: ReadonlyArray<{ doneAt: Date | null }>): number {
  if (goal.measure === 'CHECKLIST') {
    if (checklist.length === 0) return 0;
    return checklist.filter((item) => item.doneAt !== null).length / checklist.length;
  }
  const start = goal.startValue ?? 0;
  const target = goal.targetValue ?? 0;
  if (target === start) return 1;
  const fraction = ((goal.currentValue ?? start) - start) / (target - start);
  return Math.min(1, Math.max(0, fraction));
}

export function isOverdue(goal: { status: GoalStatus; dueOn: Date }, zone: string, at = now()): boolean {
  return goal.status === 'ACTIVE' && at >= dueDayEndsAt(goal.dueOn, zone);
}

async function zoneOf(db: DbClient, userId: string): Promise<string> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  return user?.timeZone ?? 'UTC';
}

/** A due day may not be before today in the viewer's own zone. */
async function checkDueOn(db: DbClient, viewerId: string, dueOn: Temporal.PlainDate): Promise<Date> {
  const today = Temporal.Instant.fromEpochMilliseconds(nowMs())
    .toZonedDateTimeISO(await zoneOf(db, viewerId))
    .toPlainDate();
  if (Temporal.PlainDate.compare(dueOn, today) < 0) {
    throw new ValidationError([{ path: 'dueOn', message: 'Pick today or a later day.' }]);
  }
  return new Date(`${dueOn.toString()}T00:00:00.000Z`);
}

interface GoalRow extends GoalFacts {
  id: string;
  mentorshipId: string;
  title: string;
  unit: string;
  status: GoalStatus;
  dueOn: Date;
  lastProgressAt: Date;
}

/** Locks the goal (after its mentorship: lockMentorship first) and reads it with its checklist. */
async function lockGoal(tx: DbClient, goalId: string, viewerId: string, write = true) {
  const found = await tx.goal.findUnique({ where: { id: goalId }, select: { mentorshipId: true } });
  if (!found) throw new NotFoundError('That goal');
  const mentorship = await lockMentorship(tx, found.mentorshipId, viewerId, write).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError('That goal') : error;
  });
  const [goal] = await tx.$queryRaw<GoalRow[]>`
    SELECT "id", "mentorshipId", "title", "unit", "measure"::text AS "measure", "startValue", "targetValue",
           "currentValue", "status"::text AS "status", "dueOn", "lastProgressAt"
      FROM "Goal" WHERE "id" = ${goalId}::uuid FOR UPDATE`;
  if (!goal) throw new NotFoundError('That goal');
  const checklist = await tx.goalChecklistItem.findMany({
    where: { goalId },
    orderBy: { position: 'asc' },
    select: { id: true, text: true, doneAt: true },
  });
  return { mentorship, goal, checklist };
}

function requireActive(goal: { status: GoalStatus }): void {
  if (goal.status !== 'ACTIVE') {
    throw new ConflictError(
      'GOAL_NOT_ACTIVE',
      goal.status === 'COMPLETED' ? 'This goal is already completed.' : 'This goal was dropped.',
    );
  }
}

function goalHref(mentorshipId: string, goalId: string): string {
  return `${mentorshipPath(mentorshipId)}?goal=${encodeURIComponent(encodeGlobalId('Goal', goalId))}`;
}

function progressOf(goal: GoalFacts & { unit: string }, checklist: ReadonlyArray<{ doneAt: Date | null }>) {
  if (goal.measure === 'CHECKLIST') {
    return { value: checklist.filter((item) => item.doneAt !== null).length, target: checklist.length, unit: 'steps' };
  }
  return { value: goal.currentValue ?? goal.startValue ?? 0, target: goal.targetValue ?? 0, unit: goal.unit };
}

async function postGoalCard(
  tx: DbClient,
  mentorship: LockedMentorship,
  authorId: string,
  clientId: string,
  card: MessageCardInput,
): Promise<PostedCard> {
  return postCardInTransaction(tx, { conversationId: mentorship.conversationId, authorId, clientId, card }).catch(
    (error: unknown) => {
      // The author is one of the pair (lockMentorship), so the conversation refusing them means a
      // block between the two has closed it (chat.policy CLOSED_BY_BLOCK): nothing is stored.
      if (error instanceof NotFoundError) {
        throw new ConflictError(
          'CONVERSATION_CLOSED',
          'You and your mentorship partner can no longer write to each other; the mentorship can only be ended.',
        );
      }
      throw error;
    },
  );
}

async function publish(ctx: Ctx, cards: PostedCard[], mentorship: LockedMentorship): Promise<void> {
  for (const card of cards) await publishCardMessage(ctx, card);
  publishMentorshipActivity(ctx.pubsub, {
    userIds: [mentorship.mentorId, mentorship.menteeId],
    kind: 'GOAL_CHANGED',
    mentorshipId: mentorship.id,
  });
}

export async function createGoal(ctx: Ctx, mentorshipId: string, data: CreateGoalData): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const dueOn = await checkDueOn(ctx.db, viewerId, data.dueOn);
  const { goalId, card, mentorship } = await ctx.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    const at = now();
    const target = data.measure === 'TARGET';
    const goal = await tx.goal.create({
      data: {
        mentorshipId,
        createdById: viewerId,
        title: data.title,
        specificOutcome: data.specificOutcome,
        whyItMatters: data.whyItMatters,
        measure: data.measure,
        startValue: target ? data.startValue : null,
        targetValue: target ? data.targetValue : null,
        currentValue: target ? data.startValue : null,
        unit: target ? data.unit : '',
        dueOn,
        lastProgressAt: at,
        createdAt: at,
        checklist: target
          ? undefined
          : { createMany: { data: (data.checklist ?? []).map((text, position) => ({ text, position })) } },
      },
      select: { id: true, dueOn: true, lastProgressAt: true },
    });
    await scheduleGoalNudges(tx, goal, await zoneOf(tx, mentorship.menteeId));
    const steps = data.checklist ?? [];
    const card = await postGoalCard(tx, mentorship, viewerId, `goal:${goal.id}:created`, {
      title: `New goal: ${data.title}`,
      // In words, as the goal itself shows it beside the card ("Due Sun, 7 Mar 2027", not 2027-03-07).
      lines: [
        data.specificOutcome,
        `Due ${plainDateOf(dueOn).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })}`,
      ],
      progress: target
        ? { value: data.startValue ?? 0, target: data.targetValue ?? 0, unit: data.unit }
        : { value: 0, target: steps.length, unit: 'steps' },
      href: goalHref(mentorshipId, goal.id),
      tone: 'NEUTRAL',
    });
    return { goalId: goal.id, card, mentorship };
  });
  await publish(ctx, [card], mentorship);
  return goalId;
}

export async function updateGoal(ctx: Ctx, goalId: string, data: UpdateGoalData): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  const dueOn = data.dueOn ? await checkDueOn(ctx.db, viewerId, data.dueOn) : undefined;
  const mentorship = await ctx.db.$transaction(async (tx) => {
    const { mentorship, goal } = await lockGoal(tx, goalId, viewerId);
    requireActive(goal);
    if (goal.measure === 'CHECKLIST' && (data.targetValue !== undefined || data.unit !== undefined)) {
      throw new ValidationError([{ path: 'targetValue', message: 'A checklist goal has no target value.' }]);
    }
    if (data.targetValue !== undefined && data.targetValue === goal.startValue) {
      throw new ValidationError([{ path: 'targetValue', message: 'The target must differ from the start.' }]);
    }
    const updated = await tx.goal.update({
      where: { id: goalId },
      data: {
        title: data.title,
        specificOutcome: data.specificOutcome,
        whyItMatters: data.whyItMatters,
        dueOn,
        targetValue: data.targetValue,
        unit: data.unit,
      },
      select: { id: true, dueOn: true, lastProgressAt: true },
    });
    if (dueOn) await scheduleGoalNudges(tx, updated, await zoneOf(tx, mentorship.menteeId));
    return mentorship;
  });
  await publish(ctx, [], mentorship);
}

export interface ProgressData {
  value: number | null | undefined;
  /** Checklist: the steps done after this update (row ids). */
  doneItemIds: string[] | null | undefined;
  note: string;
}

/** Records progress: a GoalUpdate and a card; reaching the target (or every step) completes the goal. */
export async function recordGoalProgress(
  ctx: Ctx,
  goalId: string,
  data: ProgressData,
): Promise<{ goalId: string; updateId: string }> {
  const viewerId = viewerIdOf(ctx);
  const { updateId, card, mentorship } = await ctx.db.$transaction(async (tx) => {
    const { mentorship, goal, checklist } = await lockGoal(tx, goalId, viewerId);
    requireActive(goal);
    const at = now();
    let current = checklist;
    if (goal.measure === 'TARGET') {
      if (data.value == null) throw new ValidationError([{ path: 'value', message: 'Give the new value.' }]);
      if (data.doneItemIds != null)
        throw new ValidationError([{ path: 'doneItemIds', message: 'A target goal has no steps.' }]);
      goal.currentValue = data.value;
    } else {
      if (data.doneItemIds == null)
        throw new ValidationError([{ path: 'doneItemIds', message: 'Say which steps are done.' }]);
      if (data.value != null) throw new ValidationError([{ path: 'value', message: 'A checklist goal has no value.' }]);
      const known = new Set(checklist.map((item) => item.id));
      const done = new Set(data.doneItemIds);
      if ([...done].some((id) => !known.has(id))) {
        throw new ValidationError([{ path: 'doneItemIds', message: 'Pick only steps of this goal.' }]);
      }
      current = checklist.map((item) => ({
        ...item,
        doneAt: done.has(item.id) ? (item.doneAt ?? at) : null,
      }));
      const ticked = current.filter(
        (item) => item.doneAt !== null && checklist.find((old) => old.id === item.id)?.doneAt === null,
      );
      const unticked = current.filter(
        (item) => item.doneAt === null && checklist.find((old) => old.id === item.id)?.doneAt !== null,
      );
      if (ticked.length > 0)
        await tx.goalChecklistItem.updateMany({
          where: { id: { in: ticked.map((item) => item.id) } },
          data: { doneAt: at },
        });
      if (unticked.length > 0)
        await tx.goalChecklistItem.updateMany({
          where: { id: { in: unticked.map((item) => item.id) } },
          data: { doneAt: null },
        });
    }
    const progress = progressOf(goal, current);
    const completes = goalProgress(goal, current) >= 1;
    const updateId = uuidv7(at.getTime());
    const lines = [
      ...(goal.measure === 'CHECKLIST'
        ? current
            .filter((item) => item.doneAt !== null)
            .map((item) => `✓ ${item.text}`)
            .slice(0, 8)
        : []),
      ...(data.note ? [data.note] : []),
    ];
    const card = await postGoalCard(tx, mentorship, viewerId, `goal-update:${updateId}`, {
      title: completes ? `Goal completed: ${goal.title}` : `Progress on ${goal.title}`,
      lines,
      progress,
      href: goalHref(mentorship.id, goalId),
      tone: completes ? 'SUCCESS' : 'PROGRESS',
    });
    await tx.goalUpdate.create({
      data: {
        id: updateId,
        goalId,
        authorId: viewerId,
        note: data.note,
        value: progress.value,
        completes,
        messageId: card.messageId,
        createdAt: at,
      },
    });
    const updated = await tx.goal.update({
      where: { id: goalId },
      data: {
        currentValue: goal.measure === 'TARGET' ? goal.currentValue : null,
        lastProgressAt: at,
        ...(completes ? { status: 'COMPLETED' as const, completedAt: at } : {}),
      },
      select: { id: true, dueOn: true, lastProgressAt: true },
    });
    if (completes) await cancelGoalNudges(tx, goalId);
    else await scheduleGoalNudges(tx, updated, await zoneOf(tx, mentorship.menteeId));
    return { updateId, card, mentorship };
  });
  await publish(ctx, [card], mentorship);
  return { goalId, updateId };
}

/** Closes a goal by hand: COMPLETED (a completion card) or DROPPED (a card saying so). */
export async function closeGoal(ctx: Ctx, goalId: string, status: 'COMPLETED' | 'DROPPED', note = ''): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  const { card, mentorship } = await ctx.db.$transaction(async (tx) => {
    const { mentorship, goal, checklist } = await lockGoal(tx, goalId, viewerId);
    requireActive(goal);
    const at = now();
    const progress = progressOf(goal, checklist);
    const completes = status === 'COMPLETED';
    const updateId = uuidv7(at.getTime());
    const card = await postGoalCard(tx, mentorship, viewerId, `goal-update:${updateId}`, {
      title: completes ? `Goal completed: ${goal.title}` : `Goal dropped: ${goal.title}`,
      lines: note ? [note] : [],
      progress,
      href: goalHref(mentorship.id, goalId),
      tone: completes ? 'SUCCESS' : 'NEUTRAL',
    });
    await tx.goalUpdate.create({
      data: {
        id: updateId,
        goalId,
        authorId: viewerId,
        note,
        value: progress.value,
        completes,
        messageId: card.messageId,
        createdAt: at,
      },
    });
    await tx.goal.update({ where: { id: goalId }, data: { status, completedAt: completes ? at : null } });
    await cancelGoalNudges(tx, goalId);
    return { card, mentorship };
  });
  await publish(ctx, [card], mentorship);
}

export { lockGoal };
