import { useEffect, useId, useRef, type ReactNode } from 'react';

// A modal on <dialog>, open while mounted: the browser keeps focus inside, Escape closes it, and
// closing it gives focus back to what opened it.
export function RelationshipDialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog ref={dialog} className="relationship-dialog" aria-labelledby={titleId} onClose={onClose}>
      <div className="relationship-dialog__panel stack">
        <h2 className="card__title" id={titleId}>
          {title}
        </h2>
        {children}
      </div>
    </dialog>
  );
}
