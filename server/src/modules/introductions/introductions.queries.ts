import type { Prisma } from '../../generated/prisma/client.js';
import { now as clockNow } from '../../lib/clock.js';
import { decodeId } from '../../lib/global-id.js';
import { NIL_UUID } from '../../lib/ids.js';
import { builder } from '../../schema/builder.js';
import { PersonRef } from '../people/index.js';
import { introductionBrokers, type IntroductionBrokers, type SuggestedBroker, viewerCanAskAbout } from './brokers.js';
import { IntroductionRef, IntroductionRoleEnum } from './introduction.type.js';
import {
  type IntroductionRole,
  introductionsInRoleWhere,
  OPEN_STATUSES,
  requesterClosedWhere,
  requesterOpenWhere,
} from './introductions.policy.js';

// The viewer's introductions by role (the web's tabs), whom they could ask (suggested brokers), and
// whether a profile offers "Ask for an introduction". Every list is the policy's: the target's tab
// holds only what was forwarded to them.

/** open: true / false as the role reads it (the requester reads a decline they may not learn of yet as open). */
function openFilter(
  role: IntroductionRole,
  open: boolean | null | undefined,
  stepDays: number,
): Prisma.IntroductionWhereInput {
  if (open == null) return {};
  if (role === 'REQUESTER')
    return open ? requesterOpenWhere(clockNow(), stepDays) : requesterClosedWhere(clockNow(), stepDays);
  return open ? { status: { in: [...OPEN_STATUSES] } } : { status: { notIn: [...OPEN_STATUSES] } };
}

builder.queryFields((t) => ({
  introductions: t.prismaConnection({
    type: IntroductionRef,
    cursor: 'id',
    maxSize: 100,
    defaultSize: 20,
    authScopes: { member: true },
    description:
      'Your introductions in one role, newest first. open: true — still waiting for someone (REQUESTED, FORWARDED); false — the others; omitted — all.',
    args: {
      role: t.arg({ type: IntroductionRoleEnum }),
      open: t.arg.boolean({ required: false }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.db.introduction.findMany({
        ...query,
        where: {
          AND: [
            introductionsInRoleWhere(ctx.viewer!.id, args.role),
            openFilter(args.role, args.open, ctx.env.INTRODUCTIONS_STEP_DAYS),
          ],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
}));

const SuggestedBrokerRef = builder.objectRef<SuggestedBroker>('SuggestedBroker').implement({
  description: 'Someone who could introduce you, with why (in words, strongest first).',
  fields: (t) => ({
    person: t.prismaField({
      type: PersonRef,
      // findUnique: Prisma batches those of one tick into one statement, whatever the number of brokers.
      resolve: async (query, broker, _args, ctx) =>
        (await ctx.db.user.findUnique({ ...query, where: { id: broker.personId } }))!,
    }),
    reasons: t.exposeStringList('reasons'),
    score: t.exposeFloat('score', { description: 'Relationship strength; higher is stronger. For ordering only.' }),
  }),
});

const IntroductionBrokersRef = builder.objectRef<IntroductionBrokers>('IntroductionBrokers').implement({
  fields: (t) => ({
    target: t.prismaField({
      type: PersonRef,
      nullable: true,
      description: 'Null when you cannot see them (or ask about them).',
      resolve: (query, result, _args, ctx) =>
        result.targetId ? ctx.db.user.findUnique({ ...query, where: { id: result.targetId } }) : null,
    }),
    canAsk: t.exposeBoolean('canAsk', { description: 'False: `reason` says why, in words.' }),
    reason: t.exposeString('reason', { nullable: true }),
    brokers: t.field({
      type: [SuggestedBrokerRef],
      description: 'Best first, at most 10.',
      resolve: (result) => result.brokers,
    }),
  }),
});

builder.queryField('introductionBrokers', (t) =>
  t.field({
    type: IntroductionBrokersRef,
    authScopes: { member: true },
    description: 'Whom you could ask to introduce you to this person, best first, with the reasons in words.',
    args: { targetId: t.arg.id() },
    // A malformed or foreign id finds nobody, like a missing member.
    resolve: (_root, args, ctx) =>
      introductionBrokers(ctx.db, ctx.viewer!.id, decodeId(String(args.targetId), 'Person') ?? NIL_UUID, clockNow()),
  }),
);

builder.prismaObjectFields(PersonRef, (t) => ({
  viewerCanAskIntroduction: t.boolean({
    description:
      'Whether you may ask for an introduction to them: someone else, open to introductions (whom you could ask: introductionBrokers).',
    resolve: (person, _args, ctx) => viewerCanAskAbout(ctx, person.id),
  }),
}));
