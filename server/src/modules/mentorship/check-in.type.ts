import { builder } from '../../schema/builder.js';
import { PersonRef } from '../people/index.js';
import { GoalRef, GoalStatusEnum } from './goal.type.js';
import { MentorshipRef } from './mentorship.type.js';
import { mayWriteRelationship, poorFit, seesPrivateNote, visibleMentorshipsWhere } from './mentorship.policy.js';

// A check-in: both members read its shared notes, next steps and each other's feedback; its
// private note field answers only the viewer's own (CheckInPrivateNote is selected only filtered to
// the viewer's own row, and checked again by seesPrivateNote).

/** The viewer's own rows of a relation keyed by author; none signed out. */
const ownRows = (viewerId: string | undefined) => (viewerId ? { authorId: viewerId } : { authorId: { in: [] } });

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
      // Selected with the check-ins (one statement for a whole list), and only the viewer's own row.
      select: (_args, ctx) => ({
        privateNotes: { where: ownRows(ctx.viewer?.id), select: { authorId: true, body: true } },
      }),
      resolve: (checkIn, _args, ctx) =>
        checkIn.privateNotes.find((note) => seesPrivateNote(note, ctx.viewer?.id))?.body ?? null,
    }),
    feedback: t.relation('feedback', {
      description: "Both sides' feedback (each sees the other's).",
      query: { orderBy: { createdAt: 'asc' } },
    }),
    viewerMayGiveFeedback: t.boolean({
      description: 'The mentorship is ACTIVE and you have not given feedback on this check-in yet.',
      // The same selection of feedback as the feedback field's (one per side), so the two merge.
      select: {
        mentorship: { select: { mentorId: true, menteeId: true, status: true } },
        feedback: { orderBy: { createdAt: 'asc' }, select: { authorId: true } },
      },
      resolve: (checkIn, _args, ctx) =>
        mayWriteRelationship(checkIn.mentorship, ctx.viewer?.id) &&
        !checkIn.feedback.some((given) => given.authorId === ctx.viewer?.id),
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
