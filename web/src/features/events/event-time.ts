// Times travel as UTC instants plus the IANA zone the event is planned in. Intl does all the zone
// arithmetic, so there is no date library and no hand-written DST table.

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const dayTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dayTime(timeZone: string): Intl.DateTimeFormat {
  let format = dayTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    dayTimeFormats.set(timeZone, format);
  }
  return format;
}

function timeOnly(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(
    date,
  );
}

function dayKey(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(date);
}

// "Tue 3 Mar, 18:00"
export function formatDayTime(iso: string, timeZone: string): string {
  return dayTime(timeZone)
    .format(new Date(iso))
    .replace(/^(\w+),? /u, '$1 ')
    .replace(/ at /u, ', ');
}

// The event's time where the viewer is, then (if different) the same instant in the event's own zone:
// "Tue 3 Mar, 18:00 (your time) · 19:00 Europe/Berlin".
export function formatEventTime(
  iso: string,
  eventZone: string,
  viewerZone = viewerTimeZone(),
): { viewer: string; event: string | null } {
  const date = new Date(iso);
  const mine = formatDayTime(iso, viewerZone);
  if (sameOffset(date, viewerZone, eventZone)) return { viewer: mine, event: null };
  const sameDay = dayKey(date, viewerZone) === dayKey(date, eventZone);
  const theirs = sameDay ? timeOnly(date, eventZone) : formatDayTime(iso, eventZone);
  return { viewer: mine, event: `${theirs} ${eventZone}` };
}

export function formatEventRange(
  startIso: string,
  endIso: string,
  eventZone: string,
  viewerZone = viewerTimeZone(),
): string {
  const start = formatEventTime(startIso, eventZone, viewerZone);
  const sameDay = dayKey(new Date(startIso), viewerZone) === dayKey(new Date(endIso), viewerZone);
  const end = sameDay ? timeOnly(new Date(endIso), viewerZone) : formatDayTime(endIso, viewerZone);
  const local = `${start.viewer}–${end} (your time)`;
  if (!start.event) return local;
  const eventSameDay = dayKey(new Date(startIso), eventZone) === dayKey(new Date(endIso), eventZone);
  const eventEnd = eventSameDay ? timeOnly(new Date(endIso), eventZone) : formatDayTime(endIso, eventZone);
  return `${local} · ${start.event.replace(` ${eventZone}`, '')}–${eventEnd} ${eventZone}`;
}

function sameOffset(date: Date, a: string, b: string): boolean {
  return a === b || offsetMinutes(date, a) === offsetMinutes(date, b);
}

// Minutes the zone is ahead of UTC at that instant.
export function offsetMinutes(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

// A wall-clock time typed into <input type="datetime-local"> ("2026-03-03T19:00"), read in `timeZone`,
// as a UTC ISO string. Two passes settle the offset across a DST change.
export function zonedLocalToUtc(local: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/u.exec(local);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let guess = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  guess = wall - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess).toISOString();
}

// The value for a datetime-local input showing `date` in `timeZone`.
export function utcToZonedLocal(date: Date, timeZone: string): string {
  const shifted = new Date(date.getTime() + offsetMinutes(date, timeZone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}
