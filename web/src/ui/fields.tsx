import { useId, type ReactNode, type Ref, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import './text-field.css';
import './fields.css';

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function FieldFrame({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  children: ReactNode;
}) {
  return (
    <div className={['text-field', error ? 'text-field--invalid' : null].filter(Boolean).join(' ')}>
      <label className="text-field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="text-field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p className="text-field__error" id={`${id}-error`}>
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: string;
  error?: string | null | undefined;
  ref?: Ref<HTMLTextAreaElement>;
}

export function TextAreaField({ label, hint, error, ref, ...rest }: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <textarea
        rows={4}
        {...rest}
        ref={ref}
        id={id}
        className="text-field__input text-field__input--area"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </FieldFrame>
  );
}

export interface SelectOption {
  value: string;
  label: string;
  /** Options that follow each other with the same group are shown under it (an <optgroup>). */
  group?: string;
}

/** The options in runs of the same group, in order (a run without a group stays ungrouped). */
function optionRuns(options: readonly SelectOption[]): Array<{ group: string | undefined; options: SelectOption[] }> {
  const runs: Array<{ group: string | undefined; options: SelectOption[] }> = [];
  for (const option of options) {
    const last = runs.at(-1);
    if (last && last.group === option.group) last.options.push(option);
    else runs.push({ group: option.group, options: [option] });
  }
  return runs;
}

function renderOption(option: SelectOption) {
  return (
    <option key={option.value} value={option.value}>
      {option.label}
    </option>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: string;
  hint?: string;
  error?: string | null | undefined;
  options: readonly SelectOption[];
}

export function SelectField({ label, hint, error, options, ...rest }: SelectFieldProps) {
  const id = useId();
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      <select
        {...rest}
        id={id}
        className="text-field__input select-field__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {optionRuns(options).map((run) =>
          run.group === undefined ? (
            run.options.map(renderOption)
          ) : (
            // Keyed by its first option's value: two groups may be called alike, option values are unique.
            <optgroup key={`group:${run.options[0]?.value}`} label={run.group}>
              {run.options.map(renderOption)}
            </optgroup>
          ),
        )}
      </select>
    </FieldFrame>
  );
}

interface CheckboxGroupProps<Value extends string> {
  legend: string;
  options: readonly { value: Value; label: string }[];
  value: readonly Value[];
  onChange(value: Value[]): void;
  className?: string;
}

// A fieldset of chips: each is a real checkbox, so keyboard and screen readers get native behaviour.
export function CheckboxGroup<Value extends string>({
  legend,
  options,
  value,
  onChange,
  className,
}: CheckboxGroupProps<Value>) {
  return (
    <fieldset className={['choice-group', className].filter(Boolean).join(' ')}>
      <legend className="text-field__label">{legend}</legend>
      <div className="choice-group__options">
        {options.map((option) => {
          const checked = value.includes(option.value);
          return (
            <label key={option.value} className="chip-choice">
              <input
                type="checkbox"
                checked={checked}
                onChange={() => onChange(checked ? value.filter((v) => v !== option.value) : [...value, option.value])}
              />
              <span>{option.label}</span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}

interface RadioGroupProps<Value extends string> {
  legend: string;
  name: string;
  options: readonly { value: Value; label: string; hint?: string }[];
  value: Value;
  onChange(value: Value): void;
  className?: string;
}

export function RadioGroup<Value extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  className,
}: RadioGroupProps<Value>) {
  return (
    <fieldset className={['choice-group', className].filter(Boolean).join(' ')}>
      <legend className="text-field__label">{legend}</legend>
      <div className="choice-group__options">
        {options.map((option) => (
          <label key={option.value} className="chip-choice">
            <input type="radio" name={name} checked={value === option.value} onChange={() => onChange(option.value)} />
            <span>
              {option.label}
              {option.hint && <span className="chip-choice__hint"> · {option.hint}</span>}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
