import { addDays, formatTime, localToInstant, todayIn, zonedDateTime } from '../../lib/time.js';
import { WEEKDAYS, type Weekday } from './labels.js';

export interface WeeklyRange {
  weekday: Weekday;
  start: string;
  end: string;
}

export interface ShownRange {
  /** "Monday" */
  day: string;
  /** "09:00 – 12:00", or "Monday 23:00 – Tuesday 01:00" when it crosses midnight */
  text: string;
}

function weekdayOf(instant: Date, zone: string): string {
  return WEEKDAYS[zonedDateTime(instant, zone).dayOfWeek - 1]?.label ?? '';
}

// A weekly range is wall-clock time in the mentor's zone; shown in another zone it is placed on the
// coming week's date, so the offsets (DST included) are those in force this week, not today's.
export function showRange(range: WeeklyRange, from: string, to: string, now = new Date(), locale?: string): ShownRange {
  const today = todayIn(from, now);
  let date = today;
  for (let i = 0; i < 7; i += 1) {
    const candidate = addDays(today, i);
    if (weekdayOf(localToInstant(`${candidate}T12:00`, from), from) === labelOfDay(range.weekday)) {
      date = candidate;
      break;
    }
  }
  const start = localToInstant(`${date}T${range.start}`, from);
  const end =
    range.end === '24:00'
      ? localToInstant(`${addDays(date, 1)}T00:00`, from)
      : localToInstant(`${date}T${range.end}`, from);
  const startDay = weekdayOf(start, to);
  // An end at midnight belongs to the day it closes (Temporal's calendar arithmetic, not Date's).
  const zonedEnd = zonedDateTime(end, to);
  const closing = zonedEnd.hour === 0 && zonedEnd.minute === 0 ? zonedEnd.subtract({ days: 1 }) : zonedEnd;
  const endDay = WEEKDAYS[closing.dayOfWeek - 1]?.label ?? '';
  const startText = formatTime(start, locale ? { timeZone: to, locale } : { timeZone: to });
  const endText = formatTime(end, locale ? { timeZone: to, locale } : { timeZone: to });
  return {
    day: startDay,
    text: startDay === endDay ? `${startText} – ${endText}` : `${startDay} ${startText} – ${endDay} ${endText}`,
  };
}

function labelOfDay(day: Weekday): string {
  return WEEKDAYS.find((entry) => entry.value === day)?.label ?? day;
}
