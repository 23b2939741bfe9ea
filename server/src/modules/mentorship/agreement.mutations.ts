import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { acceptAgreement, proposeAgreement } from './agreement.service.js';
import { MentoringCadenceEnum, MentoringFormatEnum } from './mentor-profile.type.js';
import { MentorshipAgreementRef, MentorshipRef } from './mentorship.type.js';
import { agreementInput } from './request.inputs.js';

// The agreement's two mutations: either side proposes a version, the other side accepts it.

const ERRORS = [ValidationError, NotFoundError, ConflictError, ForbiddenError];

const MentorshipAgreementPayload = builder
  .objectRef<{ agreementId: string; mentorshipId: string }>('MentorshipAgreementPayload')
  .implement({
    fields: (t) => ({
      agreement: t.prismaField({
        type: MentorshipAgreementRef,
        resolve: (query, payload, _args, ctx) =>
          ctx.db.mentorshipAgreement.findUniqueOrThrow({ ...query, where: { id: payload.agreementId } }),
      }),
      mentorship: t.prismaField({
        type: MentorshipRef,
        resolve: (query, payload, _args, ctx) =>
          ctx.db.mentorship.findUniqueOrThrow({ ...query, where: { id: payload.mentorshipId } }),
      }),
    }),
  });

const ProposeMentorshipAgreementInput = builder.inputType('ProposeMentorshipAgreementInput', {
  fields: (t) => ({
    mentorshipId: t.id(),
    cadence: t.field({ type: MentoringCadenceEnum }),
    format: t.field({ type: MentoringFormatEnum }),
    sessionMinutes: t.int({ description: '15–240.' }),
    startsOn: t.string({ description: 'YYYY-MM-DD.' }),
    plannedEndOn: t.string({ description: 'YYYY-MM-DD, after startsOn.' }),
    mentorExpectations: t.string({ description: 'What the mentee can expect of the mentor, at most 2000 characters.' }),
    menteeExpectations: t.string({ description: 'What the mentor can expect of the mentee, at most 2000 characters.' }),
    confidentiality: t.string({ description: 'What stays between you, at most 2000 characters.' }),
  }),
});

const AcceptMentorshipAgreementInput = builder.inputType('AcceptMentorshipAgreementInput', {
  fields: (t) => ({ agreementId: t.id() }),
});

builder.mutationFields((t) => ({
  proposeMentorshipAgreement: t.field({
    type: MentorshipAgreementPayload,
    description:
      'Propose terms (a new version). An older proposal nobody accepted is withdrawn; the version in force stays until the other side accepts this one.',
    args: { input: t.arg({ type: ProposeMentorshipAgreementInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const mentorshipId = decodeId(input.mentorshipId, 'Mentorship');
      if (!mentorshipId) throw new NotFoundError('That mentorship');
      const parsed = agreementInput.safeParse(input);
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      const agreementId = await proposeAgreement(ctx, ctx.viewer!.id, mentorshipId, parsed.data);
      return { agreementId, mentorshipId };
    },
  }),
  acceptMentorshipAgreement: t.field({
    type: MentorshipAgreementPayload,
    description: 'Accept what the other side proposed: it comes into force and the version before is SUPERSEDED.',
    args: { input: t.arg({ type: AcceptMentorshipAgreementInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const agreementId = decodeId(input.agreementId, 'MentorshipAgreement');
      if (!agreementId) throw new NotFoundError('That agreement');
      await acceptAgreement(ctx, ctx.viewer!.id, agreementId);
      const row = await ctx.db.mentorshipAgreement.findUniqueOrThrow({
        where: { id: agreementId },
        select: { mentorshipId: true },
      });
      return { agreementId, mentorshipId: row.mentorshipId };
    },
  }),
}));
