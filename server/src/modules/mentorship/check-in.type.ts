import { builder } from '../../schema/builder.js';
import { PersonRef } from '../people/index.js';
import { GoalRef, GoalStatusEnum } from './goal.type.js';
import { MentorshipRef } from './mentorship.type.js';
import { mayWriteRelationship, poorFit, seesPrivateNote, visibleMentorshipsWhere } from './mentorship.policy.js';

// A check-in: both members read its shared notes, next steps and each other's feedback; its
// private note field answers only the viewer's own (CheckInPrivateNote is never read as a relation
// here, so no selection can reach another member's).

export const CheckInFeedbackRef = builder.prismaObject('CheckInFeedback', {
  description: 'Feedback after a check-in, one per side; the other side sees it.',
  fields: (t) => ({
    author: t.relation('author', { type: PersonRef, nullable: true }),
    byViewer: t.boolean({ resolve: (row, _args, ctx) => row.authorId === ctx.viewer?.id }),
    rating: t.exposeInt('rating', { description: '1–5.' }),
    words: t.exposeString('words'),
    pairingWorking: t.exposeBoolean('pairingWorking', { description: '"Is this pairing working?"' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const CheckInRef = builder.prismaNode('CheckIn', {
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, mentorship: visibleMentorshipsWhere(ctx.viewer?.id) }),
  fields: (t) => ({
    mentorship: t.relation('mentorship', { type: MentorshipRef, nullable: true }),
    heldAt: t.expose('heldAt', { type: 'DateTime' }),
    sharedNotes: t.exposeString('sharedNotes', { description: 'Seen by both members.' }),
    nextSteps: t.exposeString('nextSteps'),
    createdBy: t.relation('createdBy', { type: PersonRef, nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    privateNote: t.string({
      nullable: true,
      description: 'Your own private note on it: only you ever see it. null when you wrote none.',
      resolve: async (checkIn, _args, ctx) => {
        const viewerId = ctx.viewer?.id;
        if (!viewerId) return null;
        const note = await ctx.db.checkInPrivateNote.findUnique({
          where: { checkInId_authorId: { checkInId: checkIn.id, authorId: viewerId } },
          select: { authorId: true, body: true },
        });
        return note && seesPrivateNote(note, viewerId) ? note.body : null;
      },
    }),
    feedback: t.relation('feedback', {
      description: "Both sides' feedback (each sees the other's).",
      query: { orderBy: { createdAt: 'asc' } },
    }),
    viewerMayGiveFeedback: t.boolean({
      description: 'The mentorship is ACTIVE and you have not given feedback on this check-in yet.',
      select: { mentorship: { select: { mentorId: true, menteeId: true, status: true } } },
      resolve: async (checkIn, _args, ctx) => {
        if (!mayWriteRelationship(checkIn.mentorship, ctx.viewer?.id)) return false;
        const given = await ctx.db.checkInFeedback.count({
          where: { checkInId: checkIn.id, authorId: ctx.viewer!.id },
        });
        return given === 0;
      },
    }),
  }),
});

builder.prismaObjectFields(MentorshipRef, (t) => ({
  goals: t.relation('goals', {
    type: GoalRef,
    args: { status: t.arg({ type: GoalStatusEnum, required: false }) },
    description: 'Its goals, oldest first (optionally of one status).',
    query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: { createdAt: 'asc' } }),
  }),
  checkIns: t.relation('checkIns', {
    type: CheckInRef,
    description: 'Newest first.',
    query: { orderBy: { heldAt: 'desc' } },
  }),
  viewerMayEndForFit: t.boolean({
    description:
      'ACTIVE, and the latest feedback of either side says the pairing is not working: offer to end it and find a new mentor.',
    select: {
      mentorId: true,
      menteeId: true,
      status: true,
      checkIns: { select: { feedback: { select: { authorId: true, pairingWorking: true, createdAt: true } } } },
    },
    resolve: (row, _args, ctx) =>
      mayWriteRelationship(row, ctx.viewer?.id) && poorFit(row.checkIns.flatMap((checkIn) => checkIn.feedback)),
  }),
}));
