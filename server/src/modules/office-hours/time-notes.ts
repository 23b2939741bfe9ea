import {
  canonicalOrStored,
  offsetMinutesAt,
  timeZoneTransitions,
  zonedDateTime,
  type ZoneTransition,
} from '../../lib/time.js';

// What a member should know about clocks changing around a session, in words: a DST change of the
// host's zone or the viewer's between now and the session (only when it leaves that zone's offset at
// the session different from now's — two changes that cancel out say nothing), with the time
// difference then and now when the two zones differ; and a change inside the session. The times shown
// elsewhere are already right; these notes say why they may look different from last week's.

export interface TimeZoneNotesInput {
  startsAt: Date;
  endsAt: Date;
  /** The other party's zone (the host's, for an attendee; the attendee's, for the host). */
  hostZone: string;
  /** The reader's zone; null when signed out (only the host's zone is looked at). */
  viewerZone: string | null;
  now: Date;
}

/** '6 h', '5 h 30 min', '45 min'. */
function hoursInWords(minutes: number): string {
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** How `minutes` (zone − viewer) reads: '5 h ahead of you', '3 h behind you', 'the same time as you'. */
function difference(minutes: number): string {
  if (minutes === 0) return 'the same time as you';
  return `${hoursInWords(minutes)} ${minutes > 0 ? 'ahead of' : 'behind'} you`;
}

function dayInWords(instant: Date, zone: string, now: Date): string {
  const zoned = zonedDateTime(instant, zone);
  const sameYear = zoned.year === zonedDateTime(now, zone).year;
  return zoned.toLocaleString('en-GB', { day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) });
}

function change(transition: ZoneTransition): string {
  const delta = transition.offsetAfterMinutes - transition.offsetBeforeMinutes;
  const direction = delta > 0 ? 'forward' : 'back';
  // An hour is what everyone expects; anything else (Lord Howe's 30 minutes) is said.
  return Math.abs(delta) === 60 ? `go ${direction}` : `go ${direction} ${hoursInWords(delta)}`;
}

export function timeZoneNotes(input: TimeZoneNotesInput): string[] {
  const host = canonicalOrStored(input.hostZone);
  const viewer = input.viewerZone ? canonicalOrStored(input.viewerZone) : null;
  const zones = viewer && viewer !== host ? [host, viewer] : [host];
  const label = (zone: string) => (zone === viewer && zone !== host ? `${zone} (your zone)` : zone);
  const { startsAt, endsAt, now } = input;
  const notes: string[] = [];

  if (now < startsAt) {
    const before: Array<{ zone: string; transition: ZoneTransition }> = [];
    for (const zone of zones) {
      if (offsetMinutesAt(now, zone) === offsetMinutesAt(startsAt, zone)) continue;
      const last = timeZoneTransitions(zone, now, new Date(startsAt.getTime() + 1)).at(-1);
      if (last) before.push({ zone, transition: last });
    }
    before.sort((a, b) => a.transition.instant.getTime() - b.transition.instant.getTime());
    const texts = before.map(
      ({ zone, transition }) =>
        `Clocks in ${label(zone)} ${change(transition)} on ${dayInWords(transition.instant, zone, now)}, before this session`,
    );
    if (viewer && viewer !== host && texts.length > 0) {
      const then = offsetMinutesAt(startsAt, host) - offsetMinutesAt(startsAt, viewer);
      const today = offsetMinutesAt(now, host) - offsetMinutesAt(now, viewer);
      if (then !== today) {
        const subject = before.at(-1)?.zone === host ? 'it' : host;
        const sameSide = Math.sign(then) === Math.sign(today);
        const was = sameSide ? hoursInWords(today) : difference(today).replace(/ you$/, '');
        texts[texts.length - 1] += `: ${subject} ${then === 0 ? 'has' : 'is'} ${difference(then)} then, not ${was}`;
      }
    }
    notes.push(...texts.map((text) => `${text}.`));
  }

  for (const zone of zones) {
    // A change exactly at the start is not inside the session: it starts in the new offset.
    for (const transition of timeZoneTransitions(zone, new Date(startsAt.getTime() + 1), endsAt)) {
      const ends = zonedDateTime(endsAt, zone).toPlainTime().toString({ smallestUnit: 'minute' });
      notes.push(
        `Clocks in ${label(zone)} ${change(transition)} during this session, at ${clockBefore(transition)} on ${dayInWords(transition.instant, zone, now)}: it ends at ${ends} there.`,
      );
    }
  }
  return notes;
}

// The wall clock the change happens at, as read before it ('02:00' going forward in Berlin, '03:00'
// going back): the instant at the old offset, plain arithmetic with no zone rules involved.
function clockBefore(transition: ZoneTransition): string {
  return new Date(transition.instant.getTime() + transition.offsetBeforeMinutes * 60_000).toISOString().slice(11, 16);
}
