import { useCallback, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { readFragment, type FragmentOf, type ResultOf } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { formatClockTime, formatDateTime, formatTime, localToInstantOrNull, viewerTimeZone } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { hostOutcome } from '../office-hours/host-outcome';
import { WEEKDAYS } from './labels';
import {
  CancelMentorshipSessionsMutation,
  ConfirmMentorshipSessionsMutation,
  DeclineMentorshipSessionsMutation,
  MarkSessionHeldMutation,
  MentorshipSessionsQuery,
  ProposeMentorshipSessionsMutation,
  SessionSlotFields,
} from './sessions.documents';
import { useMentorshipActivity } from './use-mentorship-activity';
import '../office-hours/hosting.css';

// The pair's sessions, driven by the agreement: times inside both members' working hours (in both
// zones) that either may pick; the other side confirms or declines; then the series' sessions, each
// marked held once it started (that records the agreement's check-in); either may cancel the series.

type Mentorship = Extract<NonNullable<ResultOf<typeof MentorshipSessionsQuery>['node']>, { __typename: 'Mentorship' }>;
type Session = ReturnType<typeof readSession>;
const readSession = (masked: FragmentOf<typeof SessionSlotFields>) => readFragment(SessionSlotFields, masked);

const SESSION_CODES: Record<string, string> = {
  NO_AGREEMENT: 'Agree on how you’ll meet first (the agreement above): its cadence and session length set the series.',
  OUTSIDE_HOURS: 'That time is no longer inside both your working hours. Pick another.',
  MENTORSHIP_ENDED: 'This mentorship has ended.',
  SESSIONS_NOT_PROPOSED: 'Those sessions are no longer waiting for an answer.',
  SESSIONS_NOT_ACTIVE: 'Those sessions are no longer running.',
  SESSION_NOT_STARTED: 'A session can be marked held once it has started.',
  SESSION_ALREADY_HELD: 'That session is already marked held.',
  SLOT_CANCELLED: 'That session was cancelled.',
  FORBIDDEN: 'The other side answers a proposal, not the one who made it.',
};

function messageOf(outcome: { message: string; code: string | undefined }): string {
  return (outcome.code && SESSION_CODES[outcome.code]) || outcome.message;
}

const zoneName = (zone: string) => (zone.split('/').at(-1) ?? zone).replaceAll('_', ' ');

function when(slot: { startsAt: string; endsAt: string }, zone: string): string {
  return `${formatDateTime(slot.startsAt, { timeZone: zone })}–${formatTime(slot.endsAt, { timeZone: zone })}`;
}

function weekdayWords(weekdays: readonly string[]): string {
  return weekdays.map((day) => `${WEEKDAYS.find((d) => d.value === day)?.label ?? day}s`).join(' and ');
}

// Sessions of the last 60 days: one not yet marked held stays in reach for a while.
function since(now: Date): string {
  return new Date(now.getTime() - 60 * 86_400_000).toISOString();
}

export function SessionsPanel({ mentorshipId, onChanged }: { mentorshipId: string; onChanged(): void }) {
  const [now] = useState(() => {
    const date = new Date();
    date.setSeconds(0, 0);
    return date;
  });
  const variables = useMemo(
    () => ({ id: mentorshipId, since: since(now), now: now.toISOString() }),
    [mentorshipId, now],
  );
  const [result, refetch] = useQuery({ query: MentorshipSessionsQuery, variables, requestPolicy: 'cache-and-network' });
  const reload = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useMentorshipActivity(reload);
  const changed = useCallback(() => {
    reload();
    onChanged();
  }, [reload, onChanged]);

  if (result.error && !result.data) return <Alert tone="error">{describeRequestError(result.error)}</Alert>;
  if (!result.data) return <p className="loading">Loading sessions…</p>;
  const node = result.data.node;
  if (node?.__typename !== 'Mentorship') return null;
  return (
    <section className="card stack sessions-panel" aria-labelledby="sessions-title">
      <div className="card__header">
        <h2 className="card__title" id="sessions-title">
          Sessions
        </h2>
        {node.sessionSeries && (
          <span className={node.sessionSeries.status === 'ACTIVE' ? 'tag tag--success' : 'tag tag--warning'}>
            {node.sessionSeries.status === 'ACTIVE' ? 'Scheduled' : 'Waiting for an answer'}
          </span>
        )}
      </div>
      <SessionsBody mentorship={node} viewerPersonId={result.data.viewer?.person.id ?? null} onChanged={changed} />
    </section>
  );
}

function SessionsBody({
  mentorship,
  viewerPersonId,
  onChanged,
}: {
  mentorship: Mentorship;
  viewerPersonId: string | null;
  onChanged(): void;
}) {
  const myZone = viewerTimeZone();
  const isMentor = mentorship.viewerRole === 'MENTOR';
  const partner = isMentor ? mentorship.mentee : mentorship.mentor;
  const proposal = mentorship.sessionTimeProposals[0];
  const series = mentorship.sessionSeries;
  // The zones the sessions are planned in (the mentor's hours, the mentee's needs), before the profile's.
  const partnerZone = isMentor
    ? (proposal?.menteeTimeZone ?? partner?.timeZone ?? null)
    : (series?.timeZone ?? proposal?.mentorTimeZone ?? partner?.timeZone ?? null);
  const otherZone = partnerZone && partnerZone !== myZone ? partnerZone : null;
  const partnerName = partner?.name ?? 'the other side';

  if (mentorship.status !== 'ACTIVE') {
    return <p className="muted">This mentorship has ended; it has no sessions to plan.</p>;
  }
  if (series?.status === 'ACTIVE') {
    const upcoming = mentorship.upcomingSessions.map(readSession);
    const upcomingIds = new Set(upcoming.map((session) => session.id));
    const unmarked = (series.recent?.edges ?? [])
      .map((edge) => readSession(edge.node))
      .filter((session) => session.viewerCanMarkHeld && !upcomingIds.has(session.id))
      .reverse();
    return (
      <>
        <SeriesSummary series={series} myZone={myZone} otherZone={otherZone} />
        {unmarked.length > 0 && (
          <div className="stack stack--tight">
            <h3 className="host-slot__subtitle">Not marked yet</h3>
            <SessionList sessions={unmarked} myZone={myZone} otherZone={otherZone} onChanged={onChanged} />
          </div>
        )}
        <div className="stack stack--tight">
          <h3 className="host-slot__subtitle">Next sessions</h3>
          {upcoming.length === 0 ? (
            <p className="muted small">No sessions left in the series.</p>
          ) : (
            <SessionList sessions={upcoming} myZone={myZone} otherZone={otherZone} onChanged={onChanged} />
          )}
        </div>
        <CancelSeries seriesId={series.id} partnerName={partnerName} onChanged={onChanged} />
      </>
    );
  }
  if (series?.status === 'PROPOSED') {
    const mine = series.proposedBy?.id === viewerPersonId;
    return (
      <>
        <SeriesSummary series={series} myZone={myZone} otherZone={otherZone} />
        {series.viewerCanConfirmSessions ? (
          <AnswerProposal
            seriesId={series.id}
            proposer={series.proposedBy?.name ?? partnerName}
            onChanged={onChanged}
          />
        ) : (
          <>
            <p className="small">
              {mine ? `Waiting for ${partnerName} to confirm.` : 'Waiting for an answer.'} You can pick another time
              below; it replaces this proposal.
            </p>
            <CancelSeries seriesId={series.id} partnerName={partnerName} onChanged={onChanged} proposal />
          </>
        )}
        {!series.viewerCanConfirmSessions && (
          <Proposals mentorship={mentorship} myZone={myZone} isMentor={isMentor} onChanged={onChanged} />
        )}
      </>
    );
  }
  return <Proposals mentorship={mentorship} myZone={myZone} isMentor={isMentor} onChanged={onChanged} />;
}

function SeriesSummary({
  series,
  myZone,
  otherZone,
}: {
  series: NonNullable<Mentorship['sessionSeries']>;
  myZone: string;
  otherZone: string | null;
}) {
  const first = localToInstantOrNull(`${series.startDate}T${series.startTime}`, series.timeZone);
  const every = series.recurrence
    ? series.recurrence.everyWeeks === 1
      ? 'Every week'
      : `Every ${series.recurrence.everyWeeks} weeks`
    : 'Once';
  const days = series.recurrence ? ` on ${weekdayWords(series.recurrence.weekdays)}` : '';
  return (
    <div className="stack stack--tight">
      <p>
        <strong>
          {every}
          {days}, {series.durationMinutes} minutes
        </strong>
        , at {formatClockTime(series.startTime)} {zoneName(series.timeZone)} time
        {series.status === 'PROPOSED' && series.proposedBy && ` · proposed by ${series.proposedBy.name}`}
      </p>
      {first && (
        <p className="small muted">
          First: {formatDateTime(first, { timeZone: myZone })} your time
          {otherZone && ` · ${formatDateTime(first, { timeZone: otherZone })} in ${zoneName(otherZone)}`}
        </p>
      )}
    </div>
  );
}

function Proposals({
  mentorship,
  myZone,
  isMentor,
  onChanged,
}: {
  mentorship: Mentorship;
  myZone: string;
  isMentor: boolean;
  onChanged(): void;
}) {
  const [, propose] = useMutation(ProposeMentorshipSessionsMutation);
  const [busy, setBusy] = useState<string | null>(null);
  const [where, setWhere] = useState('');
  const [problem, setProblem] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const proposals = mentorship.sessionTimeProposals;
  if (proposals.length === 0) {
    return (
      <Alert tone="info" title="No session times to propose yet">
        {mentorship.sessionTimeBlocker ??
          (mentorship.agreement
            ? 'Your working hours don’t overlap at the agreement’s session length. Add hours in Mentoring settings, or agree on another length.'
            : 'Agree on how you’ll meet first (the agreement above): its cadence and session length set the series.')}
      </Alert>
    );
  }
  const online = mentorship.agreement?.format !== 'IN_PERSON';
  async function pick(startsAt: string) {
    setBusy(startsAt);
    setProblem(null);
    const place = where.trim() || null;
    const response = await propose({
      input: {
        mentorshipId: mentorship.id,
        startsAt,
        onlineUrl: online ? place : null,
        location: online ? null : place,
      },
    });
    const outcome = hostOutcome(response.data?.proposeMentorshipSessions, response.error, 'officeHours');
    setBusy(null);
    if (outcome.ok) onChanged();
    else setProblem({ message: messageOf(outcome), fields: outcome.fieldErrors });
  }
  return (
    <div className="stack stack--tight">
      <p className="small">
        From your agreement, inside both your working hours. Pick one; {isMentor ? 'your mentee' : 'your mentor'}{' '}
        confirms it.
      </p>
      {problem && <Alert tone="error">{problem.message}</Alert>}
      <ul className="sessions-panel__proposals">
        {proposals.map((proposal) => (
          <li key={proposal.startsAt} className="sessions-panel__proposal">
            <div>
              <p>
                <strong>{proposal.label}</strong>
              </p>
              <p className="small muted">
                First: {formatDateTime(proposal.startsAt, { timeZone: myZone })} your time ·{' '}
                {proposal.everyWeeks === 1 ? 'weekly' : `every ${proposal.everyWeeks} weeks`},{' '}
                {proposal.durationMinutes} min
              </p>
            </div>
            <Button
              size="sm"
              variant="secondary"
              busy={busy === proposal.startsAt}
              disabled={busy !== null}
              onClick={() => void pick(proposal.startsAt)}
              aria-label={`Propose this: ${proposal.label}`}
            >
              Propose this
            </Button>
          </li>
        ))}
      </ul>
      <TextField
        label={online ? 'Video link (optional)' : 'Where you meet (optional)'}
        hint="Only the two of you see it"
        type={online ? 'url' : 'text'}
        placeholder={online ? 'https://' : undefined}
        value={where}
        onChange={(event) => setWhere(event.target.value)}
        error={problem?.fields.onlineUrl ?? problem?.fields.location}
      />
    </div>
  );
}

function AnswerProposal({ seriesId, proposer, onChanged }: { seriesId: string; proposer: string; onChanged(): void }) {
  const [, confirm] = useMutation(ConfirmMentorshipSessionsMutation);
  const [, decline] = useMutation(DeclineMentorshipSessionsMutation);
  const [busy, setBusy] = useState<'confirm' | 'decline' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  async function answer(kind: 'confirm' | 'decline') {
    setBusy(kind);
    setMessage(null);
    const input = { officeHoursId: seriesId };
    const outcome =
      kind === 'confirm'
        ? await confirm({ input }).then((r) => hostOutcome(r.data?.confirmMentorshipSessions, r.error, 'officeHours'))
        : await decline({ input }).then((r) => hostOutcome(r.data?.declineMentorshipSessions, r.error, 'officeHours'));
    setBusy(null);
    if (outcome.ok) onChanged();
    else setMessage(messageOf(outcome));
  }
  return (
    <div className="stack stack--tight">
      <p className="small">{proposer} proposed these sessions. Confirm them and they go in both your calendars.</p>
      {message && <Alert tone="error">{message}</Alert>}
      <div className="button-row">
        <Button size="sm" busy={busy === 'confirm'} disabled={busy !== null} onClick={() => void answer('confirm')}>
          Confirm the sessions
        </Button>
        <Button
          size="sm"
          variant="ghost"
          busy={busy === 'decline'}
          disabled={busy !== null}
          onClick={() => void answer('decline')}
        >
          Decline
        </Button>
      </div>
    </div>
  );
}

function SessionList({
  sessions,
  myZone,
  otherZone,
  onChanged,
}: {
  sessions: readonly Session[];
  myZone: string;
  otherZone: string | null;
  onChanged(): void;
}) {
  return (
    <ol className="sessions-panel__sessions">
      {sessions.map((session) => (
        <SessionItem key={session.id} session={session} myZone={myZone} otherZone={otherZone} onChanged={onChanged} />
      ))}
    </ol>
  );
}

function SessionItem({
  session,
  myZone,
  otherZone,
  onChanged,
}: {
  session: Session;
  myZone: string;
  otherZone: string | null;
  onChanged(): void;
}) {
  const [, mark] = useMutation(MarkSessionHeldMutation);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  async function markHeld() {
    setBusy(true);
    setMessage(null);
    const response = await mark({ input: { slotId: session.id } });
    const outcome = hostOutcome(response.data?.markSessionHeld, response.error, 'checkIn');
    setBusy(false);
    if (outcome.ok) onChanged();
    else setMessage(messageOf(outcome));
  }
  return (
    <li className="sessions-panel__session" data-session-id={session.id}>
      <div>
        <p>
          <strong>{when(session, myZone)}</strong> <span className="small muted">your time</span>
        </p>
        {otherZone && (
          <p className="small muted">
            {when(session, otherZone)} in {zoneName(otherZone)}
          </p>
        )}
        {session.timeZoneNotes.map((note) => (
          <p key={note} className="small muted">
            {note}
          </p>
        ))}
        {message && <p className="text-field__error">{message}</p>}
      </div>
      {session.checkIn ? (
        <span className="tag tag--success">Held</span>
      ) : session.viewerCanMarkHeld ? (
        <Button size="sm" variant="secondary" busy={busy} onClick={() => void markHeld()}>
          Mark held
        </Button>
      ) : null}
    </li>
  );
}

function CancelSeries({
  seriesId,
  partnerName,
  proposal = false,
  onChanged,
}: {
  seriesId: string;
  partnerName: string;
  proposal?: boolean;
  onChanged(): void;
}) {
  const [, cancel] = useMutation(CancelMentorshipSessionsMutation);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  async function onCancel() {
    setBusy(true);
    setMessage(null);
    const response = await cancel({ input: { officeHoursId: seriesId } });
    const outcome = hostOutcome(response.data?.cancelMentorshipSessions, response.error, 'officeHours');
    setBusy(false);
    if (outcome.ok) {
      setConfirming(false);
      onChanged();
    } else setMessage(messageOf(outcome));
  }
  if (!confirming) {
    return (
      <div className="button-row">
        <Button size="sm" variant="ghost" onClick={() => setConfirming(true)}>
          {proposal ? 'Withdraw the proposal' : 'Cancel the series'}
        </Button>
      </div>
    );
  }
  return (
    <fieldset className="stack stack--tight hosting-fieldset">
      <legend className="visually-hidden">{proposal ? 'Withdraw the proposal' : 'Cancel the series'}</legend>
      {message && <Alert tone="error">{message}</Alert>}
      <p className="small">
        {proposal
          ? `The proposal is withdrawn; ${partnerName} is told.`
          : `Every future session is cancelled and ${partnerName} is told. Sessions already held stay as check-ins.`}
      </p>
      <div className="button-row">
        <Button size="sm" busy={busy} onClick={() => void onCancel()}>
          {proposal ? 'Withdraw it' : 'Cancel every future session'}
        </Button>
        <Button size="sm" variant="ghost" disabled={busy} onClick={() => setConfirming(false)}>
          Keep {proposal ? 'it' : 'the series'}
        </Button>
      </div>
    </fieldset>
  );
}
