import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { readFragment, type FragmentOf, type ResultOf } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { formatClockTime, formatDate } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import { CopyButton } from '../../ui/copy-button';
import { usePageTitle } from '../../ui/use-page-title';
import { WEEKDAYS } from '../mentorship/labels';
import { hostOutcome } from './host-outcome';
import { HostSlotPanel } from './host-slot-panel';
import {
  CancelOfficeHoursMutation,
  HostedOfficeHoursQuery,
  HostSeriesFields,
  HostSlotActivitySubscription,
  HostSlotFields,
} from './host.documents';
import './hosting.css';

// /office-hours/manage — the host's own office hours: each series with its public link, its upcoming
// slots (who booked, what they asked, the waitlist), and the slots that have passed (attendance).

type Series = ReturnType<typeof readSeries>;
const readSeries = (masked: FragmentOf<typeof HostSeriesFields>) => readFragment(HostSeriesFields, masked);

const AUDIENCE: Record<string, string> = {
  PUBLIC: 'Anyone (public page)',
  MEMBERS: 'Members',
  GROUPS: 'Members of chosen groups',
  PAIR: 'A mentorship pair',
};

// The soonest slots show at once; the rest of a long series on request.
const FIRST_SLOTS = 4;

const day = (date: string) => formatDate(`${date}T12:00:00Z`, { timeZone: 'UTC', withYear: true });

/** "Every 2 weeks on Tuesday and Thursday at 17:00 (Europe/Berlin), until Tue 3 Mar 2027 · 30 min" */
export function scheduleWords(series: Series): string {
  const zone = series.timeZone.replaceAll('_', ' ');
  const length = `${series.durationMinutes} min`;
  const recurrence = series.recurrence;
  if (!recurrence)
    return `Once, ${day(series.startDate)} at ${formatClockTime(series.startTime)} (${zone}) · ${length}`;
  const days = recurrence.weekdays.map((weekday) => WEEKDAYS.find((d) => d.value === weekday)?.label ?? weekday);
  const on = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days.at(-1)}` : (days[0] ?? '');
  const every = recurrence.everyWeeks === 1 ? 'Every week' : `Every ${recurrence.everyWeeks} weeks`;
  const end = recurrence.untilDate
    ? `, until ${day(recurrence.untilDate)}`
    : recurrence.occurrenceCount
      ? `, ${recurrence.occurrenceCount} times`
      : '';
  return `${every} on ${on} at ${formatClockTime(series.startTime)} (${zone}), from ${day(series.startDate)}${end} · ${length}`;
}

function absolute(url: string): string {
  return url.startsWith('/') ? `${window.location.origin}${url}` : url;
}

// The query's "now", to the minute: the same variables (and cache entry) while the page is open.
function minuteNow(): Date {
  const now = new Date();
  now.setSeconds(0, 0);
  return now;
}

export function ManageOfficeHoursPage() {
  usePageTitle('Your office hours');
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice ?? null;
  const [now] = useState(minuteNow);
  const variables = useMemo(
    () => ({ now: now.toISOString(), pastFrom: new Date(now.getTime() - 60 * 86_400_000).toISOString() }),
    [now],
  );
  const [result, refetch] = useQuery({ query: HostedOfficeHoursQuery, variables, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  const all = result.data.hostedOfficeHours;
  const personId = result.data.viewer?.person.id;
  const current = all.filter((series) => readSeries(series).status !== 'CANCELLED' && series.upcoming.edges.length > 0);
  const ended = all.filter((series) => !current.includes(series));
  return (
    <div className="page hosting">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Your office hours</h1>
          <p className="page-header__lead">Who booked, what they want to talk about, and who is waiting for a seat.</p>
        </div>
        <div className="page-header__actions">
          {personId && (
            <ButtonLink variant="secondary" to={`/office-hours/${encodeURIComponent(personId)}`}>
              Your page
            </ButtonLink>
          )}
          <ButtonLink to="/office-hours/new">Publish office hours</ButtonLink>
        </div>
      </header>
      {notice && <Alert tone="success">{notice}</Alert>}
      {all.length === 0 && (
        <div className="card empty stack">
          <p>You aren’t offering office hours yet.</p>
          <p className="muted">
            Publish a time people can book with you — once, or every week — for one person or a small group.
          </p>
          <div>
            <ButtonLink to="/office-hours/new">Publish office hours</ButtonLink>
          </div>
        </div>
      )}
      {current.map((series) => (
        <SeriesCard key={series.id} series={series} now={now} onChanged={reload} />
      ))}
      {ended.length > 0 && (
        <details className="card">
          <summary>
            <strong>Ended and cancelled ({ended.length})</strong>
          </summary>
          <div className="stack">
            {ended.map((series) => (
              <SeriesCard key={series.id} series={series} now={now} onChanged={reload} />
            ))}
          </div>
        </details>
      )}
    </div>
  );
}

type HostedSeries = ResultOf<typeof HostedOfficeHoursQuery>['hostedOfficeHours'][number];

function SeriesCard({ series: hosted, now, onChanged }: { series: HostedSeries; now: Date; onChanged(): void }) {
  const series = readSeries(hosted);
  const [cancelling, setCancelling] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const upcoming = hosted.upcoming.edges.map((edge) => edge.node);
  // The most recent first: the host looks back at what just happened.
  const past = hosted.past.edges.map((edge) => edge.node).reverse();
  const cancelled = series.status === 'CANCELLED';
  // Bookings, cancellations and the waitlist arrive live while the page is open.
  useSubscription({ query: HostSlotActivitySubscription, variables: { officeHoursId: series.id }, pause: cancelled });
  const titleId = `series-${series.id}`;
  return (
    <section className="card stack" aria-labelledby={titleId} data-series-id={series.id}>
      <div className="card__header">
        <h2 className="card__title" id={titleId}>
          {series.topic}
        </h2>
        <span className={cancelled ? 'tag' : 'tag tag--success'}>{cancelled ? 'Cancelled' : 'Published'}</span>
      </div>
      <p className="hosted-series__facts">{scheduleWords(series)}</p>
      <p className="hosted-series__facts">
        {series.seats} {series.seats === 1 ? 'seat' : 'seats'} · {AUDIENCE[series.audience] ?? series.audience}
        {series.audience === 'GROUPS' && series.groups.length > 0 && `: ${series.groups.map((g) => g.name).join(', ')}`}
        {series.onlineUrl ? ' · online' : series.location ? ` · ${series.location}` : ''}
      </p>
      {series.publicUrl && !cancelled && (
        <div className="hosted-series__link">
          <span className="small">Public link:</span>
          <code className="small">{absolute(series.publicUrl)}</code>
          <CopyButton text={absolute(series.publicUrl)} label="Copy link" />
        </div>
      )}
      {!cancelled && (
        <div className="button-row">
          <ButtonLink size="sm" variant="secondary" to={`/office-hours/${encodeURIComponent(series.id)}/edit`}>
            Edit
          </ButtonLink>
          {!cancelling && (
            <Button size="sm" variant="ghost" onClick={() => setCancelling(true)}>
              Cancel the series
            </Button>
          )}
        </div>
      )}
      {cancelling && (
        <CancelSeriesForm
          series={series}
          bookedSlots={upcoming.filter((slot) => readFragment(HostSlotFields, slot).seatsTaken > 0).length}
          onCancel={() => setCancelling(false)}
          onDone={() => {
            setCancelling(false);
            onChanged();
          }}
        />
      )}
      {!cancelled && (
        <div className="stack stack--tight">
          <h3 className="host-slot__subtitle">Upcoming slots</h3>
          {upcoming.length === 0 ? (
            <p className="muted small">No upcoming slots.</p>
          ) : (
            <>
              <ol className="host-slots">
                {(showAll ? upcoming : upcoming.slice(0, FIRST_SLOTS)).map((slot) => (
                  <HostSlotPanel key={slot.id} slot={slot} now={now} onChanged={onChanged} />
                ))}
              </ol>
              {upcoming.length > FIRST_SLOTS && (
                <div>
                  <Button size="sm" variant="ghost" onClick={() => setShowAll(!showAll)}>
                    {showAll ? 'Show fewer' : `Show all ${upcoming.length} upcoming slots`}
                  </Button>
                </div>
              )}
            </>
          )}
        </div>
      )}
      {past.length > 0 && (
        <details>
          <summary>Past slots ({past.length}) — mark attendance</summary>
          <ol className="host-slots">
            {past.map((slot) => (
              <HostSlotPanel key={slot.id} slot={slot} now={now} onChanged={onChanged} />
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}

function CancelSeriesForm({
  series,
  bookedSlots,
  onCancel,
  onDone,
}: {
  series: Series;
  bookedSlots: number;
  onCancel(): void;
  onDone(): void;
}) {
  const [, cancel] = useMutation(CancelOfficeHoursMutation);
  const [message, setMessage] = useState('');
  const [state, setState] = useState<{ busy: boolean; error: string | null; fields: Record<string, string> }>({
    busy: false,
    error: null,
    fields: {},
  });
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, error: null, fields: {} });
    const response = await cancel({ input: { officeHoursId: series.id, message: message.trim() || null } });
    const outcome = hostOutcome(response.data?.cancelOfficeHours, response.error, 'officeHours');
    if (outcome.ok) onDone();
    else setState({ busy: false, error: outcome.message, fields: outcome.fieldErrors });
  }
  return (
    <form
      className="host-slot__form"
      aria-label="Cancel the series"
      noValidate
      onSubmit={(event) => void onSubmit(event)}
    >
      {state.error && <Alert tone="error">{state.error}</Alert>}
      <p className="small">
        Every future slot is cancelled.{' '}
        {bookedSlots > 0
          ? `${bookedSlots} upcoming ${bookedSlots === 1 ? 'slot has' : 'slots have'} bookings: each attendee is told, with your message.`
          : 'Nobody has booked an upcoming slot.'}{' '}
        Past slots and their attendance stay.
      </p>
      <TextAreaField
        label="Message to attendees (optional)"
        value={message}
        rows={2}
        maxLength={1000}
        onChange={(event) => setMessage(event.target.value)}
        error={state.fields.message}
      />
      <div className="button-row">
        <Button size="sm" type="submit" busy={state.busy}>
          Cancel every future slot
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={state.busy}>
          Keep the series
        </Button>
      </div>
      <p className="small muted">
        <Link to={`/office-hours/${encodeURIComponent(series.id)}/edit`}>Edit it instead</Link> to change times or
        seats.
      </p>
    </form>
  );
}
