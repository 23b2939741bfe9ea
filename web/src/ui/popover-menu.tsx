import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type FocusEvent as ReactFocusEvent,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
} from 'react';
import './popover-menu.css';

export interface PopoverMenuItem {
  key: string;
  label: string;
  onSelect(): void;
  disabled?: boolean;
}

interface PopoverMenuProps {
  // Content of the trigger; its text is the button's accessible name.
  trigger: ReactNode;
  // Non-interactive context shown above the items (e.g. who is signed in).
  header?: ReactNode;
  items: readonly PopoverMenuItem[];
  className?: string;
}

// A disclosure-style menu: a button with aria-expanded that reveals a short list of ordinary buttons.
// For a site's account menu this is what the WAI-ARIA practices recommend over role="menu" (which promises
// application-style behaviour), and it keeps each action a real button ("Sign out" is a button by role).
// It still behaves like a menu from the keyboard: arrows move, Home/End jump, Escape closes and returns
// focus to the trigger, and focus or a click leaving it closes it.
export function PopoverMenu({ trigger, header, items, className }: PopoverMenuProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  // Which item to focus once the panel has rendered; null leaves focus on the trigger.
  const pendingFocus = useRef<'first' | 'last' | null>(null);

  const enabledItems = useCallback(
    () => itemRefs.current.filter((item): item is HTMLButtonElement => item !== null && !item.disabled),
    [],
  );

  const close = useCallback((restoreFocus: boolean) => {
    setOpen(false);
    if (restoreFocus) triggerRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const target = pendingFocus.current;
    pendingFocus.current = null;
    const candidates = enabledItems();
    if (target === 'first') candidates[0]?.focus();
    if (target === 'last') candidates.at(-1)?.focus();

    function onPointerDown(event: PointerEvent) {
      if (!rootRef.current?.contains(event.target as Node)) close(false);
    }
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, close, enabledItems]);

  function openWith(focus: 'first' | 'last') {
    pendingFocus.current = focus;
    setOpen(true);
  }

  function onTriggerKeyDown(event: ReactKeyboardEvent<HTMLButtonElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      openWith('first');
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openWith('last');
    }
    onMenuKeyDown(event);
  }

  // Keys on the trigger and on every item while the menu is open.
  function onMenuKeyDown(event: ReactKeyboardEvent<HTMLButtonElement>) {
    if (!open) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
      return;
    }
    const candidates = enabledItems();
    if (candidates.length === 0) return;
    const index = candidates.indexOf(document.activeElement as HTMLButtonElement);
    let next: HTMLButtonElement | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = candidates[(index + 1) % candidates.length];
        break;
      case 'ArrowUp':
        next = candidates[(index - 1 + candidates.length) % candidates.length];
        break;
      case 'Home':
        next = candidates[0];
        break;
      case 'End':
        next = candidates.at(-1);
        break;
      default:
        return;
    }
    event.preventDefault();
    next?.focus();
  }

  // Tabbing out of the menu (from the trigger or an item) closes it, like a native select.
  function onBlur(event: ReactFocusEvent<HTMLButtonElement>) {
    if (open && !rootRef.current?.contains(event.relatedTarget as Node | null)) close(false);
  }

  return (
    <div ref={rootRef} className={['popover-menu', className].filter(Boolean).join(' ')}>
      <button
        ref={triggerRef}
        type="button"
        className="popover-menu__trigger"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => (open ? close(false) : openWith('first'))}
        onKeyDown={onTriggerKeyDown}
        onBlur={onBlur}
      >
        {trigger}
        <svg className="popover-menu__chevron" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
        </svg>
      </button>
      <div id={panelId} className="popover-menu__panel" hidden={!open}>
        {header && <div className="popover-menu__header">{header}</div>}
        <ul className="popover-menu__items">
          {items.map((item, index) => (
            <li key={item.key}>
              <button
                ref={(element) => {
                  itemRefs.current[index] = element;
                }}
                type="button"
                className="popover-menu__item"
                disabled={item.disabled}
                onClick={() => {
                  close(false);
                  item.onSelect();
                }}
                onKeyDown={onMenuKeyDown}
                onBlur={onBlur}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
