import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { EventCardFields } from '../events/documents';
import { eventPath } from '../events/event-link';
import { formatMonthDay } from '../../lib/time';
import { formatEventTime, viewerTimeZone } from '../events/event-time';

const RSVP_LABEL = { GOING: 'Going', MAYBE: 'Maybe', NOT_GOING: 'Not going', WAITLISTED: 'Waitlisted' } as const;

export function EventRow({ event: data, context }: { event: FragmentOf<typeof EventCardFields>; context?: ReactNode }) {
  const event = readFragment(EventCardFields, data);
  const zone = viewerTimeZone();
  const when = formatEventTime(event.startsAt, event.timeZone, zone);
  const { month, day } = formatMonthDay(event.startsAt, { timeZone: zone });
  return (
    <li className="event-row">
      <span className="event-row__date" aria-hidden="true">
        <span>{month}</span>
        <span>{day}</span>
      </span>
      <div className="list-row__main">
        {context && <p className="event-row__meta">{context}</p>}
        <p className="event-row__title">
          <Link to={eventPath(event.id)}>{event.title}</Link>
        </p>
        <p className="event-row__meta">
          {when.viewer} (your time){when.event ? ` · ${when.event}` : ''}
        </p>
        <p className="event-row__meta">
          {event.onlineUrl ? 'Online' : (event.location ?? '')}
          {event.capacity != null ? ` · ${event.goingCount}/${event.capacity} going` : ` · ${event.goingCount} going`}
        </p>
      </div>
      {event.cancelledAt ? (
        <span className="tag tag--warning">Cancelled</span>
      ) : (
        event.viewerRsvp && (
          <span className={event.viewerRsvp === 'GOING' ? 'tag tag--success' : 'tag'}>
            {RSVP_LABEL[event.viewerRsvp]}
          </span>
        )
      )}
    </li>
  );
}
