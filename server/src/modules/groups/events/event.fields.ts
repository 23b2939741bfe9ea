import type { Env } from '../../../env.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../lib/errors.js';
import { decodeId } from '../../../lib/global-id.js';
import { timeZoneSchema } from '../../../lib/time.js';
import { eventIdFrom } from './event.ids.js';
import { builder } from '../../../schema/builder.js';
import { PersonRef } from '../../people/index.js';
import { GroupRef } from '../group.type.js';
import { groupInsidesVisible, visibleGroupsWhere } from '../groups.policy.js';
import {
  capacityInput,
  eventDescriptionInput,
  eventTitleInput,
  locationInput,
  onlineUrlInput,
} from './event.inputs.js';
import { EventRef } from './event.type.js';
import { createEvent, rsvp, updateEvent } from './events.service.js';
import type { Context } from '../../../context.js';

// Event fields, lists, the RSVP and create mutations. Visibility follows the group: an event
// exists for a viewer exactly when its group does (SECRET groups only for their members).

export const RsvpStatusEnum = builder.enumType('RsvpStatus', {
  values: ['GOING', 'MAYBE', 'NOT_GOING', 'WAITLISTED'] as const,
});

export const EventAttendeeRef = builder.prismaObject('Rsvp', {
  name: 'EventAttendee',
  fields: (t) => ({
    person: t.relation('user', { type: PersonRef }),
    status: t.expose('status', { type: RsvpStatusEnum }),
  }),
});

export const EventConnectionRef = builder.connectionObject(
  { type: EventRef, name: 'EventConnection' },
  { name: 'EventEdge' },
);

/**
 * Who is coming, and where (the place and the online link): the group's "insides" (groups.policy.ts);
 * others who see the event see only what and when. Answered once per group and request, so event
 * lists cost no query per event.
 */
const insiderAnswers = new WeakMap<Context, Map<string, Promise<boolean>>>();

function canSeeEventInsides(ctx: Context, groupId: string): Promise<boolean> {
  const viewerId = ctx.viewer?.id;
  if (!viewerId) return Promise.resolve(false);
  let answers = insiderAnswers.get(ctx);
  if (!answers) insiderAnswers.set(ctx, (answers = new Map()));
  let answer = answers.get(groupId);
  if (!answer) {
    answer = groupInsidesVisible(ctx.db, groupId, viewerId);
    answers.set(groupId, answer);
  }
  return answer;
}

const canSeeAttendees = canSeeEventInsides;

function upcomingWhere(upcoming: boolean) {
  const now = new Date();
  return upcoming ? { endsAt: { gt: now }, cancelledAt: null } : { endsAt: { lte: now } };
}

builder.prismaObjectFields(EventRef, (t) => ({
  group: t.relation('group'),
  onlineUrl: t.string({
    nullable: true,
    description: 'The link to join; null for non-members of a private group.',
    select: { onlineUrl: true, groupId: true },
    resolve: async (event, _args, ctx) => ((await canSeeEventInsides(ctx, event.groupId)) ? event.onlineUrl : null),
  }),
  location: t.string({
    nullable: true,
    description: 'Where it happens; null for non-members of a private group.',
    select: { location: true, groupId: true },
    resolve: async (event, _args, ctx) => ((await canSeeEventInsides(ctx, event.groupId)) ? event.location : null),
  }),
  capacity: t.exposeInt('capacity', { nullable: true, description: 'null: no limit.' }),
  cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
  goingCount: t.relationCount('rsvps', { where: { status: 'GOING' } }),
  maybeCount: t.relationCount('rsvps', { where: { status: 'MAYBE' } }),
  waitlistCount: t.relationCount('rsvps', { where: { status: 'WAITLISTED' } }),
  viewerRsvp: t.field({
    type: RsvpStatusEnum,
    nullable: true,
    description: 'null when the viewer has not answered.',
    resolve: async (event, _args, ctx) => {
      if (!ctx.viewer) return null;
      const row = await ctx.db.rsvp.findUnique({
        where: { eventId_userId: { eventId: event.id, userId: ctx.viewer.id } },
        select: { status: true },
      });
      return row?.status ?? null;
    },
  }),
  viewerWaitlistPosition: t.int({
    nullable: true,
    description: '1-based place on the waitlist, null when not waitlisted.',
    resolve: async (event, _args, ctx) => {
      if (!ctx.viewer) return null;
      const row = await ctx.db.rsvp.findUnique({
        where: { eventId_userId: { eventId: event.id, userId: ctx.viewer.id } },
        select: { status: true, waitlistedAt: true },
      });
      if (row?.status !== 'WAITLISTED' || !row.waitlistedAt) return null;
      const ahead = await ctx.db.rsvp.count({
        where: { eventId: event.id, status: 'WAITLISTED', waitlistedAt: { lt: row.waitlistedAt } },
      });
      return ahead + 1;
    },
  }),
  attendees: t.prismaConnection(
    {
      type: EventAttendeeRef,
      cursor: 'eventId_userId',
      description: 'Who answered, by status; the waitlist in its order. Members only, except in PUBLIC groups.',
      args: { status: t.arg({ type: RsvpStatusEnum, required: false, defaultValue: 'GOING' }) },
      totalCount: async (event, args, ctx) =>
        (await canSeeAttendees(ctx, event.groupId))
          ? ctx.db.rsvp.count({ where: { eventId: event.id, status: args.status ?? 'GOING' } })
          : 0,
      resolve: async (query, event, args, ctx) => {
        if (!(await canSeeAttendees(ctx, event.groupId))) return [];
        const status = args.status ?? 'GOING';
        return ctx.db.rsvp.findMany({
          ...query,
          where: { eventId: event.id, status },
          orderBy:
            status === 'WAITLISTED'
              ? [{ waitlistedAt: 'asc' }, { userId: 'asc' }]
              : [{ updatedAt: 'asc' }, { userId: 'asc' }],
        });
      },
    },
    { name: 'EventAttendeeConnection' },
    { name: 'EventAttendeeEdge' },
  ),
  icsUrl: t.string({
    description: 'Relative URL of the .ics download.',
    resolve: (event) => `/events/${event.id}.ics`,
  }),
}));

builder.prismaObjectField(GroupRef, 'events', (t) =>
  t.relatedConnection(
    'events',
    {
      cursor: 'id',
      description: 'Upcoming events soonest first (the default), or past events latest first.',
      args: { upcoming: t.arg.boolean({ required: false, defaultValue: true }) },
      query: (args, ctx) => {
        const upcoming = args.upcoming ?? true;
        return {
          // The parent group may reach a non-member (a direct invitee sees the group they are
          // invited to), but a SECRET group's events stay its members'.
          where: { ...upcomingWhere(upcoming), group: visibleGroupsWhere(ctx.viewer?.id) },
          orderBy: upcoming
            ? [{ startsAt: 'asc' as const }, { id: 'asc' as const }]
            : [{ startsAt: 'desc' as const }, { id: 'desc' as const }],
        };
      },
    },
    EventConnectionRef,
  ),
);

builder.queryFields((t) => ({
  event: t.prismaField({
    type: EventRef,
    nullable: true,
    description: 'An event by its id (the global ID, or the UUID of /events/<uuid>); null when you may not see it.',
    args: { id: t.arg.id() },
    resolve: (query, _root, args, ctx) => {
      const id = eventIdFrom(args.id);
      if (!id || !ctx.viewer) return null;
      return ctx.db.event.findFirst({ ...query, where: { id, group: visibleGroupsWhere(ctx.viewer.id) } });
    },
  }),
  upcomingEvents: t.prismaConnection(
    {
      type: EventRef,
      cursor: 'id',
      description: "Upcoming events of the viewer's groups, soonest first.",
      resolve: (query, _root, _args, ctx) => {
        if (!ctx.viewer) return [];
        return ctx.db.event.findMany({
          ...query,
          where: { ...upcomingWhere(true), group: { memberships: { some: { userId: ctx.viewer.id } } } },
          orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        });
      },
    },
    EventConnectionRef,
  ),
}));

const CreateEventInput = builder.inputType('CreateEventInput', {
  fields: (t) => ({
    groupId: t.id(),
    title: t.string().validate(eventTitleInput),
    description: t.string({ required: false }).validate(eventDescriptionInput),
    startsAt: t.field({ type: 'DateTime' }),
    endsAt: t.field({ type: 'DateTime' }),
    timeZone: t.string({ description: 'IANA zone, e.g. Europe/Berlin.' }).validate(timeZoneSchema),
    onlineUrl: t.string({ required: false }).validate(onlineUrlInput),
    location: t.string({ required: false }).validate(locationInput),
    capacity: t.int({ required: false, description: '1–10000; omit for no limit.' }).validate(capacityInput),
  }),
});

const UpdateEventInput = builder.inputType('UpdateEventInput', {
  description: 'Only the fields given change. Raising the capacity promotes the waitlist in order.',
  fields: (t) => ({
    eventId: t.id(),
    title: t.string({ required: false }).validate(eventTitleInput.nullish()),
    description: t.string({ required: false }).validate(eventDescriptionInput),
    startsAt: t.field({ type: 'DateTime', required: false }),
    endsAt: t.field({ type: 'DateTime', required: false }),
    timeZone: t.string({ required: false }).validate(timeZoneSchema.nullish()),
    onlineUrl: t.string({ required: false }).validate(onlineUrlInput),
    location: t.string({ required: false }).validate(locationInput),
    capacity: t.int({ required: false, description: 'null: no limit.' }).validate(capacityInput),
  }),
});

const RsvpInput = builder.inputType('RsvpInput', {
  fields: (t) => ({
    eventId: t.id(),
    status: t.field({
      type: RsvpStatusEnum,
      description: 'GOING, MAYBE or NOT_GOING; GOING on a full event waitlists you.',
    }),
  }),
});

const EventPayload = builder.objectRef<{ id: string }>('EventPayload').implement({
  fields: (t) => ({
    event: t.prismaField({
      type: EventRef,
      resolve: (query, payload, _args, ctx) => ctx.db.event.findUniqueOrThrow({ ...query, where: { id: payload.id } }),
    }),
  }),
});

function eventIdOf(value: unknown): string {
  const id = eventIdFrom(value);
  if (!id) throw new NotFoundError('That event');
  return id;
}

// Every new event notifies the whole group: few per member (on top of the general mutation limit).
const EVENTS_CREATED = (env: Env) => ({
  name: 'events-created',
  limit: env.EVENTS_CREATED_MAX_PER_HOUR,
  windowMs: 60 * 60 * 1000,
});

builder.mutationFields((t) => ({
  createEvent: t.field({
    type: EventPayload,
    args: { input: t.arg({ type: CreateEventInput }) },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    rateLimit: EVENTS_CREATED,
    resolve: async (_root, { input }, ctx) => {
      const groupId = decodeId(String(input.groupId), 'Group');
      if (!groupId) throw new NotFoundError('That group');
      return createEvent(ctx, { ...input, groupId });
    },
  }),
  updateEvent: t.field({
    type: EventPayload,
    args: { input: t.arg({ type: UpdateEventInput }) },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    resolve: (_root, { input }, ctx) => updateEvent(ctx, { ...input, eventId: eventIdOf(input.eventId) }),
  }),
  rsvp: t.field({
    type: EventPayload,
    args: { input: t.arg({ type: RsvpInput }) },
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    resolve: (_root, { input }, ctx) => rsvp(ctx, { eventId: eventIdOf(input.eventId), status: input.status }),
  }),
}));
