import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Avatar } from '../../ui/avatar';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/text-field';
import { useDebouncedValue } from '../../ui/use-debounced-value';
import { conversationPath } from './chat-types';
import { Dialog } from './dialog';
import { DirectoryPeopleQuery, StartDirectConversationMutation } from './documents';
import { DIRECTORY_PAGE_SIZE } from './page-sizes';

// A direct message has 2–9 people: the viewer and 1–8 others.
const MAX_OTHERS = 8;

interface Picked {
  id: string;
  name: string;
  initials: string;
}

function StartDirectForm({ onDone }: { onDone(): void }) {
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const text = useDebouncedValue(search.trim(), 250);
  const [picked, setPicked] = useState<Picked[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [result] = useQuery({
    query: DirectoryPeopleQuery,
    variables: { text: text || null, first: DIRECTORY_PAGE_SIZE },
  });
  const [{ fetching }, start] = useMutation(StartDirectConversationMutation);
  const people = (result.data?.people.edges ?? []).map((edge) => edge.node).filter((person) => !person.isViewer);
  const full = picked.length >= MAX_OTHERS;

  function toggle(person: Picked) {
    setPicked((current) =>
      current.some((entry) => entry.id === person.id)
        ? current.filter((entry) => entry.id !== person.id)
        : [...current, person],
    );
  }

  async function submit() {
    setError(null);
    const response = await start({ input: { personIds: picked.map((person) => person.id) } });
    const outcome = outcomeOf(response.data?.startDirectConversation, response.error, 'ConversationPayload');
    if (!outcome.ok) {
      setError(outcome.message);
      return;
    }
    onDone();
    await navigate(conversationPath(outcome.value.conversation.id));
  }

  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        if (picked.length > 0) void submit();
      }}
    >
      <TextField
        label="Find people"
        type="search"
        value={search}
        data-autofocus
        placeholder="Name, skill or headline"
        onChange={(event) => setSearch(event.target.value)}
      />
      {picked.length > 0 && (
        <ul className="tag-list" aria-label="Selected people">
          {picked.map((person) => (
            <li key={person.id}>
              <button
                type="button"
                className="tag tag--primary picked-person"
                aria-label={`Remove ${person.name}`}
                onClick={() => toggle(person)}
              >
                {person.name} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <fieldset className="people-picker">
        <legend className="visually-hidden">People</legend>
        {result.fetching && people.length === 0 && <p className="loading">Searching…</p>}
        {!result.fetching && people.length === 0 && <p className="muted">Nobody matches “{text}”.</p>}
        <ul className="plain-list people-picker__list">
          {people.map((person) => {
            const checked = picked.some((entry) => entry.id === person.id);
            return (
              <li key={person.id}>
                <label className="people-picker__option">
                  <input
                    type="checkbox"
                    checked={checked}
                    disabled={!checked && full}
                    onChange={() => toggle(person)}
                  />
                  <Avatar name={person.name} initials={person.initials} size="sm" />
                  <span className="people-picker__text">
                    <span className="people-picker__name">{person.name}</span>
                    {person.headline && <span className="muted small">{person.headline}</span>}
                  </span>
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
      {full && <p className="muted small">A direct message can include up to {MAX_OTHERS} other people.</p>}
      {error && <Alert tone="error">{error}</Alert>}
      <div className="row">
        <Button type="submit" disabled={picked.length === 0} busy={fetching}>
          {picked.length > 1 ? `Start group message (${picked.length + 1} people)` : 'Start conversation'}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function StartDirectDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog title="New message" open={open} onClose={onClose}>
      <StartDirectForm onDone={onClose} />
    </Dialog>
  );
}
