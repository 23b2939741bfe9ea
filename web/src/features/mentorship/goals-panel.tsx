import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import type { ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { addDays, formatDate, todayIn, viewerTimeZone } from '../../lib/time';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { RadioGroup, SelectField, TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import {
  CelebrateGoalMutation,
  CompleteGoalMutation,
  CreateGoalMutation,
  DropGoalMutation,
  type GoalFields,
  RecordGoalProgressMutation,
  ViewerGroupsQuery,
} from './goals.documents';
import { GoalEditForm } from './goal-edit-form';
import { RelationshipDialog } from './relationship-dialog';

// The goals of one mentorship: SMART goals with a progress bar, progress updates (a new value or
// ticked steps, each posting a card into the conversation), completing, dropping, and — for the
// mentee — celebrating a completed goal as a profile badge and, if they like, in a group channel.

type Goal = ResultOf<typeof GoalFields>;

const day = (value: string) => formatDate(`${value}T12:00:00Z`, { withYear: true, timeZone: 'UTC' });
const percent = (progress: number) => `${Math.round(progress * 100)}%`;

const STATUS_LABEL: Record<string, string> = { ACTIVE: 'In progress', COMPLETED: 'Completed', DROPPED: 'Dropped' };

export function GoalsPanel({
  mentorshipId,
  active,
  goals,
  onChanged,
}: {
  mentorshipId: string;
  active: boolean;
  goals: readonly Goal[];
  onChanged: () => void;
}) {
  const [creating, setCreating] = useState(false);
  const open = goals.filter((goal) => goal.status === 'ACTIVE');
  const closed = goals.filter((goal) => goal.status !== 'ACTIVE');
  return (
    <section className="card stack goals-panel" aria-labelledby="goals-title">
      <div className="card__header">
        <h2 className="card__title" id="goals-title">
          Goals
        </h2>
        {goals.length > 0 && (
          <span className="tag">
            {closed.filter((goal) => goal.status === 'COMPLETED').length} of {goals.length} completed
          </span>
        )}
      </div>
      {goals.length === 0 && (
        <p className="muted">
          No goals yet. Set one that is specific, measurable, achievable, relevant and has a date: progress on it shows
          up in your conversation.
        </p>
      )}
      {goals.length > 0 && (
        <ul className="goal-list">
          {[...open, ...closed].map((goal) => (
            <GoalItem key={goal.id} goal={goal} onChanged={onChanged} />
          ))}
        </ul>
      )}
      {active && !creating && (
        <div className="button-row">
          <Button variant="secondary" onClick={() => setCreating(true)}>
            Add a goal
          </Button>
        </div>
      )}
      {active && creating && (
        <CreateGoalForm
          mentorshipId={mentorshipId}
          onCancel={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

function GoalItem({ goal, onChanged }: { goal: Goal; onChanged: () => void }) {
  const [mode, setMode] = useState<'view' | 'progress' | 'edit' | 'celebrate'>('view');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [, complete] = useMutation(CompleteGoalMutation);
  const [, drop] = useMutation(DropGoalMutation);
  const last = goal.updates[0];

  async function close(kind: 'complete' | 'drop') {
    setBusy(true);
    setError(null);
    const response =
      kind === 'complete' ? await complete({ input: { goalId: goal.id } }) : await drop({ input: { goalId: goal.id } });
    const outcome =
      kind === 'complete'
        ? outcomeOf(
            response.data && 'completeGoal' in response.data ? response.data.completeGoal : null,
            response.error,
            'GoalPayload',
          )
        : outcomeOf(
            response.data && 'dropGoal' in response.data ? response.data.dropGoal : null,
            response.error,
            'GoalPayload',
          );
    setBusy(false);
    if (outcome.ok) onChanged();
    else setError(outcome.message);
  }

  return (
    <li className={`goal goal--${goal.status.toLowerCase()}`} data-goal-id={goal.id}>
      <div className="goal__header">
        <h3 className="goal__title">{goal.title}</h3>
        <span className={goal.status === 'COMPLETED' ? 'tag tag--success' : goal.overdue ? 'tag tag--danger' : 'tag'}>
          {goal.overdue ? 'Overdue' : STATUS_LABEL[goal.status]}
        </span>
      </div>
      <p className="goal__outcome">{goal.specificOutcome}</p>
      <div className="goal__progress">
        <progress max={1} value={goal.progress} aria-label={`${goal.title}: ${percent(goal.progress)} done`} />
        <span className="small">
          {goal.measure === 'TARGET'
            ? `${goal.currentValue ?? goal.startValue} of ${goal.targetValue}${goal.unit ? ` ${goal.unit}` : ''}`
            : `${goal.checklist.filter((item) => item.done).length} of ${goal.checklist.length} steps`}{' '}
          · {percent(goal.progress)}
        </span>
      </div>
      <dl className="facts small">
        <dt>Why it matters</dt>
        <dd className="prewrap">{goal.whyItMatters}</dd>
        <dt>Due</dt>
        <dd>{day(goal.dueOn)}</dd>
        {last && (
          <>
            <dt>Last update</dt>
            <dd>
              {last.author?.name ?? 'A former member'}, {formatDate(last.createdAt, { withYear: true })}
              {last.note && ` — ${last.note}`}
            </dd>
          </>
        )}
      </dl>
      {goal.measure === 'CHECKLIST' && mode !== 'progress' && (
        <ul className="goal__steps">
          {goal.checklist.map((item) => (
            <li key={item.id} className={item.done ? 'goal__step goal__step--done' : 'goal__step'}>
              <span aria-hidden="true">{item.done ? '✓' : '○'}</span> {item.text}
              <span className="visually-hidden">{item.done ? ' (done)' : ' (not done)'}</span>
            </li>
          ))}
        </ul>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {mode === 'edit' && (
        <GoalEditForm
          goal={goal}
          onCancel={() => setMode('view')}
          onDone={() => {
            setMode('view');
            onChanged();
          }}
        />
      )}
      {mode === 'progress' && (
        <ProgressForm
          goal={goal}
          onCancel={() => setMode('view')}
          onDone={() => {
            setMode('view');
            onChanged();
          }}
        />
      )}
      {mode === 'view' && (goal.viewerCanUpdate || goal.viewerCanCelebrate) && (
        <div className="button-row">
          {goal.viewerCanUpdate && (
            <>
              <Button size="sm" onClick={() => setMode('progress')}>
                Record progress
              </Button>
              <Button size="sm" variant="secondary" disabled={busy} onClick={() => setMode('edit')}>
                Edit
              </Button>
              <Button size="sm" variant="secondary" busy={busy} onClick={() => void close('complete')}>
                Mark completed
              </Button>
              <Button size="sm" variant="ghost" disabled={busy} onClick={() => void close('drop')}>
                Drop
              </Button>
            </>
          )}
          {goal.viewerCanCelebrate && (
            <Button size="sm" onClick={() => setMode('celebrate')}>
              Celebrate 🎉
            </Button>
          )}
        </div>
      )}
      {goal.achievement && <p className="small muted">Celebrated — it shows as a badge on your profile.</p>}
      {mode === 'celebrate' && (
        <CelebrateDialog
          goal={goal}
          onClose={() => setMode('view')}
          onDone={() => {
            setMode('view');
            onChanged();
          }}
        />
      )}
    </li>
  );
}

function ProgressForm({ goal, onCancel, onDone }: { goal: Goal; onCancel: () => void; onDone: () => void }) {
  const [value, setValue] = useState(String(goal.currentValue ?? goal.startValue ?? 0));
  const [done, setDone] = useState<string[]>(goal.checklist.filter((item) => item.done).map((item) => item.id));
  const [note, setNote] = useState('');
  const [state, setState] = useState<{ busy: boolean; message: string | null; fields: Record<string, string> }>({
    busy: false,
    message: null,
    fields: {},
  });
  const [, record] = useMutation(RecordGoalProgressMutation);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, message: null, fields: {} });
    const number = Number(value);
    const input =
      goal.measure === 'TARGET'
        ? { goalId: goal.id, value: Number.isFinite(number) && value.trim() !== '' ? number : null, note }
        : { goalId: goal.id, doneItemIds: done, note };
    const response = await record({ input });
    const outcome = outcomeOf(response.data?.recordGoalProgress, response.error, 'GoalProgressPayload');
    if (outcome.ok) onDone();
    else setState({ busy: false, message: outcome.message, fields: outcome.fieldErrors });
  }

  return (
    <form
      className="editor"
      aria-label={`Progress on ${goal.title}`}
      noValidate
      onSubmit={(event) => void onSubmit(event)}
    >
      {state.message && <Alert tone="error">{state.message}</Alert>}
      {goal.measure === 'TARGET' ? (
        <TextField
          label={`Where it stands now${goal.unit ? ` (${goal.unit})` : ''}`}
          hint={`Target: ${goal.targetValue}${goal.unit ? ` ${goal.unit}` : ''}. Reaching it completes the goal.`}
          type="number"
          step="any"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          error={state.fields.value}
        />
      ) : (
        <fieldset className="choice-group">
          <legend className="text-field__label">Steps done (all of them completes the goal)</legend>
          {goal.checklist.map((item) => (
            <label key={item.id} className="goal__tick">
              <input
                type="checkbox"
                checked={done.includes(item.id)}
                onChange={(event) =>
                  setDone((ids) => (event.target.checked ? [...ids, item.id] : ids.filter((id) => id !== item.id)))
                }
              />{' '}
              {item.text}
            </label>
          ))}
          {state.fields.doneItemIds && <p className="text-field__error">{state.fields.doneItemIds}</p>}
        </fieldset>
      )}
      <TextAreaField
        label="Note (optional)"
        hint="Shown with the update in your conversation."
        value={note}
        maxLength={1000}
        rows={2}
        onChange={(event) => setNote(event.target.value)}
        error={state.fields.note}
      />
      <div className="button-row">
        <Button type="submit" busy={state.busy}>
          Post update
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={state.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

interface GoalDraft {
  title: string;
  specificOutcome: string;
  measure: 'TARGET' | 'CHECKLIST';
  startValue: string;
  targetValue: string;
  unit: string;
  checklist: string;
  whyItMatters: string;
  dueOn: string;
}

function CreateGoalForm({
  mentorshipId,
  onCancel,
  onDone,
}: {
  mentorshipId: string;
  onCancel: () => void;
  onDone: () => void;
}) {
  const [draft, setDraft] = useState<GoalDraft>(() => ({
    title: '',
    specificOutcome: '',
    measure: 'TARGET',
    startValue: '0',
    targetValue: '',
    unit: '',
    checklist: '',
    whyItMatters: '',
    dueOn: addDays(todayIn(viewerTimeZone()), 90),
  }));
  const [state, setState] = useState<{ busy: boolean; message: string | null; fields: Record<string, string> }>({
    busy: false,
    message: null,
    fields: {},
  });
  const errorRef = useRef<HTMLDivElement>(null);
  const [, create] = useMutation(CreateGoalMutation);
  const set = <Key extends keyof GoalDraft>(key: Key, value: GoalDraft[Key]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const number = (text: string) => (text.trim() === '' || !Number.isFinite(Number(text)) ? null : Number(text));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, message: null, fields: {} });
    const target = draft.measure === 'TARGET';
    const response = await create({
      input: {
        mentorshipId,
        title: draft.title,
        specificOutcome: draft.specificOutcome,
        whyItMatters: draft.whyItMatters,
        measure: draft.measure,
        dueOn: draft.dueOn,
        startValue: target ? number(draft.startValue) : null,
        targetValue: target ? number(draft.targetValue) : null,
        unit: target ? draft.unit : null,
        checklist: target
          ? null
          : draft.checklist
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean),
      },
    });
    const outcome = outcomeOf(response.data?.createGoal, response.error, 'GoalPayload');
    if (outcome.ok) {
      onDone();
      return;
    }
    setState({ busy: false, message: outcome.message, fields: outcome.fieldErrors });
    requestAnimationFrame(() => errorRef.current?.focus());
  }

  const fields = state.fields;
  return (
    <form className="editor" aria-label="New goal" noValidate onSubmit={(event) => void onSubmit(event)}>
      {state.message && (
        <div ref={errorRef} tabIndex={-1}>
          <Alert tone="error">{state.message}</Alert>
        </div>
      )}
      <TextField
        label="Goal"
        value={draft.title}
        maxLength={120}
        onChange={(e) => set('title', e.target.value)}
        error={fields.title}
      />
      <TextAreaField
        label="Specific outcome"
        hint="What exactly will be different when it is done?"
        value={draft.specificOutcome}
        rows={2}
        maxLength={1000}
        onChange={(e) => set('specificOutcome', e.target.value)}
        error={fields.specificOutcome}
      />
      <RadioGroup
        legend="How it is measured"
        name="goal-measure"
        value={draft.measure}
        options={[
          { value: 'TARGET', label: 'A number', hint: 'from a start to a target' },
          { value: 'CHECKLIST', label: 'A checklist', hint: 'steps done one by one' },
        ]}
        onChange={(measure) => set('measure', measure)}
      />
      {draft.measure === 'TARGET' ? (
        <div className="agreement-form__row">
          <TextField
            label="Start"
            type="number"
            step="any"
            value={draft.startValue}
            onChange={(e) => set('startValue', e.target.value)}
            error={fields.startValue}
          />
          <TextField
            label="Target"
            type="number"
            step="any"
            value={draft.targetValue}
            onChange={(e) => set('targetValue', e.target.value)}
            error={fields.targetValue}
          />
          <TextField
            label="Unit"
            hint="e.g. talks, %"
            value={draft.unit}
            maxLength={40}
            onChange={(e) => set('unit', e.target.value)}
            error={fields.unit}
          />
        </div>
      ) : (
        <TextAreaField
          label="Steps"
          hint="One per line, at most 20."
          value={draft.checklist}
          rows={4}
          onChange={(e) => set('checklist', e.target.value)}
          error={fields.checklist ?? Object.entries(fields).find(([key]) => /^\d+$/.test(key))?.[1]}
        />
      )}
      <TextAreaField
        label="Why it matters"
        value={draft.whyItMatters}
        rows={2}
        maxLength={1000}
        onChange={(e) => set('whyItMatters', e.target.value)}
        error={fields.whyItMatters}
      />
      <TextField
        label="Due on"
        type="date"
        value={draft.dueOn}
        onChange={(e) => set('dueOn', e.target.value)}
        error={fields.dueOn}
      />
      <div className="button-row">
        <Button type="submit" busy={state.busy}>
          Add goal
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={state.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

type Visibility = 'MEMBERS' | 'SHARED_GROUPS' | 'ONLY_ME';
const VISIBILITY_OPTIONS: ReadonlyArray<{ value: Visibility; label: string }> = [
  { value: 'MEMBERS', label: 'All members' },
  { value: 'SHARED_GROUPS', label: 'People in my groups' },
  { value: 'ONLY_ME', label: 'Only me' },
];

function CelebrateDialog({ goal, onClose, onDone }: { goal: Goal; onClose: () => void; onDone: () => void }) {
  const [groups] = useQuery({ query: ViewerGroupsQuery });
  const [channelId, setChannelId] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('MEMBERS');
  const [state, setState] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });
  const [, celebrate] = useMutation(CelebrateGoalMutation);
  // Every channel of the mentee's groups: a member may see and write in each (chat's rule for channels).
  const options = [
    { value: '', label: 'Don’t post, only add the badge' },
    ...(groups.data?.viewer?.groups.edges.flatMap((edge) =>
      edge.node.channels.map((channel) => ({
        value: channel.id,
        label: `#${channel.name ?? 'general'}`,
        group: edge.node.name,
      })),
    ) ?? []),
  ];
  const hint = groups.fetching
    ? 'Loading your groups…'
    : groups.error
      ? 'Your groups could not be loaded; you can still add the badge.'
      : options.length === 1
        ? 'You are in no group yet, so there is no channel to post in; the badge is added.'
        : 'A card is posted in that channel, on your behalf.';

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ busy: true, message: null });
    const response = await celebrate({ input: { goalId: goal.id, channelId: channelId || null, visibility } });
    const outcome = outcomeOf(response.data?.celebrateGoal, response.error, 'AchievementPayload');
    if (outcome.ok) onDone();
    else setState({ busy: false, message: outcome.message });
  }

  return (
    <RelationshipDialog title={`Celebrate “${goal.title}”`} onClose={onClose}>
      <form className="stack" noValidate onSubmit={(event) => void onSubmit(event)}>
        <p className="muted">Only you decide whether and where this is shared. It can be celebrated once.</p>
        {state.message && <Alert tone="error">{state.message}</Alert>}
        <SelectField
          label="Share it in a group channel"
          hint={hint}
          value={channelId}
          options={options}
          onChange={(event) => setChannelId(event.target.value)}
        />
        <RadioGroup<Visibility>
          legend="Who sees the badge on your profile"
          name={`badge-visibility-${goal.id}`}
          value={visibility}
          options={VISIBILITY_OPTIONS}
          onChange={setVisibility}
        />
        <div className="button-row">
          <Button type="submit" busy={state.busy}>
            Celebrate
          </Button>
          <Button variant="ghost" onClick={onClose} disabled={state.busy}>
            Not now
          </Button>
        </div>
      </form>
    </RelationshipDialog>
  );
}
