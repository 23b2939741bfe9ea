import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { SelectField, TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { groupPath } from '../groups/labels';
import { addDays, localTimeKind, parseLocalDateTime, timeZoneNames, todayIn } from '../../lib/time';
import { CreateEventMutation, EventGroupQuery } from './documents';
import { eventPath } from './event-link';
import { formatEventRange, viewerTimeZone, zonedLocalToUtc } from './event-time';
import './events.css';

function nextEvening(zone: string): { start: string; end: string } {
  const day = addDays(todayIn(zone), 7);
  return { start: `${day}T18:00`, end: `${day}T20:00` };
}

// A local time the zone skips or repeats (a DST change) is read by the one rule of lib/time; say so.
function dstNote(local: string, zone: string): string | null {
  if (!parseLocalDateTime(local)) return null;
  const kind = localTimeKind(local, zone);
  const time = local.slice(11, 16);
  if (kind === 'skipped')
    return `${time} does not exist that day in ${zone} (the clocks go forward); it is read as the time after the change.`;
  if (kind === 'repeated')
    return `${time} happens twice that day in ${zone} (the clocks go back); the first one is used.`;
  return null;
}

export function CreateEventPage() {
  const { slug = '' } = useParams();
  const navigate = useNavigate();
  const [result] = useQuery({ query: EventGroupQuery, variables: { slug } });
  const group = result.data?.group;
  usePageTitle(group ? `New event in ${group.name}` : 'New event');
  const [, create] = useMutation(CreateEventMutation);
  const zones = useMemo(() => timeZoneNames(), []);
  const initialZone = viewerTimeZone();
  const [timeZone, setTimeZone] = useState(initialZone);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [times, setTimes] = useState(() => nextEvening(initialZone));
  const [mode, setMode] = useState<'place' | 'online'>('place');
  const [location, setLocation] = useState('');
  const [onlineUrl, setOnlineUrl] = useState('');
  const [capacity, setCapacity] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);

  const startsAt = zonedLocalToUtc(times.start, timeZone);
  const endsAt = zonedLocalToUtc(times.end, timeZone);
  const preview =
    startsAt && endsAt && new Date(endsAt) > new Date(startsAt) ? formatEventRange(startsAt, endsAt, timeZone) : null;
  const notes = [dstNote(times.start, timeZone), dstNote(times.end, timeZone)].filter((note) => note !== null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!group) return;
    const fields: Record<string, string> = {};
    if (!title.trim()) fields.title = 'Give the event a title.';
    if (!startsAt) fields.startsAt = 'Choose when it starts.';
    if (!endsAt || (startsAt && new Date(endsAt) <= new Date(startsAt))) fields.endsAt = 'It must end after it starts.';
    if (Object.keys(fields).length > 0 || !startsAt || !endsAt) {
      setError({ message: 'Check the highlighted fields.', fields });
      return;
    }
    setBusy(true);
    setError(null);
    const response = await create({
      input: {
        groupId: group.id,
        title: title.trim(),
        description: description.trim(),
        startsAt,
        endsAt,
        timeZone,
        location: mode === 'place' ? location.trim() || null : null,
        onlineUrl: mode === 'online' ? onlineUrl.trim() || null : null,
        capacity: capacity.trim() ? Number(capacity) : null,
      },
    });
    setBusy(false);
    const outcome = outcomeOf(response.data?.createEvent, response.error, 'EventPayload');
    if (outcome.ok) await navigate(eventPath(outcome.value.event.id));
    else setError({ message: outcome.message, fields: outcome.fieldErrors });
  }

  if (!result.data) return <p className="loading">Loading…</p>;
  if (!group) return <p>This group doesn’t exist, or you can’t see it.</p>;
  if (!group.viewerPermissions.createEvents) {
    return (
      <div className="page">
        <h1 className="page-header__title">New event</h1>
        <p className="muted">Only the group’s admins and moderators can create events.</p>
        <Link to={groupPath(group.slug)}>Back to {group.name}</Link>
      </div>
    );
  }

  const fieldError = (field: string) => error?.fields[field];
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="eyebrow">
            <Link to={groupPath(group.slug)}>{group.name}</Link>
          </p>
          <h1 className="page-header__title">New event</h1>
        </div>
      </header>
      <form className="event-form card" onSubmit={(event) => void onSubmit(event)} noValidate>
        {error && <Alert tone="error">{error.message}</Alert>}
        <TextField
          label="Title"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          maxLength={120}
          required
          error={fieldError('title')}
        />
        <TextAreaField
          label="Description"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          maxLength={5000}
          rows={4}
          error={fieldError('description')}
        />
        <div className="event-form__times">
          <TextField
            label="Starts"
            type="datetime-local"
            value={times.start}
            onChange={(event) => setTimes({ ...times, start: event.target.value })}
            required
            error={fieldError('startsAt')}
          />
          <TextField
            label="Ends"
            type="datetime-local"
            value={times.end}
            onChange={(event) => setTimes({ ...times, end: event.target.value })}
            required
            error={fieldError('endsAt')}
          />
          <SelectField
            label="Time zone"
            hint="The times above are in this zone"
            value={timeZone}
            onChange={(event) => setTimeZone(event.target.value)}
            options={zones.map((zone) => ({ value: zone, label: zone }))}
            error={fieldError('timeZone')}
          />
        </div>
        {notes.map((note) => (
          <p key={note} className="small muted">
            {note}
          </p>
        ))}
        {preview && <p className="small muted">Members will see: {preview}</p>}
        <SelectField
          label="Where"
          value={mode}
          onChange={(event) => setMode(event.target.value as 'place' | 'online')}
          options={[
            { value: 'place', label: 'In person' },
            { value: 'online', label: 'Online' },
          ]}
        />
        {mode === 'place' ? (
          <TextField
            label="Place"
            hint="Venue and address"
            value={location}
            onChange={(event) => setLocation(event.target.value)}
            maxLength={200}
            error={fieldError('location')}
          />
        ) : (
          <TextField
            label="Online link"
            type="url"
            inputMode="url"
            placeholder="https://"
            value={onlineUrl}
            onChange={(event) => setOnlineUrl(event.target.value)}
            error={fieldError('onlineUrl')}
          />
        )}
        <TextField
          label="Seats (optional)"
          hint="Leave empty for no limit; when full, people join a waitlist"
          inputMode="numeric"
          value={capacity}
          onChange={(event) => setCapacity(event.target.value.replace(/\D/gu, '').slice(0, 5))}
          error={fieldError('capacity')}
        />
        <div className="row">
          <Button type="submit" busy={busy}>
            Create event
          </Button>
        </div>
      </form>
    </div>
  );
}
