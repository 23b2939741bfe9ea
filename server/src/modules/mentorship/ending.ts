import type { Context } from '../../context.js';
import { now } from '../../lib/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { notify, publishNotifications } from '../notifications/index.js';
import { PersonRef } from '../people/index.js';
import { publishMentorshipActivity } from './activity.js';
import { type ReviewData, reviewInput } from './goal.inputs.js';
import { mentorshipIdOf } from './goal.mutations.js';
import { lockMentorship, viewerIdOf } from './goal.service.js';
import { MentorshipRef } from './mentorship.type.js';
import { roleIn } from './mentorship.policy.js';
import { mentorshipEnded } from './ending.hooks.js';
import { cancelMentorshipNudges } from './nudges.js';
import { mentorshipEndedKind } from './nudges.notifications.js';

// Ending a mentorship: either side ends it with their exit review; the other is told and adds
// theirs (reviewMentorship). ENDED frees the mentor's capacity (it counts ACTIVE mentorships only),
// cancels every pending nudge, withdraws an agreement proposal nobody accepted, and leaves the
// conversation as it is: readable by both, as chat has no read-only conversations.

type Ctx = Pick<Context, 'db' | 'pubsub' | 'viewer'>;

export async function endMentorship(ctx: Ctx, mentorshipId: string, review: ReviewData): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  const { mentorship, notes } = await ctx.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId);
    const at = now();
    await tx.mentorship.update({
      where: { id: mentorshipId },
      data: { status: 'ENDED', endedAt: at, endedById: viewerId },
    });
    await tx.mentorshipReview.create({ data: { mentorshipId, authorId: viewerId, ...review, createdAt: at } });
    await tx.mentorshipAgreement.updateMany({
      where: { mentorshipId, status: 'PROPOSED' },
      data: { status: 'WITHDRAWN' },
    });
    await cancelMentorshipNudges(tx, mentorshipId);
    // What other modules stop with it (office hours' future sessions of the pair).
    const hookNotes = await mentorshipEnded(tx, {
      mentorshipId,
      endedById: viewerId,
      mentorId: mentorship.mentorId,
      menteeId: mentorship.menteeId,
    });
    const other = mentorship.mentorId === viewerId ? mentorship.menteeId : mentorship.mentorId;
    const endedNotes = await notify(tx, {
      recipientIds: [other],
      kind: mentorshipEndedKind,
      actorId: viewerId,
      subjectId: encodeGlobalId('Mentorship', mentorshipId),
      data: { mentorshipId },
    });
    return { mentorship, notes: [...endedNotes, ...hookNotes] };
  });
  publishNotifications(ctx.pubsub, notes);
  publishMentorshipActivity(ctx.pubsub, {
    userIds: [mentorship.mentorId, mentorship.menteeId],
    kind: 'MENTORSHIP_ENDED',
    mentorshipId,
  });
}

/** The other side's exit review, once the mentorship has ended; once per side. */
export async function reviewMentorship(ctx: Ctx, mentorshipId: string, review: ReviewData): Promise<void> {
  const viewerId = viewerIdOf(ctx);
  const mentorship = await ctx.db.$transaction(async (tx) => {
    const mentorship = await lockMentorship(tx, mentorshipId, viewerId, false);
    if (mentorship.status !== 'ENDED') {
      throw new ConflictError(
        'MENTORSHIP_ACTIVE',
        'A review is written when the mentorship ends: end it to review it.',
      );
    }
    const given = await tx.mentorshipReview.count({ where: { mentorshipId, authorId: viewerId } });
    if (given > 0) throw new ConflictError('REVIEW_ALREADY_GIVEN', 'You already reviewed this mentorship.');
    await tx.mentorshipReview.create({ data: { mentorshipId, authorId: viewerId, ...review, createdAt: now() } });
    return mentorship;
  });
  publishMentorshipActivity(ctx.pubsub, {
    userIds: [mentorship.mentorId, mentorship.menteeId],
    kind: 'REVIEW_GIVEN',
    mentorshipId,
  });
}

// ── GraphQL ──────────────────────────────────────────────────────────────

export const MentorshipOutcomeEnum = builder.enumType('MentorshipOutcome', {
  values: ['GOALS_MET', 'PARTLY_MET', 'NOT_MET', 'ENDED_EARLY'] as const,
});

export const MentorshipReviewRef = builder.prismaObject('MentorshipReview', {
  description: 'An exit review; both members see both.',
  fields: (t) => ({
    author: t.relation('author', { type: PersonRef, nullable: true }),
    byViewer: t.boolean({ resolve: (row, _args, ctx) => row.authorId === ctx.viewer?.id }),
    wentWell: t.exposeString('wentWell'),
    outcome: t.expose('outcome', { type: MentorshipOutcomeEnum }),
    wouldRecommend: t.exposeBoolean('wouldRecommend'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(MentorshipRef, (t) => ({
  reviews: t.relation('reviews', {
    description: 'Exit reviews, in the order written.',
    query: { orderBy: { createdAt: 'asc' } },
  }),
  viewerMayReview: t.boolean({
    description: 'ENDED and you have not written your review yet.',
    select: { mentorId: true, menteeId: true, status: true, reviews: { select: { authorId: true } } },
    resolve: (row, _args, ctx) =>
      row.status === 'ENDED' &&
      roleIn(row, ctx.viewer?.id) !== null &&
      !row.reviews.some((review) => review.authorId === ctx.viewer?.id),
  }),
}));

const MentorshipReviewInput = builder.inputType('MentorshipReviewInput', {
  fields: (t) => ({
    wentWell: t.string({ description: 'What went well, at most 2000 characters.' }),
    outcome: t.field({ type: MentorshipOutcomeEnum }),
    wouldRecommend: t.boolean({ description: 'Would you recommend this mentorship to others?' }),
  }),
});

function reviewInputType(name: string) {
  return builder.inputType(name, {
    fields: (t) => ({ mentorshipId: t.id(), review: t.field({ type: MentorshipReviewInput }) }),
  });
}
const EndMentorshipInput = reviewInputType('EndMentorshipInput');
const ReviewMentorshipInput = reviewInputType('ReviewMentorshipInput');

const EndedMentorshipPayload = builder.objectRef<{ mentorshipId: string }>('EndedMentorshipPayload').implement({
  fields: (t) => ({
    mentorship: t.prismaField({
      type: MentorshipRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.mentorship.findUniqueOrThrow({ ...query, where: { id: payload.mentorshipId } }),
    }),
  }),
});

function parseReview(review: unknown): ReviewData {
  const parsed = reviewInput.safeParse(review);
  if (!parsed.success) {
    throw toValidationError(parsed.error.issues.map((issue) => ({ ...issue, path: ['review', ...issue.path] })));
  }
  return parsed.data;
}

builder.mutationFields((t) => ({
  endMentorship: t.field({
    type: EndedMentorshipPayload,
    description:
      'Either side ends an ACTIVE mentorship with an exit review; the other side is told and may add theirs.',
    args: { input: t.arg({ type: EndMentorshipInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const mentorshipId = mentorshipIdOf(input.mentorshipId);
      await endMentorship(ctx, mentorshipId, parseReview(input.review));
      return { mentorshipId };
    },
  }),
  reviewMentorship: t.field({
    type: EndedMentorshipPayload,
    description: 'Your exit review of an ENDED mentorship (the side that did not end it), once.',
    args: { input: t.arg({ type: ReviewMentorshipInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const mentorshipId = mentorshipIdOf(input.mentorshipId);
      await reviewMentorship(ctx, mentorshipId, parseReview(input.review));
      return { mentorshipId };
    },
  }),
}));
