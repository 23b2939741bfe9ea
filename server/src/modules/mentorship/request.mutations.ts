import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { MentorshipRequestRef } from './mentorship.type.js';
import { pairingInput, requestInput, responseNoteInput } from './request.inputs.js';
import {
  acceptRequest,
  cancelMyPendingRequests,
  declineRequest,
  proposePairing,
  requestMentorship,
  withdrawRequest,
} from './request.service.js';

// Asking for mentorship, a program admin's pairing, and answering. Expected failures are typed
// results (ValidationError per field, NOT_FOUND, FORBIDDEN, a ConflictError whose code names the
// rule) and store nothing: each service call is one transaction.

const ERRORS = [ValidationError, NotFoundError, ConflictError, ForbiddenError];

const MentorshipRequestPayload = builder.objectRef<{ requestId: string }>('MentorshipRequestPayload').implement({
  fields: (t) => ({
    request: t.prismaField({
      type: MentorshipRequestRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.mentorshipRequest.findUniqueOrThrow({ ...query, where: { id: payload.requestId } }),
    }),
  }),
});

const CancelMyPendingRequestsPayload = builder
  .objectRef<{ requestIds: string[] }>('CancelMyPendingRequestsPayload')
  .implement({
    fields: (t) => ({
      cancelled: t.prismaField({
        type: [MentorshipRequestRef],
        description: 'The requests that were still waiting and are now CANCELLED.',
        resolve: (query, payload, _args, ctx) =>
          ctx.db.mentorshipRequest.findMany({
            ...query,
            where: { id: { in: payload.requestIds } },
            orderBy: { id: 'asc' },
          }),
      }),
    }),
  });

const RequestMentorshipInput = builder.inputType('RequestMentorshipInput', {
  fields: (t) => ({
    mentorId: t.id({ description: 'The Person to ask (they must offer mentoring).' }),
    message: t.string({ description: 'To the mentor, at most 2000 characters.' }),
    goals: t.string({ description: 'The goals you bring, at most 2000 characters.' }),
    groupId: t.id({
      required: false,
      description: 'A group you both belong to, where you found them (e.g. a program).',
    }),
  }),
});

const ProposeMentorshipPairingInput = builder.inputType('ProposeMentorshipPairingInput', {
  fields: (t) => ({
    groupId: t.id({ description: 'A PROGRAM group you own or administer.' }),
    mentorId: t.id(),
    menteeId: t.id(),
    note: t.string({ description: 'Why these two, at most 2000 characters; both read it.' }),
  }),
});

const AcceptMentorshipRequestInput = builder.inputType('AcceptMentorshipRequestInput', {
  fields: (t) => ({
    requestId: t.id(),
    note: t.string({ required: false, description: "The mentor's words to the mentee, at most 1000 characters." }),
    cancelOtherRequests: t.boolean({
      required: false,
      description:
        "The mentee's choice when they agree to a program pairing: close their other waiting requests. A mentor accepting cannot choose it for them (the mentee uses cancelMyPendingRequests).",
    }),
  }),
});

const DeclineMentorshipRequestInput = builder.inputType('DeclineMentorshipRequestInput', {
  fields: (t) => ({
    requestId: t.id(),
    note: t.string({ required: false, description: 'Optional, at most 1000 characters; the other side reads it.' }),
  }),
});

const WithdrawMentorshipRequestInput = builder.inputType('WithdrawMentorshipRequestInput', {
  fields: (t) => ({ requestId: t.id() }),
});

function personIdOf(value: string, path: string): string {
  const id = decodeId(value, 'Person');
  if (!id) throw new ValidationError([{ path, message: 'Choose a member.' }]);
  return id;
}

function requestIdOf(value: string): string {
  const id = decodeId(value, 'MentorshipRequest');
  if (!id) throw new NotFoundError('That request');
  return id;
}

builder.mutationFields((t) => ({
  requestMentorship: t.field({
    type: MentorshipRequestPayload,
    description:
      'Ask a mentor. Refused: more waiting requests than allowed, an open request or an active mentorship with them, a mentor who is paused, full, or takes only members of groups you are not in.',
    args: { input: t.arg({ type: RequestMentorshipInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const parsed = requestInput.safeParse(input);
      const mentorId = decodeId(input.mentorId, 'Person');
      const groupId = input.groupId ? decodeId(input.groupId, 'Group') : null;
      const problems = parsed.success ? [] : toValidationError(parsed.error.issues).fieldErrors;
      if (!mentorId) throw new NotFoundError('That mentor');
      if (input.groupId && !groupId) problems.push({ path: 'groupId', message: 'Choose a group you both belong to.' });
      if (problems.length > 0 || !parsed.success) throw new ValidationError(problems);
      const requestId = await requestMentorship(ctx, ctx.viewer!.id, { mentorId, groupId, ...parsed.data });
      return { requestId };
    },
  }),
  proposeMentorshipPairing: t.field({
    type: MentorshipRequestPayload,
    description: "A program's owner or admin pairs two of its members; the mentorship starts once both accept.",
    args: { input: t.arg({ type: ProposeMentorshipPairingInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const groupId = decodeId(input.groupId, 'Group');
      if (!groupId) throw new NotFoundError('That group');
      const parsed = pairingInput.safeParse(input);
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      const requestId = await proposePairing(ctx, ctx.viewer!.id, {
        groupId,
        mentorId: personIdOf(input.mentorId, 'mentorId'),
        menteeId: personIdOf(input.menteeId, 'menteeId'),
        note: parsed.data.note,
      });
      return { requestId };
    },
  }),
  acceptMentorshipRequest: t.field({
    type: MentorshipRequestPayload,
    description:
      "The mentor accepts (a program pairing: each side accepts once). When both have agreed, the mentorship and its conversation start; the mentee's other requests stay open unless they choose otherwise.",
    args: { input: t.arg({ type: AcceptMentorshipRequestInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const parsed = responseNoteInput.safeParse({ note: input.note ?? '' });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      const result = await acceptRequest(ctx, ctx.viewer!.id, {
        requestId: requestIdOf(input.requestId),
        note: parsed.data.note,
        cancelOtherRequests: input.cancelOtherRequests ?? false,
      });
      return { requestId: result.requestId };
    },
  }),
  declineMentorshipRequest: t.field({
    type: MentorshipRequestPayload,
    args: { input: t.arg({ type: DeclineMentorshipRequestInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const parsed = responseNoteInput.safeParse({ note: input.note ?? '' });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      const requestId = await declineRequest(ctx, ctx.viewer!.id, {
        requestId: requestIdOf(input.requestId),
        note: parsed.data.note,
      });
      return { requestId };
    },
  }),
  withdrawMentorshipRequest: t.field({
    type: MentorshipRequestPayload,
    description: 'The mentee takes back a request that is still waiting.',
    args: { input: t.arg({ type: WithdrawMentorshipRequestInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => ({
      requestId: await withdrawRequest(ctx, ctx.viewer!.id, requestIdOf(input.requestId)),
    }),
  }),
  cancelMyPendingRequests: t.field({
    type: CancelMyPendingRequestsPayload,
    description:
      'Close every request you sent that still waits (e.g. once a mentor accepted you): accepting never closes them by itself.',
    errors: { types: ERRORS },
    resolve: async (_root, _args, ctx) => ({ requestIds: await cancelMyPendingRequests(ctx, ctx.viewer!.id) }),
  }),
}));
