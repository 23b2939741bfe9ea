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
  const rows = await db.$queryRaw<Row[]>(metricsSql(groupId, periods, range));

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

/**
 * The one statement: a row of numbers per period (0 = the whole range, then each bucket). Every
 * dated row counts in period 0 and in the bucket `width_bucket` finds among the bucket starts, so
 * the cost grows with the rows of the program, not with rows × buckets.
 */
export function metricsSql(
  groupId: string,
  periods: ReadonlyArray<{ start: Date; end: Date }>,
  range: { from: Date; to: Date; now: Date },
): Prisma.Sql {
  const bucketStarts = periods.slice(1).map((p) => p.start.toISOString());
  const from = utc(Prisma.sql`${range.from.toISOString()}`);
  const to = utc(Prisma.sql`${range.to.toISOString()}`);
  const now = utc(Prisma.sql`${range.now.toISOString()}`);
  // Period 0, and the bucket of `at` (which must lie in [from, to)).
  const periodsOf = (at: Prisma.Sql) => Prisma.sql`(VALUES (0), (width_bucket(${at}, th.t))) AS k(i)`;
  return Prisma.sql`
    WITH th AS (
      SELECT array_agg((u.x::timestamptz AT TIME ZONE 'UTC') ORDER BY u.n) AS t
      FROM unnest(${bucketStarts}::text[]) WITH ORDINALITY AS u(x, n)
    ),
    b AS (SELECT generate_series(0, ${bucketStarts.length})::int AS i),
    req AS (
      SELECT k.i,
        count(*)::int AS requests,
        count(*) FILTER (WHERE r."status" IN ('ACCEPTED', 'DECLINED', 'EXPIRED'))::int AS answered,
        count(*) FILTER (WHERE r."status" = 'ACCEPTED')::int AS accepted
      FROM "MentorshipRequest" r CROSS JOIN th CROSS JOIN LATERAL ${periodsOf(Prisma.sql`r."createdAt"`)}
      WHERE r."groupId" = ${groupId}::uuid AND r."createdAt" >= ${from} AND r."createdAt" < ${to}
      GROUP BY k.i
    ),
    -- The program's mentorships that overlap the range, each with its first check-in.
    ms AS (
      SELECT m."id", m."startedAt", m."endedAt",
        (SELECT min(c."heldAt") FROM "CheckIn" c WHERE c."mentorshipId" = m."id" AND c."heldAt" <= ${now}) AS first_at
      FROM "Mentorship" m
      WHERE m."groupId" = ${groupId}::uuid AND m."startedAt" < ${to} AND (m."endedAt" IS NULL OR m."endedAt" >= ${from})
    ),
    -- Active in a bucket: started before its end, not ended before its start; so every bucket from
    -- the one it started in (or the first) to the one it ended in (or the last).
    active AS (
      SELECT k.i, count(*)::int AS active
      FROM ms CROSS JOIN th CROSS JOIN LATERAL (
        SELECT 0 UNION ALL
        SELECT generate_series(
          width_bucket(greatest(ms."startedAt", ${from}), th.t),
          CASE WHEN ms."endedAt" IS NULL OR ms."endedAt" >= ${to} THEN cardinality(th.t)
            ELSE width_bucket(ms."endedAt", th.t) END)
      ) AS k(i)
      GROUP BY k.i
    ),
    started AS (
      SELECT k.i,
        count(*)::int AS started,
        count(*) FILTER (WHERE ms.first_at IS NOT NULL)::int AS with_check_in,
        (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ms.first_at - ms."startedAt") / 3600)
          FILTER (WHERE ms.first_at IS NOT NULL))::float8 AS median_hours
      FROM ms CROSS JOIN th CROSS JOIN LATERAL ${periodsOf(Prisma.sql`ms."startedAt"`)}
      WHERE ms."startedAt" >= ${from}
      GROUP BY k.i
    ),
    -- Goals, check-ins and feedback are read through the program's mentorships (ms) and their
    -- indexes, never by scanning every row of the instance in the range.
    goals AS (
      SELECT k.i, count(*)::int AS goals_completed
      FROM ms JOIN "Goal" g ON g."mentorshipId" = ms."id" CROSS JOIN th
        CROSS JOIN LATERAL ${periodsOf(Prisma.sql`g."completedAt"`)}
      WHERE g."status" = 'COMPLETED' AND g."completedAt" >= ${from} AND g."completedAt" < ${to}
      GROUP BY k.i
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
      SELECT k.i, due.mid, count(*)::int AS n
      FROM due CROSS JOIN th CROSS JOIN LATERAL ${periodsOf(Prisma.sql`due.due_at`)}
      GROUP BY k.i, due.mid
    ),
    held AS (
      SELECT k.i, sessions.mid, count(*)::int AS n
      FROM sessions CROSS JOIN th CROSS JOIN LATERAL ${periodsOf(Prisma.sql`sessions.at`)}
      GROUP BY k.i, sessions.mid
    ),
    -- Per period and mentorship: expected and held side by side (one hash join).
    pairs AS (
      SELECT coalesce(e.i, h.i) AS i, coalesce(e.n, 0) AS expected, coalesce(h.n, 0) AS held
      FROM expected e FULL JOIN held h ON h.i = e.i AND h.mid = e.mid
    ),
    cadence AS (
      SELECT pairs.i, sum(pairs.held)::int AS held, sum(pairs.expected)::int AS expected,
        sum(least(pairs.expected, pairs.held))::int AS kept
      FROM pairs
      GROUP BY pairs.i
    ),
    -- Only the count and, from MIN_RATINGS_FOR_AVERAGE ratings on, the average leave the database.
    feedback AS (
      SELECT k.i, count(*)::int AS ratings,
        CASE WHEN count(*) >= ${MIN_RATINGS_FOR_AVERAGE} THEN avg(f."rating")::float8 END AS average_rating
      FROM sessions JOIN "CheckInFeedback" f ON f."checkInId" = sessions."id" CROSS JOIN th
        CROSS JOIN LATERAL ${periodsOf(Prisma.sql`sessions.at`)}
      GROUP BY k.i
    )
    SELECT b.i,
      coalesce(req.requests, 0) AS requests, coalesce(req.answered, 0) AS answered,
      coalesce(req.accepted, 0) AS accepted, coalesce(started.started, 0) AS started,
      coalesce(active.active, 0) AS active, coalesce(started.with_check_in, 0) AS with_check_in,
      started.median_hours, coalesce(goals.goals_completed, 0) AS goals_completed,
      coalesce(cadence.held, 0) AS held, coalesce(cadence.expected, 0) AS expected,
      coalesce(cadence.kept, 0) AS kept, coalesce(feedback.ratings, 0) AS ratings, feedback.average_rating
    FROM b LEFT JOIN req USING (i) LEFT JOIN active USING (i) LEFT JOIN started USING (i) LEFT JOIN goals USING (i)
      LEFT JOIN cadence USING (i) LEFT JOIN feedback USING (i)
    ORDER BY b.i`;
}
