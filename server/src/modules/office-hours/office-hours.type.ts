import { now as clockNow } from '../../lib/clock.js';
import { encodeGlobalId } from '../../lib/global-id.js';
import { instantToLocal } from '../../lib/time.js';
import { builder } from '../../schema/builder.js';
import { GroupRef, visibleGroupsWhere } from '../groups/index.js';
import { MentorshipRef, WeekdayEnum } from '../mentorship/index.js';
import { PersonRef } from '../people/index.js';
import { visibleOfficeHoursWhere, visibleSlotWhere } from './office-hours.policy.js';
import { adjustmentNote, WEEKDAYS, type Weekday } from './recurrence.js';
import { dateColumnToLocal } from './slots.service.js';

// The series (OfficeHours) and its occurrences (OfficeHourSlot). Both are nodes seen through
// office-hours.policy (forbidden looks like not found). Other parts of the module add their fields
// with builder.prismaObjectFields(OfficeHoursRef | OfficeHourSlotRef, …): booking (seats taken,
// state, the viewer's booking, attendees, place), time notes, mentorship sessions.

export const OfficeHoursAudienceEnum = builder.enumType('OfficeHoursAudience', {
  values: {
    PUBLIC: { description: 'Anyone, signed out too: a public page.' },
    MEMBERS: { description: 'Every signed-in member.' },
    GROUPS: { description: 'Members of the chosen groups.' },
    PAIR: { description: "A mentorship's sessions: the mentor and mentee only." },
  },
});

export const OfficeHoursStatusEnum = builder.enumType('OfficeHoursStatus', {
  values: ['PROPOSED', 'ACTIVE', 'CANCELLED'] as const,
});

export const OfficeHoursExceptionKindEnum = builder.enumType('OfficeHoursExceptionKind', {
  values: {
    SKIP: { description: 'The occurrence does not take place.' },
    MOVE: { description: 'The occurrence takes place at another local time.' },
  },
});

interface RecurrenceShape {
  everyWeeks: number;
  weekdays: Weekday[];
  untilDate: string | null;
  occurrenceCount: number | null;
}

const OfficeHoursRecurrenceRef = builder.objectRef<RecurrenceShape>('OfficeHoursRecurrence').implement({
  description:
    'Every n weeks on the chosen weekdays, counted from the week of the start date, until a date or for a count.',
  fields: (t) => ({
    everyWeeks: t.exposeInt('everyWeeks'),
    weekdays: t.field({ type: [WeekdayEnum], resolve: (rule) => rule.weekdays }),
    untilDate: t.exposeString('untilDate', { nullable: true, description: "Last local date 'YYYY-MM-DD', inclusive." }),
    occurrenceCount: t.exposeInt('occurrenceCount', { nullable: true }),
  }),
});

const OfficeHoursExceptionRef = builder.prismaObject('OfficeHoursException', {
  description: 'One occurrence skipped or moved, named by the local date the rule gives it.',
  fields: (t) => ({
    occurrenceDate: t.string({ resolve: (row) => dateColumnToLocal(row.occurrenceDate) }),
    kind: t.expose('kind', { type: OfficeHoursExceptionKindEnum }),
    movedToLocal: t.exposeString('movedToLocal', {
      nullable: true,
      description: "MOVE: the new local start 'YYYY-MM-DDTHH:MM' in the series' zone.",
    }),
  }),
});

const isHost = (row: { hostId: string }, viewerId: string | undefined) =>
  viewerId !== undefined && row.hostId === viewerId;

export const OfficeHoursRef = builder.prismaNode('OfficeHours', {
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, AND: [visibleOfficeHoursWhere(ctx.viewer?.id ?? null)] }),
  description: "A host's office hours: a one-off or a recurring series, defined in the host's time zone.",
  fields: (t) => ({
    host: t.relation('host', { type: PersonRef, nullable: false }),
    topic: t.exposeString('topic'),
    description: t.exposeString('description'),
    timeZone: t.exposeString('timeZone', { description: "The host's IANA zone the times are defined in." }),
    startDate: t.string({
      description: "The first local date 'YYYY-MM-DD' (a one-off: its date).",
      resolve: (row) => dateColumnToLocal(row.startDate),
    }),
    startTime: t.exposeString('startTime', { description: "Local start 'HH:MM' in timeZone." }),
    durationMinutes: t.exposeInt('durationMinutes'),
    recurrence: t.field({
      type: OfficeHoursRecurrenceRef,
      nullable: true,
      description: 'null for a one-off.',
      select: { repeatEveryWeeks: true, weekdays: true, untilDate: true, occurrenceCount: true },
      resolve: (row) =>
        row.repeatEveryWeeks === null
          ? null
          : {
              everyWeeks: row.repeatEveryWeeks,
              weekdays: row.weekdays.filter((day): day is Weekday => (WEEKDAYS as readonly string[]).includes(day)),
              untilDate: row.untilDate ? dateColumnToLocal(row.untilDate) : null,
              occurrenceCount: row.occurrenceCount,
            },
    }),
    seats: t.exposeInt('seats'),
    audience: t.expose('audience', { type: OfficeHoursAudienceEnum }),
    groups: t.field({
      type: [GroupRef],
      description: 'GROUPS: the groups whose members may book (only those you may see).',
      select: (_args, ctx, nested) => ({
        groups: { where: { group: visibleGroupsWhere(ctx.viewer?.id) }, select: { group: nested(true) } },
      }),
      resolve: (row) => row.groups.map((link) => link.group),
    }),
    attendeesSeeNames: t.exposeBoolean('attendeesSeeNames'),
    minimumNoticeMinutes: t.exposeInt('minimumNoticeMinutes'),
    bookingWindowDays: t.exposeInt('bookingWindowDays'),
    bufferMinutes: t.exposeInt('bufferMinutes'),
    status: t.expose('status', { type: OfficeHoursStatusEnum }),
    onlineUrl: t.string({
      nullable: true,
      description: 'The host only (booked attendees read it on their slot).',
      select: { hostId: true, onlineUrl: true },
      resolve: (row, _args, ctx) => (isHost(row, ctx.viewer?.id) ? row.onlineUrl : null),
    }),
    location: t.string({
      nullable: true,
      description: 'The host only (booked attendees read it on their slot).',
      select: { hostId: true, location: true },
      resolve: (row, _args, ctx) => (isHost(row, ctx.viewer?.id) ? row.location : null),
    }),
    exceptions: t.field({
      type: [OfficeHoursExceptionRef],
      description: 'Skipped and moved occurrences: the host only, else [].',
      select: { hostId: true, exceptions: { orderBy: { occurrenceDate: 'asc' } } },
      resolve: (row, _args, ctx) => (isHost(row, ctx.viewer?.id) ? row.exceptions : []),
    }),
    slots: t.relatedConnection('slots', {
      cursor: 'id',
      description: 'Its slots in order of start, cancelled ones included; optionally those starting in [from, to).',
      args: {
        from: t.arg({ type: 'DateTime', required: false }),
        to: t.arg({ type: 'DateTime', required: false }),
      },
      query: (args) => ({
        where: {
          ...(args.from || args.to
            ? { startsAt: { ...(args.from ? { gte: args.from } : {}), ...(args.to ? { lt: args.to } : {}) } }
            : {}),
        },
        orderBy: [{ startsAt: 'asc' as const }, { id: 'asc' as const }],
      }),
    }),
    nextSlots: t.relation('slots', {
      description: 'Upcoming slots (not started, not cancelled), soonest first.',
      args: { first: t.arg.int({ required: false, defaultValue: 10 }) },
      query: (args) => ({
        where: { cancelledAt: null, startsAt: { gt: clockNow() } },
        orderBy: [{ startsAt: 'asc' as const }, { id: 'asc' as const }],
        take: Math.max(0, Math.min(args.first ?? 10, 100)),
      }),
    }),
    publicUrl: t.string({
      nullable: true,
      description: "PUBLIC office hours: the host's shareable page, which works signed out.",
      select: { hostId: true, audience: true },
      resolve: (row, _args, ctx) =>
        row.audience === 'PUBLIC'
          ? new URL(
              `/office-hours/${encodeURIComponent(encodeGlobalId('Person', row.hostId))}`,
              ctx.env.PUBLIC_ORIGIN,
            ).toString()
          : null,
    }),
    viewerIsHost: t.boolean({
      select: { hostId: true },
      resolve: (row, _args, ctx) => isHost(row, ctx.viewer?.id),
    }),
    mentorship: t.relation('mentorship', {
      type: MentorshipRef,
      nullable: true,
      description: 'PAIR: the mentorship whose sessions these are (the pair only).',
    }),
    proposedBy: t.relation('proposedBy', { type: PersonRef, nullable: true }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime', nullable: true }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
  }),
});

export const OfficeHourSlotRef = builder.prismaNode('OfficeHourSlot', {
  nullable: true,
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, AND: [visibleSlotWhere(ctx.viewer?.id ?? null)] }),
  description: 'One occurrence of office hours: a time with seats.',
  fields: (t) => ({
    officeHours: t.relation('officeHours', { type: OfficeHoursRef, nullable: false }),
    occurrenceDate: t.string({
      description: "The local date the series' rule gives this occurrence (its identity; a moved one keeps it).",
      resolve: (row) => dateColumnToLocal(row.occurrenceDate),
    }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    hostTimeZone: t.string({
      select: { officeHours: { select: { timeZone: true } } },
      resolve: (row) => row.officeHours.timeZone,
    }),
    hostLocalStart: t.string({
      description: "'YYYY-MM-DDTHH:MM' in the host's zone.",
      select: { startsAt: true, officeHours: { select: { timeZone: true } } },
      resolve: (row) => instantToLocal(row.startsAt, row.officeHours.timeZone).iso.slice(0, 16),
    }),
    adjustmentNote: t.string({
      nullable: true,
      description:
        'The host only: the zone skipped the local start the series asks for that day, so the slot starts later ("17:00 does not exist on 29 March in Europe/Berlin (clocks go forward); this slot starts at 18:00.").',
      select: { startsAt: true, requestedLocalStart: true, officeHours: { select: { timeZone: true, hostId: true } } },
      resolve: (row, _args, ctx) =>
        isHost(row.officeHours, ctx.viewer?.id)
          ? adjustmentNote(row.requestedLocalStart, row.startsAt, row.officeHours.timeZone)
          : null,
    }),
    seats: t.exposeInt('seats'),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
  }),
});
