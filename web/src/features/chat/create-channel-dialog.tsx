import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button } from '../../ui/button';
import { SelectField } from '../../ui/fields';
import { TextField } from '../../ui/text-field';
import { conversationPath } from './chat-types';
import { Dialog } from './dialog';
import { CreateChannelMutation } from './documents';

export interface ChannelGroup {
  id: string;
  name: string;
}

// What the server accepts: lowercase letters, digits and hyphens, 1–40 characters.
const NAME_PATTERN = /^[a-z0-9-]{1,40}$/;

/** Turns what was typed into a channel name as people expect ("Job Offers" → "job-offers"). */
export function channelName(input: string): string {
  return input
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/^#/, '')
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 40);
}

function CreateChannelForm({
  groups,
  initialGroupId,
  onDone,
}: {
  groups: readonly ChannelGroup[];
  initialGroupId: string | null;
  onDone(): void;
}) {
  const navigate = useNavigate();
  const [groupId, setGroupId] = useState(initialGroupId ?? groups[0]?.id ?? '');
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [{ fetching }, create] = useMutation(CreateChannelMutation);

  async function submit() {
    setError(null);
    setFieldErrors({});
    if (!NAME_PATTERN.test(name)) {
      setFieldErrors({ name: 'Use 1–40 lowercase letters, digits or hyphens.' });
      return;
    }
    const response = await create({ input: { groupId, name, topic: topic.trim() || null } });
    const payload = response.data?.createChannel;
    if (payload?.__typename === 'ConflictError') {
      setFieldErrors({ name: `There is already a #${name} in this group.` });
      return;
    }
    const outcome = outcomeOf(payload, response.error, 'ConversationPayload');
    if (!outcome.ok) {
      setError(outcome.message);
      setFieldErrors(outcome.fieldErrors);
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
        void submit();
      }}
    >
      {groups.length > 1 && (
        <SelectField
          label="Group"
          value={groupId}
          options={groups.map((group) => ({ value: group.id, label: group.name }))}
          onChange={(event) => setGroupId(event.target.value)}
        />
      )}
      <TextField
        label="Channel name"
        hint="Lowercase letters, digits and hyphens, e.g. job-offers."
        value={name}
        data-autofocus
        required
        error={fieldErrors.name}
        onChange={(event) => setName(channelName(event.target.value))}
      />
      <TextField
        label="Topic (optional)"
        value={topic}
        maxLength={250}
        error={fieldErrors.topic}
        onChange={(event) => setTopic(event.target.value)}
      />
      {error && Object.keys(fieldErrors).length === 0 && <Alert tone="error">{error}</Alert>}
      <div className="row">
        <Button type="submit" busy={fetching} disabled={!groupId || !name}>
          Create channel
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function CreateChannelDialog({
  open,
  groups,
  initialGroupId,
  onClose,
}: {
  open: boolean;
  groups: readonly ChannelGroup[];
  initialGroupId: string | null;
  onClose(): void;
}) {
  const group = groups.find((entry) => entry.id === initialGroupId);
  return (
    <Dialog
      title={group && groups.length === 1 ? `New channel in ${group.name}` : 'New channel'}
      open={open}
      onClose={onClose}
    >
      <CreateChannelForm groups={groups} initialGroupId={initialGroupId} onDone={onClose} />
    </Dialog>
  );
}
