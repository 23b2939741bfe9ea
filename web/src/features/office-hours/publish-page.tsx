import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { canonicalOrStored, viewerTimeZone } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { usePageTitle } from '../../ui/use-page-title';
import { hostOutcome } from './host-outcome';
import { HostSeriesFields, OfficeHoursFormContextQuery, PublishOfficeHoursMutation } from './host.documents';
import { newDraft, OfficeHoursForm, type FormProblem, type PublishInput } from './office-hours-form';

// /office-hours/new — publish a one-off or a series; the zone starts as the member's own.
export function PublishOfficeHoursPage() {
  usePageTitle('Publish office hours');
  const navigate = useNavigate();
  const [context] = useQuery({ query: OfficeHoursFormContextQuery });
  const [, publish] = useMutation(PublishOfficeHoursMutation);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<FormProblem | null>(null);

  async function onSubmit(input: PublishInput) {
    setBusy(true);
    setProblem(null);
    const response = await publish({ input });
    const outcome = hostOutcome(response.data?.publishOfficeHours, response.error, 'officeHours');
    setBusy(false);
    if (outcome.ok) {
      await navigate('/office-hours/manage', {
        state: { notice: `Published “${readFragment(HostSeriesFields, outcome.value.officeHours).topic}”.` },
      });
    } else setProblem({ message: outcome.message, fieldErrors: outcome.fieldErrors });
  }

  if (context.error && !context.data) return <Alert tone="error">{describeRequestError(context.error)}</Alert>;
  const viewer = context.data?.viewer;
  if (!viewer) return <p className="loading">Loading…</p>;
  // The member's zone as stored (their profile); the browser's if none.
  const zone = canonicalOrStored(viewer.timeZone || viewerTimeZone());
  return (
    <div className="page page--wide hosting">
      <p className="eyebrow">
        <Link to="/office-hours/manage">Your office hours</Link>
      </p>
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Publish office hours</h1>
          <p className="page-header__lead">Times people can book with you: once, or every week or few weeks.</p>
        </div>
      </header>
      <OfficeHoursForm
        initial={newDraft(zone)}
        groups={viewer.groups.edges.map((edge) => edge.node)}
        submitLabel="Publish"
        busy={busy}
        problem={problem}
        onSubmit={(input) => void onSubmit(input)}
      />
    </div>
  );
}
