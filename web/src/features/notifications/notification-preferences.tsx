import { useState } from 'react';
import { useMutation } from 'urql';
import { type FragmentOf, type ResultOf, readFragment } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { NotificationPreferenceFields, SetNotificationPreferenceMutation } from './documents';

// One row per kind (its words come from the server's registry), one switch per channel. Nothing
// here knows a kind by name: a kind a module adds shows up with its own label.

type Preference = ResultOf<typeof NotificationPreferenceFields>;
type Channel = 'IN_APP' | 'EMAIL' | 'DIGEST';

const CHANNELS: Array<{ channel: Channel; label: string; field: 'inApp' | 'email' | 'digest' }> = [
  { channel: 'IN_APP', label: 'In app', field: 'inApp' },
  { channel: 'EMAIL', label: 'Email', field: 'email' },
  { channel: 'DIGEST', label: 'Digest', field: 'digest' },
];

export function NotificationPreferences({
  preferences,
}: {
  preferences: ReadonlyArray<FragmentOf<typeof NotificationPreferenceFields>>;
}) {
  const [state, setPreference] = useMutation(SetNotificationPreferenceMutation);
  const [error, setError] = useState<string | null>(null);
  const rows = preferences.map((preference) => readFragment(NotificationPreferenceFields, preference));

  async function toggle(row: Preference, channel: Channel, enabled: boolean) {
    const response = await setPreference({ input: { kind: row.kind, channel, enabled } });
    const outcome = outcomeOf(
      response.data?.setNotificationPreference,
      response.error,
      'NotificationPreferencePayload',
    );
    setError(outcome.ok ? null : outcome.message);
  }

  return (
    <>
      {error && <Alert tone="error">{error}</Alert>}
      <table className="preferences-table">
        <caption className="visually-hidden">Which notifications reach you, and where</caption>
        <thead>
          <tr>
            <th scope="col">Notify me when</th>
            {CHANNELS.map(({ channel, label }) => (
              <th scope="col" key={channel}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.kind}>
              <th scope="row">
                <span className="preferences-table__label">{row.label}</span>
                <span className="preferences-table__description">{row.description}</span>
              </th>
              {CHANNELS.map(({ channel, label, field }) => {
                const unavailable = channel === 'DIGEST' && !row.digestAvailable;
                return (
                  <td key={channel}>
                    <input
                      type="checkbox"
                      aria-label={`${row.label}: ${label}`}
                      checked={row[field]}
                      disabled={unavailable || state.fetching}
                      title={unavailable ? 'Not part of the digest' : undefined}
                      onChange={(event) => void toggle(row, channel, event.currentTarget.checked)}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
