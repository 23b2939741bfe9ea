import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { IntroductionFollowUpAnswerEnum, IntroductionRef } from './introduction.type.js';
import {
  declineIntroductionRequestInput,
  forwardIntroductionInput,
  introductionNoteInput,
  requestIntroductionInput,
} from './introductions.inputs.js';
import {
  acceptIntroduction,
  answerIntroductionFollowUp,
  declineIntroduction,
  declineIntroductionRequest,
  forwardIntroduction,
  leaveIntroductionConversationAsBroker,
  requestIntroduction,
  withdrawIntroduction,
} from './introductions.service.js';

// Asking for an introduction and each step after it. Expected failures are typed results
// (ValidationError per field, NOT_FOUND, a ConflictError whose code names the rule) and store
// nothing: each service call is one transaction. Every payload reads the introduction with the
// actor's own projection (introduction.type.ts asks the policy).

const ERRORS = [ValidationError, NotFoundError, ConflictError, ForbiddenError];

const IntroductionPayload = builder.objectRef<{ introductionId: string }>('IntroductionPayload').implement({
  fields: (t) => ({
    introduction: t.prismaField({
      type: IntroductionRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.introduction.findUniqueOrThrow({ ...query, where: { id: payload.introductionId } }),
    }),
  }),
});

const RequestIntroductionInput = builder.inputType('RequestIntroductionInput', {
  fields: (t) => ({
    brokerId: t.id({ description: 'The Person you ask to introduce you (connected with both of you).' }),
    targetId: t.id({ description: 'The Person you would like to meet.' }),
    reason: t.string({ description: 'Why you would like to meet them, 1–1000 characters; the broker reads it.' }),
    hopes: t.string({
      required: false,
      description: 'What you hope for, at most 1000 characters; the broker reads it.',
    }),
  }),
});

const ForwardIntroductionInput = builder.inputType('ForwardIntroductionInput', {
  fields: (t) => ({
    introductionId: t.id(),
    note: t.string({ description: 'Your note to the person you introduce them to, 1–1000 characters.' }),
    presentation: t.string({
      required: false,
      description: 'How you present the requester, 1–1000 characters; left out: their own reason.',
    }),
  }),
});

const DeclineIntroductionRequestInput = builder.inputType('DeclineIntroductionRequestInput', {
  fields: (t) => ({
    introductionId: t.id(),
    messageToRequester: t.string({
      required: false,
      description: 'Optional words for the requester, at most 1000 characters; otherwise they read only "not now".',
    }),
  }),
});

const AcceptIntroductionInput = builder.inputType('AcceptIntroductionInput', {
  fields: (t) => ({
    introductionId: t.id(),
    note: t.string({ required: false, description: 'Optional, at most 1000 characters.' }),
  }),
});

const DeclineIntroductionInput = builder.inputType('DeclineIntroductionInput', {
  fields: (t) => ({
    introductionId: t.id(),
    note: t.string({
      required: false,
      description: 'Optional words for the broker only, at most 1000 characters; the requester never reads them.',
    }),
  }),
});

const WithdrawIntroductionInput = builder.inputType('WithdrawIntroductionInput', {
  fields: (t) => ({ introductionId: t.id() }),
});

const AnswerIntroductionFollowUpInput = builder.inputType('AnswerIntroductionFollowUpInput', {
  fields: (t) => ({ introductionId: t.id(), answer: t.field({ type: IntroductionFollowUpAnswerEnum }) }),
});

const LeaveIntroductionConversationInput = builder.inputType('LeaveIntroductionConversationInput', {
  fields: (t) => ({ introductionId: t.id() }),
});

function introductionIdOf(value: string): string {
  const id = decodeId(value, 'Introduction');
  if (!id) throw new NotFoundError('That introduction');
  return id;
}

function personIdOf(value: string): string {
  const id = decodeId(value, 'Person');
  if (!id) throw new NotFoundError('That member');
  return id;
}

builder.mutationFields((t) => ({
  requestIntroduction: t.field({
    type: IntroductionPayload,
    description:
      'Ask a member connected with both of you to introduce you to someone. Refused: no connection, a target not taking introductions (or not through this broker), an open request about them, a recent decline, too many waiting requests, a broker with many requests this week.',
    args: { input: t.arg({ type: RequestIntroductionInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const parsed = requestIntroductionInput.safeParse({ reason: input.reason, hopes: input.hopes ?? '' });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      const introductionId = await requestIntroduction(ctx, ctx.viewer!.id, {
        brokerId: personIdOf(input.brokerId),
        targetId: personIdOf(input.targetId),
        ...parsed.data,
      });
      return { introductionId };
    },
  }),
  forwardIntroduction: t.field({
    type: IntroductionPayload,
    description: 'The broker forwards the request to the target with a note (and how they present the requester).',
    args: { input: t.arg({ type: ForwardIntroductionInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const introductionId = introductionIdOf(input.introductionId);
      const parsed = forwardIntroductionInput.safeParse({ note: input.note, presentation: input.presentation ?? null });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      return { introductionId: await forwardIntroduction(ctx, ctx.viewer!.id, { introductionId, ...parsed.data }) };
    },
  }),
  declineIntroductionRequest: t.field({
    type: IntroductionPayload,
    description: 'The broker declines the request: the requester reads "not now", and your message if you write one.',
    args: { input: t.arg({ type: DeclineIntroductionRequestInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const introductionId = introductionIdOf(input.introductionId);
      const parsed = declineIntroductionRequestInput.safeParse({ messageToRequester: input.messageToRequester ?? '' });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      return {
        introductionId: await declineIntroductionRequest(ctx, ctx.viewer!.id, { introductionId, ...parsed.data }),
      };
    },
  }),
  acceptIntroduction: t.field({
    type: IntroductionPayload,
    description: 'The target accepts: a conversation of the three opens with the broker’s note.',
    args: { input: t.arg({ type: AcceptIntroductionInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const introductionId = introductionIdOf(input.introductionId);
      const parsed = introductionNoteInput.safeParse({ note: input.note ?? '' });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      return { introductionId: await acceptIntroduction(ctx, ctx.viewer!.id, { introductionId, ...parsed.data }) };
    },
  }),
  declineIntroduction: t.field({
    type: IntroductionPayload,
    description: 'The target declines; the requester learns only that it did not happen.',
    args: { input: t.arg({ type: DeclineIntroductionInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const introductionId = introductionIdOf(input.introductionId);
      const parsed = introductionNoteInput.safeParse({ note: input.note ?? '' });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      return { introductionId: await declineIntroduction(ctx, ctx.viewer!.id, { introductionId, ...parsed.data }) };
    },
  }),
  withdrawIntroduction: t.field({
    type: IntroductionPayload,
    description: 'The requester takes back a request that was not accepted yet.',
    args: { input: t.arg({ type: WithdrawIntroductionInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => ({
      introductionId: await withdrawIntroduction(ctx, ctx.viewer!.id, {
        introductionId: introductionIdOf(input.introductionId),
      }),
    }),
  }),
  answerIntroductionFollowUp: t.field({
    type: IntroductionPayload,
    description: 'The requester or the target says whether they connected (any time after acceptance; may change).',
    args: { input: t.arg({ type: AnswerIntroductionFollowUpInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => ({
      introductionId: await answerIntroductionFollowUp(ctx, ctx.viewer!.id, {
        introductionId: introductionIdOf(input.introductionId),
        answer: input.answer,
      }),
    }),
  }),
  leaveIntroductionConversation: t.field({
    type: IntroductionPayload,
    description: 'The broker leaves the conversation of an accepted introduction; the two others carry on.',
    args: { input: t.arg({ type: LeaveIntroductionConversationInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => ({
      introductionId: await leaveIntroductionConversationAsBroker(ctx, ctx.viewer!.id, {
        introductionId: introductionIdOf(input.introductionId),
      }),
    }),
  }),
}));
