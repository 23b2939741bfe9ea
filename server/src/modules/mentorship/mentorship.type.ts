import { builder } from '../../schema/builder.js';
import { ViewerRef } from '../accounts/index.js';
import { ConversationRef, visibleConversationsWhere } from '../chat/index.js';
import { GroupRef } from '../groups/index.js';
import { PersonRef } from '../people/index.js';
import { MentoringCadenceEnum, MentoringFormatEnum } from './mentor-profile.type.js';
import {
  PAIRING_ROLES,
  requestActions,
  roleIn,
  visibleMentorshipsWhere,
  visibleRequestsWhere,
} from './mentorship.policy.js';
import { dateToDay } from './request.inputs.js';

// The relationship's types: MentorshipRequest, Mentorship and MentorshipAgreement, each a node
// whose node(id), lists and fields follow mentorship.policy (a mentorship and its agreements: its
// two members only). Other parts add their fields to Mentorship in their own files with
// builder.prismaObjectFields(MentorshipRef, …) (goals, check-ins, reviews).

export const MentorshipRequestStatusEnum = builder.enumType('MentorshipRequestStatus', {
  values: ['PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN', 'EXPIRED', 'CANCELLED'] as const,
});
export const MentorshipRequestOriginEnum = builder.enumType('MentorshipRequestOrigin', {
  values: {
    MENTEE: { description: 'The mentee asked the mentor.' },
    PROGRAM_ADMIN: { description: "A program group's admin paired the two; it starts once both agree." },
  } as const,
});
export const MentorshipStatusEnum = builder.enumType('MentorshipStatus', { values: ['ACTIVE', 'ENDED'] as const });
export const MentorshipRoleEnum = builder.enumType('MentorshipRole', { values: ['MENTOR', 'MENTEE'] as const });
export const MentorshipAgreementStatusEnum = builder.enumType('MentorshipAgreementStatus', {
  values: {
    PROPOSED: { description: 'Proposed by one side, waiting for the other.' },
    ACCEPTED: { description: 'Agreed by both: the version in force.' },
    SUPERSEDED: { description: 'Was in force until a later version was accepted.' },
    WITHDRAWN: { description: 'Replaced by a newer proposal before anyone accepted it.' },
  } as const,
});
export const MentorshipRequestDirectionEnum = builder.enumType('MentorshipRequestDirection', {
  values: {
    RECEIVED: { description: 'Requests you answer: asked of you as a mentor, or program pairings of you.' },
    SENT: { description: 'Requests you sent as a mentee.' },
  } as const,
});

export const MentorshipAgreementRef = builder.prismaNode('MentorshipAgreement', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, mentorship: visibleMentorshipsWhere(ctx.viewer?.id) }),
  fields: (t) => ({
    version: t.exposeInt('version', { description: '1 for the first proposal; each new proposal is the next.' }),
    status: t.expose('status', { type: MentorshipAgreementStatusEnum }),
    cadence: t.expose('cadence', { type: MentoringCadenceEnum }),
    format: t.expose('format', { type: MentoringFormatEnum }),
    sessionMinutes: t.exposeInt('sessionMinutes'),
    startsOn: t.string({ description: 'YYYY-MM-DD.', resolve: (row) => dateToDay(row.startsOn) }),
    plannedEndOn: t.string({ description: 'YYYY-MM-DD.', resolve: (row) => dateToDay(row.plannedEndOn) }),
    mentorExpectations: t.exposeString('mentorExpectations', {
      description: 'What the mentee can expect of the mentor.',
    }),
    menteeExpectations: t.exposeString('menteeExpectations', {
      description: 'What the mentor can expect of the mentee.',
    }),
    confidentiality: t.exposeString('confidentiality'),
    proposedBy: t.relation('proposedBy', { type: PersonRef, nullable: true }),
    proposedAt: t.expose('proposedAt', { type: 'DateTime' }),
    acceptedBy: t.relation('acceptedBy', { type: PersonRef, nullable: true }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true }),
    viewerCanAccept: t.boolean({
      description: 'A proposal of the other side, while the mentorship is active.',
      select: { proposedById: true, mentorship: { select: { status: true, mentorId: true, menteeId: true } } },
      resolve: (row, _args, ctx) =>
        row.status === 'PROPOSED' &&
        row.mentorship.status === 'ACTIVE' &&
        roleIn(row.mentorship, ctx.viewer?.id) !== null &&
        row.proposedById !== ctx.viewer?.id,
    }),
  }),
});

export const MentorshipRef = builder.prismaNode('Mentorship', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [visibleMentorshipsWhere(ctx.viewer?.id)] }),
  fields: (t) => ({
    mentor: t.relation('mentor', { type: PersonRef }),
    mentee: t.relation('mentee', { type: PersonRef }),
    group: t.relation('group', { nullable: true, description: 'The program group it was made in, if any.' }),
    status: t.expose('status', { type: MentorshipStatusEnum }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endedBy: t.relation('endedBy', { type: PersonRef, nullable: true }),
    viewerRole: t.field({
      type: MentorshipRoleEnum,
      description: 'Your side (only the two members see a mentorship).',
      select: { mentorId: true, menteeId: true },
      resolve: (row, _args, ctx) => roleIn(row, ctx.viewer?.id) ?? 'MENTEE',
    }),
    partner: t.field({
      type: PersonRef,
      description: 'The other side of the pair, seen from you.',
      select: { mentorId: true, mentee: true, mentor: true },
      resolve: (row, _args, ctx) => (row.mentorId === ctx.viewer?.id ? row.mentee : row.mentor),
    }),
    request: t.relation('request', { nullable: true }),
    conversation: t.prismaField({
      type: ConversationRef,
      nullable: true,
      description: "The pair's MENTORSHIP conversation; stays readable after the end.",
      select: { conversationId: true },
      resolve: (query, row, _args, ctx) =>
        ctx.db.conversation.findFirst({
          ...query,
          where: { id: row.conversationId, AND: [visibleConversationsWhere(ctx.viewer?.id)] },
        }),
    }),
    agreement: t.prismaField({
      type: MentorshipAgreementRef,
      nullable: true,
      description: 'The version in force (accepted by both), if any.',
      resolve: (query, row, _args, ctx) =>
        ctx.db.mentorshipAgreement.findFirst({ ...query, where: { mentorshipId: row.id, status: 'ACCEPTED' } }),
    }),
    pendingAgreement: t.prismaField({
      type: MentorshipAgreementRef,
      nullable: true,
      description: 'A proposal waiting for the other side, if any.',
      resolve: (query, row, _args, ctx) =>
        ctx.db.mentorshipAgreement.findFirst({ ...query, where: { mentorshipId: row.id, status: 'PROPOSED' } }),
    }),
    agreements: t.relation('agreements', {
      description: 'Every version, newest first: who proposed and accepted what, when.',
      query: { orderBy: { version: 'desc' } },
    }),
  }),
});

export const MentorshipRequestRef = builder.prismaNode('MentorshipRequest', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [visibleRequestsWhere(ctx.viewer?.id)] }),
  fields: (t) => ({
    mentee: t.relation('mentee', { type: PersonRef }),
    mentor: t.relation('mentor', { type: PersonRef }),
    origin: t.expose('origin', { type: MentorshipRequestOriginEnum }),
    group: t.relation('group', {
      nullable: true,
      description: "The group it was made in: a program pairing's program.",
    }),
    proposedBy: t.relation('proposedBy', {
      type: PersonRef,
      nullable: true,
      description: 'The program admin who proposed a pairing.',
    }),
    message: t.exposeString('message', { description: "The mentee's words (a pairing: the admin's note)." }),
    // A pairing copies the mentee's goals from their needs, which are theirs alone (seesMenteeNeeds):
    // the two sides read them, the program admin who sees the pairing does not.
    goals: t.string({
      select: { mentorId: true, menteeId: true, goals: true },
      resolve: (row, _args, ctx) => (roleIn(row, ctx.viewer?.id) ? row.goals : ''),
    }),
    status: t.expose('status', { type: MentorshipRequestStatusEnum }),
    // The mentor's words are for the mentee: the program admin who sees a pairing sees that it was answered, not them.
    responseNote: t.string({
      description: "The mentor's note when answering; empty if none (and for anyone but the two sides).",
      select: { mentorId: true, menteeId: true, responseNote: true },
      resolve: (row, _args, ctx) => (roleIn(row, ctx.viewer?.id) ? row.responseNote : ''),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    respondedAt: t.expose('respondedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'Unanswered by then, it expires.' }),
    menteeAgreedAt: t.expose('menteeAgreedAt', { type: 'DateTime', nullable: true }),
    mentorAgreedAt: t.expose('mentorAgreedAt', { type: 'DateTime', nullable: true }),
    viewerRole: t.field({
      type: MentorshipRoleEnum,
      nullable: true,
      description: 'Your side; null for a program admin who sees a pairing.',
      select: { mentorId: true, menteeId: true },
      resolve: (row, _args, ctx) => roleIn(row, ctx.viewer?.id),
    }),
    mentorship: t.prismaField({
      type: MentorshipRef,
      nullable: true,
      description: 'The mentorship it started; only its two members see it.',
      resolve: (query, row, _args, ctx) =>
        ctx.db.mentorship.findFirst({
          ...query,
          where: { requestId: row.id, AND: [visibleMentorshipsWhere(ctx.viewer?.id)] },
        }),
    }),
    viewerCanAccept: t.boolean({
      select: {
        mentorId: true,
        menteeId: true,
        origin: true,
        status: true,
        mentorAgreedAt: true,
        menteeAgreedAt: true,
      },
      resolve: (row, _args, ctx) => requestActions(row, ctx.viewer?.id).accept,
    }),
    viewerCanDecline: t.boolean({
      select: {
        mentorId: true,
        menteeId: true,
        origin: true,
        status: true,
        mentorAgreedAt: true,
        menteeAgreedAt: true,
      },
      resolve: (row, _args, ctx) => requestActions(row, ctx.viewer?.id).decline,
    }),
    viewerCanWithdraw: t.boolean({
      select: {
        mentorId: true,
        menteeId: true,
        origin: true,
        status: true,
        mentorAgreedAt: true,
        menteeAgreedAt: true,
      },
      resolve: (row, _args, ctx) => requestActions(row, ctx.viewer?.id).withdraw,
    }),
  }),
});

const LIST_LIMIT = 100;

builder.prismaObjectFields(ViewerRef, (t) => ({
  mentorshipRequests: t.prismaField({
    type: [MentorshipRequestRef],
    description: 'Your requests, newest first (at most 100).',
    args: {
      direction: t.arg({ type: MentorshipRequestDirectionEnum }),
      status: t.arg({
        type: [MentorshipRequestStatusEnum],
        required: false,
        description: 'Only these; all when left out.',
      }),
    },
    resolve: (query, user, args, ctx) => {
      if (ctx.viewer?.id !== user.id) return [];
      const mine =
        args.direction === 'SENT'
          ? { menteeId: user.id, origin: 'MENTEE' as const }
          : { OR: [{ mentorId: user.id }, { menteeId: user.id, origin: 'PROGRAM_ADMIN' as const }] };
      return ctx.db.mentorshipRequest.findMany({
        ...query,
        where: { AND: [mine, visibleRequestsWhere(user.id)], ...(args.status ? { status: { in: args.status } } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: LIST_LIMIT,
      });
    },
  }),
  mentorships: t.prismaField({
    type: [MentorshipRef],
    description: 'Your mentorships as mentor or mentee, newest first (at most 100).',
    args: { status: t.arg({ type: MentorshipStatusEnum, required: false }) },
    resolve: (query, user, args, ctx) =>
      ctx.viewer?.id === user.id
        ? ctx.db.mentorship.findMany({
            ...query,
            where: { AND: [visibleMentorshipsWhere(user.id)], ...(args.status ? { status: args.status } : {}) },
            orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
            take: LIST_LIMIT,
          })
        : [],
  }),
}));

builder.prismaObjectFields(GroupRef, (t) => ({
  mentorshipPairings: t.prismaField({
    type: [MentorshipRequestRef],
    description: `A program's pairings proposed by hand, newest first (at most 100): its ${PAIRING_ROLES.join(' and ').toLowerCase()}s see them; others see none.`,
    resolve: (query, group, _args, ctx) =>
      ctx.db.mentorshipRequest.findMany({
        ...query,
        where: { groupId: group.id, origin: 'PROGRAM_ADMIN', AND: [visibleRequestsWhere(ctx.viewer?.id)] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: LIST_LIMIT,
      }),
  }),
}));
