import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { usePageTitle } from '../../ui/use-page-title';
import { hostOutcome } from './host-outcome';
import {
  EditOfficeHoursQuery,
  HostSeriesFields,
  OfficeHoursFormContextQuery,
  UpdateOfficeHoursMutation,
} from './host.documents';
import { draftFromSeries, OfficeHoursForm, type FormProblem, type PublishInput } from './office-hours-form';

const readSeries = (masked: FragmentOf<typeof HostSeriesFields>) => readFragment(HostSeriesFields, masked);

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What saving did to the slots, in words (bookings stay where their slot still exists). */
export function changeSummary(moved: number, cancelled: number): string {
  if (moved === 0 && cancelled === 0) return 'Saved. No booked slot changed.';
  const parts = [
    moved > 0 ? `${plural(moved, 'slot', 'slots')} moved` : null,
    cancelled > 0 ? `${plural(cancelled, 'slot', 'slots')} cancelled` : null,
  ].filter(Boolean);
  return `Saved: ${parts.join(' and ')}. Their attendees were told.`;
}

// /office-hours/:id/edit — change a series; only future slots change.
export function EditOfficeHoursPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [result] = useQuery({ query: EditOfficeHoursQuery, variables: { id }, requestPolicy: 'network-only' });
  const [context] = useQuery({ query: OfficeHoursFormContextQuery });
  const [, update] = useMutation(UpdateOfficeHoursMutation);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const node = result.data?.node;
  const found = node?.__typename === 'OfficeHours' && node.viewerIsHost ? node : null;
  const series = found ? readSeries(found) : null;
  usePageTitle(series ? `Edit ${series.topic}` : 'Edit office hours');

  async function onSubmit(input: PublishInput) {
    setBusy(true);
    setProblem(null);
    const response = await update({ input: { ...input, officeHoursId: id } });
    const outcome = hostOutcome(response.data?.updateOfficeHours, response.error, 'officeHours');
    setBusy(false);
    if (outcome.ok) {
      await navigate('/office-hours/manage', {
        state: { notice: changeSummary(outcome.value.movedSlots, outcome.value.cancelledSlots) },
      });
    } else setProblem({ message: outcome.message, fieldErrors: outcome.fieldErrors });
  }

  const error = result.error ?? context.error;
  if (error && !(result.data && context.data)) return <Alert tone="error">{describeRequestError(error)}</Alert>;
  if (!result.data || !context.data) return <p className="loading">Loading…</p>;
  if (series?.audience === 'PAIR') {
    return (
      <div className="page">
        <h1 className="page-header__title">Mentorship sessions</h1>
        <p className="muted">A mentorship’s sessions are planned and changed on the mentorship page.</p>
        <Link to="/mentorships">Your mentorships</Link>
      </div>
    );
  }
  if (!series || series.status === 'CANCELLED') {
    return (
      <div className="page">
        <h1 className="page-header__title">Office hours not found</h1>
        <p className="muted">They don’t exist, were cancelled, or aren’t yours: only the host edits office hours.</p>
        <Link to="/office-hours/manage">Back to your office hours</Link>
      </div>
    );
  }
  return (
    <div className="page page--wide hosting">
      <p className="eyebrow">
        <Link to="/office-hours/manage">Your office hours</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Edit “{series.topic}”</h1>
          <p className="page-header__lead">
            Changes apply to future slots only. Bookings stay where their slot still exists; attendees of a slot that
            moves or goes away are told.
          </p>
        </div>
      </header>
      <OfficeHoursForm
        initial={draftFromSeries(series)}
        groups={(context.data.viewer?.groups.edges ?? []).map((edge) => edge.node)}
        submitLabel="Save changes"
        busy={busy}
        problem={problem}
        onSubmit={(input) => void onSubmit(input)}
      />
    </div>
  );
}
