import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { readFragment } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { SelectField } from '../../ui/fields';
import { usePageTitle } from '../../ui/use-page-title';
import { groupPath } from '../groups/labels';
import { ProgramMetricsPeriodFields, ProgramMetricsQuery, type ProgramMetricsPeriod } from './metrics.documents';
import {
  BUCKETS,
  type Bucket,
  chartPoints,
  duration,
  isEmpty,
  percent,
  periodLabel,
  RANGES,
  rangeOf,
  rating,
} from './program-metrics-format';
import './program-dashboard.css';

// /groups/:slug/mentoring: a PROGRAM group's mentoring in numbers, for its owners and admins.
// Aggregates only (the server has no field that leads further). The chart library loads with the
// charts, here and nowhere else (React.lazy), after the figures and the table are already shown.
const ProgramCharts = lazy(() => import('./program-charts'));

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="metrics-figure">
      <dt className="metrics-figure__label">{label}</dt>
      <dd className="metrics-figure__value">{value}</dd>
      {detail && <dd className="metrics-figure__detail muted small">{detail}</dd>}
    </div>
  );
}

function Figures({ totals, minimumRatings }: { totals: ProgramMetricsPeriod; minimumRatings: number }) {
  return (
    <section className="card" aria-labelledby="figures-title">
      <h2 className="card__title" id="figures-title">
        In this period
      </h2>
      <dl className="metrics-figures">
        <Figure
          label="Requests"
          value={String(totals.requests)}
          detail={`${totals.requestsAnswered} answered, ${totals.requestsAccepted} accepted`}
        />
        <Figure label="Acceptance rate" value={percent(totals.acceptanceRate)} detail="of the requests answered" />
        <Figure
          label="Active mentorships"
          value={String(totals.activeMentorships)}
          detail={`${totals.mentorshipsStarted} started`}
        />
        <Figure
          label="Median time to first check-in"
          value={duration(totals.medianHoursToFirstCheckIn)}
          detail={`${totals.mentorshipsWithCheckIn} of ${totals.mentorshipsStarted} started have met`}
        />
        <Figure label="Goals completed" value={String(totals.goalsCompleted)} />
        <Figure
          label="Agreed check-ins kept"
          value={percent(totals.checkInsKeptShare)}
          detail={`${totals.checkInsKept} of ${totals.checkInsExpected} expected · ${totals.checkInsHeld} held`}
        />
        <Figure
          label="Average feedback"
          value={rating(totals.averageFeedbackRating)}
          detail={
            totals.averageFeedbackRating == null && totals.feedbackCount > 0
              ? `${totals.feedbackCount} ratings: shown from ${minimumRatings}`
              : `${totals.feedbackCount} ratings`
          }
        />
      </dl>
    </section>
  );
}

function SeriesTable({ series, bucket }: { series: readonly ProgramMetricsPeriod[]; bucket: Bucket }) {
  return (
    <section className="card" aria-labelledby="table-title">
      <h2 className="card__title" id="table-title">
        {bucket === 'MONTH' ? 'Month by month' : 'Week by week'}
      </h2>
      <div className="metrics-table-wrap">
        <table className="metrics-table">
          <caption className="muted small">
            Every figure of the charts. A dash means there was nothing to measure, or too few ratings to show an
            average.
          </caption>
          <thead>
            <tr>
              <th scope="col">{bucket === 'MONTH' ? 'Month' : 'Week'}</th>
              <th scope="col">Requests</th>
              <th scope="col">Accepted</th>
              <th scope="col">Acceptance</th>
              <th scope="col">Started</th>
              <th scope="col">Active</th>
              <th scope="col">To first check-in</th>
              <th scope="col">Check-ins held</th>
              <th scope="col">Expected</th>
              <th scope="col">Kept</th>
              <th scope="col">Goals completed</th>
              <th scope="col">Average feedback</th>
            </tr>
          </thead>
          <tbody>
            {series.map((period) => (
              <tr key={period.start}>
                <th scope="row">{periodLabel(period, bucket)}</th>
                <td>{period.requests}</td>
                <td>{period.requestsAccepted}</td>
                <td>{percent(period.acceptanceRate)}</td>
                <td>{period.mentorshipsStarted}</td>
                <td>{period.activeMentorships}</td>
                <td>{duration(period.medianHoursToFirstCheckIn)}</td>
                <td>{period.checkInsHeld}</td>
                <td>{period.checkInsExpected}</td>
                <td>{percent(period.checkInsKeptShare)}</td>
                <td>{period.goalsCompleted}</td>
                <td>{rating(period.averageFeedbackRating)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ProgramDashboardPage() {
  const { slug = '' } = useParams();
  const [months, setMonths] = useState('12');
  const [bucket, setBucket] = useState<Bucket>('MONTH');
  // Fixed for the visit, so the query's variables (and cache key) stay the same between renders.
  const [today] = useState(() => new Date());
  const range = useMemo(() => rangeOf(Number(months), today), [months, today]);
  const [result] = useQuery({ query: ProgramMetricsQuery, variables: { slug, ...range, bucket } });
  const group = result.data?.group;
  usePageTitle(group ? `Mentoring · ${group.name}` : 'Mentoring dashboard');

  const metrics = group?.mentorshipMetrics ?? null;
  const totals = metrics ? readFragment(ProgramMetricsPeriodFields, metrics.totals) : null;
  const series = useMemo(
    () => (metrics ? metrics.series.map((period) => readFragment(ProgramMetricsPeriodFields, period)) : []),
    [metrics],
  );

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!group) {
    return (
      <div className="page">
        <h1 className="page-header__title">Group not found</h1>
        <p className="muted">This group doesn’t exist, or you can’t see it.</p>
        <p>
          <Link to="/groups">Browse groups</Link>
        </p>
      </div>
    );
  }

  const header = (
    <header className="page-header">
      <div>
        <p className="eyebrow">
          <Link to={groupPath(group.slug)}>{group.name}</Link>
        </p>
        <h1 className="page-header__title">Mentoring dashboard</h1>
        <p className="page-header__lead">
          The requests and mentorships made in this program, as totals. No one’s notes, conversations or individual
          feedback are shown here.
        </p>
      </div>
    </header>
  );

  if (!metrics || !totals) {
    return (
      <div className="page">
        {header}
        <Alert tone="info" title="Only for those who run the program">
          {group.kind === 'PROGRAM'
            ? 'The mentoring dashboard is for the owners and admins of this program.'
            : 'Mentoring dashboards are for program groups.'}
        </Alert>
      </div>
    );
  }

  return (
    <div className="page">
      {header}
      <form className="metrics-controls" onSubmit={(event) => event.preventDefault()} aria-label="What to show">
        <SelectField label="Period" value={months} options={RANGES} onChange={(e) => setMonths(e.target.value)} />
        <SelectField
          label="Group figures"
          value={bucket}
          options={BUCKETS}
          onChange={(e) => setBucket(e.target.value as Bucket)}
        />
        {result.fetching && (
          <p className="muted small" role="status">
            Updating…
          </p>
        )}
      </form>
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}

      {isEmpty(totals) ? (
        <section className="card metrics-empty" aria-labelledby="empty-title">
          <h2 className="card__title" id="empty-title">
            No mentoring in this period yet
          </h2>
          <p className="muted">
            Figures appear here once members of {group.name} ask for mentorship or are paired in the program. Try a
            longer period, or pair two members from their profiles.
          </p>
        </section>
      ) : (
        <>
          <Figures totals={totals} minimumRatings={metrics.minimumRatingsForAverage} />
          <section className="card" aria-labelledby="charts-title">
            <h2 className="card__title" id="charts-title">
              Over time
            </h2>
            <Suspense fallback={<p className="loading">Loading charts…</p>}>
              <ProgramCharts points={chartPoints(series, bucket)} />
            </Suspense>
          </section>
          <SeriesTable series={series} bucket={bucket} />
        </>
      )}
    </div>
  );
}
