import { useCallback, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { readFragment } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { formatDateTime, localDayKey } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { usePageTitle } from '../../ui/use-page-title';
import { nextParamFor } from '../accounts/safe-next';
import { useViewer } from '../accounts/use-viewer';
import { personPath } from '../people/person-link';
import {
  OfficeHoursActivitySubscription,
  PublicOfficeHoursQuery,
  SeriesSummaryFields,
  SlotCardFields,
} from './documents';
import { SlotCard } from './slot-card';
import {
  addWeeks,
  formatMinutes,
  seriesWords,
  viewerTimeZone,
  weekDays,
  weekFromParam,
  weekRange,
  weekTitle,
} from './slot-time';
import { WeekView, type WeekSlot } from './week-view';
import './office-hours.css';

export function officeHoursPath(hostId: string): string {
  return `/office-hours/${encodeURIComponent(hostId)}`;
}

/** The host's page opened on the slot's week (in the viewer's zone) with its card showing. */
export function slotPagePath(hostId: string, slotId: string, startsAt: string, zone = viewerTimeZone()): string {
  const week = weekFromParam(localDayKey(startsAt, zone), zone);
  return `${officeHoursPath(hostId)}?${new URLSearchParams({ week, slot: slotId }).toString()}`;
}

const AUDIENCE: Record<string, string> = {
  PUBLIC: 'Open to everyone',
  MEMBERS: 'Members only',
  GROUPS: 'Group members only',
  PAIR: 'Mentorship sessions',
};

// Seats change while the page is open: each series' slots arrive as they are now and graphcache merges
// them by id. The server authorises the subscription; signed-out visitors read the page without it.
function LiveSeries({ officeHoursId }: { officeHoursId: string }) {
  useSubscription({ query: OfficeHoursActivitySubscription, variables: { officeHoursId } });
  return null;
}

// /office-hours/:hostId — a host's office hours, for anyone who may see them (signed out too, for the
// public ones): a week at a time in the viewer's zone with the host's beside it, and each slot's card.
export function OfficeHoursPage() {
  const { hostId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const viewer = useViewer();
  const zone = viewerTimeZone();
  const monday = weekFromParam(params.get('week'), zone);
  const range = weekRange(monday, zone);
  const [result, refetch] = useQuery({
    query: PublicOfficeHoursQuery,
    variables: { hostId, from: range.from, to: range.to },
  });
  // Focus follows a slot picked in the week, not one named in the address (a page load keeps it at the top).
  const [picked, setPicked] = useState(false);
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  const page = result.data?.publicOfficeHours;
  usePageTitle(page ? `${page.host.name}’s office hours` : 'Office hours');

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!page) {
    return (
      <div className="page">
        <h1 className="page-header__title">Office hours not found</h1>
        <p className="muted">
          These office hours don’t exist, or you can’t see them
          {viewer.status === 'signed-out' ? ' signed out' : ''}.
        </p>
        {viewer.status === 'signed-out' && (
          <p>
            <Link to={`/sign-in${nextParamFor(location.pathname, location.search)}`}>Sign in</Link> to see office hours
            for members.
          </p>
        )}
      </div>
    );
  }

  const signedIn = viewer.status === 'signed-in';
  const series = page.officeHours.map((item) => ({
    summary: readFragment(SeriesSummaryFields, item),
    slots: item.slots.edges.map((edge) => edge.node),
    next: item.nextSlots[0] ?? null,
  }));
  const slots: WeekSlot[] = series.flatMap(({ summary, slots }) =>
    slots.map((slot) => ({ slot, topic: summary.topic, viewerIsHost: summary.viewerIsHost })),
  );
  const selectedParam = params.get('slot');
  const selected = slots.find(({ slot }) => readFragment(SlotCardFields, slot).id === selectedParam) ?? null;
  const days = weekDays(monday, zone);
  const thisWeek = weekFromParam(null, zone);
  const weekEnd = new Date(range.to).getTime();
  // Where to jump when this week is empty: the soonest upcoming slot after it.
  const nextAfter = series
    .map(({ next }) => next)
    .filter((next): next is NonNullable<typeof next> => next !== null && new Date(next.startsAt).getTime() >= weekEnd)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];

  function goToWeek(week: string) {
    const next = new URLSearchParams(params);
    next.set('week', week);
    next.delete('slot');
    setParams(next);
  }

  function select(slotId: string) {
    setPicked(true);
    const next = new URLSearchParams(params);
    next.set('week', monday);
    next.set('slot', slotId);
    setParams(next, { replace: true });
  }

  // Signing in comes back to this week and this slot.
  const back = new URLSearchParams(params);
  back.set('week', monday);
  const signInHref = `/sign-in${nextParamFor(location.pathname, `?${back.toString()}`)}`;

  return (
    <div className="page office-hours-page">
      {signedIn && series.map(({ summary }) => <LiveSeries key={summary.id} officeHoursId={summary.id} />)}
      <header className="page-header">
        <div>
          <p className="eyebrow">Office hours</p>
          <h1 className="page-header__title">{page.host.name}’s office hours</h1>
          {page.host.headline && <p className="page-header__lead">{page.host.headline}</p>}
        </div>
        {signedIn && (
          <div className="page-header__actions">
            <Link to={personPath(page.host.id)}>See {page.host.name}’s profile</Link>
          </div>
        )}
      </header>

      {viewer.status === 'signed-out' && series.length > 0 && (
        <Alert
          tone="info"
          actions={
            <Link className="button button--primary button--sm" to={signInHref}>
              Sign in to book
            </Link>
          }
        >
          Anyone can look; booking a seat needs a Guildhall account.
        </Alert>
      )}

      {series.length === 0 ? (
        <p className="empty">
          {page.host.name} has no upcoming office hours {signedIn ? 'open to you' : 'open to everyone'} right now.
          {!signedIn && (
            <>
              {' '}
              <Link to={signInHref}>Sign in</Link> to see the ones for members.
            </>
          )}
        </p>
      ) : (
        <>
          <section className="card" aria-labelledby="oh-offers-title">
            <h2 className="card__title" id="oh-offers-title">
              What {page.host.name} offers
            </h2>
            <ul className="plain-list divided-list">
              {series.map(({ summary }) => (
                <li key={summary.id} className="oh-series">
                  <h3 className="oh-series__topic">{summary.topic}</h3>
                  <p className="oh-series__when">
                    {seriesWords(summary)}
                    {summary.seats > 1 ? ` · ${summary.seats} seats` : ' · one-to-one'}
                  </p>
                  {summary.description && <p className="oh-series__description">{summary.description}</p>}
                  <p className="small muted">
                    {AUDIENCE[summary.audience] ?? summary.audience}
                    {summary.minimumNoticeMinutes > 0 &&
                      ` · book at least ${formatMinutes(summary.minimumNoticeMinutes)} ahead`}
                    {` · up to ${summary.bookingWindowDays} days ahead`}
                  </p>
                </li>
              ))}
            </ul>
          </section>

          <section className="card stack" aria-labelledby="oh-week-title">
            <div className="card__header oh-week-nav">
              <h2 className="card__title" id="oh-week-title">
                {weekTitle(monday, zone)}
              </h2>
              <div className="row">
                <Button size="sm" variant="secondary" onClick={() => goToWeek(addWeeks(monday, -1))}>
                  <span aria-hidden="true">← </span>Previous week
                </Button>
                {monday !== thisWeek && (
                  <Button size="sm" variant="ghost" onClick={() => goToWeek(thisWeek)}>
                    This week
                  </Button>
                )}
                <Button size="sm" variant="secondary" onClick={() => goToWeek(addWeeks(monday, 1))}>
                  Next week<span aria-hidden="true"> →</span>
                </Button>
              </div>
            </div>
            <p className="small muted">Times are in your time zone, {zone}.</p>
            <WeekView
              days={days}
              slots={slots}
              zone={zone}
              selectedId={selected ? readFragment(SlotCardFields, selected.slot).id : null}
              showTopic={series.length > 1}
              onSelect={select}
            />
            {slots.length === 0 && (
              <p className="muted">
                No office hours this week.
                {nextAfter && (
                  <>
                    {' '}
                    The next one is on {formatDateTime(nextAfter.startsAt)}.{' '}
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => goToWeek(weekFromParam(localDayKey(nextAfter.startsAt, zone), zone))}
                    >
                      Go to that week
                    </Button>
                  </>
                )}
              </p>
            )}
          </section>

          {selected ? (
            <SlotCard
              key={readFragment(SlotCardFields, selected.slot).id}
              slot={selected.slot}
              topic={selected.topic}
              viewerIsHost={selected.viewerIsHost}
              signedIn={signedIn}
              signInHref={signInHref}
              focusOnMount={picked}
              onChanged={reload}
            />
          ) : (
            slots.length > 0 && <p className="muted">Pick a time to book it or see what’s possible.</p>
          )}
        </>
      )}
    </div>
  );
}
