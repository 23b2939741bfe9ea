import { Link } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Pager, useCursorStack } from '../../ui/pager';
import { usePageTitle } from '../../ui/use-page-title';
import { EventRow } from '../groups/event-list';
import { groupPath } from '../groups/labels';
import { UpcomingEventsQuery } from './documents';
import { viewerTimeZone } from './event-time';
import '../groups/groups.css';

export function EventsPage() {
  usePageTitle('Events');
  const cursors = useCursorStack();
  const [result] = useQuery({ query: UpcomingEventsQuery, variables: { first: 20, after: cursors.after } });
  const events = result.data?.upcomingEvents;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Upcoming events</h1>
          <p className="page-header__lead">
            Everything coming up in your groups, in your time zone ({viewerTimeZone()}).
          </p>
        </div>
      </header>
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!events && !result.error && <p className="loading">Loading…</p>}
      {events && events.edges.length === 0 && (
        <p className="empty">
          Nothing planned yet. <Link to="/groups">Find a group</Link> to see its events here.
        </p>
      )}
      {events && events.edges.length > 0 && (
        <ul className="plain-list event-list">
          {events.edges.map(({ node }) => (
            <EventRow
              key={node.id}
              event={node}
              context={<Link to={groupPath(node.group.slug)}>{node.group.name}</Link>}
            />
          ))}
        </ul>
      )}
      <Pager
        hasPrevious={cursors.hasPrevious}
        hasNext={events?.pageInfo.hasNextPage ?? false}
        onPrevious={cursors.previous}
        onNext={() => cursors.next(events?.pageInfo.endCursor)}
        busy={result.fetching}
      />
    </div>
  );
}
