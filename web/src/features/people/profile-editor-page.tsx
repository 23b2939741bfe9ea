import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { readFragment, type ResultOf } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { describeRequestError } from '../../app/request-error';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { CheckboxGroup, RadioGroup, SelectField, TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { ProfileFields, ProfileQuery, UpdateProfileMutation } from './documents';
import {
  browserTimeZone,
  INTRODUCTIONS_THROUGH,
  OPEN_TO,
  SKILL_LEVELS,
  timeZones,
  VISIBILITY,
  type FieldVisibility,
  type IntroductionsThrough,
  type OpenTo,
  type SkillLevel,
} from './labels';
import { personPath } from './person-link';
import './people.css';

type Profile = ResultOf<typeof ProfileFields>;
type VisibleField = 'headline' | 'bio' | 'location' | 'timeZone' | 'skills' | 'openTo' | 'links';

// Rows of skills and links are known to React by a key of their own, so removing one row leaves the
// others (and the focus in them) where they are.
let lastRowKey = 0;
const rowKey = () => `row-${++lastRowKey}`;

interface Draft {
  name: string;
  headline: string;
  bio: string;
  location: string;
  timeZone: string;
  skills: { key: string; name: string; level: SkillLevel }[];
  openTo: OpenTo[];
  introductionsThrough: IntroductionsThrough;
  links: { key: string; label: string; url: string }[];
  visibility: Record<VisibleField, FieldVisibility>;
}

function draftFrom(profile: Profile): Draft {
  return {
    name: profile.name,
    headline: profile.headline ?? '',
    bio: profile.bio,
    location: profile.location ?? '',
    timeZone: profile.timeZone || browserTimeZone(),
    skills: profile.skills.map((entry) => ({ key: rowKey(), name: entry.skill.name, level: entry.level })),
    openTo: [...profile.openTo],
    introductionsThrough: profile.introductionsThrough,
    links: profile.links.map((link) => ({ key: rowKey(), label: link.label, url: link.url })),
    visibility: { ...profile.visibility },
  };
}

function VisibilitySelect({
  field,
  draft,
  onChange,
}: {
  field: VisibleField;
  draft: Draft;
  onChange(value: FieldVisibility): void;
}) {
  const names: Record<VisibleField, string> = {
    headline: 'headline',
    bio: 'bio',
    location: 'location',
    timeZone: 'time zone',
    skills: 'skills',
    openTo: 'open to',
    links: 'links',
  };
  return (
    <SelectField
      label={`Who sees your ${names[field]}`}
      value={draft.visibility[field]}
      onChange={(event) => onChange(event.target.value as FieldVisibility)}
      options={VISIBILITY}
    />
  );
}

function Editor({ profile }: { profile: Profile }) {
  const [draft, setDraft] = useState<Draft>(() => draftFrom(profile));
  const [state, setState] = useState<
    { status: 'idle' | 'saving' | 'saved' } | { status: 'error'; message: string; fields: Record<string, string> }
  >({ status: 'idle' });
  const [, update] = useMutation(UpdateProfileMutation);
  const zones = useMemo(() => timeZones(), []);

  function set<Key extends keyof Draft>(key: Key, value: Draft[Key]) {
    setDraft((previous) => ({ ...previous, [key]: value }));
    if (state.status === 'saved') setState({ status: 'idle' });
  }
  function setVisibility(field: VisibleField, value: FieldVisibility) {
    set('visibility', { ...draft.visibility, [field]: value });
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!draft.name.trim()) {
      setState({ status: 'error', message: 'Enter your name.', fields: { name: 'Enter your name.' } });
      return;
    }
    setState({ status: 'saving' });
    const response = await update({
      input: {
        name: draft.name.trim(),
        headline: draft.headline.trim(),
        bio: draft.bio.trim(),
        location: draft.location.trim(),
        timeZone: draft.timeZone,
        skills: draft.skills
          .filter((skill) => skill.name.trim())
          .map((skill) => ({ name: skill.name.trim(), level: skill.level })),
        openTo: draft.openTo,
        introductionsThrough: draft.introductionsThrough,
        links: draft.links
          .filter((link) => link.url.trim())
          .map((link) => ({ label: link.label.trim() || 'Link', url: link.url.trim() })),
        visibility: draft.visibility,
      },
    });
    const outcome = outcomeOf(response.data?.updateProfile, response.error, 'UpdateProfilePayload');
    if (outcome.ok) setState({ status: 'saved' });
    else setState({ status: 'error', message: outcome.message, fields: outcome.fieldErrors });
  }

  const fieldError = (name: string) => (state.status === 'error' ? state.fields[name] : undefined);

  return (
    <form className="editor card" onSubmit={(event) => void onSubmit(event)} noValidate>
      {state.status === 'error' && <Alert tone="error">{state.message}</Alert>}
      <div className="editor-field">
        <TextField
          label="Name"
          value={draft.name}
          onChange={(event) => set('name', event.target.value)}
          maxLength={100}
          required
          error={fieldError('name')}
          autoComplete="name"
        />
        <p className="small muted">Everyone signed in sees your name.</p>
      </div>
      <div className="editor-field">
        <TextField
          label="Headline"
          hint="One line about what you do"
          value={draft.headline}
          onChange={(event) => set('headline', event.target.value)}
          maxLength={140}
          error={fieldError('headline')}
        />
        <VisibilitySelect field="headline" draft={draft} onChange={(value) => setVisibility('headline', value)} />
      </div>
      <div className="editor-field editor-field--block">
        <TextAreaField
          label="Bio"
          value={draft.bio}
          onChange={(event) => set('bio', event.target.value)}
          maxLength={2000}
          rows={5}
          error={fieldError('bio')}
        />
        <VisibilitySelect field="bio" draft={draft} onChange={(value) => setVisibility('bio', value)} />
      </div>
      <div className="editor-field">
        <TextField
          label="Location"
          hint="City or region"
          value={draft.location}
          onChange={(event) => set('location', event.target.value)}
          maxLength={100}
          error={fieldError('location')}
        />
        <VisibilitySelect field="location" draft={draft} onChange={(value) => setVisibility('location', value)} />
      </div>
      <div className="editor-field">
        <SelectField
          label="Time zone"
          value={draft.timeZone}
          onChange={(event) => set('timeZone', event.target.value)}
          options={zones.map((zone) => ({ value: zone, label: zone }))}
          error={fieldError('timeZone')}
        />
        <VisibilitySelect field="timeZone" draft={draft} onChange={(value) => setVisibility('timeZone', value)} />
      </div>
      <div className="editor-field editor-field--block">
        <fieldset className="choice-group stack stack--tight">
          <legend className="text-field__label">Skills</legend>
          {draft.skills.map((skill, index) => (
            <div className="repeat-row" key={skill.key}>
              <TextField
                label={`Skill ${index + 1}`}
                value={skill.name}
                maxLength={50}
                onChange={(event) =>
                  set(
                    'skills',
                    draft.skills.map((entry, i) => (i === index ? { ...entry, name: event.target.value } : entry)),
                  )
                }
              />
              <SelectField
                label={`Level of skill ${index + 1}`}
                value={skill.level}
                options={SKILL_LEVELS}
                onChange={(event) =>
                  set(
                    'skills',
                    draft.skills.map((entry, i) =>
                      i === index ? { ...entry, level: event.target.value as SkillLevel } : entry,
                    ),
                  )
                }
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
                aria-label={`Remove skill ${skill.name || index + 1}`}
              >
                Remove
              </Button>
            </div>
          ))}
          {fieldError('skills') && <p className="text-field__error">{fieldError('skills')}</p>}
          <div>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => set('skills', [...draft.skills, { key: rowKey(), name: '', level: 'WORKING' }])}
            >
              Add a skill
            </Button>
          </div>
        </fieldset>
        <VisibilitySelect field="skills" draft={draft} onChange={(value) => setVisibility('skills', value)} />
      </div>
      <div className="editor-field editor-field--block">
        <CheckboxGroup
          legend="Open to"
          options={OPEN_TO}
          value={draft.openTo}
          onChange={(value) => set('openTo', value)}
        />
        <VisibilitySelect field="openTo" draft={draft} onChange={(value) => setVisibility('openTo', value)} />
      </div>
      <div className="editor-field editor-field--block">
        <RadioGroup
          legend="Take introductions through"
          name="introductions-through"
          options={INTRODUCTIONS_THROUGH}
          value={draft.introductionsThrough}
          onChange={(value) => set('introductionsThrough', value)}
        />
        <p className="small muted">
          {!draft.openTo.includes('INTRODUCTIONS')
            ? 'Applies once you’re open to introductions (above). You still accept or decline each one.'
            : draft.visibility.openTo === 'ONLY_ME'
              ? 'Nobody can ask to be introduced to you while “Open to” is visible only to you.'
              : draft.visibility.openTo === 'SHARED_GROUPS'
                ? 'Who may pass on a request to be introduced to you; only people who share a group with you see “Open to” and can ask. You still accept or decline each one.'
                : 'Who may pass on a request to be introduced to you. You still accept or decline each one.'}
        </p>
      </div>
      <div className="editor-field editor-field--block">
        <fieldset className="choice-group stack stack--tight">
          <legend className="text-field__label">Links</legend>
          {draft.links.map((link, index) => (
            <div className="repeat-row repeat-row--links" key={link.key}>
              <TextField
                label={`Label of link ${index + 1}`}
                value={link.label}
                maxLength={40}
                placeholder="GitHub"
                onChange={(event) =>
                  set(
                    'links',
                    draft.links.map((entry, i) => (i === index ? { ...entry, label: event.target.value } : entry)),
                  )
                }
              />
              <TextField
                label={`Address of link ${index + 1}`}
                type="url"
                inputMode="url"
                value={link.url}
                placeholder="https://"
                onChange={(event) =>
                  set(
                    'links',
                    draft.links.map((entry, i) => (i === index ? { ...entry, url: event.target.value } : entry)),
                  )
                }
              />
              <Button
                variant="ghost"
                size="sm"
                onClick={() =>
                  set(
                    'links',
                    draft.links.filter((_, i) => i !== index),
                  )
                }
                aria-label={`Remove link ${link.label || index + 1}`}
              >
                Remove
              </Button>
            </div>
          ))}
          {fieldError('links') && <p className="text-field__error">{fieldError('links')}</p>}
          <div>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => set('links', [...draft.links, { key: rowKey(), label: '', url: '' }])}
            >
              Add a link
            </Button>
          </div>
        </fieldset>
        <VisibilitySelect field="links" draft={draft} onChange={(value) => setVisibility('links', value)} />
      </div>
      <div className="editor-actions">
        <Button type="submit" busy={state.status === 'saving'}>
          Save profile
        </Button>
        <Link to={personPath(profile.person.id)}>See your profile as others do</Link>
        <span role="status" className="small muted">
          {state.status === 'saved' ? 'Saved.' : ''}
        </span>
      </div>
    </form>
  );
}

export function ProfileEditorPage() {
  usePageTitle('Edit your profile');
  const [result] = useQuery({ query: ProfileQuery });
  const viewer = result.data?.viewer;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">Your profile</h1>
          <p className="page-header__lead">
            Choose for each part who can see it. Your email address is never shown to other members.
          </p>
        </div>
      </header>
      {result.error && <Alert tone="error">{describeRequestError(result.error)}</Alert>}
      {!viewer && !result.error && <p className="loading">Loading…</p>}
      {viewer && <Editor profile={readFragment(ProfileFields, viewer)} />}
    </div>
  );
}
