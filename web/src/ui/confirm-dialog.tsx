import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from './button';
import './confirm-dialog.css';

// Asks before something that cannot simply be undone. A modal <dialog> (open while mounted): the browser
// keeps focus inside and Escape cancels. Focus starts on Cancel, so a stray Enter does no harm; the
// confirming button says what it does to whom ("Remove Ben Fischer"), not just "OK".
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy = false,
  onConfirm,
  onCancel,
}: {
  title: string;
  /** The consequence, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    cancel.current?.focus();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      // Escape: the browser would close the dialog behind React's back; cancel instead.
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <div className="confirm-dialog__panel">
        <h2 className="confirm-dialog__title" id={titleId}>
          {title}
        </h2>
        <div className="confirm-dialog__body" id={bodyId}>
          {children}
        </div>
        <div className="confirm-dialog__actions">
          <Button ref={cancel} variant="secondary" disabled={busy} onClick={onCancel}>
            Cancel
          </Button>
          <Button variant="danger" busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
