import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { CheckInRef } from '../mentorship/index.js';
import { OfficeHourSlotRef, OfficeHoursRef } from './office-hours.type.js';
import {
  cancelSessions,
  confirmSessions,
  declineSessions,
  markSessionHeld,
  proposeSessions,
} from './sessions.service.js';

// The pair's session mutations: decode ids (a wrong or foreign id is "not found"), check the input
// with zod, call one service function (one transaction), answer after commit.

const ERRORS = [ValidationError, NotFoundError, ConflictError, ForbiddenError];

function idOf(value: unknown, typename: string, what: string): string {
  const id = decodeId(value == null ? null : String(value), typename);
  if (!id) throw new NotFoundError(what);
  return id;
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .nullish()
    .transform((value) => (value ? value : null));

const proposeInput = z.object({
  startsAt: z.date(),
  onlineUrl: optionalText(2000).refine(
    (value) => value === null || /^https?:\/\/[^\s]+$/i.test(value),
    'Use a web address starting with https:// or http://.',
  ),
  location: optionalText(300),
});

const ProposeMentorshipSessionsInput = builder.inputType('ProposeMentorshipSessionsInput', {
  fields: (t) => ({
    mentorshipId: t.id(),
    startsAt: t.field({
      type: 'DateTime',
      description:
        "The first session: a proposal's startsAt, or any time inside both members' working hours; the series repeats it weekly in the mentor's zone, every n weeks per the agreement, until its planned end.",
    }),
    onlineUrl: t.string({ required: false, description: 'A video link (http/https), shown to the pair only.' }),
    location: t.string({ required: false, description: 'A place to meet, at most 300 characters.' }),
  }),
});

const seriesInput = (name: string) =>
  builder.inputType(name, { fields: (t) => ({ officeHoursId: t.id({ description: "The pair's series." }) }) });
const ConfirmMentorshipSessionsInput = seriesInput('ConfirmMentorshipSessionsInput');
const DeclineMentorshipSessionsInput = seriesInput('DeclineMentorshipSessionsInput');
const CancelMentorshipSessionsInput = seriesInput('CancelMentorshipSessionsInput');

const MarkSessionHeldInput = builder.inputType('MarkSessionHeldInput', {
  fields: (t) => ({ slotId: t.id({ description: 'A session (OfficeHourSlot) of your mentorship.' }) }),
});

const MentorshipSessionsPayload = builder.objectRef<{ officeHoursId: string }>('MentorshipSessionsPayload').implement({
  fields: (t) => ({
    officeHours: t.prismaField({
      type: OfficeHoursRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.officeHours.findUniqueOrThrow({ ...query, where: { id: payload.officeHoursId } }),
    }),
  }),
});

const MarkSessionHeldPayload = builder
  .objectRef<{ checkInId: string; slotId: string }>('MarkSessionHeldPayload')
  .implement({
    fields: (t) => ({
      checkIn: t.prismaField({
        type: CheckInRef,
        resolve: (query, payload, _args, ctx) =>
          ctx.db.checkIn.findUniqueOrThrow({ ...query, where: { id: payload.checkInId } }),
      }),
      slot: t.prismaField({
        type: OfficeHourSlotRef,
        resolve: (query, payload, _args, ctx) =>
          ctx.db.officeHourSlot.findUniqueOrThrow({ ...query, where: { id: payload.slotId } }),
      }),
    }),
  });

const seriesIdOf = (value: unknown) => idOf(value, 'OfficeHours', 'Those sessions');

builder.mutationFields((t) => ({
  proposeMentorshipSessions: t.field({
    type: MentorshipSessionsPayload,
    description:
      "Either member of an ACTIVE mentorship with an accepted agreement proposes the pair's session series (PROPOSED, seen by the pair only); an earlier proposal gives way. The other side confirms or declines it.",
    args: { input: t.arg({ type: ProposeMentorshipSessionsInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const mentorshipId = idOf(input.mentorshipId, 'Mentorship', 'That mentorship');
      const parsed = proposeInput.safeParse(input);
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      const officeHoursId = await proposeSessions(ctx, ctx.viewer!.id, mentorshipId, parsed.data);
      return { officeHoursId };
    },
  }),
  confirmMentorshipSessions: t.field({
    type: MentorshipSessionsPayload,
    description:
      'The other side (not the proposer) confirms a PROPOSED series: it becomes ACTIVE, its sessions are made with the mentee booked in each, and a series confirmed before gives way.',
    args: { input: t.arg({ type: ConfirmMentorshipSessionsInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const officeHoursId = seriesIdOf(input.officeHoursId);
      await confirmSessions(ctx, ctx.viewer!.id, officeHoursId);
      return { officeHoursId };
    },
  }),
  declineMentorshipSessions: t.field({
    type: MentorshipSessionsPayload,
    description: 'The other side declines a PROPOSED series (CANCELLED); the proposer is told.',
    args: { input: t.arg({ type: DeclineMentorshipSessionsInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const officeHoursId = seriesIdOf(input.officeHoursId);
      await declineSessions(ctx, ctx.viewer!.id, officeHoursId);
      return { officeHoursId };
    },
  }),
  cancelMentorshipSessions: t.field({
    type: MentorshipSessionsPayload,
    description:
      'Either member cancels the series (a proposal, or confirmed sessions): every future session is cancelled; the other side is told.',
    args: { input: t.arg({ type: CancelMentorshipSessionsInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const officeHoursId = seriesIdOf(input.officeHoursId);
      await cancelSessions(ctx, ctx.viewer!.id, officeHoursId);
      return { officeHoursId };
    },
  }),
  markSessionHeld: t.field({
    type: MarkSessionHeldPayload,
    description:
      "Either member marks a session held once it started: it records the agreement's check-in (heldAt = the session's start), once per session.",
    args: { input: t.arg({ type: MarkSessionHeldInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const slotId = idOf(input.slotId, 'OfficeHourSlot', 'That session');
      const checkInId = await markSessionHeld(ctx, ctx.viewer!.id, slotId);
      return { checkInId, slotId };
    },
  }),
}));
