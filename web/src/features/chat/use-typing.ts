import { useCallback, useEffect, useRef, useState } from 'react';
import { useMutation, useSubscription } from 'urql';
import { SetTypingMutation, TypingIndicatorsSubscription } from './documents';

interface Typist {
  id: string;
  name: string;
  conversationId: string;
  expiresAt: number;
}

// At most one "typing" signal per this interval while the member keeps typing.
const SEND_INTERVAL_MS = 3_000;

// expiresAt is the server's clock; a client clock that runs ahead or behind must not hide the indicator
// or keep it forever.
function localExpiry(expiresAt: string): number {
  const now = Date.now();
  const server = Date.parse(expiresAt);
  return server > now ? Math.min(server, now + 15_000) : now + 5_000;
}

/** Who else is typing in the conversation right now (each entry expires at its expiresAt). */
export function useTypingIndicators(conversationId: string, viewerPersonId: string): Typist[] {
  const [, setNow] = useState(0);
  // Accumulated by urql's handler, so two events between renders both count.
  const [result] = useSubscription(
    { query: TypingIndicatorsSubscription, variables: { conversationId } },
    (previous: Typist[] = [], data): Typist[] => {
      const event = data.typingIndicators;
      if (event.person.id === viewerPersonId) return previous;
      const others = previous.filter(
        (typist) => typist.id !== event.person.id || typist.conversationId !== event.conversationId,
      );
      if (!event.typing) return others;
      return [
        ...others,
        {
          id: event.person.id,
          name: event.person.name,
          conversationId: event.conversationId,
          expiresAt: localExpiry(event.expiresAt),
        },
      ];
    },
  );

  // Drop expired entries even when no further event comes (the typist closed their tab).
  const now = Date.now();
  const live = (result.data ?? []).filter(
    (typist) => typist.conversationId === conversationId && typist.expiresAt > now,
  );
  const nextExpiry = live.reduce((soonest, typist) => Math.min(soonest, typist.expiresAt), Number.POSITIVE_INFINITY);
  useEffect(() => {
    if (!Number.isFinite(nextExpiry)) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, nextExpiry - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [nextExpiry]);
  return live;
}

/** "Ada is typing…", "Ada and Ben are typing…", "Several people are typing…". */
export function typingText(typists: readonly Typist[]): string {
  const names = typists.map((typist) => typist.name.split(' ')[0] ?? typist.name);
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

/** Reports the member's own typing: `typed()` on every change of the draft, `stopped()` on send or clear. */
export function useTypingReporter(conversationId: string) {
  const [, setTyping] = useMutation(SetTypingMutation);
  const lastSent = useRef(0);
  const active = useRef(false);

  const typed = useCallback(() => {
    const now = Date.now();
    if (active.current && now - lastSent.current < SEND_INTERVAL_MS) return;
    active.current = true;
    lastSent.current = now;
    void setTyping({ input: { conversationId, typing: true } });
  }, [conversationId, setTyping]);

  const stopped = useCallback(() => {
    if (!active.current) return;
    active.current = false;
    lastSent.current = 0;
    void setTyping({ input: { conversationId, typing: false } });
  }, [conversationId, setTyping]);

  // Leaving the conversation stops the indicator for the others at once.
  useEffect(() => () => stopped(), [stopped]);
  return { typed, stopped };
}
