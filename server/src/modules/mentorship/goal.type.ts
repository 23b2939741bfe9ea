import { encodeGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { PersonRef } from '../people/index.js';
import { goalProgress, isOverdue } from './goal.service.js';
import { mayCelebrate, mayWriteRelationship, visibleMentorshipsWhere } from './mentorship.policy.js';
import { plainDateOf } from './nudges.js';

// A SMART goal of a mentorship: both members read it (after the end too), anyone else finds nothing.

export const GoalMeasureEnum = builder.enumType('GoalMeasure', {
  values: {
    TARGET: { description: 'A number moving from a start towards a target.' },
    CHECKLIST: { description: 'Steps done one by one.' },
  } as const,
});
export const GoalStatusEnum = builder.enumType('GoalStatus', { values: ['ACTIVE', 'COMPLETED', 'DROPPED'] as const });

export const GoalChecklistItemRef = builder.prismaObject('GoalChecklistItem', {
  fields: (t) => ({
    id: t.id({ resolve: (item) => encodeGlobalId('GoalChecklistItem', item.id) }),
    text: t.exposeString('text'),
    done: t.boolean({ resolve: (item) => item.doneAt !== null }),
    doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true }),
  }),
});

export const GoalUpdateRef = builder.prismaObject('GoalUpdate', {
  description: 'A progress update; each posted a card into the mentorship conversation.',
  fields: (t) => ({
    id: t.id({ resolve: (update) => encodeGlobalId('GoalUpdate', update.id) }),
    author: t.relation('author', { type: PersonRef, nullable: true }),
    note: t.exposeString('note'),
    value: t.exposeFloat('value', { description: 'TARGET: the value after it; CHECKLIST: the steps done after it.' }),
    completes: t.exposeBoolean('completes', { description: 'This update completed the goal.' }),
    messageId: t.id({
      nullable: true,
      description: 'The card it posted (a Message).',
      resolve: (update) => (update.messageId ? encodeGlobalId('Message', update.messageId) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const GoalRef = builder.prismaNode('Goal', {
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, mentorship: visibleMentorshipsWhere(ctx.viewer?.id) }),
  fields: (t) => ({
    mentorshipId: t.id({ resolve: (goal) => encodeGlobalId('Mentorship', goal.mentorshipId) }),
    title: t.exposeString('title'),
    specificOutcome: t.exposeString('specificOutcome', { description: 'What exactly will be different.' }),
    measure: t.expose('measure', { type: GoalMeasureEnum }),
    startValue: t.exposeFloat('startValue', { nullable: true }),
    targetValue: t.exposeFloat('targetValue', { nullable: true }),
    currentValue: t.exposeFloat('currentValue', { nullable: true }),
    unit: t.exposeString('unit'),
    whyItMatters: t.exposeString('whyItMatters'),
    dueOn: t.string({
      description: 'The due day, YYYY-MM-DD; it ends at midnight in the mentee’s zone.',
      resolve: (goal) => plainDateOf(goal.dueOn).toString(),
    }),
    status: t.expose('status', { type: GoalStatusEnum }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    lastProgressAt: t.expose('lastProgressAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    createdBy: t.relation('createdBy', { type: PersonRef, nullable: true }),
    checklist: t.relation('checklist', { query: { orderBy: { position: 'asc' } } }),
    updates: t.relation('updates', {
      description: 'Newest first, at most 50.',
      query: { orderBy: { createdAt: 'desc' }, take: 50 },
    }),
    progress: t.float({
      description: '0–1: from start to target, or the share of steps done.',
      select: { checklist: { select: { doneAt: true } } },
      resolve: (goal) => goalProgress(goal, goal.checklist),
    }),
    overdue: t.boolean({
      description: 'ACTIVE and its due day is over (in the mentee’s zone).',
      select: { mentorship: { select: { mentee: { select: { timeZone: true } } } } },
      resolve: (goal) => isOverdue(goal, goal.mentorship.mentee.timeZone),
    }),
    viewerCanUpdate: t.boolean({
      description: 'You may record progress, edit, complete or drop it (ACTIVE, in an ACTIVE mentorship).',
      select: { mentorship: { select: { mentorId: true, menteeId: true, status: true } } },
      resolve: (goal, _args, ctx) => goal.status === 'ACTIVE' && mayWriteRelationship(goal.mentorship, ctx.viewer?.id),
    }),
    viewerCanCelebrate: t.boolean({
      description: 'You are the mentee, it is COMPLETED and not celebrated yet.',
      select: {
        mentorship: { select: { mentorId: true, menteeId: true } },
        achievement: { select: { id: true } },
      },
      resolve: (goal, _args, ctx) => !goal.achievement && mayCelebrate(goal, goal.mentorship, ctx.viewer?.id),
    }),
  }),
});
