import { useState } from 'react';
import { Button } from './button';

// Cursor pagination controls: "Previous" goes back through the cursors already seen.
export function Pager({
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  busy,
}: {
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  busy?: boolean;
}) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <Button variant="secondary" size="sm" disabled={!hasPrevious || busy} onClick={onPrevious}>
        Previous
      </Button>
      <Button variant="secondary" size="sm" disabled={!hasNext || busy} onClick={onNext}>
        Next
      </Button>
    </nav>
  );
}

// Keeps a stack of `after` cursors so "Previous" works with forward-only cursors.
export function useCursorStack() {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const after = stack.at(-1) ?? null;
  return {
    after,
    hasPrevious: stack.length > 1,
    next: (cursor: string | null | undefined) => cursor && setStack((s) => [...s, cursor]),
    previous: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setStack([null]),
  };
}
