import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { type FragmentOf, readFragment } from '../../app/graphql';
import { outcomeOf } from '../../app/mutation-errors';
import { Alert } from '../../ui/alert';
import { Button, ButtonLink, type ButtonSize } from '../../ui/button';
import { introducePath } from '../introductions/labels';
import { mentorRequestPath } from '../mentorship/request-labels';
import { PersonActionsFields, StartDirectMessageMutation } from './documents';

// What the viewer can do toward a person, from their profile or a directory card. The server says
// which actions are possible and why the others are not (Person.viewerActions, each asked of the rule
// the action obeys): possible ones are buttons, the others are their reasons in words.

type ActionKey = 'message' | 'requestMentorship' | 'bookOfficeHours' | 'askIntroduction';

const LABELS: Record<ActionKey, string> = {
  message: 'Send a message',
  requestMentorship: 'Request mentorship',
  bookOfficeHours: 'Book office hours',
  askIntroduction: 'Ask for an introduction',
};

const ORDER: ActionKey[] = ['message', 'requestMentorship', 'bookOfficeHours', 'askIntroduction'];

function pathOf(key: Exclude<ActionKey, 'message'>, personId: string): string {
  if (key === 'requestMentorship') return mentorRequestPath(personId);
  // The host's office-hours page (office-hours-page's officeHoursPath), without loading that page here.
  if (key === 'bookOfficeHours') return `/office-hours/${encodeURIComponent(personId)}`;
  return introducePath(personId);
}

export function PersonActions({
  person: data,
  layout,
}: {
  person: FragmentOf<typeof PersonActionsFields>;
  /** profile: the buttons, then every reason; card: small buttons, the reasons folded away. */
  layout: 'profile' | 'card';
}) {
  const person = readFragment(PersonActionsFields, data);
  const navigate = useNavigate();
  const [{ fetching }, start] = useMutation(StartDirectMessageMutation);
  const [error, setError] = useState<string | null>(null);
  const actions = person.viewerActions;
  const available = ORDER.filter((key) => actions[key].available);
  const refused = ORDER.filter((key) => !actions[key].available && actions[key].reason);
  const size: ButtonSize = layout === 'card' ? 'sm' : 'md';

  async function message() {
    setError(null);
    const response = await start({ input: { personIds: [person.id] } });
    const outcome = outcomeOf(response.data?.startDirectConversation, response.error, 'ConversationPayload');
    if (!outcome.ok) {
      setError(outcome.message);
      return;
    }
    await navigate(`/chat/${encodeURIComponent(outcome.value.conversation.id)}`);
  }

  const reasons = (
    <ul className="plain-list person-actions__reasons">
      {refused.map((key) => (
        <li key={key}>
          <span className="visually-hidden">{LABELS[key]}: </span>
          {actions[key].reason}
        </li>
      ))}
    </ul>
  );

  return (
    <div className={`person-actions person-actions--${layout}`}>
      {available.length > 0 && (
        <ul className="plain-list person-actions__buttons" aria-label={`Actions for ${person.name}`}>
          {available.map((key, index) => (
            <li key={key}>
              {key === 'message' ? (
                <Button
                  size={size}
                  variant={index === 0 ? 'primary' : 'secondary'}
                  busy={fetching}
                  onClick={() => void message()}
                >
                  {LABELS.message}
                </Button>
              ) : (
                <ButtonLink to={pathOf(key, person.id)} size={size} variant={index === 0 ? 'primary' : 'secondary'}>
                  {LABELS[key]}
                </ButtonLink>
              )}
            </li>
          ))}
        </ul>
      )}
      {refused.length > 0 &&
        (layout === 'profile' ? (
          reasons
        ) : (
          <details className="person-actions__more">
            <summary>{available.length > 0 ? 'Why not more?' : 'Why no actions?'}</summary>
            {reasons}
          </details>
        ))}
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
