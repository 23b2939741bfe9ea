import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { matchPath, NavLink, useLocation } from 'react-router';
import { ChatUnreadBadge } from '../features/chat/chat-nav-badge';
import { NAV_ITEMS, type NavIcon, type NavItem } from './navigation';
import './main-nav.css';

const ICONS: Record<NavIcon | 'more', ReactNode> = {
  home: <path d="M3.5 10.5 12 3.5l8.5 7V20H15v-6H9v6H3.5z" />,
  people: (
    <>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.3c2.1.7 3.5 2.9 3.5 5.7" />
    </>
  ),
  groups: (
    <>
      <circle cx="12" cy="7.5" r="3" />
      <circle cx="5" cy="10" r="2.25" />
      <circle cx="19" cy="10" r="2.25" />
      <path d="M7 20c0-2.8 2.2-5 5-5s5 2.2 5 5M1.5 19c0-2.2 1.6-3.8 3.5-3.8M22.5 19c0-2.2-1.6-3.8-3.5-3.8" />
    </>
  ),
  events: (
    <>
      <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
      <path d="M3.5 10h17M8 3v4M16 3v4" />
    </>
  ),
  mentor: (
    <>
      <circle cx="10.5" cy="10.5" r="6" />
      <path d="m15 15 5.5 5.5" />
    </>
  ),
  mentorship: <path d="m12 3.5 2.5 5.3 5.8.7-4.3 4 1.1 5.8L12 16.5l-5.1 2.8 1.1-5.8-4.3-4 5.8-.7z" />,
  chat: <path d="M4.5 4.5h15a1 1 0 0 1 1 1V16a1 1 0 0 1-1 1H10l-5.5 3.5v-15a1 1 0 0 1 1-1z" />,
  more: (
    <>
      <circle cx="5" cy="12" r="1.5" />
      <circle cx="12" cy="12" r="1.5" />
      <circle cx="19" cy="12" r="1.5" />
    </>
  ),
};

function Icon({ name }: { name: NavIcon | 'more' }) {
  return (
    <svg className="main-nav__icon" viewBox="0 0 24 24" aria-hidden="true">
      {ICONS[name]}
    </svg>
  );
}

function Badge({ item, signedIn }: { item: NavItem; signedIn: boolean }) {
  return item.badge === 'chat-unread' && signedIn ? <ChatUnreadBadge /> : null;
}

// "More" on a phone: a disclosure (a button with aria-expanded) that reveals the destinations the tab bar
// has no room for, as ordinary links. Escape closes it and returns focus to the button; moving focus or
// a tap outside it closes it, and so does following one of its links.
function MoreMenu({ items }: { items: readonly NavItem[] }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  // The page being behind "More" is said on the button, as aria-current says it on a tab.
  const current = items.find((item) => matchPath({ path: item.to, end: item.end ?? false }, pathname));

  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on every navigation, pathname is the trigger
  useEffect(() => setOpen(false), [pathname]);

  // While open: Escape closes it and gives focus back to the button; a press outside it, or focus moving
  // out of it (Tab past the last link), closes it.
  useEffect(() => {
    const element = root.current;
    if (!open || !element) return;
    function onPointerDown(event: PointerEvent) {
      if (!element?.contains(event.target as Node)) setOpen(false);
    }
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      setOpen(false);
      button.current?.focus();
    }
    function onFocusOut(event: FocusEvent) {
      if (!element?.contains(event.relatedTarget as Node | null)) setOpen(false);
    }
    document.addEventListener('pointerdown', onPointerDown);
    element.addEventListener('keydown', onKeyDown);
    element.addEventListener('focusout', onFocusOut);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      element.removeEventListener('keydown', onKeyDown);
      element.removeEventListener('focusout', onFocusOut);
    };
  }, [open]);

  return (
    <div ref={root} className="main-nav__more">
      <button
        ref={button}
        type="button"
        className={current ? 'main-nav__link main-nav__link--current' : 'main-nav__link'}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <Icon name="more" />
        <span className="main-nav__label">More</span>
        {current && <span className="visually-hidden">, you are on {current.label}</span>}
      </button>
      <ul id={panelId} className="main-nav__more-panel" hidden={!open}>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end ?? false} className="main-nav__more-link">
              <Icon name={item.icon} />
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </div>
  );
}

// One navigation landmark for every width: a row of links in the desktop header; on a phone
// (main-nav.css) a tab bar fixed to the bottom with the `tab` items and their badges always in view,
// and "More" for the rest.
export function MainNav({ signedIn }: { signedIn: boolean }) {
  const rest = NAV_ITEMS.filter((item) => !item.tab);
  return (
    <nav className="main-nav" aria-label="Main">
      <ul className="main-nav__list">
        {NAV_ITEMS.map((item) => (
          <li key={item.to} className={item.tab ? 'main-nav__item' : 'main-nav__item main-nav__item--secondary'}>
            <NavLink to={item.to} end={item.end ?? false} className="main-nav__link">
              <Icon name={item.icon} />
              <span className="main-nav__label">{item.label}</span>
              <Badge item={item} signedIn={signedIn} />
            </NavLink>
          </li>
        ))}
        <li className="main-nav__item main-nav__item--more">
          <MoreMenu items={rest} />
        </li>
      </ul>
    </nav>
  );
}
