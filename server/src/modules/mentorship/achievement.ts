import type { Context } from '../../context.js';
import type { FieldVisibility } from '../../generated/prisma/enums.js';
import { now } from '../../lib/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId, encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { conversationAccess, type PostedCard, postCardInTransaction, publishCardMessage } from '../chat/index.js';
import { FieldVisibilityEnum, PersonRef } from '../people/index.js';
import { publishMentorshipActivity } from './activity.js';
import { idOf } from './goal.mutations.js';
import { lockGoal, viewerIdOf } from './goal.service.js';
import { GoalRef } from './goal.type.js';
import { achievementsSeenWhere, mayCelebrate, visibleMentorshipsWhere } from './mentorship.policy.js';

// Achievements: the mentee may celebrate a COMPLETED goal, once — a badge on their profile with its
// own visibility (people's rule), and, if they pick a channel, a card in it posted on their behalf.
// Which channels: chat's rules, asked through chat's index — one they may see (conversationAccess)
// and write in (postCardInTransaction posts under chat's writable rule). Anything else, a secret
// group's channel included, is answered as not found.

type Ctx = Pick<Context, 'db' | 'pubsub' | 'viewer'>;

export async function celebrateGoal(
  ctx: Ctx,
  goalId: string,
  channelId: string | null,
  visibility: FieldVisibility,
): Promise<string> {
  const viewerId = viewerIdOf(ctx);
  const { achievementId, card, mentorship } = await ctx.db.$transaction(async (tx) => {
    // Reading is enough: a goal completed before the mentorship ended may be celebrated after.
    const { mentorship, goal } = await lockGoal(tx, goalId, viewerId, false);
    if (!mayCelebrate(goal, mentorship, viewerId)) {
      if (mentorship.menteeId !== viewerId) throw new ForbiddenError('Only the mentee celebrates their goal.');
      throw new ConflictError('GOAL_NOT_COMPLETED', 'Complete the goal first, then celebrate it.');
    }
    const existing = await tx.achievement.count({ where: { goalId } });
    if (existing > 0) throw new ConflictError('ALREADY_CELEBRATED', 'This goal was already celebrated.');
    const achievementId = crypto.randomUUID();
    let card: PostedCard | null = null;
    let groupId: string | null = null;
    if (channelId) {
      // A channel only (not the pair's own conversation or a direct one), and one the mentee may see.
      const access = await conversationAccess(tx, channelId, viewerId);
      if (access?.kind !== 'CHANNEL' || !access.groupId) throw new NotFoundError('That channel');
      groupId = access.groupId;
      const mentee = await tx.user.findUniqueOrThrow({ where: { id: viewerId }, select: { name: true } });
      const details = await tx.goal.findUniqueOrThrow({ where: { id: goalId }, select: { specificOutcome: true } });
      card = await postCardInTransaction(tx, {
        conversationId: channelId,
        authorId: viewerId,
        clientId: `achievement:${achievementId}`,
        card: {
          title: `🎉 ${mentee.name} reached a mentorship goal: ${goal.title}`,
          lines: [details.specificOutcome],
          href: `/people/${encodeURIComponent(encodeGlobalId('Person', viewerId))}`,
          tone: 'SUCCESS',
        },
      }).catch((error: unknown) => {
        // Not allowed to write there (chat's writable rule): as far as this member goes, it is not there.
        throw error instanceof NotFoundError ? new NotFoundError('That channel') : error;
      });
    }
    await tx.achievement.create({
      data: {
        id: achievementId,
        goalId,
        menteeId: viewerId,
        title: goal.title,
        groupId,
        messageId: card?.messageId ?? null,
        visibility,
        createdAt: now(),
      },
    });
    return { achievementId, card, mentorship };
  });
  if (card) await publishCardMessage(ctx, card);
  publishMentorshipActivity(ctx.pubsub, {
    userIds: [mentorship.mentorId, mentorship.menteeId],
    kind: 'ACHIEVEMENT_CELEBRATED',
    mentorshipId: mentorship.id,
  });
  return achievementId;
}

// ── GraphQL ──────────────────────────────────────────────────────────────

export const AchievementRef = builder.prismaNode('Achievement', {
  nullable: true,
  id: { field: 'id' },
  description: 'A celebrated goal: a badge on the mentee’s profile, seen as its visibility says.',
  findUnique: (id, ctx) => ({ id, AND: [achievementsSeenWhere(ctx.viewer?.id)] }),
  fields: (t) => ({
    title: t.exposeString('title'),
    person: t.relation('mentee', { type: PersonRef, nullable: true }),
    visibility: t.field({
      type: FieldVisibilityEnum,
      nullable: true,
      description: 'Who sees the badge: for the mentee only.',
      resolve: (row, _args, ctx) => (row.menteeId === ctx.viewer?.id ? row.visibility : null),
    }),
    goal: t.prismaField({
      type: GoalRef,
      nullable: true,
      description: 'The goal itself: only for the two members of its mentorship.',
      resolve: (query, row, _args, ctx) =>
        ctx.db.goal.findFirst({
          ...query,
          // visibleMentorshipsWhere, not a hand-made OR: { mentorId: undefined } would match every row.
          where: { id: row.goalId, mentorship: visibleMentorshipsWhere(ctx.viewer?.id) },
        }),
    }),
    messageId: t.id({
      nullable: true,
      description: 'The card posted in the group channel, if one was picked.',
      resolve: (row) => (row.messageId ? encodeGlobalId('Message', row.messageId) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(PersonRef, (t) => ({
  achievements: t.prismaField({
    type: [AchievementRef],
    description: 'Celebrated mentorship goals you may see, newest first.',
    resolve: (query, user, _args, ctx) =>
      ctx.db.achievement.findMany({
        ...query,
        where: { menteeId: user.id, AND: [achievementsSeenWhere(ctx.viewer?.id)] },
        orderBy: { createdAt: 'desc' },
        take: 50,
      }),
  }),
}));

builder.prismaObjectFields(GoalRef, (t) => ({
  mentorship: t.relation('mentorship', { nullable: true }),
  // The badge as its own visibility says, on this path too (a mentor does not see an ONLY_ME badge).
  achievement: t.prismaField({
    type: AchievementRef,
    nullable: true,
    resolve: (query, goal, _args, ctx) =>
      ctx.db.achievement.findFirst({
        ...query,
        where: { goalId: goal.id, AND: [achievementsSeenWhere(ctx.viewer?.id)] },
      }),
  }),
}));

const CelebrateGoalInput = builder.inputType('CelebrateGoalInput', {
  fields: (t) => ({
    goalId: t.id(),
    channelId: t.id({
      required: false,
      description: 'Post a card in this group channel (a CHANNEL conversation you may see and write in).',
    }),
    visibility: t.field({ type: FieldVisibilityEnum, description: 'Who sees the badge on your profile.' }),
  }),
});

const AchievementPayload = builder.objectRef<{ achievementId: string }>('AchievementPayload').implement({
  fields: (t) => ({
    achievement: t.prismaField({
      type: AchievementRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.achievement.findUniqueOrThrow({ ...query, where: { id: payload.achievementId } }),
    }),
  }),
});

builder.mutationField('celebrateGoal', (t) =>
  t.field({
    type: AchievementPayload,
    description:
      'The mentee celebrates a COMPLETED goal, once: a profile badge and, optionally, a card in a group channel they pick.',
    args: { input: t.arg({ type: CelebrateGoalInput }) },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const goalId = idOf(input.goalId, 'Goal', 'That goal');
      const channelId = input.channelId == null ? null : decodeId(String(input.channelId), 'Conversation');
      if (input.channelId != null && !channelId) throw new NotFoundError('That channel');
      return { achievementId: await celebrateGoal(ctx, goalId, channelId, input.visibility) };
    },
  }),
);
