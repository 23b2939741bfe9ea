import type { DbClient } from '../../db.js';
import { Prisma } from '../../generated/prisma/client.js';

// Program metrics: aggregates of the mentoring a PROGRAM group runs, for its admins. What counts
// as the program's: requests and mentorships tagged with the group (MentorshipRequest.groupId,
// Mentorship.groupId, set when the program paired the two or the request was made in it), not
// every mentorship that happens to join two of its members — those are the members' own business.
// Everything is computed in one bounded SQL statement and only numbers leave the database: no
// field returns a row, a note, a message or one person's feedback.

export type MetricsBucket = 'WEEK' | 'MONTH';

/** An average of fewer ratings than this is withheld: with one or two, it would be their feedback. */
export const MIN_RATINGS_FOR_AVERAGE = 3;
/** At most this many buckets per query (a little over a year of weeks, five years of months). */
export const MAX_BUCKETS = 60;

export interface MetricsPeriod {
  start: Date;
  end: Date;
  /** Requests made in the period. */
  requests: number;
  /** Of those, answered: accepted, declined or expired unanswered (withdrawn and pending ones are not). */
  requestsAnswered: number;
  requestsAccepted: number;
  /** accepted / answered; null when none was answered. */
  acceptanceRate: number | null;
  mentorshipsStarted: number;
  /** Mentorships active at any time in the period. */
  activeMentorships: number;
  /** Of the mentorships started in the period, how many have had a check-in. */
  mentorshipsWithCheckIn: number;
  /** Median hours from the start of a mentorship started in the period to its first check-in. */
  medianHoursToFirstCheckIn: number | null;
  goalsCompleted: number;
  checkInsHeld: number;
  /** Check-ins the accepted agreements' cadences called for (one per cadence step after the start). */
  checkInsExpected: number;
  /** Expected check-ins that were held: per mentorship, at most as many as were expected. */
  checkInsKept: number;
  /** kept / expected; null when none was expected. */
  checkInsKeptShare: number | null;
  /** Feedback ratings given on check-ins held in the period. */
  feedbackCount: number;
  /** null when fewer than MIN_RATINGS_FOR_AVERAGE ratings were given. */
  averageFeedbackRating: number | null;
}

export interface ProgramMetrics {
  bucket: MetricsBucket;
  totals: MetricsPeriod;
  series: MetricsPeriod[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Start of the UTC week (Monday) or month containing `instant`. */
export function bucketStart(instant: Date, bucket: MetricsBucket): Date {
  if (bucket === 'MONTH') return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1));
  const day = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_MS);
}

function nextBucket(start: Date, bucket: MetricsBucket): Date {
  if (bucket === 'MONTH') return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return new Date(start.getTime() + 7 * DAY_MS);
}

/**
 * The buckets of [from, to): whole UTC weeks (Monday) or months, the first and last cut to the period,
 * so the buckets add up to the totals. null when there would be more than MAX_BUCKETS.
 */
export function bucketsOf(from: Date, to: Date, bucket: MetricsBucket): Array<{ start: Date; end: Date }> | null {
  const buckets: Array<{ start: Date; end: Date }> = [];
  for (let start = bucketStart(from, bucket); start < to; start = nextBucket(start, bucket)) {
    if (buckets.length === MAX_BUCKETS) return null;
    const end = nextBucket(start, bucket);
    buckets.push({ start: start < from ? from : start, end: end > to ? to : end });
  }
  return buckets;
}

interface Row {
  i: number;
  requests: number;
  answered: number;
  accepted: number;
  started: number;
  active: number;
  with_check_in: number;
  median_hours: number | null;
  goals_completed: number;
  held: number;
  expected: number;
  kept: number;
  ratings: number;
  average_rating: number | null;
}

/** Columns are stored as UTC `timestamp` (Prisma's DateTime): compare in UTC whatever the session zone. */
const utc = (column: Prisma.Sql) => Prisma.sql`(${column}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * The program's figures over [from, to), in total and per bucket. `now` bounds what can have
 * happened yet (a check-in a cadence calls for next week is not missed today).
 */
export async function programMetrics(
  db: DbClient,
  groupId: string,
  range: { from: Date; to: Date; bucket: MetricsBucket; now: Date },
): Promise<ProgramMetrics> {
  const buckets = bucketsOf(range.from, range.to, range.bucket);
  if (!buckets) throw new RangeError(`more than ${MAX_BUCKETS} buckets`);
  // Period 0 is the whole range; 1… are the buckets. One statement computes them all alike.
  const periods = [{ start: range.from, end: range.to }, ...buckets];
  const starts = periods.map((p) => p.start.toISOString());
  const ends = periods.map((p) => p.end.toISOString());
  const from = utc(Prisma.sql`${range.from.toISOString()}`);
  const to = utc(Prisma.sql`${range.to.toISOString()}`);
  const now = utc(Prisma.sql`${range.now.toISOString()}`);

  const rows = await db.$queryRaw<Row[]>`
    WITH b AS (
      SELECT (p.i - 1)::int AS i, (p.s::timestamptz AT TIME ZONE 'UTC') AS s, (p.e::timestamptz AT TIME ZONE 'UTC') AS e
      FROM unnest(${starts}::text[], ${ends}::text[]) WITH ORDINALITY AS p(s, e, i)
    ),
    req AS (
      SELECT b.i,
        count(r."id")::int AS requests,
        count(r."id") FILTER (WHERE r."status" IN ('ACCEPTED', 'DECLINED', 'EXPIRED'))::int AS answered,
        count(r."id") FILTER (WHERE r."status" = 'ACCEPTED')::int AS accepted
      FROM b LEFT JOIN "MentorshipRequest" r
        ON r."groupId" = ${groupId}::uuid AND r."createdAt" >= b.s AND r."createdAt" < b.e
      GROUP BY b.i
    ),
    -- The program's mentorships that overlap the range, each with its first check-in.
    ms AS (
      SELECT m."id", m."startedAt", m."endedAt",
        (SELECT min(c."heldAt") FROM "CheckIn" c WHERE c."mentorshipId" = m."id" AND c."heldAt" <= ${now}) AS first_at
      FROM "Mentorship" m
      WHERE m."groupId" = ${groupId}::uuid AND m."startedAt" < ${to} AND (m."endedAt" IS NULL OR m."endedAt" >= ${from})
    ),
    men AS (
      SELECT b.i,
        count(ms."id") FILTER (WHERE ms."startedAt" >= b.s)::int AS started,
        count(ms."id")::int AS active,
        count(ms."id") FILTER (WHERE ms."startedAt" >= b.s AND ms.first_at IS NOT NULL)::int AS with_check_in,
        (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ms.first_at - ms."startedAt") / 3600)
          FILTER (WHERE ms."startedAt" >= b.s AND ms.first_at IS NOT NULL))::float8 AS median_hours
      FROM b LEFT JOIN ms ON ms."startedAt" < b.e AND (ms."endedAt" IS NULL OR ms."endedAt" >= b.s)
      GROUP BY b.i
    ),
    -- Goals, check-ins and feedback are read through the program's mentorships (ms) and their
    -- indexes, never by scanning every row of the instance in the range.
    done AS (
      SELECT g."completedAt" AS at FROM ms JOIN "Goal" g ON g."mentorshipId" = ms."id"
      WHERE g."status" = 'COMPLETED' AND g."completedAt" >= ${from} AND g."completedAt" < ${to}
    ),
    goals AS (
      SELECT b.i, count(done.at)::int AS goals_completed
      FROM b LEFT JOIN done ON done.at >= b.s AND done.at < b.e
      GROUP BY b.i
    ),
    sessions AS (
      SELECT c."id", c."mentorshipId" AS mid, c."heldAt" AS at FROM ms JOIN "CheckIn" c ON c."mentorshipId" = ms."id"
      WHERE c."heldAt" >= ${from} AND c."heldAt" < ${to} AND c."heldAt" <= ${now}
    ),
    -- Each accepted agreement version is in force from its start (a later version: from when it was
    -- accepted) until the next accepted version, its planned end (inclusive), the end of the
    -- mentorship, or now; its cadence calls for a check-in one step after the start, and each step on.
    terms AS (
      SELECT a."startsOn"::timestamp AS starts,
        a."mentorshipId" AS mid,
        CASE a."cadence" WHEN 'WEEKLY' THEN interval '7 days' WHEN 'BIWEEKLY' THEN interval '14 days'
          ELSE interval '1 month' END AS step,
        CASE WHEN lag(a."acceptedAt") OVER w IS NULL THEN a."startsOn"::timestamp
          ELSE greatest(a."startsOn"::timestamp, a."acceptedAt") END AS in_force_from,
        least((a."plannedEndOn" + 1)::timestamp, ms."endedAt", lead(a."acceptedAt") OVER w, ${now}, ${to}) AS in_force_until
      FROM ms JOIN "MentorshipAgreement" a ON a."mentorshipId" = ms."id"
      WHERE a."status" IN ('ACCEPTED', 'SUPERSEDED') AND a."acceptedAt" IS NOT NULL
      WINDOW w AS (PARTITION BY a."mentorshipId" ORDER BY a."version")
    ),
    due AS (
      SELECT t.mid, d AS due_at
      FROM terms t CROSS JOIN LATERAL generate_series(t.starts + t.step, t.in_force_until, t.step) AS d
      WHERE t.in_force_until > ${from} AND d > t.in_force_from AND d < t.in_force_until AND d >= ${from}
    ),
    expected AS (
      SELECT b.i, due.mid, count(*)::int AS n FROM b JOIN due ON due.due_at >= b.s AND due.due_at < b.e GROUP BY b.i, due.mid
    ),
    held AS (
      SELECT b.i, sessions.mid, count(*)::int AS n
      FROM b JOIN sessions ON sessions.at >= b.s AND sessions.at < b.e
      GROUP BY b.i, sessions.mid
    ),
    cadence AS (
      SELECT b.i,
        coalesce((SELECT sum(h.n) FROM held h WHERE h.i = b.i), 0)::int AS held,
        coalesce((SELECT sum(e.n) FROM expected e WHERE e.i = b.i), 0)::int AS expected,
        coalesce((SELECT sum(least(e.n, coalesce(h.n, 0))) FROM expected e
          LEFT JOIN held h ON h.i = e.i AND h.mid = e.mid WHERE e.i = b.i), 0)::int AS kept
      FROM b
    ),
    -- Only the count and, from MIN_RATINGS_FOR_AVERAGE ratings on, the average leave the database.
    feedback AS (
      SELECT b.i, count(f."rating")::int AS ratings,
        CASE WHEN count(f."rating") >= ${MIN_RATINGS_FOR_AVERAGE} THEN avg(f."rating")::float8 END AS average_rating
      FROM b LEFT JOIN (sessions JOIN "CheckInFeedback" f ON f."checkInId" = sessions."id")
        ON sessions.at >= b.s AND sessions.at < b.e
      GROUP BY b.i
    )
    SELECT b.i, req.requests, req.answered, req.accepted, men.started, men.active, men.with_check_in,
      men.median_hours, goals.goals_completed, cadence.held, cadence.expected, cadence.kept,
      feedback.ratings, feedback.average_rating
    FROM b JOIN req USING (i) JOIN men USING (i) JOIN goals USING (i) JOIN cadence USING (i) JOIN feedback USING (i)
    ORDER BY b.i`;

  const figures = rows.map((row): MetricsPeriod => {
    const period = periods[row.i]!;
    return {
      start: period.start,
      end: period.end,
      requests: row.requests,
      requestsAnswered: row.answered,
      requestsAccepted: row.accepted,
      acceptanceRate: row.answered > 0 ? row.accepted / row.answered : null,
      mentorshipsStarted: row.started,
      activeMentorships: row.active,
      mentorshipsWithCheckIn: row.with_check_in,
      medianHoursToFirstCheckIn: row.median_hours === null ? null : Number(row.median_hours),
      goalsCompleted: row.goals_completed,
      checkInsHeld: row.held,
      checkInsExpected: row.expected,
      checkInsKept: row.kept,
      checkInsKeptShare: row.expected > 0 ? row.kept / row.expected : null,
      feedbackCount: row.ratings,
      averageFeedbackRating: row.average_rating === null ? null : Number(row.average_rating),
    };
  });
  return { bucket: range.bucket, totals: figures[0]!, series: figures.slice(1) };
}
