import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';

// Shared inputs for the time-module tests (server/src/lib/time.ts and web/src/lib/time.ts). The DST
// transitions are found here with Temporal directly, not with the modules' own functions.

export const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Australia/Lord_Howe', // 30-minute DST
  'Asia/Kolkata',
  'Pacific/Chatham', // +12:45 / +13:45
  'UTC',
] as const;

export interface Transition {
  zone: string;
  /** first instant of the new offset */
  epochMs: number;
  beforeMinutes: number;
  afterMinutes: number;
  /** the wall-clock time just before the change, read in the old offset: '2026-03-29T02:00' */
  localOnset: Temporal.PlainDateTime;
}

const offsetMinutes = (zoned: Temporal.ZonedDateTime) => zoned.offsetNanoseconds / 60_000_000_000;

/** Every offset change of `zone` in 2026–2027. */
export function transitions2026To2027(zone: string): Transition[] {
  const found: Transition[] = [];
  let cursor: Temporal.ZonedDateTime | null = Temporal.ZonedDateTime.from({
    year: 2026,
    month: 1,
    day: 1,
    timeZone: zone,
  });
  const end = Temporal.ZonedDateTime.from({ year: 2028, month: 1, day: 1, timeZone: zone });
  for (;;) {
    const next: Temporal.ZonedDateTime | null = cursor.getTimeZoneTransition('next');
    if (!next || Temporal.ZonedDateTime.compare(next, end) >= 0) break;
    const before = offsetMinutes(next.subtract({ nanoseconds: 1 }));
    found.push({
      zone,
      epochMs: next.epochMilliseconds,
      beforeMinutes: before,
      afterMinutes: offsetMinutes(next),
      localOnset: next.toInstant().toZonedDateTimeISO('UTC').toPlainDateTime().add({ minutes: before }),
    });
    cursor = next;
  }
  return found;
}

export const TRANSITIONS = ZONES.flatMap((zone) => transitions2026To2027(zone));
export const GAPS = TRANSITIONS.filter((t) => t.afterMinutes > t.beforeMinutes);
export const OVERLAPS = TRANSITIONS.filter((t) => t.afterMinutes < t.beforeMinutes);

export const zoneArb = fc.constantFrom(...ZONES);

/** Any instant in 2025–2028, to the second. */
export const instantArb = fc
  .integer({ min: Date.UTC(2025, 0, 1) / 1000, max: Date.UTC(2028, 11, 31) / 1000 })
  .map((seconds) => new Date(seconds * 1000));

const localText = (local: Temporal.PlainDateTime) => local.toString({ smallestUnit: 'minute' });

/** A local time within three hours of one of the 2026–2027 transitions, in that transition's zone. */
export const localNearTransitionArb = fc
  .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -180, max: 180 }))
  .map(([t, minutes]) => ({ zone: t.zone, local: localText(t.localOnset.add({ minutes })) }));

/** Any local minute in 2025–2028 in one of the zones. */
export const anyLocalArb = fc.tuple(zoneArb, fc.integer({ min: 0, max: 4 * 366 * 24 * 60 })).map(([zone, minutes]) => ({
  zone,
  local: localText(Temporal.PlainDateTime.from('2025-01-01T00:00').add({ minutes })),
}));

/** Local times in a gap: [onset, onset + gap). */
export const skippedLocalArb = fc
  .constantFrom(...GAPS)
  .chain((t) =>
    fc.integer({ min: 0, max: t.afterMinutes - t.beforeMinutes - 1 }).map((minutes) => ({ transition: t, minutes })),
  );

/** Local times in an overlap: [onset - overlap, onset). */
export const repeatedLocalArb = fc
  .constantFrom(...OVERLAPS)
  .chain((t) =>
    fc.integer({ min: 0, max: t.beforeMinutes - t.afterMinutes - 1 }).map((minutes) => ({ transition: t, minutes })),
  );

export { localText };

/** The part both modules share (the server's also has timeZoneSchema, the web's formatting). */
export interface TimeModule {
  canonicalTimeZone(name: string): string | null;
  localToInstant(localIso: string, zone: string): Date;
  instantToLocal(instant: Date, zone: string): { date: string; time: string; iso: string; offset: string };
  localTimeKind(localIso: string, zone: string): 'unique' | 'skipped' | 'repeated';
  offsetMinutesAt(instant: Date, zone: string): number;
  timeZoneTransitions(
    zone: string,
    from: Date,
    to: Date,
  ): Array<{ instant: Date; offsetBeforeMinutes: number; offsetAfterMinutes: number }>;
  nextLocalTime(after: Date, zone: string, time: string): Date;
  timeZoneNames(): string[];
}
