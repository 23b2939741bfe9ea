import type { ProgramMetricsPeriod } from './metrics.documents';

// Formatting and ranges of the program dashboard, shared by its figures, table and charts.

export type Bucket = 'WEEK' | 'MONTH';

export const RANGES = [
  { value: '3', label: 'Last 3 months' },
  { value: '6', label: 'Last 6 months' },
  { value: '12', label: 'Last 12 months' },
] as const;

export const BUCKETS = [
  { value: 'MONTH', label: 'By month' },
  { value: 'WEEK', label: 'By week' },
] as const;

/** [from, to): the current month and the `months − 1` before it, to the start of tomorrow (UTC). */
export function rangeOf(months: number, today: Date): { from: string; to: string } {
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months + 1, 1));
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1));
  return { from: from.toISOString(), to: to.toISOString() };
}

const MONTH = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Jun 2026" for a month, "Week of Jun 1" for a week (the bucket's own start, before the range cut it). */
export function periodLabel(period: { start: string }, bucket: Bucket, short = false): string {
  const start = new Date(period.start);
  if (bucket === 'MONTH') return MONTH.format(start);
  return short ? DAY.format(start) : `Week of ${DAY.format(start)}`;
}

export const percent = (share: number | null | undefined): string =>
  share == null ? '—' : `${Math.round(share * 100)} %`;

export function duration(hours: number | null | undefined): string {
  if (hours == null) return '—';
  if (hours < 48) return `${Math.round(hours)} h`;
  const days = hours / 24;
  return `${days < 10 ? days.toFixed(1) : Math.round(days)} days`;
}

export const rating = (value: number | null | undefined): string => (value == null ? '—' : `${value.toFixed(1)} / 5`);

/** Nothing happened in the program in this range: no request, no mentorship. */
export function isEmpty(totals: ProgramMetricsPeriod): boolean {
  return totals.requests === 0 && totals.activeMentorships === 0;
}

/** One point per bucket for the charts: shares as percentages, withheld values as gaps (null). */
export interface ChartPoint {
  label: string;
  requests: number;
  accepted: number;
  acceptance: number | null;
  active: number;
  started: number;
  held: number;
  expected: number;
  kept: number | null;
  rating: number | null;
  goals: number;
}

export function chartPoints(series: readonly ProgramMetricsPeriod[], bucket: Bucket): ChartPoint[] {
  const round = (share: number | null) => (share == null ? null : Math.round(share * 1000) / 10);
  return series.map((period) => ({
    label: periodLabel(period, bucket, true),
    requests: period.requests,
    accepted: period.requestsAccepted,
    acceptance: round(period.acceptanceRate ?? null),
    active: period.activeMentorships,
    started: period.mentorshipsStarted,
    held: period.checkInsHeld,
    expected: period.checkInsExpected,
    kept: round(period.checkInsKeptShare ?? null),
    rating: period.averageFeedbackRating ?? null,
    goals: period.goalsCompleted,
  }));
}
