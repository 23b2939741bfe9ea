import type { Context } from '../../context.js';
import type { ConversationKind, IntroductionStatus } from '../../generated/prisma/enums.js';
import { NIL_UUID } from '../../lib/ids.js';
import { now as clockNow } from '../../lib/clock.js';
import { builder } from '../../schema/builder.js';
import { ConversationRef, canViewConversation } from '../chat/index.js';
import { PersonRef } from '../people/index.js';
import {
  INTRODUCTION_ROLES,
  type INTRODUCTION_STATES,
  type IntroductionAction,
  type IntroductionField,
  introductionRoleOf,
  declineHiddenFromRequester,
  introductionStateFor,
  mayActOnIntroduction,
  requesterStatus,
  seesIntroductionField,
  targetStepEndsAt,
  visibleIntroductionsWhere,
} from './introductions.policy.js';

// The Introduction node as each of its three people reads it. Whether it exists for the viewer at
// all (node(id), lists, live events) and which field each role reads in which state are the
// policy's (introductions.policy.ts); every field here asks it with the row's facts.

export const IntroductionRoleEnum = builder.enumType('IntroductionRole', { values: INTRODUCTION_ROLES });

export const IntroductionStateEnum = builder.enumType('IntroductionState', {
  description:
    'The requester reads REQUESTED, FORWARDED, ACCEPTED, NOT_NOW, NOT_HAPPENED, EXPIRED or WITHDRAWN; the broker and the target read the real state.',
  values: {
    REQUESTED: { description: 'Waiting for the broker.' },
    FORWARDED: { description: 'The broker forwarded it: waiting for the target.' },
    ACCEPTED: { description: 'The target accepted: the three share a conversation.' },
    NOT_NOW: { description: '(Requester) The broker declined.' },
    NOT_HAPPENED: { description: '(Requester) The introduction did not happen (whatever the reason).' },
    EXPIRED: { description: '(Requester) The broker did not answer in time.' },
    WITHDRAWN: { description: 'The requester withdrew it.' },
    BROKER_DECLINED: { description: 'The broker declined.' },
    TARGET_DECLINED: { description: 'The target declined.' },
    BROKER_EXPIRED: { description: 'The broker did not answer in time.' },
    TARGET_EXPIRED: { description: 'The target did not answer in time.' },
  } satisfies Record<(typeof INTRODUCTION_STATES)[number], { description: string }>,
});

export const IntroductionFollowUpAnswerEnum = builder.enumType('IntroductionFollowUpAnswer', {
  values: ['YES', 'NOT_YET', 'NO'] as const,
});

/** What every field reads to decide: the three people, the status, whether it was forwarded. */
const FACTS = { requesterId: true, brokerId: true, targetId: true, status: true, forwardedAt: true } as const;

interface Facts {
  requesterId: string;
  brokerId: string;
  targetId: string;
  status: IntroductionStatus;
  forwardedAt: Date | null;
}

const roleOf = (row: Facts, ctx: Context) => introductionRoleOf(row, ctx.viewer?.id);

/** Whether this viewer is the requester of a decline they may not learn of yet (the policy's rule). */
const hiddenDecline = (row: Facts, ctx: Context) =>
  roleOf(row, ctx) === 'REQUESTER' && declineHiddenFromRequester(row, clockNow(), ctx.env.INTRODUCTIONS_STEP_DAYS);

/** The status the viewer's view is made from: the requester's reads FORWARDED while a decline is hidden. */
const statusFor = (row: Facts, ctx: Context): IntroductionStatus =>
  roleOf(row, ctx) === 'REQUESTER' ? requesterStatus(row, clockNow(), ctx.env.INTRODUCTIONS_STEP_DAYS) : row.status;

/** The value when the viewer's role reads this field in this state, else null. */
function shown<T>(field: IntroductionField, row: Facts, ctx: Context, value: T): T | null {
  return seesIntroductionField(field, roleOf(row, ctx), statusFor(row, ctx)) ? value : null;
}

function may(action: IntroductionAction, row: Facts, ctx: Context): boolean {
  return mayActOnIntroduction(action, roleOf(row, ctx), statusFor(row, ctx));
}

// Whether the viewer may see the conversation is chat's rule (canViewConversation), over facts
// selected with the introduction itself: a list of introductions costs no statement per row.
function conversationAccessSelect(ctx: Context) {
  const userId = ctx.viewer?.id ?? NIL_UUID;
  return {
    kind: true,
    participants: { where: { userId }, select: { userId: true } },
    group: { select: { memberships: { where: { userId }, select: { userId: true } } } },
  } as const;
}

interface ConversationAccessFacts {
  kind: ConversationKind;
  participants: unknown[];
  group: { memberships: unknown[] } | null;
}

function viewerSeesConversation(conversation: ConversationAccessFacts, ctx: Context): boolean {
  return canViewConversation(conversation, {
    signedIn: ctx.viewer !== null,
    isGroupMember: (conversation.group?.memberships.length ?? 0) > 0,
    isParticipant: conversation.participants.length > 0,
  });
}

export const IntroductionRef = builder.prismaNode('Introduction', {
  id: { field: 'id' },
  // Unseen loads as null, exactly like missing.
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [visibleIntroductionsWhere(ctx.viewer?.id)] }),
  description:
    'A request to be introduced: seen by the requester and the broker, and by the target once forwarded; each field as your role may read it.',
  fields: (t) => ({
    viewerRole: t.field({
      type: IntroductionRoleEnum,
      select: FACTS,
      // Only its people load it at all (findUnique and every list ask the policy).
      resolve: (row, _args, ctx) => roleOf(row, ctx) ?? 'REQUESTER',
    }),
    state: t.field({
      type: IntroductionStateEnum,
      description: 'As your role reads it: the requester never learns who declined or let it lapse after forwarding.',
      select: FACTS,
      resolve: (row, _args, ctx) => introductionStateFor(roleOf(row, ctx) ?? 'REQUESTER', statusFor(row, ctx)),
    }),
    requester: t.relation('requester', { type: PersonRef }),
    broker: t.relation('broker', { type: PersonRef }),
    target: t.relation('target', { type: PersonRef }),
    reason: t.string({
      nullable: true,
      description: "The requester's reason: the requester and the broker.",
      select: { ...FACTS, reason: true },
      resolve: (row, _args, ctx) => shown('reason', row, ctx, row.reason),
    }),
    hopes: t.string({
      nullable: true,
      description: 'What the requester hopes for: the requester and the broker.',
      select: { ...FACTS, hopes: true },
      resolve: (row, _args, ctx) => shown('hopes', row, ctx, row.hopes),
    }),
    presentation: t.string({
      nullable: true,
      description: 'How the broker presents the requester to the target (the reason until the broker edits it).',
      select: { ...FACTS, presentation: true, reason: true },
      resolve: (row, _args, ctx) => shown('presentation', row, ctx, row.presentation ?? row.reason),
    }),
    brokerNote: t.string({
      nullable: true,
      description: "The broker's note to the target: the broker and the target; the requester once accepted.",
      select: { ...FACTS, brokerNote: true },
      resolve: (row, _args, ctx) => shown('brokerNote', row, ctx, row.brokerNote),
    }),
    brokerMessage: t.string({
      nullable: true,
      description: "The broker's words to the requester when declining: the requester and the broker.",
      select: { ...FACTS, brokerMessage: true },
      resolve: (row, _args, ctx) => shown('brokerMessage', row, ctx, row.brokerMessage),
    }),
    targetNote: t.string({
      nullable: true,
      description: "The target's note: the target and the broker; the requester only once accepted.",
      select: { ...FACTS, targetNote: true },
      resolve: (row, _args, ctx) => shown('targetNote', row, ctx, row.targetNote),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    forwardedAt: t.expose('forwardedAt', { type: 'DateTime', nullable: true }),
    closedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it reached its final state; null for the requester when it did not happen.',
      select: { ...FACTS, closedAt: true },
      resolve: (row, _args, ctx) => (hiddenDecline(row, ctx) ? null : shown('closedAt', row, ctx, row.closedAt)),
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: "When the current step runs out: for the requester, and for whoever's turn it is.",
      select: { ...FACTS, expiresAt: true },
      // A hidden decline keeps, for the requester, the deadline of the target's step it replaced.
      resolve: (row, _args, ctx) =>
        shown(
          'expiresAt',
          row,
          ctx,
          hiddenDecline(row, ctx) ? targetStepEndsAt(row, ctx.env.INTRODUCTIONS_STEP_DAYS) : row.expiresAt,
        ),
    }),
    conversation: t.field({
      type: ConversationRef,
      nullable: true,
      description: "The three's conversation once accepted (while you are still in it).",
      select: (_args, ctx, nestedSelection) => ({
        ...FACTS,
        conversation: nestedSelection({ select: conversationAccessSelect(ctx) }),
      }),
      resolve: (row, _args, ctx) =>
        row.conversation &&
        seesIntroductionField('conversation', roleOf(row, ctx), statusFor(row, ctx)) &&
        viewerSeesConversation(row.conversation, ctx)
          ? // nestedSelection adds what the query asks of the Conversation to these facts.
            (row.conversation as never)
          : null,
    }),
    requesterFollowUp: t.field({
      type: IntroductionFollowUpAnswerEnum,
      nullable: true,
      description: 'The requester\'s answer to "did you connect?": the requester and the broker.',
      select: { ...FACTS, requesterFollowUp: true },
      resolve: (row, _args, ctx) => shown('requesterFollowUp', row, ctx, row.requesterFollowUp),
    }),
    targetFollowUp: t.field({
      type: IntroductionFollowUpAnswerEnum,
      nullable: true,
      description: 'The target\'s answer to "did you connect?": the target and the broker.',
      select: { ...FACTS, targetFollowUp: true },
      resolve: (row, _args, ctx) => shown('targetFollowUp', row, ctx, row.targetFollowUp),
    }),
    followUpAskedAt: t.field({
      type: 'DateTime',
      nullable: true,
      // The follow-up job asks at exactly closedAt + INTRODUCTIONS_FOLLOW_UP_DAYS (introductions.jobs.ts).
      description: 'When "did you connect?" was asked (some days after acceptance); null before.',
      select: { ...FACTS, closedAt: true },
      resolve: (row, _args, ctx) => {
        if (row.closedAt === null) return null;
        const asked = new Date(row.closedAt.getTime() + ctx.env.INTRODUCTIONS_FOLLOW_UP_DAYS * 86_400_000);
        return asked <= clockNow() ? shown('followUpAskedAt', row, ctx, asked) : null;
      },
    }),
    viewerCanForward: t.boolean({ select: FACTS, resolve: (row, _args, ctx) => may('forward', row, ctx) }),
    viewerCanDecline: t.boolean({
      description: 'The broker at REQUESTED, the target at FORWARDED.',
      select: FACTS,
      resolve: (row, _args, ctx) => may('decline', row, ctx),
    }),
    viewerCanAccept: t.boolean({ select: FACTS, resolve: (row, _args, ctx) => may('accept', row, ctx) }),
    viewerCanWithdraw: t.boolean({ select: FACTS, resolve: (row, _args, ctx) => may('withdraw', row, ctx) }),
    viewerCanAnswerFollowUp: t.boolean({
      select: FACTS,
      resolve: (row, _args, ctx) => may('answerFollowUp', row, ctx),
    }),
    viewerCanLeaveConversation: t.boolean({
      description: 'The broker, while still in the accepted introduction’s conversation.',
      select: (_args, ctx) => ({ ...FACTS, conversation: { select: conversationAccessSelect(ctx) } }),
      resolve: (row, _args, ctx) =>
        may('leaveConversation', row, ctx) &&
        row.conversation !== null &&
        viewerSeesConversation(row.conversation, ctx),
    }),
  }),
});
