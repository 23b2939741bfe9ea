import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { usePageTitle } from '../../ui/use-page-title';
import { groupPath } from '../groups/labels';
import { personPath } from '../people/person-link';
import { EventAttendeesQuery, EventFields, EventQuery, RsvpMutation } from './documents';
import { eventIdFromParam } from './event-link';
import { formatEventRange, viewerTimeZone } from './event-time';
import './events.css';

type Answer = 'GOING' | 'MAYBE' | 'NOT_GOING';
const ANSWERS: readonly { value: Answer; label: string }[] = [
  { value: 'GOING', label: 'Going' },
  { value: 'MAYBE', label: 'Maybe' },
  { value: 'NOT_GOING', label: 'Not going' },
];

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

type ListedStatus = 'GOING' | 'MAYBE' | 'WAITLISTED';

function AttendeeList({
  eventId,
  status,
  title,
  version,
}: {
  eventId: string;
  status: ListedStatus;
  title: string;
  version: number;
}) {
  const [result] = useQuery({
    query: EventAttendeesQuery,
    variables: { id: eventId, status },
    // After an answer the lists are asked again; the first render may use the cache.
    requestPolicy: version > 0 ? 'cache-and-network' : 'cache-first',
  });
  const list = result.data?.event?.attendees;
  if (!list || list.totalCount === 0) return null;
  return (
    <div>
      <h3 className="attendees__title">
        {title} <span className="muted">({list.totalCount})</span>
      </h3>
      <ul className="plain-list attendees">
        {list.edges.map(({ node: { person } }) => (
          <li key={person.id}>
            <Link to={personPath(person.id)} className="attendee">
              <Avatar name={person.name} initials={person.initials} size="sm" />
              <span>
                {person.name}
                {person.isViewer && <span className="muted"> (you)</span>}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function EventPage() {
  const { id: param = '' } = useParams();
  const id = eventIdFromParam(param);
  const [result, refetch] = useQuery({ query: EventQuery, variables: { id } });
  const [, rsvp] = useMutation(RsvpMutation);
  const [busy, setBusy] = useState<Answer | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const data = result.data?.event;
  const event = data ? readFragment(EventFields, data) : null;
  usePageTitle(event?.title ?? 'Event');

  if (result.error && !data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading…</p>;
  if (!data || !event) {
    return (
      <div className="page">
        <h1 className="page-header__title">Event not found</h1>
        <p className="muted">This event doesn’t exist, or you can’t see it.</p>
      </div>
    );
  }

  async function answer(status: Answer) {
    setBusy(status);
    setError(null);
    const response = await rsvp({ input: { eventId: id, status } });
    setBusy(null);
    const outcome = outcomeOf(response.data?.rsvp, response.error, 'EventPayload');
    if (!outcome.ok) setError(outcome.message);
    // Attendee lists are separate connections: ask again so they match the new counts.
    else {
      refetch({ requestPolicy: 'network-only' });
      setVersion((v) => v + 1);
    }
  }

  const zone = viewerTimeZone();
  const full = event.capacity != null && event.goingCount >= event.capacity;
  const seatsLeft = event.capacity != null ? Math.max(0, event.capacity - event.goingCount) : null;
  const chosen: Answer | null = event.viewerRsvp === 'WAITLISTED' ? 'GOING' : event.viewerRsvp;
  const canAnswer = event.group.viewerStatus === 'MEMBER' && !event.cancelledAt && new Date(event.endsAt) > new Date();
  const place = event.onlineUrl ? null : event.location;

  let state: string | null = null;
  if (event.viewerRsvp === 'WAITLISTED') {
    state = event.viewerWaitlistPosition
      ? `You’re ${ordinal(event.viewerWaitlistPosition)} on the waitlist. You’ll get a seat, and a notification, when one frees up.`
      : 'You’re on the waitlist.';
  } else if (event.viewerRsvp === 'GOING') state = 'You’re going. See you there!';
  else if (event.viewerRsvp === 'MAYBE') state = 'You said maybe.';
  else if (event.viewerRsvp === 'NOT_GOING') state = 'You’re not going.';

  return (
    <div className="page">
      <p className="eyebrow">
        <Link to={groupPath(event.group.slug)}>{event.group.name}</Link>
      </p>
      <header className="event-hero card">
        <h1 className="page-header__title">{event.title}</h1>
        {event.cancelledAt && <Alert tone="error">This event was cancelled.</Alert>}
        <p className="event-hero__when">
          <svg viewBox="0 0 24 24" aria-hidden="true" className="event-icon">
            <path
              d="M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Zm0-13v4.5l3 2"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.75"
              strokeLinecap="round"
            />
          </svg>
          <span>{formatEventRange(event.startsAt, event.endsAt, event.timeZone, zone)}</span>
        </p>
        <p className="event-hero__where">
          <svg viewBox="0 0 24 24" aria-hidden="true" className="event-icon">
            <path
              d="M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11Zm0-8.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.75"
              strokeLinejoin="round"
            />
          </svg>
          {event.onlineUrl ? (
            <span>
              Online ·{' '}
              {event.viewerRsvp === 'GOING' ? (
                <a href={event.onlineUrl} target="_blank" rel="noopener noreferrer">
                  Join link
                </a>
              ) : (
                <span className="muted">the link is shown to people going</span>
              )}
            </span>
          ) : (
            <span>{place ?? 'Place to be announced'}</span>
          )}
        </p>
        <div className="row">
          <a className="button button--secondary button--sm" href={event.icsUrl} download>
            Add to calendar (.ics)
          </a>
        </div>
      </header>

      <div className="split split--aside-first">
        <div className="stack">
          <section className="card" aria-labelledby="details-title">
            <h2 className="card__title" id="details-title">
              Details
            </h2>
            {event.description ? (
              <p className="event-description">{event.description}</p>
            ) : (
              <p className="muted">No description.</p>
            )}
          </section>
          <section className="card stack" aria-labelledby="attendees-title">
            <h2 className="card__title" id="attendees-title">
              Who’s coming
            </h2>
            {event.goingCount + event.maybeCount + event.waitlistCount === 0 && (
              <p className="muted">Nobody yet. Be the first!</p>
            )}
            <AttendeeList
              key={`going-${event.goingCount}`}
              eventId={id}
              status="GOING"
              title="Going"
              version={version}
            />
            <AttendeeList
              key={`maybe-${event.maybeCount}`}
              eventId={id}
              status="MAYBE"
              title="Maybe"
              version={version}
            />
            <AttendeeList
              key={`waitlist-${event.waitlistCount}`}
              eventId={id}
              status="WAITLISTED"
              title="Waitlist"
              version={version}
            />
          </section>
        </div>
        <aside className="stack">
          <section className="card stack rsvp-card" aria-labelledby="rsvp-title">
            <h2 className="card__title" id="rsvp-title">
              Your answer
            </h2>
            <dl className="event-counts">
              <div>
                <dt>Going</dt>
                <dd>
                  {event.goingCount}
                  {event.capacity != null && <span className="muted"> / {event.capacity}</span>}
                </dd>
              </div>
              <div>
                <dt>Maybe</dt>
                <dd>{event.maybeCount}</dd>
              </div>
              <div>
                <dt>Waitlist</dt>
                <dd>{event.waitlistCount}</dd>
              </div>
            </dl>
            <p className="small muted">
              {event.capacity == null
                ? 'No seat limit.'
                : !full
                  ? `${seatsLeft} ${seatsLeft === 1 ? 'seat' : 'seats'} left.`
                  : event.viewerRsvp === 'GOING'
                    ? 'Every seat is taken, including yours.'
                    : 'Full: answering “Going” puts you on the waitlist.'}
            </p>
            {canAnswer ? (
              <fieldset className="rsvp-buttons" aria-label="RSVP">
                {ANSWERS.map((option) => (
                  <button
                    key={option.value}
                    type="button"
                    className={`rsvp-button${chosen === option.value ? ' rsvp-button--chosen' : ''}`}
                    aria-pressed={chosen === option.value}
                    disabled={busy !== null}
                    onClick={() => void answer(option.value)}
                  >
                    {option.value !== 'GOING'
                      ? option.label
                      : event.viewerRsvp === 'WAITLISTED'
                        ? 'On waitlist'
                        : full && event.viewerRsvp !== 'GOING'
                          ? 'Join waitlist'
                          : option.label}
                  </button>
                ))}
              </fieldset>
            ) : (
              !event.cancelledAt && (
                <p className="muted">
                  {event.group.viewerStatus === 'MEMBER' ? 'This event has ended.' : 'Join the group to answer.'}
                </p>
              )
            )}
            <p
              className={event.viewerRsvp === 'WAITLISTED' ? 'rsvp-state rsvp-state--waitlisted' : 'rsvp-state'}
              role="status"
            >
              {state}
            </p>
            {error && <Alert tone="error">{error}</Alert>}
          </section>
        </aside>
      </div>
    </div>
  );
}
