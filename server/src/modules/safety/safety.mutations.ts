import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../lib/errors.js';
import { decodeId, parseGlobalId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { ModerationActionEnum, ModerationLogEntryRef, ReportRef } from './report.type.js';
import { moderatorNoteInput, reportReasonInput } from './safety.inputs.js';
import { fileReport, liftModeration, resolveReport } from './safety.service.js';

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

const UnsuspendMemberInput = builder.inputType('UnsuspendMemberInput', {
  fields: (t) => ({
    personId: t.id({ description: 'The suspended member (a Person id).' }),
    note: t.string({
      required: false,
      validate: moderatorNoteInput.nullish(),
      description: 'Kept in the moderation log. At most 1000.',
    }),
  }),
});

const UnhideContentInput = builder.inputType('UnhideContentInput', {
  fields: (t) => ({
    subjectId: t.id({ description: 'The hidden profile (a Person id) or group (a Group id).' }),
    note: t.string({
      required: false,
      validate: moderatorNoteInput.nullish(),
      description: 'Kept in the moderation log. At most 1000.',
    }),
  }),
});

const ModerationPayload = builder.objectRef<{ entryId: string }>('ModerationPayload').implement({
  fields: (t) => ({
    entry: t.prismaField({
      type: ModerationLogEntryRef,
      description: 'The moderation log entry of the action.',
      resolve: (query, payload, _args, ctx) =>
        ctx.db.moderationLogEntry.findUniqueOrThrow({ ...query, where: { id: payload.entryId } }),
    }),
  }),
});

/** What unhideContent may name, and the subject it makes. */
const UNHIDEABLE = { Person: 'PROFILE', Group: 'GROUP' } as const;

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
  unsuspendMember: t.field({
    type: ModerationPayload,
    description:
      "Lifts a member's suspension (this Guildhall's admins): they may sign in again and their profile is seen again. Kept in the moderation log.",
    args: { input: t.arg({ type: UnsuspendMemberInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => {
      const userId = decodeId(String(input.personId), 'Person');
      if (!userId) throw new NotFoundError('That member');
      const lift = { reversal: 'UNSUSPEND', subject: 'PROFILE', id: userId, note: input.note ?? '' } as const;
      return { entryId: await liftModeration(ctx, lift) };
    },
  }),
  unhideContent: t.field({
    type: ModerationPayload,
    description:
      "Shows a profile or a group the admins hid again (this Guildhall's admins). Kept in the moderation log.",
    args: { input: t.arg({ type: UnhideContentInput }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError, RateLimitedError] },
    resolve: async (_root, { input }, ctx) => {
      const parsed = parseGlobalId(String(input.subjectId));
      const subject = parsed ? UNHIDEABLE[parsed.typename as keyof typeof UNHIDEABLE] : undefined;
      if (!parsed || !subject) throw new NotFoundError('That');
      const lift = { reversal: 'UNHIDE', subject, id: parsed.id, note: input.note ?? '' } as const;
      return { entryId: await liftModeration(ctx, lift) };
    },
  }),
}));
