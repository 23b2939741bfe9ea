import type { Context } from '../../context.js';
import type { DbClient } from '../../db.js';
import { now as clockNow } from '../../lib/clock.js';
import { decodeId, encodeGlobalId } from '../../lib/global-id.js';
import { canonicalOrStored, instantToLocal } from '../../lib/time.js';
import { builder } from '../../schema/builder.js';
import { toValidationError } from '../../schema/validation.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { GroupRef, groupInsidesWhere } from '../groups/index.js';
import { audienceOf, canSeeField, isProfileHidden, PersonRef, sharesGroupWithWhere } from '../people/index.js';
import { scheduleInput } from './office-hours.inputs.js';
import { visibleOfficeHoursWhere } from './office-hours.policy.js';
import { OfficeHoursRef } from './office-hours.type.js';
import { OfficeHoursExceptionInput, OfficeHoursRecurrenceInput } from './publishing.mutations.js';
import { adjustmentNote, expandOccurrences } from './recurrence.js';

// Where office hours are listed: on a member's profile, in a group, on the host's public page (signed
// out too), the host's own list, and the publishing form's preview. Every list is the policy's
// visible series (visibleOfficeHoursWhere), published (not a pair's sessions), with a slot to come.

/** Published series with an upcoming slot, as the viewer may see them. */
export function listedOfficeHoursWhere(viewerId: string | null, at: Date): Prisma.OfficeHoursWhereInput {
  return {
    status: 'ACTIVE',
    audience: { not: 'PAIR' },
    slots: { some: { cancelledAt: null, startsAt: { gt: at } } },
    AND: [visibleOfficeHoursWhere(viewerId)],
  };
}

/**
 * Of `hostIds`, the hosts who have office hours listed for the viewer (the profile's list:
 * listedOfficeHoursWhere, so visible to them — never across a block — published, with a slot to
 * come). One statement for any number: a profile's "Book office hours" (Person.viewerActions).
 */
export async function hostsListingOfficeHours(
  db: DbClient,
  viewerId: string | null,
  hostIds: readonly string[],
  at: Date,
): Promise<Set<string>> {
  if (hostIds.length === 0) return new Set();
  const rows = await db.officeHours.findMany({
    where: { hostId: { in: [...new Set(hostIds)] }, AND: [listedOfficeHoursWhere(viewerId, at)] },
    select: { hostId: true },
    distinct: ['hostId'],
  });
  return new Set(rows.map((row) => row.hostId));
}

const listOrder = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

builder.prismaObjectFields(PersonRef, (t) => ({
  officeHours: t.relation('officeHoursHosted', {
    type: OfficeHoursRef,
    description: 'Their office hours you may see, with a slot to come.',
    query: (_args, ctx) => ({ where: listedOfficeHoursWhere(ctx.viewer?.id ?? null, clockNow()), orderBy: listOrder }),
  }),
}));

builder.prismaObjectFields(GroupRef, (t) => ({
  officeHours: t.prismaField({
    type: [OfficeHoursRef],
    description:
      "Office hours for this group's members, and the public and members' office hours its members host (when you may see who its members are); with a slot to come.",
    select: { id: true },
    resolve: (query, group, _args, ctx) => {
      const viewerId = ctx.viewer?.id ?? null;
      return ctx.db.officeHours.findMany({
        ...query,
        where: {
          AND: [
            listedOfficeHoursWhere(viewerId, clockNow()),
            {
              OR: [
                { audience: 'GROUPS', groups: { some: { groupId: group.id } } },
                {
                  audience: { in: ['PUBLIC', 'MEMBERS'] },
                  host: { memberships: { some: { groupId: group.id, group: groupInsidesWhere(viewerId) } } },
                },
              ],
            },
          ],
        },
        orderBy: listOrder,
      });
    },
  }),
}));

interface PublicHost {
  id: string;
  name: string;
  headline: string | null;
}

const PublicOfficeHoursHostRef = builder.objectRef<PublicHost>('PublicOfficeHoursHost').implement({
  description: 'The host as the public page shows them: what a signed-out visitor may see.',
  fields: (t) => ({
    id: t.id({ description: "The Person's global ID.", resolve: (host) => encodeGlobalId('Person', host.id) }),
    name: t.exposeString('name'),
    headline: t.exposeString('headline', { nullable: true, description: 'Only when its visibility lets you see it.' }),
  }),
});

const PublicOfficeHoursPageRef = builder
  .objectRef<{ host: PublicHost; officeHoursIds: string[] }>('PublicOfficeHoursPage')
  .implement({
    fields: (t) => ({
      host: t.field({ type: PublicOfficeHoursHostRef, resolve: (page) => page.host }),
      officeHours: t.prismaField({
        type: [OfficeHoursRef],
        resolve: (query, page, _args, ctx) =>
          ctx.db.officeHours.findMany({ ...query, where: { id: { in: page.officeHoursIds } }, orderBy: listOrder }),
      }),
    }),
  });

/**
 * A host's page: their office hours the viewer may see. Signed out it exists only while the host has
 * PUBLIC office hours to come (nobody learns a member's name from an id otherwise); a member sees
 * the page of anyone they may see.
 */
export async function publicPageOf(
  ctx: Pick<Context, 'db'>,
  viewerId: string | null,
  hostId: string,
): Promise<{ host: PublicHost; officeHoursIds: string[] } | null> {
  const at = clockNow();
  const series = await ctx.db.officeHours.findMany({
    where: { hostId, ...listedOfficeHoursWhere(viewerId, at) },
    orderBy: listOrder,
    select: { id: true },
  });
  const user = await ctx.db.user.findUnique({
    where: { id: hostId },
    select: {
      id: true,
      name: true,
      headline: true,
      headlineVisibility: true,
      suspendedAt: true,
      profileHiddenAt: true,
    },
  });
  if (!user || user.suspendedAt) return null;
  if (series.length === 0 && viewerId === null) return null;
  let headline: string | null = null;
  if (viewerId && !isProfileHidden(user)) {
    const shares =
      viewerId !== hostId &&
      (await ctx.db.user.count({ where: { id: hostId, ...sharesGroupWithWhere(viewerId) } })) > 0;
    if (canSeeField(user.headlineVisibility, audienceOf(viewerId, hostId, shares))) headline = user.headline || null;
  }
  return { host: { id: user.id, name: user.name, headline }, officeHoursIds: series.map((row) => row.id) };
}

interface SlotPreview {
  occurrenceDate: string;
  startsAt: Date;
  endsAt: Date;
  hostLocalStart: string;
  viewerLocalStart: string;
  adjustmentNote: string | null;
  adjusted: boolean;
  moved: boolean;
}

const SlotPreviewRef = builder.objectRef<SlotPreview>('SlotPreview').implement({
  description: "One of the next slots a schedule would make, in the host's zone and yours.",
  fields: (t) => ({
    occurrenceDate: t.exposeString('occurrenceDate', { description: "The occurrence's identity, 'YYYY-MM-DD'." }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    hostLocalStart: t.exposeString('hostLocalStart', { description: "'YYYY-MM-DDTHH:MM' in the schedule's zone." }),
    viewerLocalStart: t.exposeString('viewerLocalStart', { description: "'YYYY-MM-DDTHH:MM' in your zone." }),
    adjustmentNote: t.exposeString('adjustmentNote', { nullable: true }),
    adjusted: t.exposeBoolean('adjusted', {
      description: 'The zone skips the asked local start that day: it starts later.',
    }),
    moved: t.exposeBoolean('moved', { description: 'Moved by an exception.' }),
  }),
});

const OfficeHoursScheduleInput = builder.inputType('OfficeHoursScheduleInput', {
  fields: (t) => ({
    timeZone: t.string(),
    startDate: t.string(),
    startTime: t.string(),
    durationMinutes: t.int(),
    recurrence: t.field({ type: OfficeHoursRecurrenceInput, required: false }),
    exceptions: t.field({ type: [OfficeHoursExceptionInput], required: false }),
  }),
});

builder.queryFields((t) => ({
  publicOfficeHours: t.field({
    type: PublicOfficeHoursPageRef,
    nullable: true,
    description: "A host's office-hours page (works signed out: their PUBLIC office hours). null: no such page.",
    args: { hostId: t.arg.id() },
    resolve: (_root, args, ctx) => {
      const hostId = decodeId(String(args.hostId), 'Person');
      return hostId ? publicPageOf(ctx, ctx.viewer?.id ?? null, hostId) : null;
    },
  }),
  hostedOfficeHours: t.prismaField({
    type: [OfficeHoursRef],
    authScopes: { member: true },
    description:
      'Your own office hours (not mentorship sessions): those with a slot to come, or all with includeEnded.',
    args: { includeEnded: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (query, _root, args, ctx) => {
      const viewerId = ctx.viewer!.id;
      const at = clockNow();
      return ctx.db.officeHours.findMany({
        ...query,
        where: {
          hostId: viewerId,
          audience: { not: 'PAIR' },
          ...(args.includeEnded
            ? {}
            : { status: 'ACTIVE', slots: { some: { cancelledAt: null, endsAt: { gt: at } } } }),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
  officeHoursPreview: t.field({
    type: [SlotPreviewRef],
    description: 'The next 10 slots a schedule would make (the same expansion publishing uses), in its zone and yours.',
    args: { input: t.arg({ type: OfficeHoursScheduleInput }) },
    resolve: async (_root, { input }, ctx) => {
      const parsed = scheduleInput.safeParse(input);
      if (!parsed.success)
        throw toValidationError(parsed.error.issues.map((issue) => ({ ...issue, path: ['input', ...issue.path] })));
      const viewerZone = ctx.viewer
        ? canonicalOrStored(
            (await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.viewer.id }, select: { timeZone: true } }))
              .timeZone,
          )
        : 'UTC';
      const rule = parsed.data;
      return expandOccurrences(rule, { from: clockNow(), limit: 10 }).map((occurrence) => ({
        occurrenceDate: occurrence.occurrenceDate,
        startsAt: occurrence.startsAt,
        endsAt: occurrence.endsAt,
        hostLocalStart: occurrence.localStart,
        viewerLocalStart: safeLocal(occurrence.startsAt, viewerZone, rule.timeZone),
        adjustmentNote: occurrence.adjusted
          ? adjustmentNote(occurrence.requestedLocalStart, occurrence.startsAt, rule.timeZone)
          : null,
        adjusted: occurrence.adjusted,
        moved: occurrence.moved,
      }));
    },
  }),
}));

function safeLocal(instant: Date, zone: string, fallback: string): string {
  try {
    return instantToLocal(instant, zone).iso.slice(0, 16);
  } catch {
    return instantToLocal(instant, fallback).iso.slice(0, 16);
  }
}

/** The public page for the Open Graph hook: PUBLIC series only, fields a signed-out visitor may see. */
export async function openGraphOfHost(
  ctx: Pick<Context, 'db'>,
  hostGlobalId: string,
): Promise<{ hostName: string; topics: string[] } | null> {
  const hostId = decodeId(hostGlobalId, 'Person');
  if (!hostId) return null;
  const page = await publicPageOf(ctx, null, hostId);
  if (!page) return null;
  const series = await ctx.db.officeHours.findMany({
    where: { id: { in: page.officeHoursIds } },
    orderBy: listOrder,
    select: { topic: true },
  });
  return { hostName: page.host.name, topics: series.map((row) => row.topic) };
}
