import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import type { ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { type GoalFields, UpdateGoalMutation } from './goals.documents';

type Goal = ResultOf<typeof GoalFields>;

// Changing an ACTIVE goal's words, due day or (a number goal's) target. Only what changed is sent;
// a new due day moves its nudges on the server.
export function GoalEditForm({ goal, onCancel, onDone }: { goal: Goal; onCancel: () => void; onDone: () => void }) {
  const [draft, setDraft] = useState({
    title: goal.title,
    specificOutcome: goal.specificOutcome,
    whyItMatters: goal.whyItMatters,
    dueOn: goal.dueOn,
    targetValue: goal.targetValue === null ? '' : String(goal.targetValue),
    unit: goal.unit,
  });
  const [state, setState] = useState<{ busy: boolean; message: string | null; fields: Record<string, string> }>({
    busy: false,
    message: null,
    fields: {},
  });
  const [, update] = useMutation(UpdateGoalMutation);
  const set = (key: keyof typeof draft, value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const target = goal.measure === 'TARGET';

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const changed = <Value,>(now: Value, before: Value) => (now === before ? null : now);
    const targetValue = draft.targetValue.trim() === '' ? null : Number(draft.targetValue);
    if (target && (targetValue === null || !Number.isFinite(targetValue))) {
      setState({ busy: false, message: null, fields: { targetValue: 'Give a target value.' } });
      return;
    }
    setState({ busy: true, message: null, fields: {} });
    const response = await update({
      input: {
        goalId: goal.id,
        title: changed(draft.title, goal.title),
        specificOutcome: changed(draft.specificOutcome, goal.specificOutcome),
        whyItMatters: changed(draft.whyItMatters, goal.whyItMatters),
        dueOn: changed(draft.dueOn, goal.dueOn),
        targetValue: target ? changed(targetValue, goal.targetValue) : null,
        unit: target ? changed(draft.unit, goal.unit) : null,
      },
    });
    const outcome = outcomeOf(response.data?.updateGoal, response.error, 'GoalPayload');
    if (outcome.ok) onDone();
    else setState({ busy: false, message: outcome.message, fields: outcome.fieldErrors });
  }

  const fields = state.fields;
  return (
    <form className="editor" aria-label={`Edit ${goal.title}`} noValidate onSubmit={(event) => void onSubmit(event)}>
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <TextField
        label="Goal"
        value={draft.title}
        maxLength={120}
        onChange={(e) => set('title', e.target.value)}
        error={fields.title}
      />
      <TextAreaField
        label="Specific outcome"
        value={draft.specificOutcome}
        rows={2}
        maxLength={1000}
        onChange={(e) => set('specificOutcome', e.target.value)}
        error={fields.specificOutcome}
      />
      {target && (
        <div className="agreement-form__row">
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
            value={draft.unit}
            maxLength={40}
            onChange={(e) => set('unit', e.target.value)}
            error={fields.unit}
          />
        </div>
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
          Save goal
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={state.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
