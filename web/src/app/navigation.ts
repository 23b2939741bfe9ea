export interface NavItem {
  to: string;
  label: string;
  // Match the path exactly (for "/"), not as a prefix.
  end?: boolean;
  // A live count shown on the link for signed-in members.
  badge?: 'chat-unread';
}

// Primary navigation. Each feature adds its entry here when its page ships (people, groups, chat,
// mentorship, office hours, introductions, notifications), never before: no links to pages that don't exist.
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', end: true },
  { to: '/people', label: 'People' },
  { to: '/groups', label: 'Groups' },
  { to: '/events', label: 'Events' },
  { to: '/mentors', label: 'Find a mentor' },
  { to: '/mentorships', label: 'Mentorship' },
  { to: '/chat', label: 'Chat', badge: 'chat-unread' },
];
