import { useNavigate } from 'react-router';
import { PopoverMenu } from '../../ui/popover-menu';
import { useIntroductionsWaiting } from '../introductions/use-introductions-waiting';
import { useModerationAccess } from '../safety/use-moderation-access';
import type { Viewer } from './use-viewer';
import './member-menu.css';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/u).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts.at(-1)] : [parts[0]];
  return letters
    .map((part) => (part ? (Array.from(part)[0] ?? '') : ''))
    .join('')
    .toLocaleUpperCase();
}

interface MemberMenuProps {
  viewer: Viewer;
  signingOut: boolean;
  onSignOut(): void;
}

export function MemberMenu({ viewer, signingOut, onSignOut }: MemberMenuProps) {
  const navigate = useNavigate();
  const moderation = useModerationAccess();
  // Also the session's live introductionEvents: the menu is mounted whenever a member is signed in.
  const introductionsWaiting = useIntroductionsWaiting();
  return (
    <PopoverMenu
      className="member-menu"
      trigger={
        <>
          <span className="member-menu__avatar" aria-hidden="true">
            {initials(viewer.name)}
          </span>
          {/* Hidden visually on narrow screens but always part of the button's accessible name. */}
          <span className="member-menu__name">{viewer.name}</span>
          <span className="visually-hidden">, account menu</span>
        </>
      }
      header={
        <>
          <p className="member-menu__caption">Signed in as</p>
          <p className="member-menu__identity">{viewer.name}</p>
          <p className="member-menu__email">{viewer.email}</p>
        </>
      }
      items={[
        { key: 'profile', label: 'Your profile', onSelect: () => void navigate('/profile') },
        { key: 'mentoring', label: 'Mentoring', onSelect: () => void navigate('/settings/mentoring') },
        {
          key: 'introductions',
          label: introductionsWaiting > 0 ? `Introductions (${introductionsWaiting} waiting for you)` : 'Introductions',
          onSelect: () => void navigate('/introductions'),
        },
        // Office hours: the top navigation is full at laptop widths, so the member's own seats live here.
        { key: 'bookings', label: 'My bookings', onSelect: () => void navigate('/bookings') },
        { key: 'calendar', label: 'Calendar and reminders', onSelect: () => void navigate('/settings/calendar') },
        { key: 'notifications', label: 'Notifications', onSelect: () => void navigate('/notifications') },
        { key: 'email', label: 'Email settings', onSelect: () => void navigate('/settings/email') },
        { key: 'password', label: 'Change password', onSelect: () => void navigate('/settings/password') },
        { key: 'blocked', label: 'Blocked members', onSelect: () => void navigate('/settings/blocked') },
        ...(moderation.isInstanceAdmin
          ? [{ key: 'moderation', label: 'Moderation', onSelect: () => void navigate('/moderation') }]
          : []),
        { key: 'sign-out', label: 'Sign out', onSelect: onSignOut, disabled: signingOut },
      ]}
    />
  );
}
