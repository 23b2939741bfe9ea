import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId } from '../../lib/global-id.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import { WeekdayEnum } from '../mentorship/index.js';
import { messageInput, moveInput } from './office-hours.inputs.js';
import {
  OfficeHourSlotRef,
  OfficeHoursAudienceEnum,
  OfficeHoursExceptionKindEnum,
  OfficeHoursRef,
} from './office-hours.type.js';
import {
  cancelOfficeHours,
  moveOfficeHourSlot,
  publishOfficeHours,
  type RawOfficeHours,
  skipOfficeHourSlot,
  updateOfficeHours,
} from './publishing.service.js';

// The host's mutations: publish, edit, cancel a series; skip or move one of its slots. Each takes one
// input, checks it at the edge (office-hours.inputs.ts), and answers a payload or a typed error.

const ERRORS = [ValidationError, NotFoundError, ForbiddenError, ConflictError];

export const OfficeHoursRecurrenceInput = builder.inputType('OfficeHoursRecurrenceInput', {
  fields: (t) => ({
    everyWeeks: t.int({ description: '1–8: every week, every other week, …' }),
    weekdays: t.field({ type: [WeekdayEnum] }),
    untilDate: t.string({
      required: false,
      description: "Last local date 'YYYY-MM-DD' (inclusive); or occurrenceCount.",
    }),
    occurrenceCount: t.int({ required: false, description: '1–104 sessions; or untilDate.' }),
  }),
});

export const OfficeHoursExceptionInput = builder.inputType('OfficeHoursExceptionInput', {
  fields: (t) => ({
    occurrenceDate: t.string({ description: "The local date the rule gives the occurrence, 'YYYY-MM-DD'." }),
    kind: t.field({ type: OfficeHoursExceptionKindEnum }),
    movedToLocal: t.string({
      required: false,
      description: "MOVE: the new local start 'YYYY-MM-DDTHH:MM' in the series' zone.",
    }),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The fields publishing and editing share; required ones are required only when publishing. */
function seriesFields(required: boolean) {
  return (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
    topic: t.string({ required, description: '1–120 characters.' }),
    description: t.string({ required: false, description: 'At most 2000 characters.' }),
    timeZone: t.string({ required: false, description: 'IANA zone the times are in; default: yours.' }),
    startDate: t.string({ required, description: "First local date 'YYYY-MM-DD' (a one-off: its date)." }),
    startTime: t.string({ required, description: "Local start 'HH:MM'." }),
    durationMinutes: t.int({ required, description: '10–480.' }),
    recurrence: t.field({ type: OfficeHoursRecurrenceInput, required: false, description: 'null: a one-off.' }),
    exceptions: t.field({ type: [OfficeHoursExceptionInput], required: false }),
    seats: t.int({ required, description: '1 (a one-to-one) to 100.' }),
    onlineUrl: t.string({ required: false, description: 'Shown to booked attendees only.' }),
    location: t.string({ required: false, description: 'Shown to booked attendees only.' }),
    audience: t.field({ type: OfficeHoursAudienceEnum, required, description: 'PUBLIC, MEMBERS or GROUPS.' }),
    groupIds: t.idList({ required: false, description: 'GROUPS: groups you belong to.' }),
    attendeesSeeNames: t.boolean({ required: false }),
    minimumNoticeMinutes: t.int({ required: false, description: 'Default 120.' }),
    bookingWindowDays: t.int({ required: false, description: 'Default 60.' }),
    bufferMinutes: t.int({ required: false, description: 'Minutes kept free around each slot; default 0.' }),
  });
}

const PublishOfficeHoursInput = builder.inputType('PublishOfficeHoursInput', {
  fields: (t) => seriesFields(true)(t),
});

const UpdateOfficeHoursInput = builder.inputType('UpdateOfficeHoursInput', {
  description: 'Only the fields given change; future slots follow, bookings stay where their slot still exists.',
  fields: (t) => ({ officeHoursId: t.id(), ...seriesFields(false)(t) }),
});

const CancelOfficeHoursInput = builder.inputType('CancelOfficeHoursInput', {
  fields: (t) => ({
    officeHoursId: t.id(),
    message: t.string({ required: false, description: 'Sent to every attendee; at most 1000 characters.' }),
  }),
});

const SkipOfficeHourSlotInput = builder.inputType('SkipOfficeHourSlotInput', {
  fields: (t) => ({
    slotId: t.id(),
    message: t.string({ required: false, description: 'Sent to its attendees; at most 1000 characters.' }),
  }),
});

const MoveOfficeHourSlotInput = builder.inputType('MoveOfficeHourSlotInput', {
  fields: (t) => ({
    slotId: t.id(),
    startLocal: t.string({ description: "The new local start 'YYYY-MM-DDTHH:MM' in the series' zone." }),
  }),
});

const OfficeHoursPayload = builder.objectRef<{ officeHoursId: string }>('OfficeHoursPayload').implement({
  fields: (t) => ({
    officeHours: t.prismaField({
      type: OfficeHoursRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.officeHours.findUniqueOrThrow({ ...query, where: { id: payload.officeHoursId } }),
    }),
  }),
});

const UpdateOfficeHoursPayload = builder
  .objectRef<{ officeHoursId: string; movedSlots: number; cancelledSlots: number }>('UpdateOfficeHoursPayload')
  .implement({
    fields: (t) => ({
      officeHours: t.prismaField({
        type: OfficeHoursRef,
        resolve: (query, payload, _args, ctx) =>
          ctx.db.officeHours.findUniqueOrThrow({ ...query, where: { id: payload.officeHoursId } }),
      }),
      movedSlots: t.exposeInt('movedSlots', { description: 'Future slots whose time changed (attendees told).' }),
      cancelledSlots: t.exposeInt('cancelledSlots', { description: 'Future slots that went away (attendees told).' }),
    }),
  });

const OfficeHourSlotPayload = builder.objectRef<{ slotId: string }>('OfficeHourSlotPayload').implement({
  fields: (t) => ({
    slot: t.prismaField({
      type: OfficeHourSlotRef,
      resolve: (query, payload, _args, ctx) =>
        ctx.db.officeHourSlot.findUniqueOrThrow({ ...query, where: { id: payload.slotId } }),
    }),
  }),
});

/** GraphQL's input as the service's raw fields: ids stay global (the service checks them). */
function rawOf(input: Record<string, unknown>): RawOfficeHours {
  const { officeHoursId: _ignored, ...fields } = input;
  return fields as RawOfficeHours;
}

builder.mutationFields((t) => ({
  publishOfficeHours: t.field({
    type: OfficeHoursPayload,
    description: 'Publish a one-off or recurring office hours; its slots are made at once.',
    args: { input: t.arg({ type: PublishOfficeHoursInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const viewerId = ctx.viewer!.id;
      const raw = rawOf(input as Record<string, unknown>);
      if (raw.timeZone == null) {
        const me = await ctx.db.user.findUniqueOrThrow({ where: { id: viewerId }, select: { timeZone: true } });
        raw.timeZone = me.timeZone;
      }
      return { officeHoursId: await publishOfficeHours(ctx, viewerId, raw) };
    },
  }),
  updateOfficeHours: t.field({
    type: UpdateOfficeHoursPayload,
    description: 'Change your office hours: future slots follow; attendees of slots that moved or went away are told.',
    args: { input: t.arg({ type: UpdateOfficeHoursInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const officeHoursId = decodeId(input.officeHoursId, 'OfficeHours');
      if (!officeHoursId) throw new NotFoundError('Those office hours');
      return updateOfficeHours(ctx, ctx.viewer!.id, officeHoursId, rawOf(input as Record<string, unknown>));
    },
  }),
  cancelOfficeHours: t.field({
    type: OfficeHoursPayload,
    description: 'Cancel the whole series: every future slot and its bookings (each attendee told).',
    args: { input: t.arg({ type: CancelOfficeHoursInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const officeHoursId = decodeId(input.officeHoursId, 'OfficeHours');
      if (!officeHoursId) throw new NotFoundError('Those office hours');
      const message = messageInput.safeParse(input.message);
      if (!message.success) throw toValidationError(message.error.issues.map((i) => ({ ...i, path: ['message'] })));
      await cancelOfficeHours(ctx, ctx.viewer!.id, officeHoursId, message.data);
      return { officeHoursId };
    },
  }),
  skipOfficeHourSlot: t.field({
    type: OfficeHourSlotPayload,
    description: 'Skip one occurrence: its bookings are cancelled and each attendee told.',
    args: { input: t.arg({ type: SkipOfficeHourSlotInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const slotId = decodeId(input.slotId, 'OfficeHourSlot');
      if (!slotId) throw new NotFoundError('That slot');
      const message = messageInput.safeParse(input.message);
      if (!message.success) throw toValidationError(message.error.issues.map((i) => ({ ...i, path: ['message'] })));
      return { slotId: await skipOfficeHourSlot(ctx, ctx.viewer!.id, slotId, message.data) };
    },
  }),
  moveOfficeHourSlot: t.field({
    type: OfficeHourSlotPayload,
    description: "Move one occurrence to another local time in the series' zone: bookings kept, attendees told.",
    args: { input: t.arg({ type: MoveOfficeHourSlotInput }) },
    errors: { types: ERRORS },
    resolve: async (_root, { input }, ctx) => {
      const slotId = decodeId(input.slotId, 'OfficeHourSlot');
      if (!slotId) throw new NotFoundError('That slot');
      const parsed = moveInput.safeParse({ startLocal: input.startLocal });
      if (!parsed.success) throw toValidationError(parsed.error.issues);
      return { slotId: await moveOfficeHourSlot(ctx, ctx.viewer!.id, slotId, parsed.data.startLocal) };
    },
  }),
}));
