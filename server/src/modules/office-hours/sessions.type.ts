import type { Context } from '../../context.js';
import { now } from '../../lib/clock.js';
import { builder } from '../../schema/builder.js';
import { CheckInRef, MentorshipRef, roleIn } from '../mentorship/index.js';
import { visibleOfficeHoursWhere } from './office-hours.policy.js';
import { OfficeHourSlotRef, OfficeHoursRef } from './office-hours.type.js';
import { type Proposals, type SessionTimeProposal, sessionTimeProposals } from './sessions.service.js';

// A mentorship's sessions on the Mentorship type (added from here: mentorship imports nothing of
// office hours): times both members can meet, the current series and the next sessions; and on the
// series and its slots what only the pair may do (confirm, mark held). The Mentorship node is seen
// by its two members only, and every series read here goes through office-hours.policy as well.

const SessionTimeProposalRef = builder.objectRef<SessionTimeProposal>('SessionTimeProposal').implement({
  description:
    "A time for the pair's session series, inside both members' working hours for every session until the agreement's planned end.",
  fields: (t) => ({
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'The first session.' }),
    everyWeeks: t.exposeInt('everyWeeks', { description: "From the agreement's cadence: 1, 2 or 4." }),
    durationMinutes: t.exposeInt('durationMinutes', { description: "The agreement's session length." }),
    mentorLocal: t.exposeString('mentorLocal', {
      description: "The first session in the mentor's zone, YYYY-MM-DDTHH:MM.",
    }),
    menteeLocal: t.exposeString('menteeLocal', {
      description: "The first session in the mentee's zone, YYYY-MM-DDTHH:MM.",
    }),
    mentorTimeZone: t.exposeString('mentorTimeZone'),
    menteeTimeZone: t.exposeString('menteeTimeZone'),
    label: t.exposeString('label', { description: 'E.g. "Tuesdays 17:00 Berlin · 21:30 Kolkata".' }),
  }),
});

// Both fields read one computation per mentorship and request.
const computed = new WeakMap<object, Map<string, Promise<Proposals>>>();

function proposalsFor(
  ctx: Pick<Context, 'db'>,
  mentorship: { id: string; mentorId: string; menteeId: string; status: string },
): Promise<Proposals> {
  let perRequest = computed.get(ctx);
  if (!perRequest) {
    perRequest = new Map();
    computed.set(ctx, perRequest);
  }
  let result = perRequest.get(mentorship.id);
  if (!result) {
    result = sessionTimeProposals(ctx.db, mentorship);
    perRequest.set(mentorship.id, result);
  }
  return result;
}

const PAIR_SELECT = { id: true, mentorId: true, menteeId: true, status: true } as const;

builder.prismaObjectFields(MentorshipRef, (t) => ({
  sessionTimeProposals: t.field({
    type: [SessionTimeProposalRef],
    description:
      "Times for a session series from the accepted agreement (cadence, session length) inside both members' working hours, in their zones, at most one a weekday first; [] with sessionTimeBlocker saying why.",
    args: { first: t.arg.int({ required: false, defaultValue: 5 }) },
    select: PAIR_SELECT,
    resolve: async (row, args, ctx) => {
      if (roleIn(row, ctx.viewer?.id) === null) return [];
      const first = Math.min(Math.max(args.first ?? 5, 0), 14);
      // One a weekday first (the list's order), then shown in order of time.
      return (await proposalsFor(ctx, row)).proposals
        .slice(0, first)
        .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    },
  }),
  sessionTimeBlocker: t.string({
    nullable: true,
    description:
      'Why there are no session time proposals (no agreement, no working hours, no shared time…); null when there are.',
    select: PAIR_SELECT,
    resolve: async (row, _args, ctx) => {
      if (roleIn(row, ctx.viewer?.id) === null) return null;
      return (await proposalsFor(ctx, row)).blocker;
    },
  }),
  sessionSeries: t.prismaField({
    type: OfficeHoursRef,
    nullable: true,
    description: "The pair's current session series: PROPOSED (waiting for the other side) or ACTIVE.",
    select: { id: true, mentorId: true, menteeId: true },
    resolve: (query, row, _args, ctx) => {
      const viewerId = ctx.viewer?.id ?? null;
      if (roleIn(row, viewerId) === null) return null;
      return ctx.db.officeHours.findFirst({
        ...query,
        where: {
          mentorshipId: row.id,
          audience: 'PAIR',
          status: { in: ['PROPOSED', 'ACTIVE'] },
          AND: [visibleOfficeHoursWhere(viewerId)],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
  upcomingSessions: t.prismaField({
    type: [OfficeHourSlotRef],
    description: 'The next sessions of the confirmed series (one in progress included), in order.',
    args: { first: t.arg.int({ required: false, defaultValue: 5 }) },
    select: { id: true, mentorId: true, menteeId: true },
    resolve: async (query, row, args, ctx) => {
      const viewerId = ctx.viewer?.id ?? null;
      if (roleIn(row, viewerId) === null) return [];
      const slots = await ctx.db.officeHourSlot.findMany({
        ...query,
        where: {
          cancelledAt: null,
          endsAt: { gt: now() },
          officeHours: {
            mentorshipId: row.id,
            audience: 'PAIR',
            status: 'ACTIVE',
            AND: [visibleOfficeHoursWhere(viewerId)],
          },
        },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        take: Math.min(Math.max(args.first ?? 5, 0), 50),
      });
      return slots.filter((slot) => slot !== null);
    },
  }),
}));

builder.prismaObjectFields(OfficeHoursRef, (t) => ({
  viewerCanConfirmSessions: t.boolean({
    description: "A mentorship's PROPOSED series that the other side proposed: you may confirm or decline it.",
    select: {
      status: true,
      proposedById: true,
      mentorship: { select: { mentorId: true, menteeId: true, status: true } },
    },
    resolve: (row, _args, ctx) =>
      row.status === 'PROPOSED' &&
      row.mentorship !== null &&
      row.mentorship.status === 'ACTIVE' &&
      roleIn(row.mentorship, ctx.viewer?.id) !== null &&
      row.proposedById !== ctx.viewer?.id,
  }),
}));

builder.prismaObjectFields(OfficeHourSlotRef, (t) => ({
  viewerCanMarkHeld: t.boolean({
    description: 'A session of your mentorship that has started, is not cancelled and is not marked held yet.',
    select: {
      startsAt: true,
      cancelledAt: true,
      checkIn: { select: { id: true } },
      officeHours: { select: { mentorship: { select: { mentorId: true, menteeId: true, status: true } } } },
    },
    resolve: (row, _args, ctx) => {
      const mentorship = row.officeHours.mentorship;
      return (
        mentorship !== null &&
        mentorship.status === 'ACTIVE' &&
        roleIn(mentorship, ctx.viewer?.id) !== null &&
        row.cancelledAt === null &&
        row.checkIn === null &&
        row.startsAt.getTime() <= now().getTime()
      );
    },
  }),
  checkIn: t.prismaField({
    type: CheckInRef,
    nullable: true,
    description: "A mentorship session's check-in, once marked held: the pair's only.",
    select: { id: true, officeHours: { select: { mentorship: { select: { mentorId: true, menteeId: true } } } } },
    resolve: (query, row, _args, ctx) => {
      const mentorship = row.officeHours.mentorship;
      if (!mentorship || roleIn(mentorship, ctx.viewer?.id) === null) return null;
      return ctx.db.checkIn.findUnique({ ...query, where: { slotId: row.id } });
    },
  }),
}));

builder.prismaObjectFields(CheckInRef, (t) => ({
  session: t.prismaField({
    type: OfficeHourSlotRef,
    nullable: true,
    description: 'The mentorship session this check-in records, when it was marked held from one.',
    select: { slotId: true },
    resolve: (query, row, _args, ctx) =>
      row.slotId
        ? ctx.db.officeHourSlot.findFirst({
            ...query,
            where: { id: row.slotId, officeHours: visibleOfficeHoursWhere(ctx.viewer?.id ?? null) },
          })
        : null,
  }),
}));
