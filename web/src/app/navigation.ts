export type NavIcon = 'home' | 'people' | 'groups' | 'events' | 'mentor' | 'mentorship' | 'chat';

export interface NavItem {
  to: string;
  label: string;
  // Match the path exactly (for "/"), not as a prefix.
  end?: boolean;
  // A live count shown on the link for signed-in members.
  badge?: 'chat-unread';
  // On a phone the navigation is a bottom tab bar with room for four destinations and "More": the
  // items marked `tab` are the tabs, the rest are behind "More". Desktop shows every item in the top bar.
  tab?: boolean;
  icon: NavIcon;
}

// Primary navigation. Each feature adds its entry here when its page ships (people, groups, chat,
// mentorship, office hours, introductions, notifications), never before: no links to pages that don't exist.
// An item with a badge must be a tab, so its count is never hidden behind "More".
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home', end: true, tab: true, icon: 'home' },
  { to: '/people', label: 'People', tab: true, icon: 'people' },
  { to: '/groups', label: 'Groups', tab: true, icon: 'groups' },
  { to: '/events', label: 'Events', icon: 'events' },
  { to: '/mentors', label: 'Find a mentor', icon: 'mentor' },
  { to: '/mentorships', label: 'Mentorship', icon: 'mentorship' },
  { to: '/chat', label: 'Chat', badge: 'chat-unread', tab: true, icon: 'chat' },
];
