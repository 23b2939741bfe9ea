import { Link, Navigate, useLocation, useParams } from 'react-router';
import { useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { usePageTitle } from '../../ui/use-page-title';
import { nextParamFor } from '../accounts/safe-next';
import { useViewer } from '../accounts/use-viewer';
import { SlotLocationQuery } from './documents';
import { slotPagePath } from './office-hours-page';

// /office-hours/slots/:slotId — the address notifications link to: opens the host's page on the slot's
// week with its card showing (in the viewer's zone).
export function OfficeHoursSlotPage() {
  const { slotId = '' } = useParams();
  const location = useLocation();
  const viewer = useViewer();
  const [result] = useQuery({ query: SlotLocationQuery, variables: { id: slotId } });
  usePageTitle('Office hours');
  const node = result.data?.node;

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data || viewer.status === 'loading') return <p className="loading">Loading…</p>;
  if (node && 'officeHours' in node && node.officeHours) {
    return <Navigate to={slotPagePath(node.officeHours.host.id, node.id, node.startsAt)} replace />;
  }
  return (
    <div className="page">
      <h1 className="page-header__title">Slot not found</h1>
      <p className="muted">This slot doesn’t exist any more, or you can’t see it.</p>
      {viewer.status === 'signed-out' ? (
        <p>
          <Link to={`/sign-in${nextParamFor(location.pathname, location.search)}`}>Sign in</Link> to see it if it’s for
          members.
        </p>
      ) : (
        <p>
          <Link to="/bookings">Your bookings</Link>
        </p>
      )}
    </div>
  );
}
