import type { DbClient } from '../../db.js';
import { ConflictError } from '../../lib/errors.js';
import { instantToLocal, zonedDateTime } from '../../lib/time.js';
import type { CreatedNotification } from '../notifications/index.js';
import { seatsTakenOf } from './booking.service.js';
import { type BookingCancelReason, cancelBookingsOfSlots, onSeatsChanged, onSlotsMoved } from './bookings.changes.js';
import {
  dayInWords,
  expandOccurrences,
  type Occurrence,
  type OccurrenceException,
  type ScheduleRule,
  WEEKDAYS,
  type Weekday,
} from './recurrence.js';

// Slots are the series' occurrences made rows, identified by (series, occurrenceDate): editing a
// series keeps a slot — and its bookings — whenever its occurrence still exists, only moving it when
// its time changed. Only FUTURE slots are touched; past ones are history (attendance, check-ins).
//
// Locks (ARCHITECTURE, office hours): the caller holds the host's office-hours lock and the OfficeHours
// row (lockHostSchedule, lockSeries); syncSlots locks the series' future slots in id order (FOR UPDATE)
// before reading their bookings, like every booking path (slot → Booking / waitlist rows).

type Tx = DbClient;

/** 'YYYY-MM-DD' of a @db.Date column (stored as UTC midnight). */
export function dateColumnToLocal(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/** A @db.Date column's value for a 'YYYY-MM-DD' local date. */
export function localToDateColumn(value: string): Date {
  return new Date(`${value}T00:00:00.000Z`);
}

/** A stored series as recurrence.ts's rule. */
export function storedRule(series: {
  timeZone: string;
  startDate: Date;
  startTime: string;
  durationMinutes: number;
  repeatEveryWeeks: number | null;
  weekdays: string[];
  untilDate: Date | null;
  occurrenceCount: number | null;
  exceptions: Array<{ occurrenceDate: Date; kind: 'SKIP' | 'MOVE'; movedToLocal: string | null }>;
}): ScheduleRule {
  return {
    timeZone: series.timeZone,
    startDate: dateColumnToLocal(series.startDate),
    startTime: series.startTime,
    durationMinutes: series.durationMinutes,
    recurrence:
      series.repeatEveryWeeks === null
        ? null
        : {
            everyWeeks: series.repeatEveryWeeks,
            weekdays: series.weekdays.filter((day): day is Weekday => (WEEKDAYS as readonly string[]).includes(day)),
            untilDate: series.untilDate ? dateColumnToLocal(series.untilDate) : null,
            occurrenceCount: series.occurrenceCount,
          },
    exceptions: series.exceptions.map(
      (exception): OccurrenceException => ({
        occurrenceDate: dateColumnToLocal(exception.occurrenceDate),
        kind: exception.kind,
        movedToLocal: exception.movedToLocal,
      }),
    ),
  };
}

export const seriesRuleSelect = {
  id: true,
  hostId: true,
  topic: true,
  status: true,
  timeZone: true,
  startDate: true,
  startTime: true,
  durationMinutes: true,
  repeatEveryWeeks: true,
  weekdays: true,
  untilDate: true,
  occurrenceCount: true,
  seats: true,
  bufferMinutes: true,
  exceptions: { select: { occurrenceDate: true, kind: true, movedToLocal: true } },
} as const;

/**
 * Serialises every change to one host's schedule (publishing, editing, moving: the buffer and overlap
 * check reads the host's other series): first in the office-hours lock order, before any row lock.
 */
export async function lockHostSchedule(tx: Tx, hostId: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`office-hours.host:${hostId}`}, 0))::text AS locked`;
}

/** The OfficeHours row lock (FOR NO KEY UPDATE: bookings referencing the series are not held up). */
export async function lockSeries(tx: Tx, officeHoursId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "OfficeHours" WHERE "id" = ${officeHoursId}::uuid FOR NO KEY UPDATE`;
  return rows.length > 0;
}

/** "Tuesday 24 March 2026 at 17:00 (Europe/Berlin)". */
export function slotInWords(startsAt: Date, zone: string): string {
  const local = instantToLocal(startsAt, zone);
  const weekday = WEEKDAYS[zonedDateTime(startsAt, zone).dayOfWeek - 1] ?? '';
  const day = `${weekday.charAt(0)}${weekday.slice(1).toLowerCase()}`;
  return `${day} ${dayInWords(local.date)} ${local.date.slice(0, 4)} at ${local.time.slice(0, 5)} (${zone})`;
}

export interface SyncResult {
  created: string[];
  moved: string[];
  removed: string[];
  /** to publish after commit */
  notifications: CreatedNotification[];
}

export interface SyncOptions {
  /** why slots that went away lose their bookings: an edit by default */
  reason?: BookingCancelReason;
  message?: string | null;
}

/**
 * Makes the series' future slots match its rule (caller holds the host lock and the series row):
 * new occurrences get slots; a slot whose occurrence remains keeps its bookings and moves if its time
 * changed (attendees told, sequences up); a slot whose occurrence went away — or every future slot
 * of a cancelled series — is cancelled with its bookings (attendees told). Seats follow the series:
 * fewer than a slot's BOOKED + OFFERED is refused (SEATS_BELOW_BOOKINGS), more are offered to the
 * waitlist. A PROPOSED series (a pair's, not yet confirmed) has no slots yet.
 */
export async function syncSlots(
  tx: Tx,
  officeHoursId: string,
  now: Date,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const series = await tx.officeHours.findUniqueOrThrow({ where: { id: officeHoursId }, select: seriesRuleSelect });
  const result: SyncResult = { created: [], moved: [], removed: [], notifications: [] };
  if (series.status === 'PROPOSED') return result;

  // Future slots, locked in id order before their bookings are read.
  const locked = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "OfficeHourSlot"
    WHERE "officeHoursId" = ${officeHoursId}::uuid AND "startsAt" > ${now}
    ORDER BY "id" FOR UPDATE`;
  const lockedIds = new Set(locked.map((row) => row.id));
  const existing = await tx.officeHourSlot.findMany({
    where: { officeHoursId },
    select: { id: true, occurrenceDate: true, startsAt: true, endsAt: true, seats: true, cancelledAt: true },
  });
  const byDate = new Map(existing.map((slot) => [dateColumnToLocal(slot.occurrenceDate), slot]));

  const occurrences: Occurrence[] =
    series.status === 'CANCELLED' ? [] : expandOccurrences(storedRule(series), { from: new Date(now.getTime() + 1) });
  const wanted = new Set(occurrences.map((occurrence) => occurrence.occurrenceDate));

  // Seats first: nothing is written when a kept slot holds more seats than the series now offers.
  for (const occurrence of occurrences) {
    const slot = byDate.get(occurrence.occurrenceDate);
    if (!slot || !lockedIds.has(slot.id) || slot.cancelledAt || slot.seats <= series.seats) continue;
    const taken = await seatsTakenOf(tx, slot.id, now);
    if (taken > series.seats) {
      throw new ConflictError(
        'SEATS_BELOW_BOOKINGS',
        `The session on ${slotInWords(slot.startsAt, series.timeZone)} already has ${taken} seats taken: ` +
          `offer at least ${taken} seats, or cancel that session first.`,
      );
    }
  }

  const moved: Array<{ slotId: string; previousStartsAt: Date }> = [];
  const seatsUp: string[] = [];
  const toCreate: Occurrence[] = [];
  for (const occurrence of occurrences) {
    const slot = byDate.get(occurrence.occurrenceDate);
    const requestedLocalStart = occurrence.adjusted ? occurrence.requestedLocalStart : null;
    if (!slot) {
      toCreate.push(occurrence);
      continue;
    }
    // A past slot is history, even when its occurrence now falls later.
    if (!lockedIds.has(slot.id)) continue;
    const timeChanged =
      slot.startsAt.getTime() !== occurrence.startsAt.getTime() ||
      slot.endsAt.getTime() !== occurrence.endsAt.getTime();
    const revived = slot.cancelledAt !== null;
    if (!timeChanged && !revived && slot.seats === series.seats) continue;
    await tx.officeHourSlot.update({
      where: { id: slot.id },
      data: {
        startsAt: occurrence.startsAt,
        endsAt: occurrence.endsAt,
        requestedLocalStart,
        seats: series.seats,
        cancelledAt: null,
        ...(timeChanged || revived ? { sequence: { increment: 1 } } : {}),
      },
    });
    if (revived) result.created.push(slot.id);
    else if (timeChanged) moved.push({ slotId: slot.id, previousStartsAt: slot.startsAt });
    if (!revived && series.seats > slot.seats) seatsUp.push(slot.id);
  }
  if (toCreate.length > 0) {
    const created = await tx.officeHourSlot.createManyAndReturn({
      data: toCreate.map((occurrence) => ({
        officeHoursId,
        occurrenceDate: localToDateColumn(occurrence.occurrenceDate),
        startsAt: occurrence.startsAt,
        endsAt: occurrence.endsAt,
        requestedLocalStart: occurrence.adjusted ? occurrence.requestedLocalStart : null,
        seats: series.seats,
      })),
      select: { id: true },
    });
    result.created.push(...created.map((row) => row.id));
  }

  const gone = existing
    .filter(
      (slot) =>
        lockedIds.has(slot.id) && slot.cancelledAt === null && !wanted.has(dateColumnToLocal(slot.occurrenceDate)),
    )
    .map((slot) => slot.id)
    .sort();
  if (gone.length > 0) {
    await tx.officeHourSlot.updateMany({
      where: { id: { in: gone } },
      data: { cancelledAt: now, sequence: { increment: 1 } },
    });
    result.removed.push(...gone);
    result.notifications.push(
      ...(await cancelBookingsOfSlots(tx, {
        slotIds: gone,
        hostId: series.hostId,
        reason: options.reason ?? 'OCCURRENCE_REMOVED',
        message: options.message ?? null,
      })),
    );
  }
  if (moved.length > 0) {
    result.moved.push(...moved.map((slot) => slot.slotId));
    result.notifications.push(...(await onSlotsMoved(tx, moved)));
  }
  for (const slotId of seatsUp) result.notifications.push(...(await onSeatsChanged(tx, slotId)));
  return result;
}

export interface ScheduledSlot {
  startsAt: Date;
  endsAt: Date;
}

/**
 * The buffer and overlap rule: a host's future slots (this series' and their other active series')
 * never overlap and leave at least the larger of the two series' buffers between them. Throws
 * SLOT_CONFLICT naming the slot in words. The caller holds the host's lock (lockHostSchedule).
 */
export async function assertNoSlotConflict(
  tx: Tx,
  args: {
    hostId: string;
    /** the series being saved (its own stored slots are replaced by `occurrences`); null: a new one */
    officeHoursId: string | null;
    topic: string;
    timeZone: string;
    bufferMinutes: number;
    occurrences: readonly ScheduledSlot[];
    now: Date;
  },
): Promise<void> {
  const own = [...args.occurrences]
    .filter((slot) => slot.endsAt.getTime() > args.now.getTime())
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (own.length === 0) return;
  const bufferMs = args.bufferMinutes * 60_000;
  for (let index = 1; index < own.length; index++) {
    const before = own[index - 1] as ScheduledSlot;
    const after = own[index] as ScheduledSlot;
    if (after.startsAt.getTime() < before.endsAt.getTime() + bufferMs) {
      throw new ConflictError(
        'SLOT_CONFLICT',
        after.startsAt.getTime() < before.endsAt.getTime()
          ? `The session on ${slotInWords(after.startsAt, args.timeZone)} overlaps the one before it.`
          : `The session on ${slotInWords(after.startsAt, args.timeZone)} leaves less than the ${args.bufferMinutes}-minute buffer after the one before it.`,
      );
    }
  }
  const first = own[0] as ScheduledSlot;
  const last = own[own.length - 1] as ScheduledSlot;
  const widest = 4 * 60 * 60_000; // the largest buffer allowed
  const others = await tx.officeHourSlot.findMany({
    where: {
      cancelledAt: null,
      endsAt: { gt: new Date(Math.max(args.now.getTime(), first.startsAt.getTime() - widest)) },
      startsAt: { lt: new Date(last.endsAt.getTime() + widest) },
      officeHours: { hostId: args.hostId, status: 'ACTIVE' },
      // The series' own future slots are replaced by `occurrences`; its session in progress stays.
      ...(args.officeHoursId ? { NOT: { officeHoursId: args.officeHoursId, startsAt: { gt: args.now } } } : {}),
    },
    orderBy: { startsAt: 'asc' },
    select: { startsAt: true, endsAt: true, officeHours: { select: { topic: true, bufferMinutes: true } } },
  });
  for (const other of others) {
    const gap = Math.max(bufferMs, other.officeHours.bufferMinutes * 60_000);
    for (const slot of own) {
      const clash =
        slot.startsAt.getTime() < other.endsAt.getTime() + gap &&
        other.startsAt.getTime() < slot.endsAt.getTime() + gap;
      if (!clash) continue;
      const overlaps =
        slot.startsAt.getTime() < other.endsAt.getTime() && other.startsAt.getTime() < slot.endsAt.getTime();
      const buffer = Math.round(gap / 60_000);
      throw new ConflictError(
        'SLOT_CONFLICT',
        overlaps
          ? `The session on ${slotInWords(slot.startsAt, args.timeZone)} overlaps your “${other.officeHours.topic}” on ${slotInWords(other.startsAt, args.timeZone)}.`
          : `The session on ${slotInWords(slot.startsAt, args.timeZone)} leaves less than a ${buffer}-minute buffer around your “${other.officeHours.topic}” on ${slotInWords(other.startsAt, args.timeZone)}.`,
      );
    }
  }
}
