import { Link } from 'react-router';
import { useQuery } from 'urql';
import { readFragment, type ResultOf } from '../../app/graphql';
import { ButtonLink } from '../../ui/button';
import { GroupOfficeHoursQuery, PersonOfficeHoursQuery, SeriesSummaryFields } from './documents';
import { officeHoursPath, slotPagePath } from './office-hours-page';
import { seatsWords, seriesWords, slotTimes, viewerTimeZone } from './slot-time';
import './office-hours.css';

type NextSlot = NonNullable<
  ResultOf<typeof PersonOfficeHoursQuery>['person']
>['officeHours'][number]['nextSlots'][number];

function NextSlotLine({ hostId, slot, seats }: { hostId: string; slot: NextSlot; seats: number }) {
  const times = slotTimes(slot.startsAt, slot.endsAt, slot.hostTimeZone, viewerTimeZone());
  return (
    <li className="small">
      <Link to={slotPagePath(hostId, slot.id, slot.startsAt)}>{times.viewerWithDay}</Link>
      {times.host && <span className="muted"> · {times.host}</span>}
      <span className="muted">
        {' '}
        · {slot.state === 'FULL' ? 'Full, waitlist open' : seatsWords(slot.seatsLeft, seats)}
      </span>
    </li>
  );
}

// The profile page's card: the person's office hours the viewer may see, each with its next times, and
// the way to their page. Nothing when there are none (the owner gets a pointer to publishing).
export function PersonOfficeHours({ personId }: { personId: string }) {
  const [result] = useQuery({ query: PersonOfficeHoursQuery, variables: { id: personId } });
  const person = result.data?.person;
  if (!person) return null;
  if (person.officeHours.length === 0) {
    if (!person.isViewer) return null;
    return (
      <section className="card stack" aria-labelledby="oh-profile-title">
        <h2 className="card__title" id="oh-profile-title">
          Office hours
        </h2>
        <p className="muted">Offer bookable time to members: one-to-one or in small groups, in your time zone.</p>
        <div className="row">
          <ButtonLink to="/office-hours/new" variant="secondary" size="sm">
            Publish office hours
          </ButtonLink>
        </div>
      </section>
    );
  }
  return (
    <section className="card stack" aria-labelledby="oh-profile-title">
      <div className="card__header">
        <h2 className="card__title" id="oh-profile-title">
          Office hours
        </h2>
        <Link to={officeHoursPath(person.id)}>
          {person.isViewer ? 'Your office-hours page' : `Book time with ${person.name}`}
        </Link>
      </div>
      <ul className="plain-list divided-list">
        {person.officeHours.map((item) => {
          const series = readFragment(SeriesSummaryFields, item);
          return (
            <li key={series.id} className="oh-series">
              <h3 className="oh-series__topic">{series.topic}</h3>
              <p className="oh-series__when">{seriesWords(series)}</p>
              {item.nextSlots.length > 0 && (
                <ul className="plain-list oh-next-slots" aria-label={`Next times for ${series.topic}`}>
                  {item.nextSlots.map((slot) => (
                    <NextSlotLine key={slot.id} hostId={person.id} slot={slot} seats={series.seats} />
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

// The group page's card: office hours for this group's members, and its members' open ones.
export function GroupOfficeHours({ slug }: { slug: string }) {
  const [result] = useQuery({ query: GroupOfficeHoursQuery, variables: { slug } });
  const list = result.data?.group?.officeHours ?? [];
  if (list.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="oh-group-title">
      <h2 className="card__title" id="oh-group-title">
        Office hours
      </h2>
      <ul className="plain-list divided-list">
        {list.map((item) => {
          const series = readFragment(SeriesSummaryFields, item);
          const next = item.nextSlots[0];
          return (
            <li key={series.id} className="list-row">
              <div className="list-row__main">
                <p className="list-row__title">
                  <Link to={officeHoursPath(item.host.id)}>{series.topic}</Link>
                </p>
                <p className="list-row__meta">
                  {item.host.name} · {seriesWords(series)}
                </p>
                {next && (
                  <p className="list-row__meta">
                    Next:{' '}
                    <Link to={slotPagePath(item.host.id, next.id, next.startsAt)}>
                      {slotTimes(next.startsAt, next.endsAt, next.hostTimeZone, viewerTimeZone()).viewerWithDay}
                    </Link>
                    {next.state === 'FULL'
                      ? ' · full, waitlist open'
                      : ` · ${seatsWords(next.seatsLeft, series.seats)}`}
                  </p>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
