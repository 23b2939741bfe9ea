import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type CombinedError, useMutation, useQuery } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { formatDateTime, formatRelative } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { Pager, useCursorStack } from '../../ui/pager';
import { usePageTitle } from '../../ui/use-page-title';
import {
  AcceptOfferMutation,
  CancelBookingMutation,
  DeclineOfferMutation,
  LeaveWaitlistMutation,
  MyBookingFields,
  MyBookingsQuery,
  MyWaitlistEntriesQuery,
} from './documents';
import { outcome } from './errors';
import { officeHoursPath } from './office-hours-page';
import { PlaceLine, TimeZoneNotes } from './slot-card';
import { ordinal, slotTimes, viewerTimeZone } from './slot-time';
import './office-hours.css';

type Tab = 'upcoming' | 'past';

const ATTENDANCE: Record<string, string> = { ATTENDED: 'Attended', NO_SHOW: 'Marked as no-show' };

function BookingRow({
  booking: data,
  upcoming,
  onChanged,
}: {
  booking: FragmentOf<typeof MyBookingFields>;
  upcoming: boolean;
  onChanged(): void;
}) {
  const booking = readFragment(MyBookingFields, data);
  const [, cancelBooking] = useMutation(CancelBookingMutation);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { slot } = booking;
  const host = slot.officeHours.host;
  const times = slotTimes(slot.startsAt, slot.endsAt, slot.hostTimeZone, viewerTimeZone());
  const cancelled = booking.status === 'CANCELLED';

  async function cancel() {
    setBusy(true);
    setError(null);
    const response = await cancelBooking({ input: { bookingId: booking.id } });
    setBusy(false);
    const settled = outcome(response.data?.cancelBooking, response.error);
    if (!settled.ok) setError(settled.message);
    setConfirming(false);
    onChanged();
  }

  return (
    <li className="list-row oh-booking">
      <div className="list-row__main stack stack--tight">
        <p className="list-row__title">
          {slot.officeHours.topic} <span className="muted">with</span>{' '}
          <Link to={officeHoursPath(host.id)}>{host.name}</Link>
        </p>
        <p className="list-row__meta">
          {times.viewerWithDay} (your time){times.host && ` · ${times.host}`}
        </p>
        {cancelled ? (
          <p className="list-row__meta">
            <span className="tag tag--warning">Cancelled</span>{' '}
            {booking.cancelledByHost ? 'The host cancelled this session.' : 'You cancelled this booking.'}
          </p>
        ) : (
          upcoming && <PlaceLine onlineUrl={slot.onlineUrl} location={slot.location} />
        )}
        {!upcoming && booking.attendance && (
          <p className="list-row__meta">
            <span className="tag">{ATTENDANCE[booking.attendance] ?? booking.attendance}</span>
          </p>
        )}
        {booking.question && <p className="small muted">Your question: {booking.question}</p>}
        {upcoming && !cancelled && <TimeZoneNotes notes={slot.timeZoneNotes} />}
        {error && <Alert tone="error">{error}</Alert>}
      </div>
      {upcoming && !cancelled && (
        <div className="list-row__actions">
          <a className="button button--secondary button--sm" href={booking.calendarUrl} download>
            Add to calendar
          </a>
          {confirming ? (
            <>
              <Button size="sm" busy={busy} onClick={() => void cancel()}>
                Yes, cancel my seat
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
                Keep it
              </Button>
            </>
          ) : (
            <Button size="sm" variant="ghost" onClick={() => setConfirming(true)}>
              Cancel booking
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

function WaitlistSection({ version, onChanged }: { version: number; onChanged(): void }) {
  const [result, refetch] = useQuery({ query: MyWaitlistEntriesQuery, requestPolicy: 'cache-and-network' });
  useEffect(() => {
    if (version > 0) refetch({ requestPolicy: 'network-only' });
  }, [version, refetch]);
  const [, acceptOffer] = useMutation(AcceptOfferMutation);
  const [, declineOffer] = useMutation(DeclineOfferMutation);
  const [, leaveWaitlist] = useMutation(LeaveWaitlistMutation);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const entries = [...(result.data?.myWaitlistEntries ?? [])].sort((a, b) => {
    // Offers first (they have a deadline), then by when the slot starts.
    if ((a.status === 'OFFERED') !== (b.status === 'OFFERED')) return a.status === 'OFFERED' ? -1 : 1;
    return a.slot.startsAt.localeCompare(b.slot.startsAt);
  });

  async function settle(
    key: string,
    response: Promise<{ data?: unknown; error?: CombinedError | undefined }>,
    field: string,
    success: string,
  ) {
    setBusy(key);
    setMessage(null);
    const answer = await response;
    setBusy(null);
    const settled = outcome(
      (answer.data as Record<string, { __typename: string } | null> | undefined)?.[field],
      answer.error,
    );
    setMessage(settled.ok ? { tone: 'success', text: success } : { tone: 'error', text: settled.message });
    onChanged();
  }

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  return (
    <section className="card" aria-labelledby="oh-waitlist-title">
      <h2 className="card__title" id="oh-waitlist-title">
        Waitlists
      </h2>
      {message && (
        <Alert tone={message.tone} className="oh-message">
          {message.text}
        </Alert>
      )}
      {!result.data ? (
        <p className="loading">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">You’re not waiting for a seat anywhere.</p>
      ) : (
        <ul className="plain-list divided-list">
          {entries.map((entry) => {
            const { slot } = entry;
            const times = slotTimes(slot.startsAt, slot.endsAt, slot.hostTimeZone, viewerTimeZone());
            const host = slot.officeHours.host;
            return (
              <li key={entry.id} className="list-row">
                <div className="list-row__main stack stack--tight">
                  <p className="list-row__title">
                    {slot.officeHours.topic} <span className="muted">with</span>{' '}
                    <Link to={officeHoursPath(host.id)}>{host.name}</Link>
                  </p>
                  <p className="list-row__meta">
                    {times.viewerWithDay} (your time){times.host && ` · ${times.host}`}
                  </p>
                  {entry.status === 'OFFERED' ? (
                    <p className="oh-state oh-state--offered">
                      A seat is yours if you accept
                      {entry.offerExpiresAt && (
                        <>
                          {' '}
                          before <time dateTime={entry.offerExpiresAt}>{formatDateTime(entry.offerExpiresAt)}</time> (
                          {formatRelative(entry.offerExpiresAt)})
                        </>
                      )}
                      .
                    </p>
                  ) : (
                    <p className="list-row__meta">
                      {entry.position ? `${ordinal(entry.position)} in line` : 'Waiting for a seat'}
                    </p>
                  )}
                </div>
                <div className="list-row__actions">
                  {entry.status === 'OFFERED' ? (
                    <>
                      <Button
                        size="sm"
                        busy={busy === `accept:${entry.id}`}
                        onClick={() =>
                          void settle(
                            `accept:${entry.id}`,
                            acceptOffer({ input: { entryId: entry.id } }),
                            'acceptWaitlistOffer',
                            'You’re booked. It’s in your upcoming bookings.',
                          )
                        }
                      >
                        Accept the seat
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        busy={busy === `decline:${entry.id}`}
                        onClick={() =>
                          void settle(
                            `decline:${entry.id}`,
                            declineOffer({ input: { entryId: entry.id } }),
                            'declineWaitlistOffer',
                            'You declined the seat.',
                          )
                        }
                      >
                        Decline
                      </Button>
                    </>
                  ) : (
                    <Button
                      size="sm"
                      variant="ghost"
                      busy={busy === `leave:${entry.id}`}
                      onClick={() =>
                        void settle(
                          `leave:${entry.id}`,
                          leaveWaitlist({ input: { entryId: entry.id } }),
                          'leaveOfficeHoursWaitlist',
                          'You left the waitlist.',
                        )
                      }
                    >
                      Leave the waitlist
                    </Button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

// One tab's bookings, a page at a time (keyed by the tab, so switching starts at the first page).
function BookingList({ tab, version, onChanged }: { tab: Tab; version: number; onChanged(): void }) {
  const cursors = useCursorStack();
  const [result, refetch] = useQuery({
    query: MyBookingsQuery,
    variables: { when: tab === 'past' ? 'PAST' : 'UPCOMING', first: 20, after: cursors.after },
    requestPolicy: 'cache-and-network',
  });
  useEffect(() => {
    if (version > 0) refetch({ requestPolicy: 'network-only' });
  }, [version, refetch]);
  const bookings = result.data?.myBookings;
  return (
    <>
      {result.error && !bookings && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!bookings && !result.error && <p className="loading">Loading…</p>}
      {bookings && bookings.edges.length === 0 && (
        <p className="empty">
          {tab === 'past' ? 'No past bookings yet.' : 'No upcoming bookings. '}
          {tab === 'upcoming' && (
            <>
              Mentors’ office hours are on their profiles; <Link to="/mentors">find a mentor</Link>.
            </>
          )}
        </p>
      )}
      {bookings && bookings.edges.length > 0 && (
        <ul className="plain-list divided-list">
          {bookings.edges.map(({ node }) => (
            <BookingRow key={node.id} booking={node} upcoming={tab === 'upcoming'} onChanged={onChanged} />
          ))}
        </ul>
      )}
      <Pager
        hasPrevious={cursors.hasPrevious}
        hasNext={bookings?.pageInfo.hasNextPage ?? false}
        onPrevious={cursors.previous}
        onNext={() => cursors.next(bookings?.pageInfo.endCursor)}
        busy={result.fetching}
      />
    </>
  );
}

// /bookings — my office-hours seats (upcoming and past, in my zone and the host's) and my waitlists,
// offers first.
export function BookingsPage() {
  usePageTitle('My bookings');
  const [params] = useSearchParams();
  const tab: Tab = params.get('show') === 'past' ? 'past' : 'upcoming';
  // A cancelled seat may go to someone on a waitlist; an accepted offer becomes a booking: both lists
  // are read again after either changes.
  const [version, setVersion] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="eyebrow">Office hours</p>
          <h1 className="page-header__title">My bookings</h1>
          <p className="page-header__lead">
            Your seats in mentors’ office hours, in your time zone ({viewerTimeZone()}).
          </p>
        </div>
        <div className="page-header__actions">
          <ButtonLink to="/settings/calendar" variant="secondary" size="sm">
            Calendar and reminders
          </ButtonLink>
          <ButtonLink to="/office-hours/manage" variant="secondary" size="sm">
            Host office hours
          </ButtonLink>
        </div>
      </header>

      {tab === 'upcoming' && <WaitlistSection version={version} onChanged={changed} />}

      <section className="card stack" aria-labelledby="oh-bookings-title">
        <h2 className="visually-hidden" id="oh-bookings-title">
          {tab === 'past' ? 'Past bookings' : 'Upcoming bookings'}
        </h2>
        <nav className="tabs" aria-label="Which bookings">
          <Link to="?" aria-current={tab === 'upcoming' ? 'page' : undefined}>
            Upcoming
          </Link>
          <Link to="?show=past" aria-current={tab === 'past' ? 'page' : undefined}>
            Past
          </Link>
        </nav>
        <BookingList key={tab} tab={tab} version={version} onChanged={changed} />
      </section>
    </div>
  );
}
