import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { decodeId, parseGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { ModerationActionEnum, ReportRef } from './report.type.js';
import { moderatorNoteInput, reportReasonInput } from './safety.inputs.js';
import { fileReport, resolveReport } from './safety.service.js';

// Reporting and acting on reports: decode ids (a wrong or foreign id is "not found"), call one
// service function, answer after its transaction committed.

/** What a global id may name in a report, and the subject it makes. */
const REPORTABLE = { Message: 'MESSAGE', Person: 'PROFILE', Group: 'GROUP' } as const;

const ReportContentInput = builder.inputType('ReportContentInput', {
  fields: (t) => ({
    subjectId: t.id({ description: 'What you report: a Message, a Person (their profile) or a Group.' }),
    reason: t.string({
      validate: reportReasonInput,
      description: 'What is wrong, in your words (3–1000 characters after trimming).',
    }),
  }),
});

const ResolveReportInput = builder.inputType('ResolveReportInput', {
  fields: (t) => ({
    reportId: t.id(),
    action: t.field({ type: ModerationActionEnum }),
    note: t.string({
      required: false,
      validate: moderatorNoteInput.nullish(),
      description: 'Kept in the moderation log; for WARN (required) the words the member receives. At most 1000.',
    }),
  }),
});

const ReportPayload = builder.objectRef<{ reportId: string }>('ReportPayload').implement({
  fields: (t) => ({
    report: t.prismaField({
      type: ReportRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.report.findUniqueOrThrow({ ...query, where: { id: payload.reportId } }),
    }),
  }),
});

builder.mutationFields((t) => ({
  reportContent: t.field({
    type: ReportPayload,
    description:
      "Reports a message, a profile or a group to its reviewers: a group channel's messages to that group's moderators, everything else to the instance's admins. You learn the outcome.",
    args: { input: t.arg({ type: ReportContentInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => {
      const parsed = parseGlobalId(String(input.subjectId));
      const subject = parsed ? REPORTABLE[parsed.typename as keyof typeof REPORTABLE] : undefined;
      if (!parsed || !subject) throw new NotFoundError('That');
      return { reportId: await fileReport(ctx, { subject, id: parsed.id, reason: input.reason }) };
    },
  }),
  resolveReport: t.field({
    type: ReportPayload,
    description:
      'Acts on a report you review (see Report.availableActions). Its reporter learns the outcome; the action is kept in the moderation log.',
    args: { input: t.arg({ type: ResolveReportInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => {
      const reportId = decodeId(String(input.reportId), 'Report');
      if (!reportId) throw new NotFoundError('That report');
      await resolveReport(ctx, { reportId, action: input.action, note: input.note ?? '' });
      return { reportId };
    },
  }),
}));
