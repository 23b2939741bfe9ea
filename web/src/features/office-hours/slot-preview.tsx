import { useMemo, useState } from 'react';
import { type CombinedError, useQuery } from 'urql';
import type { VariablesOf } from '../../app/graphql';
import { describeRequestError } from '../../app/request-error';
import { formatDate, formatDateTime, formatTime, localToInstantOrNull, viewerTimeZone } from '../../lib/time';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { OfficeHoursPreviewQuery } from './host.documents';

// The next slots of the series being written, as the server will make them (officeHoursPreview runs
// the same expansion), in the series' zone and the viewer's when it differs. A slot the zone's clock
// change moved is flagged with the server's explanation. One occurrence can be skipped or moved here:
// that becomes an exception of the series.

export interface ScheduleException {
  occurrenceDate: string;
  kind: 'SKIP' | 'MOVE';
  movedToLocal: string | null;
}

type Schedule = VariablesOf<typeof OfficeHoursPreviewQuery>['input'];

// 'YYYY-MM-DD' as a day in words, without letting any zone shift it.
const dayWords = (date: string) => formatDate(`${date}T12:00:00Z`, { timeZone: 'UTC', withYear: true });

function localWords(local: string, zone: string): string {
  const instant = localToInstantOrNull(local, zone);
  return instant ? formatDateTime(instant, { timeZone: zone, withYear: true }) : local.replace('T', ' ');
}

// The preview refuses a schedule the form would refuse (a last day before the first…): say what, when
// the server says it, rather than "something went wrong".
function previewProblem(error: CombinedError): string {
  if (error.networkError) return describeRequestError(error);
  const messages = error.graphQLErrors
    .filter((graphQLError) => graphQLError.extensions.code === 'VALIDATION')
    .map((graphQLError) => graphQLError.message);
  return messages.length > 0
    ? `No preview yet: ${messages.join(' ')}`
    : 'No preview for these settings yet: check the dates, the weekdays and the length.';
}

export function SlotPreview({
  schedule,
  exceptions,
  errors,
  onExceptionsChange,
}: {
  schedule: Schedule | null;
  exceptions: readonly ScheduleException[];
  /** The form's field errors by full path ("exceptions.0.occurrenceDate"). */
  errors: Record<string, string>;
  onExceptionsChange(exceptions: ScheduleException[]): void;
}) {
  const viewerZone = viewerTimeZone();
  // One request once the host stops typing, not one per keystroke.
  const key = useDebouncedValue(schedule ? JSON.stringify(schedule) : null, 400);
  const variables = useMemo(() => ({ input: key ? (JSON.parse(key) as Schedule) : ({} as Schedule) }), [key]);
  const [result] = useQuery({ query: OfficeHoursPreviewQuery, variables, pause: !key });
  const [moving, setMoving] = useState<string | null>(null);
  const [movedTo, setMovedTo] = useState('');
  const zone = schedule?.timeZone ?? viewerZone;
  const showViewer = zone !== viewerZone;
  const slots = key ? (result.data?.officeHoursPreview ?? []) : [];
  const stale = key !== (schedule ? JSON.stringify(schedule) : null) || result.fetching;

  const put = (exception: ScheduleException) =>
    onExceptionsChange([...exceptions.filter((other) => other.occurrenceDate !== exception.occurrenceDate), exception]);
  const remove = (occurrenceDate: string) =>
    onExceptionsChange(exceptions.filter((other) => other.occurrenceDate !== occurrenceDate));

  return (
    <aside className="slot-preview card stack" aria-labelledby="slot-preview-title" aria-busy={stale || undefined}>
      <div className="card__header">
        <h2 className="card__title" id="slot-preview-title">
          Next slots
        </h2>
        {stale && key && <span className="small muted">Updating…</span>}
      </div>
      <p className="small muted">
        In {zone.replaceAll('_', ' ')}
        {showViewer && <> · yours in {viewerZone.replaceAll('_', ' ')}</>}
      </p>
      {!schedule && <p className="muted">Fill in the date, time and length to see the slots.</p>}
      {schedule && result.error && <p className="text-field__error">{previewProblem(result.error)}</p>}
      {schedule && !result.error && result.data && slots.length === 0 && !stale && (
        <p className="muted">No slots: check the dates and the weekdays.</p>
      )}
      {slots.length > 0 && (
        <ol className="slot-preview__list">
          {slots.map((slot) => {
            const occurrenceDate = slot.occurrenceDate ?? slot.hostLocalStart.slice(0, 10);
            return (
              <li
                key={`${occurrenceDate}-${slot.startsAt}`}
                className={['slot-preview__item', slot.adjustmentNote ? 'slot-preview__item--adjusted' : null]
                  .filter(Boolean)
                  .join(' ')}
                data-occurrence={occurrenceDate}
              >
                <p className="slot-preview__time">
                  <strong>
                    {formatDateTime(slot.startsAt, { timeZone: zone })}–{formatTime(slot.endsAt, { timeZone: zone })}
                  </strong>
                  {slot.moved && <span className="tag tag--primary">Moved</span>}
                  {slot.adjustmentNote && <span className="tag tag--warning">Adjusted</span>}
                </p>
                {showViewer && (
                  <p className="small muted">
                    Your time: {formatDateTime(slot.startsAt, { timeZone: viewerZone })}–
                    {formatTime(slot.endsAt, { timeZone: viewerZone })}
                  </p>
                )}
                {slot.adjustmentNote && <p className="small slot-preview__note">{slot.adjustmentNote}</p>}
                {moving === occurrenceDate ? (
                  <form
                    className="slot-preview__move"
                    aria-label={`Move the ${dayWords(occurrenceDate)} slot`}
                    onSubmit={(event) => {
                      event.preventDefault();
                      if (!movedTo) return;
                      put({ occurrenceDate, kind: 'MOVE', movedToLocal: movedTo });
                      setMoving(null);
                    }}
                  >
                    <TextField
                      label={`New start (${zone.replaceAll('_', ' ')})`}
                      type="datetime-local"
                      value={movedTo}
                      onChange={(event) => setMovedTo(event.target.value)}
                    />
                    <div className="button-row">
                      <Button size="sm" type="submit">
                        Move it
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => setMoving(null)}>
                        Keep it
                      </Button>
                    </div>
                  </form>
                ) : (
                  <div className="button-row">
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => put({ occurrenceDate, kind: 'SKIP', movedToLocal: null })}
                      aria-label={`Skip ${dayWords(occurrenceDate)}`}
                    >
                      Skip
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => {
                        setMoving(occurrenceDate);
                        setMovedTo(slot.hostLocalStart.slice(0, 16));
                      }}
                      aria-label={`Move ${dayWords(occurrenceDate)}`}
                    >
                      Move
                    </Button>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {exceptions.length > 0 && (
        <div className="stack stack--tight">
          <h3 className="slot-preview__subtitle">Changes to single days</h3>
          <ul className="plain-list slot-preview__exceptions">
            {exceptions
              .map((exception, index) => ({
                exception,
                error: errors[`exceptions.${index}.occurrenceDate`] ?? errors[`exceptions.${index}.movedToLocal`],
              }))
              .sort((a, b) => a.exception.occurrenceDate.localeCompare(b.exception.occurrenceDate))
              .map(({ exception, error }) => (
                <li key={exception.occurrenceDate}>
                  <span>
                    {exception.kind === 'SKIP'
                      ? `Skipped: ${dayWords(exception.occurrenceDate)}`
                      : `Moved: ${dayWords(exception.occurrenceDate)} → ${localWords(exception.movedToLocal ?? '', zone)}`}
                  </span>{' '}
                  <button type="button" className="text-button" onClick={() => remove(exception.occurrenceDate)}>
                    {exception.kind === 'SKIP' ? 'Restore' : 'Undo'}
                  </button>
                  {error && <p className="text-field__error">{error}</p>}
                </li>
              ))}
          </ul>
        </div>
      )}
    </aside>
  );
}
