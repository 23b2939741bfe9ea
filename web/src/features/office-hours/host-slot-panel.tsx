import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { formatDateTime, formatTime, viewerTimeZone } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { personPath } from '../people/person-link';
import { hostOutcome } from './host-outcome';
import {
  HostSlotFields,
  MarkAttendanceMutation,
  MoveOfficeHourSlotMutation,
  SkipOfficeHourSlotMutation,
} from './host.documents';

// One slot as its host sees it: when (their zone, and the viewer's when it differs), seats taken and
// left, who booked and what they asked, the waitlist, and what the host can do with it — skip or move
// it before it starts, mark attendance once it has started.

type Slot = ReturnType<typeof readSlot>;
const readSlot = (masked: FragmentOf<typeof HostSlotFields>) => readFragment(HostSlotFields, masked);

const STATE_TAG: Record<string, { label: string; tone: string }> = {
  OPEN: { label: 'Open', tone: 'tag tag--success' },
  FULL: { label: 'Full', tone: 'tag tag--primary' },
  CANCELLED: { label: 'Cancelled', tone: 'tag' },
  PAST: { label: 'Past', tone: 'tag' },
};

export function slotWhen(slot: { startsAt: string; endsAt: string }, zone: string): string {
  return `${formatDateTime(slot.startsAt, { timeZone: zone, withYear: true })}–${formatTime(slot.endsAt, { timeZone: zone })}`;
}

export function HostSlotPanel({
  slot: masked,
  now,
  onChanged,
}: {
  slot: FragmentOf<typeof HostSlotFields>;
  now: Date;
  onChanged(): void;
}) {
  const slot = readSlot(masked);
  const viewerZone = viewerTimeZone();
  const started = new Date(slot.startsAt) <= now;
  const cancelled = slot.state === 'CANCELLED';
  const booked = slot.bookings.filter((booking) => booking.status === 'BOOKED');
  const cancelledBookings = slot.bookings.length - booked.length;
  const waiting = slot.waitlist.filter((entry) => entry.status === 'WAITING' || entry.status === 'OFFERED');
  const [action, setAction] = useState<'skip' | 'move' | null>(null);
  const state = STATE_TAG[slot.state] ?? { label: slot.state, tone: 'tag' };
  return (
    <li
      className={['host-slot', cancelled ? 'host-slot--cancelled' : null].filter(Boolean).join(' ')}
      data-slot-id={slot.id}
      aria-label={slotWhen(slot, slot.hostTimeZone)}
    >
      <div className="host-slot__head">
        <p>
          <strong>{slotWhen(slot, slot.hostTimeZone)}</strong>{' '}
          <span className="small muted">{slot.hostTimeZone.replaceAll('_', ' ')}</span>
        </p>
        <span className={state.tone}>{state.label}</span>
      </div>
      {viewerZone !== slot.hostTimeZone && (
        <p className="small muted">
          Your time ({viewerZone.replaceAll('_', ' ')}): {slotWhen(slot, viewerZone)}
        </p>
      )}
      {slot.adjustmentNote && <p className="small slot-preview__note">{slot.adjustmentNote}</p>}
      {slot.timeZoneNotes.map((note) => (
        <p key={note} className="small muted">
          {note}
        </p>
      ))}
      {!cancelled && (
        <p className="small" data-testid="seats">
          {slot.seatsTaken} of {slot.seats} {slot.seats === 1 ? 'seat' : 'seats'} taken · {slot.seatsLeft} left
          {cancelledBookings > 0 && ` · ${cancelledBookings} cancelled`}
        </p>
      )}
      {booked.length > 0 && (
        <div className="stack stack--tight">
          <h4 className="host-slot__subtitle">Attendees</h4>
          <ul className="host-slot__people">
            {booked.map((booking) => (
              <li key={booking.id} className="host-slot__person" data-booking-id={booking.id}>
                <p>
                  <Link to={personPath(booking.attendee.id)}>{booking.attendee.name}</Link>
                  {booking.attendance && (
                    <span className={booking.attendance === 'ATTENDED' ? 'tag tag--success' : 'tag tag--warning'}>
                      {booking.attendance === 'ATTENDED' ? 'Attended' : 'No-show'}
                    </span>
                  )}
                </p>
                {booking.question ? (
                  <p className="small host-slot__question prewrap">“{booking.question}”</p>
                ) : (
                  <p className="small muted">No question.</p>
                )}
                {started && !cancelled && (
                  <AttendanceButtons bookingId={booking.id} current={booking.attendance} onChanged={onChanged} />
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {booked.length === 0 && !cancelled && <p className="small muted">No bookings yet.</p>}
      {waiting.length > 0 && (
        <div className="stack stack--tight">
          <h4 className="host-slot__subtitle">Waitlist</h4>
          <ol className="host-slot__people">
            {waiting.map((entry) => (
              <li key={entry.id} className="host-slot__person" data-waitlist-id={entry.id}>
                <p>
                  {entry.status === 'OFFERED' ? (
                    <>
                      <strong>Offered</strong> to{' '}
                    </>
                  ) : (
                    <>
                      <strong>#{entry.position ?? '?'}</strong>{' '}
                    </>
                  )}
                  <Link to={personPath(entry.member.id)}>{entry.member.name}</Link>
                  {entry.status === 'OFFERED' && entry.offerExpiresAt && (
                    <span className="small muted">
                      {' '}
                      · until {formatDateTime(entry.offerExpiresAt, { timeZone: viewerZone })}
                    </span>
                  )}
                </p>
                {entry.question && <p className="small host-slot__question prewrap">“{entry.question}”</p>}
              </li>
            ))}
          </ol>
        </div>
      )}
      {!started && !cancelled && action === null && (
        <div className="button-row">
          <Button size="sm" variant="secondary" onClick={() => setAction('move')}>
            Move this slot
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setAction('skip')}>
            Skip this slot
          </Button>
        </div>
      )}
      {action === 'skip' && (
        <SkipForm
          slot={slot}
          onCancel={() => setAction(null)}
          onDone={() => {
            setAction(null);
            onChanged();
          }}
        />
      )}
      {action === 'move' && (
        <MoveForm
          slot={slot}
          onCancel={() => setAction(null)}
          onDone={() => {
            setAction(null);
            onChanged();
          }}
        />
      )}
    </li>
  );
}

function AttendanceButtons({
  bookingId,
  current,
  onChanged,
}: {
  bookingId: string;
  current: string | null;
  onChanged(): void;
}) {
  const [, mark] = useMutation(MarkAttendanceMutation);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  async function choose(attendance: 'ATTENDED' | 'NO_SHOW') {
    setBusy(attendance);
    setMessage(null);
    const response = await mark({ input: { bookingId, attendance } });
    const outcome = hostOutcome(response.data?.markAttendance, response.error, 'booking');
    setBusy(null);
    if (outcome.ok) onChanged();
    else setMessage(outcome.message);
  }
  return (
    <div className="stack stack--tight">
      <fieldset className="button-row hosting-fieldset">
        <legend className="visually-hidden">Attendance</legend>
        <Button
          size="sm"
          variant={current === 'ATTENDED' ? 'primary' : 'secondary'}
          busy={busy === 'ATTENDED'}
          aria-pressed={current === 'ATTENDED'}
          onClick={() => void choose('ATTENDED')}
        >
          Attended
        </Button>
        <Button
          size="sm"
          variant={current === 'NO_SHOW' ? 'primary' : 'secondary'}
          busy={busy === 'NO_SHOW'}
          aria-pressed={current === 'NO_SHOW'}
          onClick={() => void choose('NO_SHOW')}
        >
          No-show
        </Button>
      </fieldset>
      {message && <p className="text-field__error">{message}</p>}
    </div>
  );
}

function SkipForm({ slot, onCancel, onDone }: { slot: Slot; onCancel(): void; onDone(): void }) {
  const [, skip] = useMutation(SkipOfficeHourSlotMutation);
  const [message, setMessage] = useState('');
  const [state, setState] = useState<{ busy: boolean; error: string | null; fields: Record<string, string> }>({
    busy: false,
    error: null,
    fields: {},
  });
  const booked = slot.bookings.filter((booking) => booking.status === 'BOOKED').length;
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, error: null, fields: {} });
    const response = await skip({ input: { slotId: slot.id, message: message.trim() || null } });
    const outcome = hostOutcome(response.data?.skipOfficeHourSlot, response.error, 'slot');
    if (outcome.ok) onDone();
    else setState({ busy: false, error: outcome.message, fields: outcome.fieldErrors });
  }
  return (
    <form className="host-slot__form" aria-label="Skip this slot" noValidate onSubmit={(event) => void onSubmit(event)}>
      {state.error && <Alert tone="error">{state.error}</Alert>}
      <p className="small">
        {booked > 0
          ? `The ${booked === 1 ? 'booking' : `${booked} bookings`} and the waitlist are cancelled, and each person is told.`
          : 'Nobody has booked it yet.'}
      </p>
      <TextAreaField
        label="Message to attendees (optional)"
        value={message}
        rows={2}
        maxLength={1000}
        onChange={(event) => setMessage(event.target.value)}
        error={state.fields.message}
      />
      <div className="button-row">
        <Button size="sm" type="submit" busy={state.busy}>
          Skip the slot
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={state.busy}>
          Keep it
        </Button>
      </div>
    </form>
  );
}

function MoveForm({ slot, onCancel, onDone }: { slot: Slot; onCancel(): void; onDone(): void }) {
  const [, move] = useMutation(MoveOfficeHourSlotMutation);
  const [startLocal, setStartLocal] = useState(slot.hostLocalStart.slice(0, 16));
  const [state, setState] = useState<{ busy: boolean; error: string | null; fields: Record<string, string> }>({
    busy: false,
    error: null,
    fields: {},
  });
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!startLocal) {
      setState({ busy: false, error: null, fields: { startLocal: 'Choose the new start.' } });
      return;
    }
    setState({ busy: true, error: null, fields: {} });
    const response = await move({ input: { slotId: slot.id, startLocal } });
    const outcome = hostOutcome(response.data?.moveOfficeHourSlot, response.error, 'slot');
    if (outcome.ok) onDone();
    else setState({ busy: false, error: outcome.message, fields: outcome.fieldErrors });
  }
  return (
    <form className="host-slot__form" aria-label="Move this slot" noValidate onSubmit={(event) => void onSubmit(event)}>
      {state.error && <Alert tone="error">{state.error}</Alert>}
      <TextField
        label={`New start (${slot.hostTimeZone.replaceAll('_', ' ')})`}
        hint="Bookings are kept; each attendee is told the new time"
        type="datetime-local"
        value={startLocal}
        onChange={(event) => setStartLocal(event.target.value)}
        error={state.fields.startLocal}
      />
      <div className="button-row">
        <Button size="sm" type="submit" busy={state.busy}>
          Move the slot
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel} disabled={state.busy}>
          Keep the time
        </Button>
      </div>
    </form>
  );
}
