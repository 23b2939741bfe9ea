import { Button } from '../../ui/button';
import { SelectField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { VISIBILITY, type FieldVisibility } from '../people/labels';
import { WEEKDAYS, type Weekday } from './labels';

// Rows are known to React by a key of their own, so removing one leaves the others (and the focus in
// them) where they are.
let lastRowKey = 0;
export const rowKey = () => `mentoring-row-${++lastRowKey}`;

export interface HoursRow {
  key: string;
  weekday: Weekday;
  start: string;
  end: string;
}

/** A ValidationError's messages by full path ("weeklyHours.0.end") and by top-level field ("weeklyHours"). */
export function errorsByPath(result: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  const fieldErrors = (result as { fieldErrors?: readonly { path: string; message: string }[] } | null)?.fieldErrors;
  for (const { path, message } of fieldErrors ?? []) {
    errors[path] ??= message;
    const root = path.split('.')[0] ?? path;
    errors[root] ??= message;
  }
  return errors;
}

export function VisibilitySelect({
  what,
  value,
  onChange,
}: {
  what: string;
  value: FieldVisibility;
  onChange(value: FieldVisibility): void;
}) {
  return (
    <SelectField
      label={`Who sees your ${what}`}
      value={value}
      onChange={(event) => onChange(event.target.value as FieldVisibility)}
      options={VISIBILITY}
    />
  );
}

export function HoursEditor({
  legend,
  zone,
  rows,
  errors,
  onChange,
}: {
  legend: string;
  zone: string;
  rows: HoursRow[];
  errors: Record<string, string>;
  onChange(rows: HoursRow[]): void;
}) {
  const update = (index: number, patch: Partial<HoursRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="choice-group stack stack--tight">
      <legend className="text-field__label">{legend}</legend>
      <p className="text-field__hint">Local times in {zone}.</p>
      {rows.length === 0 && <p className="small muted">No hours yet.</p>}
      {rows.map((row, index) => (
        <div className="hours-row" key={row.key}>
          <SelectField
            label={`Day of range ${index + 1}`}
            value={row.weekday}
            options={WEEKDAYS}
            onChange={(event) => update(index, { weekday: event.target.value as Weekday })}
          />
          <TextField
            label={`From (range ${index + 1})`}
            type="time"
            value={row.start}
            onChange={(event) => update(index, { start: event.target.value })}
            error={errors[`weeklyHours.${index}.start`]}
          />
          <TextField
            label={`To (range ${index + 1})`}
            type="time"
            value={row.end}
            onChange={(event) => update(index, { end: event.target.value })}
            error={errors[`weeklyHours.${index}.end`]}
          />
          <Button
            variant="ghost"
            size="sm"
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
            aria-label={`Remove range ${index + 1}`}
          >
            Remove
          </Button>
        </div>
      ))}
      {errors.weeklyHours &&
        !rows.some((_, i) => errors[`weeklyHours.${i}.start`] || errors[`weeklyHours.${i}.end`]) && (
          <p className="text-field__error">{errors.weeklyHours}</p>
        )}
      <div>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => onChange([...rows, { key: rowKey(), weekday: 'MONDAY', start: '09:00', end: '12:00' }])}
        >
          Add hours
        </Button>
      </div>
    </fieldset>
  );
}
