import { filter } from 'graphql-yoga';
import { now as clockNow } from '../../lib/clock.js';
import { builder } from '../../schema/builder.js';
import { IntroductionRef } from './introduction.type.js';
import type { IntroductionChange } from './introductions.events.js';
import { declineHiddenFromRequester, introductionRoleOf, visibleIntroductionsWhere } from './introductions.policy.js';

// introductionEvents: every change to an introduction the viewer sees, live. Each event is executed
// with a fresh context (graphql/live-events.ts) and reads the introduction again through the policy,
// so it shows what the viewer may see at delivery, projected for their role (the requester's state
// never tells who declined); an event about one they do not see (the target before it was
// forwarded) is not delivered at all.

const IntroductionEventRef = builder.objectRef<IntroductionChange>('IntroductionEvent').implement({
  description: 'An introduction of yours changed: its fields are current, as your role reads them.',
  fields: (t) => ({
    introduction: t.prismaField({
      type: IntroductionRef,
      resolve: (query, event, _args, ctx) =>
        ctx.db.introduction.findFirstOrThrow({
          ...query,
          where: { id: event.introductionId, AND: [visibleIntroductionsWhere(ctx.viewer?.id)] },
        }),
    }),
  }),
});

builder.subscriptionField('introductionEvents', (t) =>
  t.field({
    type: IntroductionEventRef,
    description: 'Your introductions, live: asked, forwarded, answered, withdrawn, expired, followed up.',
    subscribe: (_root, _args, ctx) => {
      const viewerId = ctx.viewer!.id;
      // Re-checked at delivery: only what the viewer may see now. (A Repeater, so ending the
      // subscription lets go of the topic at once instead of after its next event.)
      // A requester hears nothing of a decline they may not learn of yet (it reaches them when a lapse would).
      return filter(async (event: IntroductionChange) => {
        if (event.userId !== viewerId) return false;
        const row = await ctx.db.introduction.findFirst({
          where: { id: event.introductionId, AND: [visibleIntroductionsWhere(viewerId)] },
          select: { requesterId: true, brokerId: true, targetId: true, status: true, forwardedAt: true },
        });
        if (!row) return false;
        return !(
          introductionRoleOf(row, viewerId) === 'REQUESTER' &&
          declineHiddenFromRequester(row, clockNow(), ctx.env.INTRODUCTIONS_STEP_DAYS)
        );
      })(ctx.pubsub.subscribe('introductions:changed', viewerId));
    },
    resolve: (event) => event,
  }),
);
