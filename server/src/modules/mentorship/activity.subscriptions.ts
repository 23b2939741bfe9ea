import { filter } from 'graphql-yoga';
import { builder } from '../../schema/builder.js';
import { MENTORSHIP_ACTIVITY_KINDS, type MentorshipActivity } from './activity.js';
import { visibleMentorshipsWhere, visibleRequestsWhere } from './mentorship.policy.js';
import { MentorshipRef, MentorshipRequestRef } from './mentorship.type.js';

// mentorshipActivity: the viewer's requests and mentorships that changed, live. Each event is
// executed with a fresh context (graphql/live-events.ts) and reads the request or mentorship again
// through the policy, so what it shows is what the viewer may see at delivery; an event about
// something they can no longer see is not delivered at all.

export const MentorshipActivityKindEnum = builder.enumType('MentorshipActivityKind', {
  values: MENTORSHIP_ACTIVITY_KINDS,
});

const MentorshipActivityRef = builder.objectRef<MentorshipActivity>('MentorshipActivityEvent').implement({
  description: 'A request or mentorship of yours changed: read it again (the fields below are current).',
  fields: (t) => ({
    kind: t.expose('kind', { type: MentorshipActivityKindEnum }),
    request: t.prismaField({
      type: MentorshipRequestRef,
      nullable: true,
      resolve: (query, event, _args, ctx) =>
        event.requestId
          ? ctx.db.mentorshipRequest.findFirst({
              ...query,
              where: { id: event.requestId, AND: [visibleRequestsWhere(ctx.viewer?.id)] },
            })
          : null,
    }),
    mentorship: t.prismaField({
      type: MentorshipRef,
      nullable: true,
      resolve: (query, event, _args, ctx) =>
        event.mentorshipId
          ? ctx.db.mentorship.findFirst({
              ...query,
              where: { id: event.mentorshipId, AND: [visibleMentorshipsWhere(ctx.viewer?.id)] },
            })
          : null,
    }),
  }),
});

builder.subscriptionField('mentorshipActivity', (t) =>
  t.field({
    type: MentorshipActivityRef,
    description:
      'Your mentorship requests and mentorships, live: created, answered, expired, agreements, goals, check-ins.',
    subscribe: (_root, _args, ctx) => {
      const viewerId = ctx.viewer!.id;
      // Re-checked at delivery: only what the viewer may still see. (A Repeater, so ending the
      // subscription lets go of the topic at once instead of after its next event.)
      return filter(async (event: MentorshipActivity) => {
        const [request, mentorship] = await Promise.all([
          event.requestId
            ? ctx.db.mentorshipRequest.count({ where: { id: event.requestId, AND: [visibleRequestsWhere(viewerId)] } })
            : 0,
          event.mentorshipId
            ? ctx.db.mentorship.count({ where: { id: event.mentorshipId, AND: [visibleMentorshipsWhere(viewerId)] } })
            : 0,
        ]);
        return request + mentorship > 0;
      })(ctx.pubsub.subscribe('mentorship:activity', viewerId));
    },
    resolve: (event) => event,
  }),
);
