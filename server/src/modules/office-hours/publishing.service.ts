import type { AppServices } from '../../context.js';
import type { DbClient } from '../../db.js';
import { now as clockNow } from '../../lib/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { decodeId, encodeGlobalId } from '../../lib/global-id.js';
import { localToInstantOrNull } from '../../lib/time.js';
import { toValidationError } from '../../schema/validation.js';
import { publishNotifications } from '../notifications/index.js';
import { moveTooFar, type OfficeHoursInput, officeHoursInput, scheduleRuleOf } from './office-hours.inputs.js';
import { visibleOfficeHoursWhere } from './office-hours.policy.js';
import { expandOccurrences, ruleDates } from './recurrence.js';
import {
  assertNoSlotConflict,
  dateColumnToLocal,
  localToDateColumn,
  lockHostSchedule,
  lockSeries,
  type SyncResult,
  syncSlots,
} from './slots.service.js';

// Publishing and changing office hours: one transaction per change, in the office-hours lock order
// (the host's schedule lock → the OfficeHours row → its future slots in id order → bookings), every
// refusal a typed error, notifications published after commit. A PAIR series (a mentorship's
// sessions) is changed by sessions.* only: here it is not found.

type Services = Pick<AppServices, 'db' | 'pubsub'>;

/** The fields of PublishOfficeHoursInput / UpdateOfficeHoursInput, unchecked. */
export type RawOfficeHours = Partial<Record<keyof OfficeHoursInput, unknown>>;

async function hostGroupIds(tx: DbClient, hostId: string, globalIds: readonly string[]): Promise<string[]> {
  const ids = globalIds.map((id) => decodeId(id, 'Group'));
  const valid = ids.filter((id): id is string => id !== null);
  const mine = await tx.membership.findMany({
    where: { userId: hostId, groupId: { in: valid } },
    select: { groupId: true },
  });
  if (valid.length !== ids.length || mine.length !== valid.length) {
    throw new ValidationError([{ path: 'groupIds', message: 'Choose groups you are a member of.' }]);
  }
  return valid;
}

function parseSeries(raw: RawOfficeHours): OfficeHoursInput {
  const parsed = officeHoursInput.safeParse(raw);
  if (!parsed.success) throw toValidationError(parsed.error.issues);
  return parsed.data;
}

/** The series' future occurrences; none at all is a mistake in the dates, reported on startDate. */
function futureOccurrences(input: OfficeHoursInput, at: Date) {
  const occurrences = expandOccurrences(scheduleRuleOf(input), { from: new Date(at.getTime() + 1) });
  if (occurrences.length === 0) {
    throw new ValidationError([
      { path: 'startDate', message: 'Every session of these office hours would be in the past: choose a later date.' },
    ]);
  }
  return occurrences;
}

function seriesData(input: OfficeHoursInput) {
  return {
    topic: input.topic,
    description: input.description,
    timeZone: input.timeZone,
    startDate: localToDateColumn(input.startDate),
    startTime: input.startTime,
    durationMinutes: input.durationMinutes,
    repeatEveryWeeks: input.recurrence?.everyWeeks ?? null,
    weekdays: input.recurrence?.weekdays ?? [],
    untilDate: input.recurrence?.untilDate ? localToDateColumn(input.recurrence.untilDate) : null,
    occurrenceCount: input.recurrence?.occurrenceCount ?? null,
    seats: input.seats,
    onlineUrl: input.onlineUrl,
    location: input.location,
    audience: input.audience,
    attendeesSeeNames: input.attendeesSeeNames,
    minimumNoticeMinutes: input.minimumNoticeMinutes,
    bookingWindowDays: input.bookingWindowDays,
    bufferMinutes: input.bufferMinutes,
  };
}

type StoredException = { occurrenceDate: Date; kind: 'SKIP' | 'MOVE'; movedToLocal: string | null };

/**
 * Exceptions the change adds or alters (those stored unchanged are history and pass): the session
 * they name must not have started yet (its slot's start, else the rule's), and a MOVE goes to a time
 * to come — otherwise the exception would be stored and do nothing, or silently cancel a booked slot
 * (its occurrence falling before now). VALIDATION on the exception's field.
 */
async function assertExceptionsChangeable(
  tx: DbClient,
  officeHoursId: string | null,
  input: OfficeHoursInput,
  stored: readonly StoredException[],
  at: Date,
): Promise<void> {
  const key = (e: { occurrenceDate: string; kind: string; movedToLocal: string | null }) =>
    `${e.occurrenceDate}|${e.kind}|${e.movedToLocal ?? ''}`;
  const unchanged = new Set(
    stored.map((e) =>
      key({ occurrenceDate: dateColumnToLocal(e.occurrenceDate), kind: e.kind, movedToLocal: e.movedToLocal }),
    ),
  );
  const changed = input.exceptions
    .map((exception, index) => ({ exception, index }))
    .filter(({ exception }) => !unchanged.has(key(exception)));
  if (changed.length === 0) return;
  const slots = officeHoursId
    ? await tx.officeHourSlot.findMany({
        where: {
          officeHoursId,
          occurrenceDate: { in: changed.map(({ exception }) => localToDateColumn(exception.occurrenceDate)) },
        },
        select: { occurrenceDate: true, startsAt: true },
      })
    : [];
  const slotStart = new Map(slots.map((slot) => [dateColumnToLocal(slot.occurrenceDate), slot.startsAt]));
  const problems: Array<{ path: string; message: string }> = [];
  for (const { exception, index } of changed) {
    const startsAt =
      slotStart.get(exception.occurrenceDate) ??
      localToInstantOrNull(`${exception.occurrenceDate}T${input.startTime}`, input.timeZone);
    if (startsAt && startsAt.getTime() <= at.getTime()) {
      problems.push({
        path: `exceptions.${index}.occurrenceDate`,
        message: `The session of ${exception.occurrenceDate} has already started: it can no longer be skipped or moved.`,
      });
      continue;
    }
    if (exception.kind === 'MOVE' && exception.movedToLocal) {
      const movedTo = localToInstantOrNull(exception.movedToLocal, input.timeZone);
      if (!movedTo || movedTo.getTime() <= at.getTime()) {
        problems.push({ path: `exceptions.${index}.movedToLocal`, message: 'Choose a time in the future.' });
      }
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

async function writeExceptions(tx: DbClient, officeHoursId: string, input: OfficeHoursInput): Promise<void> {
  await tx.officeHoursException.deleteMany({ where: { officeHoursId } });
  if (input.exceptions.length === 0) return;
  await tx.officeHoursException.createMany({
    data: input.exceptions.map((exception) => ({
      officeHoursId,
      occurrenceDate: localToDateColumn(exception.occurrenceDate),
      kind: exception.kind,
      movedToLocal: exception.movedToLocal,
    })),
  });
}

async function writeGroups(tx: DbClient, officeHoursId: string, groupIds: readonly string[]): Promise<void> {
  await tx.officeHoursGroup.deleteMany({ where: { officeHoursId } });
  if (groupIds.length > 0) {
    await tx.officeHoursGroup.createMany({ data: groupIds.map((groupId) => ({ officeHoursId, groupId })) });
  }
}

/** Publishes a one-off or a series: the row, its groups and exceptions, and its future slots. */
export async function publishOfficeHours(services: Services, hostId: string, raw: RawOfficeHours): Promise<string> {
  const input = parseSeries(raw);
  return services.db.$transaction(async (tx) => {
    const at = clockNow();
    const host = await tx.user.findUnique({ where: { id: hostId }, select: { suspendedAt: true } });
    if (!host || host.suspendedAt) throw new ForbiddenError('Your account cannot host office hours.');
    const groupIds = input.audience === 'GROUPS' ? await hostGroupIds(tx, hostId, input.groupIds) : [];
    await assertExceptionsChangeable(tx, null, input, [], at);
    const occurrences = futureOccurrences(input, at);
    await lockHostSchedule(tx, hostId);
    await assertNoSlotConflict(tx, {
      hostId,
      officeHoursId: null,
      topic: input.topic,
      timeZone: input.timeZone,
      bufferMinutes: input.bufferMinutes,
      occurrences,
      now: at,
    });
    const series = await tx.officeHours.create({
      data: { ...seriesData(input), hostId, status: 'ACTIVE' },
      select: { id: true },
    });
    await writeGroups(tx, series.id, groupIds);
    await writeExceptions(tx, series.id, input);
    await syncSlots(tx, series.id, at);
    return series.id;
  });
}

/**
 * The viewer's own published series, locked (host schedule → series row). Not visible or a pair's:
 * NOT_FOUND; visible but someone else's: FORBIDDEN; cancelled: OFFICE_HOURS_CANCELLED.
 */
async function lockOwnSeries(tx: DbClient, viewerId: string, officeHoursId: string) {
  const seen = await tx.officeHours.findFirst({
    where: { id: officeHoursId, AND: [visibleOfficeHoursWhere(viewerId)] },
    select: { hostId: true, audience: true },
  });
  if (!seen || seen.audience === 'PAIR') throw new NotFoundError('Those office hours');
  if (seen.hostId !== viewerId) throw new ForbiddenError('Only the host can change these office hours.');
  await lockHostSchedule(tx, viewerId);
  if (!(await lockSeries(tx, officeHoursId))) throw new NotFoundError('Those office hours');
  const series = await tx.officeHours.findUniqueOrThrow({
    where: { id: officeHoursId },
    include: { exceptions: true, groups: { select: { groupId: true } } },
  });
  if (series.status === 'CANCELLED') {
    throw new ConflictError('OFFICE_HOURS_CANCELLED', 'These office hours were cancelled; publish new ones instead.');
  }
  return series;
}

type LockedSeries = Awaited<ReturnType<typeof lockOwnSeries>>;

/** A stored series as the input it would have been published with. */
function asRaw(series: LockedSeries): RawOfficeHours {
  return {
    topic: series.topic,
    description: series.description,
    timeZone: series.timeZone,
    startDate: dateColumnToLocal(series.startDate),
    startTime: series.startTime,
    durationMinutes: series.durationMinutes,
    recurrence:
      series.repeatEveryWeeks === null
        ? null
        : {
            everyWeeks: series.repeatEveryWeeks,
            weekdays: series.weekdays,
            untilDate: series.untilDate ? dateColumnToLocal(series.untilDate) : null,
            occurrenceCount: series.occurrenceCount,
          },
    exceptions: series.exceptions.map((exception) => ({
      occurrenceDate: dateColumnToLocal(exception.occurrenceDate),
      kind: exception.kind,
      movedToLocal: exception.movedToLocal,
    })),
    seats: series.seats,
    onlineUrl: series.onlineUrl,
    location: series.location,
    audience: series.audience,
    groupIds: series.groups.map((group) => encodeGlobalId('Group', group.groupId)),
    attendeesSeeNames: series.attendeesSeeNames,
    minimumNoticeMinutes: series.minimumNoticeMinutes,
    bookingWindowDays: series.bookingWindowDays,
    bufferMinutes: series.bufferMinutes,
  };
}

/**
 * The stored series with the given fields laid over it, checked as a whole. Stored exceptions for
 * dates the changed rule no longer has are dropped (those occurrences are gone) unless the edit
 * names its exceptions itself.
 */
function mergedInput(series: LockedSeries, patch: RawOfficeHours): OfficeHoursInput {
  const raw: RawOfficeHours = { ...asRaw(series) };
  for (const [key, value] of Object.entries(patch) as Array<[keyof OfficeHoursInput, unknown]>) {
    if (value !== undefined) raw[key] = value;
  }
  // Leaving group office hours forgets their groups unless the edit names some (and is refused then).
  if (patch.audience !== undefined && patch.audience !== 'GROUPS' && patch.groupIds === undefined) raw.groupIds = [];
  if (patch.exceptions === undefined) {
    const withoutExceptions = officeHoursInput.safeParse({ ...raw, exceptions: [] });
    if (withoutExceptions.success) {
      const dates = new Set(ruleDates(withoutExceptions.data));
      raw.exceptions = (raw.exceptions as Array<{ occurrenceDate: string }>).filter((exception) =>
        dates.has(exception.occurrenceDate),
      );
    }
  }
  return parseSeries(raw);
}

async function saveAndSync(
  tx: DbClient,
  series: LockedSeries,
  input: OfficeHoursInput,
  at: Date,
  options: Parameters<typeof syncSlots>[3] = {},
): Promise<SyncResult> {
  await assertExceptionsChangeable(tx, series.id, input, series.exceptions, at);
  // An occurrence whose slot already started is history (syncSlots leaves it): not a session to place.
  const started = await tx.officeHourSlot.findMany({
    where: { officeHoursId: series.id, startsAt: { lte: at } },
    select: { occurrenceDate: true },
  });
  const startedDates = new Set(started.map((slot) => dateColumnToLocal(slot.occurrenceDate)));
  await assertNoSlotConflict(tx, {
    hostId: series.hostId,
    officeHoursId: series.id,
    topic: input.topic,
    timeZone: input.timeZone,
    bufferMinutes: input.bufferMinutes,
    occurrences: expandOccurrences(scheduleRuleOf(input), { from: new Date(at.getTime() + 1) }).filter(
      (occurrence) => !startedDates.has(occurrence.occurrenceDate),
    ),
    now: at,
  });
  await tx.officeHours.update({ where: { id: series.id }, data: seriesData(input) });
  await writeExceptions(tx, series.id, input);
  return syncSlots(tx, series.id, at, options);
}

export interface UpdateOutcome {
  officeHoursId: string;
  movedSlots: number;
  cancelledSlots: number;
}

/** Changes a series: future slots follow, bookings stay where their occurrence still exists. */
export async function updateOfficeHours(
  services: Services,
  viewerId: string,
  officeHoursId: string,
  patch: RawOfficeHours,
): Promise<UpdateOutcome> {
  const outcome = await services.db.$transaction(async (tx) => {
    const at = clockNow();
    const series = await lockOwnSeries(tx, viewerId, officeHoursId);
    const input = mergedInput(series, patch);
    const groupIds = input.audience === 'GROUPS' ? await hostGroupIds(tx, viewerId, input.groupIds) : [];
    const sync = await saveAndSync(tx, series, input, at);
    await writeGroups(tx, series.id, groupIds);
    // What an attendee's calendar shows changed (place, link, topic, length): their copies' SEQUENCE goes up.
    const shown =
      series.onlineUrl !== input.onlineUrl ||
      series.location !== input.location ||
      series.topic !== input.topic ||
      series.description !== input.description;
    if (shown) {
      const touched = {
        officeHoursId,
        cancelledAt: null,
        startsAt: { gt: at },
        id: { notIn: [...sync.moved, ...sync.created] },
      };
      await tx.officeHourSlot.updateMany({ where: touched, data: { sequence: { increment: 1 } } });
      await tx.booking.updateMany({ where: { status: 'BOOKED', slot: touched }, data: { sequence: { increment: 1 } } });
    }
    return { sync, movedSlots: sync.moved.length, cancelledSlots: sync.removed.length };
  });
  publishNotifications(services.pubsub, outcome.sync.notifications);
  return { officeHoursId, movedSlots: outcome.movedSlots, cancelledSlots: outcome.cancelledSlots };
}

/** Cancels a whole series: every future slot and its bookings; each attendee told (with the message). */
export async function cancelOfficeHours(
  services: Services,
  viewerId: string,
  officeHoursId: string,
  message: string | null,
): Promise<void> {
  const sync = await services.db.$transaction(async (tx) => {
    const at = clockNow();
    await lockOwnSeries(tx, viewerId, officeHoursId);
    await tx.officeHours.update({ where: { id: officeHoursId }, data: { status: 'CANCELLED', cancelledAt: at } });
    return syncSlots(tx, officeHoursId, at, { reason: 'SERIES_CANCELLED', message });
  });
  publishNotifications(services.pubsub, sync.notifications);
}

/** The slot's series, locked, with the slot: host only, future, not cancelled. */
async function lockOwnSlot(tx: DbClient, viewerId: string, slotId: string, at: Date) {
  const slot = await tx.officeHourSlot.findFirst({
    where: { id: slotId, officeHours: visibleOfficeHoursWhere(viewerId) },
    select: { officeHoursId: true },
  });
  if (!slot) throw new NotFoundError('That slot');
  const series = await lockOwnSeries(tx, viewerId, slot.officeHoursId);
  const current = await tx.officeHourSlot.findUniqueOrThrow({
    where: { id: slotId },
    select: { id: true, occurrenceDate: true, startsAt: true, cancelledAt: true },
  });
  if (current.cancelledAt) throw new ConflictError('SLOT_CANCELLED', 'This session was already cancelled.');
  if (current.startsAt.getTime() <= at.getTime())
    throw new ConflictError('SLOT_PAST', 'This session has already started.');
  return { series, slot: current, occurrenceDate: dateColumnToLocal(current.occurrenceDate) };
}

/** Skips one occurrence (a SKIP exception): its bookings are cancelled and each attendee told. */
export async function skipOfficeHourSlot(
  services: Services,
  viewerId: string,
  slotId: string,
  message: string | null,
): Promise<string> {
  const sync = await services.db.$transaction(async (tx) => {
    const at = clockNow();
    const { series, occurrenceDate } = await lockOwnSlot(tx, viewerId, slotId, at);
    const raw = asRaw(series);
    const others = (raw.exceptions as Array<{ occurrenceDate: string }>).filter(
      (e) => e.occurrenceDate !== occurrenceDate,
    );
    const input = parseSeries({ ...raw, exceptions: [...others, { occurrenceDate, kind: 'SKIP' }] });
    return saveAndSync(tx, series, input, at, { reason: 'SLOT_CANCELLED', message });
  });
  publishNotifications(services.pubsub, sync.notifications);
  return slotId;
}

/** Moves one occurrence to a new local start in the series' zone (a MOVE exception); bookings kept, attendees told. */
export async function moveOfficeHourSlot(
  services: Services,
  viewerId: string,
  slotId: string,
  startLocal: string,
): Promise<string> {
  const sync = await services.db.$transaction(async (tx) => {
    const at = clockNow();
    const { series, occurrenceDate } = await lockOwnSlot(tx, viewerId, slotId, at);
    const startsAt = localToInstantOrNull(startLocal, series.timeZone);
    if (!startsAt || startsAt.getTime() <= at.getTime()) {
      throw new ValidationError([{ path: 'startLocal', message: 'Choose a time in the future.' }]);
    }
    const tooFar = moveTooFar(occurrenceDate, startLocal);
    if (tooFar) throw new ValidationError([{ path: 'startLocal', message: tooFar }]);
    const raw = asRaw(series);
    const others = (raw.exceptions as Array<{ occurrenceDate: string }>).filter(
      (e) => e.occurrenceDate !== occurrenceDate,
    );
    // Back to the rule's own time: the exception is simply dropped.
    const own = startLocal === `${occurrenceDate}T${series.startTime}`;
    const exceptions = own ? others : [...others, { occurrenceDate, kind: 'MOVE', movedToLocal: startLocal }];
    const input = parseSeries({ ...raw, exceptions });
    return saveAndSync(tx, series, input, at);
  });
  publishNotifications(services.pubsub, sync.notifications);
  return slotId;
}
