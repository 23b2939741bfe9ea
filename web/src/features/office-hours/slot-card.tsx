import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type CombinedError, useMutation } from 'urql';
import { readFragment, type FragmentOf } from '../../app/graphql';
import { formatDateTime, formatFullDateTime, formatRelative } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import {
  AcceptOfferMutation,
  BookOfficeHourSlotMutation,
  CancelBookingMutation,
  DeclineOfferMutation,
  JoinWaitlistMutation,
  LeaveWaitlistMutation,
  SlotCardFields,
} from './documents';
import { outcome } from './errors';
import { ordinal, seatsWords, slotTimes, viewerTimeZone } from './slot-time';

export type SlotData = FragmentOf<typeof SlotCardFields>;

const QUESTION_LIMIT = 1000;
const BOOKED_NOTICE = 'Seat booked. You’ll be reminded before it starts.';

// Links are host-supplied: only http(s) becomes clickable.
function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Where the session happens, for the booked attendee (the server sends it to them and the host only). */
export function PlaceLine({ onlineUrl, location }: { onlineUrl: string | null; location: string | null }) {
  const href = onlineUrl ? safeHref(onlineUrl) : undefined;
  if (!onlineUrl && !location) return null;
  return (
    <p className="oh-place">
      {onlineUrl && (
        <span>
          Online:{' '}
          {href ? (
            <a href={href} target="_blank" rel="noopener noreferrer">
              {onlineUrl}
            </a>
          ) : (
            onlineUrl
          )}
        </span>
      )}
      {onlineUrl && location && ' · '}
      {location && <span>Place: {location}</span>}
    </p>
  );
}

/** Clock-change warnings for this slot, from the server (host's or viewer's zone). */
export function TimeZoneNotes({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul className="oh-notes">
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}

type Mode = 'idle' | 'book' | 'waitlist' | 'confirm-cancel';

// One slot with everything the viewer can do about it: book (with an optional question), cancel, add to
// a calendar, join or leave the waitlist, accept or decline an offered seat; or why not, in words.
export function SlotCard({
  slot: data,
  topic,
  viewerIsHost,
  signedIn,
  signInHref,
  focusOnMount = false,
  onChanged,
}: {
  slot: SlotData;
  topic: string;
  viewerIsHost: boolean;
  signedIn: boolean;
  signInHref: string;
  /** Picked from the week: move focus here so keyboard and screen-reader users land on it. */
  focusOnMount?: boolean;
  onChanged(): void;
}) {
  const slot = readFragment(SlotCardFields, data);
  const [mode, setMode] = useState<Mode>('idle');
  const [question, setQuestion] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, book] = useMutation(BookOfficeHourSlotMutation);
  const [, cancelBooking] = useMutation(CancelBookingMutation);
  const [, joinWaitlist] = useMutation(JoinWaitlistMutation);
  const [, leaveWaitlist] = useMutation(LeaveWaitlistMutation);
  const [, acceptOffer] = useMutation(AcceptOfferMutation);
  const [, declineOffer] = useMutation(DeclineOfferMutation);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: on mount only (the card is keyed by slot)
  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, []);

  const times = slotTimes(slot.startsAt, slot.endsAt, slot.hostTimeZone, viewerTimeZone());
  const booking = slot.viewerBooking?.status === 'BOOKED' ? slot.viewerBooking : null;
  const entry =
    slot.viewerWaitlistEntry &&
    (slot.viewerWaitlistEntry.status === 'WAITING' || slot.viewerWaitlistEntry.status === 'OFFERED')
      ? slot.viewerWaitlistEntry
      : null;
  // A notice belongs to the state it announced: a later change (an offer arriving live) hides it.
  const stateKey = `${booking?.id ?? ''}|${entry?.status ?? ''}|${slot.state}`;
  const noticeState = useRef<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    if (noticeState.current === null) noticeState.current = stateKey;
    else if (noticeState.current !== stateKey) setNotice(null);
  }, [notice, stateKey]);
  const cancelledForMe = slot.viewerBooking?.status === 'CANCELLED' && slot.viewerBooking.cancelledByHost;

  async function settle(
    response: Promise<{ data?: unknown; error?: CombinedError | undefined }>,
    field: string,
    success: string,
  ) {
    setBusy(true);
    setError(null);
    setNotice(null);
    const answer = await response;
    setBusy(false);
    const result = (answer.data as Record<string, { __typename: string } | null> | undefined)?.[field];
    const settled = outcome(result, answer.error);
    if (!settled.ok) {
      setError(settled.message);
      // The slot changed under the viewer (full, cancelled, offer gone): show it as it is now.
      onChanged();
      return;
    }
    setMode('idle');
    setQuestion('');
    noticeState.current = null;
    setNotice(success);
    onChanged();
  }

  function submitQuestion(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = question.trim();
    const input = { slotId: slot.id, question: text === '' ? null : text };
    if (mode === 'book') void settle(book({ input }), 'bookOfficeHourSlot', BOOKED_NOTICE);
    else void settle(joinWaitlist({ input }), 'joinOfficeHoursWaitlist', 'You’re on the waitlist.');
  }

  let state: ReactNode;
  if (slot.state === 'CANCELLED') {
    state = (
      <p className="oh-state oh-state--cancelled">
        {cancelledForMe ? 'The host cancelled this slot and your booking with it.' : 'The host cancelled this slot.'}
      </p>
    );
  } else if (booking) {
    state = (
      <div className="stack stack--tight">
        <p className="oh-state oh-state--booked">You’re booked.</p>
        {booking.question && <p className="small muted">Your question: {booking.question}</p>}
        <PlaceLine onlineUrl={slot.onlineUrl} location={slot.location} />
        {slot.state !== 'PAST' && (
          <div className="row">
            <a className="button button--secondary button--sm" href={booking.calendarUrl} download>
              Add to calendar (.ics)
            </a>
            {mode === 'confirm-cancel' ? (
              <>
                <Button
                  size="sm"
                  variant="primary"
                  busy={busy}
                  onClick={() =>
                    void settle(
                      cancelBooking({ input: { bookingId: booking.id } }),
                      'cancelBooking',
                      'Your booking is cancelled.',
                    )
                  }
                >
                  Yes, cancel my seat
                </Button>
                <Button size="sm" variant="ghost" onClick={() => setMode('idle')}>
                  Keep it
                </Button>
              </>
            ) : (
              <Button size="sm" variant="ghost" onClick={() => setMode('confirm-cancel')}>
                Cancel booking
              </Button>
            )}
          </div>
        )}
      </div>
    );
  } else if (entry?.status === 'OFFERED') {
    const deadline = entry.offerExpiresAt;
    state = (
      <div className="stack stack--tight">
        <p className="oh-state oh-state--offered">
          A seat freed up and it’s yours if you accept
          {deadline && (
            <>
              {' '}
              before <time dateTime={deadline}>{formatDateTime(deadline)}</time> ({formatRelative(deadline)})
            </>
          )}
          .
        </p>
        <div className="row">
          <Button
            size="sm"
            busy={busy}
            onClick={() =>
              void settle(acceptOffer({ input: { entryId: entry.id } }), 'acceptWaitlistOffer', BOOKED_NOTICE)
            }
          >
            Accept the seat
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={busy}
            onClick={() =>
              void settle(
                declineOffer({ input: { entryId: entry.id } }),
                'declineWaitlistOffer',
                'You declined the seat; it goes to the next person in line.',
              )
            }
          >
            Decline
          </Button>
        </div>
      </div>
    );
  } else if (entry) {
    state = (
      <div className="stack stack--tight">
        <p className="oh-state oh-state--waiting">
          {entry.position ? `You’re ${ordinal(entry.position)} on the waitlist.` : 'You’re on the waitlist.'} If a seat
          frees up you’ll be offered it, with a notification and an email.
        </p>
        <div className="row">
          <Button
            size="sm"
            variant="ghost"
            busy={busy}
            onClick={() =>
              void settle(
                leaveWaitlist({ input: { entryId: entry.id } }),
                'leaveOfficeHoursWaitlist',
                'You left the waitlist.',
              )
            }
          >
            Leave the waitlist
          </Button>
        </div>
      </div>
    );
  } else if (slot.state === 'PAST') {
    state = <p className="oh-state muted">This slot has passed.</p>;
  } else if (viewerIsHost) {
    state = (
      <p className="oh-state">
        This is your own slot. <Link to="/office-hours/manage">Manage your office hours</Link>
      </p>
    );
  } else if (!signedIn) {
    state = (
      <div className="row">
        <ButtonLink to={signInHref} size="sm">
          Sign in to book
        </ButtonLink>
      </div>
    );
  } else if (mode === 'book' || mode === 'waitlist') {
    state = (
      <form className="stack stack--tight" aria-labelledby={headingId} onSubmit={submitQuestion}>
        <TextAreaField
          label="Your question (optional)"
          hint={
            mode === 'book'
              ? 'Only the host reads it, to prepare.'
              : 'Only the host reads it. It’s kept if you get a seat.'
          }
          rows={3}
          maxLength={QUESTION_LIMIT}
          value={question}
          onChange={(event) => setQuestion(event.target.value)}
        />
        <div className="row">
          <Button type="submit" size="sm" busy={busy}>
            {mode === 'book' ? 'Book this seat' : 'Join the waitlist'}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setMode('idle')}>
            Back
          </Button>
        </div>
      </form>
    );
  } else if (slot.viewerCanBook) {
    state = (
      <div className="row">
        <Button size="sm" onClick={() => setMode('book')}>
          Book
        </Button>
      </div>
    );
  } else if (slot.state === 'FULL') {
    state = (
      <div className="stack stack--tight">
        <p className="oh-state">Every seat is taken.</p>
        <div className="row">
          <Button size="sm" variant="secondary" onClick={() => setMode('waitlist')}>
            Join the waitlist
          </Button>
        </div>
      </div>
    );
  } else {
    state = <p className="oh-state muted">{slot.viewerBookingBlocker ?? 'You can’t book this slot.'}</p>;
  }

  return (
    <article className={`card oh-slot-card oh-slot-card--${slot.state.toLowerCase()}`} aria-labelledby={headingId}>
      <h3 className="oh-slot-card__title" id={headingId} ref={heading} tabIndex={-1}>
        {times.viewerWithDay}
      </h3>
      <p className="oh-slot-card__meta">
        {times.host && <span>{times.host} · </span>}
        <span>{topic}</span>
      </p>
      <p className="oh-slot-card__meta" title={formatFullDateTime(slot.startsAt)}>
        {slot.state === 'CANCELLED' ? 'Cancelled' : seatsWords(slot.seatsLeft, slot.seats)}
      </p>
      {slot.attendees.length > 0 && (
        <p className="small muted">Booked: {slot.attendees.map((person) => person.name).join(', ')}</p>
      )}
      {state}
      {notice && (
        <p className="oh-notice" role="status">
          {notice}
        </p>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      <TimeZoneNotes notes={slot.timeZoneNotes} />
    </article>
  );
}
