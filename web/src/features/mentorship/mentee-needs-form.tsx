import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { readFragment, type FragmentOf, type ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { CheckboxGroup, SelectField, TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { SKILL_LEVELS, timeZones, type SkillLevel } from '../people/labels';
import { MenteeNeedsFields, SaveMenteeNeedsMutation } from './documents';
import { CADENCES, FORMATS, HELP_KINDS, type HelpKind, type MentoringCadence, type MentoringFormat } from './labels';
import { errorsByPath, HoursEditor, rowKey, type HoursRow } from './settings-fields';

type Needs = ResultOf<typeof MenteeNeedsFields>;

interface Draft {
  skills: { key: string; name: string; currentLevel: SkillLevel | ''; wantedLevel: SkillLevel }[];
  goals: string;
  helpWanted: HelpKind[];
  formats: MentoringFormat[];
  cadence: MentoringCadence | '';
  timeZone: string;
  weeklyHours: HoursRow[];
  /** Language tags, comma-separated as typed. */
  languages: string;
}

function draftFrom(needs: Needs | null, zone: string): Draft {
  return {
    skills: (needs?.skills ?? []).map((entry) => ({
      key: rowKey(),
      name: entry.skill.name,
      currentLevel: entry.currentLevel ?? '',
      wantedLevel: entry.wantedLevel,
    })),
    goals: needs?.goals ?? '',
    helpWanted: [...(needs?.helpWanted ?? [])],
    formats: [...(needs?.formats ?? [])],
    cadence: needs?.cadence ?? '',
    timeZone: needs?.timeZone || zone,
    weeklyHours: (needs?.weeklyHours ?? []).map((range) => ({ key: rowKey(), ...range })),
    languages: (needs?.languages ?? []).join(', '),
  };
}

const CURRENT_LEVELS = [{ value: '', label: 'Not yet' }, ...SKILL_LEVELS];
const CADENCE_CHOICES = [{ value: '', label: 'No preference' }, ...CADENCES];

type SaveState =
  | { status: 'idle' | 'saving' | 'saved' }
  | { status: 'error'; message: string; fields: Record<string, string> };

// Private to the member: what they look for, saved once and reused when they ask for mentoring.
export function MenteeNeedsForm({
  needs: masked,
  zone,
}: {
  needs: FragmentOf<typeof MenteeNeedsFields> | null;
  zone: string;
}) {
  const needs = masked ? readFragment(MenteeNeedsFields, masked) : null;
  const [draft, setDraft] = useState<Draft>(() => draftFrom(needs, zone));
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const [, save] = useMutation(SaveMenteeNeedsMutation);
  const zones = useMemo(() => timeZones(), []);
  const savedRef = useRef<HTMLParagraphElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  function set<Key extends keyof Draft>(key: Key, value: Draft[Key]) {
    setDraft((previous) => ({ ...previous, [key]: value }));
    if (state.status === 'saved') setState({ status: 'idle' });
  }
  const updateSkill = (index: number, patch: Partial<Draft['skills'][number]>) =>
    set(
      'skills',
      draft.skills.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)),
    );

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setState({ status: 'saving' });
    const response = await save({
      input: {
        skills: draft.skills
          .filter((skill) => skill.name.trim())
          .map((skill) => ({
            name: skill.name.trim(),
            currentLevel: skill.currentLevel || null,
            wantedLevel: skill.wantedLevel,
          })),
        goals: draft.goals,
        helpWanted: draft.helpWanted,
        formats: draft.formats,
        cadence: draft.cadence || null,
        timeZone: draft.timeZone,
        weeklyHours: draft.weeklyHours.map(({ weekday, start, end }) => ({ weekday, start, end })),
        languages: draft.languages
          .split(',')
          .map((tag) => tag.trim())
          .filter(Boolean),
      },
    });
    const result = response.data?.saveMenteeNeeds;
    const outcome = outcomeOf(result, response.error, 'SaveMenteeNeedsPayload');
    if (outcome.ok) {
      setState({ status: 'saved' });
      requestAnimationFrame(() => savedRef.current?.focus());
    } else {
      setState({ status: 'error', message: outcome.message, fields: errorsByPath(result) });
      requestAnimationFrame(() => errorRef.current?.focus());
    }
  }

  const fields = state.status === 'error' ? state.fields : {};

  return (
    <section className="card stack" aria-labelledby="needs-title">
      <div>
        <h2 className="section-title" id="needs-title">
          What I’m looking for
        </h2>
        <p className="muted small">Only you see this. It is used when you look for a mentor.</p>
      </div>
      <form className="editor" onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="needs-title">
        {state.status === 'error' && (
          <div ref={errorRef} tabIndex={-1}>
            <Alert tone="error">{state.message}</Alert>
          </div>
        )}
        <fieldset className="choice-group stack stack--tight">
          <legend className="text-field__label">Skills to develop</legend>
          {draft.skills.map((skill, index) => (
            <div className="mentee-skill-row" key={skill.key}>
              <TextField
                label={`Skill to develop ${index + 1}`}
                value={skill.name}
                maxLength={50}
                onChange={(event) => updateSkill(index, { name: event.target.value })}
                error={fields[`skills.${index}.name`]}
              />
              <SelectField
                label={`Level now (skill ${index + 1})`}
                value={skill.currentLevel}
                options={CURRENT_LEVELS}
                onChange={(event) => updateSkill(index, { currentLevel: event.target.value as SkillLevel | '' })}
              />
              <SelectField
                label={`Level wanted (skill ${index + 1})`}
                value={skill.wantedLevel}
                options={SKILL_LEVELS}
                onChange={(event) => updateSkill(index, { wantedLevel: event.target.value as SkillLevel })}
              />
              <Button
                variant="ghost"
                size="sm"
                onClick={() =>
                  set(
                    'skills',
                    draft.skills.filter((_, i) => i !== index),
                  )
                }
                aria-label={`Remove skill to develop ${skill.name || index + 1}`}
              >
                Remove
              </Button>
            </div>
          ))}
          {fields.skills && <p className="text-field__error">{fields.skills}</p>}
          <div>
            <Button
              variant="secondary"
              size="sm"
              onClick={() =>
                set('skills', [...draft.skills, { key: rowKey(), name: '', currentLevel: '', wantedLevel: 'WORKING' }])
              }
            >
              Add a skill to develop
            </Button>
          </div>
        </fieldset>
        <TextAreaField
          label="Your goals"
          hint="In your own words"
          value={draft.goals}
          maxLength={2000}
          rows={4}
          onChange={(event) => set('goals', event.target.value)}
          error={fields.goals}
        />
        <CheckboxGroup
          legend="Help you want"
          options={HELP_KINDS}
          value={draft.helpWanted}
          onChange={(value) => set('helpWanted', value)}
        />
        <CheckboxGroup
          legend="Formats that suit you"
          options={FORMATS}
          value={draft.formats}
          onChange={(value) => set('formats', value)}
        />
        <TextField
          label="Languages you can be mentored in"
          hint="Language tags, separated by commas: en, pt-BR, zh-Hant"
          value={draft.languages}
          maxLength={200}
          onChange={(event) => set('languages', event.target.value)}
          error={fields.languages ?? Object.entries(fields).find(([path]) => path.startsWith('languages.'))?.[1]}
        />
        <SelectField
          label="How often you’d like to meet"
          value={draft.cadence}
          options={CADENCE_CHOICES}
          onChange={(event) => set('cadence', event.target.value as MentoringCadence | '')}
        />
        <SelectField
          label="Time zone of your hours"
          value={draft.timeZone}
          onChange={(event) => set('timeZone', event.target.value)}
          options={zones.map((name) => ({ value: name, label: name }))}
          error={fields.timeZone}
        />
        <HoursEditor
          legend="When you can meet"
          zone={draft.timeZone}
          rows={draft.weeklyHours}
          errors={fields}
          onChange={(rows) => set('weeklyHours', rows)}
        />
        <div className="editor-actions">
          <Button type="submit" busy={state.status === 'saving'}>
            Save what I’m looking for
          </Button>
          <p role="status" className="small muted" ref={savedRef} tabIndex={-1}>
            {state.status === 'saved' ? 'Saved.' : ''}
          </p>
        </div>
      </form>
    </section>
  );
}
