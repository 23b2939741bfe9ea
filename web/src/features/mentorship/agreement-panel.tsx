import { useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { addDays, formatDate, formatDateTime, todayIn, viewerTimeZone } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { SelectField, TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { labelOf } from '../people/labels';
import { CADENCES, FORMATS, type MentoringCadence, type MentoringFormat } from './labels';
import { AGREEMENT_STATUS } from './request-labels';
import {
  AcceptMentorshipAgreementMutation,
  MentorshipAgreementFields,
  ProposeMentorshipAgreementMutation,
} from './requests.documents';

type Agreement = ReturnType<typeof readAgreement>;
const readAgreement = (masked: FragmentOf<typeof MentorshipAgreementFields>) =>
  readFragment(MentorshipAgreementFields, masked);

const day = (value: string) => formatDate(`${value}T12:00:00Z`, { withYear: true, timeZone: 'UTC' });

function Terms({ agreement }: { agreement: Agreement }) {
  return (
    <dl className="facts">
      <dt>How often</dt>
      <dd>
        {labelOf(CADENCES, agreement.cadence)}, {labelOf(FORMATS, agreement.format).toLowerCase()},{' '}
        {agreement.sessionMinutes} minutes
      </dd>
      <dt>When</dt>
      <dd>
        {day(agreement.startsOn)} to {day(agreement.plannedEndOn)}
      </dd>
      <dt>From the mentor</dt>
      <dd className="prewrap">{agreement.mentorExpectations}</dd>
      <dt>From the mentee</dt>
      <dd className="prewrap">{agreement.menteeExpectations}</dd>
      <dt>Confidentiality</dt>
      <dd className="prewrap">{agreement.confidentiality}</dd>
    </dl>
  );
}

interface Draft {
  cadence: MentoringCadence;
  format: MentoringFormat;
  sessionMinutes: string;
  startsOn: string;
  plannedEndOn: string;
  mentorExpectations: string;
  menteeExpectations: string;
  confidentiality: string;
}

function draftFrom(agreement: Agreement | null): Draft {
  // Today where the viewer is (the UTC date is yesterday or tomorrow for part of the day in many zones).
  const today = todayIn(viewerTimeZone());
  const later = addDays(today, 182);
  return {
    cadence: (agreement?.cadence as MentoringCadence) ?? 'BIWEEKLY',
    format: (agreement?.format as MentoringFormat) ?? 'VIDEO',
    sessionMinutes: String(agreement?.sessionMinutes ?? 45),
    startsOn: agreement?.startsOn ?? today,
    plannedEndOn: agreement?.plannedEndOn ?? later,
    mentorExpectations: agreement?.mentorExpectations ?? '',
    menteeExpectations: agreement?.menteeExpectations ?? '',
    confidentiality: agreement?.confidentiality ?? 'What we share stays between us unless we both agree otherwise.',
  };
}

// The agreement: the version in force, a proposal waiting for one side, a form to propose (a change is
// a new version), and the history of who proposed and accepted what, when.
export function AgreementPanel({
  mentorshipId,
  active,
  partnerName,
  agreement: inForce,
  pending,
  history,
  onChanged,
}: {
  mentorshipId: string;
  active: boolean;
  partnerName: string;
  agreement: FragmentOf<typeof MentorshipAgreementFields> | null;
  pending: FragmentOf<typeof MentorshipAgreementFields> | null;
  history: readonly FragmentOf<typeof MentorshipAgreementFields>[];
  onChanged: () => void;
}) {
  const current = inForce ? readAgreement(inForce) : null;
  const proposal = pending ? readAgreement(pending) : null;
  const [editing, setEditing] = useState(false);
  const [acceptError, setAcceptError] = useState<string | null>(null);
  const [accepting, setAccepting] = useState(false);
  const [, accept] = useMutation(AcceptMentorshipAgreementMutation);

  return (
    <section className="card stack agreement-panel" aria-labelledby="agreement-title">
      <div className="card__header">
        <h2 className="card__title" id="agreement-title">
          Agreement
        </h2>
        {current && <span className="tag tag--success">Version {current.version} in force</span>}
      </div>
      {!current && !proposal && (
        <p className="muted">
          No agreement yet. Agree how often you meet, in what form, until when, and what each of you expects.
        </p>
      )}
      {current && <Terms agreement={current} />}
      {proposal && (
        <section className="agreement-panel__proposal stack stack--tight" aria-labelledby="proposal-title">
          <h3 className="mentor-card__subtitle" id="proposal-title">
            {current ? `Proposed change (version ${proposal.version})` : `Proposed (version ${proposal.version})`}
          </h3>
          <p className="muted small">
            {proposal.proposedBy?.name ?? 'Someone'} proposed this on{' '}
            {formatDateTime(proposal.proposedAt, { withYear: true })}.
            {!proposal.viewerCanAccept && ` Waiting for ${partnerName} to accept.`}
          </p>
          <Terms agreement={proposal} />
          {acceptError && <Alert tone="error">{acceptError}</Alert>}
          {proposal.viewerCanAccept && (
            <div className="button-row">
              <Button
                busy={accepting}
                onClick={async () => {
                  setAccepting(true);
                  setAcceptError(null);
                  const response = await accept({ input: { agreementId: proposal.id } });
                  const outcome = outcomeOf(
                    response.data?.acceptMentorshipAgreement,
                    response.error,
                    'MentorshipAgreementPayload',
                  );
                  setAccepting(false);
                  if (outcome.ok) onChanged();
                  else setAcceptError(outcome.message);
                }}
              >
                Accept these terms
              </Button>
            </div>
          )}
        </section>
      )}
      {active && !editing && (
        <div className="button-row">
          <Button variant="secondary" onClick={() => setEditing(true)}>
            {current || proposal ? 'Propose a change' : 'Propose terms'}
          </Button>
        </div>
      )}
      {active && editing && (
        <ProposeForm
          mentorshipId={mentorshipId}
          from={proposal ?? current}
          onCancel={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            onChanged();
          }}
        />
      )}
      {history.length > 0 && (
        <details className="agreement-panel__history">
          <summary>History ({history.length === 1 ? '1 version' : `${history.length} versions`})</summary>
          <ol className="agreement-history">
            {history.map((masked) => {
              const version = readAgreement(masked);
              return (
                <li key={version.id}>
                  <strong>Version {version.version}</strong> · {AGREEMENT_STATUS[version.status] ?? version.status} ·
                  proposed by {version.proposedBy?.name ?? 'a former member'} on{' '}
                  {formatDateTime(version.proposedAt, { withYear: true })}
                  {version.acceptedAt &&
                    ` · accepted by ${version.acceptedBy?.name ?? 'a former member'} on ${formatDateTime(version.acceptedAt, { withYear: true })}`}
                </li>
              );
            })}
          </ol>
        </details>
      )}
    </section>
  );
}

function ProposeForm({
  mentorshipId,
  from,
  onCancel,
  onDone,
}: {
  mentorshipId: string;
  from: Agreement | null;
  onCancel: () => void;
  onDone: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(from));
  const [state, setState] = useState<{ busy: boolean; message: string | null; fields: Record<string, string> }>({
    busy: false,
    message: null,
    fields: {},
  });
  const [, propose] = useMutation(ProposeMentorshipAgreementMutation);
  const errorRef = useRef<HTMLDivElement>(null);
  const set = <Key extends keyof Draft>(key: Key, value: Draft[Key]) => setDraft((d) => ({ ...d, [key]: value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, message: null, fields: {} });
    const minutes = Number(draft.sessionMinutes);
    const response = await propose({
      input: { mentorshipId, ...draft, sessionMinutes: Number.isInteger(minutes) ? minutes : 0 },
    });
    const outcome = outcomeOf(response.data?.proposeMentorshipAgreement, response.error, 'MentorshipAgreementPayload');
    if (outcome.ok) {
      onDone();
      return;
    }
    setState({ busy: false, message: outcome.message, fields: outcome.fieldErrors });
    requestAnimationFrame(() => errorRef.current?.focus());
  }

  const fields = state.fields;
  return (
    <form className="editor" aria-label="Propose terms" noValidate onSubmit={(event) => void onSubmit(event)}>
      {state.message && (
        <div ref={errorRef} tabIndex={-1}>
          <Alert tone="error">{state.message}</Alert>
        </div>
      )}
      <div className="agreement-form__row">
        <SelectField
          label="How often"
          value={draft.cadence}
          options={CADENCES}
          onChange={(event) => set('cadence', event.target.value as MentoringCadence)}
          error={fields.cadence}
        />
        <SelectField
          label="Format"
          value={draft.format}
          options={FORMATS}
          onChange={(event) => set('format', event.target.value as MentoringFormat)}
          error={fields.format}
        />
        <TextField
          label="Session length (minutes)"
          type="number"
          min={15}
          max={240}
          value={draft.sessionMinutes}
          onChange={(event) => set('sessionMinutes', event.target.value)}
          error={fields.sessionMinutes}
        />
      </div>
      <div className="agreement-form__row">
        <TextField
          label="Starts on"
          type="date"
          value={draft.startsOn}
          onChange={(event) => set('startsOn', event.target.value)}
          error={fields.startsOn}
        />
        <TextField
          label="Planned end"
          type="date"
          value={draft.plannedEndOn}
          onChange={(event) => set('plannedEndOn', event.target.value)}
          error={fields.plannedEndOn}
        />
      </div>
      <TextAreaField
        label="What the mentee can expect of the mentor"
        value={draft.mentorExpectations}
        maxLength={2000}
        rows={3}
        onChange={(event) => set('mentorExpectations', event.target.value)}
        error={fields.mentorExpectations}
      />
      <TextAreaField
        label="What the mentor can expect of the mentee"
        value={draft.menteeExpectations}
        maxLength={2000}
        rows={3}
        onChange={(event) => set('menteeExpectations', event.target.value)}
        error={fields.menteeExpectations}
      />
      <TextAreaField
        label="Confidentiality"
        value={draft.confidentiality}
        maxLength={2000}
        rows={2}
        onChange={(event) => set('confidentiality', event.target.value)}
        error={fields.confidentiality}
      />
      <div className="button-row">
        <Button type="submit" busy={state.busy}>
          Propose
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={state.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
