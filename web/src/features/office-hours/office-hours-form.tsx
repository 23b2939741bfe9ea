import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import type { ResultOf, VariablesOf } from '../../app/graphql';
import { addDays, parseLocalDateTime, timeZoneNames, todayIn } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { CheckboxGroup, RadioGroup, SelectField, TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { WEEKDAYS, type Weekday } from '../mentorship/labels';
import type { HostSeriesFields, PublishOfficeHoursMutation } from './host.documents';
import { SlotPreview, type ScheduleException } from './slot-preview';
import './hosting.css';

// The one form for publishing and editing office hours. What the host types stays text (a half-typed
// number is not an error yet); it becomes the API's input on submit, and the schedule part of it feeds
// the live preview (the server expands it with the same code that makes the slots).

export type PublishInput = VariablesOf<typeof PublishOfficeHoursMutation>['input'];
type Series = ResultOf<typeof HostSeriesFields>;
type Audience = 'PUBLIC' | 'MEMBERS' | 'GROUPS';

export interface OfficeHoursDraft {
  topic: string;
  description: string;
  timeZone: string;
  repeats: 'ONCE' | 'WEEKLY';
  everyWeeks: string;
  weekdays: Weekday[];
  ends: 'UNTIL' | 'COUNT';
  untilDate: string;
  occurrenceCount: string;
  startDate: string;
  startTime: string;
  durationMinutes: string;
  seats: string;
  where: 'online' | 'place';
  onlineUrl: string;
  location: string;
  audience: Audience;
  groupIds: string[];
  attendeesSeeNames: boolean;
  minimumNoticeMinutes: string;
  bookingWindowDays: string;
  bufferMinutes: string;
  exceptions: ScheduleException[];
}

const WEEKDAY_ORDER: readonly Weekday[] = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
];

function weekdayOf(date: string): Weekday | null {
  try {
    return WEEKDAY_ORDER[Temporal.PlainDate.from(date).dayOfWeek - 1] ?? null;
  } catch {
    return null;
  }
}

export function newDraft(zone: string): OfficeHoursDraft {
  const startDate = addDays(todayIn(zone), 7);
  return {
    topic: '',
    description: '',
    timeZone: zone,
    repeats: 'WEEKLY',
    everyWeeks: '1',
    weekdays: [weekdayOf(startDate) ?? 'MONDAY'],
    ends: 'COUNT',
    untilDate: addDays(startDate, 84),
    occurrenceCount: '8',
    startDate,
    startTime: '17:00',
    durationMinutes: '30',
    seats: '1',
    where: 'online',
    onlineUrl: '',
    location: '',
    audience: 'PUBLIC',
    groupIds: [],
    attendeesSeeNames: false,
    minimumNoticeMinutes: '120',
    bookingWindowDays: '30',
    bufferMinutes: '0',
    exceptions: [],
  };
}

export function draftFromSeries(series: Series): OfficeHoursDraft {
  const recurrence = series.recurrence;
  return {
    topic: series.topic,
    description: series.description,
    timeZone: series.timeZone,
    repeats: recurrence ? 'WEEKLY' : 'ONCE',
    everyWeeks: String(recurrence?.everyWeeks ?? 1),
    weekdays: recurrence ? [...recurrence.weekdays] : [weekdayOf(series.startDate) ?? 'MONDAY'],
    ends: recurrence?.untilDate ? 'UNTIL' : 'COUNT',
    untilDate: recurrence?.untilDate ?? addDays(series.startDate, 84),
    occurrenceCount: String(recurrence?.occurrenceCount ?? 8),
    startDate: series.startDate,
    startTime: series.startTime,
    durationMinutes: String(series.durationMinutes),
    seats: String(series.seats),
    where: series.location && !series.onlineUrl ? 'place' : 'online',
    onlineUrl: series.onlineUrl ?? '',
    location: series.location ?? '',
    audience: series.audience === 'PAIR' ? 'MEMBERS' : series.audience,
    groupIds: series.groups.map((group) => group.id),
    attendeesSeeNames: series.attendeesSeeNames,
    minimumNoticeMinutes: String(series.minimumNoticeMinutes),
    bookingWindowDays: String(series.bookingWindowDays),
    bufferMinutes: String(series.bufferMinutes),
    exceptions: series.exceptions.map((exception) => ({
      occurrenceDate: exception.occurrenceDate,
      kind: exception.kind,
      movedToLocal: exception.movedToLocal ?? null,
    })),
  };
}

const wholeNumber = (text: string): number | null => (/^\d{1,6}$/u.test(text.trim()) ? Number(text.trim()) : null);
const isDate = (text: string) => /^\d{4}-\d{2}-\d{2}$/u.test(text) && parseLocalDateTime(`${text}T00:00`) !== null;
const isTime = (text: string) => /^\d{2}:\d{2}$/u.test(text) && parseLocalDateTime(`2000-01-01T${text}`) !== null;

/** The schedule part of the draft (what the preview and the slots depend on), or null while it is incomplete. */
export function scheduleOf(draft: OfficeHoursDraft) {
  const durationMinutes = wholeNumber(draft.durationMinutes);
  if (!isDate(draft.startDate) || !isTime(draft.startTime) || !durationMinutes) return null;
  let recurrence: PublishInput['recurrence'] = null;
  if (draft.repeats === 'WEEKLY') {
    const everyWeeks = wholeNumber(draft.everyWeeks);
    const occurrenceCount = wholeNumber(draft.occurrenceCount);
    if (!everyWeeks || draft.weekdays.length === 0) return null;
    if (draft.ends === 'UNTIL' && !isDate(draft.untilDate)) return null;
    if (draft.ends === 'COUNT' && !occurrenceCount) return null;
    recurrence = {
      everyWeeks,
      weekdays: WEEKDAY_ORDER.filter((day) => draft.weekdays.includes(day)),
      untilDate: draft.ends === 'UNTIL' ? draft.untilDate : null,
      occurrenceCount: draft.ends === 'COUNT' ? occurrenceCount : null,
    };
  }
  return {
    timeZone: draft.timeZone,
    startDate: draft.startDate,
    startTime: draft.startTime,
    durationMinutes,
    recurrence,
    exceptions: draft.exceptions.map((exception) => ({
      occurrenceDate: exception.occurrenceDate,
      kind: exception.kind,
      movedToLocal: exception.kind === 'MOVE' ? exception.movedToLocal : null,
    })),
  };
}

/** The draft as the API's input, or the fields the browser can already tell are wrong. */
function inputOf(draft: OfficeHoursDraft): { input: PublishInput } | { fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  if (!draft.topic.trim()) fields.topic = 'Say what these office hours are about.';
  if (!isDate(draft.startDate)) fields.startDate = 'Choose the first day.';
  if (!isTime(draft.startTime)) fields.startTime = 'Choose the start time.';
  const duration = wholeNumber(draft.durationMinutes);
  if (!duration) fields.durationMinutes = 'How many minutes each slot lasts.';
  const seats = wholeNumber(draft.seats);
  if (!seats) fields.seats = 'At least one seat.';
  if (draft.repeats === 'WEEKLY') {
    if (!wholeNumber(draft.everyWeeks)) fields.everyWeeks = 'Every how many weeks (1 is weekly).';
    if (draft.weekdays.length === 0) fields.weekdays = 'Choose at least one weekday.';
    if (draft.ends === 'UNTIL' && !isDate(draft.untilDate)) fields.untilDate = 'Choose the last day.';
    if (draft.ends === 'COUNT' && !wholeNumber(draft.occurrenceCount))
      fields.occurrenceCount = 'How many times in all.';
  }
  if (draft.audience === 'GROUPS' && draft.groupIds.length === 0) fields.groupIds = 'Choose at least one group.';
  const schedule = scheduleOf(draft);
  if (Object.keys(fields).length > 0 || !schedule || !seats) return { fields };
  return {
    input: {
      ...schedule,
      topic: draft.topic.trim(),
      description: draft.description.trim(),
      seats,
      onlineUrl: draft.where === 'online' ? draft.onlineUrl.trim() || null : null,
      location: draft.where === 'place' ? draft.location.trim() || null : null,
      audience: draft.audience,
      groupIds: draft.audience === 'GROUPS' ? draft.groupIds : [],
      attendeesSeeNames: draft.attendeesSeeNames,
      minimumNoticeMinutes: wholeNumber(draft.minimumNoticeMinutes) ?? 0,
      bookingWindowDays: wholeNumber(draft.bookingWindowDays) ?? 30,
      bufferMinutes: wholeNumber(draft.bufferMinutes) ?? 0,
    },
  };
}

// Choices for the booking rules; a value saved earlier that is not among them is kept as its own option.
const NOTICE = [
  ['0', 'No minimum'],
  ['30', '30 minutes'],
  ['60', '1 hour'],
  ['120', '2 hours'],
  ['240', '4 hours'],
  ['720', '12 hours'],
  ['1440', '1 day'],
  ['2880', '2 days'],
] as const;
const WINDOW = [
  ['7', '1 week ahead'],
  ['14', '2 weeks ahead'],
  ['30', '30 days ahead'],
  ['60', '60 days ahead'],
  ['90', '90 days ahead'],
  ['180', '6 months ahead'],
  ['365', '1 year ahead'],
] as const;
const BUFFER = [
  ['0', 'None'],
  ['5', '5 minutes'],
  ['10', '10 minutes'],
  ['15', '15 minutes'],
  ['30', '30 minutes'],
  ['60', '1 hour'],
] as const;

function choices(list: readonly (readonly [string, string])[], current: string, unit: string) {
  const options = list.map(([value, label]) => ({ value, label }));
  if (!options.some((option) => option.value === current))
    options.push({ value: current, label: `${current} ${unit}` });
  return options;
}

export interface FormProblem {
  message: string;
  fieldErrors: Record<string, string>;
}

export function OfficeHoursForm({
  initial,
  groups,
  submitLabel,
  busy,
  problem,
  onSubmit,
  children,
}: {
  initial: OfficeHoursDraft;
  groups: readonly { id: string; name: string }[];
  submitLabel: string;
  busy: boolean;
  problem: FormProblem | null;
  onSubmit(input: PublishInput): void;
  children?: ReactNode;
}) {
  const [draft, setDraft] = useState(initial);
  const [localFields, setLocalFields] = useState<Record<string, string>>({});
  const zones = useMemo(() => timeZoneNames(), []);
  const set = <Key extends keyof OfficeHoursDraft>(key: Key, value: OfficeHoursDraft[Key]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    // A field the browser flagged is cleared as soon as it is changed (the server's wait for the next try).
    setLocalFields((current) => {
      if (!(key in current)) return current;
      const { [key]: _changed, ...rest } = current;
      return rest;
    });
  };
  const errors = { ...(problem?.fieldErrors ?? {}), ...localFields };
  const fieldError = (...keys: string[]) => keys.map((key) => errors[key]).find(Boolean);

  function submit(event: FormEvent) {
    event.preventDefault();
    const built = inputOf(draft);
    if ('fields' in built) {
      setLocalFields(built.fields);
      return;
    }
    setLocalFields({});
    onSubmit(built.input);
  }

  const checkedLocally = Object.keys(localFields).length > 0;
  return (
    <form className="office-hours-form" onSubmit={submit} noValidate aria-label="Office hours">
      <div className="office-hours-form__fields card stack">
        {(problem || checkedLocally) && (
          <Alert tone="error">{checkedLocally ? 'Check the highlighted fields.' : problem?.message}</Alert>
        )}
        {children}
        <TextField
          label="Topic"
          hint="What people can come to you about"
          value={draft.topic}
          maxLength={120}
          onChange={(event) => set('topic', event.target.value)}
          error={fieldError('topic')}
        />
        <TextAreaField
          label="Description"
          value={draft.description}
          rows={3}
          maxLength={5000}
          onChange={(event) => set('description', event.target.value)}
          error={fieldError('description')}
        />

        <fieldset className="office-hours-form__group stack stack--tight">
          <legend className="office-hours-form__legend">When</legend>
          <RadioGroup<'ONCE' | 'WEEKLY'>
            legend="Repeats"
            name="repeats"
            value={draft.repeats}
            options={[
              { value: 'ONCE', label: 'Once' },
              { value: 'WEEKLY', label: 'Every week or every few weeks' },
            ]}
            onChange={(value) => set('repeats', value)}
          />
          <div className="office-hours-form__row">
            <TextField
              label={draft.repeats === 'ONCE' ? 'Date' : 'Starting'}
              type="date"
              value={draft.startDate}
              onChange={(event) => {
                const startDate = event.target.value;
                const weekday = weekdayOf(startDate);
                setDraft((current) => ({
                  ...current,
                  startDate,
                  // A one-day pick follows the date; several days are the host's own choice.
                  weekdays: weekday && current.weekdays.length <= 1 ? [weekday] : current.weekdays,
                }));
              }}
              error={fieldError('startDate')}
            />
            <TextField
              label="Start time"
              type="time"
              value={draft.startTime}
              onChange={(event) => set('startTime', event.target.value)}
              error={fieldError('startTime')}
            />
            <TextField
              label="Minutes"
              inputMode="numeric"
              value={draft.durationMinutes}
              onChange={(event) => set('durationMinutes', event.target.value.replace(/\D/gu, '').slice(0, 4))}
              error={fieldError('durationMinutes')}
            />
          </div>
          <SelectField
            label="Time zone"
            hint="The times above are wall-clock times here: 17:00 stays 17:00 across daylight-saving changes"
            value={draft.timeZone}
            onChange={(event) => set('timeZone', event.target.value)}
            options={zones.map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') }))}
            error={fieldError('timeZone')}
          />
          {draft.repeats === 'WEEKLY' && (
            <>
              <div className="office-hours-form__row">
                <TextField
                  label="Every how many weeks"
                  inputMode="numeric"
                  value={draft.everyWeeks}
                  onChange={(event) => set('everyWeeks', event.target.value.replace(/\D/gu, '').slice(0, 2))}
                  error={fieldError('everyWeeks')}
                />
              </div>
              <CheckboxGroup<Weekday>
                legend="On"
                options={WEEKDAYS}
                value={draft.weekdays}
                onChange={(value) => set('weekdays', value)}
              />
              {fieldError('weekdays') && <p className="text-field__error">{fieldError('weekdays')}</p>}
              <RadioGroup<'UNTIL' | 'COUNT'>
                legend="Ends"
                name="ends"
                value={draft.ends}
                options={[
                  { value: 'COUNT', label: 'After a number of times' },
                  { value: 'UNTIL', label: 'On a date' },
                ]}
                onChange={(value) => set('ends', value)}
              />
              {draft.ends === 'COUNT' ? (
                <TextField
                  label="How many times"
                  inputMode="numeric"
                  value={draft.occurrenceCount}
                  onChange={(event) => set('occurrenceCount', event.target.value.replace(/\D/gu, '').slice(0, 3))}
                  error={fieldError('occurrenceCount')}
                />
              ) : (
                <TextField
                  label="Last day"
                  type="date"
                  value={draft.untilDate}
                  onChange={(event) => set('untilDate', event.target.value)}
                  error={fieldError('untilDate')}
                />
              )}
              {fieldError('recurrence') && <p className="text-field__error">{fieldError('recurrence')}</p>}
            </>
          )}
          {fieldError('exceptions') && <p className="text-field__error">{fieldError('exceptions')}</p>}
        </fieldset>

        <fieldset className="office-hours-form__group stack stack--tight">
          <legend className="office-hours-form__legend">Seats and place</legend>
          <TextField
            label="Seats"
            hint="1 for one-to-one sessions, more for a group; when full, members join a waitlist"
            inputMode="numeric"
            value={draft.seats}
            onChange={(event) => set('seats', event.target.value.replace(/\D/gu, '').slice(0, 4))}
            error={fieldError('seats')}
          />
          <RadioGroup<'online' | 'place'>
            legend="Where"
            name="where"
            value={draft.where}
            options={[
              { value: 'online', label: 'Online' },
              { value: 'place', label: 'In person' },
            ]}
            onChange={(value) => set('where', value)}
          />
          {draft.where === 'online' ? (
            <TextField
              label="Online link"
              hint="Only people with a seat (and you) see it"
              type="url"
              inputMode="url"
              placeholder="https://"
              value={draft.onlineUrl}
              onChange={(event) => set('onlineUrl', event.target.value)}
              error={fieldError('onlineUrl')}
            />
          ) : (
            <TextField
              label="Place"
              hint="Only people with a seat (and you) see it"
              value={draft.location}
              maxLength={200}
              onChange={(event) => set('location', event.target.value)}
              error={fieldError('location')}
            />
          )}
        </fieldset>

        <fieldset className="office-hours-form__group stack stack--tight">
          <legend className="office-hours-form__legend">Who can book</legend>
          <RadioGroup<Audience>
            legend="Audience"
            name="audience"
            value={draft.audience}
            options={[
              { value: 'PUBLIC', label: 'Anyone', hint: 'a public page, shareable' },
              { value: 'MEMBERS', label: 'Members' },
              { value: 'GROUPS', label: 'Members of chosen groups' },
            ]}
            onChange={(value) => set('audience', value)}
          />
          {draft.audience === 'GROUPS' &&
            (groups.length === 0 ? (
              <p className="small muted">You aren’t in any group yet: join one first, or choose another audience.</p>
            ) : (
              <CheckboxGroup<string>
                legend="Groups"
                options={groups.map((group) => ({ value: group.id, label: group.name }))}
                value={draft.groupIds}
                onChange={(value) => set('groupIds', value)}
              />
            ))}
          {fieldError('groupIds') && <p className="text-field__error">{fieldError('groupIds')}</p>}
          <label className="office-hours-form__check">
            <input
              type="checkbox"
              checked={draft.attendeesSeeNames}
              onChange={(event) => set('attendeesSeeNames', event.target.checked)}
            />
            <span>Attendees see each other’s names (never their questions or contact details)</span>
          </label>
          <div className="office-hours-form__row">
            <SelectField
              label="Minimum notice"
              value={draft.minimumNoticeMinutes}
              options={choices(NOTICE, draft.minimumNoticeMinutes, 'minutes')}
              onChange={(event) => set('minimumNoticeMinutes', event.target.value)}
              error={fieldError('minimumNoticeMinutes')}
            />
            <SelectField
              label="Bookable up to"
              value={draft.bookingWindowDays}
              options={choices(WINDOW, draft.bookingWindowDays, 'days')}
              onChange={(event) => set('bookingWindowDays', event.target.value)}
              error={fieldError('bookingWindowDays')}
            />
            <SelectField
              label="Gap between your slots"
              value={draft.bufferMinutes}
              options={choices(BUFFER, draft.bufferMinutes, 'minutes')}
              onChange={(event) => set('bufferMinutes', event.target.value)}
              error={fieldError('bufferMinutes')}
            />
          </div>
        </fieldset>
        <div className="button-row">
          <Button type="submit" busy={busy}>
            {submitLabel}
          </Button>
        </div>
      </div>
      <SlotPreview
        schedule={scheduleOf(draft)}
        exceptions={draft.exceptions}
        errors={errors}
        onExceptionsChange={(exceptions) => set('exceptions', exceptions)}
      />
    </form>
  );
}
