import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { describeRequestError } from '../../app/request-error';
import { formatDate } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { CopyButton } from '../../ui/copy-button';
import { SelectField } from '../../ui/fields';
import { usePageTitle } from '../../ui/use-page-title';
import {
  CalendarSettingsQuery,
  CreateCalendarFeedMutation,
  RevokeCalendarFeedMutation,
  SetReminderLeadTimesMutation,
} from './documents';
import { outcome } from './errors';
import { formatMinutes } from './slot-time';
import './office-hours.css';

const MAX_REMINDERS = 3;
const DEFAULT_LEADS = [1440, 60];
// Between 5 minutes and 7 days, as the server allows.
const LEAD_CHOICES = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 4320, 10080];

// '24 h before' rather than '1 day before': reminders are thought of in hours up to a day.
function leadLabel(minutes: number): string {
  if (minutes <= 1440 && minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h before`;
  return `${formatMinutes(minutes)} before`;
}

function leadOptions(current: number) {
  const values = LEAD_CHOICES.includes(current) ? LEAD_CHOICES : [...LEAD_CHOICES, current].sort((a, b) => a - b);
  return values.map((value) => ({ value: String(value), label: leadLabel(value) }));
}

function CalendarFeedCard({ createdAt, onChanged }: { createdAt: string | null; onChanged(): void }) {
  const [, create] = useMutation(CreateCalendarFeedMutation);
  const [, revoke] = useMutation(RevokeCalendarFeedMutation);
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState<'create' | 'revoke' | null>(null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const addressRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (url) addressRef.current?.select();
  }, [url]);

  async function createFeed() {
    setBusy('create');
    setMessage(null);
    const response = await create({});
    setBusy(null);
    const made = response.data?.createCalendarFeed;
    if (!made) {
      setMessage({ tone: 'error', text: describeRequestError(response.error) });
      return;
    }
    setUrl(made.url);
    onChanged();
  }

  async function revokeFeed() {
    setBusy('revoke');
    setMessage(null);
    const response = await revoke({});
    setBusy(null);
    setConfirmRevoke(false);
    if (!response.data?.revokeCalendarFeed) {
      setMessage({ tone: 'error', text: describeRequestError(response.error) });
      return;
    }
    setUrl(null);
    setMessage({ tone: 'success', text: 'Your calendar address is turned off. Calendars using it get nothing more.' });
    onChanged();
  }

  return (
    <section className="card stack" aria-labelledby="oh-feed-title">
      <h2 className="card__title" id="oh-feed-title">
        Private calendar address
      </h2>
      <p className="muted">
        Subscribe to it in your calendar app to see your bookings, the slots you host, your event answers and your
        mentorship sessions, kept up to date. Anyone with the address can read it: keep it to yourself.
      </p>
      {url && (
        <div className="stack stack--tight oh-feed-url">
          <label className="text-field__label" htmlFor="oh-feed-address">
            Your calendar address
          </label>
          <div className="row">
            <input
              id="oh-feed-address"
              ref={addressRef}
              className="text-field__input oh-feed-url__input"
              readOnly
              value={url}
              onFocus={(event) => event.target.select()}
            />
            <CopyButton text={url} label="Copy address" />
          </div>
          <p className="small" role="status">
            This is the only time it’s shown. Copy it now; if you lose it, make a new one.
          </p>
        </div>
      )}
      {!url && createdAt && (
        <p>
          You have a calendar address, made on {formatDate(createdAt, { withYear: true })}. For your privacy it’s shown
          only once; make a new one if you need it again.
        </p>
      )}
      {!url && !createdAt && <p>You don’t have a calendar address yet.</p>}
      <div className="row">
        <Button
          variant={createdAt ? 'secondary' : 'primary'}
          busy={busy === 'create'}
          onClick={() => void createFeed()}
        >
          {createdAt || url ? 'Make a new address' : 'Create calendar address'}
        </Button>
        {(createdAt || url) &&
          (confirmRevoke ? (
            <>
              <Button variant="primary" busy={busy === 'revoke'} onClick={() => void revokeFeed()}>
                Yes, turn it off
              </Button>
              <Button variant="ghost" onClick={() => setConfirmRevoke(false)}>
                Keep it
              </Button>
            </>
          ) : (
            <Button variant="ghost" onClick={() => setConfirmRevoke(true)}>
              Turn off the address
            </Button>
          ))}
      </div>
      {(createdAt || url) && (
        <p className="small muted">
          A new address replaces the old one at once: calendars using the old one stop updating.
        </p>
      )}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
    </section>
  );
}

function RemindersCard({ saved }: { saved: readonly number[] }) {
  const [leads, setLeads] = useState<number[]>([...saved]);
  const [, save] = useMutation(SetReminderLeadTimesMutation);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const minutes = [...new Set(leads)].sort((a, b) => b - a);
    const response = await save({ input: { minutes } });
    setBusy(false);
    const settled = outcome(response.data?.setReminderLeadTimes, response.error);
    if (!settled.ok) setMessage({ tone: 'error', text: settled.message });
    else {
      setLeads(minutes);
      setMessage({
        tone: 'success',
        text:
          minutes.length === 0 ? 'Saved. You’ll get no reminders.' : 'Saved. Your upcoming bookings use these times.',
      });
    }
  }

  return (
    <form className="card stack" aria-labelledby="oh-reminders-title" onSubmit={(event) => void submit(event)}>
      <h2 className="card__title" id="oh-reminders-title">
        Reminders
      </h2>
      <p className="muted">
        Before each booked session you get a notification and an email. Choose up to {MAX_REMINDERS} times; a booking
        made closer than one of them is reminded at once.
      </p>
      {leads.length === 0 && <p>No reminders.</p>}
      <ul className="plain-list stack stack--tight">
        {leads.map((lead, index) => (
          // Index keys: the rows are positions in a short list the member edits in place.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={index} className="row oh-reminder-row">
            <SelectField
              label={`Reminder ${index + 1}`}
              options={leadOptions(lead)}
              value={String(lead)}
              onChange={(event) =>
                setLeads(leads.map((value, i) => (i === index ? Number(event.target.value) : value)))
              }
            />
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Remove reminder ${index + 1}`}
              onClick={() => setLeads(leads.filter((_, i) => i !== index))}
            >
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <div className="row">
        {leads.length < MAX_REMINDERS && (
          <Button
            variant="secondary"
            size="sm"
            onClick={() => setLeads([...leads, DEFAULT_LEADS.find((value) => !leads.includes(value)) ?? 30])}
          >
            Add a reminder
          </Button>
        )}
        <Button type="submit" busy={busy}>
          Save reminders
        </Button>
      </div>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
    </form>
  );
}

// /settings/calendar — the private calendar feed (made, replaced, turned off; its address shown once)
// and the reminder lead times.
export function CalendarSettingsPage() {
  usePageTitle('Calendar and reminders');
  const [result, refetch] = useQuery({ query: CalendarSettingsQuery, requestPolicy: 'cache-and-network' });
  const viewer = result.data?.viewer;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="eyebrow">
            <Link to="/bookings">My bookings</Link>
          </p>
          <h1 className="page-header__title">Calendar and reminders</h1>
          <p className="page-header__lead">Your office-hours bookings in your own calendar, and when to be reminded.</p>
        </div>
      </header>
      {result.error && !viewer && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!viewer && !result.error && <p className="loading">Loading…</p>}
      {viewer && (
        <div className="stack oh-settings">
          <CalendarFeedCard
            createdAt={viewer.calendarFeed?.createdAt ?? null}
            onChanged={() => refetch({ requestPolicy: 'network-only' })}
          />
          <RemindersCard saved={viewer.reminderLeadMinutes} />
        </div>
      )}
    </div>
  );
}
