import { now } from '../../lib/clock.js';
import { ValidationError } from '../../lib/errors.js';
import { builder } from '../../schema/builder.js';
import { GroupRef, viewerRole } from '../groups/index.js';
import { seesProgramMetrics } from './mentorship.policy.js';
import {
  bucketsOf,
  MAX_BUCKETS,
  MIN_RATINGS_FOR_AVERAGE,
  type MetricsPeriod,
  type ProgramMetrics,
  programMetrics,
} from './metrics.js';

// Group.mentorshipMetrics: a PROGRAM group's mentoring in numbers, for its owners and admins.
// Like the groups module's staff-only fields it is null for everyone else (no error that would
// tell a member what they may not see). Only aggregates: there is no field here that leads to a
// mentorship, a person, a note or one piece of feedback.

export const MetricsBucketEnum = builder.enumType('MetricsBucket', {
  values: ['WEEK', 'MONTH'] as const,
  description: 'UTC weeks (from Monday) or calendar months.',
});

const ProgramMetricsPeriodRef = builder.objectRef<MetricsPeriod>('ProgramMetricsPeriod').implement({
  description: "The program's figures over one period (the whole range, or one bucket of it).",
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime', description: 'exclusive' }),
    requests: t.exposeInt('requests', { description: 'Requests made in the period (tagged with the program).' }),
    requestsAnswered: t.exposeInt('requestsAnswered', {
      description: 'Of those, accepted, declined or expired unanswered (pending and withdrawn ones are not answered).',
    }),
    requestsAccepted: t.exposeInt('requestsAccepted'),
    acceptanceRate: t.exposeFloat('acceptanceRate', {
      nullable: true,
      description: 'accepted / answered, 0–1; null when none was answered.',
    }),
    mentorshipsStarted: t.exposeInt('mentorshipsStarted'),
    activeMentorships: t.exposeInt('activeMentorships', { description: 'Active at any time in the period.' }),
    mentorshipsWithCheckIn: t.exposeInt('mentorshipsWithCheckIn', {
      description: 'Of the mentorships started in the period, those that have held a check-in.',
    }),
    medianHoursToFirstCheckIn: t.exposeFloat('medianHoursToFirstCheckIn', {
      nullable: true,
      description: 'Median time from the start of a mentorship started in the period to its first check-in.',
    }),
    goalsCompleted: t.exposeInt('goalsCompleted'),
    checkInsHeld: t.exposeInt('checkInsHeld'),
    checkInsExpected: t.exposeInt('checkInsExpected', {
      description:
        "Check-ins the accepted agreements' cadences called for in the period (one per cadence step after the agreed start, while the agreement was in force and up to now).",
    }),
    checkInsKept: t.exposeInt('checkInsKept', {
      description: 'Expected check-ins that were held (per mentorship, at most as many as were expected).',
    }),
    checkInsKeptShare: t.exposeFloat('checkInsKeptShare', {
      nullable: true,
      description: 'kept / expected, 0–1; null when none was expected.',
    }),
    feedbackCount: t.exposeInt('feedbackCount', { description: 'Ratings given on check-ins held in the period.' }),
    averageFeedbackRating: t.exposeFloat('averageFeedbackRating', {
      nullable: true,
      description: `Average rating, 1–5; null with fewer than ${MIN_RATINGS_FOR_AVERAGE} ratings, so no one's feedback can be read from it.`,
    }),
  }),
});

const ProgramMetricsRef = builder.objectRef<ProgramMetrics>('ProgramMetrics').implement({
  fields: (t) => ({
    bucket: t.expose('bucket', { type: MetricsBucketEnum }),
    totals: t.expose('totals', { type: ProgramMetricsPeriodRef }),
    series: t.expose('series', {
      type: [ProgramMetricsPeriodRef],
      description: 'One period per bucket, oldest first; the first and last are cut to the range.',
    }),
    minimumRatingsForAverage: t.int({
      description: 'Averages of fewer ratings than this are withheld.',
      resolve: () => MIN_RATINGS_FOR_AVERAGE,
    }),
  }),
});

builder.prismaObjectFields(GroupRef, (t) => ({
  mentorshipMetrics: t.field({
    type: ProgramMetricsRef,
    nullable: true,
    description:
      'PROGRAM groups, for their owners and admins: the mentoring made in the program (requests and mentorships tagged with it), as aggregates over [from, to) with a series per bucket. null for anyone else and for other kinds of group.',
    args: {
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      bucket: t.arg({ type: MetricsBucketEnum, required: false, defaultValue: 'MONTH' }),
    },
    select: { kind: true },
    resolve: async (group, args, ctx) => {
      // Who may see comes first, so a wrong range tells an outsider nothing either.
      if (!seesProgramMetrics(group, await viewerRole(ctx.db, group.id, ctx.viewer?.id))) return null;
      const bucket = args.bucket ?? 'MONTH';
      if (!(args.to > args.from))
        throw new ValidationError([{ path: 'to', message: 'The end must be after the start.' }]);
      if (!bucketsOf(args.from, args.to, bucket)) {
        throw new ValidationError([
          { path: 'to', message: `Ask for at most ${MAX_BUCKETS} ${bucket === 'WEEK' ? 'weeks' : 'months'}.` },
        ]);
      }
      return programMetrics(ctx.db, group.id, { from: args.from, to: args.to, bucket, now: now() });
    },
  }),
}));
