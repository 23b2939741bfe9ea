import { useEffect, useRef, type ReactNode } from 'react';

// A modal built on <dialog>: the browser traps focus, closes it on Escape and restores focus on close.
// Focus starts on the element marked data-autofocus, if any.
export function Dialog({
  title,
  open,
  onClose,
  children,
}: {
  title: string;
  open: boolean;
  onClose(): void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const pressedBackdrop = useRef(false);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      // showModal() focuses the first focusable element, the header's Close button: a form that names its
      // first field (data-autofocus, as React keeps no autofocus attribute in the page) starts there instead.
      element.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="chat-dialog"
      aria-labelledby="chat-dialog-title"
      onClose={onClose}
      // A press on the backdrop (the dialog element itself, outside its panel) closes it: one that starts and
      // ends there, so a text selection dragged out of the panel does not. Keyboards close it with Escape.
      onPointerDown={(event) => {
        pressedBackdrop.current = event.target === event.currentTarget;
      }}
      onPointerUp={(event) => {
        if (pressedBackdrop.current && event.target === event.currentTarget) onClose();
        pressedBackdrop.current = false;
      }}
    >
      {open && (
        <div className="chat-dialog__panel">
          <header className="chat-dialog__header">
            <h2 id="chat-dialog-title" className="chat-dialog__title">
              {title}
            </h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              <svg viewBox="0 0 20 20" aria-hidden="true" width="20" height="20">
                <path d="M5 5l10 10M15 5 5 15" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
              </svg>
            </button>
          </header>
          {children}
        </div>
      )}
    </dialog>
  );
}
