import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { readFragment, type FragmentOf, type ResultOf } from '../../app/graphql';
import { Link } from 'react-router';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { CheckboxGroup, RadioGroup, SelectField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { SKILL_LEVELS, timeZones, type FieldVisibility, type SkillLevel } from '../people/labels';
import {
  MentorSettingsFields,
  PauseMentoringMutation,
  ResumeMentoringMutation,
  SaveMentorProfileMutation,
} from './documents';
import {
  ASK_SCOPES,
  CADENCES,
  FORMATS,
  HELP_KINDS,
  type AskScope,
  type HelpKind,
  type MentoringCadence,
  type MentoringFormat,
} from './labels';
import { errorsByPath, HoursEditor, rowKey, VisibilitySelect, type HoursRow } from './settings-fields';

type VisibleField =
  | 'expertise'
  | 'helpOffered'
  | 'capacity'
  | 'formats'
  | 'cadences'
  | 'weeklyHours'
  | 'languages'
  | 'askScope';

interface Draft {
  // Skill name → the level offered; a skill not here is not offered.
  expertise: Record<string, SkillLevel>;
  helpOffered: HelpKind[];
  capacity: string;
  formats: MentoringFormat[];
  cadences: MentoringCadence[];
  timeZone: string;
  weeklyHours: HoursRow[];
  languages: string;
  askScope: AskScope;
  askGroupIds: string[];
  visibility: Record<VisibleField, FieldVisibility>;
}

type Settings = ResultOf<typeof MentorSettingsFields>;

const DEFAULT_VISIBILITY: Record<VisibleField, FieldVisibility> = {
  expertise: 'MEMBERS',
  helpOffered: 'MEMBERS',
  capacity: 'MEMBERS',
  formats: 'MEMBERS',
  cadences: 'MEMBERS',
  weeklyHours: 'MEMBERS',
  languages: 'MEMBERS',
  askScope: 'MEMBERS',
};

function draftFrom(profile: Settings | null, zone: string): Draft {
  return {
    expertise: Object.fromEntries((profile?.expertise ?? []).map(({ skill, level }) => [skill.name, level])),
    helpOffered: [...(profile?.helpOffered ?? [])],
    capacity: String(profile?.capacity ?? 2),
    formats: [...(profile?.formats ?? [])],
    cadences: [...(profile?.cadences ?? [])],
    timeZone: profile?.timeZone || zone,
    weeklyHours: (profile?.weeklyHours ?? []).map((range) => ({ key: rowKey(), ...range })),
    languages: (profile?.languages ?? []).join(', '),
    askScope: profile?.askScope ?? 'EVERYONE',
    askGroupIds: (profile?.askGroups ?? []).map((group) => group.id),
    visibility: { ...DEFAULT_VISIBILITY, ...profile?.visibility },
  };
}

type SaveState =
  | { status: 'idle' | 'saving' | 'saved' }
  | { status: 'error'; message: string; fields: Record<string, string> };

export function MentorOfferForm({
  profile: masked,
  skills,
  groups,
  zone,
}: {
  profile: FragmentOf<typeof MentorSettingsFields> | null;
  skills: readonly { name: string; level: SkillLevel }[];
  groups: readonly { id: string; name: string }[];
  zone: string;
}) {
  const profile = masked ? readFragment(MentorSettingsFields, masked) : null;
  const [draft, setDraft] = useState<Draft>(() => draftFrom(profile, zone));
  const [state, setState] = useState<SaveState>({ status: 'idle' });
  const [pauseError, setPauseError] = useState<string | null>(null);
  const [, save] = useMutation(SaveMentorProfileMutation);
  const [pausing, pause] = useMutation(PauseMentoringMutation);
  const [resuming, resume] = useMutation(ResumeMentoringMutation);
  const zones = useMemo(() => timeZones(), []);
  const savedRef = useRef<HTMLParagraphElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  // Your profile's skills first, then any skill offered before that is no longer on it.
  const skillChoices = useMemo(() => {
    const names = new Map(skills.map((skill) => [skill.name, skill.level]));
    for (const name of Object.keys(draft.expertise)) if (!names.has(name)) names.set(name, draft.expertise[name]!);
    return [...names.entries()].map(([name, level]) => ({ name, level }));
  }, [skills, draft.expertise]);

  function set<Key extends keyof Draft>(key: Key, value: Draft[Key]) {
    setDraft((previous) => ({ ...previous, [key]: value }));
    if (state.status === 'saved') setState({ status: 'idle' });
  }
  const setVisibility = (field: VisibleField) => (value: FieldVisibility) =>
    set('visibility', { ...draft.visibility, [field]: value });

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const capacity = Number(draft.capacity);
    if (!/^\d+$/.test(draft.capacity.trim()) || !Number.isSafeInteger(capacity)) {
      const message = 'Enter a whole number of mentees, 1 to 20.';
      setState({ status: 'error', message, fields: { capacity: message } });
      requestAnimationFrame(() => errorRef.current?.focus());
      return;
    }
    setState({ status: 'saving' });
    const response = await save({
      input: {
        expertise: Object.entries(draft.expertise).map(([name, level]) => ({ name, level })),
        helpOffered: draft.helpOffered,
        capacity,
        formats: draft.formats,
        cadences: draft.cadences,
        timeZone: draft.timeZone,
        weeklyHours: draft.weeklyHours.map(({ weekday, start, end }) => ({ weekday, start, end })),
        languages: draft.languages
          .split(/[\s,]+/)
          .map((tag) => tag.trim())
          .filter(Boolean),
        askScope: draft.askScope,
        askGroupIds: draft.askScope === 'CHOSEN_GROUPS' ? draft.askGroupIds : [],
        visibility: draft.visibility,
      },
    });
    const result = response.data?.saveMentorProfile;
    const outcome = outcomeOf(result, response.error, 'SaveMentorProfilePayload');
    if (outcome.ok) {
      // A first save also makes the page read the profile again (api-client), so pausing is offered.
      setState({ status: 'saved' });
      requestAnimationFrame(() => savedRef.current?.focus());
    } else {
      setState({ status: 'error', message: outcome.message, fields: errorsByPath(result) });
      requestAnimationFrame(() => errorRef.current?.focus());
    }
  }

  async function togglePause() {
    setPauseError(null);
    const outcome = profile?.accepting
      ? await pause({}).then((response) =>
          outcomeOf(response.data?.pauseMentoring, response.error, 'SaveMentorProfilePayload'),
        )
      : await resume({}).then((response) =>
          outcomeOf(response.data?.resumeMentoring, response.error, 'SaveMentorProfilePayload'),
        );
    if (!outcome.ok) setPauseError(outcome.message);
  }

  const fields = state.status === 'error' ? state.fields : {};

  return (
    <section className="card stack" aria-labelledby="offer-title">
      <h2 className="section-title" id="offer-title">
        Offer mentoring
      </h2>
      {profile ? (
        <div className="mentoring-status">
          {profile.accepting ? (
            <span className="tag tag--success">Accepting new mentees</span>
          ) : (
            <span className="tag tag--warning">Paused: taking no new mentees</span>
          )}
          <Button
            variant="secondary"
            size="sm"
            busy={pausing.fetching || resuming.fetching}
            onClick={() => void togglePause()}
          >
            {profile.accepting ? 'Pause mentoring' : 'Resume mentoring'}
          </Button>
          {pauseError && <Alert tone="error">{pauseError}</Alert>}
        </div>
      ) : (
        <p className="muted">You don’t offer mentoring yet. Fill this in and save to start.</p>
      )}
      <form className="editor" onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="offer-title">
        {state.status === 'error' && (
          <div ref={errorRef} tabIndex={-1}>
            <Alert tone="error">{state.message}</Alert>
          </div>
        )}
        <div className="editor-field editor-field--block">
          <fieldset className="choice-group stack stack--tight">
            <legend className="text-field__label">Expertise</legend>
            <p className="text-field__hint">Pick from the skills on your profile, with the level you mentor at.</p>
            {skillChoices.length === 0 && (
              <p className="small muted">
                Your profile lists no skills yet. <Link to="/profile">Add some to your profile</Link> first.
              </p>
            )}
            {skillChoices.map((skill) => {
              const offered = draft.expertise[skill.name];
              return (
                <div className="repeat-row" key={skill.name}>
                  <label className="chip-choice">
                    <input
                      type="checkbox"
                      checked={offered !== undefined}
                      onChange={() => {
                        const next = { ...draft.expertise };
                        if (offered === undefined) next[skill.name] = skill.level;
                        else delete next[skill.name];
                        set('expertise', next);
                      }}
                    />
                    <span>{skill.name}</span>
                  </label>
                  <SelectField
                    label={`Level for ${skill.name}`}
                    value={offered ?? skill.level}
                    disabled={offered === undefined}
                    options={SKILL_LEVELS}
                    onChange={(event) =>
                      set('expertise', { ...draft.expertise, [skill.name]: event.target.value as SkillLevel })
                    }
                  />
                  <span />
                </div>
              );
            })}
            {fields.expertise && <p className="text-field__error">{fields.expertise}</p>}
          </fieldset>
          <VisibilitySelect what="expertise" value={draft.visibility.expertise} onChange={setVisibility('expertise')} />
        </div>
        <div className="editor-field editor-field--block">
          <CheckboxGroup
            legend="Kinds of help"
            options={HELP_KINDS}
            value={draft.helpOffered}
            onChange={(value) => set('helpOffered', value)}
          />
          <VisibilitySelect
            what="kinds of help"
            value={draft.visibility.helpOffered}
            onChange={setVisibility('helpOffered')}
          />
        </div>
        <div className="editor-field">
          <TextField
            label="Capacity"
            hint="Mentees at once, 1 to 20"
            inputMode="numeric"
            value={draft.capacity}
            onChange={(event) => set('capacity', event.target.value)}
            error={fields.capacity}
          />
          <VisibilitySelect what="capacity" value={draft.visibility.capacity} onChange={setVisibility('capacity')} />
        </div>
        <div className="editor-field editor-field--block">
          <CheckboxGroup
            legend="Formats"
            options={FORMATS}
            value={draft.formats}
            onChange={(value) => set('formats', value)}
          />
          <VisibilitySelect what="formats" value={draft.visibility.formats} onChange={setVisibility('formats')} />
        </div>
        <div className="editor-field editor-field--block">
          <CheckboxGroup
            legend="How often you can meet"
            options={CADENCES}
            value={draft.cadences}
            onChange={(value) => set('cadences', value)}
          />
          <VisibilitySelect what="cadences" value={draft.visibility.cadences} onChange={setVisibility('cadences')} />
        </div>
        <div className="editor-field editor-field--block">
          <div className="stack stack--tight">
            <SelectField
              label="Time zone of your hours"
              value={draft.timeZone}
              onChange={(event) => set('timeZone', event.target.value)}
              options={zones.map((name) => ({ value: name, label: name }))}
              error={fields.timeZone}
            />
            <HoursEditor
              legend="Weekly hours"
              zone={draft.timeZone}
              rows={draft.weeklyHours}
              errors={fields}
              onChange={(rows) => set('weeklyHours', rows)}
            />
          </div>
          <VisibilitySelect what="hours" value={draft.visibility.weeklyHours} onChange={setVisibility('weeklyHours')} />
        </div>
        <div className="editor-field">
          <TextField
            label="Languages"
            hint="Language tags, separated by commas: en, pt-BR, zh-Hant"
            value={draft.languages}
            maxLength={200}
            onChange={(event) => set('languages', event.target.value)}
            error={fields.languages}
          />
          <VisibilitySelect what="languages" value={draft.visibility.languages} onChange={setVisibility('languages')} />
        </div>
        <div className="editor-field editor-field--block">
          <div className="stack stack--tight">
            <RadioGroup
              legend="Who may ask you"
              name="ask-scope"
              options={ASK_SCOPES}
              value={draft.askScope}
              onChange={(value) => set('askScope', value)}
            />
            {draft.askScope === 'CHOSEN_GROUPS' &&
              (groups.length > 0 ? (
                <CheckboxGroup
                  legend="Groups whose members may ask"
                  options={groups.map((group) => ({ value: group.id, label: group.name }))}
                  value={draft.askGroupIds}
                  onChange={(value) => set('askGroupIds', value)}
                />
              ) : (
                <p className="small muted">You aren’t in any group yet.</p>
              ))}
            {fields.askGroupIds && <p className="text-field__error">{fields.askGroupIds}</p>}
          </div>
          <VisibilitySelect what="who may ask" value={draft.visibility.askScope} onChange={setVisibility('askScope')} />
        </div>
        <div className="editor-actions">
          <Button type="submit" busy={state.status === 'saving'}>
            Save mentoring offer
          </Button>
          <p role="status" className="small muted" ref={savedRef} tabIndex={-1}>
            {state.status === 'saved' ? 'Saved.' : ''}
          </p>
        </div>
      </form>
    </section>
  );
}
