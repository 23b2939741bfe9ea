import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { checkInInput, feedbackInput, updateCheckInInput } from './goal.inputs.js';
import { GOAL_ERRORS, idOf, mentorshipIdOf } from './goal.mutations.js';
import { giveCheckInFeedback, recordCheckIn, updateCheckIn } from './check-in.service.js';
import { CheckInRef } from './check-in.type.js';

// Check-in mutations: ids decoded, the whole input checked by zod (nothing stored on a problem),
// one service call, the answer after commit.

const checkInIdOf = (value: unknown) => idOf(value, 'CheckIn', 'That check-in');

const RecordCheckInInput = builder.inputType('RecordCheckInInput', {
  fields: (t) => ({
    mentorshipId: t.id(),
    heldAt: t.field({ type: 'DateTime', description: 'When the session was held.' }),
    sharedNotes: t.string({ required: false, description: 'Seen by both of you.' }),
    nextSteps: t.string({ required: false }),
    privateNote: t.string({ required: false, description: 'Only you will ever see it.' }),
  }),
});

const UpdateCheckInInput = builder.inputType('UpdateCheckInInput', {
  description: 'Only the fields given change. privateNote: your own ("" removes it).',
  fields: (t) => ({
    checkInId: t.id(),
    heldAt: t.field({ type: 'DateTime', required: false }),
    sharedNotes: t.string({ required: false }),
    nextSteps: t.string({ required: false }),
    privateNote: t.string({ required: false }),
  }),
});

const GiveCheckInFeedbackInput = builder.inputType('GiveCheckInFeedbackInput', {
  fields: (t) => ({
    checkInId: t.id(),
    rating: t.int({ description: '1–5.' }),
    words: t.string({ required: false }),
    pairingWorking: t.boolean({ description: 'Is this pairing working?' }),
  }),
});

const CheckInPayload = builder.objectRef<{ checkInId: string }>('CheckInPayload').implement({
  fields: (t) => ({
    checkIn: t.prismaField({
      type: CheckInRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.checkIn.findUniqueOrThrow({ ...query, where: { id: payload.checkInId } }),
    }),
  }),
});

builder.mutationFields((t) => ({
  recordCheckIn: t.field({
    type: CheckInPayload,
    description: 'Either member of an ACTIVE mentorship records a session held.',
    args: { input: t.arg({ type: RecordCheckInInput }) },
    errors: { types: [...GOAL_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const { mentorshipId: rawId, ...rest } = input;
      const mentorshipId = mentorshipIdOf(rawId);
      const parsed = checkInInput.safeParse({
        ...rest,
        sharedNotes: rest.sharedNotes ?? '',
        nextSteps: rest.nextSteps ?? '',
      });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      return { checkInId: await recordCheckIn(ctx, mentorshipId, parsed.data) };
    },
  }),
  updateCheckIn: t.field({
    type: CheckInPayload,
    args: { input: t.arg({ type: UpdateCheckInInput }) },
    errors: { types: [...GOAL_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const { checkInId: rawId, ...rest } = input;
      const checkInId = checkInIdOf(rawId);
      const changes = Object.fromEntries(Object.entries(rest).filter(([, value]) => value != null));
      const parsed = updateCheckInInput.safeParse(changes);
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      await updateCheckIn(ctx, checkInId, parsed.data);
      return { checkInId };
    },
  }),
  giveCheckInFeedback: t.field({
    type: CheckInPayload,
    description: 'Once per side per check-in: a 1–5 rating, words, and whether the pairing is working.',
    args: { input: t.arg({ type: GiveCheckInFeedbackInput }) },
    errors: { types: [...GOAL_ERRORS] },
    resolve: async (_root, { input }, ctx) => {
      const { checkInId: rawId, ...rest } = input;
      const checkInId = checkInIdOf(rawId);
      const parsed = feedbackInput.safeParse({ ...rest, words: rest.words ?? '' });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      await giveCheckInFeedback(ctx, checkInId, parsed.data);
      return { checkInId };
    },
  }),
}));
