import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { RadioGroup, TextAreaField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { usePageTitle } from '../../ui/use-page-title';
import { CreateGroupMutation } from './documents';
import { groupPath, KINDS, VISIBILITIES, type GroupKind, type GroupVisibility } from './labels';
import './groups.css';

export function CreateGroupPage() {
  const [params] = useSearchParams();
  const parentId = params.get('parent');
  const parentName = params.get('parentName');
  usePageTitle(parentId ? 'Add a chapter' : 'Create a group');
  const navigate = useNavigate();
  const [, create] = useMutation(CreateGroupMutation);
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<GroupKind>('COMMUNITY');
  const [visibility, setVisibility] = useState<GroupVisibility>('PUBLIC');
  const [institution, setInstitution] = useState('');
  const [graduationYear, setGraduationYear] = useState('');
  const [cohort, setCohort] = useState('');
  const [domain, setDomain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError({ message: 'Give the group a name.', fields: { name: 'Enter a name.' } });
      return;
    }
    setBusy(true);
    setError(null);
    const year = graduationYear.trim() ? Number(graduationYear) : null;
    const response = await create({
      input: {
        name: name.trim(),
        slug: slug.trim() || null,
        description: description.trim(),
        kind,
        visibility,
        institution: kind === 'ALUMNI' ? institution.trim() || null : null,
        graduationYear: kind === 'ALUMNI' && year !== null && Number.isFinite(year) ? year : null,
        cohort: kind === 'ALUMNI' ? cohort.trim() || null : null,
        allowedEmailDomain: kind === 'PROGRAM' ? domain.trim().replace(/^@/u, '') || null : null,
        parentId,
      },
    });
    setBusy(false);
    const outcome = outcomeOf(response.data?.createGroup, response.error, 'GroupPayload');
    if (outcome.ok) await navigate(groupPath(outcome.value.group.slug));
    else setError({ message: outcome.message, fields: outcome.fieldErrors });
  }

  const fieldError = (field: string) => error?.fields[field];

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-header__title">{parentId ? 'Add a chapter' : 'Create a group'}</h1>
          <p className="page-header__lead">
            {parentId && parentName
              ? `A chapter of ${parentName}, for a city, a cohort or a team.`
              : 'You’ll be its owner, and can invite admins and moderators later.'}
          </p>
        </div>
      </header>
      <form className="create-form card" onSubmit={(event) => void onSubmit(event)} noValidate>
        {error && <Alert tone="error">{error.message}</Alert>}
        <TextField
          label="Name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={80}
          required
          error={fieldError('name')}
        />
        <TextField
          label="Web address (optional)"
          hint="Lower-case letters, digits and dashes; left empty, one is made from the name."
          value={slug}
          onChange={(event) => setSlug(event.target.value.toLowerCase())}
          maxLength={60}
          pattern="[a-z0-9-]*"
          error={fieldError('slug')}
        />
        <TextAreaField
          label="Description"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          maxLength={2000}
          rows={4}
          error={fieldError('description')}
        />
        {!parentId && (
          <RadioGroup<GroupKind> legend="Kind" name="kind" options={KINDS} value={kind} onChange={setKind} />
        )}
        {kind === 'ALUMNI' && (
          <div className="inline-form">
            <TextField
              label="Institution"
              value={institution}
              onChange={(event) => setInstitution(event.target.value)}
              maxLength={120}
              error={fieldError('institution')}
            />
            <TextField
              label="Graduation year (optional)"
              inputMode="numeric"
              value={graduationYear}
              onChange={(event) => setGraduationYear(event.target.value.replace(/\D/gu, '').slice(0, 4))}
              error={fieldError('graduationYear')}
            />
            <TextField
              label="Cohort (optional)"
              value={cohort}
              onChange={(event) => setCohort(event.target.value)}
              maxLength={60}
              error={fieldError('cohort')}
            />
          </div>
        )}
        {kind === 'PROGRAM' && (
          <TextField
            label="Restrict to email domain (optional)"
            hint="Only members with a verified email address at this domain can join, e.g. acme.com"
            value={domain}
            onChange={(event) => setDomain(event.target.value)}
            maxLength={100}
            error={fieldError('allowedEmailDomain')}
          />
        )}
        <RadioGroup<GroupVisibility>
          legend="Who can see and join"
          name="visibility"
          options={VISIBILITIES}
          value={visibility}
          onChange={setVisibility}
        />
        <div className="row">
          <Button type="submit" busy={busy}>
            {parentId ? 'Create chapter' : 'Create group'}
          </Button>
        </div>
      </form>
    </div>
  );
}
