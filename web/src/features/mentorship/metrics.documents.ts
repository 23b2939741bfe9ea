import { graphql, type ResultOf } from '../../app/graphql';

// The program dashboard (/groups/:slug/mentoring): a PROGRAM group's mentoring in numbers, for its
// owners and admins. mentorshipMetrics is null for anyone else.

export const ProgramMetricsPeriodFields = graphql(`
  fragment ProgramMetricsPeriodFields on ProgramMetricsPeriod {
    start
    end
    requests
    requestsAnswered
    requestsAccepted
    acceptanceRate
    mentorshipsStarted
    activeMentorships
    mentorshipsWithCheckIn
    medianHoursToFirstCheckIn
    goalsCompleted
    checkInsHeld
    checkInsExpected
    checkInsKept
    checkInsKeptShare
    feedbackCount
    averageFeedbackRating
  }
`);

export const ProgramMetricsQuery = graphql(
  `
    query ProgramMetrics($slug: String!, $from: DateTime!, $to: DateTime!, $bucket: MetricsBucket!) {
      group(slug: $slug) {
        id
        slug
        name
        kind
        viewerRole
        mentorshipMetrics(from: $from, to: $to, bucket: $bucket) {
          bucket
          minimumRatingsForAverage
          totals {
            ...ProgramMetricsPeriodFields
          }
          series {
            ...ProgramMetricsPeriodFields
          }
        }
      }
    }
  `,
  [ProgramMetricsPeriodFields],
);

export type ProgramMetricsPeriod = ResultOf<typeof ProgramMetricsPeriodFields>;
