import {
  formatDateTime,
  formatTime,
  type FormatOptions,
  instantToLocal,
  localDayKey,
  localToInstantOrNull,
  offsetMinutesAt,
  viewerTimeZone,
} from '../../lib/time.js';

// Times travel as UTC instants plus the IANA zone the event is planned in. All zone arithmetic is
// in lib/time (Temporal), with the server's rule for skipped and repeated local times.

export { viewerTimeZone };

function sameOffset(date: Date, a: string, b: string): boolean {
  return a === b || offsetMinutesAt(date, a) === offsetMinutesAt(date, b);
}

// The event's time where the viewer is, then (if different) the same instant in the event's own zone:
// "Tue 3 Mar, 18:00" · "19:00 Europe/Berlin".
export function formatEventTime(
  iso: string,
  eventZone: string,
  viewerZone = viewerTimeZone(),
  options: Pick<FormatOptions, 'locale'> = {},
): { viewer: string; event: string | null } {
  const date = new Date(iso);
  const mine = formatDateTime(date, { ...options, timeZone: viewerZone });
  if (sameOffset(date, viewerZone, eventZone)) return { viewer: mine, event: null };
  const sameDay = localDayKey(date, viewerZone) === localDayKey(date, eventZone);
  const theirs = sameDay
    ? formatTime(date, { ...options, timeZone: eventZone })
    : formatDateTime(date, { ...options, timeZone: eventZone });
  return { viewer: mine, event: `${theirs} ${eventZone}` };
}

// "Tue 3 Mar, 18:00–20:00 (your time) · 19:00–21:00 Europe/Berlin"
export function formatEventRange(
  startIso: string,
  endIso: string,
  eventZone: string,
  viewerZone = viewerTimeZone(),
  options: Pick<FormatOptions, 'locale'> = {},
): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  const until = (zone: string) =>
    localDayKey(start, zone) === localDayKey(end, zone)
      ? formatTime(end, { ...options, timeZone: zone })
      : formatDateTime(end, { ...options, timeZone: zone });
  const local = `${formatDateTime(start, { ...options, timeZone: viewerZone })}–${until(viewerZone)} (your time)`;
  // Both ends: an event can cross a DST change in one of the two zones only.
  if (sameOffset(start, viewerZone, eventZone) && sameOffset(end, viewerZone, eventZone)) return local;
  const startThere =
    localDayKey(start, viewerZone) === localDayKey(start, eventZone)
      ? formatTime(start, { ...options, timeZone: eventZone })
      : formatDateTime(start, { ...options, timeZone: eventZone });
  return `${local} · ${startThere}–${until(eventZone)} ${eventZone}`;
}

// A wall-clock time typed into <input type="datetime-local"> ("2026-03-03T19:00"), read in `timeZone`
// by the server's rule (a skipped time moves forward by the gap, a repeated one is the earlier), as
// a UTC ISO string; null when it is not a valid local time.
export function zonedLocalToUtc(local: string, timeZone: string): string | null {
  return localToInstantOrNull(local, timeZone)?.toISOString() ?? null;
}

// The value for a datetime-local input showing `date` in `timeZone` (minutes).
export function utcToZonedLocal(date: Date, timeZone: string): string {
  return instantToLocal(date, timeZone).iso.slice(0, 16);
}
